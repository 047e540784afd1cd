# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import sys
from datetime import date, datetime

from lxml import etree

from odoo import Command
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import dateutil, safe_eval
from odoo.tools.safe_eval import time as safe_time

from .common import FinanceWalkCase


def d(month, day, year=2027):
    return date(year, month, day)


@tagged("post_install", "-at_install")
class TestFinanceYear(FinanceWalkCase):
    """A year of billing (2027) walked month by month as a finance
    controller would, every amount against a hand computation.

    Distributor A: Gold book, 20 % off list (a 100 seat costs it 80; a
    yearly product of 1,200 costs 960), invoiced monthly on the 1st (the
    scheduled job's batch for it), commission paid out monthly by a vendor
    bill, 21 % VAT on everything sold. End Customer A buys on the public
    book (list price), so on its agency lines the distributor earns list
    minus its book.

    - R: resale subscription, 10 seats from Jan 1 (monthly, in advance);
    - Y: resale subscription, 1 yearly product from Jan 1 (in advance);
    - G: agency subscription, 3 seats from Jan 1, invoiced to End Customer A;
    - one-off orders: O1 (resale, Jan), O2 (resale, Feb), OA (agency, Feb),
      O3 (resale, Jun, cancelled after billing).

    During the year: quantities up and down mid-period (R and G), the book
    moved to 25 % on Mar 15, a cancelled draft (Apr) and deleted drafts
    (May) billed again, April's resale invoice credited (stays credited
    until finance's *Bill Again* in June), O3 cancelled after billing
    (setting *Credit*), G cancelled on Jul 15 and its paid-out July invoice
    credited in August (clawback), R cancelled on Nov 15. Finance's own
    steps (rerun, post, pay, cancel or delete drafts, credit notes, bill
    again, settle) are an accountant's; the scheduled jobs run as the
    system. Untaxed amounts unless said; every document's VAT checked at the
    end.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vat = cls.env["account.tax"].create(
            {
                "name": "Test VAT 21",
                "amount": 21.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
            }
        )
        cls.product_yearly = cls._create_product_yearly()
        (cls.product_monthly | cls.product_service | cls.product_yearly).write(
            {"taxes_id": [Command.set(cls.vat.ids)]}
        )
        cls.dist = cls.distributor_a
        # finance: what a controller does by hand, it does as an accountant
        cls.accountant = new_test_user(
            cls.env,
            "walk_accountant",
            groups="base.group_user,account.group_account_invoice",
        )
        cls.customer = cls.customer_a
        with cls._at(d(12, 20, 2026)):
            cls.dist.write(
                {"channel_invoicing_period": "monthly", "channel_invoicing_monthday": 1}
            )

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _run(self, day):
        """The scheduled job's batch for the distributor on ``day`` (it is
        due): ``(resale invoices and credit notes, agency ones)``."""
        with self._at(day):
            due = self.env["sale.order"]._channel_distributors_due(day, self.dist)
            self.assertEqual(due, self.dist, f"{day}: the distributor is due")
            moves = self.env["sale.order"]._channel_invoice_scheduled_distributor(
                self.dist, day
            )
            # the job started again that day leaves it alone
            self.assertFalse(
                self.env["sale.order"]._channel_distributors_due(day, self.dist)
            )
        return self._split(moves)

    def _again(self, day):
        """Finance runs the billing again the same day (*Invoice Due Now*)."""
        with self._at(day):
            moves = self.env["account.move"].browse(
                self.dist.with_user(self.accountant).channel_invoice_due(day)
            )
        return self._split(moves)

    def _split(self, moves):
        resale = moves.filtered(
            lambda m: m.partner_id.commercial_partner_id == self.dist
        )
        return resale, moves - resale

    def _kind(self, moves, move_type):
        return moves.filtered(lambda m: m.move_type == move_type)

    def _pay_on(self, day, invoices):
        with self._at(day):
            for invoice in invoices:
                self._pay(invoice.with_user(self.accountant), date=day)
        self.assertEqual(set(invoices.mapped("payment_state")), {"paid"})

    def _bills(self):
        return self.env["account.move"].search(
            [
                ("partner_id", "=", self.dist.id),
                ("move_type", "in", ("in_invoice", "in_refund")),
            ]
        )

    def _settle_on(self, day):
        """The product's scheduled settlement job on ``day``: the
        distributor's new commission bills."""
        before = self._bills()
        with self._at(day):
            self.env["res.partner"]._cron_channel_settle_commissions()
        return self._bills() - before

    def _settle_again(self, day):
        """Finance settles the distributor again the same day."""
        with self._at(day):
            ids = self.dist.with_user(self.accountant).channel_settle_commissions(day)
        return self.env["account.move"].browse(ids)

    def _start(self, day, lines, **extra):
        with self._at(day):
            return self._start_subscription(
                self.dist, self.customer, lines, start=day, **extra
            )

    def _one_off(self, day, lines, **extra):
        with self._at(day):
            order = self._create_order(self.dist, self.customer, lines, **extra)
            order.action_confirm()
        return order

    def _totals(self, **amounts):
        return {key: round(value, 2) for key, value in amounts.items()}

    def _is(self, got, expected, what=None):
        """A figure against the hand computation: a mismatch is reported
        (with the line of the walk) and the walk goes on, so that one run
        lists every difference."""
        frame = sys._getframe(1)
        with self.subTest(line=frame.f_lineno, what=what):
            self.assertEqual(got, expected)

    # ------------------------------------------------------------------
    # the walk
    # ------------------------------------------------------------------

    def test_finance_year(self):
        dist, customer = self.dist, self.customer
        Move = self.env["account.move"]
        self._is(dist.channel_invoicing_next_date, d(1, 1))

        # ---------------------------------------------------------- January
        r_sub = self._start(d(1, 1), [(self.product_monthly, 10)])
        y_sub = self._start(d(1, 1), [(self.product_yearly, 1)])
        g_sub = self._start(
            d(1, 1), [(self.product_monthly, 3)], financial_role="end_customer"
        )
        self._is(g_sub.financial_role, "end_customer")
        o1 = self._one_off(d(1, 1), [(self.product_service, 2)])
        resale, agency = self._run(d(1, 1))
        # R 10 x 80 = 800.00 + Y 1 x 960 = 960.00 + O1 2 x 80 = 160.00
        #   = 1,920.00; VAT 21 % = 403.20; total 2,323.20
        self._is(len(resale), 1)
        # the yearly product's line carries its year of service
        yearly = self._products(resale).filtered(
            lambda line: line.product_id == self.product_yearly
        )
        self._is((yearly.start_date, yearly.end_date), (d(1, 1), d(12, 31)))
        self._is(resale.move_type, "out_invoice")
        self._is(resale.amount_untaxed, 1920.0)
        self._is(resale.amount_tax, 403.2)
        self._is(resale.amount_total, 2323.2)
        self._is(o1.invoice_ids, resale)
        # G 3 x 100 = 300.00, VAT 63.00, total 363.00; commission
        # 3 x (100 - 80) = 60.00
        self._is(len(agency), 1)
        self._is(agency.partner_id, customer)
        self._is(agency.amount_untaxed, 300.0)
        self._is(agency.amount_total, 363.0)
        self._is(agency.channel_commission, 60.0)
        self._is(sum(agency.invoice_line_ids.agent_ids.mapped("amount")), 60.0)
        self.assertFalse(resale.invoice_line_ids.agent_ids)
        self._post(d(1, 1), resale)
        jan_agency = self._post(d(1, 1), agency)
        # the job rerun the same day bills nothing twice
        self._is(self._again(d(1, 1)), (Move, Move))
        self._pay_on(d(1, 15), jan_agency)
        # R 10 -> 13 from Jan 20: +3 x 80 x 12/31 = 92.903... -> 92.90
        r_up = self._change(r_sub, d(1, 20), 13)
        self._is(r_up.amount, 92.9)
        # nothing settled before January is over
        self.assertFalse(self._settle_on(d(1, 31)))

        # --------------------------------------------------------- February
        # January's paid agency commission: 60.00
        bill = self._settle_on(d(2, 1))
        self._is(bill.move_type, "in_invoice")
        self._is(bill.partner_id, dist)
        self._is(bill.amount_untaxed, 60.0)
        # settled again the same day: nothing twice
        self.assertFalse(self._settle_again(d(2, 1)))
        resale, agency = self._run(d(2, 1))
        # R 13 x 80 = 1,040.00 + the Jan 20 charge 92.90 = 1,132.90;
        # VAT 218.40 + 19.509 -> 19.51 = 237.91
        self._is(resale.mapped("move_type"), ["out_invoice"])
        self._is(resale.amount_untaxed, 1132.9)
        self._is(resale.amount_tax, 237.91)
        self._is(agency.amount_untaxed, 300.0)
        self._is(agency.channel_commission, 60.0)
        feb_resale = self._post(d(2, 1), resale)
        feb_agency = self._post(d(2, 1), agency)
        self._pay_on(d(2, 10), feb_agency)
        # R 13 -> 4 from Feb 7: -9 x 80 x 22/28 = -565.714... -> -565.71
        r_down = self._change(r_sub, d(2, 7), 4)
        self._is(r_down.amount, -565.71)
        # new sales the same month: O2 resale 5 x 80 = 400.00; OA agency
        # 2 x 100 = 200.00, commission 2 x 20 = 40.00
        o2 = self._one_off(d(2, 20), [(self.product_service, 5)])
        oa = self._one_off(
            d(2, 20), [(self.product_service, 2)], financial_role="end_customer"
        )

        # ------------------------------------------------------------ March
        # February's paid agency commission: 60.00
        self._is(self._settle_on(d(3, 1)).amount_untaxed, 60.0)
        resale, agency = self._run(d(3, 1))
        # never netted: an invoice of the new sales, R 4 x 80 = 320.00 +
        # O2 400.00 = 720.00; a credit note of the Feb 7 credit, 565.71
        # (VAT 118.7991 -> 118.80), linked to February's invoice
        mar_invoice = self._kind(resale, "out_invoice")
        mar_refund = self._kind(resale, "out_refund")
        self._is(len(mar_invoice), 1)
        self._is(mar_invoice.amount_untaxed, 720.0)
        self._is(o2.invoice_ids, mar_invoice)
        self._is(len(mar_refund), 1)
        self._is(mar_refund.amount_untaxed, 565.71)
        self._is(mar_refund.amount_tax, 118.8)
        self._is(mar_refund.reversed_entry_id, feb_resale)
        # in R's section, for the days it corrects: Feb 7 - Feb 28
        credit = self._products(mar_refund)
        self._is(credit.contract_line_id.contract_id, r_sub)
        self._is(self._sections(mar_refund).channel_contract_id, r_sub)
        self._is((credit.start_date, credit.end_date), (d(2, 7), d(2, 28)))
        # a credit note prints no negative line
        self._is(
            [line.quantity > 0 for line in self._products(mar_refund)],
            [True] * len(self._products(mar_refund)),
        )
        # agency: G 300.00 + OA 200.00 = 500.00, commission 60 + 40 = 100
        self._is(agency.mapped("move_type"), ["out_invoice"] * len(agency))
        self._is(sum(agency.mapped("amount_untaxed")), 500.0)
        self._is(sum(agency.mapped("channel_commission")), 100.0)
        self._is(
            oa.invoice_ids,
            agency.filtered(lambda m: oa in m.line_ids.sale_line_ids.order_id),
        )
        self._post(d(3, 1), resale)
        mar_agency = self._post(d(3, 1), agency)
        self._is(self._again(d(3, 1)), (Move, Move))
        self._pay_on(d(3, 10), mar_agency)
        # the book goes to 25 % off on Mar 15: a seat costs 75 from the
        # next period billed
        with self._at(d(3, 15)):
            self.book_gold.item_ids.percent_price = 25.0
        # R 4 -> 6 from Mar 22, at the 80 March was billed at:
        # +2 x 80 x 10/31 = 51.6129... -> 51.61
        r_up2 = self._change(r_sub, d(3, 22), 6)
        self._is(r_up2.amount, 51.61)

        # ------------------------------------------------------------ April
        # March's paid agency commission: 100.00
        self._is(self._settle_on(d(4, 1)).amount_untaxed, 100.0)
        resale, agency = self._run(d(4, 1))
        # R 6 x 75 = 450.00 + the Mar 22 charge 51.61 = 501.61;
        # VAT 94.50 + 10.8381 -> 10.84 = 105.34
        self._is(resale.mapped("move_type"), ["out_invoice"])
        self._is(resale.amount_untaxed, 501.61)
        self._is(resale.amount_tax, 105.34)
        # G 3 x 100 = 300.00, commission now 3 x (100 - 75) = 75.00
        self._is(agency.amount_untaxed, 300.0)
        self._is(agency.channel_commission, 75.0)
        # finance cancels the draft: billed again the same day, at the
        # amounts it was billed at, even with the book moved to 30 % off
        # in between (put back to 25 % after)
        with self._at(d(4, 1)):
            resale.with_user(self.accountant).button_cancel()
            self.book_gold.item_ids.percent_price = 30.0
        again, nothing = self._again(d(4, 1))
        with self._at(d(4, 1)):
            self.book_gold.item_ids.percent_price = 25.0
        self.assertFalse(nothing)
        self._is(again.mapped("move_type"), ["out_invoice"])
        self._is(again.amount_untaxed, 501.61)
        self._is(again.amount_tax, 105.34)
        apr_resale = self._post(d(4, 1), again)
        apr_agency = self._post(d(4, 1), agency)
        self._is(self._again(d(4, 1)), (Move, Move))
        self._pay_on(d(4, 10), apr_agency)
        # G 3 -> 5 from Apr 20: +2 x 100 x 11/30 = 73.333... -> 73.33;
        # commission +2 x 25 x 11/30 = 18.333... -> 18.33
        g_up = self._change(g_sub, d(4, 20), 5)
        self._is(g_up.amount, 73.33)
        self._is(g_up.channel_commission, 18.33)

        # -------------------------------------------------------------- May
        # April's paid agency commission: 75.00
        self._is(self._settle_on(d(5, 1)).amount_untaxed, 75.0)
        resale, agency = self._run(d(5, 1))
        # R 6 x 75 = 450.00
        self._is(resale.amount_untaxed, 450.0)
        # G 5 x 100 = 500.00 + charge 73.33 = 573.33; commission
        # 5 x 25 = 125.00 + 18.33 = 143.33
        self._is(agency.amount_untaxed, 573.33)
        self._is(agency.channel_commission, 143.33)
        # finance deletes both drafts (the agency one with its prorated
        # charge): billed again the same day, same amounts and commission
        with self._at(d(5, 1)):
            (resale | agency).with_user(self.accountant).unlink()
        again, agency = self._again(d(5, 1))
        self._is(again.amount_untaxed, 450.0)
        self._is(agency.amount_untaxed, 573.33)
        self._is(agency.channel_commission, 143.33)
        self._is(
            round(sum(agency.invoice_line_ids.agent_ids.mapped("amount")), 2), 143.33
        )
        self._is(g_up.move_line_id.move_id, agency)
        self._post(d(5, 1), again)
        may_agency = self._post(d(5, 1), agency)
        self._is(self._again(d(5, 1)), (Move, Move))
        self._pay_on(d(5, 10), may_agency)
        # April's resale invoice credited in full by finance: 501.61
        apr_refund = self._credit(d(5, 5), apr_resale)
        self._is(apr_refund.amount_untaxed, 501.61)
        self._is(apr_refund.reversed_entry_id, apr_resale)

        # ------------------------------------------------------------- June
        # May's paid agency commission: 143.33
        self._is(self._settle_on(d(6, 1)).amount_untaxed, 143.33)
        resale, agency = self._run(d(6, 1))
        # April stays credited: June alone, R 6 x 75 = 450.00
        self._is(resale.mapped("move_type"), ["out_invoice"])
        self._is(resale.amount_untaxed, 450.0)
        # G 5 x 100 = 500.00, commission 125.00
        self._is(agency.amount_untaxed, 500.0)
        self._is(agency.channel_commission, 125.0)
        self._post(d(6, 1), resale)
        jun_agency = self._post(d(6, 1), agency)
        self._pay_on(d(6, 10), jun_agency)
        # G 5 -> 4 from Jun 16, June paid (and paid out on Jul 1):
        # -1 x 100 x 15/30 = -50.00; commission -1 x 25 x 15/30 = -12.50
        g_down = self._change(g_sub, d(6, 16), 4)
        self._is(g_down.amount, -50.0)
        self._is(g_down.channel_commission, -12.5)
        # O3 resale at the new book: 2 x 75 = 150.00
        o3 = self._one_off(d(6, 3), [(self.product_service, 2)])
        # finance asks to bill April's R period again (*Bill Again*, an
        # accountant): 6 x 75 = 450.00, as it was billed
        accountant = self.accountant
        april_r = r_sub.channel_period_ids.filtered(lambda p: p.date_start == d(4, 1))
        with self._at(d(6, 10)):
            april_r.with_user(accountant).action_channel_bill_again()
        self._is(r_sub.message_ids[:1].author_id, accountant.partner_id)

        # ------------------------------------------------------------- July
        # June's paid agency commission: 125.00
        self._is(self._settle_on(d(7, 1)).amount_untaxed, 125.0)
        resale, agency = self._run(d(7, 1))
        # R 450.00 + O3 150.00 + April again 450.00 = 1,050.00
        self._is(resale.amount_untaxed, 1050.0)
        april_again = self._products(resale).filtered(
            lambda line: line.channel_period_id == april_r
        )
        self._is(
            (april_again.start_date, april_again.end_date, april_again.price_subtotal),
            (d(4, 1), d(4, 30), 450.0),
        )
        # agency, never netted: an invoice of G 4 x 100 = 400.00
        # (commission 100.00) and a credit note of the Jun 16 credit,
        # 50.00 (commission 12.50), linked to June's invoice
        jul_agency = self._kind(agency, "out_invoice")
        g_credit = self._kind(agency, "out_refund")
        self._is(jul_agency.amount_untaxed, 400.0)
        self._is(jul_agency.channel_commission, 100.0)
        self._is(g_credit.amount_untaxed, 50.0)
        self._is(g_credit.channel_commission, 12.5)
        self._is(g_credit.reversed_entry_id, jun_agency)
        jul_resale = self._post(d(7, 1), resale)
        self._post(d(7, 1), agency)
        self._pay_on(d(7, 5), jul_agency)
        # O3 cancelled after billing (setting Credit): a credit note of
        # 150.00 linked to July's invoice
        self.company.channel_cancel_invoiced = "credit"
        before = Move.search([])
        with self._at(d(7, 10)):
            o3.with_context(disable_cancel_warning=True).action_cancel()
        o3_refund = Move.search([("id", "not in", before.ids)])
        self._is(o3.state, "cancel")
        self._is(o3_refund.move_type, "out_refund")
        self._is(o3_refund.reversed_entry_id, jul_resale)
        self._is(o3_refund.amount_untaxed, 150.0)
        self._post(d(7, 10), o3_refund)
        # G cancelled mid-period on Jul 15: runs to Jul 31 (paid for)
        with self._at(d(7, 15)):
            ends = g_sub._channel_cancel(d(7, 15))
        self._is(ends[g_sub], d(7, 31))

        # ----------------------------------------------------------- August
        # July's paid agency commission, 100.00, less the Jun 16 credit
        # note's 12.50 (posted Jul 1, June already paid out): 87.50
        self._is(self._settle_on(d(8, 1)).amount_untaxed, 87.5)
        resale, agency = self._run(d(8, 1))
        self._is(resale.amount_untaxed, 450.0)
        # G ended on Jul 31: nothing to the end customer
        self.assertFalse(agency)
        self._post(d(8, 1), resale)
        # July's agency invoice, paid out on Aug 1, credited on Aug 10:
        # 400.00, commission 100.00 no longer earned
        jul_agency_refund = self._credit(d(8, 10), jul_agency)
        self._is(jul_agency_refund.amount_untaxed, 400.0)
        self._is(jul_agency_refund.channel_commission, 100.0)
        self._is(
            sum(jul_agency_refund.invoice_line_ids.agent_ids.mapped("amount")), -100.0
        )

        # -------------------------------------------------------- September
        # the clawback: a vendor refund of 100.00
        clawback = self._settle_on(d(9, 1))
        self._is(clawback.move_type, "in_refund")
        self._is(clawback.partner_id, dist)
        self._is(clawback.amount_untaxed, 100.0)
        self.assertFalse(self._settle_again(d(9, 1)))
        clawed_lines = (
            self.env["commission.settlement"]
            .search([("agent_id", "=", dist.id), ("date_from", "=", d(8, 1))])
            .line_ids
        )
        self._is(clawed_lines.invoice_line_id.move_id, jul_agency_refund)
        # G ended on Jul 31: no next invoice
        g_sub.invalidate_recordset()
        self.assertFalse(g_sub.channel_next_invoice_date)
        resale, agency = self._run(d(9, 1))
        self._is(resale.amount_untaxed, 450.0)
        self.assertFalse(agency)
        self._post(d(9, 1), resale)

        # ---------------------------------------------- October to December
        for month in (10, 11):
            self.assertFalse(self._settle_on(d(month, 1)))
            resale, agency = self._run(d(month, 1))
            self._is(resale.amount_untaxed, 450.0, f"month {month}")
            self.assertFalse(agency)
            self._post(d(month, 1), resale)
        # R cancelled on Nov 15: runs to Nov 30
        with self._at(d(11, 15)):
            ends = r_sub._channel_cancel(d(11, 15))
        self._is(ends[r_sub], d(11, 30))
        self.assertFalse(self._settle_on(d(12, 1)))
        resale, agency = self._run(d(12, 1))
        # nothing left to bill: R ended, Y's next year starts 2028-01-01
        self.assertFalse(resale | agency)
        with self._at(d(12, 2)):
            (r_sub | y_sub).invalidate_recordset()
            self.assertFalse(r_sub.channel_next_invoice_date)
            # Y's next year is billed by the Jan 1, 2028 run
            self._is(y_sub.channel_next_invoice_date, d(1, 1, 2028))

        # ------------------------------------------------------- the year
        moves = Move.search(
            [
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("commercial_partner_id", "in", (dist | customer).ids),
            ]
        )
        # per month, posted invoices - credit notes (untaxed)
        expected = {
            # month: (resale, agency)
            1: (1920.00, 300.00),
            2: (1132.90, 300.00),
            3: (720.00 - 565.71, 500.00),  # 154.29
            4: (501.61, 300.00),
            5: (450.00 - 501.61, 573.33),  # -51.61
            6: (450.00, 500.00),
            7: (1050.00 - 150.00, 400.00 - 50.00),  # 900.00, 350.00
            8: (450.00, -400.00),
            9: (450.00, 0.0),
            10: (450.00, 0.0),
            11: (450.00, 0.0),
            12: (0.0, 0.0),
        }
        for month, (resale_total, agency_total) in expected.items():
            of_month = moves.filtered(lambda m, x=month: m.invoice_date.month == x)
            with self.subTest(month=month):
                got = self._totals(
                    resale=sum(
                        of_month.filtered(
                            lambda m: m.commercial_partner_id == dist
                        ).mapped("amount_untaxed_signed")
                    ),
                    agency=sum(
                        of_month.filtered(
                            lambda m: m.commercial_partner_id == customer
                        ).mapped("amount_untaxed_signed")
                    ),
                )
                self._is(
                    got,
                    self._totals(resale=resale_total, agency=agency_total),
                )
        # the year: resale 1,920.00 + 1,132.90 + 154.29 + 501.61 - 51.61
        # + 6 x 450.00 (Jun-Nov) + 450.00 (April again) = 6,807.19; agency
        # 300 + 300 + 500 + 300 + 573.33 + 500 + 350 - 400 = 2,423.33
        self._is(
            round(sum(moves.mapped("amount_untaxed_signed")), 2), 6807.19 + 2423.33
        )
        # 21 % VAT on every document, to the cent
        for move in moves:
            with self.subTest(vat=move.name):
                self._is(
                    move.amount_tax, self.currency.round(move.amount_untaxed * 0.21)
                )
        # deferred revenue: every subscription line posted carries its
        # service dates
        sub_lines = moves.invoice_line_ids.filtered("contract_line_id")
        self._is(
            sub_lines.filtered(lambda line: not (line.start_date and line.end_date)),
            self.env["account.move.line"],
        )
        # every credit note is linked to what it corrects
        refunds = self._kind(moves, "out_refund")
        self._is(len(refunds), 5)
        self.assertTrue(all(refund.reversed_entry_id for refund in refunds))
        # each period billed once: one posted invoice line each; R Jan-Nov
        # (11), Y 2027 (1), G Jan-Jul (7); April's R twice, finance asked,
        # its first invoice credited in full
        self._is(
            self.env["account.move"].search(
                [("reversed_entry_id", "=", apr_resale.id)]
            ),
            apr_refund,
        )
        periods = (r_sub | y_sub | g_sub).channel_period_ids
        self._is(len(periods), 19)
        for period in periods:
            billed = period.move_line_ids.filtered(
                lambda line: line.move_id.state == "posted"
                and line.move_id.move_type == "out_invoice"
            )
            with self.subTest(period=(period.contract_id.name, period.date_start)):
                self._is(len(billed), 2 if period == april_r else 1)
        # commission: paid out 60 + 60 + 100 + 75 + 143.33 + 125
        # + (100 - 12.50) = 650.83 on the paid agency lines; clawed back
        # 100.00; net 550.83
        bills = Move.search(
            [
                ("partner_id", "=", dist.id),
                ("move_type", "in", ("in_invoice", "in_refund")),
            ]
        )
        self._is(
            round(sum(self._kind(bills, "in_invoice").mapped("amount_untaxed")), 2),
            650.83,
        )
        self._is(
            round(sum(self._kind(bills, "in_refund").mapped("amount_untaxed")), 2),
            100.0,
        )
        settlements = self.env["commission.settlement"].search(
            [("agent_id", "=", dist.id)]
        )
        self._is(round(sum(settlements.mapped("total")), 2), 550.83)
        paid_agency = self._kind(moves, "out_invoice").filtered(
            lambda m: m.commercial_partner_id == customer
            and m.payment_state in ("paid", "reversed")
        )
        clawed = self._kind(moves, "out_refund").filtered(
            lambda m: m.commercial_partner_id == customer
        )
        self._is(
            round(
                sum(paid_agency.mapped("channel_commission"))
                - sum(clawed.mapped("channel_commission")),
                2,
            ),
            550.83,
        )
        # commission per month, posted invoices - credit notes (hand):
        # resale: list - book per unit (20, then 25 from the Apr 1 period;
        # Y 1,200 - 960 = 240), a prorated change the period's commission
        # in proportion to its amount
        expected_commission = {
            # Jan: R 10 x 20 + Y 240 + O1 2 x 20 = 480.00
            1: (480.0, 60.0),
            # Feb: R 13 x 20 = 260 + 3 x 20 x 12/31 = 23.2258 -> 23.23
            2: (283.23, 60.0),
            # Mar: R 4 x 20 + O2 5 x 20 = 180 - 9 x 20 x 22/28 = 141.4286
            # -> 141.43 = 38.57; agency G 60 + OA 2 x 20 = 100
            3: (38.57, 100.0),
            # Apr: R 6 x 25 = 150 + 2 x 20 x 10/31 = 12.903 -> 12.90
            4: (162.9, 75.0),
            # May: 150 - April credited 162.90; agency 5 x 25 + 18.33
            5: (-12.9, 143.33),
            6: (150.0, 125.0),
            # Jul: 150 + O3 2 x 25 + April again 150 - O3 credited 50
            7: (300.0, 87.5),
            8: (150.0, -100.0),
            9: (150.0, 0.0),
            10: (150.0, 0.0),
            11: (150.0, 0.0),
            12: (0.0, 0.0),
        }
        for month, (resale_total, agency_total) in expected_commission.items():
            of_month = moves.filtered(lambda m, x=month: m.invoice_date.month == x)

            def commission(ms):
                return sum(
                    (-1 if m.move_type == "out_refund" else 1) * m.channel_commission
                    for m in ms
                )

            with self.subTest(commission_month=month):
                self._is(
                    self._totals(
                        resale=commission(
                            of_month.filtered(lambda m: m.commercial_partner_id == dist)
                        ),
                        agency=commission(
                            of_month.filtered(
                                lambda m: m.commercial_partner_id == customer
                            )
                        ),
                    ),
                    self._totals(resale=resale_total, agency=agency_total),
                )
        # one commission figure: the partner form's, 2,001.80 resale
        # (480 + 283.23 + 38.57 + 162.90 - 12.90 + 6 x 150 + 150 April
        # again) + 550.83 agency = 2,552.63
        dist.invalidate_recordset(["distributor_commission"])
        self._is(self.currency.round(dist.distributor_commission), 2552.63)
        # the channel analysis, as it opens (invoiced rows), per month:
        # revenue and commission of the distributor
        analysis = self._analysis("channel_distribution.action_channel_sale_report")
        hand = {}
        for month in range(1, 12):
            hand[d(month, 1)] = (
                round(sum(expected[month]), 2),
                round(sum(expected_commission[month]), 2),
            )
        self._is(analysis, hand)

    def _analysis(self, xmlid):
        """{month: (revenue, commission)} of the distributor in the menu's
        analysis, with the filters its action applies by default."""
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
            "time": safe_time,
        }
        for key, value in context.items():
            if key.startswith("search_default_") and value:
                node = filters[key[len("search_default_") :]]
                if node.get("domain"):
                    domain += safe_eval(node.get("domain"), evaluation)
        self.env.flush_all()
        rows = self.env["sale.report"]._read_group(
            domain + [("distributor_id", "=", self.dist.id)],
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
