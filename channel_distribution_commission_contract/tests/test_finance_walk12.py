# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Walk 12 of a finance controller (issue 25): the last session's changes
walked month by month. Commission paid only on what the end customer paid
(partial payments, a write-off, down payments, a payment undone after
payout), a credit note of an agency invoice that carries a line sold under
the distributor's book beside a line that earned commission, and Bill
Again of a subscription's period credited in two credit notes, then the
order cancelled. Every figure is a hand computation written in the test
(literal figures, not the code's), the clock frozen at noon of each day."""

from calendar import monthrange
from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from . import test_finance_walk11 as walk11
from .test_finance_controller import d


class Walk12Case(walk11.Walk11Case):
    """Walk 11's helpers and the accountant's payments with a write-off,
    payments undone, down payments and edited credit notes."""

    def _pay_part(self, day, invoice, amount, writeoff=False):
        """The accountant registers ``amount`` on ``invoice``; with
        ``writeoff`` the rest is written off (*Mark as fully paid*)."""
        with self._at(day):
            vals = {"amount": amount, "payment_date": day}
            if writeoff:
                vals.update(
                    {
                        "payment_difference_handling": "reconcile",
                        "writeoff_account_id": self.writeoff_account.id,
                        "writeoff_label": "bank fees",
                    }
                )
            wizard = (
                self.env["account.payment.register"]
                .with_user(self.accountant)
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create(vals)
            )
            wizard._create_payments()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.writeoff_account = cls.env["account.account"].search(
            [
                ("company_ids", "in", cls.company.ids),
                ("account_type", "=", "expense"),
            ],
            limit=1,
        )

    def _credit_edited(self, day, invoice, edit):
        """A credit note of ``invoice`` whose draft the accountant edits
        (``edit(credit_note)``) before posting it."""
        with self._at(day):
            wizard = (
                self.env["account.move.reversal"]
                .with_user(self.accountant)
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create({"reason": "partial", "journal_id": invoice.journal_id.id})
            )
            wizard.refund_moves()
            refund = wizard.new_move_ids.with_user(self.accountant)
            edit(refund)
            refund.action_post()
        return refund.with_user(self.env.user)

    def _settle_sum(self, day, distributor=None):
        """The accountant's *Settle* on ``day``: ``[(type, untaxed)]`` of the
        new payout moves, sorted, and the moves."""
        bills = self._settle(day, distributor or self.distributor_a)
        return sorted((m.move_type, m.amount_untaxed) for m in bills), bills


@tagged("post_install", "-at_install")
class TestWalk12Collected(Walk12Case):
    """A: commission only on what the end customer paid, walked January to
    May on one distributor: an agency subscription paid in two parts, then
    with a write-off, then paid and the payment undone after payout; a
    one-off agency order with a down payment paid after its final invoice;
    an agency invoice whose price finance edited on its draft."""

    def test_collected_months(self):
        """Distributor A (Gold: a 100 seat or service costs it 80, earns
        20) invoiced on the 1st, its commission paid out monthly by vendor
        bill. G: 2 agency seats to End Customer A from Jan 1st 2027 (each
        month 200.00, commission 40.00)."""
        dist = self.distributor_a
        Move = self.env["account.move"]
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
            financial_role="end_customer",
            business_role="end_customer",
        )

        def month(day):
            resale, agency = self._run(day)
            self.assertFalse(resale)
            # G: 2 x 100 = 200.00, commission 2 x 20 = 40.00
            self._is((agency.amount_untaxed, agency.channel_commission), (200.0, 40.0))
            end = day.replace(day=monthrange(day.year, day.month)[1])
            self._is(self._rows(agency, g), [(day, end, 200.0)], f"{day} rows")
            self._post(day, agency)
            return agency

        # ------------------------------------------------------- January
        jan = month(d(1, 1))
        # 120.00 of 200.00 paid on Jan 10: partly paid, nothing earned yet
        self._pay_part(d(1, 10), jan, 120.0)
        self._is(jan.payment_state, "partial")
        # ------------------------------------------------------- February
        feb = month(d(2, 1))
        self._is(self._settle_sum(d(2, 1))[0], [], "Feb 1: January partly paid")
        # the rest of January (80.00) on Feb 10: January earned
        self._pay_part(d(2, 10), jan, 80.0)
        self._is(jan.payment_state, "paid")
        # February: 199.00 paid, 1.00 written off (bank fees): paid
        self._pay_part(d(2, 12), feb, 199.0, writeoff=True)
        self._is(feb.payment_state, "paid")
        # O: a one-off agency order, 2 services (200.00, commission 40.00);
        # a 50 % down payment of 100.00 (no commission), then the final
        # invoice 200 - 100 = 100.00 carrying the order's 40.00
        with self._at(d(2, 15)):
            o = self._create_order(
                dist,
                self.customer_a,
                [(self.product_service, 2)],
                financial_role="end_customer",
            )
            o.action_confirm()
            before = o.invoice_ids
            self.env["sale.advance.payment.inv"].with_context(
                active_model="sale.order", active_ids=o.ids
            ).create(
                {"advance_payment_method": "percentage", "amount": 50}
            ).create_invoices()
            down = o.invoice_ids - before
        self._post(d(2, 15), down)
        self._is((down.amount_untaxed, down.channel_commission), (100.0, 0.0))
        with self._at(d(2, 20)):
            final = o._create_invoices(final=True)
        self._post(d(2, 20), final)
        self._is((final.amount_untaxed, final.channel_commission), (100.0, 40.0))
        # the final invoice paid on Feb 25, the down payment not yet
        self._pay_part(d(2, 25), final, 100.0)
        self._is(final.payment_state, "paid")
        # ------------------------------------------------------- March
        mar = month(d(3, 1))
        # January 40.00 (its settlement) and February 40.00 (G; O's final
        # invoice waits for its down payment): two bills of 40.00
        got, bills = self._settle_sum(d(3, 1))
        self._is(got, [("in_invoice", 40.0), ("in_invoice", 40.0)], "Mar 1")
        self._post(d(3, 1), bills)
        # the down payment paid Mar 5: O's 40.00 earned, under February
        self._pay_part(d(3, 5), down, 100.0)
        self._pay_part(d(3, 10), mar, 200.0)
        self._is(mar.payment_state, "paid")
        # ------------------------------------------------------- April
        apr = month(d(4, 1))
        # O's 40.00 (February's period, a settlement of its own) and G's
        # March 40.00: two bills of 40.00
        got, bills = self._settle_sum(d(4, 1))
        self._is(got, [("in_invoice", 40.0), ("in_invoice", 40.0)], "Apr 1")
        self._post(d(4, 1), bills)
        # Apr 5: March's payment bounced (cancelled): unpaid again; nothing
        # clawed back by itself (README, P11-20)
        payment = mar._get_reconciled_payments()
        self._is(len(payment), 1)
        with self._at(d(4, 5)):
            payment.action_draft()
            payment.action_cancel()
        self._is(mar.payment_state, "not_paid")
        self._is(self._settle_sum(d(4, 6))[0], [], "Apr 6: nothing")
        # Apr 10: finance credits March (the customer will not pay): the
        # credit note 200.00, commission 40.00, linked to March
        mar_credit = self._credit(d(4, 10), mar)
        self._is(mar_credit.reversed_entry_id, mar)
        self._is(
            (mar_credit.amount_untaxed, mar_credit.channel_commission), (200.0, 40.0)
        )
        # P: an agency order of 2 services whose draft invoice bills
        # 90.00 a unit (180.00): the line earns the
        # same share of what it bills (README, P11-1): 40 x 180 / 200 =
        # 36.00; paid Apr 20
        with self._at(d(4, 12)):
            p = self._create_order(
                dist,
                self.customer_a,
                [(self.product_service, 2)],
                financial_role="end_customer",
            )
            p.action_confirm()
            p_inv = p._create_invoices()
            line = p_inv.invoice_line_ids.filtered("product_id")
            edit = {"invoice_line_ids": [Command.update(line.id, {"price_unit": 90.0})]}
            # an accountant's price on a draft of a channel order: refused
            # since the twelfth probe (P12-10); the product's own flows (as
            # superuser) still bill another price, and the commission follows
            with self.assertRaises(UserError), self.env.cr.savepoint():
                p_inv.with_user(self.accountant).write(edit)
            p_inv.write(edit)
            # exempting the agency line from commission: refused (P11-2)
            with self.assertRaises(UserError), self.env.cr.savepoint():
                line.with_user(self.accountant).write({"commission_free": True})
        self._post(d(4, 12), p_inv)
        self._is((p_inv.amount_untaxed, p_inv.channel_commission), (180.0, 36.0))
        self._pay_part(d(4, 20), p_inv, 180.0)
        # ------------------------------------------------------- May
        may = month(d(5, 1))
        # April: G's April unpaid (nothing), March's credit note claws back
        # 40.00 (March was paid out), P 36.00: 36 - 40 = -4.00, one vendor
        # refund of 4.00
        got, bills = self._settle_sum(d(5, 1))
        self._is(got, [("in_refund", 4.0)], "May 1")
        self._post(d(5, 1), bills)
        # P: one unit credited on an edited credit note (1 x 90 = 90.00):
        # claws back 36 x 90 / 180 = 18.00
        p_credit = self._credit_edited(
            d(5, 5),
            p_inv,
            lambda r: r.write(
                {
                    "invoice_line_ids": [
                        Command.update(
                            r.invoice_line_ids.filtered("product_id").id,
                            {"quantity": 1.0},
                        )
                    ]
                }
            ),
        )
        self._is(p_credit.reversed_entry_id, p_inv)
        self._is((p_credit.amount_untaxed, p_credit.channel_commission), (90.0, 18.0))
        self._pay_part(d(5, 10), apr, 200.0)
        self._pay_part(d(5, 10), may, 200.0)
        # ------------------------------------------------------- June
        # April's G 40.00 (paid May 10) and P's credit -18.00 (April and
        # May settlements): April 40.00 and May 40 - 18 = 22.00
        got, bills = self._settle_sum(d(6, 1))
        self._is(got, [("in_invoice", 22.0), ("in_invoice", 40.0)], "Jun 1")
        self._post(d(6, 1), bills)
        self._is(self._settle_sum(d(6, 2))[0], [], "nothing twice")
        # paid out: 40 + 40 + 40 + 40 - 4 + 40 + 22 = 218.00; earned on
        # what was collected: G Jan, Feb, Apr, May 4 x 40 = 160.00 (March
        # credited), O 40.00, P 36 - 18 = 18.00 = 218.00
        live = self._payout_bills(dist).filtered(lambda m: m.state == "posted")
        self._is(
            round(sum(live.mapped(lambda m: m.amount_untaxed_signed * -1)), 2),
            218.0,
            "paid out",
        )
        # the documents: G 5 x 40 - 40 = 160.00, O 40.00, P 36 - 18 =
        # 18.00: 218.00; the partner form the same
        moves = self._posted_moves(dist) | Move.search(
            [
                ("commercial_partner_id", "=", self.customer_a.id),
                ("state", "=", "posted"),
                ("move_type", "in", ("out_invoice", "out_refund")),
            ]
        )
        self._is(self._signed_commission(moves), 218.0, "documents")
        self._is(self._partner_commission(dist), 218.0, "partner form")
        # Channel Analysis per month = the posted documents: Jan 200.00 /
        # 40.00; Feb G 200 + down payment 100 + final 200 - 100 = 400.00 /
        # 40 + 0 + 40 = 80.00; Mar 200.00 / 40.00; Apr G 200 - March's
        # credit 200 + P 180 = 180.00 / 40 - 40 + 36 = 36.00; May G 200 -
        # P's credit 90 = 110.00 / 40 - 18 = 22.00
        expected = {
            d(1, 1): (200.0, 40.0),
            d(2, 1): (400.0, 80.0),
            d(3, 1): (200.0, 40.0),
            d(4, 1): (180.0, 36.0),
            d(5, 1): (110.0, 22.0),
        }
        with self._at(d(6, 2)):
            self._is(self._posted(dist), expected, "documents per month")
            self._is(
                self._analysis("channel_distribution.action_channel_sale_report", dist),
                expected,
                "Channel Analysis",
            )


