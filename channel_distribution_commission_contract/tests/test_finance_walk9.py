# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Walk 9 of a finance controller (issue 25): what walk 8 left untried.
"Reverse and Create Invoice" of an invoice holding a prorated change,
prices that include VAT, a distributor's price book in another currency as
its portal shows it, and a mixed year on one distributor. Every figure is
a hand computation written in the test (literal figures, not the code's),
the clock frozen at noon of each day."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.addons.channel_distribution_contract.tests import (
    test_analysis_reconciles as analysis_walk,
)
from odoo.tests import tagged

from .test_finance_controller import ControllerWalkCase, d


class Walk9Case(ControllerWalkCase):
    """The walk's helpers on top of the controller's."""

    # the analysis's default views and the posted documents, per month, as
    # the analysis walk reads them
    _default_domain = analysis_walk.TestAnalysisReconciles._default_domain
    _analysis = analysis_walk.TestAnalysisReconciles._analysis
    _posted = analysis_walk.TestAnalysisReconciles._posted

    def _modify(self, day, invoice):
        """Finance's "Reverse and Create Invoice" of ``invoice`` on ``day``:
        ``(credit note, new draft)``."""
        with self._at(day):
            wizard = (
                self.env["account.move.reversal"]
                .with_user(self.accountant)
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create({"reason": "wrong PO", "journal_id": invoice.journal_id.id})
            )
            wizard.modify_moves()
        credit = self.env["account.move"].search(
            [("reversed_entry_id", "=", invoice.id), ("move_type", "=", "out_refund")]
        )
        new = wizard.new_move_ids.filtered(lambda m: m.move_type == "out_invoice")
        return credit, new

    def _signed_commission(self, moves):
        return round(
            sum(
                (-1 if move.move_type == "out_refund" else 1) * move.channel_commission
                for move in moves
            ),
            2,
        )

    def _partner_commission(self, distributor):
        distributor.invalidate_recordset(["distributor_commission"])
        return self.currency.round(distributor.distributor_commission)

    def _next(self, day, contract):
        """``(Next Invoice, its amount)`` of ``contract`` on ``day``, as the
        form and the portal show them."""
        with self._at(day):
            contract.invalidate_recordset()
            return contract.channel_next_invoice_date, contract.channel_next_amount


