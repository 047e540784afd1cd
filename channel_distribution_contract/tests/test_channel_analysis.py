# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import SubscriptionCase


@tagged("post_install", "-at_install")
class TestChannelAnalysis(SubscriptionCase):
    """Subscriptions in the channel analysis (sale.report): a row per posted
    invoice line of a period or change (on the invoice's date), a row per
    line of a subscription still billing with its monthly recurring
    revenue."""

    def _rows(self, domain, groupby, aggregates, report=None):
        self.env.flush_all()
        if report is None:
            report = self.env["sale.report"]
        return report._read_group(domain, groupby, aggregates)

    def _bill(self, distributor, day):
        # the analysis counts posted invoices only
        invoices = super()._bill(distributor, day)
        invoices.filtered(lambda m: m.state == "draft").action_post()
        return invoices

    @staticmethod
    def _of(contract):
        return [("order_reference", "=", f"sale.order,{contract.channel_order_id.id}")]

    def test_billed_periods_are_rows(self):
        contract = self._start_subscription(self.distributor_a, self.customer_a)
        order = contract.channel_order_id
        invoice = self._bill(self.distributor_a, self.start + relativedelta(months=1))
        self.assertEqual(len(contract.channel_period_ids), 2)
        periods = self.env["sale.report"].search(
            self._of(contract) + [("channel_source", "=", "period")], order="date"
        )
        self.assertEqual(len(periods), 2)
        # on the invoice's date, as the posted invoice that bills them
        self.assertEqual(
            periods.mapped("date"),
            [fields.Datetime.to_datetime(invoice.invoice_date)] * 2,
        )
        for row in periods:
            # 3 seats at the Gold price book (80), list price 100
            self.assertAlmostEqual(row.price_subtotal, 240.0)
            self.assertAlmostEqual(row.untaxed_amount_invoiced, 240.0)
            self.assertAlmostEqual(row.channel_commission, 60.0)
            self.assertEqual(row.product_uom_qty, 3)
            self.assertEqual(row.channel_mrr, 0.0)
            self.assertEqual(row.state, "sale")
            self.assertEqual(row.distributor_id, self.distributor_a)
            self.assertEqual(row.end_customer_id, self.customer_a)
            self.assertEqual(row.financial_role, "distributor")
            self.assertEqual(row.business_role, "end_customer")
            self.assertEqual(row.financial_partner_id, self.distributor_a)
            self.assertEqual(row.business_partner_id, order.business_partner_id)
            self.assertEqual(row.product_id, self.product_monthly)
            self.assertEqual(row.user_id, order.user_id)
            self.assertEqual(row.team_id, order.team_id)
            self.assertEqual(row.company_id, contract.company_id)
        # the amounts are those of the periods and of their invoice lines
        self.assertAlmostEqual(
            sum(periods.mapped("channel_commission")),
            sum(contract.channel_period_ids.mapped("commission")),
        )
        self.assertAlmostEqual(
            sum(periods.mapped("price_subtotal")),
            sum(contract.channel_period_ids.move_line_ids.mapped("price_subtotal")),
        )
        # the order's own row is there as before, with no recurring revenue
        [(count, mrr)] = self._rows(
            self._of(contract) + [("channel_source", "=", "order")],
            [],
            ["__count", "channel_mrr:sum"],
        )
        self.assertEqual((count, mrr), (1, 0.0))

    def test_agency_period_commission(self):
        contract = self._start_subscription(self.distributor_b, self.customer_b)
        self._bill(self.distributor_b, self.start)
        rows = self._rows(
            self._of(contract) + [("channel_source", "=", "period")],
            ["distributor_id", "financial_partner_id"],
            ["price_subtotal:sum", "channel_commission:sum"],
        )
        # end customer's price 100, Silver price book 90
        self.assertEqual(rows, [(self.distributor_b, self.customer_b, 300.0, 30.0)])

    def test_cancelled_invoice_bills_no_period(self):
        contract = self._start_subscription(self.distributor_a, self.customer_a)
        invoice = self._bill(self.distributor_a, self.start)
        period = self._of(contract) + [("channel_source", "=", "period")]
        self.assertEqual(self._rows(period, [], ["__count"]), [(1,)])
        # a draft counts nothing
        invoice.button_draft()
        self.assertEqual(self._rows(period, [], ["__count"]), [(0,)])
        invoice.button_cancel()
        self.assertEqual(self._rows(period, [], ["__count"]), [(0,)])

    def test_mrr_per_distributor(self):
        running = self._start_subscription(
            self.distributor_a,
            self.customer_a,
            [(self.product_monthly, 3), (self.product_arrears, 2)],
        )
        running_too = self._start_subscription(self.distributor_a, self.customer_a)
        ending = self._start_subscription(self.distributor_a, self.customer_a)
        ending._channel_cancel()
        ended = self._start_subscription(self.distributor_a, self.customer_a)
        ended._channel_cancel(self.start)
        agency = self._start_subscription(self.distributor_b, self.customer_b)
        self._bill(self.distributor_a, self.start)
        Contract = self.env["contract.contract"]
        self.assertEqual(ending.channel_state, "ending")
        self.assertEqual(ended.channel_state, "ended")
        self.assertEqual(
            Contract.search(
                [
                    (
                        "distributor_id",
                        "in",
                        (self.distributor_a | self.distributor_b).ids,
                    ),
                    ("channel_state", "=", "running"),
                ]
            ),
            running | running_too | agency,
        )
        rows = self._rows(
            [("distributor_id", "in", (self.distributor_a | self.distributor_b).ids)],
            ["distributor_id"],
            ["channel_mrr:sum"],
        )
        # every subscription still billing counts, the ending one too
        expected = {
            self.distributor_a: running.channel_mrr
            + running_too.channel_mrr
            + ending.channel_mrr,
            self.distributor_b: agency.channel_mrr,
        }
        self.assertEqual(dict(rows), expected)
        # Gold price book 80: 5 + 3 + 3 units; agency: the end customer's 100
        self.assertEqual(
            dict(rows), {self.distributor_a: 880.0, self.distributor_b: 300.0}
        )
        # one row per line of a subscription still billing, none for the
        # ended one
        lines = self._rows(
            [("channel_source", "=", "subscription")]
            + [("distributor_id", "in", (self.distributor_a | self.distributor_b).ids)],
            ["order_reference"],
            ["__count"],
        )
        self.assertEqual(
            dict(lines),
            {
                f"sale.order,{running.channel_order_id.id}": 2,
                f"sale.order,{running_too.channel_order_id.id}": 1,
                f"sale.order,{ending.channel_order_id.id}": 1,
                f"sale.order,{agency.channel_order_id.id}": 1,
            },
        )
        # the ending and ended subscriptions still show their billed periods
        self.assertTrue(
            self._rows(
                self._of(ending) + [("channel_source", "=", "period")],
                [],
                ["__count"],
            )[0][0]
        )

    def test_recurring_action(self):
        contract = self._start_subscription(self.distributor_a, self.customer_a)
        self._bill(self.distributor_a, self.start)
        action = self.env.ref(
            "channel_distribution_contract.action_channel_sale_report_recurring"
        )
        domain = safe_eval(action.domain)
        rows = self._rows(domain + self._of(contract), ["channel_source"], ["__count"])
        self.assertEqual(dict(rows), {"period": 1, "subscription": 1})
        self.assertIn("channel_mrr", safe_eval(action.context)["pivot_measures"])
        arch = self.env["sale.report"].get_views([(False, "search")])["views"][
            "search"
        ]["arch"]
        for name in ("filter_channel_periods", "filter_channel_running"):
            self.assertIn(f'name="{name}"', arch)
        menu = self.env.ref("channel_distribution_contract.menu_channel_mrr")
        self.assertEqual(menu.action, action)

    def test_record_rules(self):
        """A salesman on his own documents sees only his subscriptions' rows
        in the standard sales analysis; a portal user reads nothing."""
        groups = "sales_team.group_sale_salesman"
        mine = new_test_user(self.env, "t_analysis_mine", groups=groups)
        other = new_test_user(self.env, "t_analysis_other", groups=groups)
        own = self._start_subscription(
            self.distributor_a, self.customer_a, user_id=mine.id
        )
        theirs = self._start_subscription(
            self.distributor_a, self.customer_a, user_id=other.id
        )
        self.assertEqual(own.user_id, mine)
        self._bill(self.distributor_a, self.start)
        self.env.flush_all()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale.action_order_report_all"
        )
        report = self.env["sale.report"].with_user(mine)
        domain = safe_eval(action.get("domain") or "[]")
        rows = self._rows(
            domain + [("distributor_id", "=", self.distributor_a.id)],
            ["user_id", "channel_source"],
            ["price_subtotal:sum", "channel_mrr:sum"],
            report=report,
        )
        self.assertEqual(
            rows,
            [
                (mine, "order", 240.0, 0.0),
                (mine, "period", 240.0, 0.0),
                (mine, "subscription", 0.0, 240.0),
            ],
        )
        seen = report.search([("distributor_id", "=", self.distributor_a.id)])
        self.assertNotIn(
            f"sale.order,{theirs.channel_order_id.id}",
            [f"{r._name},{r.id}" for r in seen.mapped("order_reference")],
        )
        # the whole report still reads for him (no error from the union)
        self.assertTrue(report._read_group([], ["user_id"], ["price_subtotal:sum"]))
        portal = new_test_user(
            self.env, "t_analysis_portal", groups="base.group_portal"
        )
        with self.assertRaises(AccessError):
            self.env["sale.report"].with_user(portal).search_read(
                [], ["price_subtotal"]
            )

    def test_pending_writes_are_read(self):
        """The report reads what was written in the transaction, flushed or
        not: a subscription archived a moment ago has no MRR any more."""
        contract = self._start_subscription(self.distributor_a, self.customer_a)
        running = self._of(contract) + [("channel_source", "=", "subscription")]
        self.env.flush_all()
        self.assertEqual(
            self.env["sale.report"]._read_group(running, [], ["__count"]), [(1,)]
        )
        contract.active = False
        self.assertEqual(
            self.env["sale.report"]._read_group(running, [], ["__count"]), [(0,)]
        )

    def test_no_two_fields_share_a_label(self):
        """Odoo warns at install when two fields of a model have one label;
        on the sales analysis ours was *Source*, as sale's UTM source."""
        for model in (
            "sale.report",
            "sale.order",
            "contract.contract",
            "contract.line",
        ):
            labels = {}
            for name, field in self.env[model]._fields.items():
                if field.string in labels:
                    self.fail(
                        f"{model}: {labels[field.string]} and {name} are both "
                        f"labelled {field.string!r}"
                    )
                labels[field.string] = name
