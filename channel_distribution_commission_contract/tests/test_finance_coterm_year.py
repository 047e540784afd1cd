# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, timedelta
from itertools import pairwise

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import FinanceWalkCase


def d(month, day, year=2027):
    return date(year, month, day)


@tagged("post_install", "-at_install")
class TestFinanceCotermYear(FinanceWalkCase):
    """Co-terming walked month by month as a finance controller would,
    every amount against a hand computation (literal figures, not the
    code's).

    Distributor A: Gold book, 20 % off list (a 100 seat costs it 80, a
    1,200 yearly licence 960), no VAT. Distributor B: Silver book, 10 % off
    (a seat costs 90). Finance's own steps (post, pay, cancel or delete
    drafts, credit notes, bill again, rerun) are an accountant's; the
    scheduled jobs run as the system.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_yearly = cls._create_product_yearly(
            name="Test Coterm Yearly Licence"
        )
        cls.accountant = new_test_user(
            cls.env,
            "coterm_walk_accountant",
            groups="base.group_user,account.group_account_invoice",
        )

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _schedule(self, distributor, monthday, coterm, day):
        with self._at(day):
            distributor.write(
                {
                    "channel_invoicing_period": "monthly",
                    "channel_invoicing_monthday": monthday,
                    "channel_coterm": coterm,
                }
            )

    def _pay_on(self, day, invoices):
        with self._at(day):
            for invoice in invoices:
                self._pay(invoice.with_user(self.accountant), date=day)
        self.assertEqual(set(invoices.mapped("payment_state")), {"paid"})

    def _billed(self, contract):
        """Posted invoice lines (not credit notes) of ``contract``."""
        return self.env["account.move.line"].search(
            [
                ("contract_line_id.contract_id", "=", contract.id),
                ("display_type", "=", "product"),
                ("move_id.state", "=", "posted"),
                ("move_id.move_type", "=", "out_invoice"),
            ]
        )

    def _contiguous(self, contract, first_start):
        """The periods billed for ``contract`` (its posted invoice lines of
        periods) follow each other without a gap or an overlap."""
        periods = sorted(
            {
                (line.start_date, line.end_date)
                for line in self._billed(contract)
                if line.channel_period_id
            }
        )
        self._is(periods[0][0], first_start, "first day billed")
        for (__, end), (start, __) in pairwise(periods):
            with self.subTest(contract=contract.name, after=end):
                self.assertEqual((start - end).days, 1)
        return periods

    # ------------------------------------------------------------------
    # a year of co-termed billing on the 1st
    # ------------------------------------------------------------------

    def test_coterm_year_on_the_first(self):
        """Distributor A invoiced on the 1st, co-terming on from Jan 10th
        2027: seats S1 (7 from Jan 15th) and S2 (4 from Feb 20th), a yearly
        licence Y (from Mar 10th); quantities up and down mid-period, the
        book to 25 % on Jun 15th; a cancelled draft (Mar), a deleted draft
        (Apr), August credited, S1's August billed again in October."""
        dist = self.distributor_a
        Move = self.env["account.move"]
        self._schedule(dist, 1, True, d(1, 10))

        # ---------------------------------------------------------- January
        s1 = self._start(d(1, 15), [(self.product_monthly, 7)])
        self._is(s1.contract_line_ids.channel_coterm_day, 1)
        with self._at(d(1, 15)):
            s1.invalidate_recordset()
            # 7 x 80 x 17/31 = 307.0967... -> 307.10, billed by the Feb 1 run
            # with February, 7 x 80 = 560.00: the next invoice bills 867.10
            self._is(s1.channel_next_invoice_date, d(2, 1))
            self._is(s1.channel_next_amount, 867.10)

        # --------------------------------------------------------- February
        resale, agency = self._run(d(2, 1))
        self.assertFalse(agency)
        # S1 Jan 15-31 307.10 + Feb 1-28 7 x 80 = 560.00 = 867.10
        self._is(resale.move_type, "out_invoice")
        self._is(resale.amount_untaxed, 867.10)
        self._is(
            self._rows(resale, s1),
            [(d(1, 15), d(1, 31), 307.10), (d(2, 1), d(2, 28), 560.0)],
        )
        self._post(d(2, 1), resale)
        self._is(self._again(d(2, 1)), (Move, Move))
        s2 = self._start(d(2, 20), [(self.product_monthly, 4)])

        # ------------------------------------------------------------ March
        resale, __ = self._run(d(3, 1))
        # S1 560.00 + S2 Feb 20-28 4 x 80 x 9/28 = 102.857... -> 102.86
        # + S2 March 4 x 80 = 320.00 = 982.86
        self._is(resale.amount_untaxed, 982.86)
        self._is(
            self._rows(resale, s2),
            [(d(2, 20), d(2, 28), 102.86), (d(3, 1), d(3, 31), 320.0)],
        )
        self._is(self._rows(resale, s1), [(d(3, 1), d(3, 31), 560.0)])
        # finance cancels the draft: billed again the same day, the same
        with self._at(d(3, 1)):
            resale.with_user(self.accountant).button_cancel()
        again, __ = self._again(d(3, 1))
        self._is(again.amount_untaxed, 982.86)
        self._is(
            self._rows(again),
            [
                (d(2, 20), d(2, 28), 102.86),
                (d(3, 1), d(3, 31), 320.0),
                (d(3, 1), d(3, 31), 560.0),
            ],
        )
        self._post(d(3, 1), again)
        self._is(self._again(d(3, 1)), (Move, Move))
        y = self._start(d(3, 10), [(self.product_yearly, 1)])
        # S1 7 -> 10 from Mar 10 (22 of March's 31 days):
        # +3 x 80 x 22/31 = 170.322... -> 170.32
        s1_up = self._change(s1, d(3, 10), 10)
        self._is(s1_up.amount, 170.32)

        # ------------------------------------------------------------ April
        resale, __ = self._run(d(4, 1))
        # S1 10 x 80 = 800.00 + 170.32; S2 320.00; Y Mar 10-31: 22 of the
        # 365 days of Apr 1 2026 - Mar 31 2027, 960 x 22/365 = 57.863...
        # -> 57.86, and Y's year Apr 1 2027 - Mar 31 2028 960.00
        # = 2,308.18
        self._is(resale.amount_untaxed, 2308.18)
        self._is(
            self._rows(resale, y),
            [(d(3, 10), d(3, 31), 57.86), (d(4, 1), d(3, 31, 2028), 960.0)],
        )
        self._is(
            self._rows(resale, s1),
            [(d(3, 10), d(3, 31), 170.32), (d(4, 1), d(4, 30), 800.0)],
        )
        # finance deletes the draft: billed again the same day, the same
        with self._at(d(4, 1)):
            resale.with_user(self.accountant).unlink()
        again, __ = self._again(d(4, 1))
        self._is(again.amount_untaxed, 2308.18)
        self._is(
            self._rows(again, y),
            [(d(3, 10), d(3, 31), 57.86), (d(4, 1), d(3, 31, 2028), 960.0)],
        )
        self._is(
            self._rows(again, s1),
            [(d(3, 10), d(3, 31), 170.32), (d(4, 1), d(4, 30), 800.0)],
        )
        self._post(d(4, 1), again)
        self._is(self._again(d(4, 1)), (Move, Move))

        # -------------------------------------------------------------- May
        resale, __ = self._run(d(5, 1))
        # S1 800.00 + S2 320.00
        self._is(resale.amount_untaxed, 1120.0)
        may = self._post(d(5, 1), resale)
        # S1 10 -> 6 from May 20 (12 of 31 days): -4 x 80 x 12/31
        # = -123.870... -> -123.87
        s1_down = self._change(s1, d(5, 20), 6)
        self._is(s1_down.amount, -123.87)

        # ------------------------------------------------------------- June
        resale, __ = self._run(d(6, 1))
        # never netted: an invoice S1 6 x 80 = 480 + S2 320 = 800.00 and a
        # credit note of 123.87 linked to May's invoice, May 20-31
        jun = self._kind(resale, "out_invoice")
        jun_refund = self._kind(resale, "out_refund")
        self._is(jun.amount_untaxed, 800.0)
        self._is(jun_refund.amount_untaxed, 123.87)
        self._is(jun_refund.reversed_entry_id, may)
        self._is(self._rows(jun_refund), [(d(5, 20), d(5, 31), 123.87)])
        self._post(d(6, 1), resale)
        # the book goes to 25 % off on Jun 15: a seat 75 from July
        with self._at(d(6, 15)):
            self.book_gold.item_ids.percent_price = 25.0

        # ------------------------------------------------------------- July
        resale, __ = self._run(d(7, 1))
        # S1 6 x 75 = 450.00 + S2 4 x 75 = 300.00
        self._is(resale.amount_untaxed, 750.0)
        jul = self._post(d(7, 1), resale)
        # S2 4 -> 2 from Jul 10, at the 75 July was billed at:
        # -2 x 75 x 22/31 = -106.451... -> -106.45
        s2_down = self._change(s2, d(7, 10), 2)
        self._is(s2_down.amount, -106.45)

        # ----------------------------------------------------------- August
        resale, __ = self._run(d(8, 1))
        aug = self._kind(resale, "out_invoice")
        aug_refund = self._kind(resale, "out_refund")
        # S1 450.00 + S2 2 x 75 = 150.00; credit 106.45 on July's
        self._is(aug.amount_untaxed, 600.0)
        self._is(aug_refund.amount_untaxed, 106.45)
        self._is(aug_refund.reversed_entry_id, jul)
        self._is(self._rows(aug_refund), [(d(7, 10), d(7, 31), 106.45)])
        self._post(d(8, 1), resale)
        # finance credits August in full: it stays credited
        aug_credit = self._credit(d(8, 10), aug)
        self._is(aug_credit.amount_untaxed, 600.0)
        self._is(aug_credit.reversed_entry_id, aug)

        # -------------------------------------------------------- September
        resale, __ = self._run(d(9, 1))
        self._is(resale.mapped("move_type"), ["out_invoice"])
        self._is(resale.amount_untaxed, 600.0)
        self._post(d(9, 1), resale)
        # finance bills S1's August again
        s1_august = s1.contract_line_ids.channel_period_ids.filtered(
            lambda p: p.date_start == d(8, 1)
        )
        with self._at(d(9, 5)):
            s1_august.with_user(self.accountant).action_channel_bill_again()

        # ---------------------------------------------------------- October
        resale, __ = self._run(d(10, 1))
        # 600.00 + S1's August again, as billed: 6 x 75 = 450.00
        self._is(resale.amount_untaxed, 1050.0)
        self._is(
            self._rows(resale, s1),
            [(d(8, 1), d(8, 31), 450.0), (d(10, 1), d(10, 31), 450.0)],
        )
        self._post(d(10, 1), resale)
        self._is(self._again(d(10, 1)), (Move, Move))

        # ------------------------------------- November to January 2028
        for day in (d(11, 1), d(12, 1), d(1, 1, 2028)):
            resale, __ = self._run(day)
            self._is(resale.amount_untaxed, 600.0, str(day))
            self._post(day, resale)
            self._is(self._again(day), (Move, Move))
        with self._at(d(1, 2, 2028)):
            (s1 | s2 | y).invalidate_recordset()
            self._is(s1.channel_next_invoice_date, d(2, 1, 2028))
            self._is(y.channel_next_invoice_date, d(4, 1, 2028))

        # ---------------------------------------------------- the year
        # per subscription, billed net of credits (hand):
        # S1 307.10 + 560 + 560 + 800 + 170.32 + 800 + 480 + 8 x 450
        #    - 123.87 - 450 = 6,703.55
        # S2 102.86 + 4 x 320 + 300 + 6 x 150 - 106.45 - 150 = 2,326.41
        # Y 57.86 + 960 = 1,017.86
        self._is(self._net(s1), 6703.55)
        self._is(self._net(s2), 2326.41)
        self._is(self._net(y), 1017.86)
        moves = Move.search(
            [
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("commercial_partner_id", "=", dist.id),
            ]
        )
        self._is(round(sum(moves.mapped("amount_untaxed_signed")), 2), 10047.82)
        refunds = self._kind(moves, "out_refund")
        self._is(len(refunds), 3)
        self.assertTrue(all(refund.reversed_entry_id for refund in refunds))
        # a credit note holds no sale, an invoice no credit
        for move in moves:
            with self.subTest(signs=move.name):
                self.assertTrue(
                    all(line.price_subtotal > 0 for line in self._products(move))
                )
        # contiguous periods, each billed once (S1's August twice, credited
        # once, on finance's ask)
        self._contiguous(s1, d(1, 15))
        self._contiguous(s2, d(2, 20))
        self._is(
            self._contiguous(y, d(3, 10)),
            [(d(3, 10), d(3, 31)), (d(4, 1), d(3, 31, 2028))],
        )
        for contract in (s1, s2, y):
            for period in contract.contract_line_ids.channel_period_ids:
                twice = contract == s1 and period.date_start == d(8, 1)
                billed = self._billed(contract).filtered(
                    lambda line, p=period: line.channel_period_id == p
                )
                with self.subTest(period=(contract.name, period.date_start)):
                    self.assertEqual(len(billed), 2 if twice else 1)
        # every subscription line posted carries its service dates
        sub_lines = moves.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        self.assertFalse(
            sub_lines.filtered(lambda line: not (line.start_date and line.end_date))
        )

    # ------------------------------------------------------------------
    # invoicing days 29-31: no drift
    # ------------------------------------------------------------------

    def test_coterm_on_the_31st_no_drift(self):
        """Distributor A invoiced on the 31st (the last day of shorter
        months), co-terming on: S_a 3 seats from Jan 29th 2027, S_c 1 seat
        from Feb 28th, S_b 5 seats from Mar 30th; runs through February 2028
        (29 days) to March 2028. Every period starts on a run's day."""
        dist = self.distributor_a
        Move = self.env["account.move"]
        self._schedule(dist, 31, True, d(1, 20))
        with self._at(d(1, 20)):
            self._is(dist.channel_invoicing_next_date, d(1, 31))
        s_a = self._start(d(1, 29), [(self.product_monthly, 3)])
        runs = [
            d(1, 31),
            d(2, 28),
            d(3, 31),
            d(4, 30),
            d(5, 31),
            d(6, 30),
            d(7, 31),
            d(8, 31),
            d(9, 30),
            d(10, 31),
            d(11, 30),
            d(12, 31),
            d(1, 31, 2028),
            d(2, 29, 2028),
            d(3, 31, 2028),
        ]
        # untaxed per run (hand):
        # Jan 31: S_a Jan 29-30, 2 of the 31 days of Dec 31 - Jan 30:
        #   3 x 80 x 2/31 = 15.483... -> 15.48, + Jan 31 - Feb 27 240.00
        # Feb 28: S_a 240 + S_c Feb 28 - Mar 30 80 (no first period: it
        #   starts on the invoicing day)
        # Mar 31: S_a 240 + S_c 80 + S_b Mar 30, 1 of the 31 days of Feb 28
        #   - Mar 30: 5 x 80 x 1/31 = 12.903... -> 12.90, + Mar 31 - Apr 29
        #   400.00
        # then 240 + 80 + 400 = 720.00 each run, the terms renewed ahead
        expected = [255.48, 320.0, 732.90] + [720.0] * 12
        for day, amount in zip(runs, expected, strict=True):
            if day == d(2, 28):
                s_c = self._start(d(2, 28), [(self.product_monthly, 1)])
            if day == d(3, 31):
                s_b = self._start(d(3, 30), [(self.product_monthly, 5)])
            resale, __ = self._run(day)
            self._is(resale.mapped("move_type"), ["out_invoice"], str(day))
            self._is(resale.amount_untaxed, amount, str(day))
            # every whole period starts on the run's day
            starts = {line.start_date for line in self._products(resale)}
            self._is(starts - {d(1, 29), d(3, 30)}, {day}, str(day))
            self._post(day, resale)
            self._is(self._again(day), (Move, Move), str(day))
        # S_a: Jan 29 - 30, then periods from each run's day to the day
        # before the next one, through the leap day
        self._is(
            self._contiguous(s_a, d(1, 29)),
            [(d(1, 29), d(1, 30))]
            + [
                (start, following - timedelta(days=1))
                for start, following in pairwise(runs + [d(4, 30, 2028)])
            ],
        )
        self._contiguous(s_c, d(2, 28))
        self._contiguous(s_b, d(3, 30))
        # S_a 15.48 + 15 x 240 = 3,615.48; S_c 14 x 80 = 1,120.00;
        # S_b 12.90 + 13 x 400 = 5,212.90
        self._is(self._net(s_a), 3615.48)
        self._is(self._net(s_c), 1120.0)
        self._is(self._net(s_b), 5212.90)

    def test_own_periods_from_the_31st_no_drift(self):
        """Distributor B (Silver: a seat 90) invoiced on the 30th, no
        co-terming; resale S_d 2 seats from Jan 31st 2027. Its periods are months
        from its start (Jan 31, Feb 28, Mar 31, Apr 30 ...), not months from
        the previous period (Jan 31, Feb 28, Mar 28, Apr 28 ...): a yearly
        term is twelve periods, and its last one is not cut to 3 days billed
        at a month's price."""
        dist = self.distributor_b
        Move = self.env["account.move"]
        self._schedule(dist, 30, False, d(1, 20))
        s_d = self._start(
            d(1, 31),
            [(self.product_monthly, 2)],
            dist,
            self.customer_b,
            financial_role="distributor",
        )
        line = s_d.contract_line_ids
        self._is(line.date_end, d(1, 30, 2028))
        runs = [
            d(2, 28),
            d(3, 30),
            d(4, 30),
            d(5, 30),
            d(6, 30),
            d(7, 30),
            d(8, 30),
            d(9, 30),
            d(10, 30),
            d(11, 30),
            d(12, 30),
            d(1, 30, 2028),
            d(2, 29, 2028),
            d(3, 30, 2028),
        ]
        # Feb 28: Jan 31 - Feb 27 and Feb 28 - Mar 30 (it starts before the
        # Mar 30 run): 2 x 180; then one month each run
        periods = {
            d(2, 28): [(d(1, 31), d(2, 27)), (d(2, 28), d(3, 30))],
            d(3, 30): [(d(3, 31), d(4, 29))],
            d(4, 30): [(d(4, 30), d(5, 30))],
            d(5, 30): [(d(5, 31), d(6, 29))],
            d(6, 30): [(d(6, 30), d(7, 30))],
            d(7, 30): [(d(7, 31), d(8, 30))],
            d(8, 30): [(d(8, 31), d(9, 29))],
            d(9, 30): [(d(9, 30), d(10, 30))],
            d(10, 30): [(d(10, 31), d(11, 29))],
            d(11, 30): [(d(11, 30), d(12, 30))],
            d(12, 30): [(d(12, 31), d(1, 30, 2028))],
            # the term ended on Jan 30 2028: renewed, billed ahead
            d(1, 30, 2028): [(d(1, 31, 2028), d(2, 28, 2028))],
            d(2, 29, 2028): [(d(2, 29, 2028), d(3, 30, 2028))],
            d(3, 30, 2028): [(d(3, 31, 2028), d(4, 29, 2028))],
        }
        for day in runs:
            resale, __ = self._run(day, dist)
            self._is(
                self._rows(resale, s_d),
                [(start, end, 180.0) for start, end in periods[day]],
                str(day),
            )
            self._is(resale.amount_untaxed, 180.0 * len(periods[day]), str(day))
            self._post(day, resale)
            self._is(self._again(day, dist), (Move, Move), str(day))
        self._contiguous(s_d, d(1, 31))
        # the first term: 12 periods of 180 = 2,160.00, ending on its last
        # day; 15 periods in all: 2,700.00
        first_term = [
            line for line in self._billed(s_d) if line.start_date <= d(1, 30, 2028)
        ]
        self._is(len(first_term), 12)
        self._is(max(line.end_date for line in first_term), d(1, 30, 2028))
        self._is(self._net(s_d), 2700.0)

    def test_own_periods_in_arrears_from_the_31st(self):
        """Distributor B invoiced on the 30th, no co-terming; resale S_e, 1
        unit in arrears (90) from Jan 31st 2027: each period is billed on
        the first run after it ends (its next invoice date the day after
        it), never before: Jan 31 - Feb 27 on Feb 28; none on Mar 30 (Feb
        28 - Mar 30 ends that day); Feb 28 - Mar 30 and Mar 31 - Apr 29 on
        Apr 30; none on May 30; Apr 30 - May 30 and May 31 - Jun 29 on Jun
        30."""
        dist = self.distributor_b
        self._schedule(dist, 30, False, d(1, 20))
        s_e = self._start(
            d(1, 31),
            [(self.product_arrears, 1)],
            dist,
            self.customer_b,
            financial_role="distributor",
        )
        self._is(s_e.contract_line_ids.recurring_next_date, d(2, 28))
        expected = {
            d(2, 28): [(d(1, 31), d(2, 27), 90.0)],
            d(3, 30): [],
            d(4, 30): [(d(2, 28), d(3, 30), 90.0), (d(3, 31), d(4, 29), 90.0)],
            d(5, 30): [],
            d(6, 30): [(d(4, 30), d(5, 30), 90.0), (d(5, 31), d(6, 29), 90.0)],
        }
        for day, rows in expected.items():
            resale, __ = self._run(day, dist)
            self._is(self._rows(resale, s_e), rows, str(day))
            if resale:
                self._post(day, resale)
        self._is(s_e.contract_line_ids.recurring_next_date, d(7, 31))
        self._contiguous(s_e, d(1, 31))
        self._is(self._net(s_e), 450.0)

    # ------------------------------------------------------------------
    # cancelling the order that started a co-termed subscription
    # ------------------------------------------------------------------

    def test_coterm_order_cancelled_refuse_then_credit(self):
        """S from order O, 7 seats from Jan 15th, co-termed on the 1st:
        Feb 1 867.10, Mar 1 560.00, 7 -> 5 on Mar 11 (credit 108.39 on
        March's), Apr 1 400.00. Refused naming the three invoices; credited
        exactly what is billed and not credited yet."""
        dist = self.distributor_a
        Move = self.env["account.move"]
        self._schedule(dist, 1, True, d(1, 10))
        sub = self._start(d(1, 15), [(self.product_monthly, 7)])
        order = sub.channel_order_id
        feb, __ = self._run(d(2, 1))
        self._is(feb.amount_untaxed, 867.10)
        self._post(d(2, 1), feb)
        mar, __ = self._run(d(3, 1))
        self._is(mar.amount_untaxed, 560.0)
        self._post(d(3, 1), mar)
        # -2 x 80 x 21/31 = -108.387... -> -108.39 (Mar 11 - 31)
        self._is(self._change(sub, d(3, 11), 5).amount, -108.39)
        resale, __ = self._run(d(4, 1))
        apr = self._kind(resale, "out_invoice")
        mar_credit = self._kind(resale, "out_refund")
        self._is(apr.amount_untaxed, 400.0)
        self._is(mar_credit.amount_untaxed, 108.39)
        self._is(mar_credit.reversed_entry_id, mar)
        self._post(d(4, 1), resale)

        # Refuse: the message names every invoice holding its periods
        self.company.channel_cancel_invoiced = "refuse"
        with self._at(d(4, 10)), self.assertRaises(UserError) as refused:
            order.with_context(disable_cancel_warning=True).action_cancel()
        message = str(refused.exception)
        for invoice in feb | mar | apr:
            with self.subTest(named=invoice.name):
                self.assertIn(invoice.name, message)
        self._is(order.state, "sale")
        self.assertTrue(sub.active)

        # Credit: what was billed and not credited, per invoice
        self.company.channel_cancel_invoiced = "credit"
        before = Move.search([])
        with self._at(d(4, 10)):
            order.with_context(disable_cancel_warning=True).action_cancel()
        refunds = Move.search([("id", "not in", before.ids)])
        self._is(order.state, "cancel")
        self._is(set(refunds.mapped("move_type")), {"out_refund"})
        by_invoice = {
            refund.reversed_entry_id: refund.amount_untaxed for refund in refunds
        }
        # Feb: 307.10 + 560.00; Mar: 560.00 - 108.39 = 451.61; Apr: 400.00
        self._is(by_invoice, {feb: 867.10, mar: 451.61, apr: 400.0})
        self._is(
            self._rows(refunds.filtered(lambda r: r.reversed_entry_id == feb)),
            [(d(1, 15), d(1, 31), 307.10), (d(2, 1), d(2, 28), 560.0)],
        )
        self._post(d(4, 10), refunds)
        self._is(self._net(sub), 0.0)
        with self._at(d(4, 11)):
            sub.invalidate_recordset()
            self.assertFalse(sub.active)
            self.assertFalse(sub.channel_next_invoice_date)
        self._is(self._run(d(5, 1)), (Move, Move))

    # ------------------------------------------------------------------
    # agency commission paid out by credit note
    # ------------------------------------------------------------------

    def test_agency_coterm_commission_by_credit_note(self):
        """Agency subscription G (3 seats at list 100 to End Customer A,
        the distributor earns 20 a seat) from Jan 15th, co-termed on the
        1st; commission paid out monthly by a credit note to the
        distributor. A refund before payout (3 -> 1 on Feb 15th) is netted;
        March's invoice, paid out, credited on Apr 10th is clawed back on
        May 1st."""
        dist, customer = self.distributor_a, self.customer_a
        Move = self.env["account.move"]
        self._schedule(dist, 1, True, d(1, 10))
        with self._at(d(1, 10)):
            dist.channel_commission_payout = "out_refund"
        g = self._start(
            d(1, 15), [(self.product_monthly, 3)], financial_role="end_customer"
        )

        def settle(day):
            before = Move.search([("partner_id", "=", dist.id)])
            with self._at(day):
                self.env["res.partner"]._cron_channel_settle_commissions()
            return (Move.search([("partner_id", "=", dist.id)]) - before).filtered(
                lambda m: m.move_type in ("out_refund", "out_invoice")
            )

        self.assertFalse(settle(d(2, 1)))
        resale, agency = self._run(d(2, 1))
        self.assertFalse(resale)
        # Jan 15-31: 3 x 100 x 17/31 = 164.516... -> 164.52, commission
        # 3 x 20 x 17/31 = 32.903... -> 32.90; February 300.00, commission
        # 60.00
        self._is(agency.partner_id, customer)
        self._is(agency.amount_untaxed, 464.52)
        self._is(agency.channel_commission, 92.90)
        self._is(
            self._rows(agency),
            [(d(1, 15), d(1, 31), 164.52), (d(2, 1), d(2, 28), 300.0)],
        )
        feb = self._post(d(2, 1), agency)
        self._pay_on(d(2, 5), feb)
        # 3 -> 1 on Feb 15 (14 of 28 days): -2 x 100 x 14/28 = -100.00,
        # commission -2 x 20 x 14/28 = -20.00; finance bills it at once
        change = self._change(g, d(2, 15), 1)
        self._is(change.amount, -100.0)
        self._is(change.channel_commission, -20.0)
        __, agency = self._again(d(2, 16))
        self._is(agency.move_type, "out_refund")
        self._is(agency.amount_untaxed, 100.0)
        self._is(agency.channel_commission, 20.0)
        self._is(agency.reversed_entry_id, feb)
        self._post(d(2, 16), agency)

        # March: February's commission 92.90 less the credit's 20.00,
        # netted before payout: a posted credit note of 72.90 to the
        # distributor, on its receivable
        payout = settle(d(3, 1))
        self._is(payout.mapped("move_type"), ["out_refund"])
        self._is(payout.amount_untaxed, 72.90)
        self._is(payout.state, "posted")
        receivable = payout.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        self._is(receivable.partner_id, dist)
        self._is(receivable.balance, -payout.amount_total)
        self.assertFalse(settle(d(3, 1)))
        __, agency = self._run(d(3, 1))
        # 1 x 100, commission 20
        self._is(agency.amount_untaxed, 100.0)
        self._is(agency.channel_commission, 20.0)
        mar = self._post(d(3, 1), agency)
        self._pay_on(d(3, 5), mar)

        # April: March's 20.00 paid out
        payout = settle(d(4, 1))
        self._is(payout.mapped("move_type"), ["out_refund"])
        self._is(payout.amount_untaxed, 20.0)
        __, agency = self._run(d(4, 1))
        self._is(agency.amount_untaxed, 100.0)
        self._post(d(4, 1), agency)  # left unpaid: not paid out
        # finance credits March's invoice, paid out: 100.00, commission
        # 20.00 no longer earned
        mar_credit = self._credit(d(4, 10), mar)
        self._is(mar_credit.amount_untaxed, 100.0)
        self._is(mar_credit.channel_commission, 20.0)
        self._is(mar_credit.reversed_entry_id, mar)

        # May: the clawback, an invoice of 20.00 to the distributor
        clawback = settle(d(5, 1))
        self._is(clawback.mapped("move_type"), ["out_invoice"])
        self._is(clawback.amount_untaxed, 20.0)
        self.assertFalse(settle(d(5, 1)))
        # commission paid out 72.90 + 20.00, clawed back 20.00: net 72.90,
        # the settlements' total, and the paid agency invoices' commission
        # less their credit notes' (92.90 - 20.00 + 20.00 - 20.00)
        settlements = self.env["commission.settlement"].search(
            [("agent_id", "=", dist.id)]
        )
        self._is(round(sum(settlements.mapped("total")), 2), 72.90)
        # G billed net: 464.52 - 100 + 100 + 100 - 100 = 464.52
        self._is(self._net(g), 464.52)
