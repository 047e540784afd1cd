# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

# The report's rows of subscriptions take ids of their own, far above those
# of order lines (the orders' rows) and apart from the negative ids of other
# sources (point of sale): one range per source.
PERIOD_ID_BASE = 1 << 40
SUBSCRIPTION_ID_BASE = 2 << 40


class SaleReport(models.Model):
    """Channel subscriptions in the sales analysis, beside the orders.

    Two sources join the orders' rows:

    * each billed period of a subscription line (on an invoice that is not
      cancelled), dated on the period's start, with the amount billed and the
      distributor's commission on it;
    * each line of a running subscription, dated today, that carries the
      monthly recurring revenue and nothing else.

    The monthly recurring revenue is on the running subscriptions' rows only
    (zero on orders and periods), so that its sum is never counted twice.
    """

    _inherit = "sale.report"
    # Written values of the subscriptions' tables are flushed before the
    # report is read.
    _depends = {
        "channel.contract.period": [
            "contract_line_id",
            "date_start",
            "quantity",
            "price_unit",
            "commission",
        ],
        "account.move.line": ["channel_period_id", "move_id", "balance", "price_total"],
        "account.move": ["state", "invoice_currency_rate"],
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
        [
            ("order", "Order"),
            ("period", "Subscription Period"),
            ("subscription", "Running Subscription"),
        ],
        string="Revenue Source",
        readonly=True,
        help="Order: a line of a sales order. Subscription Period: a period "
        "of a channel subscription billed on an invoice. Running Subscription: "
        "a line of a running channel subscription, with its monthly "
        "recurring revenue.",
    )
    channel_mrr = fields.Monetary(
        string="Monthly Recurring Revenue",
        readonly=True,
        help="What the running channel subscriptions bring each month at "
        "their current price; only on the Running Subscription rows.",
    )

    def _select_additional_fields(self):
        res = super()._select_additional_fields()
        res["channel_source"] = "'order'"
        res["channel_mrr"] = "0.0"
        return res

    # ------------------------------------------------------------------
    # the subscriptions' rows
    # ------------------------------------------------------------------

    def _channel_currency_table(self):
        currency_table = self.env["res.currency"]._get_simple_currency_table(
            self.env.companies
        )
        return self.env.cr.mogrify(currency_table).decode(
            self.env.cr.connection.encoding
        )

    def _channel_to_company_currency(self, amount, rate):
        """SQL of ``amount`` in a document currency of ``rate`` (company
        currency to document currency) converted as the orders' amounts."""
        return (
            f"({amount}) / {self._case_value_or_one(rate)}"
            f" * {self._case_value_or_one('account_currency_table.rate')}"
        )

    def _channel_subscription_fields(self, source):
        """SQL of the report's additional fields on the subscriptions' rows
        of ``source`` ("period" or "subscription"); the fields not given are
        NULL."""
        if source == "period":
            commission = self._channel_to_company_currency(
                "p.commission", "inv.currency_rate"
            )
            mrr = "0.0"
        else:
            commission = "0.0"
            mrr = self._channel_to_company_currency(
                "cl.monthly_recurring", "s.currency_rate"
            )
        return {
            "channel_source": f"'{source}'",
            "channel_mrr": mrr,
            "channel_commission": commission,
            "distributor_id": "c.distributor_id",
            "end_customer_id": "c.end_customer_id",
            "financial_role": "c.financial_role",
            "business_role": "c.business_role",
            "financial_partner_id": "c.partner_id",
            "business_partner_id": "s.business_partner_id",
        }

    def _channel_select_subscription(self, source):
        """The columns of the report, in the orders' order, on the rows of
        ``source``: the periods (``p``, their invoice lines ``inv``) or the
        running subscription lines (``cl``)."""
        period = source == "period"
        quantity = "p.quantity / u.factor * u2.factor" if period else "0.0"
        subtotal = (
            f"inv.balance * {self._case_value_or_one('account_currency_table.rate')}"
            if period
            else "0.0"
        )
        total = (
            f"inv.price_total * "
            f"{self._case_value_or_one('account_currency_table.rate')}"
            if period
            else "0.0"
        )
        price_unit = (
            self._channel_to_company_currency("p.price_unit", "inv.currency_rate")
            if period
            else "0.0"
        )
        if period:
            row_id = f"{PERIOD_ID_BASE} + p.id"
            date = "p.date_start::timestamp"
        else:
            row_id = f"{SUBSCRIPTION_ID_BASE} + cl.id"
            date = f"{self.env.cr.mogrify('%s', [self._channel_today()]).decode()}"
            date += "::timestamp"
        select_ = f"""
            {row_id} AS id,
            cl.product_id AS product_id,
            {"'invoiced'" if period else "'no'"} AS line_invoice_status,
            t.uom_id AS product_uom,
            {quantity} AS product_uom_qty,
            {quantity} AS qty_delivered,
            0.0 AS qty_to_deliver,
            {quantity} AS qty_invoiced,
            0.0 AS qty_to_invoice,
            {price_unit} AS price_unit,
            {total} AS price_total,
            {subtotal} AS price_subtotal,
            0.0 AS untaxed_amount_to_invoice,
            {subtotal} AS untaxed_amount_invoiced,
            {1 if period else 0} AS nbr,
            COALESCE(s.name, c.name) AS name,
            {date} AS date,
            'sale' AS state,
            {"'invoiced'" if period else "'no'"} AS invoice_status,
            c.partner_id AS partner_id,
            c.user_id AS user_id,
            c.company_id AS company_id,
            s.campaign_id AS campaign_id,
            s.medium_id AS medium_id,
            s.source_id AS source_id,
            t.categ_id AS categ_id,
            c.pricelist_id AS pricelist_id,
            s.team_id AS team_id,
            pp.product_tmpl_id AS product_tmpl_id,
            partner.commercial_partner_id AS commercial_partner_id,
            partner.country_id AS country_id,
            partner.industry_id AS industry_id,
            partner.state_id AS state_id,
            partner.zip AS partner_zip,
            0.0 AS weight,
            0.0 AS volume,
            0.0 AS discount,
            0.0 AS discount_amount,
            CASE WHEN s.id IS NOT NULL THEN concat('sale.order', ',', s.id) END
                AS order_reference"""
        values = self._channel_subscription_fields(source)
        for fname in self._select_additional_fields():
            select_ += f""",
            {values.get(fname, "NULL")} AS {fname}"""
        return select_

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
        """Billed periods ``p`` with their invoice lines ``inv`` (in company
        currency; those of cancelled invoices left out)."""
        return f"""
            channel_contract_period p
            JOIN (
                SELECT aml.channel_period_id AS period_id,
                    SUM(-aml.balance) AS balance,
                    SUM(aml.price_total
                        / {self._case_value_or_one("m.invoice_currency_rate")})
                        AS price_total,
                    MAX(m.invoice_currency_rate) AS currency_rate
                FROM account_move_line aml
                JOIN account_move m ON m.id = aml.move_id
                WHERE aml.channel_period_id IS NOT NULL
                    AND m.state != 'cancel'
                GROUP BY aml.channel_period_id
            ) inv ON inv.period_id = p.id
            JOIN contract_line cl ON cl.id = p.contract_line_id
            {self._channel_from_subscription()}"""

    def _channel_today(self):
        return fields.Date.context_today(self)

    def _channel_running_subscriptions(self):
        """SQL of the ids of the running channel subscriptions (their state's
        own definition)."""
        Contract = self.env["contract.contract"].sudo().with_context(active_test=True)
        query = Contract._search(
            [("distributor_id", "!=", False), ("channel_state", "=", "running")]
        )
        return self.env.cr.mogrify(query.select()).decode(
            self.env.cr.connection.encoding
        )

    def _query(self):
        return (
            super()._query()
            + f"""UNION ALL (
            SELECT {self._channel_select_subscription("period")}
            FROM {self._channel_from_period()}
        ) UNION ALL (
            SELECT {self._channel_select_subscription("subscription")}
            FROM contract_line cl
            {self._channel_from_subscription()}
            WHERE cl.display_type IS NULL
                AND cl.is_canceled IS NOT TRUE
                AND cl.contract_id IN ({self._channel_running_subscriptions()})
        )
        """
        )
