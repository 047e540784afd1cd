# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    channel_contract_id = fields.Many2one(
        "contract.contract",
        string="Subscription Section",
        readonly=True,
        index="btree_not_null",
        copy=True,
        help="Set on the section line that opens a period of a subscription "
        "on a consolidated invoice.",
    )
    channel_period_start = fields.Date(string="Service From", readonly=True)
    channel_period_end = fields.Date(string="Service To", readonly=True)
    channel_period_id = fields.Many2one(
        "channel.contract.period",
        string="Billed Period",
        readonly=True,
        index="btree_not_null",
        copy=False,
        ondelete="set null",
    )
    channel_adjustment_ids = fields.One2many(
        "channel.contract.adjustment",
        "move_line_id",
        string="Prorated Changes",
        readonly=True,
    )
