# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SubscriptionCase

# January 2027 has 31 days: the prorations below are in 31sts.
JAN_1 = date(2027, 1, 1)
FEB_1 = date(2027, 2, 1)


@tagged("post_install", "-at_install")
class TestSubscriptionPrices(SubscriptionCase):
    """At which price a period and a change are billed, to the cent, and the
    service dates of each invoice line. Distributor A is on the Gold book
    (20 % off the list price of 100: 80); the clock is set per step."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_yearly = cls._create_product_yearly()

    def _subscribe_on(self, day, lines, price=None, **line_vals):
        """Confirm on ``day`` an order of distributor A of recurring
        ``lines`` starting that day, sold at ``price`` when given; return
        its subscription."""
        with freeze_time(day):
            vals = self._order_vals(self.distributor_a, self.customer_a, lines)
            for command in vals["order_line"]:
                command[2].update(date_start=day, **line_vals)
            order = self.env["sale.order"].create(vals)
            if price is not None:
                order.order_line.price_unit = price
            order.action_confirm()
        return self.env["contract.contract"].search(
            [("channel_order_id", "=", order.id)]
        )

    def _bill_on(self, day):
        with freeze_time(day):
            return self._bill(self.distributor_a, day)

    def _change_on(self, line, quantity, day):
        with freeze_time(day):
            return line._channel_change_quantity(quantity, day)

    @staticmethod
    def _billed(move_lines):
        """What ``move_lines`` bill, signed (a credit is negative), on an
        invoice or on a credit note alike."""
        return -sum(move_lines.mapped("balance"))

    def assertCents(self, value, expected):
        """``value`` is ``expected`` to the cent, and no fraction of one."""
        self.assertAlmostEqual(value, expected, places=6)

    @staticmethod
    def _period(contract, start):
        return contract.channel_period_ids.filtered(lambda p: p.date_start == start)

    # ------------------------------------------------------------------
    # 4. a negotiated price is the subscription's price
    # ------------------------------------------------------------------

    def test_negotiated_price_kept_for_the_term(self):
        """5 seats sold at 70 where the book says 80: every period bills 70,
        a price-book change does not touch it."""
        contract = self._subscribe_on(JAN_1, [(self.product_monthly, 5)], price=70.0)
        line = contract.contract_line_ids
        self.assertTrue(line.channel_price_fixed)
        self.assertCents(line.price_unit, 70.0)
        self.assertCents(contract.channel_mrr, 350.0)  # 5 x 70
        self.assertCents(contract.channel_next_amount, 350.0)
        january = self._bill_on(JAN_1)
        self.assertCents(january.amount_untaxed, 350.0)  # 5 x 70, not 5 x 80
        # resale commission: list 100 - 70 paid = 30 a seat x 5 = 150
        self.assertCents(contract.channel_period_ids.commission, 150.0)
        # the distributor moves to Silver (90): the agreed 70 stays
        self.distributor_a.distributor_tier_id = self.tier_silver
        contract.invalidate_recordset(["channel_next_amount"])
        self.assertCents(contract.channel_next_amount, 350.0)
        february = self._bill_on(FEB_1)
        self.assertCents(february.amount_untaxed, 350.0)  # 5 x 70
        self.assertCents(self._period(contract, FEB_1).price_unit, 70.0)
        self.assertCents(self._period(contract, FEB_1).commission, 150.0)
        self.assertCents(line.price_unit, 70.0)
        self.assertCents(contract.channel_mrr, 350.0)

    def test_book_price_follows_the_book(self):
        """Sold at the book's 80: the line follows the book from the next
        period (Silver: 90)."""
        contract = self._subscribe_on(JAN_1, [(self.product_monthly, 5)])
        line = contract.contract_line_ids
        self.assertFalse(line.channel_price_fixed)
        self.assertCents(self._bill_on(JAN_1).amount_untaxed, 400.0)  # 5 x 80
        self.distributor_a.distributor_tier_id = self.tier_silver
        self.assertCents(self._bill_on(FEB_1).amount_untaxed, 450.0)  # 5 x 90
        self.assertCents(contract.channel_mrr, 450.0)
        # a channel manager sets a price of its own: it is negotiated now,
        # and March is billed at it, not at the book's 90
        line.price_unit = 85.0
        self.assertTrue(line.channel_price_fixed)
        self.assertCents(
            self._bill_on(date(2027, 3, 1)).amount_untaxed, 425.0
        )  # 5 x 85
        self.assertCents(line.price_unit, 85.0)

    # ------------------------------------------------------------------
    # 5. a change is prorated at the price its period was billed at
    # ------------------------------------------------------------------

    def test_change_prorated_at_the_price_billed(self):
        contract = self._subscribe_on(JAN_1, [(self.product_monthly, 5)])
        january = self._bill_on(JAN_1)
        self.assertCents(january.amount_untaxed, 400.0)  # 5 x 80
        # a credit corrects a posted invoice (of a draft, it waits)
        january.action_post()
        # Jan 22: the Gold book goes to 10 % off (90 a seat)
        self.book_gold.item_ids.percent_price = 10
        adjustment = self._change_on(contract.contract_line_ids, 3, date(2027, 1, 26))
        # Jan 26 to 31 is 6 of 31 days, at the 80 January was billed at:
        # -2 x 80 x 6/31 = -960/31 = -30.967… → -30.97 (not -2 x 90 x 6/31
        # = -34.84)
        self.assertCents(adjustment.price_unit, 80.0)
        self.assertCents(adjustment.amount, -30.97)
        self._bill_on(FEB_1)
        self.assertCents(self._billed(adjustment.move_line_id), -30.97)
        # February is a new period: the new book, 3 x 90 = 270
        self.assertCents(
            self._billed(self._period(contract, FEB_1).move_line_ids), 270.0
        )

    # ------------------------------------------------------------------
    # 6. prorations exact to the cent: quantity x price x ratio, rounded once
    # ------------------------------------------------------------------

    def test_prorations_rounded_once(self):
        grown = self._subscribe_on(JAN_1, [(self.product_monthly, 2)])
        shrunk = self._subscribe_on(JAN_1, [(self.product_monthly, 10)])
        # a credit corrects a posted invoice (of a draft, it waits)
        self._bill_on(JAN_1).action_post()
        charge = self._change_on(grown.contract_line_ids, 5, date(2027, 1, 20))
        credit = self._change_on(shrunk.contract_line_ids, 1, date(2027, 1, 10))
        # Jan 20 to 31, 12 of 31 days: +3 x 80 x 12/31 = 2880/31 = 92.903…
        # → 92.90 (the unit price rounded first: 3 x 30.97 = 92.91)
        self.assertCents(charge.amount, 92.90)
        # Jan 10 to 31, 22 of 31 days: -9 x 80 x 22/31 = -15840/31
        # = -510.967… → -510.97 (rounded first: 9 x 56.77 = 510.93)
        self.assertCents(credit.amount, -510.97)
        # the form and the portal: the next period and the change to bill
        # on the next invoice; a credit of a billed period goes on a credit
        # note of January's invoice, not on it
        self.assertCents(grown.channel_next_amount, 492.90)  # 5 x 80 + 92.90
        self.assertCents(shrunk.channel_next_amount, 80.0)  # 1 x 80
        self._bill_on(FEB_1)
        for adjustment, amount in ((charge, 92.90), (credit, -510.97)):
            move_line = adjustment.move_line_id
            self.assertCents(self._billed(move_line), amount)
            # the invoice line's own figures give its subtotal
            self.assertCents(abs(move_line.price_subtotal), abs(amount))
            self.assertCents(
                abs(
                    move_line.quantity
                    * move_line.price_unit
                    * (1 - move_line.discount / 100)
                ),
                abs(amount),
            )

    # ------------------------------------------------------------------
    # 7. a period is priced for its length
    # ------------------------------------------------------------------

    def test_stretched_recurrence_refused(self):
        """The book prices the product's period (a month): a line billed
        every 12 months would bill a year at a month's price."""
        contract = self._subscribe_on(JAN_1, [(self.product_monthly, 5)])
        line = contract.contract_line_ids
        with self.assertRaisesRegex(UserError, "every 1 Month"):
            line.write({"recurring_interval": 12})
        with self.assertRaisesRegex(UserError, "every 1 Month"):
            line.write({"recurring_rule_type": "yearly"})
        self.assertEqual(line.recurring_rule_type, "monthly")
        self.assertEqual(line.recurring_interval, 1)
        # the same recurrence written again is no change
        line.write({"recurring_rule_type": "monthly", "recurring_interval": 1})
        # nor sold stretched on an order
        with self.assertRaisesRegex(UserError, "every 1 Month"):
            self._subscribe_on(
                JAN_1, [(self.product_monthly, 5)], recurring_interval=12
            )
        self.assertCents(self._bill_on(JAN_1).amount_untaxed, 400.0)  # 5 x 80
        # nor the product's period stretched under its running subscriptions
        # (they would be billed a month at a year's price)
        with self.assertRaisesRegex(UserError, "running subscription"):
            self.product_monthly.recurring_rule_type = "yearly"
        self.env.invalidate_all()  # the refused write rolled back
        self.assertEqual(self.product_monthly.recurring_rule_type, "monthly")
        # a product without running subscriptions may change its period
        self.product_yearly.recurring_interval = 2

    # ------------------------------------------------------------------
    # 9. every invoice line of a period or a change carries its dates
    # ------------------------------------------------------------------

    def test_invoice_lines_carry_service_dates(self):
        contract = self._subscribe_on(
            JAN_1,
            [
                (self.product_monthly, 5),
                (self.product_yearly, 1),
                (self.product_arrears, 4),
            ],
        )
        monthly, arrears = (
            contract.contract_line_ids.filtered(lambda line, p=p: line.product_id == p)
            for p in (self.product_monthly, self.product_arrears)
        )
        january = self._bill_on(JAN_1)
        # 5 x 80 + 1 x 1200 x 0.8 = 400 + 960 = 1360 (arrears: not yet)
        self.assertCents(january.amount_untaxed, 1360.0)
        for section in self._sections(january):
            self.assertFalse(section.start_date)
            self.assertFalse(section.end_date)
        dates = {
            line.product_id: (line.start_date, line.end_date)
            for line in self._products(january)
        }
        self.assertEqual(
            dates,
            {
                self.product_monthly: (JAN_1, date(2027, 1, 31)),
                self.product_yearly: (JAN_1, date(2027, 12, 31)),
            },
        )
        yearly_line = self._products(january).filtered(
            lambda line: line.product_id == self.product_yearly
        )
        self.assertCents(self._billed(yearly_line), 960.0)
        # a credit corrects a posted invoice (of a draft, it waits)
        january.action_post()
        credit = self._change_on(monthly, 3, date(2027, 1, 26))
        charge = self._change_on(arrears, 2, date(2027, 1, 11))
        february = self._bill_on(FEB_1)
        # the credit: Jan 26 to 31 of a period billed in advance,
        # -2 x 80 x 6/31 = -30.97
        self.assertEqual(
            (credit.move_line_id.start_date, credit.move_line_id.end_date),
            (date(2027, 1, 26), date(2027, 1, 31)),
        )
        self.assertCents(self._billed(credit.move_line_id), -30.97)
        # in arrears the period is billed at the new 2: the 10 days before
        # the change at the old 4, +2 x 80 x 10/31 = 1600/31 = 51.612… → 51.61
        self.assertEqual(
            (charge.move_line_id.start_date, charge.move_line_id.end_date),
            (JAN_1, date(2027, 1, 10)),
        )
        self.assertCents(self._billed(charge.move_line_id), 51.61)
        periods = self._period(contract, FEB_1).filtered(
            lambda p: p.contract_line_id == monthly
        ) | self._period(contract, JAN_1).filtered(
            lambda p: p.contract_line_id == arrears
        )
        self.assertEqual(
            {
                (p.contract_line_id, line.start_date, line.end_date)
                for p in periods
                for line in p.move_line_ids
            },
            {
                (monthly, FEB_1, date(2027, 2, 28)),
                (arrears, JAN_1, date(2027, 1, 31)),
            },
        )
        # 3 x 80 (February) + 2 x 80 (January in arrears) - 30.97 + 51.61
        # = 240 + 160 - 30.97 + 51.61 = 420.64
        self.assertCents(
            self._billed(
                (february | credit.move_line_id.move_id).invoice_line_ids.filtered(
                    lambda line: line.display_type == "product"
                )
            ),
            420.64,
        )

    # ------------------------------------------------------------------
    # 8. a pre-paid period is billed before it starts
    # ------------------------------------------------------------------

    def test_prepaid_period_billed_before_it_starts(self):
        """Distributor A is billed on the 1st of each month; a subscription
        starts on Dec 15: each run bills the pre-paid periods that start
        before the next run, and the Next Invoice is the run that bills."""
        dec_10, dec_15, mar_1 = date(2026, 12, 10), date(2026, 12, 15), date(2027, 3, 1)
        with freeze_time(dec_10):
            self.distributor_a.write(
                {"channel_invoicing_period": "monthly", "channel_invoicing_monthday": 1}
            )
            self.assertEqual(self.distributor_a.channel_invoicing_next_date, JAN_1)
        contract = self._subscribe_on(
            dec_15, [(self.product_monthly, 5), (self.product_arrears, 2)]
        )
        seat, usage = (
            contract.contract_line_ids.filtered(lambda line, p=p: line.product_id == p)
            for p in (self.product_monthly, self.product_arrears)
        )
        with freeze_time(JAN_1):
            self.env["sale.order"]._cron_create_distributor_invoices()
        january = contract.channel_period_ids.move_line_ids.move_id
        self.assertEqual(len(january), 1)
        # Dec 15 - Jan 14 (late: no run since it started) and Jan 15 - Feb 14,
        # which starts before the Feb 1 run: 2 x 5 x 80 = 800; the period in
        # arrears (Dec 15 - Jan 14) is not over
        self.assertEqual(
            sorted(
                (line.start_date, line.end_date) for line in self._products(january)
            ),
            [(dec_15, date(2027, 1, 14)), (date(2027, 1, 15), date(2027, 2, 14))],
        )
        self.assertCents(january.amount_untaxed, 800.0)
        self.assertEqual(self.distributor_a.channel_invoicing_next_date, FEB_1)
        # next: Feb 15 - Mar 14 in advance and Dec 15 - Jan 14 in arrears,
        # both on the Feb 1 run
        self.assertEqual(seat.recurring_next_date, date(2027, 2, 15))
        self.assertEqual(usage.recurring_next_date, date(2027, 1, 15))
        with freeze_time(date(2027, 1, 20)):
            contract.invalidate_recordset(["channel_next_invoice_date"])
            self.assertEqual(contract.channel_next_invoice_date, FEB_1)
        with freeze_time(FEB_1):
            self.env["sale.order"]._cron_create_distributor_invoices()
        february = contract.channel_period_ids.move_line_ids.move_id - january
        # Feb 15 - Mar 14: 5 x 80 = 400; Dec 15 - Jan 14 in arrears: 2 x 80
        # = 160; 560
        self.assertEqual(
            sorted(
                (line.product_id.id, line.start_date, line.end_date)
                for line in self._products(february)
            ),
            sorted(
                [
                    (self.product_monthly.id, date(2027, 2, 15), date(2027, 3, 14)),
                    (self.product_arrears.id, dec_15, date(2027, 1, 14)),
                ]
            ),
        )
        self.assertCents(february.amount_untaxed, 560.0)
        # the next run (Mar 1) bills Mar 15 - Apr 14 and Jan 15 - Feb 14
        contract.invalidate_recordset(["channel_next_invoice_date"])
        self.assertEqual(contract.channel_next_invoice_date, mar_1)

    def _subscribe_billed_in_advance(self):
        """Distributor A billed on the 1st; 5 seats from Dec 15, 2026; the
        Jan 1 run bills Dec 15 - Jan 14 and Jan 15 - Feb 14 (5 x 80 each)."""
        with freeze_time(date(2026, 12, 10)):
            self.distributor_a.write(
                {"channel_invoicing_period": "monthly", "channel_invoicing_monthday": 1}
            )
        contract = self._subscribe_on(date(2026, 12, 15), [(self.product_monthly, 5)])
        with freeze_time(JAN_1):
            self.env["sale.order"]._cron_create_distributor_invoices()
        self.assertEqual(len(contract.channel_period_ids), 2)
        # a credit corrects a posted invoice (of a draft, it waits)
        contract.channel_period_ids.move_line_ids.move_id.action_post()
        return contract

    def test_change_corrects_every_period_billed_in_advance(self):
        contract = self._subscribe_billed_in_advance()
        changes = self._change_on(contract.contract_line_ids, 3, date(2027, 1, 10))
        current, following = changes.sorted("period_start")
        # Jan 10 to 14, 5 of the 31 days of Dec 15 - Jan 14:
        # -2 x 80 x 5/31 = -800/31 = -25.806... -> -25.81
        self.assertEqual(
            (current.service_start, current.service_end),
            (date(2027, 1, 10), date(2027, 1, 14)),
        )
        self.assertCents(current.amount, -25.81)
        # Jan 15 - Feb 14, billed at 5 before it started, all of it at 3:
        # -2 x 80 x 31/31 = -160
        self.assertEqual(
            (following.service_start, following.service_end),
            (date(2027, 1, 15), date(2027, 2, 14)),
        )
        self.assertCents(following.amount, -160.0)
        with freeze_time(FEB_1):
            self.env["sale.order"]._cron_create_distributor_invoices()
        self.assertCents(self._billed(current.move_line_id), -25.81)
        self.assertCents(self._billed(following.move_line_id), -160.0)
        # Feb 15 - Mar 14 at 3: 3 x 80 = 240
        self.assertCents(
            self._billed(self._period(contract, date(2027, 2, 15)).move_line_ids),
            240.0,
        )

    def test_cancel_runs_to_the_end_of_what_is_billed(self):
        """Cancelled on Jan 10 with Jan 15 - Feb 14 billed in advance: the
        service runs to Feb 14 (paid for), nothing more is billed."""
        contract = self._subscribe_billed_in_advance()
        with freeze_time(date(2027, 1, 10)):
            ends = contract._channel_cancel(date(2027, 1, 10))
        self.assertEqual(ends[contract], date(2027, 2, 14))
        self.assertEqual(contract.contract_line_ids.date_end, date(2027, 2, 14))
        with freeze_time(FEB_1):
            self.env["sale.order"]._cron_create_distributor_invoices()
        self.assertEqual(len(contract.channel_period_ids), 2)
