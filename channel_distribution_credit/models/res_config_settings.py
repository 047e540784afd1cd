# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    channel_credit_user_id = fields.Many2one(
        related="company_id.channel_credit_user_id", readonly=False
    )
    channel_overdue_hold_days = fields.Integer(
        related="company_id.channel_overdue_hold_days", readonly=False
    )
    channel_overdue_hold_confirm = fields.Selection(
        related="company_id.channel_overdue_hold_confirm", readonly=False
    )
