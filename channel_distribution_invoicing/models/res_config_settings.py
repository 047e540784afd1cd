# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    channel_invoice_auto_post = fields.Boolean(
        related="company_id.channel_invoice_auto_post", readonly=False
    )
    channel_invoice_auto_send = fields.Boolean(
        related="company_id.channel_invoice_auto_send", readonly=False
    )
    channel_invoicing_user_id = fields.Many2one(
        related="company_id.channel_invoicing_user_id", readonly=False
    )
    channel_cancel_invoiced = fields.Selection(
        related="company_id.channel_cancel_invoiced", readonly=False
    )