@tagged("post_install", "-at_install")
class TestWalk9RebillChange(Walk9Case):
    """1 (a): "Reverse and Create Invoice" of a posted consolidated invoice
    holding a prorated change line."""

    def test_reverse_and_create_invoice_with_a_change_line(self):
        """Distributor B (agency, Silver book: a 100 seat costs it 90, it
        earns 10 a seat), invoiced on the 1st: G 2 seats to End Customer B
        from Jan 1st 2027; 2 -> 3 on Jan 7th (a charge on February's
        invoice). Feb 5th: finance reverses February's invoice and creates
        it again (a new draft), posted Feb 6th. Feb 15th: 3 -> 2 (a credit
        of the new invoice). March as usual; each run made twice."""
        dist, customer = self.distributor_b, self.customer_b
        Move = self.env["account.move"]
        self._schedule_payout(dist, d(12, 20, 2026))
        g = self._start(d(1, 1), [(self.product_monthly, 2)], dist, customer)
        __, jan = self._run(d(1, 1), dist)
        # January 2 x 100 = 200.00, commission 2 x 10 = 20.00
        self._is(self._rows(jan), [(d(1, 1), d(1, 31), 200.0)])
        self._is(jan.channel_commission, 20.0)
        self._post(d(1, 1), jan)
        self._is(self._again(d(1, 1), dist), (Move, Move))
        # 2 -> 3 from Jan 7 (25 of 31 days): +1 x 100 x 25/31 = 80.645 ->
        # 80.65; commission 1 x 10 x 25/31 = 8.0645 -> 8.06
        up = self._change(g, d(1, 7), 3)
        self._is(up.amount, 80.65)
        self._is(up.channel_commission, 8.06)
        __, feb = self._run(d(2, 1), dist)
        # February 3 x 100 = 300.00 (30.00) + the charge 80.65 (8.06)
        # = 380.65, commission 38.06
        self._is(
            self._rows(feb),
            [(d(1, 7), d(1, 31), 80.65), (d(2, 1), d(2, 28), 300.0)],
        )
        self._is(feb.amount_untaxed, 380.65)
        self._is(feb.channel_commission, 38.06)
        self._post(d(2, 1), feb)
        self._is(self._again(d(2, 1), dist), (Move, Move))

        # ------------------------------- Feb 5: reverse and create invoice
        credit, again = self._modify(d(2, 5), feb)
        # the credit note: 380.65, commission 38.06, linked to February's
        self._is(credit.state, "posted")
        self._is(credit.amount_untaxed, 380.65)
        self._is(credit.channel_commission, 38.06)
        self._is(
            self._rows(credit),
            [(d(1, 7), d(1, 31), 80.65), (d(2, 1), d(2, 28), 300.0)],
        )
        # the new draft: each line the same to the cent, its commission
        # the same (the change's 8.06, not 80.65 x 20/200 = 8.065 -> 8.07),
        # each line on the same subscription line and service dates, the
        # period line on the same billed period
        self._is(again.state, "draft")
        self._is(
            self._rows(again),
            [(d(1, 7), d(1, 31), 80.65), (d(2, 1), d(2, 28), 300.0)],
        )
        self._is(again.amount_untaxed, 380.65)
        self._is(again.channel_commission, 38.06)
        old_lines = self._products(feb).sorted("start_date")
        new_lines = self._products(again).sorted("start_date")
        for old, new in zip(old_lines, new_lines, strict=True):
            with self.subTest(line=old.name):
                self.assertEqual(new.contract_line_id, old.contract_line_id)
                self.assertEqual(new.channel_period_id, old.channel_period_id)
                self.assertEqual(new.channel_commission, old.channel_commission)
                self.assertEqual(new.price_subtotal, old.price_subtotal)
        self._is(
            new_lines.filtered(lambda x: x.start_date == d(1, 7)).channel_commission,
            8.06,
        )
        # what the distributor is paid out: the same units, 30.00 + 8.06
        copy = new_lines.filtered(lambda x: x.start_date == d(1, 7))
        self._is(copy.channel_commission_unit, 8.06)
        self._is(
            round(sum(again.invoice_line_ids.agent_ids.mapped("amount")), 2), 38.06
        )
        # and the credit note claws back (agent lines negative)
        self._is(
            round(sum(credit.invoice_line_ids.agent_ids.mapped("amount")), 2), -38.06
        )
        self._is(up.state, "billed")
        self._post(d(2, 6), again)
        # the next run (and finance's) bills nothing again
        self._is(self._again(d(2, 6), dist), (Move, Move))

        # ------------------------------------------- Feb 15: 3 -> 2
        # 14 of 28 days: -1 x 100 x 14/28 = -50.00, commission -5.00
        down = self._change(g, d(2, 15), 2)
        self._is(down.amount, -50.0)
        self._is(down.channel_commission, -5.0)
        __, agency = self._run(d(3, 1), dist)
        mar = self._kind(agency, "out_invoice")
        mar_credit = self._kind(agency, "out_refund")
        # March 2 x 100 = 200.00 (20.00); the credit on a credit note of
        # the new February invoice (not the reversed one): 50.00 (5.00)
        self._is(self._rows(mar), [(d(3, 1), d(3, 31), 200.0)])
        self._is(mar.channel_commission, 20.0)
        self._is(mar_credit.reversed_entry_id, again)
        self._is(self._rows(mar_credit), [(d(2, 15), d(2, 28), 50.0)])
        self._is(mar_credit.channel_commission, 5.0)
        self._post(d(3, 1), agency)
        self._is(self._again(d(3, 1), dist), (Move, Move))
        # the year so far: 200 + 380.65 - 380.65 + 380.65 - 50 + 200
        # = 730.65; commission 20 + 38.06 - 38.06 + 38.06 - 5 + 20 = 73.06
        self._is(self._net(g), 730.65)
        moves = self._posted_moves(customer)
        self._is(round(sum(moves.mapped("amount_untaxed_signed")), 2), 730.65)
        self._is(self._signed_commission(moves), 73.06)
        self._is(self._partner_commission(dist), 73.06)
        # the periods billed by invoices not credited: January, February
        # (the new invoice), March, each once
        live = self._billed(g).filtered(lambda x: x.move_id != feb)
        self._is(
            sorted((x.start_date, x.end_date, x.move_id) for x in live),
            [
                (d(1, 1), d(1, 31), jan),
                (d(2, 1), d(2, 28), again),
                (d(3, 1), d(3, 31), mar),
            ],
        )


