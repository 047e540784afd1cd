# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Walk 14 of a finance controller: what walks 9 to 13 left unwalked. A
price book changed twice within one billed period with a quantity change
between the two, the period credited and billed again, then a quantity
lowered in the next period, walked January to December; the scheduled
billing as queue jobs (one job per distributor) over a year, every run
enqueued and every job run twice, one distributor's job failing in May and
billed the next day, the agency commission paid out each month; an agency
subscription priced in another currency whose rate changes every month,
its commission paid out in that currency, a period credited after payout
and billed again. Every
figure is a hand computation written in the test (literal figures, not the
code's), the clock frozen at noon of each day; every invoice line's
service dates (OCA's ``start_date`` / ``end_date``) are checked each
month."""

import functools

from odoo.tests import tagged

from . import test_finance_walk9 as walk9
from . import test_finance_walk12 as walk12
from .test_finance_controller import d

# the last day of each month of 2027
MONTH_END = {
    1: 31,
    2: 28,
    3: 31,
    4: 30,
    5: 31,
    6: 30,
    7: 31,
    8: 31,
    9: 30,
    10: 31,
    11: 30,
    12: 31,
}


def month_of(month):
    """``(first day, last day)`` of ``month`` of 2027."""
    return d(month, 1), d(month, MONTH_END[month])


class Walk14Case(walk12.Walk12Case):
    """Walk 12's helpers and the service dates of a year."""

    def _moves_of(self, partner, move_type=None):
        """The posted customer documents of ``partner`` (commercial)."""
        domain = [
            ("move_type", "in", ("out_invoice", "out_refund")),
            ("state", "=", "posted"),
            ("commercial_partner_id", "=", partner.id),
        ]
        if move_type:
            domain.append(("move_type", "=", move_type))
        return self.env["account.move"].search(domain)

    def _signed(self, moves):
        """What ``moves`` bill net, untaxed: invoices less credit notes."""
        return round(
            sum(
                (-1 if move.move_type == "out_refund" else 1) * move.amount_untaxed
                for move in moves
            ),
            2,
        )


@tagged("post_install", "-at_install")
class TestWalk14BookTwice(Walk14Case):
    """A: the Gold book changed twice within February (billed at 80 on Feb
    1st), a quantity raised between the two changes, February credited and
    billed again, March lowered, walked to December."""

    def test_book_changed_twice_in_a_period(self):
        """Distributor A (Gold, 20 % off a 100 seat: 80), invoiced on the
        1st. S: 4 seats from Jan 1st 2027, sold at the book's price (it
        follows the book). Feb 10th the book goes to 25 % (75), Feb 15th S
        4 -> 6, Feb 20th the book goes to 10 % (90). Mar 5th finance
        credits February's invoice, Mar 10th bills February again. Mar 20th
        S 6 -> 5."""
        dist = self.distributor_a
        item = self.book_gold.item_ids
        self._schedule(dist, d(12, 20, 2026), channel_invoicing_monthday=1)
        s = self._start(d(1, 1), [(self.product_monthly, 4)])
        line = s.contract_line_ids
        self._is((line.price_unit, line.channel_price_fixed), (80.0, False))

        def run(day):
            """The scheduled run of ``day`` (posted), then finance's
            *Invoice Due Now* the same day: nothing more."""
            resale, agency = self._run(day)
            self.assertFalse(agency)
            self._post(day, resale)
            again = self._again(day)
            self._is(again[0] | again[1], self.env["account.move"], f"{day} again")
            return self._kind(resale, "out_invoice"), self._kind(resale, "out_refund")

        # ------------------------------------------------------- January
        # 4 x 80 = 320.00, commission 4 x (100 - 80) = 80.00
        jan, none = run(d(1, 1))
        self._is(none, self.env["account.move"])
        self._is(self._rows(jan), [(d(1, 1), d(1, 31), 320.0)], "Jan rows")
        self._is((jan.amount_untaxed, jan.channel_commission), (320.0, 80.0))
        # ------------------------------------------------------- February
        # still 80: 4 x 80 = 320.00, commission 80.00
        feb, none = run(d(2, 1))
        self._is(self._rows(feb), [(d(2, 1), d(2, 28), 320.0)], "Feb rows")
        self._is((feb.amount_untaxed, feb.channel_commission), (320.0, 80.0))
        # Feb 10th: the Gold book 25 % off (a seat 75)
        with self._at(d(2, 10)):
            item.percent_price = 25
        # Feb 15th: 4 -> 6 at February's billed 80 (not the book's 75), 14
        # of 28 days: +2 x 80 x 14/28 = 80.00, commission 2 x 20 x 14/28 =
        # 20.00
        up = self._change(s, d(2, 15), 6)
        self._is((up.amount, up.channel_commission), (80.0, 20.0))
        # Feb 20th: the Gold book 10 % off (a seat 90)
        with self._at(d(2, 20)):
            item.percent_price = 10
        # ------------------------------------------------------- March
        # the book of Mar 1st: 6 x 90 = 540.00 (commission 6 x 10 = 60.00)
        # + the charge 80.00 (20.00) in February's section: 620.00, 80.00
        mar, none = run(d(3, 1))
        self._is(none, self.env["account.move"])
        self._is(
            self._rows(mar),
            [(d(2, 15), d(2, 28), 80.0), (d(3, 1), d(3, 31), 540.0)],
            "Mar rows",
        )
        self._is((mar.amount_untaxed, mar.channel_commission), (620.0, 80.0))
        self._is(line.price_unit, 90.0, "the line shows the price last billed")
        # Mar 5th: finance credits February's invoice: 320.00, commission
        # 80.00, linked to February's invoice
        feb_credit = self._credit(d(3, 5), feb)
        self._is(feb_credit.reversed_entry_id, feb)
        self._is(self._rows(feb_credit), [(d(2, 1), d(2, 28), 320.0)], "credit")
        self._is(
            (feb_credit.amount_untaxed, feb_credit.channel_commission), (320.0, 80.0)
        )
        # Mar 10th: February billed again (*Bill Again*, the accountant): at
        # the 80 it was billed at, neither 75 nor 90
        february = s.channel_period_ids.filtered(lambda p: p.date_start == d(2, 1))
        self._is(len(february), 1)
        with self._at(d(3, 10)):
            february.with_user(self.accountant).action_channel_bill_again()
        # Mar 20th: 6 -> 5 at March's billed 90, 12 of 31 days: -1 x 90 x
        # 12/31 = -34.838... -> -34.84, commission -1 x 10 x 12/31 =
        # -3.870... -> -3.87
        down = self._change(s, d(3, 20), 5)
        self._is((down.amount, down.channel_commission), (-34.84, -3.87))
        # ------------------------------------------------------- April
        # 5 x 90 = 450.00 (commission 5 x 10 = 50.00) + February again 4 x
        # 80 = 320.00 (80.00): 770.00, commission 130.00; the credit of
        # March's 34.84 (3.87) on a credit note of March's invoice
        apr, apr_credit = run(d(4, 1))
        self._is(
            self._rows(apr),
            [(d(2, 1), d(2, 28), 320.0), (d(4, 1), d(4, 30), 450.0)],
            "Apr rows",
        )
        self._is((apr.amount_untaxed, apr.channel_commission), (770.0, 130.0))
        self._is(apr_credit.reversed_entry_id, mar)
        self._is(self._rows(apr_credit), [(d(3, 20), d(3, 31), 34.84)], "Apr credit")
        self._is(
            (apr_credit.amount_untaxed, apr_credit.channel_commission), (34.84, 3.87)
        )
        # ---------------------------------------------- May to December
        # 5 x 90 = 450.00 a month, commission 50.00
        for month in range(5, 13):
            inv, credit = run(d(month, 1))
            self._is(credit, self.env["account.move"], f"{month}: no credit")
            self._is(self._rows(inv), [(*month_of(month), 450.0)], f"{month} rows")
            self._is(
                (inv.amount_untaxed, inv.channel_commission), (450.0, 50.0), f"{month}"
            )
        # ------------------------------------------------------- the year
        # every period billed: January to December once on a live invoice
        # line, February twice (billed, credited in full, billed again)
        periods = sorted(
            (x.start_date, x.end_date, x.move_id.move_type, x.price_subtotal)
            for x in self._billed(s)
        )
        self._is(
            periods,
            sorted(
                [(*month_of(m), "out_invoice", 320.0) for m in (1, 2, 2)]
                + [(*month_of(3), "out_invoice", 540.0)]
                + [(*month_of(m), "out_invoice", 450.0) for m in range(4, 13)]
            ),
            "periods",
        )
        # invoices 320 + 320 + 620 + 770 + 8 x 450 = 5,630.00; credit notes
        # 320 + 34.84 = 354.84; net 5,275.16 = the service: Jan 320, Feb
        # 320 + 80, Mar 540 - 34.84, Apr to Dec 9 x 450 = 4,050
        invoices = self._moves_of(dist, "out_invoice")
        credits = self._moves_of(dist, "out_refund")
        self._is(len(invoices), 12)
        self._is(round(sum(invoices.mapped("amount_untaxed")), 2), 5630.0)
        self._is(round(sum(credits.mapped("amount_untaxed")), 2), 354.84)
        self._is(self._net(s), 5275.16)
        self._is(self._signed(invoices | credits), 5275.16)
        # each credit note linked to what it corrects
        self._is(
            sorted(credits.mapped(lambda c: c.reversed_entry_id.invoice_date)),
            [d(2, 1), d(3, 1)],
        )
        # commission: 80 + 80 + 80 + 130 + 8 x 50 = 770.00 less 80 + 3.87
        # = 686.13 = Jan 80, Feb 80 + 20, Mar 60 - 3.87, Apr to Dec 450
        self._is(self._signed_commission(invoices | credits), 686.13)
        self._is(self._partner_commission(dist), 686.13)


@tagged("post_install", "-at_install")
class TestWalk14QueueYear(Walk14Case):
    """B: the scheduled billing as queue jobs, a year: each month's run
    enqueued twice and each job run twice; Distributor A's job fails on
    May 1st (no invoice address), the run of the same day enqueues nothing
    more, the next day's job bills May; the agency commission paid out
    monthly."""

    def _billing_jobs(self, day, distributors):
        """The billing jobs of ``distributors`` on ``day``."""
        keys = [
            self.env["sale.order"]._channel_billing_job_key(dist, str(day))
            for dist in distributors
        ]
        return self.env["queue.job"].search([("identity_key", "in", keys)])

    def _perform(self, jobs):
        """Run stored jobs as a worker does (queue_job's Job: started, run,
        done), as the queue addon's tests do; their results."""
        from odoo.addons.queue_job.job import Job

        results = []
        for record in jobs:
            job = Job.load(self.env, record.uuid)
            job.set_started()
            job.store()
            results.append(job.perform())
            job.set_done(result=results[-1])
            job.store()
        return results

    def _queue_run(self, day, distributors, expect):
        """The scheduled action on ``day`` (the enqueuer), its jobs of
        ``distributors`` run by a worker; the run of the same day again and
        the jobs run again bill nothing. ``expect``: the distributors whose
        job runs that day. The new documents."""
        Move = self.env["account.move"]
        SaleOrder = self.env["sale.order"]
        with self._at(day):
            before = Move.search([])
            SaleOrder._cron_enqueue_distributor_billing()
            jobs = self._billing_jobs(day, distributors)
            self._is(
                sorted(jobs.mapped("identity_key")),
                sorted(SaleOrder._channel_billing_job_key(x, str(day)) for x in expect),
                f"{day} jobs",
            )
            self._perform(jobs)
            moves = Move.search([]) - before
            # the same day's run again: no new job of ours; the jobs run
            # again (a retry, a requeue) find nothing due
            SaleOrder._cron_enqueue_distributor_billing()
            self._is(self._billing_jobs(day, distributors), jobs, f"{day} rerun")
            results = self._perform(jobs)
            self._is(Move.search([]) - before, moves, f"{day} nothing twice")
            self._is(
                sorted(results),
                sorted(f"{x.name}: nothing due." for x in expect),
                f"{day} jobs again",
            )
        return moves

    def test_queue_year(self):
        """Distributor A (Gold), invoiced on the 1st, commission paid out
        monthly by vendor bill: S 3 resale seats (3 x 80 = 240.00 a month,
        commission 3 x 20 = 60.00) and G 2 agency seats to End Customer A
        (2 x 100 = 200.00, commission 2 x 20 = 40.00, paid out once End
        Customer A paid). Distributor B (Silver, agency by default): H 2
        seats to End Customer B (2 x 100 = 200.00, commission 2 x 10 =
        20.00). All from Jan 1st 2027."""
        if "queue.job" not in self.env:
            self.skipTest("channel_distribution_queue is not installed")
        a, b = self.distributor_a, self.distributor_b
        both = a | b
        self._schedule(
            a,
            d(12, 20, 2026),
            channel_invoicing_monthday=1,
            channel_commission_paid=True,
            channel_commission_payout="in_invoice",
            settlement="monthly",
        )
        self._schedule(b, d(12, 20, 2026), channel_invoicing_monthday=1)
        s = self._start(d(1, 1), [(self.product_monthly, 3)])
        g = self._start(
            d(1, 1),
            [(self.product_monthly, 2)],
            financial_role="end_customer",
            business_role="end_customer",
        )
        h = self._start(d(1, 1), [(self.product_monthly, 2)], b, self.customer_b)
        self._is(h.partner_id, self.customer_b, "H is invoiced to End Customer B")
        payouts = self.env["account.move"]

        def check(moves, month, day):
            """A's resale S and agency G, B's agency H of ``month``."""
            period = month_of(month)
            resale = moves.filtered(lambda m: m.commercial_partner_id == a)
            g_inv = moves.filtered(lambda m: m.commercial_partner_id == self.customer_a)
            h_inv = moves.filtered(lambda m: m.commercial_partner_id == self.customer_b)
            self._is(len(moves), len(resale | g_inv | h_inv), f"{day} others")
            self._is(set(moves.mapped("move_type")), {"out_invoice"}, f"{day}")
            # S 240.00 (60.00), G 200.00 (40.00), H 200.00 (20.00)
            self._is(self._rows(resale), [(*period, 240.0)], f"{day} S")
            self._is((resale.amount_untaxed, resale.channel_commission), (240.0, 60.0))
            self._is(self._rows(g_inv), [(*period, 200.0)], f"{day} G")
            self._is((g_inv.amount_untaxed, g_inv.channel_commission), (200.0, 40.0))
            self._is(self._rows(h_inv), [(*period, 200.0)], f"{day} H")
            self._is((h_inv.amount_untaxed, h_inv.channel_commission), (200.0, 20.0))
            self._post(day, moves)
            self._is(set(moves.mapped("invoice_date")), {day}, f"{day} dated")
            # End Customer A pays G on the 10th
            self._pay_on(day.replace(day=10), g_inv)
            self._is(g_inv.payment_state, "paid")

        for month in range(1, 13):
            first = d(month, 1)
            if month > 1:
                # the previous month's G commission, paid by End Customer A:
                # one bill of 40.00
                got, bills = self._settle_sum(first)
                self._is(got, [("in_invoice", 40.0)], f"{first} payout")
                self._post(first, bills)
                payouts |= bills
            if month == 5:
                # May 1st: A's invoice address is gone (no street, no city)
                with self._at(first):
                    a.write({"street": False, "city": False})
                moves = self._queue_run(first, both, both)
                # B billed: H 200.00; A nothing, noted, its date kept
                self._is(
                    moves.mapped("commercial_partner_id"), self.customer_b, "May 1st"
                )
                self._is(self._rows(moves), [(*month_of(5), 200.0)], "May 1st H")
                self._post(first, moves)
                self._pay_on(d(5, 10), moves)
                self._is(len(a.activity_ids), 1, "finance alerted")
                self._is(a.channel_invoicing_next_date, first, "A's date kept")
                # finance restores the address the same day: that day's run
                # again enqueues nothing (A was tried today)
                with self._at(first):
                    a.write({"street": "Rue A 1", "city": "Antwerp"})
                    self.env["sale.order"]._cron_enqueue_distributor_billing()
                self._is(len(self._billing_jobs(first, both)), 2, "no new job")
                # May 2nd: A's job bills May (S 240.00, G 200.00), dated May
                # 2nd; the activity is closed
                moves = self._queue_run(d(5, 2), both, a)
                resale = moves.filtered(lambda m: m.commercial_partner_id == a)
                g_inv = moves - resale
                self._is(self._rows(resale), [(*month_of(5), 240.0)], "May 2nd S")
                self._is(self._rows(g_inv), [(*month_of(5), 200.0)], "May 2nd G")
                self._is(g_inv.commercial_partner_id, self.customer_a)
                self._post(d(5, 2), moves)
                self._is(set(moves.mapped("invoice_date")), {d(5, 2)})
                self._pay_on(d(5, 10), g_inv)
                self._is(a.activity_ids, self.env["mail.activity"], "closed")
                self._is(a.channel_invoicing_next_date, d(6, 1), "A's next date")
                continue
            check(self._queue_run(first, both, both), month, first)
        # December's G commission, settled on Jan 1st 2028: 40.00
        got, bills = self._settle_sum(d(1, 1, 2028))
        self._is(got, [("in_invoice", 40.0)], "Jan 1st 2028 payout")
        self._post(d(1, 1, 2028), bills)
        payouts |= bills
        # ------------------------------------------------------- the year
        # every period of S, G and H billed once, January to December, no
        # gap, no overlap
        for contract in (s, g, h):
            self._is(
                self._contiguous(contract, d(1, 1)),
                [month_of(m) for m in range(1, 13)],
                contract.name,
            )
        # per party, invoices less credit notes: S 12 x 240 = 2,880.00; G
        # 12 x 200 = 2,400.00; H 12 x 200 = 2,400.00; no credit note
        self._is(self._signed(self._moves_of(a)), 2880.0)
        self._is(self._signed(self._moves_of(self.customer_a)), 2400.0)
        self._is(self._signed(self._moves_of(self.customer_b)), 2400.0)
        self._is(len(self._moves_of(a) | self._moves_of(self.customer_a)), 24)
        self._is(len(self._moves_of(self.customer_b)), 12)
        # commission paid out to A: 12 x 40 = 480.00, twelve bills
        self._is(len(payouts), 12)
        self._is(round(sum(payouts.mapped("amount_untaxed")), 2), 480.0)
        self._is(self._payout_bills(a), payouts)
        # commission on the documents: A 12 x (60 + 40) = 1,200.00; B 12 x
        # 20 = 240.00
        self._is(self._partner_commission(a), 1200.0)
        self._is(self._partner_commission(b), 240.0)


@tagged("post_install", "-at_install")
class TestWalk14ForeignPayout(Walk14Case):
    """C: an agency subscription priced in another currency (F) whose rate
    to the company's currency changes every month, its commission paid out
    in F; a period credited after its commission was paid out, clawed back
    on the next settlement (and billed again); the end customer's
    receivable in both currencies."""

    def _foreign_agency(self):
        """Distributor F (book in F, 20 % off the list price converted),
        invoiced on the 1st, commission paid out monthly by vendor bill;
        End Customer F buys at a public book in F (the list price
        converted). Rates F per 1 of the company's currency: 2.0 (from
        2026), 2.5 from Feb 1st, 1.6 from Mar 1st, 2.0 from Apr 1st 2027. G:
        2 agency seats to End Customer F from Jan 1st. ``(F, distributor,
        end customer, G)``."""
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
        customer.property_product_pricelist = self.env["product.pricelist"].create(
            {"name": "Test Walk14 Public F", "currency_id": foreign.id}
        )
        self._schedule(
            dist,
            d(12, 20, 2026),
            channel_invoicing_monthday=1,
            channel_commission_paid=True,
            channel_commission_payout="in_invoice",
            settlement="monthly",
        )
        g = self._start(
            d(1, 1),
            [(self.product_monthly, 2)],
            dist,
            customer,
            financial_role="end_customer",
            business_role="end_customer",
        )
        self._is((g.partner_id, g.currency_id), (customer, foreign))
        return foreign, dist, customer, g

    def _foreign_month(self, dist, foreign, number, rows, figures, company):
        """The run of the 1st of month ``number``: G's ``rows``,
        ``figures`` (untaxed F, commission F), ``company`` (untaxed in the
        company's currency); posted, paid on the 10th."""
        day = d(number, 1)
        resale, agency = self._run(day, dist)
        self.assertFalse(resale)
        self._is(agency.currency_id, foreign, f"{day} currency")
        self._is(self._rows(agency), rows, f"{day}")
        self._is((agency.amount_untaxed, agency.channel_commission), figures)
        self._post(day, agency)
        self._is(agency.amount_untaxed_signed, company, f"{day} company")
        self._pay_on(d(number, 10), agency)
        self._is(agency.payment_state, "paid", f"{day} paid")
        return agency

    def _foreign_settle(self, dist, foreign, day, expected, company):
        """The accountant's *Settle*: ``expected`` [(type, untaxed F)],
        ``company``: their untaxed in the company's currency once posted
        (at the bill's date)."""
        got, bills = self._settle_sum(day, dist)
        self._is(got, expected, f"{day} payout")
        self._is(set(bills.mapped("currency_id")), {foreign}, f"{day} in F")
        self._post(day, bills)
        self._is(
            sorted(abs(b.amount_untaxed_signed) for b in bills),
            company,
            f"{day} payout company",
        )
        return bills

    def test_foreign_agency_payout(self):
        """Distributor F (book in F, 20 % off the list price converted),
        invoiced on the 1st, commission paid out monthly by vendor bill.
        End Customer F buys at a public book in F (the list price
        converted). Rates F per 1 of the company's currency: 2.0 (from
        2026), 2.5 from Feb 1st, 1.6 from Mar 1st, 2.0 from Apr 1st 2027. G:
        2 agency seats to End Customer F from Jan 1st, paid on the 10th of
        each month; Mar 15th finance credits February's invoice."""
        foreign, dist, customer, g = self._foreign_agency()
        month = functools.partial(self._foreign_month, dist, foreign)
        settle = functools.partial(self._foreign_settle, dist, foreign)

        # Jan (rate 2): a seat 100 x 2 = 200 F: 400.00 F, commission 2 x
        # (200 - 160) = 80.00 F; 400 / 2 = 200.00
        month(1, [(*month_of(1), 400.0)], (400.0, 80.0), 200.0)
        # January's 80.00 F paid out on a bill of Feb 1st (rate 2.5): 32.00
        bills = settle(d(2, 1), [("in_invoice", 80.0)], [32.0])
        # Feb (rate 2.5): a seat 250 F: 500.00 F, commission 2 x (250 -
        # 200) = 100.00 F; 500 / 2.5 = 200.00
        feb = month(2, [(*month_of(2), 500.0)], (500.0, 100.0), 200.0)
        # February's 100.00 F paid out on Mar 1st (rate 1.6): 62.50
        bills |= settle(d(3, 1), [("in_invoice", 100.0)], [62.5])
        # Mar (rate 1.6): a seat 160 F: 320.00 F, commission 2 x (160 -
        # 128) = 64.00 F; 320 / 1.6 = 200.00
        month(3, [(*month_of(3), 320.0)], (320.0, 64.0), 200.0)
        # Mar 15th: finance credits February's invoice (paid, paid out):
        # 500.00 F, commission 100.00 F, at its own date's rate (1.6):
        # 312.50
        feb_credit = self._credit(d(3, 15), feb)
        self._is(feb_credit.reversed_entry_id, feb)
        self._is(feb_credit.currency_id, foreign)
        self._is(self._rows(feb_credit), [(d(2, 1), d(2, 28), 500.0)])
        self._is(
            (feb_credit.amount_untaxed, feb_credit.channel_commission), (500.0, 100.0)
        )
        self._is(feb_credit.amount_untaxed_signed, -312.5)
        # Apr 1st: March's 64.00 F less February's 100.00 F clawed back:
        # -36.00 F, a vendor refund; 36 / 2 = 18.00
        bills |= settle(d(4, 1), [("in_refund", 36.0)], [18.0])
        # Apr to Jun (rate 2): 400.00 F, commission 80.00 F; 200.00
        month(4, [(*month_of(4), 400.0)], (400.0, 80.0), 200.0)
        # April's 80.00 F on May 1st (rate 2): 40.00
        bills |= settle(d(5, 1), [("in_invoice", 80.0)], [40.0])
        month(5, [(*month_of(5), 400.0)], (400.0, 80.0), 200.0)
        bills |= settle(d(6, 1), [("in_invoice", 80.0)], [40.0])
        month(6, [(*month_of(6), 400.0)], (400.0, 80.0), 200.0)
        # ----------------------------------------------- the half-year
        # End Customer F: invoices 400 + 500 + 320 + 400 + 400 + 400 =
        # 2,420.00 F, the credit note 500.00 F: 1,920.00 F; in the
        # company's currency 6 x 200 = 1,200.00 less 312.50 = 887.50
        moves = self._moves_of(customer)
        self._is(len(moves), 7)
        self._is(self._signed(moves), 1920.0)
        self._is(round(sum(moves.mapped("amount_untaxed_signed")), 2), 887.5)
        # commission on the documents: 80 + 100 + 64 + 80 + 80 + 80 - 100 =
        # 384.00 F; paid out to June 1st: 80 + 100 - 36 + 80 + 80 = 304.00
        # F (June's 80.00 F is paid out on Jul 1st)
        self._is(self._signed_commission(moves), 384.0)
        self._is(
            round(
                sum(
                    (-1 if b.move_type == "in_refund" else 1) * b.amount_untaxed
                    for b in bills
                ),
                2,
            ),
            304.0,
        )
        self._is(self._payout_bills(dist), bills)
        # every invoice paid on the 10th at the rate of its month (no
        # exchange difference); February's credit note is open: End
        # Customer F is owed 500.00 F, 312.50 in the company's currency
        receivable = self.env["account.move.line"].search(
            [
                ("partner_id", "=", customer.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
            ]
        )
        self._is(round(sum(receivable.mapped("amount_residual_currency")), 2), -500.0)
        self._is(round(sum(receivable.mapped("amount_residual")), 2), -312.5)

    def test_foreign_period_billed_again(self):
        """G as in the test above; Mar 15th finance credits February's
        invoice (paid, paid out), Mar 20th bills February again: at the
        price it was billed at in F (250 F a seat), on April's invoice at
        April's rate."""
        foreign, dist, customer, g = self._foreign_agency()
        month = functools.partial(self._foreign_month, dist, foreign)
        settle = functools.partial(self._foreign_settle, dist, foreign)
        # Jan (rate 2): 400.00 F (80.00 F), 200.00; Feb (rate 2.5): 500.00 F
        # (100.00 F), 200.00
        month(1, [(d(1, 1), d(1, 31), 400.0)], (400.0, 80.0), 200.0)
        bills = settle(d(2, 1), [("in_invoice", 80.0)], [32.0])
        feb = month(2, [(d(2, 1), d(2, 28), 500.0)], (500.0, 100.0), 200.0)
        bills |= settle(d(3, 1), [("in_invoice", 100.0)], [62.5])
        # Mar (rate 1.6): 320.00 F (64.00 F), 200.00
        month(3, [(d(3, 1), d(3, 31), 320.0)], (320.0, 64.0), 200.0)
        # Mar 15th: February credited: 500.00 F (100.00 F), -312.50
        feb_credit = self._credit(d(3, 15), feb)
        self._is(feb_credit.reversed_entry_id, feb)
        self._is(feb_credit.amount_untaxed_signed, -312.5)
        # Mar 20th: February billed again (the accountant)
        february = g.channel_period_ids.filtered(lambda p: p.date_start == d(2, 1))
        with self._at(d(3, 20)):
            february.with_user(self.accountant).action_channel_bill_again()
        # Apr 1st: March's 64.00 F less February's 100.00 F: a refund of
        # 36.00 F (18.00 at 2.0)
        bills |= settle(d(4, 1), [("in_refund", 36.0)], [18.0])
        # Apr (rate 2): 2 x 200 = 400.00 F (80.00 F) + February again at
        # its 250 F a seat: 500.00 F (100.00 F) = 900.00 F, commission
        # 180.00 F; 900 / 2 = 450.00
        month(
            4,
            [(d(2, 1), d(2, 28), 500.0), (d(4, 1), d(4, 30), 400.0)],
            (900.0, 180.0),
            450.0,
        )
        # May 1st: April's 180.00 F paid out (90.00 at 2.0)
        bills |= settle(d(5, 1), [("in_invoice", 180.0)], [90.0])
        # End Customer F: 400 + 500 + 320 + 900 - 500 = 1,620.00 F; in the
        # company's currency 200 x 3 + 450 - 312.50 = 737.50
        moves = self._moves_of(customer)
        self._is(len(moves), 5)
        self._is(self._signed(moves), 1620.0)
        self._is(round(sum(moves.mapped("amount_untaxed_signed")), 2), 737.5)
        # commission: 80 + 100 + 64 + 180 - 100 = 324.00 F on the
        # documents, all paid out: 80 + 100 - 36 + 180 = 324.00 F
        self._is(self._signed_commission(moves), 324.0)
        self._is(
            round(
                sum(
                    (-1 if b.move_type == "in_refund" else 1) * b.amount_untaxed
                    for b in bills
                ),
                2,
            ),
            324.0,
        )
        self._is(self._payout_bills(dist), bills)
        # February's period: on two posted invoice lines (billed, billed
        # again), one of them credited
        self._is(
            sorted(
                (x.move_id.invoice_date, x.price_subtotal)
                for x in february.move_line_ids
                if x.parent_state == "posted" and x.move_id.move_type == "out_invoice"
            ),
            [(d(2, 1), 500.0), (d(4, 1), 500.0)],
        )
