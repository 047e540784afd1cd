# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Prices that include VAT, to the cent, under both of Odoo's tax rounding
methods: what a subscription's figures are equal to (README
*Subscriptions*, *Tax rounding*)."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import SubscriptionCase, noon

DEC_20 = date(2026, 12, 20)
JAN_1 = date(2027, 1, 1)
FEB_1 = date(2027, 2, 1)


@tagged("post_install", "-at_install")
class TestSubscriptionTaxRounding(SubscriptionCase):
    """Distributor A (Gold book, 20 % off) buys services whose prices
    include a 21 % VAT: a seat listed 121 (96.80 with VAT, 80.00 untaxed)
    and two listed 110 (88.00 with VAT, 72.727… untaxed)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vat_included = cls.env["account.tax"].create(
            {
                "name": "Test Rounding VAT 21 included",
                "amount": 21.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "price_include_override": "tax_included",
            }
        )
        taxes = [Command.set(cls.vat_included.ids)]
        cls.seat = cls._create_recurring_product(
            name="Test Rounding Seat",
            list_price=121.0,
            recurring_invoicing_type="pre-paid",
            taxes_id=taxes,
        )
        cls.licence, cls.support = (
            cls._create_recurring_product(
                name=name,
                list_price=110.0,
                recurring_invoicing_type="pre-paid",
                taxes_id=taxes,
            )
            for name in ("Test Rounding Licence", "Test Rounding Support")
        )

    def _subscribe_on(self, day, lines):
        with freeze_time(noon(day)):
            return self._start_subscription(
                self.distributor_a, self.customer_a, lines, start=day
            )

    def _next_amount(self, day, contract):
        with freeze_time(noon(day)):
            contract.invalidate_recordset(["channel_next_amount"])
            return contract.channel_next_amount

    def _bill_on(self, day):
        """The distributor's scheduled run on ``day``."""
        with freeze_time(noon(day)):
            return self.env["sale.order"]._channel_invoice_scheduled_distributor(
                self.distributor_a, day
            )

    def _lines(self, invoice, contract=None):
        return self._products(invoice).filtered(
            lambda line: contract is None
            or line.contract_line_id.contract_id == contract
        )

    def _sum(self, lines, field):
        return self.currency.round(sum(lines.mapped(field)))

    def _analysis(self, invoice):
        """The channel analysis' revenue of ``invoice`` (its rows)."""
        self.env.flush_all()
        rows = self.env["sale.report"].search(
            [
                ("distributor_id", "=", self.distributor_a.id),
                ("channel_source", "=", "period"),
                ("date", ">=", invoice.invoice_date),
            ]
        )
        return self.currency.round(sum(rows.mapped("price_subtotal")))

    def _invoice_report(self, invoice):
        """Odoo's invoice analysis of ``invoice``: its untaxed amount."""
        self.env.flush_all()
        rows = self.env["account.invoice.report"].search([("move_id", "=", invoice.id)])
        return self.currency.round(sum(rows.mapped("price_subtotal")))

    def _coterm_on_the_first(self):
        with freeze_time(noon(DEC_20)):
            self.distributor_a.write(
                {
                    "channel_invoicing_period": "monthly",
                    "channel_invoicing_monthday": 1,
                    "channel_coterm": True,
                }
            )

    def test_rounded_per_line(self):
        """Rounded per line (Odoo's default), co-termed on the 1st: A 3
        licences (88.00 each with VAT) from Jan 12th, B a licence and a
        support from Feb 1st. A licence is 88 / 1.21 = 72.7272… untaxed:
        every figure is made of that, not of 72.73 (the unit price rounded
        first), and a subscription's next amount is what its lines bill,
        each line rounded."""
        self.assertEqual(self.company.tax_calculation_rounding_method, "round_per_line")
        self._coterm_on_the_first()
        a = self._subscribe_on(date(2027, 1, 12), [(self.licence, 3)])
        b = self._subscribe_on(FEB_1, [(self.licence, 1), (self.support, 1)])
        # A: Jan 12 - 31, 20 of 31 days: 3 x 72.7272… x 20/31 = 140.762… →
        # 140.76 (3 x 72.73 x 20/31 = 140.767… → 140.77); February 3 x
        # 88.00 = 264.00 with VAT, 264 / 1.21 = 218.1818… → 218.18 (3 x
        # 72.73 = 218.19): 358.94
        self.assertEqual(self._next_amount(date(2027, 1, 13), a), 358.94)
        # B: two lines of 72.7272… → 72.73 each: 145.46 (not 145.4545… →
        # 145.45, the two rounded once)
        self.assertEqual(self._next_amount(date(2027, 1, 13), b), 145.46)
        # commission: a licence listed 110.00 with VAT (90.9090… untaxed)
        # earns 18.1818… a unit: the order line 3 x 18.1818… = 54.5454…
        # → 54.55, every whole period the same (not 3 x 18.18 = 54.54)
        self.assertEqual(a.channel_order_id.order_line.channel_commission, 54.55)
        february = self._bill_on(FEB_1)
        first = self._lines(february, a).filtered("channel_period_id.period_days")
        self.assertEqual(first.price_subtotal, 140.76)
        self.assertEqual(
            sorted(self._lines(february, a).mapped("price_subtotal")),
            [140.76, 218.18],
        )
        self.assertEqual(self._lines(february, b).mapped("price_subtotal"), [72.73] * 2)
        # first period 54.5454… x 20/31 = 35.190… → 35.19; February 54.55
        self.assertEqual(
            sorted(a.channel_period_ids.mapped("commission")), [35.19, 54.55]
        )
        # the document is the sum of its lines and of the next amounts:
        # 358.94 + 145.46 = 504.40; with VAT 170.32 + 264 + 88 + 88 = 610.32
        self.assertEqual(
            (february.amount_untaxed, february.amount_tax, february.amount_total),
            (504.40, 105.92, 610.32),
        )
        self.assertEqual(self._next_amount(FEB_1, a), 218.18)
        self.assertEqual(self._next_amount(FEB_1, b), 145.46)

    def test_rounded_globally(self):
        """Rounded globally, co-termed on the 1st: S1 a seat from Jan 20th
        (12 of 31 days: 80 x 12/31 = 30.968… → 30.97), S2 a seat from Jan
        9th (23 of 31: 80 x 23/31 = 59.354… → 59.35), S3 a licence and a
        support from Jan 1st (72.73 each). Each prorated amount has one
        unit price with VAT only whose untaxed amount it is (37.47: 37.46
        is 30.96, 37.48 is 30.98; 71.81: 71.80 is 59.34, 71.82 is 59.36):
        no choice of prices makes the document's untaxed amount the sum of
        its lines. What holds, to the cent, is pinned here."""
        self.company.tax_calculation_rounding_method = "round_globally"
        self._coterm_on_the_first()
        s3 = self._subscribe_on(JAN_1, [(self.licence, 1), (self.support, 1)])
        january = self._bill_on(JAN_1)
        # S3 alone: its lines 72.73 + 72.73 = 145.46; the document 176.00
        # with VAT, 176 / 1.21 = 145.454… → 145.45 untaxed, 30.55 VAT
        self.assertEqual(self._sum(self._lines(january), "price_subtotal"), 145.46)
        self.assertEqual(
            (january.amount_untaxed, january.amount_tax, january.amount_total),
            (145.45, 30.55, 176.0),
        )
        january.action_post()
        s2 = self._subscribe_on(date(2027, 1, 9), [(self.seat, 1)])
        s1 = self._subscribe_on(date(2027, 1, 20), [(self.seat, 1)])
        # the form and the portal: what each subscription's lines bill on
        # Feb 1st, each line rounded as it is billed
        day = date(2027, 1, 21)
        self.assertEqual(self._next_amount(day, s1), 110.97)  # 30.97 + 80
        self.assertEqual(self._next_amount(day, s2), 139.35)  # 59.35 + 80
        self.assertEqual(self._next_amount(day, s3), 145.46)  # 72.73 + 72.73

        february = self._bill_on(FEB_1)
        lines = self._lines(february)
        # each line bills its period's amount (untaxed) and its price with
        # VAT: the periods' amounts, S1 30.97 (37.47), S2 59.35 (71.81),
        # February 80 (96.80) each, 72.73 (88.00) each
        for contract, subtotals, totals, amount in (
            (s1, [30.97, 80.0], [37.47, 96.8], 110.97),
            (s2, [59.35, 80.0], [71.81, 96.8], 139.35),
            (s3, [72.73, 72.73], [88.0, 88.0], 145.46),
        ):
            own = self._lines(february, contract).sorted("price_subtotal")
            self.assertEqual(own.mapped("price_subtotal"), subtotals)
            self.assertEqual(own.mapped("price_total"), totals)
            # the next amount shown was what its lines bill
            self.assertEqual(self._sum(own, "price_subtotal"), amount)
        # the lines: 30.97 + 59.35 + 160 + 145.46 = 395.78 untaxed, 37.47 +
        # 71.81 + 193.60 + 176 = 478.88 with VAT
        self.assertEqual(self._sum(lines, "price_subtotal"), 395.78)
        self.assertEqual(self._sum(lines, "price_total"), 478.88)
        # the document: the total with VAT is the lines'; its untaxed
        # amount is Odoo's rounding of their sum unrounded (478.88 / 1.21 =
        # 395.768… → 395.77), a cent below the lines; VAT the rest, 83.11
        self.assertEqual(
            (february.amount_untaxed, february.amount_tax, february.amount_total),
            (395.77, 83.11, 478.88),
        )
        february.action_post()
        # the ledger, Odoo's invoice analysis and the channel analysis say
        # the document's untaxed amount: Odoo books the cent on one line
        self.assertEqual(-self._sum(lines, "balance"), 395.77)
        self.assertEqual(self._invoice_report(february), 395.77)
        self.assertEqual(self._analysis(february), 395.77)
        moved = lines.filtered(
            lambda line: self.currency.compare_amounts(
                -line.balance, line.price_subtotal
            )
        )
        self.assertEqual(len(moved), 1)
        self.assertEqual(
            self.currency.round(-moved.balance - moved.price_subtotal), -0.01
        )
        tax_lines = february.line_ids.filtered(lambda line: line.display_type == "tax")
        self.assertEqual(-self._sum(tax_lines, "balance"), 83.11)

    def test_order_and_periods_earn_the_same(self):
        """7 licences: listed 110.00 with VAT (90.9090… untaxed), sold at
        88.00 (72.7272…), a licence earns 18.1818…: 7 of them 127.2727… →
        127.27 on the order line and on every period (not 7 x 90.91 -
        509.09 = 127.28, the list price rounded first)."""
        contract = self._subscribe_on(JAN_1, [(self.licence, 7)])
        self.assertEqual(
            contract.channel_order_id.order_line.channel_commission, 127.27
        )
        # 7 x 88.00 = 616.00 with VAT, 616 / 1.21 = 509.0909… → 509.09
        self.assertEqual(self._next_amount(JAN_1, contract), 509.09)
        with freeze_time(noon(JAN_1)):
            january = self._bill(self.distributor_a, JAN_1)
        self.assertEqual(january.amount_untaxed, 509.09)
        self.assertEqual(contract.channel_period_ids.commission, 127.27)
        self.assertEqual(self._lines(january).channel_commission, 127.27)

    def test_cancel_credits_what_is_left_with_its_vat(self):
        """3 seats (96.80 with VAT) from Jan 1st, billed; 3 -> 2 on Jan
        11th, credited on a credit note; the order cancelled (*Credit*) on
        Jan 15th: the credit note of what January's line billed and was
        not credited yet credits it untaxed, its VAT on top."""
        self.company.channel_cancel_invoiced = "credit"
        Move = self.env["account.move"]
        contract = self._subscribe_on(JAN_1, [(self.seat, 3)])
        with freeze_time(noon(JAN_1)):
            january = self._bill(self.distributor_a, JAN_1)
            january.action_post()
        # 3 x 96.80 = 290.40 with VAT, 240.00 untaxed
        self.assertEqual((january.amount_untaxed, january.amount_total), (240.0, 290.4))
        day = date(2027, 1, 11)
        with freeze_time(noon(day)):
            contract.contract_line_ids._channel_change_quantity(2, day)
            credit = self._bill(self.distributor_a, day)
            credit.action_post()
        # Jan 11 - 31, 21 of 31 days: -80 x 21/31 = -54.193… → 54.19,
        # 65.57 with VAT
        self.assertEqual(credit.move_type, "out_refund")
        self.assertEqual((credit.amount_untaxed, credit.amount_total), (54.19, 65.57))
        with freeze_time(noon(date(2027, 1, 15))):
            before = Move.search([])
            contract.channel_order_id.with_context(
                disable_cancel_warning=True
            ).action_cancel()
        rest = Move.search([("id", "not in", before.ids)])
        self.assertEqual(rest.move_type, "out_refund")
        self.assertEqual(rest.reversed_entry_id, january)
        # 240.00 - 54.19 = 185.81 untaxed, 290.40 - 65.57 = 224.83 with VAT
        # (not 185.81 with VAT, 153.56 untaxed)
        self.assertEqual(
            (rest.amount_untaxed, rest.amount_tax, rest.amount_total),
            (185.81, 39.02, 224.83),
        )

    def test_plain_invoice_rounded_globally(self):
        """Odoo's own rule, without a subscription: two lines of 21.53 with
        21 % VAT are 17.79 untaxed each; rounded globally the invoice says
        43.06 / 1.21 = 35.586… → 35.59 untaxed, 7.47 VAT."""
        self.company.tax_calculation_rounding_method = "round_globally"
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer_a.id,
                "invoice_date": JAN_1,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Plain",
                            "quantity": 1.0,
                            "price_unit": 21.53,
                            "tax_ids": [Command.set(self.vat_included.ids)],
                        }
                    )
                    for __ in range(2)
                ],
            }
        )
        self.assertEqual(invoice.invoice_line_ids.mapped("price_subtotal"), [17.79] * 2)
        self.assertEqual(
            (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total),
            (35.59, 7.47, 43.06),
        )
