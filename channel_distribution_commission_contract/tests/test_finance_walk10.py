# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Walk 10 of a finance controller (issue 25): what walk 9 left unwalked
(the statement of a distributor on a foreign-currency book, prices with
VAT included for a foreign distributor whose fiscal position maps the VAT
to an exempt tax, global tax rounding under prorations), walk 9's fixes
from other angles, and every finance action made by an accountant (not the
superuser). Every figure is a hand computation written in the test
(literal figures, not the code's), the clock frozen at noon of each day."""

from odoo import Command
from odoo.tests import tagged

from . import test_finance_walk9 as walk9
from .test_finance_controller import d


class Walk10Case(walk9.Walk9Case):
    """Finance's own actions, each made by the accountant."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vat_incl = cls.env["account.tax"].create(
            {
                "name": "Test Walk10 VAT 21 incl",
                "amount": 21.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "price_include_override": "tax_included",
            }
        )
        cls.seat_incl = cls._create_recurring_product(
            name="Test Walk10 Seat VAT incl",
            list_price=121.0,
            recurring_invoicing_type="pre-paid",
            taxes_id=[Command.set(cls.vat_incl.ids)],
        )

    def _pay_on(self, day, invoice, amount=None):
        """The accountant registers a payment of ``invoice`` (its residual
        by default), in the invoice's currency."""
        with self._at(day):
            wizard = (
                self.env["account.payment.register"]
                .with_user(self.accountant)
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create(
                    {
                        "amount": amount
                        if amount is not None
                        else invoice.amount_residual,
                        "payment_date": day,
                    }
                )
            )
            wizard._create_payments()

    def _reconcile(self, day, invoice, credit):
        """The accountant applies the open ``credit`` (a payment's or a
        credit note's move) to ``invoice`` (the invoice's *Outstanding
        credits*, *Add*)."""
        line = credit.line_ids.filtered(
            lambda x: x.account_id.account_type == "asset_receivable"
        )
        with self._at(day):
            invoice.with_user(self.accountant).js_assign_outstanding_line(line.id)


@tagged("post_install", "-at_install")
class TestWalk10RebillCoterm(Walk10Case):
    """2 and 3: "Reverse and Create Invoice" of an invoice holding a
    prorated change *and* a co-termed first period, then a plain credit of
    the new invoice; the portal's next amount each month equal to the next
    run; every finance action by the accountant."""

    def test_rebill_coterm_as_accountant(self):
        """Distributor A (Gold: a 100 seat costs 80, earns 20) co-termed on
        the 1st from Dec 20th 2026: A1 2 seats from Jan 1st, A2 3 seats from
        Jan 15th; A1 2 -> 3 on Jan 20th; February reversed and created again
        on Feb 5th, the new invoice credited on Feb 10th; March's draft
        cancelled and billed again (*Invoice Due Now*), posted, reset to
        draft and posted; A2 3 -> 1 on Apr 16th; payments and the credit
        note reconciled by the accountant."""
        Move = self.env["account.move"]
        dist = self.distributor_a
        acc = self.accountant
        self._schedule(dist, d(12, 20, 2026), coterm=True, channel_invoicing_monthday=1)
        a1 = self._start(d(1, 1), [(self.product_monthly, 2)])
        jan, __ = self._run(d(1, 1))
        # A1 January 2 x 80 = 160.00, commission 2 x 20 = 40.00
        self._is(self._rows(jan), [(d(1, 1), d(1, 31), 160.0)])
        self._is(jan.channel_commission, 40.0)
        self._post(d(1, 1), jan)
        a2 = self._start(d(1, 15), [(self.product_monthly, 3)])
        # 2 -> 3 from Jan 20 (12 of 31 days): +1 x 80 x 12/31 = 30.968 ->
        # 30.97, commission 1 x 20 x 12/31 = 7.742 -> 7.74
        up = self._change(a1, d(1, 20), 3)
        self._is(up.amount, 30.97)
        self._is(up.channel_commission, 7.74)
        # the portal on Jan 21: A1 Feb 1, 3 x 80 + 30.97 = 270.97; A2 Feb 1,
        # 3 x 80 x 17/31 = 131.613 -> 131.61 + February 240.00 = 371.61
        self._is(self._next(d(1, 21), a1), (d(2, 1), 270.97))
        self._is(self._next(d(1, 21), a2), (d(2, 1), 371.61))

        # ---------------------------------------------------------- Feb 1
        feb, __ = self._run(d(2, 1))
        feb_rows = [
            (d(1, 15), d(1, 31), 131.61),
            (d(1, 20), d(1, 31), 30.97),
            (d(2, 1), d(2, 28), 240.0),
            (d(2, 1), d(2, 28), 240.0),
        ]
        # 131.61 + 30.97 + 240 + 240 = 642.58; commission 3 x 20 x 17/31 =
        # 32.903 -> 32.90 + 7.74 + 60 + 60 = 160.64
        self._is(self._rows(feb), feb_rows)
        self._is(feb.amount_untaxed, 642.58)
        self._is(feb.channel_commission, 160.64)
        self._is(self._net(a1) + self._net(a2), 160.0)
        self._post(d(2, 1), feb)
        self._is(self._again(d(2, 1)), (Move, Move))

        # --------------------- Feb 5: reverse and create (the accountant)
        credit, again = self._modify(d(2, 5), feb)
        self._is(credit.state, "posted")
        self._is(credit.reversed_entry_id, feb)
        self._is(self._rows(credit), feb_rows)
        self._is((credit.amount_untaxed, credit.channel_commission), (642.58, 160.64))
        self._is(again.state, "draft")
        self._is(self._rows(again), feb_rows)
        self._is((again.amount_untaxed, again.channel_commission), (642.58, 160.64))
        old_lines = self._products(feb).sorted(lambda x: (x.start_date, x.id))
        new_lines = self._products(again).sorted(lambda x: (x.start_date, x.id))
        for old, new in zip(old_lines, new_lines, strict=True):
            with self.subTest(line=old.name):
                self.assertEqual(new.contract_line_id, old.contract_line_id)
                self.assertEqual(new.channel_period_id, old.channel_period_id)
                self.assertEqual(new.channel_commission, old.channel_commission)
                self.assertEqual(new.start_date, old.start_date)
                self.assertEqual(new.end_date, old.end_date)
        # the first period's copy 32.90, the change's copy 7.74
        self._is(
            sorted(new_lines.mapped("channel_commission")), [7.74, 32.90, 60.0, 60.0]
        )
        self._post(d(2, 6), again)
        self._is(self._again(d(2, 6)), (Move, Move))

        # ---------------- Feb 10: a plain credit of the new invoice
        credit2 = self._credit(d(2, 10), again)
        self._is(credit2.reversed_entry_id, again)
        self._is(self._rows(credit2), feb_rows)
        self._is((credit2.amount_untaxed, credit2.channel_commission), (642.58, 160.64))
        # it stays credited: the portal on Feb 20 shows March alone, A1 3 x
        # 80 = 240.00, A2 3 x 80 = 240.00
        self._is(self._next(d(2, 20), a1), (d(3, 1), 240.0))
        self._is(self._next(d(2, 20), a2), (d(3, 1), 240.0))

        # ---------------------------------------------------------- Mar 1
        mar_rows = [(d(3, 1), d(3, 31), 240.0), (d(3, 1), d(3, 31), 240.0)]
        mar, __ = self._run(d(3, 1))
        # 240 + 240 = 480.00, commission 60 + 60 = 120.00; nothing of
        # February billed again
        self._is(self._rows(mar), mar_rows)
        self._is((mar.amount_untaxed, mar.channel_commission), (480.0, 120.0))
        # the accountant cancels the draft, then bills again the same day
        with self._at(d(3, 1)):
            mar.with_user(acc).button_cancel()
        self._is(mar.state, "cancel")
        mar, __ = self._again(d(3, 1))
        self._is(self._rows(mar), mar_rows)
        self._is((mar.amount_untaxed, mar.channel_commission), (480.0, 120.0))
        self._post(d(3, 1), mar)
        # reset to draft (a wrong reference) and posted again: the same
        # invoice, nothing billed twice
        with self._at(d(3, 2)):
            mar.with_user(acc).button_draft()
            mar.with_user(acc).write({"ref": "PO 2027-03"})
        self._is(mar.state, "draft")
        self._post(d(3, 2), mar)
        self._is(self._again(d(3, 2)), (Move, Move))
        self._is(self._rows(mar), mar_rows)
        self._pay_on(d(3, 10), mar)
        self._is(mar.payment_state, "paid")
        # the portal on Mar 20: April 240.00 each
        self._is(self._next(d(3, 20), a1), (d(4, 1), 240.0))
        self._is(self._next(d(3, 20), a2), (d(4, 1), 240.0))

        # ---------------------------------------------------------- Apr 1
        apr, __ = self._run(d(4, 1))
        self._is(self._rows(apr), [(d(4, 1), d(4, 30), 240.0)] * 2)
        self._is((apr.amount_untaxed, apr.channel_commission), (480.0, 120.0))
        self._post(d(4, 1), apr)
        # A2 3 -> 1 from Apr 16 (15 of 30 days): -2 x 80 x 15/30 = -80.00,
        # commission -2 x 20 x 15/30 = -20.00
        down = self._change(a2, d(4, 16), 1)
        self._is(down.amount, -80.0)
        self._is(down.channel_commission, -20.0)
        # the portal on Apr 17: A2 May 1, 1 x 80 = 80.00 (the credit is on a
        # credit note, not on the next invoice); A1 240.00
        self._is(self._next(d(4, 17), a2), (d(5, 1), 80.0))
        self._is(self._next(d(4, 17), a1), (d(5, 1), 240.0))

        # ---------------------------------------------------------- May 1
        resale, __ = self._run(d(5, 1))
        may = self._kind(resale, "out_invoice")
        may_credit = self._kind(resale, "out_refund")
        # May 240 + 80 = 320.00 (60 + 20 = 80.00); the credit note of
        # April's: 80.00 (20.00)
        self._is(
            self._rows(may), [(d(5, 1), d(5, 31), 80.0), (d(5, 1), d(5, 31), 240.0)]
        )
        self._is((may.amount_untaxed, may.channel_commission), (320.0, 80.0))
        self._is(may_credit.reversed_entry_id, apr)
        self._is(self._rows(may_credit), [(d(4, 16), d(4, 30), 80.0)])
        self._is(
            (may_credit.amount_untaxed, may_credit.channel_commission), (80.0, 20.0)
        )
        self._post(d(5, 1), resale)
        # the credit note is applied to April's when posted: the
        # accountant takes the payment of the rest, 480 - 80 = 400.00
        self._is(may_credit.amount_residual, 0.0)
        self._is(apr.amount_residual, 400.0)
        self._pay_on(d(5, 10), apr)
        self._is(apr.amount_residual, 0.0)

        # ---------------------------------------------------------- year
        # A1 160 + 270.97 - 270.97 + 270.97 - 270.97 + 240 + 240 + 240 =
        # 880.00; A2 131.61 + 240 - 371.61 + 371.61 - 371.61 + 240 + 240 -
        # 80 + 80 = 480.00
        self._is(self._net(a1), 880.0)
        self._is(self._net(a2), 480.0)
        moves = self._posted_moves()
        self._is(round(sum(moves.mapped("amount_untaxed_signed")), 2), 1360.0)
        # commission 40 + 160.64 - 160.64 + 160.64 - 160.64 + 120 + 120 -
        # 20 + 80 = 340.00
        self._is(self._signed_commission(moves), 340.0)
        self._is(self._partner_commission(dist), 340.0)
        # every credit note is applied to the invoice it corrects when
        # posted (the plain credit of the new February invoice too)
        self._is(again.amount_residual, 0.0)
        self._is(credit2.amount_residual, 0.0)
        # the distributor's transfer of 160.00, unmatched, applied by the
        # accountant to January's: open is May's 320.00 alone
        with self._at(d(5, 20)):
            transfer = (
                self.env["account.payment"]
                .with_user(acc)
                .create(
                    {
                        "payment_type": "inbound",
                        "partner_type": "customer",
                        "partner_id": dist.id,
                        "amount": 160.0,
                        "date": d(5, 20),
                    }
                )
            )
            transfer.action_post()
        self._reconcile(d(5, 21), jan, transfer.move_id)
        self._is(jan.amount_residual, 0.0)
        self._is(round(sum(moves.mapped("amount_residual_signed")), 2), 320.0)

    def test_agency_settled_by_accountant(self):
        """Distributor B (agency, Silver: a 100 seat earns 10), paid out
        monthly by vendor bill: G 2 seats to End Customer B from Jan 1st.
        The accountant posts and takes the payment of January's on the
        10th, settles on Feb 1st and posts the bill."""
        dist, customer = self.distributor_b, self.customer_b
        acc = self.accountant
        self._schedule_payout(dist, d(12, 20, 2026))
        self._start(d(1, 1), [(self.product_monthly, 2)], dist, customer)
        __, jan = self._run(d(1, 1), dist)
        # 2 x 100 = 200.00, commission 2 x 10 = 20.00
        self._is((jan.amount_untaxed, jan.channel_commission), (200.0, 20.0))
        self._post(d(1, 1), jan)
        self._pay_on(d(1, 10), jan)
        self._is(jan.payment_state, "paid")
        with self._at(d(2, 1)):
            ids = dist.with_user(acc).channel_settle_commissions(d(2, 1))
        bills = self.env["account.move"].browse(ids)
        # January's commission: one bill of 20.00
        self._is(bills.mapped("move_type"), ["in_invoice"])
        self._is(bills.amount_untaxed, 20.0)
        with self._at(d(2, 1)):
            bills.with_user(acc).write({"invoice_date": d(2, 1)})
        self._post(d(2, 1), bills)
        self._pay_on(d(2, 10), bills)
        self._is(bills.payment_state, "paid")


@tagged("post_install", "-at_install")
class TestWalk10Export(Walk10Case):
    """1: prices with a 21 % VAT included, for a foreign distributor whose
    fiscal position maps that VAT to an exempt tax (0 %, not included):
    as Odoo's order does, the VAT is taken off the price (96.80 on the Gold
    book is 80.00 exempt), and every figure after it follows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.exempt = cls.env["account.tax"].create(
            {
                "name": "Test Walk10 Export 0",
                "amount": 0.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
            }
        )
        cls.export = cls.env["account.fiscal.position"].create(
            {
                "name": "Test Walk10 Export",
                "tax_ids": [
                    Command.create(
                        {
                            "tax_src_id": cls.vat_incl.id,
                            "tax_dest_id": cls.exempt.id,
                        }
                    )
                ],
            }
        )
        cls.distributor_a.property_account_position_id = cls.export

    def test_export_with_prices_including_vat(self):
        """Distributor A (export) invoiced on the 1st, not co-termed: S 3
        seats from Feb 1st; 3 -> 5 on Feb 15th; the Gold book to 25 % on
        Mar 20th (a seat 90.75 with VAT, 75.00 exempt); 5 -> 4 on Apr
        11th."""
        dist = self.distributor_a
        self._schedule(dist, d(1, 10), channel_invoicing_monthday=1)
        s = self._start(d(2, 1), [(self.seat_incl, 3)])
        order_line = s.channel_order_id.order_line
        # the order, as Odoo prices it: 96.80 less the VAT it includes =
        # 80.00, exempt; 3 x 80 = 240.00, no tax; commission 3 x (121 /
        # 1.21 - 80) = 3 x 20 = 60.00
        self._is(s.channel_order_id.fiscal_position_id, self.export)
        self._is(order_line.price_unit, 80.0)
        self._is(order_line.price_subtotal, 240.0)
        self._is(s.channel_order_id.amount_tax, 0.0)
        self._is(order_line.channel_commission, 60.0)
        # the subscription bills at the order's 80.00, and follows the book
        # (sold at the book's price)
        self._is(s.contract_line_ids.price_unit, 80.0)
        self._is(s.contract_line_ids.channel_price_fixed, False)
        self._is(self._next(d(2, 1), s), (d(2, 1), 240.0))
        self._is(s.channel_mrr, 240.0)

        # ---------------------------------------------------------- Feb 1
        feb, __ = self._run(d(2, 1))
        # 3 x 80 = 240.00, no VAT; commission 60.00
        self._is(self._rows(feb), [(d(2, 1), d(2, 28), 240.0)])
        self._is(self._doc(feb), (240.0, 0.0, 240.0))
        self._is(feb.channel_commission, 60.0)
        self._is(feb.fiscal_position_id, self.export)
        self._is(self._products(feb).tax_ids, self.exempt)
        self._post(d(2, 1), feb)
        # 3 -> 5 from Feb 15 (14 of 28 days): +2 x 80 x 14/28 = 80.00,
        # commission 2 x 20 x 14/28 = 20.00
        up = self._change(s, d(2, 15), 5)
        self._is(up.amount, 80.0)
        self._is(up.channel_commission, 20.0)
        # next: Mar 1, 5 x 80 + 80 = 480.00
        self._is(self._next(d(2, 16), s), (d(3, 1), 480.0))

        # ---------------------------------------------------------- Mar 1
        mar, __ = self._run(d(3, 1))
        # 80.00 + 400.00 = 480.00, no VAT; commission 20 + 100 = 120.00
        self._is(
            self._rows(mar), [(d(2, 15), d(2, 28), 80.0), (d(3, 1), d(3, 31), 400.0)]
        )
        self._is(self._doc(mar), (480.0, 0.0, 480.0))
        self._is(mar.channel_commission, 120.0)
        self._post(d(3, 1), mar)
        # the book to 25 % from Mar 20: a seat 121 x 0.75 = 90.75 with VAT,
        # 75.00 exempt (an order of that day: 75.00)
        with self._at(d(3, 20)):
            self.book_gold.item_ids.percent_price = 25.0
            probe = self._create_order(dist, self.customer_a, [(self.seat_incl, 1)])
        self._is(probe.order_line.price_unit, 75.0)
        # next: Apr 1, 5 x 75 = 375.00; MRR 375.00
        self._is(self._next(d(3, 21), s), (d(4, 1), 375.0))

        # ---------------------------------------------------------- Apr 1
        apr, __ = self._run(d(4, 1))
        # 5 x 75 = 375.00, no VAT; commission 5 x (100 - 75) = 125.00
        self._is(self._rows(apr), [(d(4, 1), d(4, 30), 375.0)])
        self._is(self._doc(apr), (375.0, 0.0, 375.0))
        self._is(apr.channel_commission, 125.0)
        self._post(d(4, 1), apr)
        # 5 -> 4 from Apr 11 (20 of 30 days): -1 x 75 x 20/30 = -50.00,
        # commission -25 x 20/30 = -16.667 -> -16.67
        down = self._change(s, d(4, 11), 4)
        self._is(down.amount, -50.0)
        self._is(down.channel_commission, -16.67)

        # ---------------------------------------------------------- May 1
        resale, __ = self._run(d(5, 1))
        may = self._kind(resale, "out_invoice")
        may_credit = self._kind(resale, "out_refund")
        # May 4 x 75 = 300.00 (100.00); the credit note of April's 50.00
        # (16.67), no VAT
        self._is(self._doc(may), (300.0, 0.0, 300.0))
        self._is(may.channel_commission, 100.0)
        self._is(may_credit.reversed_entry_id, apr)
        self._is(self._doc(may_credit), (50.0, 0.0, 50.0))
        self._is(may_credit.channel_commission, 16.67)
        self._post(d(5, 1), resale)
        # 240 + 480 + 375 - 50 + 300 = 1,345.00; commission 60 + 120 + 125 -
        # 16.67 + 100 = 388.33
        self._is(self._net(s), 1345.0)
        moves = self._posted_moves()
        self._is(round(sum(moves.mapped("amount_total_signed")), 2), 1345.0)
        self._is(self._signed_commission(moves), 388.33)
        self._is(self._partner_commission(dist), 388.33)


@tagged("post_install", "-at_install")
class TestWalk10GlobalRounding(Walk10Case):
    """1: the company on global tax rounding, prices with a 21 % VAT
    included, co-termed first periods and prorated changes: each line
    bills its period's untaxed amount to the cent, the total with VAT is
    the lines'. A document's untaxed amount is Odoo's rounding of its lines'
    sum unrounded (README *Subscriptions*, *Tax rounding*): February's
    invoice, its ledger and the analysis say 270.98 (77.4215 + 33.5537 +
    160 = 270.975), its lines, the periods and the next amounts 270.97."""

    def test_global_rounding_tax_included(self):
        """Distributor A co-termed on the 1st from Dec 20th 2026: S1 1 seat
        from Jan 2nd, S2 1 seat from Jan 19th (a seat 96.80 with VAT, 80.00
        untaxed); S1 1 -> 3 on Feb 11th, 3 -> 2 on Mar 12th."""
        self.company.tax_calculation_rounding_method = "round_globally"
        dist = self.distributor_a
        self._schedule(dist, d(12, 20, 2026), coterm=True, channel_invoicing_monthday=1)
        s1 = self._start(d(1, 2), [(self.seat_incl, 1)])
        s2 = self._start(d(1, 19), [(self.seat_incl, 1)])
        # next: Feb 1; S1 80 x 30/31 = 77.419 -> 77.42 + 80 = 157.42; S2 80
        # x 13/31 = 33.548 -> 33.55 + 80 = 113.55
        self._is(self._next(d(1, 20), s1), (d(2, 1), 157.42))
        self._is(self._next(d(1, 20), s2), (d(2, 1), 113.55))

        # ---------------------------------------------------------- Feb 1
        feb, __ = self._run(d(2, 1))
        # S1 Jan 2-31 77.42 (93.68 with VAT), S2 Jan 19-31 33.55 (40.60),
        # February 80.00 each (96.80): untaxed 77.42 + 33.55 + 160 =
        # 270.97, total 93.68 + 40.60 + 193.60 = 327.88, VAT 56.91
        self._is(
            self._rows(feb),
            [
                (d(1, 2), d(1, 31), 77.42),
                (d(1, 19), d(1, 31), 33.55),
                (d(2, 1), d(2, 28), 80.0),
                (d(2, 1), d(2, 28), 80.0),
            ],
        )
        # the document: 327.88 with VAT, the lines' total; untaxed 327.88 /
        # 1.21 = 270.975 -> 270.98, a cent above its lines (77.42 + 33.55 +
        # 160 = 270.97, the next amounts 157.42 + 113.55), VAT the rest
        # 56.90 (the lines' 16.26 + 7.05 + 16.80 + 16.80 = 56.91)
        self._is(self._doc(feb), (270.98, 56.90, 327.88))
        products = self._products(feb)
        self._is(round(sum(products.mapped("price_subtotal")), 2), 270.97)
        self._is(round(sum(products.mapped("price_total")), 2), 327.88)
        # the ledger says the document's: Odoo books the cent on the line of
        # the smallest total with VAT, S2's 33.55 (40.60): a journal item
        # of 33.56
        self._is(round(-sum(products.mapped("balance")), 2), 270.98)
        self._is(
            sorted(
                (line.price_subtotal, -line.balance)
                for line in products
                if line.price_subtotal != -line.balance
            ),
            [(33.55, 33.56)],
        )
        # commission 20 x 30/31 = 19.355 -> 19.35 (hand: 19.3548), 20 x
        # 13/31 = 8.387 -> 8.39, 20 + 20: 67.74
        self._is(feb.channel_commission, 67.74)
        self._post(d(2, 1), feb)
        # S1 1 -> 3 from Feb 11 (18 of 28 days): +2 x 80 x 18/28 = 102.857
        # -> 102.86 (124.46 with VAT), commission 2 x 20 x 18/28 = 25.714
        # -> 25.71
        up = self._change(s1, d(2, 11), 3)
        self._is(up.amount, 102.86)
        self._is(up.channel_commission, 25.71)

        # ---------------------------------------------------------- Mar 1
        mar, __ = self._run(d(3, 1))
        # 102.86 + 3 x 80 + 80 = 422.86; total 124.46 + 290.40 + 96.80 =
        # 511.66, VAT 88.80; commission 25.71 + 60 + 20 = 105.71
        self._is(
            self._rows(mar),
            [
                (d(2, 11), d(2, 28), 102.86),
                (d(3, 1), d(3, 31), 80.0),
                (d(3, 1), d(3, 31), 240.0),
            ],
        )
        self._is(self._doc(mar), (422.86, 88.80, 511.66))
        self._is(mar.channel_commission, 105.71)
        self._post(d(3, 1), mar)
        # S1 3 -> 2 from Mar 12 (20 of 31 days): -1 x 80 x 20/31 = -51.613
        # -> -51.61 (62.45 with VAT), commission -20 x 20/31 = -12.903 ->
        # -12.90
        down = self._change(s1, d(3, 12), 2)
        self._is(down.amount, -51.61)
        self._is(down.channel_commission, -12.90)

        # ---------------------------------------------------------- Apr 1
        resale, __ = self._run(d(4, 1))
        apr = self._kind(resale, "out_invoice")
        apr_credit = self._kind(resale, "out_refund")
        # 2 x 80 + 80 = 240.00, 290.40 with VAT (60.00); the credit note of
        # March's 51.61, 62.45 with VAT (12.90)
        self._is(self._doc(apr), (240.0, 50.40, 290.40))
        self._is(apr.channel_commission, 60.0)
        self._is(apr_credit.reversed_entry_id, mar)
        self._is(self._rows(apr_credit), [(d(3, 12), d(3, 31), 51.61)])
        self._is(self._doc(apr_credit), (51.61, 10.84, 62.45))
        self._is(apr_credit.channel_commission, 12.90)
        self._post(d(4, 1), resale)
        # the documents: 270.98 + 422.86 + 240 - 51.61 = 882.23 (their
        # lines 270.97 + ... = 882.22, S1's and S2's nets below); total
        # 327.88 + 511.66 + 290.40 - 62.45 = 1,067.49; commission 67.74 +
        # 105.71 + 60 - 12.90 = 220.55
        moves = self._posted_moves()
        self._is(round(sum(moves.mapped("amount_untaxed_signed")), 2), 882.23)
        self._is(round(sum(moves.mapped("amount_total_signed")), 2), 1067.49)
        self._is(self._signed_commission(moves), 220.55)
        # S1 77.42 + 80 + 102.86 + 240 - 51.61 + 160 = 608.67; S2 33.55 +
        # 80 + 80 + 80 = 273.55
        self._is(self._net(s1), 608.67)
        self._is(self._net(s2), 273.55)
        # the analysis per month = the posted documents (the ledger): Feb
        # 270.98 / 67.74, Mar 422.86 / 105.71, Apr 240 - 51.61 = 188.39 /
        # 60 - 12.90 = 47.10; the documents' lines say February 270.97
        expected = {
            d(2, 1): (270.98, 67.74),
            d(3, 1): (422.86, 105.71),
            d(4, 1): (188.39, 47.10),
        }
        with self._at(d(4, 2)):
            self._is(
                self._analysis("channel_distribution.action_channel_sale_report", dist),
                expected,
            )
            self._is(self._posted(dist), {**expected, d(2, 1): (270.97, 67.74)})


@tagged("post_install", "-at_install")
class TestWalk10TaxIncludedCancel(Walk10Case):
    """2: prices with VAT included, a quantity change mid-period, then the
    order cancelled under *Credit*: what was billed (with its VAT) credited
    on credit notes linked to each invoice, once."""

    def test_tax_included_change_then_cancel(self):
        """Distributor A co-termed on the 1st from Dec 20th 2026: S 3 seats
        (96.80 with VAT, 80 untaxed) from Jan 15th; 3 -> 5 on Feb 10th; 5 ->
        2 on Mar 11th; S's order cancelled (*Credit*) on Mar 20th."""
        Move = self.env["account.move"]
        dist = self.distributor_a
        self._schedule(dist, d(12, 20, 2026), coterm=True, channel_invoicing_monthday=1)
        s = self._start(d(1, 15), [(self.seat_incl, 3)])
        feb, __ = self._run(d(2, 1))
        # Jan 15-31 3 x 80 x 17/31 = 131.61 (159.25 with VAT), February 240
        # (290.40): 371.61, VAT 27.64 + 50.40 = 78.04, 449.65; commission
        # 32.90 + 60 = 92.90
        self._is(self._doc(feb), (371.61, 78.04, 449.65))
        self._is(feb.channel_commission, 92.90)
        self._post(d(2, 1), feb)
        # +2 x 80 x 19/28 = 108.57 (27.14)
        up = self._change(s, d(2, 10), 5)
        self._is((up.amount, up.channel_commission), (108.57, 27.14))
        mar, __ = self._run(d(3, 1))
        # 108.57 + 400 = 508.57, VAT 22.80 + 84.00 = 106.80, 615.37;
        # commission 27.14 + 100 = 127.14
        self._is(self._doc(mar), (508.57, 106.80, 615.37))
        self._is(mar.channel_commission, 127.14)
        self._post(d(3, 1), mar)
        # -3 x 80 x 21/31 = -162.58 (-40.65), not billed yet
        down = self._change(s, d(3, 11), 2)
        self._is((down.amount, down.channel_commission), (-162.58, -40.65))

        # ---------------------- Mar 20: the order cancelled under Credit
        self.company.channel_cancel_invoiced = "credit"
        before = Move.search([])
        with self._at(d(3, 20)):
            s.channel_order_id.with_context(disable_cancel_warning=True).action_cancel()
        credits = Move.search([("id", "not in", before.ids)])
        self._is(set(credits.mapped("move_type")), {"out_refund"})
        self._is(credits.reversed_entry_id, feb | mar)
        feb_credit = credits.filtered(lambda m: m.reversed_entry_id == feb)
        mar_credit = credits.filtered(lambda m: m.reversed_entry_id == mar)
        # what each invoice billed, with its VAT: February's 371.61 /
        # 78.04 / 449.65 (92.90), March's 508.57 / 106.80 / 615.37 (127.14);
        # the unbilled -162.58 is not credited on top of it
        self._is(self._doc(feb_credit), (371.61, 78.04, 449.65))
        self._is(feb_credit.channel_commission, 92.90)
        self._is(self._doc(mar_credit), (508.57, 106.80, 615.37))
        self._is(mar_credit.channel_commission, 127.14)
        self._post(d(3, 20), credits)
        self._is(s.active, False)
        # nothing after: the Apr 1 run bills nothing of S, no credit
        self._is(self._run(d(4, 1)), (Move, Move))
        # S nets 0.00, with VAT 0.00, commission 0.00
        self._is(self._net(s), 0.0)
        moves = self._posted_moves()
        self._is(round(sum(moves.mapped("amount_total_signed")), 2), 0.0)
        self._is(self._signed_commission(moves), 0.0)
        # each credit note is applied to its invoice when posted: nothing
        # open
        self._is((feb | mar | credits).mapped("amount_residual"), [0.0] * 4)


@tagged("post_install", "-at_install")
class TestWalk10ForeignStatement(Walk10Case):
    """1: the statement (outstanding and activity, OCA's partner_statement
    through channel_distribution_statement) of a distributor on a price
    book in another currency (F, 2 F to 1) after months with a credit."""

    def test_foreign_statement(self):
        """Distributor F invoiced on the 1st: S 3 seats (160 F) from Feb
        1st; 3 -> 5 on Feb 15th, 5 -> 4 on Mar 10th. The accountant posts,
        takes February's 480 F on Feb 10th, applies April's credit note to
        March's and takes 500 F of it on Apr 10th."""
        if "outstanding.statement.wizard" not in self.env:
            self.skipTest("channel_distribution_statement is not installed")
        foreign, dist, customer = walk9.TestWalk9ForeignPortal._foreign_distributor(
            self
        )
        acc = self.accountant
        self._schedule(dist, d(1, 10), channel_invoicing_monthday=1)
        s = self._start(d(2, 1), [(self.product_monthly, 3)], dist, customer)
        feb, __ = self._run(d(2, 1), dist)
        # 3 x 160 = 480.00 F
        self._is((feb.currency_id, feb.amount_total), (foreign, 480.0))
        self._post(d(2, 1), feb)
        self._pay_on(d(2, 10), feb)
        self._is(feb.payment_state, "paid")
        self._change(s, d(2, 15), 5)
        mar, __ = self._run(d(3, 1), dist)
        # 5 x 160 + 2 x 160 x 14/28 = 800 + 160 = 960.00 F
        self._is(mar.amount_total, 960.0)
        self._post(d(3, 1), mar)
        self._change(s, d(3, 10), 4)
        resale, __ = self._run(d(4, 1), dist)
        apr = self._kind(resale, "out_invoice")
        apr_credit = self._kind(resale, "out_refund")
        # April 4 x 160 = 640.00 F; the credit note of March's 160 x 22/31
        # = 113.548 -> 113.55 F
        self._is(apr.amount_total, 640.0)
        self._is(apr_credit.amount_total, 113.55)
        self._post(d(4, 1), resale)
        # the credit note is applied to March's when posted: 960 - 113.55 =
        # 846.45 F open; 500 F paid: 346.45 F
        self._is(mar.amount_residual, 846.45)
        self._pay_on(d(4, 10), mar, 500.0)
        self._is(mar.amount_residual, 346.45)

        # -------------------- the statements on Apr 30, by the accountant
        # outstanding: March's 346.45 F and April's 640 F open: 986.45 F
        with self._at(d(4, 30)):
            wizard = (
                self.env["outstanding.statement.wizard"]
                .with_user(acc)
                .with_context(active_ids=dist.ids)
                .create({"date_end": d(4, 30), "company_id": self.company.id})
            )
            data = wizard._prepare_statement()
            values = (
                self.env["report.partner_statement.outstanding_statement"]
                .with_user(acc)
                ._get_report_values(data["partner_ids"], data=data)
            )
        currencies = values["data"][dist.id]["currencies"]
        self._is(list(currencies), [foreign.id], "outstanding currencies")
        outstanding = currencies[foreign.id]
        self._is(
            sorted(
                (line["move_id"], round(line["open_amount"], 2))
                for line in outstanding["lines"]
            ),
            sorted([(mar.name, 346.45), (apr.name, 640.0)]),
        )
        self._is(round(outstanding["amount_due"], 2), 986.45)
        # the distributor's own (the portal's) the same
        with self._at(d(4, 30)):
            own = dist._channel_statement_values(self.company, d(4, 30))
        self._is(
            round(own["statement"]["currencies"][foreign.id]["amount_due"], 2),
            986.45,
        )
        # activity of March and April: balance forward 480 - 480 = 0.00 F;
        # +960 (March), -113.55 (credit), -500 (payment), +640 (April):
        # ending 986.45 F
        with self._at(d(4, 30)):
            wizard = (
                self.env["activity.statement.wizard"]
                .with_user(acc)
                .with_context(active_ids=dist.ids)
                .create(
                    {
                        "date_start": d(3, 1),
                        "date_end": d(4, 30),
                        "company_id": self.company.id,
                    }
                )
            )
            data = wizard._prepare_statement()
            values = (
                self.env["report.partner_statement.activity_statement"]
                .with_user(acc)
                ._get_report_values(data["partner_ids"], data=data)
            )
        currencies = values["data"][dist.id]["currencies"]
        self._is(list(currencies), [foreign.id], "activity currencies")
        activity = currencies[foreign.id]
        self._is(round(activity["balance_forward"], 2), 0.0)
        self._is(
            sorted(round(line["amount"], 2) for line in activity["lines"]),
            [-500.0, -113.55, 640.0, 960.0],
        )
        self._is(
            round(activity["balance_forward"] + activity["ending_balance"], 2), 986.45
        )
