# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict
from datetime import date, datetime

from freezegun import freeze_time
from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import dateutil, safe_eval, time

from .common import SubscriptionCase


@tagged("post_install", "-at_install")
class TestAnalysisReconciles(SubscriptionCase):
    """The channel analysis per distributor and month reconciles to the cent
    with the posted invoices and credit notes (issue 25, item 12).

    Gold distributor, resale: list price 100, a unit billed 80, commission
    20 a unit. April and June 2027 have 30 days."""

    def _default_domain(self, xmlid):
        """The domain of the menu's action and of the filters its view
        applies by default (``search_default_*``)."""
        action = self.env.ref(xmlid)
        context = safe_eval(action.context or "{}")
        domain = safe_eval(action.domain or "[]")
        arch = self.env["sale.report"].get_views(
            [(action.search_view_id.id or False, "search")]
        )["views"]["search"]["arch"]
        filters = {
            node.get("name"): node for node in etree.fromstring(arch).iter("filter")
        }
        evaluation = {
            "context_today": lambda: datetime.now().date(),
            "datetime": safe_datetime,
            "dateutil": dateutil,
            "time": time,
        }
        for key, value in context.items():
            if not key.startswith("search_default_") or not value:
                continue
            node = filters[key[len("search_default_") :]]
            if node.get("domain"):
                domain += safe_eval(node.get("domain"), evaluation)
        return domain, context.get("pivot_measures") or []

    def _analysis(self, xmlid, distributor):
        """{month: (revenue, commission)} of the menu's default view."""
        domain, measures = self._default_domain(xmlid)
        self.assertIn("price_subtotal", measures)
        self.assertIn("channel_commission", measures)
        self.env.flush_all()
        rows = self.env["sale.report"]._read_group(
            domain + [("distributor_id", "=", distributor.id)],
            ["date:month"],
            ["price_subtotal:sum", "channel_commission:sum"],
        )
        return {
            (month.date() if isinstance(month, datetime) else month): (
                self.currency.round(revenue),
                self.currency.round(commission),
            )
            for month, revenue, commission in rows
        }

    def _posted(self, distributor):
        """{month: (revenue, commission)} of the distributor's posted
        invoice and credit note lines, signed."""
        lines = self.env["account.move.line"].search(
            [
                ("distributor_id", "=", distributor.id),
                ("parent_state", "=", "posted"),
                ("display_type", "=", "product"),
                ("move_id.move_type", "in", ("out_invoice", "out_refund")),
            ]
        )
        totals = defaultdict(lambda: [0.0, 0.0])
        for line in lines:
            sign = -1 if line.move_id.move_type == "out_refund" else 1
            month = line.move_id.invoice_date.replace(day=1)
            totals[month][0] += sign * line.price_subtotal
            totals[month][1] += sign * line.channel_commission
        return {
            month: (self.currency.round(revenue), self.currency.round(commission))
            for month, (revenue, commission) in totals.items()
        }

    def test_walk_reconciles_per_distributor_and_month(self):
        distributor = self.distributor_a
        with freeze_time("2027-04-01"):
            # one order: 2 services (2 x 80 = 160) and 3 seats from April
            # 1st, a subscription of its own (3 x 80 = 240 a month)
            contract = self._start_subscription(
                distributor,
                self.customer_a,
                [(self.product_monthly, 3), (self.product_service, 2)],
                start=date(2027, 4, 1),
            )
            line = contract.contract_line_ids
            draft = self._bill(distributor, date(2027, 4, 1))
            self.assertEqual(draft.amount_untaxed, 400.0)
            # a draft cancelled gives its order lines and period back
            draft.button_cancel()
            april = self._bill(distributor, date(2027, 4, 1))
            self.assertEqual(april.amount_untaxed, 400.0)
            april.action_post()
        with freeze_time("2027-04-10"):
            # an order confirmed, then cancelled before it is billed
            cancelled = self._create_order(
                distributor, self.customer_a, [(self.product_setup, 1)]
            )
            cancelled.action_confirm()
            cancelled.with_context(disable_cancel_warning=True).action_cancel()
            self.assertEqual(cancelled.state, "cancel")
        with freeze_time("2027-04-17"):
            # 3 -> 5 seats from April 17th: +2 x 80 x 14/30 = 74.67
            charge = line._channel_change_quantity(5)
            self.assertEqual(charge.amount, 74.67)
        with freeze_time("2027-05-01"):
            # May: 5 x 80 = 400 and the charge 74.67
            may = self._bill(distributor, date(2027, 5, 1))
            self.assertEqual(may.amount_untaxed, 474.67)
            may.action_post()
        with freeze_time("2027-05-10"):
            # finance credits May in full (a plain credit note): it stays
            # credited
            credit = self._reverse(may)
            credit.action_post()
            self.assertEqual(credit.amount_untaxed, 474.67)
        with freeze_time("2027-05-20"):
            setup = self._create_order(
                distributor, self.customer_a, [(self.product_setup, 1)]
            )
            setup.action_confirm()
        with freeze_time("2027-06-01"):
            # June: 5 x 80 = 400 and the setup 200 (250 less 20 %)
            june = self._bill(distributor, date(2027, 6, 1))
            self.assertEqual(june.amount_untaxed, 600.0)
            june.action_post()
        with freeze_time("2027-06-05"):
            # "Reverse and Create Invoice": -600 and +600
            rebilled = self._reverse(june, modify=True)
            rebilled.action_post()
            self.assertEqual(rebilled.amount_untaxed, 600.0)
        with freeze_time("2027-06-17"):
            # 5 -> 4 seats from June 17th: -1 x 80 x 14/30 = -37.33
            refund = line._channel_change_quantity(4)
            self.assertEqual(refund.amount, -37.33)
        with freeze_time("2027-07-01"):
            # July: 4 x 80 = 320; the credit on a credit note of the rebilled
            # June invoice
            july = self._bill(distributor, date(2027, 7, 1))
            july.action_post()
            self.assertEqual(
                sorted(july.mapped(lambda m: (m.move_type, m.amount_untaxed))),
                [("out_invoice", 320.0), ("out_refund", 37.33)],
            )
            self.assertEqual(
                july.filtered(lambda m: m.move_type == "out_refund").reversed_entry_id,
                rebilled,
            )
            posted = self._posted(distributor)
            # commission 20 a unit, prorated as the amounts
            self.assertEqual(
                posted,
                {
                    # 160 + 240; 2 x 20 + 3 x 20
                    date(2027, 4, 1): (400.0, 100.0),
                    # 474.67 - 474.67; (100 + 18.67) - (100 + 18.67)
                    date(2027, 5, 1): (0.0, 0.0),
                    # 600 - 600 + 600; 150 - 150 + 150
                    date(2027, 6, 1): (600.0, 150.0),
                    # 320 - 37.33; 80 - 9.33
                    date(2027, 7, 1): (282.67, 70.67),
                },
            )
            for xmlid in (
                "channel_distribution.action_channel_sale_report",
                "channel_distribution_contract.action_channel_sale_report_recurring",
            ):
                analysis = self._analysis(xmlid, distributor)
                if xmlid.endswith("recurring"):
                    # the subscription's part: all but the services (160,
                    # commission 40) and the setup (200, commission 50)
                    expected = dict(posted)
                    expected[date(2027, 4, 1)] = (240.0, 60.0)
                    expected[date(2027, 6, 1)] = (400.0, 100.0)
                    # the running subscription's row carries only its MRR
                    expected[date(2027, 7, 1)] = (282.67, 70.67)
                else:
                    expected = posted
                with self.subTest(xmlid):
                    self.assertEqual(analysis, expected)
            # one commission figure per distributor: partner form, analysis,
            # invoices
            distributor.invalidate_recordset(["distributor_commission"])
            self.assertEqual(
                self.currency.round(distributor.distributor_commission), 320.67
            )
            moves = self.env["account.move"].search(
                [("channel_distributor_id", "=", distributor.id)]
            )
            self.assertEqual(
                self.currency.round(
                    sum(
                        (-1 if move.move_type == "out_refund" else 1)
                        * move.channel_commission
                        for move in moves.filtered(lambda m: m.state == "posted")
                    )
                ),
                320.67,
            )
