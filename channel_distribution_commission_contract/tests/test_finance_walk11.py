# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Walk 11 of a finance controller (issue 25): what walks 9 and 10 left
unwalked. The accountant deleting and cancelling a commission payout bill
and settling again, a distributor moved from one tier to another mid-year
with book, negotiated and yearly lines on one subscription, and a price
book in another currency whose rate changes every month. Every figure is a
hand computation written in the test (literal figures, not the code's),
the clock frozen at noon of each day."""

from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from . import test_finance_walk9 as walk9
from . import test_finance_walk10 as walk10
from .test_finance_controller import d


class Walk11Case(walk10.Walk10Case):
    """Walk 10's helpers (the accountant's actions) and the payout's."""

    def _settle(self, day, distributor):
        """The accountant's *Settle* of ``distributor`` on ``day``: the new
        payout moves."""
        with self._at(day):
            ids = distributor.with_user(self.accountant).channel_settle_commissions(day)
        return self.env["account.move"].browse(ids)

    def _payout_bills(self, distributor):
        """The distributor's payout bills and refunds that are not
        cancelled, as finance lists them."""
        return self.env["account.move"].search(
            [
                ("partner_id", "=", distributor.id),
                ("move_type", "in", ("in_invoice", "in_refund")),
                ("state", "!=", "cancel"),
            ]
        )

    def _settlements(self, distributor):
        return (
            self.env["commission.settlement"]
            .sudo()
            .search([("agent_id", "=", distributor.id)], order="date_from, id")
        )

    def _line(self, contract, product):
        return contract.contract_line_ids.filtered(lambda x: x.product_id == product)

    def _change_line(self, line, day, quantity):
        with self._at(day):
            return line._channel_change_quantity(quantity, day)[:1]


