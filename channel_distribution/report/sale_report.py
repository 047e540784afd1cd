# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class SaleReport(models.Model):
    _inherit = "sale.report"

    distributor_id = fields.Many2one("res.partner", readonly=True)
    end_customer_id = fields.Many2one("res.partner", readonly=True)
    channel_commission = fields.Monetary(string="Commission", readonly=True)

    def _select_additional_fields(self):
        res = super()._select_additional_fields()
        res["distributor_id"] = "s.distributor_id"
        res["end_customer_id"] = "s.end_customer_id"
        res["channel_commission"] = f"""SUM(l.channel_commission
            / {self._case_value_or_one("s.currency_rate")}
            * {self._case_value_or_one("account_currency_table.rate")})"""
        return res

    def _group_by_sale(self):
        return super()._group_by_sale() + ", s.distributor_id, s.end_customer_id"
