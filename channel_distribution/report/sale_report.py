# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

from ..models.res_partner import BUSINESS_ROLES, FINANCIAL_ROLES


class SaleReport(models.Model):
    _inherit = "sale.report"

    distributor_id = fields.Many2one("res.partner", readonly=True)
    end_customer_id = fields.Many2one("res.partner", readonly=True)
    channel_commission = fields.Monetary(string="Commission", readonly=True)
    financial_role = fields.Selection(
        FINANCIAL_ROLES, string="Invoiced Party", readonly=True
    )
    business_role = fields.Selection(
        BUSINESS_ROLES, string="Served Party", readonly=True
    )
    financial_partner_id = fields.Many2one(
        "res.partner", string="Invoiced Counterparty", readonly=True
    )
    business_partner_id = fields.Many2one(
        "res.partner", string="Served Counterparty", readonly=True
    )

    def _select_additional_fields(self):
        res = super()._select_additional_fields()
        res["distributor_id"] = "s.distributor_id"
        res["end_customer_id"] = "s.end_customer_id"
        res["financial_role"] = "s.financial_role"
        res["business_role"] = "s.business_role"
        res["financial_partner_id"] = "s.financial_partner_id"
        res["business_partner_id"] = "s.business_partner_id"
        res["channel_commission"] = f"""SUM(l.channel_commission
            / {self._case_value_or_one("s.currency_rate")}
            * {self._case_value_or_one("account_currency_table.rate")})"""
        return res

    def _group_by_sale(self):
        return (
            super()._group_by_sale()
            + ", s.distributor_id, s.end_customer_id, s.financial_role,"
            " s.business_role, s.financial_partner_id, s.business_partner_id"
        )