@tagged("post_install", "-at_install")
class TestWalk11PayoutUndone(Walk11Case):
    """A: the accountant deletes a draft payout bill, then cancels a posted
    one, and settles again: each month's commission paid once, none lost."""

    def test_payout_bill_deleted_and_cancelled(self):
        """Distributor B (agency, Silver: a 100 seat earns 10), invoiced on
        the 1st, paid out monthly by vendor bill: G 2 seats to End Customer
        B from Jan 1st 2027. Each agency invoice 200.00 (commission 20.00)
        paid on the 10th. Feb 1st: the accountant settles (January's bill),
        deletes the draft on Feb 2nd and settles again. Mar 1st: February's
        bill, posted, reset to draft and cancelled on Mar 3rd (the
        distributor's invoice carried a wrong amount); settled again on Mar
        4th. Apr 1st: the month's settlement."""
        dist, customer = self.distributor_b, self.customer_b
        acc = self.accountant
        Move = self.env["account.move"]
        self._schedule_payout(dist, d(12, 20, 2026))
        self._start(d(1, 1), [(self.product_monthly, 2)], dist, customer)

        def month(day):
            __, inv = self._run(day, dist)
            # 2 x 100 = 200.00, commission 2 x 10 = 20.00
            self._is((inv.amount_untaxed, inv.channel_commission), (200.0, 20.0))
            self._post(day, inv)
            return inv

        def pay(day, inv):
            self._pay_on(day, inv)
            self._is(inv.payment_state, "paid")

        def bill_date(day, bills):
            with self._at(day):
                bills.with_user(acc).write({"invoice_date": day})

        pay(d(1, 10), month(d(1, 1)))
        # ---------------------------------------------------------- Feb 1
        feb = month(d(2, 1))
        bills = self._settle(d(2, 1), dist)
        # January's: one bill of 20.00
        self._is(bills.mapped("move_type"), ["in_invoice"])
        self._is(bills.amount_untaxed, 20.0)
        # Feb 2: the accountant deletes the draft
        with self._at(d(2, 2)):
            bills.with_user(acc).unlink()
        self._is(bills.exists(), Move)
        self._is(self._payout_bills(dist), Move)
        # settled again the same month: January's bill once more, 20.00
        jan_bill = self._settle(d(2, 2), dist)
        self._is(jan_bill.amount_untaxed, 20.0)
        self._is(self._payout_bills(dist), jan_bill)
        # and a third time: nothing more
        self._is(self._settle(d(2, 2), dist), Move)
        bill_date(d(2, 2), jan_bill)
        self._post(d(2, 2), jan_bill)
        pay(d(2, 10), feb)
        # ---------------------------------------------------------- Mar 1
        mar = month(d(3, 1))
        feb_bill = self._settle(d(3, 1), dist)
        # February's: one bill of 20.00 (January's paid out already)
        self._is(feb_bill.amount_untaxed, 20.0)
        bill_date(d(3, 1), feb_bill)
        self._post(d(3, 1), feb_bill)
        # Mar 3: the distributor's own invoice was wrong; the accountant
        # resets the bill and cancels it
        with self._at(d(3, 3)):
            feb_bill.with_user(acc).button_draft()
            feb_bill.with_user(acc).button_cancel()
        self._is(feb_bill.state, "cancel")
        # February's 20.00 is owed still: settled again on Mar 4th, a bill
        # of 20.00 for it (not lost)
        again = self._settle(d(3, 4), dist)
        self._is(again.amount_untaxed, 20.0, "February billed again")
        # once: settling again makes nothing more
        self._is(self._settle(d(3, 4), dist), Move, "nothing more")
        if again:
            bill_date(d(3, 4), again)
            self._post(d(3, 4), again)
        # Mar 5: the cancelled bill reset to draft and posted on top of it
        # would pay February twice: refused
        with self._at(d(3, 5)):
            feb_bill.with_user(acc).button_draft()
            posted = True
            try:
                with self.env.cr.savepoint():
                    feb_bill.with_user(acc).action_post()
            except UserError:
                posted = False
            self._is(posted, False, "the old bill posted again")
            if posted:
                feb_bill.with_user(acc).button_draft()
            feb_bill.with_user(acc).button_cancel()
        self._is(feb_bill.state, "cancel")
        pay(d(3, 10), mar)
        # ---------------------------------------------------------- Apr 1
        apr_bills = self._settle(d(4, 1), dist)
        # March's: 20.00 (nothing of January nor February again)
        self._is(apr_bills.amount_untaxed, 20.0, "March")
        # paid out: January 20.00, February 20.00 (once), March 20.00
        live = self._payout_bills(dist)
        self._is(round(sum(live.mapped("amount_untaxed")), 2), 60.0, "paid out")
        self._is(jan_bill.state, "posted")
        # each month's settlement billed by one live bill, once
        per_month = {}
        for settlement in self._settlements(dist).filtered(
            lambda s: s.state != "cancel"
        ):
            bills = settlement.invoice_line_ids.move_id.filtered(
                lambda m: m.state != "cancel"
            )
            per_month.setdefault(settlement.date_from, []).append(
                (round(settlement.total, 2), len(bills), settlement.state)
            )
        self._is(
            per_month,
            {
                d(1, 1): [(20.0, 1, "invoiced")],
                d(2, 1): [(20.0, 1, "invoiced")],
                d(3, 1): [(20.0, 1, "invoiced")],
            },
        )
        # nothing more to settle
        self._is(self._settle(d(4, 2), dist), Move)