@tagged("post_install", "-at_install")
class TestWalk12NegativeBesideEarned(Walk12Case):
    """B: an agency invoice with a line sold under the distributor's book
    (the book raised after confirmation: a negative commission, never
    settled) beside a line that earned commission; paid, paid out, then
    credited by finance."""

    def _mixed_invoice(self):
        """Order Q: 2 services at 85 (15 % off; Gold book 80: earns 5) and
        1 set-up at 250 (book 200: earns 50), confirmed Jan 5th; the Gold
        book raised to 10 % off on Jan 8th (service 90, set-up 225);
        invoiced Jan 10th: service 2 x 85 = 170.00, commission 2 x (85 -
        90) = -10.00; set-up 250.00, commission 250 - 225 = 25.00; 420.00,
        commission 15.00; paid Jan 20th."""
        dist = self.distributor_a
        with self._at(d(1, 5)):
            q = self._create_order(
                dist,
                self.customer_a,
                [(self.product_service, 2), (self.product_setup, 1)],
                financial_role="end_customer",
            )
            q.order_line.filtered(
                lambda x: x.product_id == self.product_service
            ).discount = 15
            q.action_confirm()
        with self._at(d(1, 8)):
            self.book_gold.item_ids.percent_price = 10
        with self._at(d(1, 10)):
            inv = q._create_invoices()
        self._post(d(1, 10), inv)
        self._is((inv.amount_untaxed, inv.channel_commission), (420.0, 15.0))
        self._is(
            sorted(self._agent_lines(inv).mapped("amount")), [-10.0, 25.0], "agents"
        )
        self._pay_part(d(1, 20), inv, 420.0)
        return inv

    def test_credit_note_of_paid_out_invoice_with_negative_line(self):
        """Feb 1st: 25.00 paid out (the -10.00 never charged). Feb 10th the
        end customer returns everything: a credit note of 420.00. Mar 1st:
        the set-up's 25.00 clawed back (a vendor refund of 25.00); the
        service's +10.00 pays nothing back (README *Never below the
        book*)."""
        inv = self._mixed_invoice()
        got, bills = self._settle_sum(d(2, 1))
        self._is(got, [("in_invoice", 25.0)], "Feb 1")
        self._post(d(2, 1), bills)
        refund = self._credit(d(2, 10), inv)
        self._is(refund.reversed_entry_id, inv)
        self._is(refund.amount_untaxed, 420.0)
        got, bills = self._settle_sum(d(3, 1))
        self._is(got, [("in_refund", 25.0)], "Mar 1: the set-up clawed back")
        # nothing twice, nothing of the service's line
        self._is(self._settle_sum(d(3, 2))[0], [], "Mar 2")
        # paid out 25 - 25 = 0.00; the documents: January 420.00 / 15.00,
        # February -420.00 / -15.00, the partner form 0.00
        self._is(self._partner_commission(self.distributor_a), 0.0)
        expected = {d(1, 1): (420.0, 15.0), d(2, 1): (-420.0, -15.0)}
        with self._at(d(3, 2)):
            self._is(self._posted(self.distributor_a), expected, "documents")
            self._is(
                self._analysis(
                    "channel_distribution.action_channel_sale_report",
                    self.distributor_a,
                ),
                expected,
                "Channel Analysis",
            )

    def test_credit_of_the_earning_line_only(self):
        """Feb 10th: finance credits the set-up only (its credit note's
        service line deleted on the draft): 250.00; Mar 1st its 25.00 is
        clawed back."""
        inv = self._mixed_invoice()
        got, bills = self._settle_sum(d(2, 1))
        self._is(got, [("in_invoice", 25.0)], "Feb 1")
        self._post(d(2, 1), bills)

        def setup_only(refund):
            service = refund.invoice_line_ids.filtered(
                lambda x: x.product_id == self.product_service
            )
            refund.write({"invoice_line_ids": [Command.delete(service.id)]})

        refund = self._credit_edited(d(2, 10), inv, setup_only)
        self._is(refund.reversed_entry_id, inv)
        self._is((refund.amount_untaxed, refund.channel_commission), (250.0, 25.0))
        got, __ = self._settle_sum(d(3, 1))
        self._is(got, [("in_refund", 25.0)], "Mar 1: the set-up clawed back")
        # the documents: 15 - 25 = -10.00 (the service's line under the
        # book, shown, never charged); paid out 25 - 25 = 0.00
        self._is(self._partner_commission(self.distributor_a), -10.0)


