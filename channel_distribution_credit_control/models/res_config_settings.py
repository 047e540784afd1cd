# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    channel_credit_policy_id = fields.Many2one(
        related="company_id.channel_credit_policy_id", readonly=False
    )
