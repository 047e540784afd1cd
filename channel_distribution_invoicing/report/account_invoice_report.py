# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.tools import SQL


class AccountInvoiceReport(models.Model):
    _inherit = "account.invoice.report"

    end_customer_id = fields.Many2one("res.partner", readonly=True)
    distributor_id = fields.Many2one("res.partner", readonly=True)

    @api.model
    def _select(self):
        return SQL(
            "%s, line.end_customer_id AS end_customer_id, "
            "line.distributor_id AS distributor_id",
            super()._select(),
        )