@tagged("post_install", "-at_install")
class TestWalk12BillAgainTwoCredits(Walk12Case):
    """C: a subscription's February credited in two credit notes (one seat,
    then the other two); Bill Again refused after the first, accepted after
    the second, billed once by the March run; then the order cancelled
    (*Credit*) mid-March."""

    def test_two_credits_bill_again_then_cancel(self):
        """Distributor A (Gold: a seat 80, earns 20) invoiced on the 1st,
        invoices posted; S 3 seats from Jan 1st 2027 (240.00 a month,
        commission 60.00)."""
        dist = self.distributor_a
        Move = self.env["account.move"]
        self.company.channel_cancel_invoiced = "credit"
        self._schedule(dist, d(12, 20, 2026), channel_invoicing_monthday=1)
        s = self._start(d(1, 1), [(self.product_monthly, 3)])
        jan, __ = self._run(d(1, 1))
        self._is((jan.amount_untaxed, jan.channel_commission), (240.0, 60.0))
        self._post(d(1, 1), jan)
        feb, __ = self._run(d(2, 1))
        self._is(self._rows(feb), [(d(2, 1), d(2, 28), 240.0)])
        self._post(d(2, 1), feb)
        feb_period = s.channel_period_ids.filtered(lambda p: p.date_start == d(2, 1))
        self._is(len(feb_period), 1)

        def quantity(qty):
            def edit(refund):
                line = refund.invoice_line_ids.filtered("product_id")
                refund.write(
                    {"invoice_line_ids": [Command.update(line.id, {"quantity": qty})]}
                )

            return edit

        # Feb 5: one seat credited (1 x 80 = 80.00, commission 20.00)
        c1 = self._credit_edited(d(2, 5), feb, quantity(1.0))
        self._is(c1.reversed_entry_id, feb)
        self._is((c1.amount_untaxed, c1.channel_commission), (80.0, 20.0))
        # Bill Again refused: 80.00 of 240.00 credited
        with self._at(d(2, 6)), self.assertRaises(UserError):
            feb_period.with_user(self.accountant).action_channel_bill_again()
        self._is(feb_period.channel_bill_again, False)
        # Feb 8: the other two seats (2 x 80 = 160.00, commission 40.00):
        # 80 + 160 = 240.00, credited in full; Bill Again accepted
        c2 = self._credit_edited(d(2, 8), feb, quantity(2.0))
        self._is(c2.reversed_entry_id, feb)
        self._is((c2.amount_untaxed, c2.channel_commission), (160.0, 40.0))
        with self._at(d(2, 9)):
            feb_period.with_user(self.accountant).action_channel_bill_again()
        self._is(feb_period.channel_bill_again, True)
        # Mar 1: February again 240.00 and March 240.00 = 480.00,
        # commission 120.00; the rerun nothing
        mar, __ = self._run(d(3, 1))
        self._is(
            self._rows(mar), [(d(2, 1), d(2, 28), 240.0), (d(3, 1), d(3, 31), 240.0)]
        )
        self._is((mar.amount_untaxed, mar.channel_commission), (480.0, 120.0))
        self._is(self._again(d(3, 1)), (Move, Move))
        self._post(d(3, 1), mar)
        # Bill Again a second time: February's new billing is not credited
        with self._at(d(3, 2)), self.assertRaises(UserError):
            feb_period.with_user(self.accountant).action_channel_bill_again()
        # Mar 15: the order cancelled (*Credit*): what S billed and was not
        # credited, on credit notes of the invoices that billed it: January
        # 240.00 (60.00), March's invoice 480.00 (120.00); February's first
        # billing is credited already
        before = Move.search([])
        with self._at(d(3, 15)):
            s.channel_order_id.with_context(disable_cancel_warning=True).action_cancel()
        new = Move.search([("id", "not in", before.ids)])
        self._is(
            sorted(
                (
                    m.move_type,
                    m.reversed_entry_id.id,
                    m.amount_untaxed,
                    m.channel_commission,
                )
                for m in new
            ),
            sorted(
                [
                    ("out_refund", jan.id, 240.0, 60.0),
                    ("out_refund", mar.id, 480.0, 120.0),
                ]
            ),
        )
        self._post(d(3, 15), new)
        # S: 240 + 240 + 480 - 80 - 160 - 240 - 480 = 0.00
        self._is(self._net(s), 0.0)
        moves = self._posted_moves(dist)
        self._is(round(sum(moves.mapped("amount_untaxed_signed")), 2), 0.0)
        self._is(self._signed_commission(moves), 0.0)
        self._is(self._partner_commission(dist), 0.0)
        # Channel Analysis per month = the documents: Jan 240.00 / 60.00;
        # Feb 240 - 80 - 160 = 0.00 / 60 - 20 - 40 = 0.00; Mar 480 - 240 -
        # 480 = -240.00 / 120 - 60 - 120 = -60.00
        expected = {
            d(1, 1): (240.0, 60.0),
            d(2, 1): (0.0, 0.0),
            d(3, 1): (-240.0, -60.0),
        }
        with self._at(d(3, 16)):
            self._is(self._posted(dist), expected, "documents per month")
            self._is(
                self._analysis("channel_distribution.action_channel_sale_report", dist),
                expected,
                "Channel Analysis",
            )
        # April: nothing
        with self._at(d(4, 1)):
            s.invalidate_recordset()
            self.assertFalse(s.channel_next_invoice_date)
        self._is(self._again(d(4, 1)), (Move, Move))


