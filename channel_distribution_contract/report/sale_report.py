# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

# The report's rows of subscriptions take ids of their own, far above those
# of order lines (the orders' rows) and apart from the negative ids of other
# sources (point of sale) and from the invoiced orders' range: one range per
# source.
PERIOD_ID_BASE = 1 << 40
SUBSCRIPTION_ID_BASE = 2 << 40


class SaleReport(models.Model):
    """Channel subscriptions in the sales analysis, beside the orders.

    Two sources join the orders' and the invoiced orders' rows:

    * each product line of a posted invoice or credit note that bills or
      credits a channel subscription (a period, a prorated change, their
      credits), dated on the invoice's date, with its amount and the
      distributor's commission on it, negative on a credit note;
    * each line of a subscription still billing (running or ending), dated
      today, that carries the monthly recurring revenue and nothing else.

    The monthly recurring revenue is on the subscriptions' rows only (zero
    elsewhere), so that its sum is never counted twice; the subscription
    lines' invoice lines are rows of this source only, not of the invoiced
    orders'.
    """

    _inherit = "sale.report"
    # Written values of the subscriptions' tables are flushed before the
    # report is read.
    _depends = {
        "account.move.line": ["contract_line_id"],
        "contract.line": [
            "contract_id",
            "product_id",
            "uom_id",
            "display_type",
            "is_canceled",
            "is_auto_renew",
            "date_end",
            "monthly_recurring",
        ],
        "contract.contract": [
            "name",
            "active",
            "company_id",
            "partner_id",
            "user_id",
            "pricelist_id",
            "distributor_id",
            "end_customer_id",
            "financial_role",
            "business_role",
            "channel_order_id",
            "channel_cancel_date",
            "date_end",
        ],
    }

    channel_source = fields.Selection(
        selection_add=[
            ("period", "Subscription Period"),
            ("subscription", "Running Subscription"),
        ],
        help="Order: a line of a sales order, on the order's date. Invoiced: a "
        "line of a posted invoice or credit note of a channel order, on the "
        "invoice's date. Subscription Period: a line of a posted invoice or "
        "credit note that bills or credits a period of a channel subscription "
        "or a prorated change, on the invoice's date (negative on a credit "
        "note). Running Subscription: a line of a channel subscription still "
        "billing, with its monthly recurring revenue.",
    )
    channel_mrr = fields.Monetary(
        string="Monthly Recurring Revenue",
        readonly=True,
        help="What the channel subscriptions still billing (running or "
        "ending) bring each month at their current price; only on the "
        "Running Subscription rows.",
    )

    def _select_additional_fields(self):
        res = super()._select_additional_fields()
        res["channel_mrr"] = "0.0"
        return res

    # ------------------------------------------------------------------
    # the subscriptions' rows
    # ------------------------------------------------------------------

    def _channel_invoice_line_values(self):
        return dict(super()._channel_invoice_line_values(), channel_mrr="0.0")

    def _channel_where_invoice_lines(self):
        # the subscriptions' lines are rows of their own (periods)
        return (
            super()._channel_where_invoice_lines()
            + """
            AND aml.contract_line_id IS NULL"""
        )

    def _channel_subscription_values(self):
        """{column: SQL} of the subscription line ``cl`` of the subscription
        ``c``, started by the order ``s``, of partner ``partner``."""
        return {
            "product_id": "cl.product_id",
            "product_uom": "t.uom_id",
            "name": "COALESCE(s.name, c.name)",
            "state": "'sale'",
            "partner_id": "c.partner_id",
            "user_id": "c.user_id",
            "company_id": "c.company_id",
            "campaign_id": "s.campaign_id",
            "medium_id": "s.medium_id",
            "source_id": "s.source_id",
            "categ_id": "t.categ_id",
            "pricelist_id": "c.pricelist_id",
            "team_id": "s.team_id",
            "product_tmpl_id": "pp.product_tmpl_id",
            "commercial_partner_id": "partner.commercial_partner_id",
            "country_id": "partner.country_id",
            "industry_id": "partner.industry_id",
            "state_id": "partner.state_id",
            "partner_zip": "partner.zip",
            "order_reference": (
                "CASE WHEN s.id IS NOT NULL THEN concat('sale.order', ',', s.id) END"
            ),
            "distributor_id": "c.distributor_id",
            "end_customer_id": "c.end_customer_id",
            "financial_role": "c.financial_role",
            "business_role": "c.business_role",
            "financial_partner_id": "c.partner_id",
            "business_partner_id": "s.business_partner_id",
        }

    def _channel_period_values(self):
        """{column: SQL} of a row of a posted invoice line ``aml`` (of the
        move ``m``) billing or crediting the subscription line ``cl``."""
        values = self._channel_invoice_line_values()
        values.update(self._channel_subscription_values())
        values.update(
            {
                "id": f"{PERIOD_ID_BASE} + aml.id",
                "product_id": "aml.product_id",
                "channel_source": "'period'",
                "channel_mrr": "0.0",
            }
        )
        return values

    def _channel_running_values(self):
        """{column: SQL} of a row of a subscription line ``cl`` still
        billing: its monthly recurring revenue, today."""
        today = self.env.cr.mogrify("%s", [self._channel_today()]).decode()
        values = dict.fromkeys(
            (
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
                "weight",
                "volume",
                "discount",
                "discount_amount",
                "channel_commission",
            ),
            "0.0",
        )
        values.update(self._channel_subscription_values())
        values.update(
            {
                "id": f"{SUBSCRIPTION_ID_BASE} + cl.id",
                "line_invoice_status": "'no'",
                "invoice_status": "'no'",
                "date": f"{today}::timestamp",
                "channel_source": "'subscription'",
                "channel_mrr": self._channel_to_company_currency(
                    "cl.monthly_recurring", "s.currency_rate"
                ),
            }
        )
        return values

    def _channel_from_subscription(self):
        """The subscription line ``cl``, its subscription ``c``, the order
        that started it ``s``, its partner, product and units."""
        return f"""
            JOIN contract_contract c ON c.id = cl.contract_id
            LEFT JOIN sale_order s ON s.id = c.channel_order_id
            JOIN res_partner partner ON partner.id = c.partner_id
            LEFT JOIN product_product pp ON pp.id = cl.product_id
            LEFT JOIN product_template t ON t.id = pp.product_tmpl_id
            LEFT JOIN uom_uom u ON u.id = cl.uom_id
            LEFT JOIN uom_uom u2 ON u2.id = t.uom_id
            JOIN {self._channel_currency_table()}
                ON account_currency_table.company_id = c.company_id"""

    def _channel_from_period(self):
        """Product lines ``aml`` of posted invoices and credit notes ``m``
        of channel subscription lines ``cl``."""
        return f"""
            account_move_line aml
            JOIN account_move m ON m.id = aml.move_id
            JOIN contract_line cl ON cl.id = aml.contract_line_id
            {self._channel_from_subscription()}"""

    def _channel_today(self):
        return fields.Date.context_today(self)

    def _channel_billing_subscriptions(self):
        """SQL of the ids of the channel subscriptions still billing
        (running or ending; their state's own definition)."""
        Contract = self.env["contract.contract"].sudo().with_context(active_test=True)
        query = Contract._search(
            [
                ("distributor_id", "!=", False),
                ("channel_state", "in", ("running", "ending")),
            ]
        )
        return self.env.cr.mogrify(query.select()).decode(
            self.env.cr.connection.encoding
        )

    def _query(self):
        return (
            super()._query()
            + f"""UNION ALL (
            SELECT {self._channel_select_columns(self._channel_period_values())}
            FROM {self._channel_from_period()}
            WHERE {self._channel_where_posted_lines()}
                AND c.distributor_id IS NOT NULL
        ) UNION ALL (
            SELECT {self._channel_select_columns(self._channel_running_values())}
            FROM contract_line cl
            {self._channel_from_subscription()}
            WHERE cl.display_type IS NULL
                AND cl.is_canceled IS NOT TRUE
                AND cl.contract_id IN ({self._channel_billing_subscriptions()})
        )
        """
        )
