# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import SubscriptionCase


@tagged("post_install", "-at_install")
class TestFinanceWalk(SubscriptionCase):
    """The defects a finance controller found walking a year of billing.

    Gold distributor: 20 % off the list price of 100, a unit is billed 80.
    April 2027 has 30 days."""

    APRIL = date(2027, 4, 1)
    MAY = date(2027, 5, 1)

    def _refunds_of(self, invoice):
        return self.env["account.move"].search(
            [
                ("reversed_entry_id", "=", invoice.id),
                ("move_type", "=", "out_refund"),
                ("state", "!=", "cancel"),
            ]
        )

    def _april_posted(self):
        """3 seats from April 1st, April billed and posted: 3 x 80 = 240."""
        contract = self._start_subscription(
            self.distributor_a, self.customer_a, start=self.APRIL
        )
        april = self._bill(self.distributor_a, self.APRIL)
        self.assertEqual(april.amount_total, 240.0)
        april.action_post()
        return contract, april

    # ------------------------------------------------------------------
    # finding 1: an arrears period lowered after its end, before billed
    # ------------------------------------------------------------------

    def test_arrears_period_lowered_after_its_end_billed_at_its_quantity(self):
        with freeze_time("2027-03-15"):
            contract = self._start_subscription(
                self.distributor_a,
                self.customer_a,
                [(self.product_arrears, 5)],
                start=date(2027, 3, 15),
            )
        line = contract.contract_line_ids
        with freeze_time("2027-04-20"):
            # the period 2027-03-15 - 04-14 ended at 5 units, not billed yet
            line._channel_change_quantity(3)
        with freeze_time("2027-05-01"):
            invoice = self._bill(self.distributor_a, self.MAY)
        self.assertEqual(len(invoice), 1)
        products = self._products(invoice)
        # 2027-03-15 - 04-14 at the 5 units it had: 3 x 80 billed with the
        # period and +2 x 80 for all of its 31 days = 5 x 80 = 400.00
        period_lines = products.filtered(
            lambda aml: aml.start_date == date(2027, 3, 15)
        )
        self.assertEqual(sum(period_lines.mapped("price_subtotal")), 400.0)
        # 2027-04-15 - 05-14 (30 days) is billed at its end; its 5 days
        # before the change at 5 units: +2 x 80 x 5/30 = 26.666… → 26.67
        self.assertEqual(invoice.amount_untaxed, 426.67)

    def test_arrears_change_on_the_next_period_start_keeps_the_ended_one(self):
        with freeze_time("2027-03-15"):
            contract = self._start_subscription(
                self.distributor_a,
                self.customer_a,
                [(self.product_arrears, 5)],
                start=date(2027, 3, 15),
            )
        with freeze_time("2027-04-15"):
            # from the first day of 2027-04-15 - 05-14: 2027-03-15 - 04-14
            # ended at 5 units
            contract.contract_line_ids._channel_change_quantity(3)
        with freeze_time("2027-05-01"):
            invoice = self._bill(self.distributor_a, self.MAY)
        # 5 x 80 = 400.00 (3 x 80 + 2 x 80), nothing of the new period
        self.assertEqual(invoice.amount_untaxed, 400.0)

    # ------------------------------------------------------------------
    # finding 2: a period credited in full is not credited again
    # ------------------------------------------------------------------

    def test_lowered_in_a_period_credited_in_full_credits_nothing(self):
        with freeze_time("2027-04-01"):
            contract, april = self._april_posted()
            refund = self._reverse(april)
            refund.action_post()
            self.assertEqual(refund.amount_total, 240.0)
        with freeze_time("2027-04-16"):
            # 3 → 1 from April 16th: April is credited in full already,
            # -2 x 80 x 15/30 = -80.00 would credit it twice
            contract.contract_line_ids._channel_change_quantity(1)
        with freeze_time("2027-05-01"):
            moves = self._bill(self.distributor_a, self.MAY)
        self.assertEqual(self._refunds_of(april), refund)
        # May alone: 1 x 80
        self.assertEqual(moves.mapped("move_type"), ["out_invoice"])
        self.assertEqual(moves.amount_total, 80.0)
        self.assertFalse(
            contract.channel_adjustment_ids.filtered(lambda a: a.state == "pending")
        )

    # ------------------------------------------------------------------
    # finding 3: reverse and create, then a quantity credit
    # ------------------------------------------------------------------

    def test_credit_after_reverse_and_create_goes_to_the_new_invoice(self):
        with freeze_time("2027-04-01"):
            contract, april = self._april_posted()
            new = self._reverse(april, modify=True)
            new.action_post()
        period = contract.channel_period_ids
        self.assertEqual(period._channel_live_lines().move_id, april | new)
        with freeze_time("2027-04-16"):
            contract.contract_line_ids._channel_change_quantity(1)
        with freeze_time("2027-05-01"):
            moves = self._bill(self.distributor_a, self.MAY)
        refund = moves.filtered(lambda m: m.move_type == "out_refund")
        # -2 x 80 x 15/30 = -80.00, on a credit note of the live invoice
        self.assertEqual(refund.reversed_entry_id, new)
        self.assertEqual(refund.amount_total, 80.0)

    # ------------------------------------------------------------------
    # finding 4: a credit of a period billed on a draft invoice
    # ------------------------------------------------------------------

    def test_credit_of_a_period_on_a_draft_waits_until_it_is_posted(self):
        with freeze_time("2027-04-01"):
            contract = self._start_subscription(
                self.distributor_a, self.customer_a, start=self.APRIL
            )
            april = self._bill(self.distributor_a, self.APRIL)
            self.assertEqual(april.state, "draft")
        with freeze_time("2027-04-16"):
            adjustment = contract.contract_line_ids._channel_change_quantity(1)
            # -2 x 80 x 15/30 = -80.00
            self.assertEqual(adjustment.amount, -80.0)
            # never netted into the next invoice
            self.assertEqual(contract.channel_next_amount, 80.0)
        with freeze_time("2027-05-01"):
            moves = self._bill(self.distributor_a, self.MAY)
            self.assertFalse(moves.filtered(lambda m: m.move_type == "out_refund"))
            self.assertFalse(self._refunds_of(april))
            self.assertEqual(adjustment.state, "pending")
            # May: 1 x 80, the credit not on it
            self.assertEqual(sum(moves.mapped("amount_total")), 80.0)
            april.action_post()
            moves.filtered(lambda m: m.state == "draft").action_post()
            refund = self._bill(self.distributor_a, self.MAY)
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.reversed_entry_id, april)
        self.assertEqual(refund.amount_total, 80.0)
        self.assertEqual(adjustment.state, "billed")

    # ------------------------------------------------------------------
    # finding 5: the amount from days, rounded once
    # ------------------------------------------------------------------

    def test_adjustment_amount_from_days_not_the_stored_ratio(self):
        contract = self._start_subscription(
            self.distributor_a, self.customer_a, start=date(2027, 1, 1)
        )
        adjustment = (
            self.env["channel.contract.adjustment"]
            .sudo()
            .create(
                {
                    "contract_line_id": contract.contract_line_ids.id,
                    "date": date(2027, 1, 22),
                    "quantity_before": 8,
                    "quantity_after": 1,
                    "quantity": -7,
                    "period_start": date(2027, 1, 1),
                    "period_end": date(2027, 1, 31),
                    "ratio": 10 / 31,
                    "price_unit": 75.0,
                    "discount": 0.0,
                    "service_start": date(2027, 1, 22),
                    "service_end": date(2027, 1, 31),
                }
            )
        )
        # -7 x 75 x 10/31 = -169.3548… → -169.35 (the stored ratio 0.322581
        # gives -169.3550… → -169.36)
        self.assertEqual(adjustment.amount, -169.35)

    # ------------------------------------------------------------------
    # findings 6 and 7: cancelling an order under the Credit setting
    # ------------------------------------------------------------------

    def test_cancel_order_credits_each_line_on_the_invoice_that_billed_it(self):
        self.company.channel_invoice_auto_post = True
        with freeze_time("2027-04-01"):
            contract = self._start_subscription(
                self.distributor_a,
                self.customer_a,
                [(self.product_monthly, 3), (self.product_service, 2)],
                start=self.APRIL,
            )
            order = contract.channel_order_id
            april = self._bill(self.distributor_a, self.APRIL)
            # April: 3 seats x 80 = 240 and 2 services x 80 = 160: 400
            self.assertEqual(april.amount_total, 400.0)
            self.assertEqual(april.state, "posted")
        with freeze_time("2027-05-01"):
            may = self._bill(self.distributor_a, self.MAY)
            # May: 3 seats x 80 = 240, the distributor's latest invoice
            self.assertEqual(may.amount_total, 240.0)
        with freeze_time("2027-05-10"):
            self.company.channel_cancel_invoiced = "credit"
            before = self.env["account.move"].search([])
            order.with_context(disable_cancel_warning=True).action_cancel()
        refunds = self.env["account.move"].search([("id", "not in", before.ids)])
        # one credit note per corrected invoice: April's credits the
        # services (160) and April's seats (240): 400; May's the seats, 240
        self.assertEqual(set(refunds.mapped("move_type")), {"out_refund"})
        self.assertEqual(len(refunds), 2)
        by_invoice = {refund.reversed_entry_id: refund for refund in refunds}
        self.assertEqual(set(by_invoice), {april, may})
        self.assertEqual(by_invoice[april].amount_total, 400.0)
        self.assertEqual(by_invoice[may].amount_total, 240.0)
        services = self._products(by_invoice[april]).filtered(
            lambda line: line.product_id == self.product_service
        )
        self.assertEqual(services.quantity, 2)
        self.assertEqual(services.price_subtotal, 160.0)
        # finding 7: the subscription's credited lines keep their service
        # dates, as every other subscription line
        dates = {
            (line.move_id.reversed_entry_id, line.start_date, line.end_date)
            for line in refunds.invoice_line_ids.filtered("contract_line_id")
        }
        self.assertEqual(
            dates,
            {
                (april, self.APRIL, date(2027, 4, 30)),
                (may, self.MAY, date(2027, 5, 31)),
            },
        )

    # ------------------------------------------------------------------
    # finding 8: the renewed period of a term billed in advance
    # ------------------------------------------------------------------

    def test_renewed_period_billed_in_advance_like_any_other(self):
        """3 seats from 2027-01-15 for a yearly term renewed automatically
        (no notice), billed monthly in advance on the 1st."""
        with freeze_time("2027-01-10"):
            self.distributor_a.write(
                {"channel_invoicing_period": "monthly", "channel_invoicing_monthday": 1}
            )
        with freeze_time("2027-01-15"):
            contract = self._start_subscription(
                self.distributor_a, self.customer_a, start=date(2027, 1, 15)
            )
        line = contract.contract_line_ids
        self.assertEqual(line.date_end, date(2028, 1, 14))
        for month in range(2, 13):
            day = date(2027, month, 1)
            with freeze_time(day):
                self._bill(self.distributor_a, day)
        # the Dec 1 run billed the term's last period, Dec 15 - Jan 14
        self.assertEqual(line.last_date_invoiced, date(2028, 1, 14))
        with freeze_time("2027-12-02"):
            contract.invalidate_recordset()
            # the renewed period (Jan 15 - Feb 14) starts before the Feb 1
            # run: the Jan 1 run bills it
            self.assertEqual(contract.channel_next_invoice_date, date(2028, 1, 1))
        with freeze_time("2028-01-01"):
            invoice = self._bill(self.distributor_a, date(2028, 1, 1))
        # Jan 15 - Feb 14: 3 x 80 = 240.00, renewed for a year
        self.assertEqual(invoice.amount_total, 240.0)
        self.assertEqual(
            self._sections(invoice).mapped("channel_period_start"),
            [date(2028, 1, 15)],
        )
        self.assertEqual(line.date_end, date(2029, 1, 14))

    # ------------------------------------------------------------------
    # a later walk: sections and dates written by hand
    # ------------------------------------------------------------------

    def _assert_lines_in_their_sections(self, move):
        """Each subscription line of ``move`` sits in the section of its
        period: a period's line in the section of exactly its dates, a
        change's within its period's."""
        lines = move.invoice_line_ids.sorted(lambda x: (x.sequence, x.id))
        section = None
        checked = 0
        for line in lines:
            if line.display_type == "line_section":
                section = line
                continue
            if not line.contract_line_id:
                continue
            self.assertTrue(section, line.name)
            period = line.channel_period_id or line.channel_adjustment_ids[:1]
            start = period.date_start if line.channel_period_id else period.period_start
            end = period.date_end if line.channel_period_id else period.period_end
            self.assertEqual(
                (section.channel_period_start, section.channel_period_end),
                (start, end),
                line.name,
            )
            checked += 1
        return checked

    def test_arrears_change_of_another_period_in_its_own_section(self):
        """The May 1st invoice of the arrears walk (finding 1) bills the
        period 03-15 - 04-14 and a change of 04-15 - 05-14: each in the
        section of its own period, not the change in the other's."""
        with freeze_time("2027-03-15 12:00"):
            contract = self._start_subscription(
                self.distributor_a,
                self.customer_a,
                [(self.product_arrears, 5)],
                start=date(2027, 3, 15),
            )
        with freeze_time("2027-04-20 12:00"):
            contract.contract_line_ids._channel_change_quantity(3)
        with freeze_time("2027-05-01 12:00"):
            invoice = self._bill(self.distributor_a, self.MAY)
        self.assertEqual(invoice.amount_untaxed, 426.67)
        self.assertEqual(self._assert_lines_in_their_sections(invoice), 3)
        self.assertEqual(
            self._sections(invoice).mapped("channel_period_start"),
            [date(2027, 3, 15), date(2027, 4, 15)],
        )

    def test_lines_of_different_periods_each_in_their_section(self):
        """A subscription of a monthly seat and a yearly licence: their
        first periods (April, and April to March) in a section each, not
        one section April to March for both."""
        # (its term is not renewed)
        yearly = self._create_product_yearly(is_auto_renew=False)
        with freeze_time("2027-04-01 12:00"):
            contract = self._start_subscription(
                self.distributor_a,
                self.customer_a,
                [(self.product_monthly, 3), (yearly, 1)],
                start=self.APRIL,
            )
            invoice = self._bill(self.distributor_a, self.APRIL)
        # 3 x 80 + 960
        self.assertEqual(invoice.amount_untaxed, 1200.0)
        self.assertEqual(self._assert_lines_in_their_sections(invoice), 2)
        self.assertEqual(
            sorted(
                (s.channel_period_start, s.channel_period_end)
                for s in self._sections(invoice)
            ),
            [
                (self.APRIL, date(2027, 4, 30)),
                (self.APRIL, date(2028, 3, 31)),
            ],
        )
        self.assertEqual(self._sections(invoice).channel_contract_id, contract)

    def _periods_billed(self, contract):
        lines = self.env["account.move.line"].search(
            [
                ("contract_line_id", "in", contract.contract_line_ids.ids),
                ("display_type", "=", "product"),
                ("move_id.state", "!=", "cancel"),
            ]
        )
        return sorted((line.start_date, line.end_date) for line in lines)

    def test_next_date_written_in_the_past_bills_each_period_once(self):
        """3 seats from Jan 1st 2027, January billed; a channel manager
        writes OCA's next invoice date Feb 10th (in the past on April 1st):
        the April 1st run bills February, March and April, whole months,
        each once (not Feb 1st - Mar 9th at a month's price)."""
        with freeze_time("2027-01-01 12:00"):
            contract = self._start_subscription(
                self.distributor_a, self.customer_a, start=date(2027, 1, 1)
            )
            self._bill(self.distributor_a, date(2027, 1, 1)).action_post()
        line = contract.contract_line_ids
        with freeze_time("2027-03-20 12:00"):
            line.recurring_next_date = date(2027, 2, 10)
        with freeze_time("2027-04-01 12:00"):
            invoice = self._bill(self.distributor_a, self.APRIL)
            # run again: nothing more
            self.assertFalse(self._bill(self.distributor_a, self.APRIL))
        self.assertEqual(invoice.amount_untaxed, 3 * 240.0)
        self.assertEqual(
            self._periods_billed(contract),
            [
                (date(2027, 1, 1), date(2027, 1, 31)),
                (date(2027, 2, 1), date(2027, 2, 28)),
                (date(2027, 3, 1), date(2027, 3, 31)),
                (self.APRIL, date(2027, 4, 30)),
            ],
        )
        self.assertEqual(line.recurring_next_date, self.MAY)

    def test_missed_runs_bill_each_missed_period_once(self):
        """Nothing billed since January (the job did not run): OCA's next
        invoice date, Feb 1st, is in the past on April 1st: the run bills
        each missed period once."""
        with freeze_time("2027-01-01 12:00"):
            contract = self._start_subscription(
                self.distributor_a,
                self.customer_a,
                [(self.product_monthly, 3), (self.product_arrears, 2)],
                start=date(2027, 1, 1),
            )
            self._bill(self.distributor_a, date(2027, 1, 1)).action_post()
        with freeze_time("2027-04-01 12:00"):
            invoice = self._bill(self.distributor_a, self.APRIL)
            self.assertFalse(self._bill(self.distributor_a, self.APRIL))
        # in advance: February to April (3 x 240); in arrears: January to
        # March (3 x 160)
        self.assertEqual(invoice.amount_untaxed, 3 * 240.0 + 3 * 160.0)
        self.assertEqual(self._assert_lines_in_their_sections(invoice), 6)
        self.assertEqual(len(self._periods_billed(contract)), 7)
        self.assertEqual(len(set(self._periods_billed(contract))), 4)