@tagged("post_install", "-at_install")
class TestWalk12MixedMonth(Walk12Case):
    """D: one February with everything at once on Distributor A (a quantity
    change, the book changed, a credit note of one subscription's period, a
    new sale, a draft of *Invoice Due Now* cancelled, an order cancelled)
    with a yearly and a post-paid line, and Distributor B (agency) billed
    on the same days; the March run made twice."""

    def test_mixed_february(self):
        """Distributor A (Gold: 20 % off, a seat 80, the licence 960),
        Distributor B (Silver, agency: End Customer B pays a seat 100, B
        earns 10), both invoiced on the 1st, invoices posted by finance.
        From Jan 1st 2027: S1 M 4 seats and Y 1 yearly licence; P 2 units
        in arrears; S2 2 seats; GB 3 agency seats of B."""
        a, b = self.distributor_a, self.distributor_b
        Move = self.env["account.move"]
        self.company.channel_cancel_invoiced = "credit"
        self._schedule(a, d(12, 20, 2026), channel_invoicing_monthday=1)
        self._schedule(b, d(12, 20, 2026), channel_invoicing_monthday=1)
        s1 = self._start(d(1, 1), [(self.product_monthly, 4), (self.product_yearly, 1)])
        p = self._start(d(1, 1), [(self.product_arrears, 2)])
        s2 = self._start(d(1, 1), [(self.product_monthly, 2)])
        gb = self._start(d(1, 1), [(self.product_monthly, 3)], b, self.customer_b)
        m = self._line(s1, self.product_monthly)
        jan_m = (d(1, 1), d(1, 31))
        feb_m = (d(2, 1), d(2, 28))
        mar_m = (d(3, 1), d(3, 31))

        def run(day, dist, rows, figures):
            resale, agency = self._run(day, dist)
            moves = resale | agency
            inv = self._kind(moves, "out_invoice")
            got = sorted(
                (x.start_date or date.min, x.end_date or date.min, x.price_subtotal)
                for x in self._products(inv)
            )
            self._is(got, sorted(rows), f"{day} {dist.name} rows")
            self._is(
                (inv.amount_untaxed, inv.channel_commission),
                figures,
                f"{day} {dist.name}",
            )
            return moves

        # ------------------------------------------------------- January
        # A: M 4 x 80 = 320.00 (80.00), Y 960.00 (240.00), S2 2 x 80 =
        # 160.00 (40.00), P nothing yet = 1,440.00 / 360.00
        jan = run(
            d(1, 1),
            a,
            [(*jan_m, 320.0), (d(1, 1), d(12, 31), 960.0), (*jan_m, 160.0)],
            (1440.0, 360.0),
        )
        # B: GB 3 x 100 = 300.00 to End Customer B, commission 3 x 10 = 30.00
        jan_b = run(d(1, 1), b, [(*jan_m, 300.0)], (300.0, 30.0))
        self._is(jan_b.partner_id, self.customer_b)
        self._post(d(1, 1), jan | jan_b)
        # ------------------------------------------------------- February
        # A: M 320.00 (80.00), S2 160.00 (40.00), P January 2 x 80 = 160.00
        # (40.00) = 640.00 / 160.00; B 300.00 / 30.00
        feb = run(
            d(2, 1),
            a,
            [(*feb_m, 320.0), (*feb_m, 160.0), (*jan_m, 160.0)],
            (640.0, 160.0),
        )
        feb_b = run(d(2, 1), b, [(*feb_m, 300.0)], (300.0, 30.0))
        self._post(d(2, 1), feb | feb_b)
        # Feb 10: M 4 -> 6: +2 x 80 x 19/28 = 108.571 -> 108.57, commission
        # 2 x 20 x 19/28 = 27.142 -> 27.14
        up = self._change_line(m, d(2, 10), 6)
        self._is((up.amount, up.channel_commission), (108.57, 27.14))
        # Feb 12: the Gold book to 25 % off (a seat 75, the licence 900)
        with self._at(d(2, 12)):
            self.book_gold.item_ids.percent_price = 25
        # Feb 15: finance credits S2's February on February's invoice (its
        # other lines deleted on the draft): 160.00 / 40.00

        def s2_only(refund):
            others = refund.invoice_line_ids.filtered(
                lambda x: x.display_type == "product"
                and x.contract_line_id.contract_id != s2
            )
            refund.write({"invoice_line_ids": [Command.delete(x.id) for x in others]})

        s2_credit = self._credit_edited(d(2, 15), feb, s2_only)
        self._is(s2_credit.reversed_entry_id, feb)
        self._is(self._rows(s2_credit), [(*feb_m, 160.0)])
        self._is(
            (s2_credit.amount_untaxed, s2_credit.channel_commission), (160.0, 40.0)
        )
        # Feb 18: a new sale O, 3 services at the new book: 3 x 75 =
        # 225.00, commission 3 x 25 = 75.00
        with self._at(d(2, 18)):
            o = self._create_order(a, self.customer_a, [(self.product_service, 3)])
            o.action_confirm()
        self._is(o.amount_untaxed, 225.0)
        # Feb 20: *Invoice Due Now*: a draft of O 225.00 (75.00) and M's
        # change 108.57 (27.14) = 333.57 / 102.14; finance cancels it (both
        # billed by the March run)
        due, __ = self._again(d(2, 20))
        self._is(
            (due.amount_untaxed, due.channel_commission), (333.57, 102.14), "due now"
        )
        with self._at(d(2, 20)):
            due.with_user(self.accountant).button_cancel()
        self._is(due.state, "cancel")
        # Feb 22: S2's order cancelled (*Credit*): what S2 billed and was not
        # credited, January's 160.00 (40.00) on a credit note of January's;
        # February is credited already
        before = Move.search([])
        with self._at(d(2, 22)):
            s2.channel_order_id.with_context(
                disable_cancel_warning=True
            ).action_cancel()
        cancel_credits = Move.search([("id", "not in", before.ids)])
        self._is(
            [
                (
                    c.move_type,
                    c.reversed_entry_id,
                    c.amount_untaxed,
                    c.channel_commission,
                )
                for c in cancel_credits
            ],
            [("out_refund", jan, 160.0, 40.0)],
        )
        self._post(d(2, 22), cancel_credits)
        # Feb 25: GB 3 -> 2: -1 x 100 x 4/28 = -14.285 -> -14.29,
        # commission -1 x 10 x 4/28 = -1.428 -> -1.43
        down_b = self._change(gb, d(2, 25), 2)
        self._is((down_b.amount, down_b.channel_commission), (-14.29, -1.43))
        # ------------------------------------------------------- March
        # A: M March 6 x 75 = 450.00 (6 x 25 = 150.00), M's change 108.57
        # (27.14), P February 2 x 75 = 150.00 (2 x 25 = 50.00), O 225.00
        # (75.00) = 933.57 / 302.14; nothing of S2 nor Y; no credit note
        mar = run(
            d(3, 1),
            a,
            [
                (*mar_m, 450.0),
                (d(2, 10), d(2, 28), 108.57),
                (*feb_m, 150.0),
                (date.min, date.min, 225.0),
            ],
            (933.57, 302.14),
        )
        self._is(self._kind(mar, "out_refund"), Move)
        # B: GB March 2 x 100 = 200.00 (20.00) and a credit note of
        # February's invoice 14.29 (1.43)
        mar_b = run(d(3, 1), b, [(*mar_m, 200.0)], (200.0, 20.0))
        credit_b = self._kind(mar_b, "out_refund")
        self._is(credit_b.reversed_entry_id, feb_b)
        self._is((credit_b.amount_untaxed, credit_b.channel_commission), (14.29, 1.43))
        # the rerun: nothing of either
        self._is(self._again(d(3, 1)), (Move, Move))
        self._is(self._again(d(3, 1), b), (Move, Move))
        self._post(d(3, 1), mar | mar_b)
        self._is((o.invoice_status, s2.active), ("invoiced", False))
        # ------------------------------------------------------- April
        # A: M 450.00 (150.00), P March 2 x 75 = 150.00 (50.00) = 600.00 /
        # 200.00; B 200.00 / 20.00
        apr = run(
            d(4, 1), a, [(d(4, 1), d(4, 30), 450.0), (*mar_m, 150.0)], (600.0, 200.0)
        )
        apr_b = run(d(4, 1), b, [(d(4, 1), d(4, 30), 200.0)], (200.0, 20.0))
        self._post(d(4, 1), apr | apr_b)
        # every period once: M Jan-Apr, Y 2027, P Jan-Mar, S2 Jan-Feb, GB
        # Jan-Apr
        self._is(
            self._periods(s1),
            [jan_m, (d(1, 1), d(12, 31)), feb_m, mar_m, (d(4, 1), d(4, 30))],
        )
        self._contiguous(p, d(1, 1))
        self._contiguous(gb, d(1, 1))
        # nets: S1 320 + 960 + 320 + 108.57 + 450 + 450 = 2,608.57; P 160 +
        # 150 + 150 = 460.00; S2 160 + 160 - 160 - 160 = 0.00; GB 300 + 300
        # - 14.29 + 200 + 200 = 985.71
        self._is(
            (self._net(s1), self._net(p), self._net(s2), self._net(gb)),
            (2608.57, 460.0, 0.0, 985.71),
        )
        # A's documents: 2,608.57 + 460 + 225 = 3,293.57; commission M 80 +
        # 80 + 27.14 + 150 + 150 = 487.14, Y 240, P 40 + 50 + 50 = 140, S2
        # 0, O 75 = 942.14; the partner form the same
        moves = self._posted_moves(a)
        self._is(round(sum(moves.mapped("amount_untaxed_signed")), 2), 3293.57)
        self._is(self._signed_commission(moves), 942.14)
        self._is(self._partner_commission(a), 942.14)
        self._is(self._partner_commission(b), 98.57)
        # Channel Analysis per month = the documents. A: Jan 1,440.00 /
        # 360.00; Feb 640 - 160 - 160 = 320.00 / 160 - 40 - 40 = 80.00; Mar
        # 933.57 / 302.14; Apr 600.00 / 200.00. B (End Customer B's
        # invoices): Jan 300.00 / 30.00, Feb 300.00 / 30.00, Mar 200 -
        # 14.29 = 185.71 / 20 - 1.43 = 18.57, Apr 200.00 / 20.00
        expected_a = {
            d(1, 1): (1440.0, 360.0),
            d(2, 1): (320.0, 80.0),
            d(3, 1): (933.57, 302.14),
            d(4, 1): (600.0, 200.0),
        }
        expected_b = {
            d(1, 1): (300.0, 30.0),
            d(2, 1): (300.0, 30.0),
            d(3, 1): (185.71, 18.57),
            d(4, 1): (200.0, 20.0),
        }
        with self._at(d(4, 2)):
            for dist, expected in ((a, expected_a), (b, expected_b)):
                self._is(self._posted(dist), expected, f"{dist.name} documents")
                self._is(
                    self._analysis(
                        "channel_distribution.action_channel_sale_report", dist
                    ),
                    expected,
                    f"{dist.name} Channel Analysis",
                )


