# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class AccountMove(models.Model):
    """OCA's commission figures of an invoice are the vendor's: an end
    customer (or any portal user) reading its invoice reads none of them."""

    _inherit = "account.move"

    commission_total = fields.Float(groups="base.group_user")
    partner_agent_ids = fields.Many2many(groups="base.group_user")
    settlement_count = fields.Integer(groups="base.group_user")
    settlement_ids = fields.One2many(groups="base.group_user")
