# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    commissioning_team_id = fields.Many2one(
        related="company_id.commissioning_team_id", readonly=False
    )
    commissioning_user_id = fields.Many2one(
        related="company_id.commissioning_user_id", readonly=False
    )