@tagged("post_install", "-at_install")
class TestWalk12BillAgainCancelled(Walk12Case):
    """E: Bill Again and the cancellation of the order (*Credit*) in the
    other order: a period finance asked to bill again, then the order
    cancelled before the run; and Bill Again asked of a cancelled order and
    of a period of its ended subscription."""

    def test_bill_again_then_cancel_then_bill_again(self):
        """Distributor A (Gold: a seat or service 80, earns 20) invoiced on
        the 1st; S 3 seats from Jan 1st 2027 (240.00 a month, 60.00) by
        order O1; O2 2 services (160.00, 40.00) confirmed Jan 10th."""
        dist = self.distributor_a
        Move = self.env["account.move"]
        self.company.channel_cancel_invoiced = "credit"
        self._schedule(dist, d(12, 20, 2026), channel_invoicing_monthday=1)
        s = self._start(d(1, 1), [(self.product_monthly, 3)])
        o1 = s.channel_order_id
        jan, __ = self._run(d(1, 1))
        self._is((jan.amount_untaxed, jan.channel_commission), (240.0, 60.0))
        self._post(d(1, 1), jan)
        with self._at(d(1, 10)):
            o2 = self._create_order(dist, self.customer_a, [(self.product_service, 2)])
            o2.action_confirm()
        # Feb 1: S February 240.00 + O2 160.00 = 400.00 / 100.00
        feb, __ = self._run(d(2, 1))
        self._is((feb.amount_untaxed, feb.channel_commission), (400.0, 100.0))
        self._post(d(2, 1), feb)
        # Feb 5: February credited in full (plain credit note): 400.00
        credit = self._credit(d(2, 5), feb)
        self._is(credit.reversed_entry_id, feb)
        self._is((credit.amount_untaxed, credit.channel_commission), (400.0, 100.0))
        # Feb 6: Bill Again of S's February and of O2
        feb_period = s.channel_period_ids.filtered(lambda p: p.date_start == d(2, 1))
        with self._at(d(2, 6)):
            feb_period.with_user(self.accountant).action_channel_bill_again()
            o2.with_user(self.accountant).action_channel_bill_again()
        # Feb 10: O1 and O2 cancelled (*Credit*): January's 240.00 (60.00)
        # on a credit note of January's; February credited already; O2
        # credited already: nothing more
        before = Move.search([])
        with self._at(d(2, 10)):
            (o1 | o2).with_context(disable_cancel_warning=True).action_cancel()
        new = Move.search([("id", "not in", before.ids)])
        self._is(
            [
                (
                    m.move_type,
                    m.reversed_entry_id,
                    m.amount_untaxed,
                    m.channel_commission,
                )
                for m in new
            ],
            [("out_refund", jan, 240.0, 60.0)],
        )
        self._post(d(2, 10), new)
        # Mar 1: nothing (S ended, the orders cancelled: what finance asked
        # to bill again is not billed after the cancellation)
        self._is(self._run_or_nothing(d(3, 1)), (Move, Move), "Mar 1")
        # Bill Again asked of the cancelled order and of S's January
        # (credited in full by the cancellation): refused
        jan_period = s.channel_period_ids.filtered(lambda p: p.date_start == d(1, 1))
        with self._at(d(3, 2)):
            for what, record in (("O2", o2), ("January", jan_period)):
                refused = False
                try:
                    with self.env.cr.savepoint():
                        record.with_user(self.accountant).action_channel_bill_again()
                except UserError:
                    refused = True
                self._is(refused, True, f"Bill Again of {what} refused")
        self._is(jan_period.channel_bill_again, False, "January not marked")
        self._is(self._again(d(3, 2)), (Move, Move), "Mar 2")
        with self._at(d(3, 2)):
            s.invalidate_recordset()
            self._is(s.channel_next_invoice_date, False, "S's Next Invoice")
        self._is(o2.invoice_status, "no", "O2 to invoice")
        self._is(self._run_or_nothing(d(4, 1)), (Move, Move), "Apr 1")
        # nets: S 240 + 240 - 240 - 240 = 0.00; the documents 0.00 / 0.00
        self._is(self._net(s), 0.0)
        moves = self._posted_moves(dist)
        self._is(round(sum(moves.mapped("amount_untaxed_signed")), 2), 0.0)
        self._is(self._signed_commission(moves), 0.0)
        self._is(self._partner_commission(dist), 0.0)

    def _run_or_nothing(self, day):
        """The scheduled job on ``day`` when the distributor is due; its
        moves (none when it is not due)."""
        SaleOrder = self.env["sale.order"]
        with self._at(day):
            if not SaleOrder._channel_distributors_due(day, self.distributor_a):
                return self.env["account.move"], self.env["account.move"]
        return self._run(day)