@tagged("post_install", "-at_install")
class TestWalk9TaxIncluded(Walk9Case):
    """1 (b): prices that include a 21 % VAT. A seat's list price is 121
    VAT included (100 untaxed), 96.80 on the Gold book (80 untaxed); a
    one-off service the same. Every untaxed figure is the untaxed price x
    quantity x share of the period, rounded once; the commission is the
    untaxed list price less the untaxed price (a seat 20)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vat_incl = cls.env["account.tax"].create(
            {
                "name": "Test Walk9 VAT 21 incl",
                "amount": 21.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "price_include_override": "tax_included",
            }
        )
        cls.seat_incl = cls._create_recurring_product(
            name="Test Walk9 Seat VAT incl",
            list_price=121.0,
            recurring_invoicing_type="pre-paid",
            taxes_id=[Command.set(cls.vat_incl.ids)],
        )
        cls.service_incl = cls.env["product.product"].create(
            {
                "name": "Test Walk9 Service VAT incl",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 121.0,
                "taxes_id": [Command.set(cls.vat_incl.ids)],
            }
        )

    def test_tax_included_prices(self):
        """Distributor A co-termed on the 1st from Dec 20th 2026: S 3 seats
        from Jan 15th; O 2 one-off services on Jan 20th; S 3 -> 5 on Feb
        10th, 5 -> 2 on Mar 11th."""
        dist = self.distributor_a
        self._schedule(dist, d(12, 20, 2026), coterm=True, channel_invoicing_monthday=1)
        s = self._start(d(1, 15), [(self.seat_incl, 3)])
        line = s.contract_line_ids
        self._is(line.price_unit, 96.80)
        # the order line: 3 x 96.80 = 290.40 VAT included, 240.00 untaxed;
        # commission 3 x (100 - 80) = 60.00
        self._is(s.channel_order_id.order_line.price_subtotal, 240.0)
        self._is(s.channel_order_id.order_line.channel_commission, 60.0)
        with self._at(d(1, 20)):
            order = self._create_order(dist, self.customer_a, [(self.service_incl, 2)])
            order.action_confirm()
        # 2 x 96.80 = 193.60 VAT included, 160.00 untaxed; commission 2 x
        # (100 - 80) = 40.00 (not 2 x 121 - 160 = 82.00)
        self._is(order.amount_untaxed, 160.0)
        self._is(order.amount_total, 193.60)
        self._is(order.order_line.channel_commission, 40.0)
        # Next Invoice Feb 1, all it bills of S, untaxed: the first period
        # 3 x 80 x 17/31 = 131.613 -> 131.61 (not 3 x 96.80 x 17/31 =
        # 159.25, VAT included) and February 3 x 80 = 240.00: 371.61
        self._is(self._next(d(1, 20), s), (d(2, 1), 371.61))

        # --------------------------------------------------- Feb 1
        feb, __ = self._run(d(2, 1))
        # S Jan 15-31: 131.61 untaxed (159.25 VAT included: 159.25 / 1.21
        #   = 131.61), commission 3 x 20 x 17/31 = 32.903 -> 32.90
        # S February: 3 x 96.80 = 290.40 VAT included, 240.00 untaxed,
        #   commission 60.00
        # O: 160.00 untaxed (193.60), commission 40.00
        # untaxed 531.61, VAT 27.64 + 50.40 + 33.60 = 111.64, total 643.25
        self._is(
            self._rows(feb, s),
            [(d(1, 15), d(1, 31), 131.61), (d(2, 1), d(2, 28), 240.0)],
        )
        self._is(self._doc(feb), (531.61, 111.64, 643.25))
        self._is(feb.channel_commission, 132.90)
        first = self._products(feb).filtered(
            lambda x: x.channel_period_id.date_start == d(1, 15)
        )
        self._is(first.channel_period_id.commission, 32.90)
        self._is(first.price_total, 159.25)
        self._post(d(2, 1), feb)
        self._is(self._again(d(2, 1)), (self.env["account.move"],) * 2)

        # 3 -> 5 from Feb 10 (19 of 28 days): +2 x 80 x 19/28 = 108.571 ->
        # 108.57 untaxed (131.37 VAT included), commission 2 x 20 x 19/28
        # = 27.142 -> 27.14
        up = self._change(s, d(2, 10), 5)
        self._is(up.amount, 108.57)
        self._is(up.channel_commission, 27.14)
        # Next Invoice Mar 1: March 5 x 80 = 400.00 + 108.57 = 508.57
        self._is(self._next(d(2, 15), s), (d(3, 1), 508.57))
        # MRR: 5 x 80 = 400.00 untaxed
        self._is(s.channel_mrr, 400.0)

        # --------------------------------------------------- Mar 1
        mar, __ = self._run(d(3, 1))
        # S March 5 x 96.80 = 484.00 VAT included, 400.00 untaxed (100.00)
        # + the charge 108.57 (131.37 VAT included, 27.14)
        # untaxed 508.57, VAT 84.00 + 22.80 = 106.80, total 615.37
        self._is(
            self._rows(mar),
            [(d(2, 10), d(2, 28), 108.57), (d(3, 1), d(3, 31), 400.0)],
        )
        self._is(self._doc(mar), (508.57, 106.80, 615.37))
        self._is(mar.channel_commission, 127.14)
        self._post(d(3, 1), mar)
        # 5 -> 2 from Mar 11 (21 of 31 days): -3 x 80 x 21/31 = -162.581 ->
        # -162.58 untaxed (196.72 VAT included), commission -3 x 20 x 21/31
        # = -40.645 -> -40.65
        down = self._change(s, d(3, 11), 2)
        self._is(down.amount, -162.58)
        self._is(down.channel_commission, -40.65)

        # --------------------------------------------------- Apr 1
        resale, __ = self._run(d(4, 1))
        apr = self._kind(resale, "out_invoice")
        apr_credit = self._kind(resale, "out_refund")
        # S April 2 x 96.80 = 193.60, 160.00 untaxed (40.00); the credit
        # note of March's: 162.58 untaxed, VAT 34.14, 196.72 (40.65)
        self._is(self._rows(apr), [(d(4, 1), d(4, 30), 160.0)])
        self._is(self._doc(apr), (160.0, 33.60, 193.60))
        self._is(apr.channel_commission, 40.0)
        self._is(apr_credit.reversed_entry_id, mar)
        self._is(self._rows(apr_credit), [(d(3, 11), d(3, 31), 162.58)])
        self._is(self._doc(apr_credit), (162.58, 34.14, 196.72))
        self._is(apr_credit.channel_commission, 40.65)
        self._post(d(4, 1), resale)

        # ------------------------------------------------------ the year
        # S 131.61 + 240 + 508.57 - 162.58 + 160 = 877.60; O 160.00
        # commission S 32.90 + 60 + 127.14 - 40.65 + 40 = 219.39, O 40.00
        self._is(self._net(s), 877.60)
        moves = self._posted_moves()
        self._is(round(sum(moves.mapped("amount_untaxed_signed")), 2), 1037.60)
        # VAT 111.64 + 106.80 + 33.60 - 34.14 = 217.90; total 1,255.50
        self._is(round(sum(moves.mapped("amount_total_signed")), 2), 1255.50)
        self._is(self._signed_commission(moves), 259.39)
        self._is(self._partner_commission(dist), 259.39)
        # the analysis per month of the invoice date: February 531.61 /
        # 132.90, March 508.57 / 127.14, April 160 - 162.58 = -2.58 / 40 -
        # 40.65 = -0.65
        expected = {
            d(2, 1): (531.61, 132.90),
            d(3, 1): (508.57, 127.14),
            d(4, 1): (-2.58, -0.65),
        }
        # Recurring Revenue: the subscription's rows only, February without
        # O: 371.61 / 92.90
        recurring = {d(2, 1): (371.61, 92.90), d(3, 1): expected[d(3, 1)]}
        recurring[d(4, 1)] = expected[d(4, 1)]
        with self._at(d(4, 2)):
            self._is(self._posted(dist), expected, "posted")
            self._is(
                self._analysis("channel_distribution.action_channel_sale_report", dist),
                expected,
            )
            self._is(
                self._analysis(
                    "channel_distribution_contract.action_channel_sale_report_recurring",
                    dist,
                ),
                recurring,
            )


@tagged("post_install", "-at_install")
class TestWalk9ForeignPortal(Walk9Case):
    """1 (c): a distributor whose price book is in another currency (F, 2 F
    to 1 of the company's currency): the invoices, prorations and credits
    in F, the portal's figures (*Next Invoice* and its amount, the
    subscription's lines) in F and equal to what is then billed."""

    def _foreign_distributor(self):
        company_currency = self.currency
        foreign = self.env.ref(
            "base.USD" if company_currency.name == "EUR" else "base.EUR"
        )
        foreign.active = True
        self.env["res.currency.rate"].search(
            [("currency_id", "in", (foreign | company_currency).ids)]
        ).unlink()
        self.env["res.currency.rate"].create(
            {
                "currency_id": foreign.id,
                "name": d(1, 1, 2026),
                "rate": 2.0,
                "company_id": self.company.id,
            }
        )
        book = self.env["product.pricelist"].create(
            {
                "name": "Test Walk9 Foreign Gold",
                "currency_id": foreign.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "3_global",
                            "compute_price": "percentage",
                            "percent_price": 20,
                        }
                    )
                ],
            }
        )
        tier = self.env["channel.distributor.tier"].create(
            {"name": "T Walk9 Foreign", "pricelist_id": book.id}
        )
        dist = self.env["res.partner"].create(
            {
                "name": "Distributor F",
                "is_company": True,
                "is_distributor": True,
                "distributor_tier_id": tier.id,
                "street": "Rue F 1",
            }
        )
        customer = self.env["res.partner"].create(
            {
                "name": "End Customer F",
                "is_company": True,
                "distributor_id": dist.id,
                "street": "Rue FF 1",
            }
        )
        return foreign, dist, customer

    def test_foreign_book_portal_figures(self):
        """Distributor F on the 1st, not co-termed: S 3 seats (160 F each)
        from Feb 1st; 3 -> 5 on Feb 15th (a charge), 5 -> 4 on Mar 10th (a
        credit). Each month the portal's next invoice and amount, then what
        the run bills."""
        foreign, dist, customer = self._foreign_distributor()
        self._schedule(dist, d(1, 10), channel_invoicing_monthday=1)
        s = self._start(d(2, 1), [(self.product_monthly, 3)], dist, customer)
        self._is(s.currency_id, foreign)
        self._is(s.contract_line_ids.price_unit, 160.0)
        # Feb 1 (before the run): February 3 x 160 = 480.00 F
        self._is(self._next(d(2, 1), s), (d(2, 1), 480.0))
        feb, __ = self._run(d(2, 1), dist)
        self._is(feb.currency_id, foreign)
        self._is(self._rows(feb), [(d(2, 1), d(2, 28), 480.0)])
        # commission 3 x 40 = 120.00 F; 240.00 in the company's currency
        self._is(feb.channel_commission, 120.0)
        self._is(feb.amount_untaxed_signed, 240.0)
        self._post(d(2, 1), feb)
        # 3 -> 5 from Feb 15 (14 of 28 days): +2 x 160 x 14/28 = 160.00 F
        # (commission 2 x 40 x 14/28 = 40.00 F)
        up = self._change(s, d(2, 15), 5)
        self._is(up.amount, 160.0)
        self._is(up.channel_commission, 40.0)
        # portal on Feb 16: Mar 1, 5 x 160 + 160 = 960.00 F
        self._is(self._next(d(2, 16), s), (d(3, 1), 960.0))
        mar, __ = self._run(d(3, 1), dist)
        self._is(mar.currency_id, foreign)
        self._is(mar.amount_untaxed, 960.0)
        self._is(mar.channel_commission, 240.0)
        self._post(d(3, 1), mar)
        # 5 -> 4 from Mar 10 (22 of 31 days): -1 x 160 x 22/31 = -113.548
        # -> -113.55 F (commission -40 x 22/31 = -28.387 -> -28.39 F), on a
        # credit note of March's, not on April's invoice
        down = self._change(s, d(3, 10), 4)
        self._is(down.amount, -113.55)
        self._is(down.channel_commission, -28.39)
        # portal on Mar 11: Apr 1, 4 x 160 = 640.00 F (the credit is not
        # on the next invoice)
        self._is(self._next(d(3, 11), s), (d(4, 1), 640.0))
        resale, __ = self._run(d(4, 1), dist)
        apr = self._kind(resale, "out_invoice")
        apr_credit = self._kind(resale, "out_refund")
        self._is(apr.amount_untaxed, 640.0)
        self._is(apr_credit.currency_id, foreign)
        self._is(apr_credit.reversed_entry_id, mar)
        self._is(self._rows(apr_credit), [(d(3, 10), d(3, 31), 113.55)])
        self._is(apr_credit.channel_commission, 28.39)
        self._post(d(4, 1), resale)
        # 480 + 960 + 640 - 113.55 = 1,966.45 F; in the company's currency
        # 240 + 480 + 320 - 56.775 -> 56.78 = 983.22
        self._is(self._net(s), 1966.45)
        moves = self._posted_moves(dist)
        self._is(round(sum(moves.mapped("amount_untaxed_signed")), 2), 983.22)
        # commission 120 + 240 + 160 - 28.39 = 491.61 F
        self._is(self._signed_commission(moves), 491.61)

    def test_foreign_coterm_first_invoice(self):
        """Distributor F co-termed on the 1st from Jan 10th: S 3 seats from
        Jan 15th. The Feb 1st run bills the first period and February: the
        portal's *Next Invoice* amount on Jan 20th is what that run bills
        for it."""
        foreign, dist, customer = self._foreign_distributor()
        self._schedule(dist, d(1, 10), coterm=True, channel_invoicing_monthday=1)
        s = self._start(d(1, 15), [(self.product_monthly, 3)], dist, customer)
        next_day, next_amount = self._next(d(1, 20), s)
        feb, __ = self._run(d(2, 1), dist)
        # Jan 15-31: 3 x 160 x 17/31 = 263.226 -> 263.23 F; February 480.00
        # F: 743.23 F, billed on Feb 1
        self._is(feb.amount_untaxed, 743.23)
        self._is(next_day, d(2, 1))
        self._is(next_amount, 743.23)


