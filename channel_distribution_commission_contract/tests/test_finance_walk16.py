# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Walk 16 of a finance controller (issue 25): what walks 9 to 15 left
unwalked. A leap year (2028) of one subscription whose quantity goes up and
down in months of 29, 30 and 31 days (on the leap day and on a month's last
day too), its price book changed on a run day before the run and within a
billed month, its distributor moved to another tier; a month whose
consolidated draft is deleted, billed again the same day, then cancelled
and billed by the next month's run, a partial credit note of one order's
section, a partial payment of the consolidated invoice (the paid status per
order, oldest first), an order cancelled after billing in a later month and
the credited unit billed again at its agreed price. Every figure is a hand
computation written in the test (literal figures, not the code's), the
clock frozen at noon of each day."""

from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from . import test_finance_walk15 as walk15
from .test_finance_controller import d


def l8(month, day):
    """A day of the leap year 2028."""
    return d(month, day, 2028)


class Walk16Case(walk15.Walk15Case):
    """Walk 15's helpers and the lines of a document per order or
    subscription."""

    maxDiff = None

    @staticmethod
    def _lines(moves):
        """``[(what, start, end, quantity, untaxed, commission)]`` of the
        product lines of ``moves``, sorted: ``what`` is the order's name
        for an order's line, the subscription's for a period or a change."""
        rows = []
        for line in moves.invoice_line_ids.filtered(
            lambda x: x.display_type == "product"
        ):
            what = (
                line.sale_line_ids.order_id.name
                or line.contract_line_id.contract_id.name
                or line.channel_adjustment_ids.contract_id.name
            )
            rows.append(
                (
                    what,
                    line.start_date or False,
                    line.end_date or False,
                    line.quantity,
                    line.price_subtotal,
                    line.channel_commission,
                )
            )
        return sorted(rows, key=lambda row: (row[0], str(row[1]), row[3], row[4]))

    def _paid(self, day, record):
        """``(Billed Paid, Billed (Taxes Incl.), Billed and Paid)`` of an
        order or a subscription on ``day``."""
        with self._at(day):
            record.invalidate_recordset()
            return (
                record.channel_paid_state,
                record.channel_amount_billed,
                record.channel_amount_paid,
            )

    def _needs_paid_status(self):
        if "channel_paid_state" not in self.env["sale.order"]._fields:
            self.skipTest("channel_distribution_credit is not installed")
        if "channel_paid_state" not in self.env["contract.contract"]._fields:
            self.skipTest("channel_distribution_credit_contract is not installed")


@tagged("post_install", "-at_install")
class TestWalk16LeapYear(Walk16Case):
    """A: a year of 2028 (February 29 days) on one subscription: quantity
    changes up and down in months of 31, 29, 31 and 30 days, on the leap day
    and on the last day of a month; the book changed on a run day before
    the run and within June; the distributor moved from Gold to Silver in
    July. Every run made again the same day (*Invoice Due Now*: nothing)."""

    def test_leap_year_changes(self):
        """Distributor A (Gold: a 100 seat costs it 80, earns 20), billed on
        the 1st, not co-termed. S 4 seats from Jan 1st 2028, following the
        book. Jan 20th 4 -> 7, Feb 10th 7 -> 5, Feb 29th 5 -> 6, Mar 31st
        6 -> 5, Apr 16th 5 -> 8; Jun 1st (before the run) the book 25 % off
        (75), Jun 15th 5 % off (95), Jun 20th 8 -> 6; Jul 10th the
        distributor moves to Silver (10 % off: 90), Jul 20th 6 -> 9."""
        dist = self.distributor_a
        Move = self.env["account.move"]
        item = self.book_gold.item_ids
        self._schedule(dist, d(12, 20, 2027), channel_invoicing_monthday=1)
        s = self._start(l8(1, 1), [(self.product_monthly, 4)])
        name = s.name

        def run(day):
            """The scheduled run of ``day`` (posted) and finance's *Invoice
            Due Now* the same day: ``(invoice, credit note)``."""
            resale, agency = self._run(day)
            self.assertFalse(agency)
            self._post(day, resale)
            self._is(self._again(day), (Move, Move), f"{day} again")
            return self._kind(resale, "out_invoice"), self._kind(resale, "out_refund")

        # ------------------------------------------------------ January
        # 4 x 80 = 320.00, commission 4 x 20 = 80.00
        jan, none = run(l8(1, 1))
        self._is(none, Move)
        self._is(
            self._lines(jan), [(name, l8(1, 1), l8(1, 31), 4.0, 320.0, 80.0)], "Jan"
        )
        self._is((jan.amount_untaxed, jan.channel_commission), (320.0, 80.0))
        # Jan 20th 4 -> 7, 12 of 31 days: +3 x 80 x 12/31 = 92.903 -> 92.90;
        # commission 3 x 20 x 12/31 = 23.225 -> 23.23
        up = self._change(s, l8(1, 20), 7)
        self._is((up.amount, up.channel_commission), (92.90, 23.23))

        # ----------------------------------------------------- February
        # the leap February 1st-29th: 7 x 80 = 560.00 (140.00) + January's
        # charge 92.90 (23.23) = 652.90, commission 163.23
        feb, none = run(l8(2, 1))
        self._is(none, Move)
        self._is(
            [row[1:3] + row[4:] for row in self._lines(feb)],
            [(l8(1, 20), l8(1, 31), 92.90, 23.23), (l8(2, 1), l8(2, 29), 560.0, 140.0)],
            "Feb",
        )
        self._is((feb.amount_untaxed, feb.channel_commission), (652.90, 163.23))
        # Feb 10th 7 -> 5, 20 of 29 days: -2 x 80 x 20/29 = -110.344 ->
        # -110.34; commission -2 x 20 x 20/29 = -27.586 -> -27.59
        down = self._change(s, l8(2, 10), 5)
        self._is((down.amount, down.channel_commission), (-110.34, -27.59))
        # Feb 29th (the leap day) 5 -> 6, 1 of 29 days: +80 x 1/29 = 2.758
        # -> 2.76; commission 20 x 1/29 = 0.689 -> 0.69
        leap = self._change(s, l8(2, 29), 6)
        self._is((leap.amount, leap.channel_commission), (2.76, 0.69))

        # -------------------------------------------------------- March
        # invoice: 6 x 80 = 480.00 (120.00) + the leap day's 2.76 (0.69) =
        # 482.76, commission 120.69; credit note of February's invoice:
        # 110.34 (27.59), Feb 10th-29th
        mar, mar_credit = run(l8(3, 1))
        self._is(
            [row[1:3] + row[4:] for row in self._lines(mar)],
            [(l8(2, 29), l8(2, 29), 2.76, 0.69), (l8(3, 1), l8(3, 31), 480.0, 120.0)],
            "Mar",
        )
        self._is((mar.amount_untaxed, mar.channel_commission), (482.76, 120.69))
        self._is(mar_credit.reversed_entry_id, feb)
        self._is(
            [row[1:3] + row[4:] for row in self._lines(mar_credit)],
            [(l8(2, 10), l8(2, 29), 110.34, 27.59)],
        )
        self._is(
            (mar_credit.amount_untaxed, mar_credit.channel_commission), (110.34, 27.59)
        )
        # Mar 31st 6 -> 5, the last of 31 days: -80 x 1/31 = -2.580 ->
        # -2.58; commission -20 x 1/31 = -0.645 -> -0.65
        last = self._change(s, l8(3, 31), 5)
        self._is((last.amount, last.channel_commission), (-2.58, -0.65))

        # -------------------------------------------------------- April
        # invoice 5 x 80 = 400.00 (100.00); credit note of March's 2.58
        # (0.65), Mar 31st-31st
        apr, apr_credit = run(l8(4, 1))
        self._is(
            self._lines(apr), [(name, l8(4, 1), l8(4, 30), 5.0, 400.0, 100.0)], "Apr"
        )
        self._is(apr_credit.reversed_entry_id, mar)
        self._is(
            [row[1:3] + row[4:] for row in self._lines(apr_credit)],
            [(l8(3, 31), l8(3, 31), 2.58, 0.65)],
        )
        # Apr 16th 5 -> 8, 15 of 30 days: +3 x 80 x 15/30 = 120.00;
        # commission 3 x 20 x 15/30 = 30.00
        up = self._change(s, l8(4, 16), 8)
        self._is((up.amount, up.channel_commission), (120.0, 30.0))

        # ---------------------------------------------------------- May
        # 8 x 80 = 640.00 (160.00) + April's charge 120.00 (30.00) = 760.00,
        # commission 190.00
        may, none = run(l8(5, 1))
        self._is(none, Move)
        self._is(
            [row[1:3] + row[4:] for row in self._lines(may)],
            [(l8(4, 16), l8(4, 30), 120.0, 30.0), (l8(5, 1), l8(5, 31), 640.0, 160.0)],
            "May",
        )
        self._is((may.amount_untaxed, may.channel_commission), (760.0, 190.0))

        # --------------------------------------------------------- June
        # Jun 1st, before the run: the Gold book 25 % off (a seat 75); the
        # run bills June at 75: 8 x 75 = 600.00, commission 8 x 25 = 200.00
        with self._at(l8(6, 1)):
            item.percent_price = 25
        jun, none = run(l8(6, 1))
        self._is(none, Move)
        self._is(
            self._lines(jun), [(name, l8(6, 1), l8(6, 30), 8.0, 600.0, 200.0)], "Jun"
        )
        # Jun 15th the book 5 % off (95); Jun 20th 8 -> 6 at June's billed
        # 75 (not 95), 11 of 30 days: -2 x 75 x 11/30 = -55.00; commission
        # -2 x 25 x 11/30 = -18.333 -> -18.33
        with self._at(l8(6, 15)):
            item.percent_price = 5
        down = self._change(s, l8(6, 20), 6)
        self._is((down.amount, down.channel_commission), (-55.0, -18.33))

        # --------------------------------------------------------- July
        # 6 x 95 = 570.00, commission 6 x 5 = 30.00; credit note of June's
        # 55.00 (18.33), Jun 20th-30th
        jul, jul_credit = run(l8(7, 1))
        self._is(
            self._lines(jul), [(name, l8(7, 1), l8(7, 31), 6.0, 570.0, 30.0)], "Jul"
        )
        self._is(jul_credit.reversed_entry_id, jun)
        self._is(
            [row[1:3] + row[4:] for row in self._lines(jul_credit)],
            [(l8(6, 20), l8(6, 30), 55.0, 18.33)],
        )
        # Jul 10th: Distributor A moves to Silver (10 % off: a seat 90)
        with self._at(l8(7, 10)):
            dist.distributor_tier_id = self.tier_silver
        # Jul 20th 6 -> 9 at July's billed 95 (not Silver's 90), 12 of 31
        # days: +3 x 95 x 12/31 = 110.322 -> 110.32; commission 3 x 5 x
        # 12/31 = 5.806 -> 5.81
        up = self._change(s, l8(7, 20), 9)
        self._is((up.amount, up.channel_commission), (110.32, 5.81))

        # ------------------------------------------------------- August
        # Silver: 9 x 90 = 810.00 (90.00) + July's charge 110.32 (5.81) =
        # 920.32, commission 95.81
        aug, none = run(l8(8, 1))
        self._is(none, Move)
        self._is(
            [row[1:3] + row[4:] for row in self._lines(aug)],
            [(l8(7, 20), l8(7, 31), 110.32, 5.81), (l8(8, 1), l8(8, 31), 810.0, 90.0)],
            "Aug",
        )
        self._is((aug.amount_untaxed, aug.channel_commission), (920.32, 95.81))

        # -------------------------------------- September to December
        ends = {9: 30, 10: 31, 11: 30, 12: 31}
        for month, end in ends.items():
            inv, none = run(l8(month, 1))
            self._is(none, Move)
            # 9 x 90 = 810.00, commission 90.00
            self._is(
                self._lines(inv),
                [(name, l8(month, 1), l8(month, end), 9.0, 810.0, 90.0)],
                f"month {month}",
            )

        # ------------------------------------------------------ the year
        # invoices 320 + 652.90 + 482.76 + 400 + 760 + 600 + 570 + 920.32 +
        # 4 x 810 = 7,945.98; credit notes 110.34 + 2.58 + 55 = 167.92;
        # net 7,778.06
        # commission 80 + 163.23 + 120.69 + 100 + 190 + 200 + 30 + 95.81 +
        # 4 x 90 = 1,339.73, less 27.59 + 0.65 + 18.33 = 46.57: 1,293.16
        moves = self._posted_moves()
        invoices = self._kind(moves, "out_invoice")
        credits = self._kind(moves, "out_refund")
        self._is(len(invoices), 12)
        self._is(round(sum(invoices.mapped("amount_untaxed")), 2), 7945.98)
        self._is(round(sum(credits.mapped("amount_untaxed")), 2), 167.92)
        self._is(
            sorted(
                (c.reversed_entry_id.invoice_date, c.amount_untaxed) for c in credits
            ),
            [(l8(2, 1), 110.34), (l8(3, 1), 2.58), (l8(6, 1), 55.0)],
        )
        self._is(self._net(s), 7778.06)
        self._is(round(sum(moves.mapped("amount_untaxed_signed")), 2), 7778.06)
        self._is(self._signed_commission(moves), 1293.16)
        self._is(self._partner_commission(dist), 1293.16)
        self._no_negative_lines(moves)
        # twelve monthly periods, Jan 1st to Dec 31st, each billed once
        periods = self._contiguous(s, l8(1, 1))
        self._is(len(periods), 12)
        self._is(periods[-1], (l8(12, 1), l8(12, 31)))
        # every prorated change billed or credited once, none pending
        self._is(sorted(s.channel_adjustment_ids.mapped("state")), ["billed"] * 7)


@tagged("post_install", "-at_install")
class TestWalk16DraftsCreditsPaid(Walk16Case):
    """B: a consolidated draft deleted and billed again the same day, the
    next one cancelled and billed by the next month's run; a partial credit
    note of one order's section and a partial payment of the consolidated
    invoice, the paid status per order (oldest first); an order cancelled in
    a later month (*Credit*) and a credited unit billed again at its agreed
    price after a book change."""

    def test_drafts_credits_paid(self):
        """Distributor A (Gold, 20 % off), billed on the 1st. S 2 seats from
        Jan 1st 2028 (160.00 a month, commission 40.00); O1 Jan 5th 3
        services (80: 240.00, 60.00); O2 Jan 12th 2 set-ups (200: 400.00,
        100.00)."""
        self._needs_paid_status()
        dist = self.distributor_a
        Move = self.env["account.move"]
        self.company.channel_cancel_invoiced = "credit"
        self._schedule(dist, d(12, 20, 2027), channel_invoicing_monthday=1)
        s = self._start(l8(1, 1), [(self.product_monthly, 2)])
        jan, __ = self._run(l8(1, 1))
        # January 2 x 80 = 160.00, commission 40.00
        self._is(self._lines(jan), [(s.name, l8(1, 1), l8(1, 31), 2.0, 160.0, 40.0)])
        self._post(l8(1, 1), jan)
        o1 = self._order(l8(1, 5), [(self.product_service, 3)])
        o2 = self._order(l8(1, 12), [(self.product_setup, 2)])
        self._is((o1.amount_untaxed, o2.amount_untaxed), (240.0, 400.0))

        # the February draft: S February 160.00 (40.00), O1 3 x 80 =
        # 240.00 (60.00), O2 2 x 200 = 400.00 (100.00): 800.00, 200.00
        february = [
            (o1.name, False, False, 3.0, 240.0, 60.0),
            (o2.name, False, False, 2.0, 400.0, 100.0),
            (s.name, l8(2, 1), l8(2, 29), 2.0, 160.0, 40.0),
        ]
        february.sort(key=lambda row: (row[0], str(row[1]), row[3], row[4]))
        d1, __ = self._run(l8(2, 1))
        self._is(self._lines(d1), february, "first draft")
        self._is((d1.amount_untaxed, d1.channel_commission), (800.0, 200.0))
        # finance deletes the draft; *Invoice Due Now* the same day bills
        # the same 800.00 again, once
        with self._at(l8(2, 1)):
            d1.with_user(self.accountant).unlink()
        d2, __ = self._again(l8(2, 1))
        self._is(self._lines(d2), february, "billed again the same day")
        self._is((d2.amount_untaxed, d2.channel_commission), (800.0, 200.0))
        self._is(self._again(l8(2, 1)), (Move, Move), "and not a third time")
        # finance cancels the second draft: nothing billed until the next
        # run (it gave its period and its orders back)
        with self._at(l8(2, 1)):
            d2.with_user(self.accountant).button_cancel()
        self._is(d2.state, "cancel")
        with self._at(l8(2, 2)), self.assertRaises(UserError):
            d2.with_user(self.accountant).button_draft()
        self._is(d2.state, "cancel")
        # nothing of S's February pending on a live invoice
        self._is(self._periods(s), [(l8(1, 1), l8(1, 31))])

        # ----------------------- Mar 1st: the run bills February and March
        # S February 160.00 + March 160.00, O1 240.00, O2 400.00 = 960.00;
        # commission 40 + 40 + 60 + 100 = 240.00
        d3, none = self._run(l8(3, 1))
        self._is(none, Move)
        self._is(self._kind(d3, "out_refund"), Move)
        self._is(
            self._lines(d3),
            sorted(
                february + [(s.name, l8(3, 1), l8(3, 31), 2.0, 160.0, 40.0)],
                key=lambda row: (row[0], str(row[1]), row[3], row[4]),
            ),
            "March",
        )
        self._is((d3.amount_untaxed, d3.channel_commission), (960.0, 240.0))
        self._post(l8(3, 1), d3)
        self._is(self._again(l8(3, 1)), (Move, Move))
        # paid status: nothing paid; S's two sections 320.00 (its order Jan
        # 1st), O1 240.00, O2 400.00
        self._is(self._paid(l8(3, 1), s), ("not_paid", 480.0, 0.0))
        self._is(self._paid(l8(3, 1), o1), ("not_paid", 240.0, 0.0))
        self._is(self._paid(l8(3, 1), o2), ("not_paid", 400.0, 0.0))

        # -------------------- Mar 10th: one of O2's set-ups credited (200)
        def o2_one_unit(refund):
            others = refund.invoice_line_ids.filtered(
                lambda x: x.display_type == "product" and x.sale_line_ids.order_id != o2
            )
            refund.write({"invoice_line_ids": [Command.delete(x.id) for x in others]})
            refund.invoice_line_ids.filtered(
                lambda x: x.display_type == "product"
            ).quantity = 1

        c1 = self._credit_edited(l8(3, 10), d3, o2_one_unit)
        # 1 x 200 = 200.00, commission 50.00, linked to March's invoice and
        # applied to it when posted: 760.00 open
        self._is(c1.reversed_entry_id, d3)
        self._is(self._lines(c1), [(o2.name, False, False, 1.0, 200.0, 50.0)])
        self._is(d3.amount_residual, 760.0)
        # W16-1: a credit note reconciled with a consolidated invoice pays
        # the section it credits, not the oldest order's; before the fix
        # its 200.00 went to S (oldest) as a payment: S partial 200.00, O2
        # not paid; after the 500.00 O1 "paid" 240.00 with 60.00 open.
        # the controller's paid status: O2's section is settled 200.00 by
        # its own credit note (as a reversed invoice is "paid by its credit
        # note"); S (January's 160.00 and March's 320.00, both open) and
        # O1 have been paid nothing
        self._is(self._paid(l8(3, 10), s), ("not_paid", 480.0, 0.0), "W16-1")
        self._is(self._paid(l8(3, 10), o1), ("not_paid", 240.0, 0.0), "W16-1")
        self._is(self._paid(l8(3, 10), o2), ("partial", 400.0, 200.0), "W16-1")

        # ----------- Mar 15th: the distributor pays 500.00 of March's 760
        self._pay_part(l8(3, 15), d3, 500.0)
        self._is(d3.amount_residual, 260.0)
        # oldest order first over what is left of each section: S's
        # sections 320.00 paid in full, O1 180.00 of 240.00, O2 nothing
        # more (its 200.00 settled by the credit note): S 320 of 480 (its
        # January open), O1 partial 180.00, O2 partial 200.00
        self._is(self._paid(l8(3, 15), s), ("partial", 480.0, 320.0), "W16-1")
        self._is(self._paid(l8(3, 15), o1), ("partial", 240.0, 180.0), "W16-1")
        self._is(self._paid(l8(3, 15), o2), ("partial", 400.0, 200.0), "W16-1")
        self._pay_part(l8(3, 15), jan, 160.0)
        self._is(self._paid(l8(3, 15), s), ("paid", 480.0, 480.0))

        # ------------- Mar 20th: the Gold book 25 % off (a set-up 187.50)
        with self._at(l8(3, 20)):
            self.book_gold.item_ids.percent_price = 25
        # Apr 1st: S April 2 x 75 = 150.00, commission 2 x 25 = 50.00; no
        # order line to bill (O2's credited unit is not billed again)
        apr, none = self._run(l8(4, 1))
        self._is(none, Move)
        self._is(self._lines(apr), [(s.name, l8(4, 1), l8(4, 30), 2.0, 150.0, 50.0)])
        self._post(l8(4, 1), apr)

        # ------------ Apr 5th: O1 cancelled (*Credit*): a credit note of
        # March's invoice for what O1 billed: 3 x 80 = 240.00 (60.00)
        o1_credits = self._cancel(l8(4, 5), o1)
        self._is(
            [
                (c.reversed_entry_id, c.amount_untaxed, c.channel_commission)
                for c in o1_credits
            ],
            [(d3, 240.0, 60.0)],
        )
        self._is(self._lines(o1_credits), [(o1.name, False, False, 3.0, 240.0, 60.0)])
        self._post(l8(4, 5), o1_credits)
        # March's 960.00 less 200.00, 500.00 and 240.00: 20.00 open, O2's
        # last 20.00 (S 320 and O1's sections settled: O1 by its payment
        # and its credit note)
        self._is(d3.amount_residual, 20.0)
        self._is(self._paid(l8(4, 5), o2), ("partial", 400.0, 380.0))
        self._is(self._paid(l8(4, 5), o1)[0], "paid")

        # ------- Apr 10th: finance bills O2's credited set-up again: at its
        # agreed 200.00 (not the book's 187.50), commission 50.00
        with self._at(l8(4, 10)):
            o2.with_user(self.accountant).action_channel_bill_again()
        may, none = self._run(l8(5, 1))
        self._is(none, Move)
        # S May 150.00 (50.00) + O2 1 x 200 = 200.00 (50.00) = 350.00, 100.00
        self._is(
            self._lines(may),
            sorted(
                [
                    (o2.name, False, False, 1.0, 200.0, 50.0),
                    (s.name, l8(5, 1), l8(5, 31), 2.0, 150.0, 50.0),
                ],
                key=lambda row: (row[0], str(row[1]), row[3], row[4]),
            ),
        )
        self._is((may.amount_untaxed, may.channel_commission), (350.0, 100.0))
        self._post(l8(5, 1), may)
        self._is(self._again(l8(5, 1)), (Move, Move))

        # --------------------------------------------------- the months
        # S: 160 + 160 + 160 + 150 + 150 = 780.00 (commission 40 x 3 + 50 x
        # 2 = 220.00); O1 240 - 240 = 0.00 (0.00); O2 400 - 200 + 200 =
        # 400.00 (100 - 50 + 50 = 100.00); the distributor 1,180.00 net,
        # commission 320.00; the deleted and the cancelled drafts nothing
        self._is(self._net(s), 780.0)
        moves = self._posted_moves()
        self._is(round(sum(moves.mapped("amount_untaxed_signed")), 2), 1180.0)
        self._is(self._signed_commission(moves), 320.0)
        self._is(self._partner_commission(dist), 320.0)
        self._no_negative_lines(moves)
        for order, billed in ((o1, 0.0), (o2, 400.0)):
            lines = moves.invoice_line_ids.filtered(
                lambda x, o=order: x.sale_line_ids.order_id == o
            )
            self._is(
                round(
                    sum(
                        x.price_subtotal
                        * (-1 if x.move_id.move_type == "out_refund" else 1)
                        for x in lines
                    ),
                    2,
                ),
                billed,
                order.name,
            )
        self._is(o2.order_line.qty_invoiced, 2.0)
        self._is(o2.order_line.qty_to_invoice, 0.0)
        self._contiguous(s, l8(1, 1))


@tagged("post_install", "-at_install")
class TestWalk16TwoCompanies(Walk16Case):
    """C: one distributor billed by two companies (same currency, the same
    price book): each company's periods and orders on that company's
    invoice, its credits on credit notes of that company's invoices; the
    accountant of one company bills his company only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.env["res.company"].create(
            {"name": "Test Walk16 Company 2", "currency_id": cls.currency.id}
        )
        cls.env["account.chart.template"].try_loading(
            cls.company.chart_template or "generic_coa", cls.company_2
        )
        cls.env.user.company_ids |= cls.company_2
        (cls.book_gold | cls.book_silver | cls.book_public).company_id = False
        cls.accountant_2 = new_test_user(
            cls.env,
            "walk16_accountant_2",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.company_2.id,
            company_ids=[Command.set(cls.company_2.ids)],
        )

    def test_two_companies(self):
        """Distributor A (Gold, 20 % off), billed on the 1st. Company 1: S1
        2 seats from Jan 1st 2028 (160.00 a month, 40.00). Company 2: S2 3
        seats from Jan 1st (240.00, 60.00), O Jan 10th 2 services (160.00,
        40.00). Feb 15th S2 3 -> 1; Feb 20th each accountant's *Invoice Due
        Now*; Mar 5th O cancelled (*Credit*, company 2's setting)."""
        dist = self.distributor_a
        Move = self.env["account.move"]
        c1, c2 = self.company, self.company_2
        c2.channel_cancel_invoiced = "credit"
        c2.create_contract_at_sale_order_confirmation = True
        self._schedule(dist, d(12, 20, 2027), channel_invoicing_monthday=1)
        s1 = self._start(l8(1, 1), [(self.product_monthly, 2)])
        with self._at(l8(1, 1)):
            vals = self._order_vals(
                dist, self.customer_a, [(self.product_monthly, 3)], company_id=c2.id
            )
            vals["order_line"][0][2]["date_start"] = l8(1, 1)
            order_s2 = self.env["sale.order"].with_company(c2).create(vals)
            order_s2.with_company(c2).action_confirm()
        s2 = self.env["contract.contract"].search(
            [("channel_order_id", "=", order_s2.id)]
        )
        self._is((s1.company_id, s2.company_id), (c1, c2))

        def by_company(moves):
            """``{company: [(type, lines, untaxed, commission)]}``, a line
            ``(what, start, end, untaxed, commission)``."""
            result = {}
            for move in moves.sorted(lambda m: (m.move_type, m.id)):
                self.assertEqual(move.journal_id.company_id, move.company_id)
                result.setdefault(move.company_id, []).append(
                    (
                        move.move_type,
                        [row[:3] + row[4:] for row in self._lines(move)],
                        move.amount_untaxed,
                        move.channel_commission,
                    )
                )
            return result

        # ------------------------------------------- Jan 1st: both companies
        jan, none = self._run(l8(1, 1))
        self._is(none, Move)
        self._is(
            by_company(jan),
            {
                c1: [
                    (
                        "out_invoice",
                        [(s1.name, l8(1, 1), l8(1, 31), 160.0, 40.0)],
                        160.0,
                        40.0,
                    )
                ],
                c2: [
                    (
                        "out_invoice",
                        [(s2.name, l8(1, 1), l8(1, 31), 240.0, 60.0)],
                        240.0,
                        60.0,
                    )
                ],
            },
        )
        self._post(l8(1, 1), jan.filtered(lambda m: m.company_id == c1))
        with self._at(l8(1, 1)):
            jan.filtered(lambda m: m.company_id == c2).with_user(
                self.accountant_2
            ).action_post()
        with self._at(l8(1, 10)):
            o = self._create_order(
                dist,
                self.customer_a,
                [(self.product_service, 2)],
                company_id=c2.id,
            )
            o.with_company(c2).action_confirm()
        self._is((o.company_id, o.amount_untaxed), (c2, 160.0))

        # ---------------------------------------------------- Feb 1st
        # company 1: S1 160.00 (40.00); company 2: S2 240.00 (60.00) + O 2 x
        # 80 = 160.00 (40.00) = 400.00, 100.00
        feb, __ = self._run(l8(2, 1))
        feb_c2 = feb.filtered(lambda m: m.company_id == c2)
        self._is(
            by_company(feb),
            {
                c1: [
                    (
                        "out_invoice",
                        [(s1.name, l8(2, 1), l8(2, 29), 160.0, 40.0)],
                        160.0,
                        40.0,
                    )
                ],
                c2: [
                    (
                        "out_invoice",
                        [
                            (s2.name, l8(2, 1), l8(2, 29), 240.0, 60.0),
                            (o.name, False, False, 160.0, 40.0),
                        ],
                        400.0,
                        100.0,
                    )
                ],
            },
        )
        self._post(l8(2, 1), feb - feb_c2)
        with self._at(l8(2, 1)):
            feb_c2.with_user(self.accountant_2).action_post()
        # Feb 15th S2 3 -> 1, 15 of 29 days: -2 x 80 x 15/29 = -82.758 ->
        # -82.76; commission -2 x 20 x 15/29 = -20.689 -> -20.69
        down = self._change(s2, l8(2, 15), 1)
        self._is((down.amount, down.channel_commission), (-82.76, -20.69))
        # Feb 20th: each accountant's *Invoice Due Now*, for his company
        # only: company 1 nothing; company 2 the credit due now, a credit
        # note of company 2's February invoice: 82.76 (20.69), Feb 15th-29th
        with self._at(l8(2, 20)):
            ids = dist.with_user(self.accountant).channel_invoice_due(l8(2, 20))
        self._is(ids, [], "company 1")
        with self._at(l8(2, 20)):
            ids = dist.with_user(self.accountant_2).channel_invoice_due(l8(2, 20))
        s2_credit = Move.browse(ids)
        self._is(
            by_company(s2_credit),
            {
                c2: [
                    (
                        "out_refund",
                        [(s2.name, l8(2, 15), l8(2, 29), 82.76, 20.69)],
                        82.76,
                        20.69,
                    )
                ]
            },
        )
        self._is(s2_credit.reversed_entry_id, feb_c2, "linked")
        with self._at(l8(2, 20)):
            s2_credit.with_user(self.accountant_2).action_post()

        # ---------------------------------------------------- Mar 1st
        # company 1: S1 160.00 (40.00); company 2: S2 1 x 80 = 80.00 (20.00)
        # (nothing credited again)
        mar, __ = self._run(l8(3, 1))
        self._is(
            by_company(mar),
            {
                c1: [
                    (
                        "out_invoice",
                        [(s1.name, l8(3, 1), l8(3, 31), 160.0, 40.0)],
                        160.0,
                        40.0,
                    )
                ],
                c2: [
                    (
                        "out_invoice",
                        [(s2.name, l8(3, 1), l8(3, 31), 80.0, 20.0)],
                        80.0,
                        20.0,
                    ),
                ],
            },
        )
        self._post(l8(3, 1), mar.filtered(lambda m: m.company_id == c1))
        with self._at(l8(3, 1)):
            mar.filtered(lambda m: m.company_id == c2).with_user(
                self.accountant_2
            ).action_post()

        # ------------------ Mar 5th: O cancelled; company 2 credits it
        # a credit note of company 2's February invoice: 160.00 (40.00)
        o_credits = self._cancel(l8(3, 5), o)
        self._is(
            [
                (
                    c.company_id,
                    c.reversed_entry_id,
                    c.amount_untaxed,
                    c.channel_commission,
                )
                for c in o_credits
            ],
            [(c2, feb_c2, 160.0, 40.0)],
        )
        with self._at(l8(3, 5)):
            o_credits.with_user(self.accountant_2).action_post()
        # Apr 1st: company 1 S1 160.00, company 2 S2 80.00; O nothing
        apr, none = self._run(l8(4, 1))
        self._is(none, Move)
        self._is(
            sorted((m.company_id.id, m.move_type, m.amount_untaxed) for m in apr),
            [(c1.id, "out_invoice", 160.0), (c2.id, "out_invoice", 80.0)],
        )
        self._post(l8(4, 1), apr.filtered(lambda m: m.company_id == c1))
        with self._at(l8(4, 1)):
            apr.filtered(lambda m: m.company_id == c2).with_user(
                self.accountant_2
            ).action_post()

        # ---------------------------------------------------- the quarter
        # company 1: S1 160 x 4 (Jan-Apr) = 640.00, commission 160.00
        # company 2: S2 240 + 240 - 82.76 + 80 + 80 (April) = 557.24, O 160
        # - 160 = 0.00: 557.24; commission 60 + 60 - 20.69 + 20 + 20 +
        # 40 - 40 = 139.31
        moves = self._posted_moves()
        for company, net, commission in ((c1, 640.0, 160.0), (c2, 557.24, 139.31)):
            mine = moves.filtered(lambda m, c=company: m.company_id == c)
            self._is(
                round(sum(mine.mapped("amount_untaxed_signed")), 2), net, company.name
            )
            self._is(self._signed_commission(mine), commission, company.name)
        self._is(self._net(s1), 640.0)
        self._is(self._net(s2), 557.24)
        self._no_negative_lines(moves)


@tagged("post_install", "-at_install")
class TestWalk16AgencyLeapCoterm(Walk16Case):
    """D: an agency subscription co-termed from the middle of the leap
    February, its commission paid out monthly by vendor bill, a quantity
    lowered after its month was paid out (clawed back from the next
    payout) and raised in a 30-day month."""

    def test_agency_leap_coterm_payout(self):
        """Distributor B (agency, Silver: a 100 seat earns 10), co-termed,
        billed on the 1st, paid out monthly by vendor bill; End Customer B
        buys at the list price and pays each invoice on the 10th. G 3 seats
        from Feb 15th 2028; Mar 20th 3 -> 2; Apr 21st 2 -> 5. The
        accountant settles on the 1st, after the run."""
        dist, customer = self.distributor_b, self.customer_b
        Move = self.env["account.move"]
        self._schedule_payout(dist, d(12, 20, 2027), coterm=True)
        g = self._start(l8(2, 15), [(self.product_monthly, 3)], dist, customer)
        self._is(g.partner_id, customer)

        def month(day, rows, figures, credit=None):
            """The run of ``day``: G's invoice ``rows`` [(start, end,
            untaxed, commission)] and ``figures`` (untaxed, commission),
            ``credit`` (corrected invoice, rows) of its credit note;
            posted, and billed nothing more the same day."""
            resale, agency = self._run(day, dist)
            self.assertFalse(resale)
            self._is(agency.partner_id, customer, f"{day} to the end customer")
            invoice = self._kind(agency, "out_invoice")
            refund = self._kind(agency, "out_refund")
            self._is(
                [row[1:3] + row[4:] for row in self._lines(invoice)], rows, str(day)
            )
            self._is(
                (invoice.amount_untaxed, invoice.channel_commission), figures, str(day)
            )
            if credit:
                self._is(
                    (
                        refund.reversed_entry_id,
                        [row[1:3] + row[4:] for row in self._lines(refund)],
                    ),
                    credit,
                    f"{day} credit",
                )
            else:
                self._is(refund, Move, f"{day} no credit")
            self._post(day, agency)
            self._is(self._again(day, dist), (Move, Move), f"{day} again")
            return invoice, refund

        # ------------------------------------------------ Mar 1st
        # Feb 15th-29th, 15 of 29 days: 3 x 100 x 15/29 = 155.172 -> 155.17,
        # commission 3 x 10 x 15/29 = 15.517 -> 15.52; March 300.00 (30.00):
        # 455.17, commission 45.52
        mar, __ = month(
            l8(3, 1),
            [
                (l8(2, 15), l8(2, 29), 155.17, 15.52),
                (l8(3, 1), l8(3, 31), 300.0, 30.0),
            ],
            (455.17, 45.52),
        )
        self._pay_on(l8(3, 10), mar)
        self._is(mar.payment_state, "paid")
        # Mar 20th 3 -> 2, 12 of 31 days: -1 x 100 x 12/31 = -38.709 ->
        # -38.71; commission -10 x 12/31 = -3.870 -> -3.87
        down = self._change(g, l8(3, 20), 2)
        self._is((down.amount, down.channel_commission), (-38.71, -3.87))

        # ------------------------------------------------ Apr 1st
        # April 2 x 100 = 200.00 (20.00); a credit note of March's invoice
        # (paid, its commission not paid out yet): 38.71 (3.87)
        apr, apr_credit = month(
            l8(4, 1),
            [(l8(4, 1), l8(4, 30), 200.0, 20.0)],
            (200.0, 20.0),
            credit=(mar, [(l8(3, 20), l8(3, 31), 38.71, 3.87)]),
        )
        # the payout of March: March's invoice 45.52 (the credit note is
        # April's)
        got, bills = self._settle_sum(l8(4, 1), dist)
        self._is(got, [("in_invoice", 45.52)], "Apr 1st payout")
        self._post(l8(4, 1), bills)
        self._pay_on(l8(4, 10), apr)
        # Apr 21st 2 -> 5, 10 of 30 days: +3 x 100 x 10/30 = 100.00;
        # commission 3 x 10 x 10/30 = 10.00
        up = self._change(g, l8(4, 21), 5)
        self._is((up.amount, up.channel_commission), (100.0, 10.0))

        # ------------------------------------------------ May 1st
        # May 5 x 100 = 500.00 (50.00) + April's charge 100.00 (10.00) =
        # 600.00, 60.00
        may, __ = month(
            l8(5, 1),
            [
                (l8(4, 21), l8(4, 30), 100.0, 10.0),
                (l8(5, 1), l8(5, 31), 500.0, 50.0),
            ],
            (600.0, 60.0),
        )
        # April's payout: 20.00 less the clawback 3.87 = 16.13
        got, more = self._settle_sum(l8(5, 1), dist)
        self._is(got, [("in_invoice", 16.13)], "May 1st payout")
        self._post(l8(5, 1), more)
        bills |= more
        self._pay_on(l8(5, 10), may)

        # ------------------------------------------------ Jun 1st
        jun, __ = month(l8(6, 1), [(l8(6, 1), l8(6, 30), 500.0, 50.0)], (500.0, 50.0))
        got, more = self._settle_sum(l8(6, 1), dist)
        self._is(got, [("in_invoice", 60.0)], "Jun 1st payout")
        self._post(l8(6, 1), more)
        bills |= more

        # ------------------------------------------------ the months
        # End Customer B: 455.17 + 200 - 38.71 + 600 + 500 = 1,716.46;
        # commission 45.52 + 20 - 3.87 + 60 + 50 = 171.65; paid out 45.52 +
        # 16.13 + 60 = 121.65 (June's 50.00 on Jul 1st): 171.65
        moves = self._moves_of(customer)
        self._is(self._signed(moves), 1716.46)
        self._is(self._signed_commission(moves), 171.65)
        self._is(self._net(g), 1716.46)
        self._is(round(sum(bills.mapped("amount_untaxed")), 2), 121.65)
        self._is(self._payout_bills(dist), bills)
        # open: June's 500.00 and the credit note's -38.71 = 461.29
        self._is(round(sum(moves.mapped("amount_residual_signed")), 2), 461.29)
        self._is(apr_credit.amount_residual, 38.71)
        self._is(jun.amount_residual, 500.0)
        self._no_negative_lines(moves)
        self._contiguous(g, l8(2, 15))


@tagged("post_install", "-at_install")
class TestWalk16ScheduledJobsDaily(Walk16Case):
    """E: the scheduled jobs themselves (invoicing and commission
    settlement), each run twice every day from Feb 28th to Apr 2nd 2028
    (the leap day, two 1sts): each month billed and paid out once, nothing
    on the other days."""

    def test_jobs_every_day_twice(self):
        """Distributor A (Gold: a seat 80) billed on the 1st: S 1 seat from
        Mar 1st 2028. Distributor B (agency, Silver: earns 10 a seat), paid
        out monthly by vendor bill: G 2 seats to End Customer B from Mar
        1st, paid on the 10th. The accountant posts each day's drafts."""
        a, b, customer = self.distributor_a, self.distributor_b, self.customer_b
        Move = self.env["account.move"]
        SaleOrder = self.env["sale.order"]
        Partner = self.env["res.partner"]
        self._schedule(a, d(12, 20, 2027), channel_invoicing_monthday=1)
        self._schedule_payout(b, d(12, 20, 2027))
        s = self._start(l8(3, 1), [(self.product_monthly, 1)])
        g = self._start(l8(3, 1), [(self.product_monthly, 2)], b, customer)
        parties = (a | b | customer).ids

        def documents():
            return Move.search(
                [
                    ("commercial_partner_id", "in", parties),
                    ("move_type", "!=", "entry"),
                    ("state", "!=", "cancel"),
                ]
            )

        # day: [(party, type, untaxed, commission)] of the new documents
        expected = {
            # S March 1 x 80 = 80.00 (20.00); G March 2 x 100 = 200.00
            # (20.00)
            l8(3, 1): [
                (a.id, "out_invoice", 80.0, 20.0),
                (customer.id, "out_invoice", 200.0, 20.0),
            ],
            # the same for April; B's payout of March: 20.00
            l8(4, 1): [
                (a.id, "out_invoice", 80.0, 20.0),
                (b.id, "in_invoice", 20.0, 0.0),
                (customer.id, "out_invoice", 200.0, 20.0),
            ],
        }
        day, last = l8(2, 28), l8(4, 2)
        seen = documents()
        while day <= last:
            with self._at(day):
                for __ in range(2):
                    SaleOrder._cron_create_distributor_invoices()
                    Partner._cron_channel_settle_commissions()
            new = documents() - seen
            self._is(
                sorted(
                    (
                        m.commercial_partner_id.id,
                        m.move_type,
                        m.amount_untaxed,
                        m.channel_commission if m.is_sale_document() else 0.0,
                    )
                    for m in new
                ),
                sorted(expected.get(day, [])),
                str(day),
            )
            if new:
                self._post(day, new)
            seen |= new
            if day == l8(3, 1):
                g_march = new.filtered(lambda m, c=customer: m.partner_id == c)
            if day == l8(3, 10):
                self._pay_on(day, g_march)
            day += timedelta(days=1)
        # S and G: March and April billed once each, contiguous
        self._is(self._periods(s), [(l8(3, 1), l8(3, 31)), (l8(4, 1), l8(4, 30))])
        self._is(self._periods(g), [(l8(3, 1), l8(3, 31)), (l8(4, 1), l8(4, 30))])
        self._is(g_march.payment_state, "paid")
        self._is(
            [(m.move_type, m.amount_untaxed) for m in self._payout_bills(b)],
            [("in_invoice", 20.0)],
        )