@tagged("post_install", "-at_install")
class TestWalk11TierChange(Walk11Case):
    """B: a distributor moved from Silver to Gold mid-year, one subscription
    with a line sold at the book's price, a negotiated one and a yearly
    licence billed in advance; quantities changed after the move."""

    def _start_mixed(self, day):
        """One order from ``day``: M 4 seats at the book's price (Silver:
        90), N 2 seats at a negotiated 85, Y 1 yearly licence at the book's
        price (Silver: 1,080)."""
        with self._at(day):
            vals = self._order_vals(
                self.distributor_a,
                self.customer_a,
                [
                    (self.product_monthly, 4),
                    (self.product_seat_n, 2),
                    (self.product_yearly, 1),
                ],
            )
            for command in vals["order_line"]:
                command[2]["date_start"] = day
            vals["order_line"][1][2]["price_unit"] = 85.0
            order = self.env["sale.order"].create(vals)
            order.action_confirm()
        return self.env["contract.contract"].search(
            [("channel_order_id", "=", order.id)]
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_seat_n = cls._create_recurring_product(
            name="Test Walk11 Seat N", recurring_invoicing_type="pre-paid"
        )

    def test_silver_to_gold(self):
        """Distributor A on Silver (10 % off: a 100 seat 90, the 1,200
        licence 1,080), invoiced on the 1st (not co-termed). Mar 15th: moved
        to Gold (20 % off: 80 and 960). Mar 20th M 4 -> 6; May 10th Y 1 -> 2
        and N 2 -> 1. The year to Jan 1st 2028 (renewal)."""
        dist = self.distributor_a
        Move = self.env["account.move"]
        with self._at(d(12, 20, 2026)):
            dist.distributor_tier_id = self.tier_silver
        self._schedule(dist, d(12, 20, 2026), channel_invoicing_monthday=1)
        s = self._start_mixed(d(1, 1))
        m = self._line(s, self.product_monthly)
        n = self._line(s, self.product_seat_n)
        y = self._line(s, self.product_yearly)
        self._is((m.price_unit, m.channel_price_fixed), (90.0, False))
        self._is((n.price_unit, n.channel_price_fixed), (85.0, True))
        self._is((y.price_unit, y.channel_price_fixed), (1080.0, False))

        def month(day, rows, figures):
            resale, agency = self._run(day)
            self.assertFalse(agency)
            inv = self._kind(resale, "out_invoice")
            self._is(self._rows(inv), sorted(rows), f"{day} rows")
            self._is((inv.amount_untaxed, inv.channel_commission), figures, f"{day}")
            self._post(day, resale)
            self._is(self._again(day), (Move, Move), f"{day} again")
            return resale

        # Jan: M 4 x 90 = 360 (4 x 10 = 40), N 2 x 85 = 170 (2 x 15 = 30),
        # Y 1,080 (1,200 - 1,080 = 120): 1,610.00, commission 190.00
        jan = month(
            d(1, 1),
            [
                (d(1, 1), d(1, 31), 360.0),
                (d(1, 1), d(1, 31), 170.0),
                (d(1, 1), d(12, 31), 1080.0),
            ],
            (1610.0, 190.0),
        )
        # Feb, Mar: 360 + 170 = 530.00, commission 70.00
        month(
            d(2, 1),
            [(d(2, 1), d(2, 28), 360.0), (d(2, 1), d(2, 28), 170.0)],
            (530.0, 70.0),
        )
        mar = month(
            d(3, 1),
            [(d(3, 1), d(3, 31), 360.0), (d(3, 1), d(3, 31), 170.0)],
            (530.0, 70.0),
        )
        # ------------------------------------------- Mar 15: Silver -> Gold
        with self._at(d(3, 15)):
            dist.distributor_tier_id = self.tier_gold
        # Mar 20: M 4 -> 6 in March, billed at Silver's 90: +2 x 90 x 12/31
        # = 69.677 -> 69.68, commission 2 x 10 x 12/31 = 7.742 -> 7.74
        up = self._change_line(m, d(3, 20), 6)
        self._is(up.amount, 69.68)
        self._is(up.channel_commission, 7.74)
        # Next Invoice Apr 1: M 6 x 80 (Gold) = 480 + N 2 x 85 = 170 + Y
        # nothing (billed to Dec 31) + the charge 69.68 = 719.68
        self._is(self._next(d(3, 21), s), (d(4, 1), 719.68))
        # Apr: M 480.00 (6 x 20 = 120), N 170.00 (30), the charge 69.68
        # (7.74): 719.68, commission 157.74
        apr = month(
            d(4, 1),
            [
                (d(3, 20), d(3, 31), 69.68),
                (d(4, 1), d(4, 30), 480.0),
                (d(4, 1), d(4, 30), 170.0),
            ],
            (719.68, 157.74),
        )
        self._is((m.price_unit, n.price_unit, y.price_unit), (80.0, 85.0, 1080.0))
        # May: 480 + 170 = 650.00, commission 150.00
        may = month(
            d(5, 1),
            [(d(5, 1), d(5, 31), 480.0), (d(5, 1), d(5, 31), 170.0)],
            (650.0, 150.0),
        )
        # May 10: Y 1 -> 2 in the year billed at Silver's 1,080: May 10 -
        # Dec 31 = 22 + 30 + 31 + 31 + 30 + 31 + 30 + 31 = 236 of 365 days:
        # +1 x 1,080 x 236/365 = 698.301 -> 698.30, commission 120 x
        # 236/365 = 77.589 -> 77.59
        y_up = self._change_line(y, d(5, 10), 2)
        self._is(y_up.amount, 698.30)
        self._is(y_up.channel_commission, 77.59)
        # N 2 -> 1 (negotiated 85, 22 of 31 days): -1 x 85 x 22/31 = -60.323
        # -> -60.32, commission -15 x 22/31 = -10.645 -> -10.65
        n_down = self._change_line(n, d(5, 10), 1)
        self._is(n_down.amount, -60.32)
        self._is(n_down.channel_commission, -10.65)
        # Jun: M 480 (120), N 1 x 85 (15), Y's charge 698.30 (77.59):
        # 1,263.30, commission 212.59; a credit note of May's 60.32 (10.65)
        jun = month(
            d(6, 1),
            [
                (d(5, 10), d(12, 31), 698.30),
                (d(6, 1), d(6, 30), 480.0),
                (d(6, 1), d(6, 30), 85.0),
            ],
            (1263.30, 212.59),
        )
        jun_credit = self._kind(jun, "out_refund")
        self._is(jun_credit.reversed_entry_id, may)
        self._is(self._rows(jun_credit), [(d(5, 10), d(5, 31), 60.32)])
        self._is(jun_credit.channel_commission, 10.65)
        # Jul - Dec: 480 + 85 = 565.00, commission 120 + 15 = 135.00
        for mon in range(7, 13):
            first = d(mon, 1)
            last = (d(mon + 1, 1) if mon < 12 else d(1, 1, 2028)) - timedelta(1)
            month(first, [(first, last, 480.0), (first, last, 85.0)], (565.0, 135.0))
        # Jan 1st 2028, the renewed term: M 480 (120), N 85 (negotiated,
        # 15), Y 2 x 960 (Gold) = 1,920.00 (2 x 240 = 480): 2,485.00,
        # commission 615.00
        self._is(self._next(d(12, 20), s), (d(1, 1, 2028), 2485.0))
        month(
            d(1, 1, 2028),
            [
                (d(1, 1, 2028), d(1, 31, 2028), 480.0),
                (d(1, 1, 2028), d(1, 31, 2028), 85.0),
                (d(1, 1, 2028), d(12, 31, 2028), 1920.0),
            ],
            (2485.0, 615.0),
        )
        # 2027's nets: M 3 x 360 + 69.68 + 9 x 480 = 5,469.68; N 5 x 170 -
        # 60.32 + 7 x 85 = 1,384.68; Y 1,080 + 698.30 = 1,778.30
        # (8,632.66); with January 2028: 5,949.68 + 1,469.68 + 3,698.30 =
        # 11,117.66. Commission 190 + 70 + 70 + 157.74 + 150 + 212.59 -
        # 10.65 + 6 x 135 + 615 = 2,264.68
        moves = self._posted_moves(dist)
        self._is(round(sum(moves.mapped("amount_untaxed_signed")), 2), 11117.66)
        self._is(self._net(s), 11117.66)
        self._is(self._signed_commission(moves), 2264.68)
        self._is(self._partner_commission(dist), 2264.68)
        self._is(len(jan | mar | apr), 3)
        # each period billed once: M and N 13 months, Y 2 years
        billed = self._billed(s)
        for line, count in ((m, 13), (n, 13), (y, 2)):
            periods = [
                (x.start_date, x.end_date) for x in billed if x.contract_line_id == line
            ]
            self._is((len(periods), len(set(periods))), (count, count))


@tagged("post_install", "-at_install")
class TestWalk11ForeignRates(Walk11Case):
    """C: a price book in another currency (F) whose rate to the company's
    currency changes every month: periods at the book as converted on
    their first day, prorations at the price billed, a credit note, the
    commission, the analysis and the payment in both currencies."""

    def test_rates_change_every_month(self):
        """Distributor F (book in F, 20 % off the list price converted),
        invoiced on the 1st, not co-termed. Rates F per 1 of the company's
        currency: 2.0 (from 2026), 2.5 from Feb 1st, 1.6 from Mar 1st, 2.0
        from Apr 1st 2027. S 3 seats from Jan 1st; 3 -> 5 on Feb 15th; 5 ->
        4 on Mar 10th. The accountant takes March's balance on Apr 10th."""
        foreign, dist, customer = walk9.TestWalk9ForeignPortal._foreign_distributor(
            self
        )
        for day, rate in ((d(2, 1), 2.5), (d(3, 1), 1.6), (d(4, 1), 2.0)):
            self.env["res.currency.rate"].create(
                {
                    "currency_id": foreign.id,
                    "name": day,
                    "rate": rate,
                    "company_id": self.company.id,
                }
            )
        self._schedule(dist, d(12, 20, 2026), channel_invoicing_monthday=1)
        s = self._start(d(1, 1), [(self.product_monthly, 3)], dist, customer)
        line = s.contract_line_ids
        self._is((s.currency_id, line.price_unit), (foreign, 160.0))
        self._is(line.channel_price_fixed, False)

        def month(day, rows, figures, signed):
            resale, __ = self._run(day, dist)
            inv = self._kind(resale, "out_invoice")
            self._is(inv.currency_id, foreign)
            self._is(self._rows(inv), sorted(rows), f"{day} rows")
            self._is((inv.amount_untaxed, inv.channel_commission), figures, f"{day}")
            self._is(inv.amount_untaxed_signed, signed, f"{day} company")
            self._post(day, resale)
            return resale

        # Jan (rate 2): 3 x 0.8 x 100 x 2 = 3 x 160 = 480.00 F, commission 3
        # x (200 - 160) = 120.00 F; 240.00 in the company's currency
        jan = month(d(1, 1), [(d(1, 1), d(1, 31), 480.0)], (480.0, 120.0), 240.0)
        # Feb (rate 2.5): a seat 0.8 x 250 = 200 F: 600.00 F, commission 3 x
        # (250 - 200) = 150.00 F; 600 / 2.5 = 240.00
        feb = month(d(2, 1), [(d(2, 1), d(2, 28), 600.0)], (600.0, 150.0), 240.0)
        self._pay_on(d(2, 10), jan)
        # Feb 15: 3 -> 5 at February's 200 F (14 of 28 days): +2 x 200 x
        # 14/28 = 200.00 F, commission 2 x 50 x 14/28 = 50.00 F
        up = self._change(s, d(2, 15), 5)
        self._is((up.amount, up.channel_commission), (200.0, 50.0))
        # Mar (rate 1.6): a seat 0.8 x 160 = 128 F: 5 x 128 = 640.00 F
        # (5 x 32 = 160.00 F) + the charge 200.00 F (50.00 F) = 840.00 F,
        # commission 210.00 F; 840 / 1.6 = 525.00
        mar = month(
            d(3, 1),
            [(d(2, 15), d(2, 28), 200.0), (d(3, 1), d(3, 31), 640.0)],
            (840.0, 210.0),
            525.0,
        )
        self._pay_on(d(3, 10), feb)
        # Mar 10: 5 -> 4 at March's 128 F (22 of 31 days): -1 x 128 x 22/31
        # = -90.839 -> -90.84 F, commission -32 x 22/31 = -22.710 -> -22.71 F
        down = self._change(s, d(3, 10), 4)
        self._is((down.amount, down.channel_commission), (-90.84, -22.71))
        # Apr (rate 2): 4 x 160 = 640.00 F (4 x 40 = 160.00 F), 320.00; the
        # credit note of March's 90.84 F (22.71 F), at its own date's rate
        # (Odoo's rule for a credit note): 45.42
        resale = month(d(4, 1), [(d(4, 1), d(4, 30), 640.0)], (640.0, 160.0), 320.0)
        credit = self._kind(resale, "out_refund")
        self._is(credit.reversed_entry_id, mar)
        self._is(credit.currency_id, foreign)
        self._is(self._rows(credit), [(d(3, 10), d(3, 31), 90.84)])
        self._is(credit.channel_commission, 22.71)
        self._is(credit.amount_untaxed_signed, -45.42)
        # applied to March's when posted: 840 - 90.84 = 749.16 F open
        self._is(mar.amount_residual, 749.16)
        self._pay_on(d(4, 10), mar)
        self._is(mar.payment_state, "paid")
        # the distributor's receivable in F: 480 + 600 + 840 + 640 - 90.84
        # - 480 - 600 - 749.16 = 640.00 F open (April's); in the company's
        # currency April's 320.00 open, the rest settled with exchange
        # differences
        receivable = self.env["account.move.line"].search(
            [
                ("partner_id", "=", dist.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
            ]
        )
        self._is(round(sum(receivable.mapped("amount_residual_currency")), 2), 640.0)
        self._is(round(sum(receivable.mapped("amount_residual")), 2), 320.0)
        # the year: 480 + 600 + 840 + 640 - 90.84 = 2,469.16 F; commission
        # 120 + 150 + 210 + 160 - 22.71 = 617.29 F
        self._is(self._net(s), 2469.16)
        moves = self._posted_moves(dist)
        self._is(self._signed_commission(moves), 617.29)
        # in the company's currency: 240 + 240 + 525 + 320 - 45.42 = 1,279.58
        self._is(round(sum(moves.mapped("amount_untaxed_signed")), 2), 1279.58)
        # the analysis per month, in the company's currency at each
        # invoice's rate: revenue Jan 240.00, Feb 240.00, Mar 525.00, Apr
        # 320 - 45.42 = 274.58; commission 120/2 = 60.00, 150/2.5 = 60.00,
        # 210/1.6 = 131.25, 160/2 - 22.71/2 = 80 - 11.355 = 68.645
        with self._at(d(4, 30)):
            domain, __ = self._default_domain(
                "channel_distribution.action_channel_sale_report"
            )
            self.env.flush_all()
            rows = self.env["sale.report"]._read_group(
                domain + [("distributor_id", "=", dist.id)],
                ["date:month"],
                ["price_subtotal:sum", "channel_commission:sum"],
            )
        got = {
            month_.month: (round(revenue, 2), round(commission, 2))
            for month_, revenue, commission in rows
        }
        self._is(got[1], (240.0, 60.0))
        self._is(got[2], (240.0, 60.0))
        self._is(got[3], (525.0, 131.25))
        self._is(got[4][0], 274.58)
        self.assertAlmostEqual(got[4][1], 68.645, delta=0.011)
        self._is(len(jan | feb), 2)


@tagged("post_install", "-at_install")
class TestWalk11CancelOnRunDay(Walk11Case):
    """D: the order that started a subscription cancelled (setting
    *Credit*) on the day of a run, after the run made its draft invoice
    with the subscription's new period and another order; a new order the
    same day and finance's *Invoice Due Now* twice that day."""

    def test_cancel_on_run_day(self):
        """Distributor A (Gold: a 100 seat or service costs 80, earns 20),
        invoiced on the 1st, not co-termed; scheduled invoices stay drafts.
        S 3 seats from order O1 from Jan 1st 2027 (January 240.00 posted);
        O2 2 services confirmed Jan 20th. Feb 1st: the run's draft bills S's
        February and O2; O1 cancelled that day (*Credit*); O3 1 service
        confirmed that day; finance bills twice."""
        dist = self.distributor_a
        Move = self.env["account.move"]
        self.company.channel_cancel_invoiced = "credit"
        self._schedule(dist, d(12, 20, 2026), channel_invoicing_monthday=1)
        s = self._start(d(1, 1), [(self.product_monthly, 3)])
        o1 = s.channel_order_id
        jan, __ = self._run(d(1, 1))
        # January 3 x 80 = 240.00, commission 3 x 20 = 60.00
        self._is((jan.amount_untaxed, jan.channel_commission), (240.0, 60.0))
        self._post(d(1, 1), jan)
        with self._at(d(1, 20)):
            o2 = self._create_order(dist, self.customer_a, [(self.product_service, 2)])
            o2.action_confirm()
        feb, __ = self._run(d(2, 1))
        # the draft: S February 240.00 (60.00) + O2 2 x 80 = 160.00 (40.00)
        # = 400.00, commission 100.00
        self._is(feb.state, "draft")
        self._is((feb.amount_untaxed, feb.channel_commission), (400.0, 100.0))
        # ------------------------------------ Feb 1: O1 cancelled, Credit
        before = Move.search([])
        with self._at(d(2, 1)):
            o1.with_context(disable_cancel_warning=True).action_cancel()
        self._is(o1.state, "cancel")
        new = Move.search([("id", "not in", before.ids)])
        # what S billed and was posted: January's 240.00 (60.00), on a
        # credit note of January's; February's period leaves the draft
        # (as an order's lines leave a shared draft): 160.00 (40.00) left
        self._is(
            sorted((m.move_type, m.reversed_entry_id, m.amount_untaxed) for m in new),
            [("out_refund", jan, 240.0)],
        )
        self._is(feb.state, "draft")
        self._is(
            (feb.amount_untaxed, feb.channel_commission),
            (160.0, 40.0),
            "S's February left the draft",
        )
        self._is(self._rows(feb, s), [], "nothing of S on the draft")
        with self._at(d(2, 1)):
            s.invalidate_recordset()
            self.assertFalse(s.active)
            self.assertFalse(s.channel_next_invoice_date)
        # O3 the same day; finance bills twice: O3 80.00 (20.00) once
        with self._at(d(2, 1)):
            o3 = self._create_order(dist, self.customer_a, [(self.product_service, 1)])
            o3.action_confirm()
        first, __ = self._again(d(2, 1))
        self._is(round(sum(first.mapped("amount_untaxed")), 2), 80.0, "O3 billed once")
        self._is(self._again(d(2, 1)), (Move, Move), "the second rerun")
        self._is(self._rows(first, s), [], "nothing of S billed again")
        self._post(d(2, 1), new | feb | first)
        # nothing on Mar 1 (S ended, O2 and O3 billed)
        self._is(self._run(d(3, 1)), (Move, Move))
        # S: 240 - 240 = 0.00; the documents: 240 + 160 + 80 - 240 = 240.00,
        # commission 60 + 40 + 20 - 60 = 60.00
        self._is(self._net(s), 0.0)
        moves = self._posted_moves(dist)
        self._is(round(sum(moves.mapped("amount_untaxed_signed")), 2), 240.0)
        self._is(self._signed_commission(moves), 60.0)
        self._is(self._partner_commission(dist), 60.0)
        self._is((o2.invoice_status, o3.invoice_status), ("invoiced", "invoiced"))


@tagged("post_install", "-at_install")
class TestWalk11Installments(Walk11Case):
    """E: a consolidated invoice in two installments, partial payments and
    a credit note applied: the distributor's overdue hold, OCA's risk
    figures and the subscription's paid status after each step."""

    def test_installments_overdue(self):
        """Distributor A (Gold: a seat 80) on terms of 50 % at 30 days and
        50 % at 60 days, invoiced on the 1st; the company holds a
        distributor 10 days past a due date. S 3 seats from Jan 1st 2027
        (240.00 a month, no tax); 3 -> 2 on Feb 15th (a credit note of
        February's)."""
        if "risk_invoice_unpaid" not in self.env["res.partner"]._fields:
            self.skipTest("channel_distribution_credit is not installed")
        if "channel_overdue" not in self.env["contract.contract"]._fields:
            self.skipTest("channel_distribution_credit_contract is not installed")
        dist = self.distributor_a
        terms = self.env["account.payment.term"].create(
            {
                "name": "Test Walk11 50/50 30-60",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 50.0, "nb_days": 30}
                    ),
                    Command.create(
                        {"value": "percent", "value_amount": 50.0, "nb_days": 60}
                    ),
                ],
            }
        )
        dist.property_payment_term_id = terms
        self.company.channel_overdue_hold_days = 10
        self._schedule(dist, d(12, 20, 2026), channel_invoicing_monthday=1)
        s = self._start(d(1, 1), [(self.product_monthly, 3)])

        def figures(day):
            """``(invoices on overdue hold, OCA's unpaid and open
            receivable, S overdue, S paid state)`` on ``day``."""
            with self._at(day):
                dist.invalidate_recordset()
                s.invalidate_recordset()
                return (
                    dist._channel_overdue_invoices(),
                    round(dist.risk_invoice_unpaid, 2),
                    round(dist.risk_invoice_open, 2),
                    s.channel_overdue,
                    s.channel_paid_state,
                )

        jan, __ = self._run(d(1, 1))
        # 240.00: 120.00 due Jan 31st, 120.00 due Mar 2nd
        self._is(jan.amount_total, 240.0)
        self._post(d(1, 1), jan)
        self._is(
            sorted(
                (line.date_maturity, line.debit)
                for line in jan.line_ids
                if line.account_type == "asset_receivable"
            ),
            [(d(1, 31), 120.0), (d(3, 2), 120.0)],
        )
        self._is(jan.invoice_date_due, d(3, 2))
        # Feb 1: February 240.00 (120.00 Mar 3rd, 120.00 Apr 2nd)
        feb, __ = self._run(d(2, 1))
        self._post(d(2, 1), feb)
        # Feb 5: January's first installment 5 days late, under the hold's
        # 10 days: no hold; OCA's unpaid 120.00, open 120 + 240 = 360.00;
        # S overdue (past a due date), not paid
        Move = self.env["account.move"]
        self._is(figures(d(2, 5)), (Move, 120.0, 360.0, True, "not_paid"))
        # Feb 15: 15 days late: January's invoice holds the distributor
        self._is(figures(d(2, 15)), (jan, 120.0, 360.0, True, "not_paid"), "Feb 15")
        # Feb 15: 3 -> 2 (14 of 28 days): -80 x 14/28 = -40.00 credited on
        # a credit note of February's (Mar 1st)
        self._change(s, d(2, 15), 2)
        # Feb 20: the accountant takes 120.00 on January's (its first
        # installment): nothing overdue; unpaid 0.00, open 120 + 240 =
        # 360.00; S partly paid
        self._pay_on(d(2, 20), jan, 120.0)
        self._is(figures(d(2, 20)), (Move, 0.0, 360.0, False, "partial"))
        resale, __ = self._run(d(3, 1))
        mar = self._kind(resale, "out_invoice")
        credit = self._kind(resale, "out_refund")
        # March 2 x 80 = 160.00; the credit note of February's 40.00,
        # applied to it when posted: February 200.00 left
        self._is((mar.amount_total, credit.amount_total), (160.0, 40.0))
        self._is(credit.reversed_entry_id, feb)
        self._post(d(3, 1), resale)
        self._is(feb.amount_residual, 200.0)
        # Mar 15: January's second installment (Mar 2nd, 13 days) and
        # February's first (Mar 3rd, 12 days) unpaid: both hold it; OCA's
        # unpaid 120 + (120 - 40 applied to the first installment) = 200.00
        # or 120 + 120 = 240.00 by where the credit note went (Odoo applies
        # it to the earliest installment: 80.00 left of it); open: 120.00 of
        # February (Apr 2nd) + March's 160.00 = 280.00
        got = figures(d(3, 15))
        self._is(got[0], jan | feb, "Mar 15 hold")
        self._is(got[1:4], (200.0, 280.0, True), "Mar 15 risk")
        # Mar 20: January paid in full (120.00), February's 200.00: nothing
        # overdue but March's (Mar 31st, not yet)
        self._pay_on(d(3, 20), jan)
        self._pay_on(d(3, 20), feb)
        self._is(figures(d(3, 20)), (Move, 0.0, 160.0, False, "partial"))
        self._pay_on(d(3, 25), mar)
        self._is(figures(d(3, 25)), (Move, 0.0, 0.0, False, "paid"))