@tagged("post_install", "-at_install")
class TestWalk12CotermVatBillAgain(Walk12Case):
    """F: a co-termed distributor, prices with VAT included, taxes rounded
    globally: the invoice of a co-termed first period and a whole period
    credited in full, both periods billed again (Bill Again) with the next
    month, then a quantity lowered; Next Amount and the analysis each
    month."""

    def test_coterm_vat_included_bill_again(self):
        """Distributor A (Gold: a seat 96.80 with 21 % VAT included, 80.00
        untaxed, earns 20) co-termed on the 1st from Dec 20th 2026; the
        company rounds taxes globally. S 3 seats from Jan 15th 2027."""
        self.company.tax_calculation_rounding_method = "round_globally"
        dist = self.distributor_a
        Move = self.env["account.move"]
        self._schedule(dist, d(12, 20, 2026), coterm=True, channel_invoicing_monthday=1)
        s = self._start(d(1, 15), [(self.seat_incl, 3)])
        first = (d(1, 15), d(1, 31))
        feb_m = (d(2, 1), d(2, 28))
        mar_m = (d(3, 1), d(3, 31))
        # Next on Jan 20: Feb 1, 3 x 80 x 17/31 = 131.613 -> 131.61 +
        # February 240.00 = 371.61
        self._is(self._next(d(1, 20), s), (d(2, 1), 371.61))
        # ---------------------------------------------------------- Feb 1
        feb, __ = self._run(d(2, 1))
        # Jan 15-31 131.61 (159.25 with VAT), February 3 x 96.80 = 290.40
        # (240.00): 449.65 with VAT; untaxed 449.65 / 1.21 = 371.611 ->
        # 371.61, VAT 78.04; commission 3 x 20 x 17/31 = 32.903 -> 32.90 +
        # 60 = 92.90
        self._is(self._rows(feb), [(*first, 131.61), (*feb_m, 240.0)])
        self._is(self._doc(feb), (371.61, 78.04, 449.65))
        self._is(feb.channel_commission, 92.90)
        self._post(d(2, 1), feb)
        # Feb 10: the invoice credited in full (a plain credit note)
        credit = self._credit(d(2, 10), feb)
        self._is(credit.reversed_entry_id, feb)
        self._is(self._rows(credit), [(*first, 131.61), (*feb_m, 240.0)])
        self._is(self._doc(credit), (371.61, 78.04, 449.65))
        self._is(credit.channel_commission, 92.90)
        # it stays credited: Next on Feb 10 is March alone, 240.00
        self._is(self._next(d(2, 10), s), (d(3, 1), 240.0))
        # Feb 11: finance bills both periods again
        periods = s.channel_period_ids.filtered(lambda p: p.date_start < d(3, 1))
        self._is(len(periods), 2)
        with self._at(d(2, 11)):
            periods.with_user(self.accountant).action_channel_bill_again()
        # Next on Feb 12: Mar 1, 131.61 + 240 + 240 = 611.61
        self._is(self._next(d(2, 12), s), (d(3, 1), 611.61))
        # ---------------------------------------------------------- Mar 1
        mar, __ = self._run(d(3, 1))
        # Jan 15-31 131.61 (159.25), February and March 240.00 (290.40)
        # each: 740.05 with VAT; untaxed 740.05 / 1.21 = 611.611 -> 611.61,
        # VAT 128.44; commission 32.90 + 60 + 60 = 152.90
        self._is(
            self._rows(mar),
            [(*first, 131.61), (*feb_m, 240.0), (*mar_m, 240.0)],
        )
        self._is(self._doc(mar), (611.61, 128.44, 740.05))
        self._is(mar.channel_commission, 152.90)
        self._is(self._again(d(3, 1)), (Move, Move))
        self._post(d(3, 1), mar)
        # Mar 16: 3 -> 2: -1 x 80 x 16/31 = -41.290 -> -41.29 (49.96 with
        # VAT: 49.96 / 1.21 = 41.289 -> 41.29), commission -1 x 20 x 16/31
        # = -10.322 -> -10.32
        down = self._change(s, d(3, 16), 2)
        self._is((down.amount, down.channel_commission), (-41.29, -10.32))
        # Next on Mar 20: Apr 1, 2 x 80 = 160.00
        self._is(self._next(d(3, 20), s), (d(4, 1), 160.0))
        # ---------------------------------------------------------- Apr 1
        resale, __ = self._run(d(4, 1))
        apr = self._kind(resale, "out_invoice")
        apr_credit = self._kind(resale, "out_refund")
        # April 2 x 96.80 = 193.60 (160.00, VAT 33.60), commission 40.00;
        # a credit note of March's invoice 49.96 (41.29, VAT 8.67), 10.32
        self._is(self._rows(apr), [(d(4, 1), d(4, 30), 160.0)])
        self._is(self._doc(apr), (160.0, 33.60, 193.60))
        self._is(apr.channel_commission, 40.0)
        self._is(apr_credit.reversed_entry_id, mar)
        self._is(self._rows(apr_credit), [(d(3, 16), d(3, 31), 41.29)])
        self._is(self._doc(apr_credit), (41.29, 8.67, 49.96))
        self._is(apr_credit.channel_commission, 10.32)
        self._post(d(4, 1), resale)
        # every period billed once by the live invoices' lines, net of
        # credits: S 371.61 - 371.61 + 611.61 - 41.29 + 160 = 730.32
        self._is(self._net(s), 730.32)
        moves = self._posted_moves(dist)
        # documents with VAT: 449.65 - 449.65 + 740.05 - 49.96 + 193.60 =
        # 883.69; untaxed 730.32; commission 92.90 - 92.90 + 152.90 - 10.32
        # + 40 = 182.58, the partner form the same
        self._is(round(sum(moves.mapped("amount_total_signed")), 2), 883.69)
        self._is(round(sum(moves.mapped("amount_untaxed_signed")), 2), 730.32)
        self._is(self._signed_commission(moves), 182.58)
        self._is(self._partner_commission(dist), 182.58)
        # Channel Analysis per month: Feb 371.61 - 371.61 = 0.00 / 0.00;
        # Mar 611.61 / 152.90; Apr 160 - 41.29 = 118.71 / 40 - 10.32 =
        # 29.68
        expected = {
            d(2, 1): (0.0, 0.0),
            d(3, 1): (611.61, 152.90),
            d(4, 1): (118.71, 29.68),
        }
        with self._at(d(4, 2)):
            self._is(self._posted(dist), expected, "documents")
            self._is(
                self._analysis("channel_distribution.action_channel_sale_report", dist),
                expected,
                "Channel Analysis",
            )


