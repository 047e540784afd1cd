# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date
from itertools import pairwise

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import SubscriptionCase, noon


@tagged("post_install", "-at_install")
class TestCoterm(SubscriptionCase):
    """Co-terming: Gold distributor A (a unit is billed 80) invoiced monthly
    on the 1st, co-terming on; subscriptions started on Jan 15th 2027
    (January has 31 days)."""

    START = date(2027, 1, 15)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_yearly = cls._create_product_yearly()

    def _coterm_on(self, distributor=None):
        distributor = distributor or self.distributor_a
        with freeze_time(noon(date(2027, 1, 10))):
            distributor.write(
                {
                    "channel_invoicing_period": "monthly",
                    "channel_invoicing_monthday": 1,
                    "channel_coterm": True,
                }
            )

    def _start(self, lines, start=None):
        start = start or self.START
        with freeze_time(noon(start)):
            return self._start_subscription(
                self.distributor_a, self.customer_a, lines, start=start
            )

    def _run_job(self, day):
        """The scheduled job on ``day``: the invoices it made."""
        Move = self.env["account.move"]
        before = Move.search([])
        with freeze_time(noon(day)):
            self.env["sale.order"]._cron_create_distributor_invoices()
        return Move.search([]) - before

    def _period_lines(self, contract):
        return (
            self.env["account.move.line"]
            .search(
                [
                    ("contract_line_id", "in", contract.contract_line_ids.ids),
                    ("display_type", "=", "product"),
                    ("move_id.state", "!=", "cancel"),
                ]
            )
            .sorted("start_date")
        )

    # ------------------------------------------------------------------
    # a monthly seat
    # ------------------------------------------------------------------

    def test_monthly_seat_first_period_prorated_then_whole_months(self):
        self._coterm_on()
        contract = self._start([(self.product_monthly, 7)])
        line = contract.contract_line_ids
        self.assertEqual(line.channel_coterm_day, 1)
        # the yearly term ends with the aligned period it would end in
        self.assertEqual(line.date_end, date(2028, 1, 31))
        with freeze_time(noon(self.START)):
            contract.invalidate_recordset()
            # the Feb 1 run bills the first period, 7 x 80 x 17/31 =
            # 307.096… → 307.10, and February (it starts before the next
            # run), 7 x 80 = 560.00: the next invoice's amount is 867.10
            self.assertEqual(contract.channel_next_amount, 867.10)
            self.assertEqual(contract.channel_next_invoice_date, date(2027, 2, 1))
            # Invoice Due Now on the 15th bills the first period only (the
            # next one starts on the next run's day)
            first = self._bill(self.distributor_a, self.START)
        self.assertEqual(len(first), 1)
        stub = self._products(first)
        self.assertEqual(len(stub), 1)
        self.assertEqual(stub.start_date, date(2027, 1, 15))
        self.assertEqual(stub.end_date, date(2027, 1, 31))
        self.assertEqual(stub.price_subtotal, 307.10)
        self.assertEqual(first.amount_untaxed, 307.10)
        self.assertIn("17 of the 31 days", stub.name)
        period = stub.channel_period_id
        self.assertEqual(period.period_days, 31)
        self.assertEqual(period.quantity, 7)
        # the commission of 17 days of 7 seats: 7 x 20 x 17/31 = 76.77
        self.assertEqual(period.commission, 76.77)
        self.assertEqual(stub.channel_commission, 76.77)
        section = self._sections(first)
        self.assertEqual(section.channel_period_start, date(2027, 1, 15))
        self.assertEqual(section.channel_period_end, date(2027, 1, 31))
        with freeze_time(noon(self.START)):
            contract.invalidate_recordset()
            # the first whole month starts on the Feb 1 run: 7 x 80
            self.assertEqual(contract.channel_next_invoice_date, date(2027, 2, 1))
            self.assertEqual(contract.channel_next_amount, 560.0)
        first.action_post()
        # a year of scheduled runs: one whole month each, contiguous
        invoices = [first]
        for month in range(12):
            day = date(2027, 2, 1) + relativedelta(months=month)
            moves = self._run_job(day)
            self.assertEqual(len(moves), 1, day)
            self.assertEqual(moves.amount_untaxed, 560.0, day)
            products = self._products(moves)
            self.assertEqual(products.mapped("start_date"), [day])
            self.assertEqual(
                products.mapped("end_date"),
                [day + relativedelta(months=1, days=-1)],
            )
            self.assertEqual(products.quantity, 7)
            # run again the same day: nothing more
            self.assertFalse(self._bill(self.distributor_a, day))
            moves.action_post()
            invoices.append(moves)
        lines = self._period_lines(contract)
        self.assertEqual(len(lines), 13)
        for previous, following in pairwise(lines):
            self.assertEqual(
                following.start_date, previous.end_date + relativedelta(days=1)
            )
        self.assertEqual(lines[0].start_date, date(2027, 1, 15))
        self.assertEqual(lines[-1].end_date, date(2028, 1, 31))
        self.assertEqual(
            sum(move.amount_untaxed for move in invoices), 307.10 + 12 * 560.0
        )

    def test_quantity_raised_in_the_first_period_prorated_on_its_days(self):
        """7 → 10 seats on Jan 25th, the first period (Jan 15th - 31st, 17
        days of the 31 of January) billed: +3 x 80 x 7/31 = 54.19."""
        self._coterm_on()
        contract = self._start([(self.product_monthly, 7)])
        with freeze_time(noon(self.START)):
            self._bill(self.distributor_a, self.START).action_post()
        with freeze_time(noon(date(2027, 1, 25))):
            change = contract.contract_line_ids._channel_change_quantity(10)
        self.assertEqual(change.amount, 54.19)
        self.assertIn("7 of the 31 days", change._prepare_invoice_line_vals(1)["name"])
        february = self._run_job(date(2027, 2, 1))
        # February at 10 seats and the change
        self.assertEqual(february.amount_untaxed, 800.0 + 54.19)

    def test_arrears_first_period_prorated_billed_on_the_invoicing_day(self):
        self._coterm_on()
        contract = self._start([(self.product_arrears, 7)])
        line = contract.contract_line_ids
        self.assertEqual(line.recurring_next_date, date(2027, 2, 1))
        with freeze_time(noon(self.START)):
            self.assertFalse(self._bill(self.distributor_a, self.START))
        february = self._run_job(date(2027, 2, 1))
        stub = self._products(february)
        self.assertEqual(
            (stub.start_date, stub.end_date), (date(2027, 1, 15), date(2027, 1, 31))
        )
        self.assertEqual(stub.price_subtotal, 307.10)
        march = self._run_job(date(2027, 3, 1))
        whole = self._products(march)
        self.assertEqual(
            (whole.start_date, whole.end_date), (date(2027, 2, 1), date(2027, 2, 28))
        )
        self.assertEqual(march.amount_untaxed, 560.0)

    # ------------------------------------------------------------------
    # a yearly licence, billed monthly
    # ------------------------------------------------------------------

    def test_yearly_licence_aligned_on_the_invoicing_day(self):
        """Co-terming aligns the start day only: 1 licence (1,200 a year,
        960 at Gold) from Jan 15th 2027: Jan 15th - 31st is 17 days of the
        year Feb 1st 2026 - Jan 31st 2027 (365 days): 960 x 17/365 = 44.71;
        then whole years from Feb 1st, billed by the Feb 1st run."""
        self._coterm_on()
        contract = self._start([(self.product_yearly, 1)])
        line = contract.contract_line_ids
        self.assertEqual(line.date_end, date(2028, 1, 31))
        with freeze_time(noon(self.START)):
            first = self._bill(self.distributor_a, self.START)
        self.assertEqual(first.amount_untaxed, 44.71)
        self.assertEqual(self._products(first).channel_period_id.period_days, 365)
        first.action_post()
        february = self._run_job(date(2027, 2, 1))
        year = self._products(february)
        self.assertEqual(
            (year.start_date, year.end_date), (date(2027, 2, 1), date(2028, 1, 31))
        )
        self.assertEqual(february.amount_untaxed, 960.0)
        february.action_post()
        for month in range(3, 13):
            self.assertFalse(self._run_job(date(2027, month, 1)))
        with freeze_time(noon(date(2027, 3, 2))):
            contract.invalidate_recordset()
            # the renewed year is billed by the run of its first day
            self.assertEqual(contract.channel_next_invoice_date, date(2028, 2, 1))

    # ------------------------------------------------------------------
    # the setting
    # ------------------------------------------------------------------

    def test_off_keeps_the_subscription_start(self):
        with freeze_time(noon(date(2027, 1, 10))):
            self.distributor_a.write(
                {"channel_invoicing_period": "monthly", "channel_invoicing_monthday": 1}
            )
        contract = self._start([(self.product_monthly, 7)])
        line = contract.contract_line_ids
        self.assertFalse(line.channel_coterm_day)
        self.assertEqual(line.date_end, date(2028, 1, 14))
        with freeze_time(noon(self.START)):
            first = self._bill(self.distributor_a, self.START)
        products = self._products(first)
        self.assertEqual(
            (products.start_date, products.end_date),
            (date(2027, 1, 15), date(2027, 2, 14)),
        )
        self.assertEqual(first.amount_untaxed, 560.0)

    def test_existing_subscriptions_keep_their_periods(self):
        before = self._start([(self.product_monthly, 7)])
        self._coterm_on()
        self.assertFalse(before.contract_line_ids.channel_coterm_day)
        self.assertEqual(
            before.contract_line_ids.next_period_date_end, date(2027, 2, 14)
        )

    def test_needs_a_monthly_schedule_and_a_channel_manager(self):
        with self.assertRaises(ValidationError):
            self.distributor_a.channel_coterm = True
        self.distributor_a.write(
            {"channel_invoicing_period": "monthly", "channel_coterm": True}
        )
        with self.assertRaises(ValidationError):
            self.distributor_a.channel_invoicing_period = "weekly"
        salesman = self.env["res.users"].create(
            {
                "name": "Test Coterm Salesman",
                "login": "t_coterm_salesman",
                "groups_id": [
                    Command.set(
                        [self.env.ref("sales_team.group_sale_salesman_all_leads").id]
                    )
                ],
            }
        )
        with self.assertRaises(UserError):
            self.distributor_a.with_user(salesman).channel_coterm = False
