# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

# The rows of invoice lines take ids of their own, far above those of order
# lines (the orders' rows) and apart from the negative ids of other sources
# (point of sale) and from the subscriptions' ranges.
INVOICE_LINE_ID_BASE = 3 << 40

# The columns of the standard sales analysis, in the order of its query
# (``sale.report._select_sale``), before the additional fields.
SALE_REPORT_COLUMNS = [
    "id",
    "product_id",
    "line_invoice_status",
    "product_uom",
    "product_uom_qty",
    "qty_delivered",
    "qty_to_deliver",
    "qty_invoiced",
    "qty_to_invoice",
    "price_unit",
    "price_total",
    "price_subtotal",
    "untaxed_amount_to_invoice",
    "untaxed_amount_invoiced",
    "nbr",
    "name",
    "date",
    "state",
    "invoice_status",
    "partner_id",
    "user_id",
    "company_id",
    "campaign_id",
    "medium_id",
    "source_id",
    "categ_id",
    "pricelist_id",
    "team_id",
    "product_tmpl_id",
    "commercial_partner_id",
    "country_id",
    "industry_id",
    "state_id",
    "partner_zip",
    "weight",
    "volume",
    "discount",
    "discount_amount",
    "order_reference",
]


class SaleReport(models.Model):
    """The channel's invoiced revenue in the sales analysis.

    Beside the orders' rows (what was ordered, on the order's date), each
    product line of a posted customer invoice or credit note of a channel
    order is a row of its own (*Revenue Source: Invoiced*): its untaxed
    amount and commission, negative on a credit note, on the invoice's date.
    These rows add up, per distributor and month, to the posted invoices and
    credit notes; the channel analysis shows them by default.
    """

    _inherit = "sale.report"
    _depends = {
        "account.move.line": [
            "move_id",
            "display_type",
            "product_id",
            "product_uom_id",
            "quantity",
            "price_unit",
            "discount",
            "balance",
            "price_total",
            "distributor_id",
            "end_customer_id",
            "sale_line_ids",
            "channel_commission",
        ],
        "account.move": [
            "state",
            "move_type",
            "invoice_date",
            "date",
            "partner_id",
            "company_id",
            "invoice_currency_rate",
            "invoice_user_id",
            "team_id",
        ],
    }

    channel_source = fields.Selection(
        [("order", "Order"), ("invoice", "Invoiced")],
        string="Revenue Source",
        readonly=True,
        help="Order: a line of a sales order, on the order's date. Invoiced: a "
        "line of a posted invoice or credit note of a channel order, on the "
        "invoice's date (negative on a credit note).",
    )

    def _select_additional_fields(self):
        res = super()._select_additional_fields()
        res["channel_source"] = "'order'"
        return res

    # ------------------------------------------------------------------
    # rows of posted invoice lines
    # ------------------------------------------------------------------

    def _channel_currency_table(self):
        currency_table = self.env["res.currency"]._get_simple_currency_table(
            self.env.companies
        )
        return self.env.cr.mogrify(currency_table).decode(
            self.env.cr.connection.encoding
        )

    def _channel_sign(self):
        """SQL: 1 on an invoice, -1 on a credit note (``m``)."""
        return "CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END"

    def _channel_to_company_currency(self, amount, rate):
        """SQL of ``amount`` in a document currency of ``rate`` (company
        currency to document currency) converted as the orders' amounts."""
        return (
            f"({amount}) / {self._case_value_or_one(rate)}"
            f" * {self._case_value_or_one('account_currency_table.rate')}"
        )

    def _channel_select_columns(self, values):
        """The report's columns, in the orders' order, from ``values``
        ({column: SQL}); a column not given is NULL."""
        names = SALE_REPORT_COLUMNS + list(self._select_additional_fields())
        return ",".join(
            f"""
            {values.get(name, "NULL")} AS {name}"""
            for name in names
        )

    def _channel_invoice_line_values(self):
        """{column: SQL} of a row of a posted invoice line ``aml`` of the
        move ``m``, its product ``p``/``t``, units ``u``/``u2``, order line
        ``l`` and order ``s`` (when it has one) and partner ``partner``."""
        sign = self._channel_sign()
        rate = "m.invoice_currency_rate"
        quantity = f"{sign} * aml.quantity / u.factor * u2.factor"
        # -balance: the untaxed amount in company currency, already signed
        subtotal = (
            f"-aml.balance * {self._case_value_or_one('account_currency_table.rate')}"
        )
        return {
            "product_id": "aml.product_id",
            "line_invoice_status": "'invoiced'",
            "product_uom": "t.uom_id",
            "product_uom_qty": quantity,
            "qty_delivered": quantity,
            "qty_to_deliver": "0.0",
            "qty_invoiced": quantity,
            "qty_to_invoice": "0.0",
            "price_unit": self._channel_to_company_currency("aml.price_unit", rate),
            "price_total": self._channel_to_company_currency(
                f"{sign} * aml.price_total", rate
            ),
            "price_subtotal": subtotal,
            "untaxed_amount_to_invoice": "0.0",
            "untaxed_amount_invoiced": subtotal,
            "nbr": "1",
            "name": "COALESCE(s.name, m.name)",
            "date": "COALESCE(m.invoice_date, m.date)::timestamp",
            "state": "'sale'",
            "invoice_status": "'invoiced'",
            "partner_id": "partner.id",
            "user_id": "COALESCE(s.user_id, m.invoice_user_id)",
            "company_id": "m.company_id",
            "campaign_id": "s.campaign_id",
            "medium_id": "s.medium_id",
            "source_id": "s.source_id",
            "categ_id": "t.categ_id",
            "pricelist_id": "s.pricelist_id",
            "team_id": "COALESCE(s.team_id, m.team_id)",
            "product_tmpl_id": "p.product_tmpl_id",
            "commercial_partner_id": "partner.commercial_partner_id",
            "country_id": "partner.country_id",
            "industry_id": "partner.industry_id",
            "state_id": "partner.state_id",
            "partner_zip": "partner.zip",
            "weight": "0.0",
            "volume": "0.0",
            "discount": "aml.discount",
            "discount_amount": self._channel_to_company_currency(
                f"{sign} * aml.price_unit * aml.quantity * aml.discount / 100.0",
                rate,
            ),
            "order_reference": (
                "CASE WHEN s.id IS NOT NULL THEN concat('sale.order', ',', s.id) END"
            ),
            "channel_source": "'invoice'",
            "channel_commission": self._channel_to_company_currency(
                f"{sign} * aml.channel_commission", rate
            ),
            "distributor_id": "aml.distributor_id",
            "end_customer_id": "aml.end_customer_id",
            "financial_role": "s.financial_role",
            "business_role": "s.business_role",
            "financial_partner_id": "s.financial_partner_id",
            "business_partner_id": "s.business_partner_id",
        }

    def _channel_from_invoice_lines(self):
        """Product lines ``aml`` of posted customer invoices and credit notes
        ``m``, with their first order line ``l`` and its order ``s``."""
        return f"""
            account_move_line aml
            JOIN account_move m ON m.id = aml.move_id
            LEFT JOIN LATERAL (
                SELECT MIN(rel.order_line_id) AS order_line_id
                FROM sale_order_line_invoice_rel rel
                WHERE rel.invoice_line_id = aml.id
            ) sl ON TRUE
            LEFT JOIN sale_order_line l ON l.id = sl.order_line_id
            LEFT JOIN sale_order s ON s.id = l.order_id
            JOIN res_partner partner
                ON partner.id = COALESCE(s.partner_id, m.partner_id)
            LEFT JOIN product_product p ON p.id = aml.product_id
            LEFT JOIN product_template t ON t.id = p.product_tmpl_id
            LEFT JOIN uom_uom u ON u.id = aml.product_uom_id
            LEFT JOIN uom_uom u2 ON u2.id = t.uom_id
            JOIN {self._channel_currency_table()}
                ON account_currency_table.company_id = m.company_id"""

    def _channel_where_posted_lines(self):
        """SQL: ``aml`` is a product line of a posted customer invoice or
        credit note ``m``."""
        return """
            m.state = 'posted'
            AND m.move_type IN ('out_invoice', 'out_refund')
            AND aml.display_type = 'product'"""

    def _channel_where_invoice_lines(self):
        """SQL: the invoice lines that are rows of their own (hook: other
        sources of the channel take theirs out)."""
        return f"""{self._channel_where_posted_lines()}
            AND aml.distributor_id IS NOT NULL"""

    def _query(self):
        values = dict(
            self._channel_invoice_line_values(),
            id=f"{INVOICE_LINE_ID_BASE} + aml.id",
        )
        return (
            super()._query()
            + f"""UNION ALL (
            SELECT {self._channel_select_columns(values)}
            FROM {self._channel_from_invoice_lines()}
            WHERE {self._channel_where_invoice_lines()}
        )
        """
        )
