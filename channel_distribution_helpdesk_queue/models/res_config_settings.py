# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    commissioning_tickets_background = fields.Boolean(
        related="company_id.commissioning_tickets_background", readonly=False
    )