@tagged("post_install", "-at_install")
class TestWalk9MixedYear(Walk9Case):
    """2: a mixed year on Distributor A (Gold book, 20 % off; invoiced on
    the 1st, co-terming on, its agency commission paid monthly by vendor
    bill). From Jan 1st 2027: M 4 monthly seats (the book's 80), Y a yearly
    licence (960), P 2 units in arrears (80 each), N 2 seats at a
    negotiated 70, G 2 agency seats to End Customer A (100 each, earning 20
    a seat). The book goes to 25 % on Apr 15th (a seat 75, the licence
    900). Each run made twice; finance posts, pays the agency invoices on
    the 10th and the settlement job runs on the 1st."""

    def _settle_on(self, day):
        """The settlement job on ``day``: A's new commission bills."""
        Move = self.env["account.move"]
        domain = [
            ("partner_id", "=", self.distributor_a.id),
            ("move_type", "in", ("in_invoice", "in_refund")),
        ]
        before = Move.search(domain)
        with self._at(day):
            self.env["res.partner"]._cron_channel_settle_commissions()
        return Move.search(domain) - before

    def _pay_on(self, day, invoices):
        with self._at(day):
            for invoice in invoices:
                self._pay(invoice.with_user(self.accountant), date=day)
        self.assertEqual(set(invoices.mapped("payment_state")), {"paid"})

    def _month(self, day, resale_rows, resale_figures, agency=(200.0, 40.0)):
        """The run of ``day`` and finance's rerun: the resale invoice's
        ``[(start, end, untaxed)]`` and ``(untaxed, commission)``, the agency
        invoice's ``(untaxed, commission)``; the moves, unposted."""
        Move = self.env["account.move"]
        resale, agency_moves = self._run(day)
        self._is(self._rows(resale), sorted(resale_rows), f"{day} rows")
        self._is(
            (resale.amount_untaxed, resale.channel_commission),
            resale_figures,
            f"{day} resale",
        )
        self._is(
            (agency_moves.amount_untaxed, agency_moves.channel_commission),
            agency,
            f"{day} agency",
        )
        self._is(self._again(day), (Move, Move), f"{day} again")
        return resale, agency_moves

    def test_mixed_year(self):
        dist = self.distributor_a
        Move = self.env["account.move"]
        self._schedule_payout(dist, d(12, 20, 2026), coterm=True)
        m = self._start(d(1, 1), [(self.product_monthly, 4)])
        y = self._start(d(1, 1), [(self.product_yearly, 1)])
        p = self._start(d(1, 1), [(self.product_arrears, 2)])
        n = self._start_priced(d(1, 1), self.product_monthly, 2, 70.0)
        g = self._start(
            d(1, 1),
            [(self.product_monthly, 2)],
            financial_role="end_customer",
            business_role="end_customer",
        )
        self._is(n.contract_line_ids.channel_price_fixed, True)
        self._is(m.contract_line_ids.channel_price_fixed, False)
        self._is(g.partner_id, self.customer_a)
        month = (d(1, 1), d(1, 31))
        bills = {}

        def settle(day, expected):
            bill = self._settle_on(day)
            self._is(round(sum(bill.mapped("amount_untaxed")), 2), expected, str(day))
            bills[day] = bill

        def post_and_pay(day, *moves):
            for move in moves:
                self._post(day, move)
            agency = moves[-1]
            self._pay_on(day.replace(day=10), agency)

        # ------------------------------------------------------- January
        # M 4 x 80 = 320.00 (commission 4 x 20 = 80.00); Y 960.00 (1,200 -
        # 960 = 240.00); N 2 x 70 = 140.00 (2 x 30 = 60.00); P in arrears:
        # nothing = 1,420.00 / 380.00. G 2 x 100 = 200.00 / 40.00
        jan, jan_g = self._month(
            d(1, 1),
            [(*month, 320.0), (d(1, 1), d(12, 31), 960.0), (*month, 140.0)],
            (1420.0, 380.0),
        )
        post_and_pay(d(1, 1), jan, jan_g)
        # M 4 -> 6 from Jan 12 (20 of 31 days): +2 x 80 x 20/31 = 103.226
        # -> 103.23 (commission 2 x 20 x 20/31 = 25.806 -> 25.81)
        m_up = self._change(m, d(1, 12), 6)
        self._is((m_up.amount, m_up.channel_commission), (103.23, 25.81))
        settle(d(1, 31), 0.0)

        # ------------------------------------------------------ February
        settle(d(2, 1), 40.0)  # January's G, paid
        month = (d(2, 1), d(2, 28))
        # M 6 x 80 = 480.00 (120.00) + 103.23 (25.81); N 140.00 (60.00);
        # P January 2 x 80 = 160.00 (40.00) = 883.23 / 245.81
        feb_rows = [
            (d(1, 12), d(1, 31), 103.23),
            (*month, 480.0),
            (*month, 140.0),
            (d(1, 1), d(1, 31), 160.0),
        ]
        feb, feb_g = self._month(d(2, 1), feb_rows, (883.23, 245.81))
        self._post(d(2, 1), feb_g)
        # Feb 2: finance cancels the resale draft: its periods and the
        # change are billed again by finance the same day, at the same
        # amounts
        with self._at(d(2, 2)):
            feb.with_user(self.accountant).button_cancel()
        feb, __ = self._again(d(2, 2))
        self._is(self._rows(feb), sorted(feb_rows))
        self._is((feb.amount_untaxed, feb.channel_commission), (883.23, 245.81))
        post_and_pay(d(2, 2), feb, feb_g)
        self._is(self._again(d(2, 2)), (Move, Move))

        # --------------------------------------------------------- March
        settle(d(3, 1), 40.0)
        month = (d(3, 1), d(3, 31))
        # M 480.00 (120.00), N 140.00 (60.00), P February 160.00 (40.00)
        # = 780.00 / 220.00
        mar_rows = [(*month, 480.0), (*month, 140.0), (d(2, 1), d(2, 28), 160.0)]
        mar, mar_g = self._month(d(3, 1), mar_rows, (780.0, 220.0))
        self._post(d(3, 1), mar_g)
        # Mar 2: finance deletes the resale draft; billed again that day
        with self._at(d(3, 2)):
            mar.with_user(self.accountant).unlink()
        mar, __ = self._again(d(3, 2))
        self._is(self._rows(mar), sorted(mar_rows))
        self._is((mar.amount_untaxed, mar.channel_commission), (780.0, 220.0))
        post_and_pay(d(3, 2), mar, mar_g)

        # --------------------------------------------------------- April
        settle(d(4, 1), 40.0)
        month = (d(4, 1), d(4, 30))
        apr, apr_g = self._month(
            d(4, 1),
            [(*month, 480.0), (*month, 140.0), (d(3, 1), d(3, 31), 160.0)],
            (780.0, 220.0),
        )
        post_and_pay(d(4, 1), apr, apr_g)
        with self._at(d(4, 15)):
            self.book_gold.item_ids.percent_price = 25.0

        # ----------------------------------------------------------- May
        settle(d(5, 1), 40.0)  # April's G
        month = (d(5, 1), d(5, 31))
        # the book's 75 from May: M 6 x 75 = 450.00 (6 x 25 = 150.00); N
        # its negotiated 140.00 (60.00); P April, billed now at the book:
        # 2 x 75 = 150.00 (50.00) = 740.00 / 260.00. G 200.00, earning 2 x
        # (100 - 75) = 50.00
        may, may_g = self._month(
            d(5, 1),
            [(*month, 450.0), (*month, 140.0), (d(4, 1), d(4, 30), 150.0)],
            (740.0, 260.0),
            (200.0, 50.0),
        )
        post_and_pay(d(5, 1), may, may_g)
        # M 6 -> 8 from May 20 (12 of 31 days): +2 x 75 x 12/31 = 58.065 ->
        # 58.06 (2 x 25 x 12/31 = 19.355 -> 19.35)
        m_up2 = self._change(m, d(5, 20), 8)
        self._is((m_up2.amount, m_up2.channel_commission), (58.06, 19.35))

        # ---------------------------------------------------------- June
        settle(d(6, 1), 50.0)  # May's G, earning 25 a seat
        month = (d(6, 1), d(6, 30))
        # M 8 x 75 = 600.00 (200.00) + 58.06 (19.35); N 140.00 (60.00); P
        # May 150.00 (50.00) = 948.06 / 329.35
        jun, jun_g = self._month(
            d(6, 1),
            [
                (d(5, 20), d(5, 31), 58.06),
                (*month, 600.0),
                (*month, 140.0),
                (d(5, 1), d(5, 31), 150.0),
            ],
            (948.06, 329.35),
            (200.0, 50.0),
        )
        post_and_pay(d(6, 1), jun, jun_g)
        # M 8 -> 5 from Jun 10 (21 of 30 days): -3 x 75 x 21/30 = -157.50
        # (-3 x 25 x 21/30 = -52.50)
        m_down = self._change(m, d(6, 10), 5)
        self._is((m_down.amount, m_down.channel_commission), (-157.50, -52.50))
        # Jun 20: a one-off order O, 3 services at the book's 75 = 225.00
        # (3 x 25 = 75.00)
        with self._at(d(6, 20)):
            o = self._create_order(dist, self.customer_a, [(self.product_service, 3)])
            o.action_confirm()
        self._is((o.amount_untaxed, o.order_line.channel_commission), (225.0, 75.0))

        # ---------------------------------------------------------- July
        settle(d(7, 1), 50.0)  # June's G
        month = (d(7, 1), d(7, 31))
        # the invoice: M 5 x 75 = 375.00 (125.00), N 140.00 (60.00), P June
        # 150.00 (50.00), O 225.00 (75.00) = 890.00 / 310.00; the credit of
        # June on a credit note of June's invoice (never netted): 157.50
        # (52.50)
        resale, jul_g = self._run(d(7, 1))
        jul = self._kind(resale, "out_invoice")
        jul_credit = self._kind(resale, "out_refund")
        self._is(self._rows(jul, m), [(*month, 375.0)])
        self._is(self._rows(jul, n), [(*month, 140.0)])
        self._is(self._rows(jul, p), [(d(6, 1), d(6, 30), 150.0)])
        self._is(
            jul.invoice_line_ids.filtered(
                lambda x: x.sale_line_ids.order_id == o
            ).price_subtotal,
            225.0,
        )
        self._is((jul.amount_untaxed, jul.channel_commission), (890.0, 310.0))
        self._is(jul_credit.reversed_entry_id, jun)
        self._is(self._rows(jul_credit), [(d(6, 10), d(6, 30), 157.50)])
        self._is(jul_credit.channel_commission, 52.50)
        self._is((jul_g.amount_untaxed, jul_g.channel_commission), (200.0, 50.0))
        self._is(self._again(d(7, 1)), (Move, Move))
        post_and_pay(d(7, 1), resale, jul_g)
        self._is(o.invoice_ids, jul)
        # C 1 seat from Jul 10, co-termed: Jul 10-31 billed on Aug 1
        c = self._start(d(7, 10), [(self.product_monthly, 1)])
        # Jul 12: finance credits July's resale invoice in full (a plain
        # reversal): 890.00 (310.00); it stays credited
        jul_full = self._credit(d(7, 12), jul)
        self._is(jul_full.reversed_entry_id, jul)
        self._is((jul_full.amount_untaxed, jul_full.channel_commission), (890.0, 310.0))

        # -------------------------------------------------------- August
        settle(d(8, 1), 50.0)  # July's G
        month = (d(8, 1), d(8, 31))
        # M 375.00 (125.00), N 140.00 (60.00), P July 150.00 (50.00); C Jul
        # 10-31: 75 x 22/31 = 53.226 -> 53.23 (25 x 22/31 = 17.742 ->
        # 17.74) and August 75.00 (25.00) = 793.23 / 277.74; nothing of July
        # billed again
        aug, aug_g = self._month(
            d(8, 1),
            [
                (*month, 375.0),
                (*month, 140.0),
                (d(7, 1), d(7, 31), 150.0),
                (d(7, 10), d(7, 31), 53.23),
                (*month, 75.0),
            ],
            (793.23, 277.74),
            (200.0, 50.0),
        )
        post_and_pay(d(8, 1), aug, aug_g)
        # Aug 20: C's order cancelled (setting Credit): what C billed, on a
        # credit note of August's invoice: 53.23 + 75.00 = 128.23 (42.74)
        self.company.channel_cancel_invoiced = "credit"
        before = Move.search([])
        with self._at(d(8, 20)):
            c.channel_order_id.with_context(disable_cancel_warning=True).action_cancel()
        c_credit = Move.search([("id", "not in", before.ids)])
        self._is(c_credit.mapped("move_type"), ["out_refund"])
        self._is(c_credit.reversed_entry_id, aug)
        self._is(
            self._rows(c_credit),
            [(d(7, 10), d(7, 31), 53.23), (d(8, 1), d(8, 31), 75.0)],
        )
        self._is(
            (c_credit.amount_untaxed, c_credit.channel_commission), (128.23, 42.74)
        )
        self._post(d(8, 20), c_credit)
        self._is(c.active, False)

        # ------------------------------------------ September - December
        for day in (d(9, 1), d(10, 1), d(11, 1), d(12, 1)):
            settle(day, 50.0)
            last = day - timedelta(days=1)
            # M 375.00 (125.00), N 140.00 (60.00), P the month before 150.00
            # (50.00) = 665.00 / 235.00
            resale, agency = self._month(
                day,
                [
                    (day, day + relativedelta(day=31), 375.0),
                    (day, day + relativedelta(day=31), 140.0),
                    (last.replace(day=1), last, 150.0),
                ],
                (665.0, 235.0),
                (200.0, 50.0),
            )
            post_and_pay(day, resale, agency)

        # ------------------------------------------------- January 2028
        settle(d(1, 1, 2028), 50.0)
        month = (d(1, 1, 2028), d(1, 31, 2028))
        # the terms renewed: M 375.00 (125.00), N 140.00 (60.00), Y the
        # year 2028 at the book's 900.00 (300.00), P December 150.00
        # (50.00) = 1,565.00 / 535.00
        jan28, jan28_g = self._month(
            d(1, 1, 2028),
            [
                (*month, 375.0),
                (*month, 140.0),
                (d(1, 1, 2028), d(12, 31, 2028), 900.0),
                (d(12, 1), d(12, 31), 150.0),
            ],
            (1565.0, 535.0),
            (200.0, 50.0),
        )
        self._post(d(1, 1, 2028), jan28)
        self._post(d(1, 1, 2028), jan28_g)

        # ----------------------------------------------------- the year
        # M 320 + 103.23 + 3 x 480 + 450 + 58.06 + 600 - 157.50 + 375 - 375
        #   + 5 x 375 + 375 = 5,063.79
        # Y 960 + 900 = 1,860.00; P 3 x 160 + 9 x 150 - 150 = 1,680.00;
        # N 13 x 140 - 140 = 1,680.00; C 0; G 13 x 200 = 2,600.00
        self._is(self._net(m), 5063.79)
        self._is(self._net(y), 1860.0)
        self._is(self._net(p), 1680.0)
        self._is(self._net(n), 1680.0)
        self._is(self._net(g), 2600.0)
        resale_moves = self._posted_moves()
        agency_moves = self._posted_moves(self.customer_a)
        # resale 1,420 + 883.23 + 780 + 780 + 740 + 948.06 + 890 - 157.50
        #   - 890 + 793.23 - 128.23 + 4 x 665 + 1,565 = 10,283.79
        self._is(round(sum(resale_moves.mapped("amount_untaxed_signed")), 2), 10283.79)
        self._is(round(sum(agency_moves.mapped("amount_untaxed_signed")), 2), 2600.0)
        # commission: resale 380 + 245.81 + 220 + 220 + 260 + 329.35 + 310
        #   - 52.50 - 310 + 277.74 - 42.74 + 4 x 235 + 535 = 3,312.66;
        #   agency 4 x 40 + 9 x 50 = 610.00; in all 3,922.66
        self._is(self._signed_commission(resale_moves), 3312.66)
        self._is(self._signed_commission(agency_moves), 610.0)
        self._is(self._partner_commission(dist), 3922.66)
        # paid out: 4 x 40 + 8 x 50 = 560.00 (January 2028's not paid yet)
        self._is(round(sum(b.amount_untaxed for b in bills.values() if b), 2), 560.0)
        # every credit note corrects the invoice that billed what it credits
        refunds = self._kind(resale_moves, "out_refund")
        self._is(
            {refund.reversed_entry_id: refund.amount_untaxed for refund in refunds},
            {jun: 157.50, jul: 890.0, aug: 128.23},
        )
        # service dates on every line of a period or a change
        lines = (resale_moves | agency_moves).invoice_line_ids.filtered(
            lambda x: x.display_type == "product" and x.contract_line_id
        )
        self._is(
            lines.filtered(lambda x: not (x.start_date and x.end_date)),
            self.env["account.move.line"],
        )
        self._no_negative_lines(resale_moves | agency_moves)
        self._contiguous(m, d(1, 1))
        self._contiguous(p, d(1, 1))
        self._contiguous(n, d(1, 1))
        self._contiguous(g, d(1, 1))
        # the analysis per distributor and month of the invoice date
        # (resale and agency): Jan 1,620.00 / 420.00; Feb 1,083.23 /
        # 285.81; Mar, Apr 980.00 / 260.00; May 940.00 / 310.00; Jun
        # 1,148.06 / 379.35; Jul 890 - 157.50 - 890 + 200 = 42.50 / 310 -
        # 52.50 - 310 + 50 = -2.50; Aug 793.23 - 128.23 + 200 = 865.00 /
        # 277.74 - 42.74 + 50 = 285.00; Sep - Dec 865.00 / 285.00; Jan 2028
        # 1,765.00 / 585.00
        expected = {
            d(1, 1): (1620.0, 420.0),
            d(2, 1): (1083.23, 285.81),
            d(3, 1): (980.0, 260.0),
            d(4, 1): (980.0, 260.0),
            d(5, 1): (940.0, 310.0),
            d(6, 1): (1148.06, 379.35),
            d(7, 1): (42.50, -2.50),
            d(8, 1): (865.0, 285.0),
            d(9, 1): (865.0, 285.0),
            d(10, 1): (865.0, 285.0),
            d(11, 1): (865.0, 285.0),
            d(12, 1): (865.0, 285.0),
            d(1, 1, 2028): (1765.0, 585.0),
        }
        with self._at(d(1, 2, 2028)):
            self._is(self._posted(dist), expected, "posted")
            for xmlid in (
                "channel_distribution.action_channel_sale_report",
                "channel_distribution_contract.action_channel_sale_report_recurring",
            ):
                self._is(self._analysis(xmlid, dist), expected, xmlid)