@tagged("post_install", "-at_install")
class TestWalk12YearNextAmount(Walk12Case):
    """G: a year of runs, month by month, of a subscription mixing a monthly
    and a yearly line, and a post-paid one: the Next Amount on the 20th of
    each month (a yearly line's next year counted only at its renewal's
    run), each run, the renewal, MRR and the analyses."""

    def test_year_monthly_and_yearly_lines(self):
        """Distributor A (Gold: a seat 80, earns 20; the licence 960, earns
        240) invoiced on the 1st. From Jan 1st 2027: S1 M 4 seats and Y 1
        yearly licence on one order; P 2 units in arrears."""
        dist = self.distributor_a
        Move = self.env["account.move"]
        self._schedule(dist, d(12, 20, 2026), channel_invoicing_monthday=1)
        s1 = self._start(d(1, 1), [(self.product_monthly, 4), (self.product_yearly, 1)])
        p = self._start(d(1, 1), [(self.product_arrears, 2)])
        # MRR: S1 4 x 80 + 960 / 12 = 400.00; P 2 x 80 = 160.00
        with self._at(d(1, 1)):
            self._is((s1.channel_mrr, p.channel_mrr), (400.0, 160.0), "MRR")
        total = commission = 0.0
        for month in range(1, 14):
            day = d(month, 1) if month <= 12 else d(1, 1, 2028)
            end = day.replace(day=monthrange(day.year, day.month)[1])
            resale, agency = self._run(day)
            self.assertFalse(agency)
            # M 4 x 80 = 320.00 (80.00) each month; Y 960.00 (240.00) on
            # Jan 1st 2027 and at its renewal on Jan 1st 2028; P the month
            # before, 2 x 80 = 160.00 (40.00), from Feb 1st 2027
            rows = [(day, end, 320.0)]
            figures = [320.0, 80.0]
            if day.month == 1:
                rows.append((day, day.replace(month=12, day=31), 960.0))
                figures = [figures[0] + 960.0, figures[1] + 240.0]
            if day != d(1, 1):
                prev_end = day - timedelta(days=1)
                rows.append((prev_end.replace(day=1), prev_end, 160.0))
                figures = [figures[0] + 160.0, figures[1] + 40.0]
            self._is(self._rows(resale), sorted(rows), f"{day} rows")
            self._is(
                (resale.amount_untaxed, resale.channel_commission),
                tuple(figures),
                f"{day} figures",
            )
            self._post(day, resale)
            self._is(self._again(day), (Move, Move), f"{day} again")
            total += figures[0]
            commission += figures[1]
            # OCA's daily renewal job on the month's last day (it renews the
            # post-paid line on Dec 31st, the last day of its term; the runs
            # renew lines billed in advance themselves)
            with self._at(end):
                self.env["contract.line"].cron_renew_contract_line()
            if month > 12:
                break
            # the 20th: S1's next run bills M 320.00, and on Dec 20th also
            # the licence's renewed year 960.00 = 1,280.00; P the month
            # running, 160.00
            twentieth = day.replace(day=20)
            following = end + timedelta(days=1)
            s1_next = 1280.0 if month == 12 else 320.0
            self._is(self._next(twentieth, s1), (following, s1_next), f"{twentieth} S1")
            self._is(self._next(twentieth, p), (following, 160.0), f"{twentieth} P")
        # Feb 1st 2028: M 320.00 and P January 160.00; the licence not
        # again
        resale, __ = self._run(d(2, 1, 2028))
        self._is(
            self._rows(resale),
            [
                (d(1, 1, 2028), d(1, 31, 2028), 160.0),
                (d(2, 1, 2028), d(2, 29, 2028), 320.0),
            ],
        )
        self._post(d(2, 1, 2028), resale)
        total += 480.0
        commission += 120.0
        # 13 months and Feb 2028: 1,280 + 11 x 480 + 1,440 + 480 = 8,480.00;
        # commission 320 + 11 x 120 + 360 + 120 = 2,120.00
        self._is((round(total, 2), round(commission, 2)), (8480.0, 2120.0))
        moves = self._posted_moves(dist)
        self._is(round(sum(moves.mapped("amount_untaxed_signed")), 2), 8480.0)
        self._is(self._signed_commission(moves), 2120.0)
        self._is(self._partner_commission(dist), 2120.0)
        # each period once, contiguous: M 14 months, P 13 months, Y 2 years
        self._contiguous(p, d(1, 1))
        self._is(len(self._periods(s1)), 16)
        with self._at(d(2, 2, 2028)):
            posted = self._posted(dist)
            self._is(len(posted), 14)
            self._is(
                self._analysis("channel_distribution.action_channel_sale_report", dist),
                posted,
                "Channel Analysis",
            )
            self._is(
                self._analysis(
                    "channel_distribution_contract.action_channel_sale_report_recurring",
                    dist,
                ),
                posted,
                "Recurring Revenue",
            )
            self._is((s1.channel_mrr, p.channel_mrr), (400.0, 160.0), "MRR")
