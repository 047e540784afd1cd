# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a finance controller tried in a year of billing that the earlier
walks (``test_finance_year``, ``test_finance_coterm_year``) did not: VAT on
prorated periods and changes under both rounding methods, a distributor
changing its invoicing day and frequency mid-year, co-termed edges (in
arrears from the 29th-31st, a yearly licence's quantity, a book change
mid-term), the analysis and the printed documents of a co-termed year.
Every figure is a hand computation written in the test (literal figures,
not the code's), the clock frozen at noon of each day."""

from datetime import date, timedelta
from itertools import pairwise

from lxml import html as lxml_html

from odoo import Command
from odoo.addons.channel_distribution_contract.tests import (
    test_analysis_reconciles as analysis_walk,
)
from odoo.tests import new_test_user, tagged
from odoo.tools.misc import formatLang

from .common import FinanceWalkCase


def d(month, day, year=2027):
    return date(year, month, day)


def has_class(name):
    """An XPath test of an HTML class (``hasclass`` is Odoo's own)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


class ControllerWalkCase(FinanceWalkCase):
    """The controller's helpers: runs of the scheduled job, finance's own
    runs, rows of service dates and amounts, the contiguity of billed
    periods. Distributor A: Gold book, a 100 seat costs it 80, a 1,200
    yearly licence 960."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_yearly = cls._create_product_yearly(
            name="Test Controller Yearly Licence"
        )
        cls.accountant = new_test_user(
            cls.env,
            "controller_walk_accountant",
            groups="base.group_user,account.group_account_invoice",
        )

    def _schedule(self, distributor, day, coterm=False, period="monthly", **more):
        """A channel manager's change of the distributor's invoicing terms
        on ``day``."""
        with self._at(day):
            distributor.write(
                {
                    "channel_coterm": coterm,
                    "channel_invoicing_period": period,
                    **more,
                }
            )

    def _start_priced(self, day, product, quantity, price):
        """A subscription of ``quantity`` ``product`` sold at ``price`` (a
        negotiated price) from ``day``."""
        with self._at(day):
            vals = self._order_vals(
                self.distributor_a, self.customer_a, [(product, quantity)]
            )
            vals["order_line"][0][2].update({"date_start": day, "price_unit": price})
            order = self.env["sale.order"].create(vals)
            order.action_confirm()
        return self.env["contract.contract"].search(
            [("channel_order_id", "=", order.id)]
        )

    def _doc(self, move):
        """``(untaxed, tax, total)`` of a move, as printed on it."""
        return (move.amount_untaxed, move.amount_tax, move.amount_total)

    def _billed(self, contract):
        """Posted invoice lines (not credit notes) of ``contract``'s
        periods."""
        return self.env["account.move.line"].search(
            [
                ("contract_line_id.contract_id", "=", contract.id),
                ("channel_period_id", "!=", False),
                ("display_type", "=", "product"),
                ("move_id.state", "=", "posted"),
                ("move_id.move_type", "=", "out_invoice"),
            ]
        )

    def _posted_moves(self, distributor=None):
        distributor = distributor or self.distributor_a
        return self.env["account.move"].search(
            [
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("commercial_partner_id", "=", distributor.id),
            ]
        )

    def _periods(self, contract):
        """The periods billed for ``contract`` (posted invoice lines),
        sorted; each once."""
        periods = sorted(
            (line.start_date, line.end_date) for line in self._billed(contract)
        )
        self._is(len(periods), len(set(periods)), f"{contract.name}: billed once")
        return periods

    def _contiguous(self, contract, first_start):
        """The periods billed for ``contract`` follow each other from
        ``first_start``, without a gap or an overlap."""
        periods = self._periods(contract)
        self._is(periods[0][0], first_start, "first day billed")
        for (__, end), (start, __) in pairwise(periods):
            with self.subTest(contract=contract.name, after=end):
                self.assertEqual((start - end).days, 1)
        return periods

    def _no_negative_lines(self, moves):
        """An invoice holds no credit, a credit note no sale: every product
        line is positive on its document."""
        for move in moves:
            for line in self._products(move):
                with self.subTest(move=move.name, line=line.name):
                    self.assertGreater(line.price_subtotal, 0)


@tagged("post_install", "-at_install")
class TestFinanceVatYear(ControllerWalkCase):
    """VAT (21 %) on a co-termed year: prorated first periods, prorated
    charges and credits, per line and globally rounded
    (``tax_calculation_rounding_method``).

    Distributor A invoiced on the 1st, co-terming on from Dec 20th 2026.
    S2: 3 seats from Jan 2nd; Y: a yearly licence from Jan 10th; S1: 7
    seats from Jan 15th. Mar 8th S2 3 -> 2 and Mar 10th S1 7 -> 4 (one
    credit note of two lines); May 15th Y 1 -> 2 and May 20th S1 4 -> 6
    (charges). Twelve runs, Feb 1st 2027 to Jan 1st 2028."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vat = cls.env["account.tax"].create(
            {
                "name": "Test Controller VAT 21",
                "amount": 21.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
            }
        )
        (cls.product_monthly | cls.product_yearly).write(
            {"taxes_id": [Command.set(cls.vat.ids)]}
        )

    def _vat_year(self, per_line):
        """The walk; ``per_line``: the figures rounded per line, else
        globally. Returns nothing: every figure is checked on the way."""
        self.company.tax_calculation_rounding_method = (
            "round_per_line" if per_line else "round_globally"
        )
        dist = self.distributor_a
        Move = self.env["account.move"]
        self._schedule(dist, d(12, 20, 2026), coterm=True, channel_invoicing_monthday=1)
        self._is(self._run(d(1, 1)), (Move, Move))
        s2 = self._start(d(1, 2), [(self.product_monthly, 3)])
        y = self._start(d(1, 10), [(self.product_yearly, 1)])
        s1 = self._start(d(1, 15), [(self.product_monthly, 7)])

        # ------------------------------------------------- Feb 1: six lines
        feb, __ = self._run(d(2, 1))
        # S2 Jan 2-31: 3 x 80 x 30/31 = 232.258 -> 232.26 (VAT 48.7746)
        # S2 Feb: 3 x 80 = 240.00 (VAT 50.40)
        # Y Jan 10-31: 22 of the 365 days of Feb 1 2026 - Jan 31 2027:
        #   960 x 22/365 = 57.863 -> 57.86 (VAT 12.1506)
        # Y Feb 1 2027 - Jan 31 2028: 960.00 (VAT 201.60)
        # S1 Jan 15-31: 7 x 80 x 17/31 = 307.097 -> 307.10 (VAT 64.491)
        # S1 Feb: 7 x 80 = 560.00 (VAT 117.60)
        # untaxed 2,357.22
        # VAT per line: 48.77 + 50.40 + 12.15 + 201.60 + 64.49 + 117.60
        #   = 495.01
        # VAT globally: 2,357.22 x 21 % = 495.0162 -> 495.02
        self._is(
            self._rows(feb),
            sorted(
                [
                    (d(1, 2), d(1, 31), 232.26),
                    (d(2, 1), d(2, 28), 240.0),
                    (d(1, 10), d(1, 31), 57.86),
                    (d(2, 1), d(1, 31, 2028), 960.0),
                    (d(1, 15), d(1, 31), 307.10),
                    (d(2, 1), d(2, 28), 560.0),
                ]
            ),
        )
        self._is(
            self._doc(feb),
            (2357.22, 495.01, 2852.23) if per_line else (2357.22, 495.02, 2852.24),
        )
        self._post(d(2, 1), feb)

        # ------------------------------------------------------------ March
        mar, __ = self._run(d(3, 1))
        # S2 240.00 + S1 560.00 = 800.00, VAT 168.00
        self._is(self._doc(mar), (800.0, 168.0, 968.0))
        self._post(d(3, 1), mar)
        # S2 3 -> 2 from Mar 8 (24 of 31 days): -1 x 80 x 24/31 = -61.935
        #   -> -61.94 (VAT 13.0074)
        # S1 7 -> 4 from Mar 10 (22 days): -3 x 80 x 22/31 = -170.322
        #   -> -170.32 (VAT 35.7672)
        self._is(self._change(s2, d(3, 8), 2).amount, -61.94)
        self._is(self._change(s1, d(3, 10), 4).amount, -170.32)

        # ------------------------------------------------------------ April
        resale, __ = self._run(d(4, 1))
        apr = self._kind(resale, "out_invoice")
        apr_refund = self._kind(resale, "out_refund")
        # invoice: S1 4 x 80 = 320.00 + S2 2 x 80 = 160.00 = 480.00, VAT
        # 100.80; credit note of March's: 61.94 + 170.32 = 232.26
        # VAT per line: 13.01 + 35.77 = 48.78
        # VAT globally: 232.26 x 21 % = 48.7746 -> 48.77
        self._is(self._doc(apr), (480.0, 100.80, 580.80))
        self._is(apr_refund.reversed_entry_id, mar)
        self._is(
            self._rows(apr_refund),
            [(d(3, 8), d(3, 31), 61.94), (d(3, 10), d(3, 31), 170.32)],
        )
        self._is(
            self._doc(apr_refund),
            (232.26, 48.78, 281.04) if per_line else (232.26, 48.77, 281.03),
        )
        self._post(d(4, 1), resale)

        # -------------------------------------------------------------- May
        may, __ = self._run(d(5, 1))
        self._is(self._doc(may), (480.0, 100.80, 580.80))
        self._post(d(5, 1), may)
        # Y 1 -> 2 from May 15, co-termed yearly: 262 of the 365 days of
        # Feb 1 2027 - Jan 31 2028: +1 x 960 x 262/365 = 689.096 -> 689.10
        # (VAT 144.711)
        self._is(self._change(y, d(5, 15), 2).amount, 689.10)
        # S1 4 -> 6 from May 20 (12 of 31 days): +2 x 80 x 12/31 = 61.935
        # -> 61.94 (VAT 13.0074)
        self._is(self._change(s1, d(5, 20), 6).amount, 61.94)

        # ------------------------------------------------------------- June
        jun, __ = self._run(d(6, 1))
        # S1 6 x 80 = 480.00 + S2 160.00 + 689.10 + 61.94 = 1,391.04
        # VAT per line: 100.80 + 33.60 + 144.71 + 13.01 = 292.12
        # VAT globally: 1,391.04 x 21 % = 292.1184 -> 292.12
        self._is(jun.mapped("move_type"), ["out_invoice"])
        self._is(self._doc(jun), (1391.04, 292.12, 1683.16))
        self._post(d(6, 1), jun)

        # ---------------------------------------- July to January 2028
        for day in (
            d(7, 1),
            d(8, 1),
            d(9, 1),
            d(10, 1),
            d(11, 1),
            d(12, 1),
            d(1, 1, 2028),
        ):
            resale, __ = self._run(day)
            # S1 480.00 + S2 160.00 = 640.00, VAT 134.40
            self._is(self._doc(resale), (640.0, 134.40, 774.40), str(day))
            self._post(day, resale)

        # ---------------------------------------------------------- the year
        # S1 307.10 + 560 + 560 - 170.32 + 320 + 320 + 61.94 + 8 x 480
        #   = 5,798.72
        # S2 232.26 + 240 + 240 - 61.94 + 10 x 160 = 2,250.32
        # Y 57.86 + 960 + 689.10 = 1,706.96
        self._is(self._net(s1), 5798.72)
        self._is(self._net(s2), 2250.32)
        self._is(self._net(y), 1706.96)
        moves = self._posted_moves()
        self._is(len(self._kind(moves, "out_refund")), 1)
        self._no_negative_lines(moves)
        # invoices 2,357.22 + 800 + 480 + 480 + 1,391.04 + 7 x 640
        #   = 9,988.26, less the credit note 232.26 = 9,756.00
        # VAT per line 495.01 + 168 + 100.80 + 100.80 + 292.12 + 7 x 134.40
        #   = 2,097.53, less 48.78 = 2,048.75
        # VAT globally 2,097.54 less 48.77 = 2,048.77
        self._is(round(sum(moves.mapped("amount_untaxed_signed")), 2), 9756.0)
        self._is(
            round(sum(moves.mapped("amount_tax_signed")), 2),
            2048.75 if per_line else 2048.77,
        )
        self._is(
            round(sum(moves.mapped("amount_total_signed")), 2),
            11804.75 if per_line else 11804.77,
        )
        # the receivable is the documents' totals
        receivable = moves.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        self._is(
            round(sum(receivable.mapped("balance")), 2),
            11804.75 if per_line else 11804.77,
        )
        self._contiguous(s1, d(1, 15))
        self._contiguous(s2, d(1, 2))
        self._is(
            self._contiguous(y, d(1, 10)),
            [(d(1, 10), d(1, 31)), (d(2, 1), d(1, 31, 2028))],
        )

    def test_vat_year_rounded_per_line(self):
        self._vat_year(per_line=True)

    def test_vat_year_rounded_globally(self):
        self._vat_year(per_line=False)


@tagged("post_install", "-at_install")
class TestFinanceScheduleChange(ControllerWalkCase):
    """A distributor changing its invoicing day and frequency mid-year: no
    period billed twice, none skipped, service dates contiguous."""

    def _walk(self, runs, changes, subscriptions):
        """Every day from the first run to the last, the scheduled job runs
        for the distributor when it is due (as the cron does), after the
        day's ``changes`` (``{day: callable}``); returns ``{day: resale
        invoice}`` of the days it ran."""
        SaleOrder = self.env["sale.order"]
        day, last = min(runs), max(runs)
        ran = {}
        while day <= last:
            if day in changes:
                changes[day]()
            with self._at(day):
                due = SaleOrder._channel_distributors_due(day, self.distributor_a)
            if due:
                resale, agency = self._run(day)
                self.assertFalse(agency)
                ran[day] = resale
                if resale:
                    self._post(day, resale)
            day += timedelta(days=1)
        self._is(sorted(ran), sorted(runs), "the days the job ran")
        for day, expected in runs.items():
            got = ran.get(day, self.env["account.move"])
            self._is(
                {
                    name: self._rows(got, contract)
                    for name, contract in subscriptions.items()
                },
                expected,
                str(day),
            )
        return ran

    def test_invoicing_day_and_frequency_changed(self):
        """Distributor A, not co-termed, monthly on the 1st from Dec 20th
        2026. M 2 seats from Jan 1st (160 a month), H 1 seat from Jan 15th
        (periods from the 15th, 80), P 1 seat in arrears from Jan 10th
        (periods from the 10th, 80, billed after they end). Mar 10th: the
        invoicing day becomes the 15th; May 20th: weekly on Mondays; Jul
        20th: monthly on the 31st (the last day of shorter months)."""
        dist = self.distributor_a
        self._schedule(dist, d(12, 20, 2026), channel_invoicing_monthday=1)
        subs = {}

        def start_m():
            subs["M"] = self._start(d(1, 1), [(self.product_monthly, 2)])

        def start_p():
            subs["P"] = self._start(d(1, 10), [(self.product_arrears, 1)])

        def start_h():
            subs["H"] = self._start(d(1, 15), [(self.product_monthly, 1)])

        start_m()
        # the Jan 1 run: M's January (H and P not started yet)
        jan, __ = self._run(d(1, 1))
        self._is(self._rows(jan), [(d(1, 1), d(1, 31), 160.0)])
        self._post(d(1, 1), jan)
        start_p()
        start_h()

        def next_invoices(day, expected):
            """*Next Invoice* of each subscription on ``day``: the run that
            will bill its next period."""
            with self._at(day):
                for name, contract in subs.items():
                    contract.invalidate_recordset()
                    self._is(
                        contract.channel_next_invoice_date,
                        expected[name],
                        f"{day} {name}",
                    )

        def to_15th():
            self._schedule(dist, d(3, 10), channel_invoicing_monthday=15)
            with self._at(d(3, 10)):
                self._is(dist.channel_invoicing_next_date, d(3, 15))
            # M Apr 1 (before Apr 15) and P Feb 10 - Mar 9 (ended) on Mar
            # 15; H Apr 15 on Apr 15
            next_invoices(d(3, 10), {"M": d(3, 15), "H": d(4, 15), "P": d(3, 15)})

        def to_weekly():
            self._schedule(
                dist, d(5, 20), period="weekly", channel_invoicing_weekday="0"
            )
            with self._at(d(5, 20)):
                # the first Monday after the change
                self._is(dist.channel_invoicing_next_date, d(5, 24))
            # M Jul 1 on Jun 28 (the next run is Jul 5); H Jun 15 on Jun 14;
            # P May 10 - Jun 9 on Jun 14
            next_invoices(d(5, 20), {"M": d(6, 28), "H": d(6, 14), "P": d(6, 14)})

        def to_31st():
            self._schedule(dist, d(7, 20), channel_invoicing_monthday=31)
            with self._at(d(7, 20)):
                self._is(dist.channel_invoicing_next_date, d(7, 31))
            # M Aug 1 and H Aug 15 on Jul 31; P Jul 10 - Aug 9 on Aug 31
            next_invoices(d(7, 20), {"M": d(7, 31), "H": d(7, 31), "P": d(8, 31)})

        # A run bills each pre-paid period that starts before the next run
        # (its horizon: the day before it) and each period in arrears that
        # ended before the run. Hand: which run bills which period.
        m, h, p = (
            lambda s, e: (s, e, 160.0),
            lambda s, e: (s, e, 80.0),
            lambda s, e: (s, e, 80.0),
        )
        nothing = {"M": [], "H": [], "P": []}
        runs = {
            # on the 1st, horizon the last day of the month
            d(2, 1): {
                "M": [m(d(2, 1), d(2, 28))],
                "H": [h(d(1, 15), d(2, 14)), h(d(2, 15), d(3, 14))],
                "P": [],  # Jan 10 - Feb 9 not ended
            },
            d(3, 1): {
                "M": [m(d(3, 1), d(3, 31))],
                "H": [h(d(3, 15), d(4, 14))],
                "P": [p(d(1, 10), d(2, 9))],
            },
            # the 15th from Mar 10: Mar 15 (horizon Apr 14), Apr 15 (May
            # 14), May 15 (Jun 14)
            d(3, 15): {
                "M": [m(d(4, 1), d(4, 30))],
                "H": [],  # Apr 15 starts after the horizon
                "P": [p(d(2, 10), d(3, 9))],
            },
            d(4, 15): {
                "M": [m(d(5, 1), d(5, 31))],
                "H": [h(d(4, 15), d(5, 14))],
                "P": [p(d(3, 10), d(4, 9))],
            },
            d(5, 15): {
                "M": [m(d(6, 1), d(6, 30))],
                "H": [h(d(5, 15), d(6, 14))],
                "P": [p(d(4, 10), d(5, 9))],
            },
            # weekly on Mondays from May 24 (horizon: the Sunday after)
            d(5, 24): nothing,
            d(5, 31): nothing,
            d(6, 7): nothing,
            d(6, 14): {
                "M": [],
                "H": [h(d(6, 15), d(7, 14))],
                "P": [p(d(5, 10), d(6, 9))],
            },
            d(6, 21): nothing,
            d(6, 28): {"M": [m(d(7, 1), d(7, 31))], "H": [], "P": []},
            d(7, 5): nothing,
            d(7, 12): {
                "M": [],
                "H": [h(d(7, 15), d(8, 14))],
                "P": [p(d(6, 10), d(7, 9))],
            },
            d(7, 19): nothing,
            # monthly on the 31st from Jul 20: Jul 31 (horizon Aug 30), Aug
            # 31, Sep 30, Oct 31
            d(7, 31): {
                "M": [m(d(8, 1), d(8, 31))],
                "H": [h(d(8, 15), d(9, 14))],
                "P": [],  # Jul 10 - Aug 9 not ended
            },
            d(8, 31): {
                "M": [m(d(9, 1), d(9, 30))],
                "H": [h(d(9, 15), d(10, 14))],
                "P": [p(d(7, 10), d(8, 9))],
            },
            d(9, 30): {
                "M": [m(d(10, 1), d(10, 31))],
                "H": [h(d(10, 15), d(11, 14))],
                "P": [p(d(8, 10), d(9, 9))],
            },
            d(10, 31): {
                "M": [m(d(11, 1), d(11, 30))],
                "H": [h(d(11, 15), d(12, 14))],
                "P": [p(d(9, 10), d(10, 9))],
            },
        }
        subs = {"M": subs["M"], "H": subs["H"], "P": subs["P"]}
        self._walk(
            runs, {d(3, 10): to_15th, d(5, 20): to_weekly, d(7, 20): to_31st}, subs
        )
        # M Jan - Nov: 11 x 160 = 1,760.00; H Jan 15 - Dec 14: 11 x 80 =
        # 880.00; P Jan 10 - Oct 9: 9 x 80 = 720.00
        self._is(self._contiguous(subs["M"], d(1, 1))[-1], (d(11, 1), d(11, 30)))
        self._is(self._contiguous(subs["H"], d(1, 15))[-1], (d(11, 15), d(12, 14)))
        self._is(self._contiguous(subs["P"], d(1, 10))[-1], (d(9, 10), d(10, 9)))
        self._is(self._net(subs["M"]), 1760.0)
        self._is(self._net(subs["H"]), 880.0)
        self._is(self._net(subs["P"]), 720.0)
        self._is(
            round(sum(self._posted_moves().mapped("amount_untaxed_signed")), 2),
            3360.0,
        )

    def test_coterm_invoicing_day_changed(self):
        """Distributor A co-termed on the 1st from Jan 10th 2027: S 3 seats
        from Jan 15th (aligned to the 1st). Mar 10th: the invoicing day
        becomes the 15th (co-terming kept): S keeps its periods on the 1st;
        T, 2 seats from Mar 20th, aligns to the 15th."""
        dist = self.distributor_a
        self._schedule(dist, d(1, 10), coterm=True, channel_invoicing_monthday=1)
        s = self._start(d(1, 15), [(self.product_monthly, 3)])
        feb, __ = self._run(d(2, 1))
        # S Jan 15-31: 3 x 80 x 17/31 = 131.613 -> 131.61; February 240.00
        self._is(
            self._rows(feb),
            [(d(1, 15), d(1, 31), 131.61), (d(2, 1), d(2, 28), 240.0)],
        )
        self._post(d(2, 1), feb)
        mar, __ = self._run(d(3, 1))
        self._is(self._rows(mar), [(d(3, 1), d(3, 31), 240.0)])
        self._post(d(3, 1), mar)
        self._schedule(dist, d(3, 10), coterm=True, channel_invoicing_monthday=15)
        mar15, __ = self._run(d(3, 15))
        # horizon Apr 14: S's April
        self._is(self._rows(mar15), [(d(4, 1), d(4, 30), 240.0)])
        self._post(d(3, 15), mar15)
        t = self._start(d(3, 20), [(self.product_monthly, 2)])
        self._is(s.contract_line_ids.channel_coterm_day, 1)
        self._is(t.contract_line_ids.channel_coterm_day, 15)
        apr15, __ = self._run(d(4, 15))
        # horizon May 14: S May 240.00; T Mar 20 - Apr 14, 26 of the 31
        # days of Mar 15 - Apr 14: 2 x 80 x 26/31 = 134.194 -> 134.19, and
        # T Apr 15 - May 14 160.00
        self._is(self._rows(apr15, s), [(d(5, 1), d(5, 31), 240.0)])
        self._is(
            self._rows(apr15, t),
            [(d(3, 20), d(4, 14), 134.19), (d(4, 15), d(5, 14), 160.0)],
        )
        self._is(apr15.amount_untaxed, 534.19)
        self._post(d(4, 15), apr15)
        may15, __ = self._run(d(5, 15))
        self._is(self._rows(may15, s), [(d(6, 1), d(6, 30), 240.0)])
        self._is(self._rows(may15, t), [(d(5, 15), d(6, 14), 160.0)])
        self._post(d(5, 15), may15)
        self._contiguous(s, d(1, 15))
        self._contiguous(t, d(3, 20))
        # S 131.61 + 5 x 240 = 1,331.61; T 134.19 + 2 x 160 = 454.19
        self._is(self._net(s), 1331.61)
        self._is(self._net(t), 454.19)


@tagged("post_install", "-at_install")
class TestFinanceCotermEdges(ControllerWalkCase):
    """Co-termed edges: in arrears from the 29th-31st, a quantity change in
    a yearly licence's first period not billed yet, a book change mid-term
    with a negotiated line beside, the analysis and the printed documents
    of that year, a cancelled order whose invoice was credited and billed
    again."""

    # the analysis's default views and the posted documents, per month, as
    # the analysis walk reads them (issue 25 item 12)
    _default_domain = analysis_walk.TestAnalysisReconciles._default_domain
    _analysis = analysis_walk.TestAnalysisReconciles._analysis
    _posted = analysis_walk.TestAnalysisReconciles._posted

    def test_coterm_in_arrears_from_month_end(self):
        """A co-termed on the 1st: P1 2 units in arrears from Jan 31st, P3
        1 unit from Jan 30th. B (resale) co-termed on the 30th: P2 1 unit
        from Jan 31st (its first period ends on Feb 27th, the day before
        February's invoicing day, the 28th)."""
        a, b = self.distributor_a, self.distributor_b
        self._schedule(a, d(1, 20), coterm=True, channel_invoicing_monthday=1)
        self._schedule(b, d(1, 20), coterm=True, channel_invoicing_monthday=30)
        p3 = self._start(d(1, 30), [(self.product_arrears, 1)])
        p1 = self._start(d(1, 31), [(self.product_arrears, 2)])
        p2 = self._start(
            d(1, 31),
            [(self.product_arrears, 1)],
            b,
            self.customer_b,
            financial_role="distributor",
        )
        # in arrears: billed on the invoicing day after the period
        self._is(p1.contract_line_ids.recurring_next_date, d(2, 1))
        self._is(p3.contract_line_ids.recurring_next_date, d(2, 1))
        self._is(p2.contract_line_ids.recurring_next_date, d(2, 28))
        # A on Feb 1: P1 Jan 31, 1 of January's 31 days: 2 x 80 x 1/31 =
        # 5.161 -> 5.16; P3 Jan 30-31: 1 x 80 x 2/31 = 5.161 -> 5.16
        feb, __ = self._run(d(2, 1), a)
        self._is(self._rows(feb, p1), [(d(1, 31), d(1, 31), 5.16)])
        self._is(self._rows(feb, p3), [(d(1, 30), d(1, 31), 5.16)])
        self._post(d(2, 1), feb)
        # B on Feb 28 (the 30th of a 28-day month): P2 Jan 31 - Feb 27, 28
        # of the 29 days of Jan 30 - Feb 27: 90 x 28/29 = 86.897 -> 86.90
        feb_b, __ = self._run(d(2, 28), b)
        self._is(self._rows(feb_b, p2), [(d(1, 31), d(2, 27), 86.90)])
        self._post(d(2, 28), feb_b)
        # A on Mar 1: February, 2 x 80 = 160.00 and 80.00
        mar, __ = self._run(d(3, 1), a)
        self._is(self._rows(mar, p1), [(d(2, 1), d(2, 28), 160.0)])
        self._is(self._rows(mar, p3), [(d(2, 1), d(2, 28), 80.0)])
        self._post(d(3, 1), mar)
        # B on Mar 30: Feb 28 - Mar 29, 90.00
        mar_b, __ = self._run(d(3, 30), b)
        self._is(self._rows(mar_b, p2), [(d(2, 28), d(3, 29), 90.0)])
        self._post(d(3, 30), mar_b)
        # B on Apr 30: Mar 30 - Apr 29, 90.00
        apr_b, __ = self._run(d(4, 30), b)
        self._is(self._rows(apr_b, p2), [(d(3, 30), d(4, 29), 90.0)])
        self._post(d(4, 30), apr_b)
        apr, __ = self._run(d(4, 1), a)
        self._is(self._rows(apr, p1), [(d(3, 1), d(3, 31), 160.0)])
        self._post(d(4, 1), apr)
        self._contiguous(p1, d(1, 31))
        self._contiguous(p2, d(1, 31))
        self._contiguous(p3, d(1, 30))
        # P1 5.16 + 160 + 160 = 325.16; P2 86.90 + 90 + 90 = 266.90;
        # P3 5.16 + 80 + 80 = 165.16
        self._is(self._net(p1), 325.16)
        self._is(self._net(p2), 266.90)
        self._is(self._net(p3), 165.16)

    def test_coterm_yearly_changed_before_first_billing(self):
        """A co-termed on the 1st: Y a yearly licence from Jan 10th, 1 -> 3
        on Jan 20th, before its first period (Jan 10-31) is billed on Feb
        1st. The first period ran 10 days at 1 and 12 days at 3."""
        self._schedule(
            self.distributor_a, d(1, 5), coterm=True, channel_invoicing_monthday=1
        )
        y = self._start(d(1, 10), [(self.product_yearly, 1)])
        self._change(y, d(1, 20), 3)
        feb, __ = self._run(d(2, 1))
        # the first period billed at 3 and, in its section, the 10 days it
        # ran at 1 (as for a period billed in arrears): +3 x 960 x 22/365
        # = 173.589 -> 173.59; -2 x 960 x 10/365 = -52.603 -> -52.60; the
        # year at 3: 2,880.00
        self._is(
            self._rows(feb),
            [
                (d(1, 10), d(1, 19), -52.60),
                (d(1, 10), d(1, 31), 173.59),
                (d(2, 1), d(1, 31, 2028), 2880.0),
            ],
        )
        self._is(feb.amount_untaxed, 3000.99)
        self._post(d(2, 1), feb)
        mar, __ = self._run(d(3, 1))
        self._is(mar, self.env["account.move"])
        # Jan 10-31 at 960 a year over the 365 days of Feb 1 2026 - Jan 31
        # 2027: (1 x 10 + 3 x 12) / 365 x 960 = 46 x 960/365 = 120.986
        # -> 120.99 (to the cent, as the parts are rounded: 3 x 960 x
        # 22/365 = 173.589 -> 173.59, less 2 x 960 x 10/365 = 52.603 ->
        # 52.60: 120.99); the year Feb 1 2027 - Jan 31 2028 at 3: 2,880.00
        self._is(self._net(y), 3000.99)
        moves = self._posted_moves()
        self._is(round(sum(moves.mapped("amount_untaxed_signed")), 2), 3000.99)
        self._contiguous(y, d(1, 10))

    def test_coterm_book_change_analysis_and_print(self):
        """A co-termed on the 1st from Feb 20th 2027. Y a yearly licence
        from Mar 10th; S 2 seats from Mar 20th (at the book's 80: follows
        the book); N 1 seat from Mar 20th at a negotiated 70. The book goes
        to 25 % on Apr 15th (a seat 75); S 2 -> 5 on Apr 25th (at April's
        80); May credited in full on May 20th; Y 1 -> 2 on May 10th (at
        the 960 it was billed). Commission: list minus price (a seat 20 at
        80, 25 at 75, 30 at 70; the licence 240)."""
        dist = self.distributor_a
        self._schedule(dist, d(2, 20), coterm=True, channel_invoicing_monthday=1)
        y = self._start(d(3, 10), [(self.product_yearly, 1)])
        s = self._start(d(3, 20), [(self.product_monthly, 2)])
        n = self._start_priced(d(3, 20), self.product_monthly, 1, 70.0)
        self._is(n.contract_line_ids.channel_price_fixed, True)
        self._is(s.contract_line_ids.channel_price_fixed, False)

        # ------------------------------------------------------------ April
        apr, __ = self._run(d(4, 1))
        # Y Mar 10-31: 960 x 22/365 = 57.863 -> 57.86 (commission 240 x
        #   22/365 = 14.466 -> 14.47); Y Apr 1 2027 - Mar 31 2028 960.00
        #   (240.00)
        # S Mar 20-31: 2 x 80 x 12/31 = 61.935 -> 61.94 (2 x 20 x 12/31 =
        #   15.484 -> 15.48); S April 160.00 (40.00)
        # N Mar 20-31: 70 x 12/31 = 27.097 -> 27.10 (30 x 12/31 = 11.613
        #   -> 11.61); N April 70.00 (30.00)
        # = 1,336.90, commission 351.56
        self._is(
            self._rows(apr, y),
            [(d(3, 10), d(3, 31), 57.86), (d(4, 1), d(3, 31, 2028), 960.0)],
        )
        self._is(
            self._rows(apr, s),
            [(d(3, 20), d(3, 31), 61.94), (d(4, 1), d(4, 30), 160.0)],
        )
        self._is(
            self._rows(apr, n),
            [(d(3, 20), d(3, 31), 27.10), (d(4, 1), d(4, 30), 70.0)],
        )
        self._is(apr.amount_untaxed, 1336.90)
        self._is(apr.channel_commission, 351.56)
        self._post(d(4, 1), apr)
        with self._at(d(4, 15)):
            self.book_gold.item_ids.percent_price = 25.0
        # S 2 -> 5 from Apr 25 (6 of 30 days), at the 80 April was billed
        # at: +3 x 80 x 6/30 = 48.00 (commission 3 x 20 x 6/30 = 12.00)
        self._is(self._change(s, d(4, 25), 5).amount, 48.0)

        # -------------------------------------------------------------- May
        may, __ = self._run(d(5, 1))
        # S 5 x 75 = 375.00 (125.00) + 48.00 (12.00); N 70.00 (30.00), its
        # negotiated price kept = 493.00, commission 167.00
        self._is(
            self._rows(may, s), [(d(4, 25), d(4, 30), 48.0), (d(5, 1), d(5, 31), 375.0)]
        )
        self._is(self._rows(may, n), [(d(5, 1), d(5, 31), 70.0)])
        self._is(self._rows(may, y), [])
        self._is(may.amount_untaxed, 493.0)
        self._is(may.channel_commission, 167.0)
        self._post(d(5, 1), may)
        # Y 1 -> 2 from May 10: 327 of the 366 days of Apr 1 2027 - Mar 31
        # 2028, at 960: 960 x 327/366 = 857.705 -> 857.70 (commission 240
        # x 327/366 = 214.426 -> 214.43)
        self._is(self._change(y, d(5, 10), 2).amount, 857.70)
        may_credit = self._credit(d(5, 20), may)
        self._is(may_credit.amount_untaxed, 493.0)
        self._is(may_credit.channel_commission, 167.0)

        # ------------------------------------------------------------- June
        resale, __ = self._run(d(6, 1))
        # S 375.00 (125.00), N 70.00 (30.00), Y +857.70 (214.43)
        # = 1,302.70, commission 369.43; May stays credited
        self._is(resale.mapped("move_type"), ["out_invoice"])
        jun = resale
        self._is(jun.amount_untaxed, 1302.70)
        self._is(jun.channel_commission, 369.43)
        self._post(d(6, 1), jun)

        # --------------------------------- the analysis of the co-termed year
        # per month of the invoice date: April 1,336.90 / 351.56; May
        # 493.00 - 493.00 = 0 / 0; June 1,302.70 / 369.43
        expected = {
            d(4, 1): (1336.90, 351.56),
            d(5, 1): (0.0, 0.0),
            d(6, 1): (1302.70, 369.43),
        }
        with self._at(d(6, 2)):
            self._is(self._posted(dist), expected, "posted")
            for xmlid in (
                "channel_distribution.action_channel_sale_report",
                "channel_distribution_contract.action_channel_sale_report_recurring",
            ):
                self._is(self._analysis(xmlid, dist), expected, xmlid)
            dist.invalidate_recordset(["distributor_commission"])
            # 351.56 + 0 + 369.43 = 720.99
            self._is(self.currency.round(dist.distributor_commission), 720.99)

        # ------------------------------------------- the printed documents
        for move in (apr, may, may_credit, jun):
            self._check_printed(move)

    def _check_printed(self, move):
        """The consolidated invoice or credit note as printed: its product
        lines' amounts and its untaxed and total amounts are the move's,
        none negative; each section names its subscription and order."""
        report = self.env["ir.actions.report"]
        html = report._render_qweb_html("account.account_invoices", move.ids)[0]
        tree = lxml_html.fromstring(html)
        body = tree.xpath(f"//tbody[{has_class('invoice_tbody')}]")[0]
        printed = [
            " ".join(cell.text_content().split())
            for cell in body.xpath(".//td[@name='td_subtotal']")
        ]

        def money(amount):
            return " ".join(
                formatLang(self.env, amount, currency_obj=move.currency_id).split()
            )

        with self.subTest(printed=move.name):
            self.assertEqual(
                sorted(printed),
                sorted(money(line.price_subtotal) for line in self._products(move)),
            )
            self.assertFalse([amount for amount in printed if "-" in amount])
            totals = " ".join(
                " ".join(node.text_content().split())
                for node in tree.xpath(f"//table[{has_class('o_total_table')}]")
            )
            self.assertIn(money(move.amount_untaxed), totals)
            self.assertIn(money(move.amount_total), totals)
            self.assertNotIn("-", totals)
            sections = [
                " ".join(cell.text_content().split())
                for cell in body.xpath(f".//tr[{has_class('o_line_section')}]")
            ]
            self.assertEqual(len(sections), len(self._sections(move)))
            for section_line, text in zip(self._sections(move), sections, strict=True):
                contract = section_line.channel_contract_id
                self.assertTrue(contract, text)
                self.assertIn(contract.code or contract.name, text)
                self.assertIn(contract.channel_order_id.name, text)
            # one subtotal per section, of its lines
            subtotals = [
                " ".join(row.text_content().split())
                for row in body.xpath(
                    f".//tr[{has_class('o_channel_order_subtotal')} or "
                    f"{has_class('is-subtotal')}]"
                )
            ]
            expected = []
            current = None
            for line in move.invoice_line_ids.sorted(lambda x: (x.sequence, x.id)):
                if line.display_type == "line_section":
                    current = [line, 0.0]
                    expected.append(current)
                elif line.display_type == "product" and current:
                    current[1] += line.price_subtotal
            self.assertEqual(len(subtotals), len(expected), subtotals)
            for text, (__, amount) in zip(subtotals, expected, strict=True):
                self.assertTrue(text.endswith(money(amount)), (text, amount))

    def test_order_cancelled_after_reverse_and_rebill(self):
        """A co-termed on the 1st: order O sells 2 one-off services (2 x 80
        = 160) and starts S, 4 seats from Feb 1st (320 a month). March's
        invoice is credited and billed again by finance ("Reverse and
        Create Invoice", Mar 5th); on Mar 10th O is cancelled (setting
        *Credit*): what is billed and not credited is credited, each on a
        credit note of the invoice that bills it (the new March invoice, not
        the reversed one); nothing is billed after."""
        dist = self.distributor_a
        Move = self.env["account.move"]
        self._schedule(dist, d(1, 10), coterm=True, channel_invoicing_monthday=1)
        s = self._start(d(2, 1), [(self.product_monthly, 4), (self.product_service, 2)])
        order = s.channel_order_id
        feb, __ = self._run(d(2, 1))
        # S February 4 x 80 = 320.00 + the services 160.00
        self._is(feb.amount_untaxed, 480.0)
        self._post(d(2, 1), feb)
        mar, __ = self._run(d(3, 1))
        self._is(self._rows(mar), [(d(3, 1), d(3, 31), 320.0)])
        self._post(d(3, 1), mar)
        with self._at(d(3, 5)):
            wizard = (
                self.env["account.move.reversal"]
                .with_user(self.accountant)
                .with_context(active_model="account.move", active_ids=mar.ids)
                .create({"reason": "wrong PO", "journal_id": mar.journal_id.id})
            )
            wizard.modify_moves()
            mar_again = wizard.new_move_ids.filtered(
                lambda m: m.move_type == "out_invoice"
            )
        self._is(mar_again.amount_untaxed, 320.0)
        self._post(d(3, 5), mar_again)
        mar_credit = Move.search(
            [("reversed_entry_id", "=", mar.id), ("move_type", "=", "out_refund")]
        )
        self._is(mar_credit.amount_untaxed, 320.0)
        self._is(mar_credit.state, "posted")

        self.company.channel_cancel_invoiced = "credit"
        before = Move.search([])
        with self._at(d(3, 10)):
            order.with_context(disable_cancel_warning=True).action_cancel()
        refunds = Move.search([("id", "not in", before.ids)])
        self._is(order.state, "cancel")
        self._is(set(refunds.mapped("move_type")), {"out_refund"})
        # February 320.00 + 160.00 on February's; March 320.00 on the new
        # March invoice; the reversed March invoice is credited already
        self._is(
            {refund.reversed_entry_id: refund.amount_untaxed for refund in refunds},
            {feb: 480.0, mar_again: 320.0},
        )
        self._post(d(3, 10), refunds)
        self._no_negative_lines(self._posted_moves())
        self._is(self._net(s), 0.0)
        # the order's services: 160 billed, 160 credited
        services = self.env["account.move.line"].search(
            [
                ("sale_line_ids.order_id", "=", order.id),
                ("product_id", "=", self.product_service.id),
                ("parent_state", "=", "posted"),
            ]
        )
        self._is(
            round(
                sum(
                    line.price_subtotal
                    * (-1 if line.move_id.move_type == "out_refund" else 1)
                    for line in services
                ),
                2,
            ),
            0.0,
        )
        # 480 + 320 - 320 + 320 - 480 - 320 = 0
        self._is(
            round(sum(self._posted_moves().mapped("amount_untaxed_signed")), 2), 0.0
        )
        self._is(self._run(d(4, 1)), (Move, Move))

    def test_foreign_currency_book(self):
        """Distributor C buys on a price book in a foreign currency (F, 2
        F to 1 of the company's currency all year): 20 % off the list price
        converted, a 100 seat costs it 160 F and earns it 40 F (list 200 F
        less 160 F). Co-termed on the 1st from Jan 10th: S 3 seats from Jan
        15th, 3 -> 2 on Feb 10th."""
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
                "name": "Test Foreign Gold",
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
            {"name": "T Foreign", "pricelist_id": book.id}
        )
        dist = self.env["res.partner"].create(
            {
                "name": "Distributor C",
                "is_company": True,
                "is_distributor": True,
                "distributor_tier_id": tier.id,
                "street": "Rue C 1",
            }
        )
        customer = self.env["res.partner"].create(
            {
                "name": "End Customer C",
                "is_company": True,
                "distributor_id": dist.id,
                "street": "Rue CC 1",
            }
        )
        self._schedule(dist, d(1, 10), coterm=True, channel_invoicing_monthday=1)
        s = self._start(d(1, 15), [(self.product_monthly, 3)], dist, customer)
        self._is(s.currency_id, foreign)
        self._is(s.contract_line_ids.price_unit, 160.0)

        feb, __ = self._run(d(2, 1), dist)
        # Jan 15-31: 3 x 160 x 17/31 = 263.226 -> 263.23 F (commission 3 x
        # 40 x 17/31 = 65.806 -> 65.81 F); February 480.00 F (120.00 F)
        self._is(feb.currency_id, foreign)
        self._is(
            self._rows(feb),
            [(d(1, 15), d(1, 31), 263.23), (d(2, 1), d(2, 28), 480.0)],
        )
        self._is(feb.amount_untaxed, 743.23)
        self._is(feb.channel_commission, 185.81)
        # in the company's currency, each line at 2 F: 131.615 -> 131.62
        # and 240.00
        self._is(feb.amount_untaxed_signed, 371.62)
        self._post(d(2, 1), feb)
        # 3 -> 2 from Feb 10 (19 of 28 days): -1 x 160 x 19/28 = -108.571
        # -> -108.57 F (commission -1 x 40 x 19/28 = -27.142 -> -27.14 F)
        change = self._change(s, d(2, 10), 2)
        self._is(change.amount, -108.57)
        self._is(change.channel_commission, -27.14)
        resale, __ = self._run(d(3, 1), dist)
        mar = self._kind(resale, "out_invoice")
        mar_refund = self._kind(resale, "out_refund")
        # March 2 x 160 = 320.00 F (80.00 F); the credit note of February's
        # 108.57 F (27.14 F), 54.285 -> 54.29 in the company's currency
        self._is(mar.amount_untaxed, 320.0)
        self._is(mar.channel_commission, 80.0)
        self._is(mar_refund.reversed_entry_id, feb)
        self._is(mar_refund.currency_id, foreign)
        self._is(mar_refund.amount_untaxed, 108.57)
        self._is(mar_refund.channel_commission, 27.14)
        self._post(d(3, 1), resale)
        # the year so far: 743.23 + 320 - 108.57 = 954.66 F; commission
        # 185.81 + 80 - 27.14 = 238.67 F
        self._is(self._net(s), 954.66)
        moves = self._posted_moves(dist)
        self._is(
            round(
                sum(
                    (-1 if m.move_type == "out_refund" else 1) * m.channel_commission
                    for m in moves
                ),
                2,
            ),
            238.67,
        )
        # the analysis, in the company's currency, is the documents'
        with self._at(d(3, 2)):
            domain, __ = self._default_domain(
                "channel_distribution.action_channel_sale_report"
            )
            self.env.flush_all()
            rows = self.env["sale.report"]._read_group(
                domain + [("distributor_id", "=", dist.id)],
                [],
                ["price_subtotal:sum", "channel_commission:sum"],
            )
        revenue, commission = rows[0]
        # 371.62 + 160.00 - 54.29 = 477.33; commission 238.67 F / 2
        # = 119.335, per line 32.905 + 60 - 13.57 + 40 ~ 119.33-119.34
        self._is(
            company_currency.round(revenue),
            round(sum(moves.mapped("amount_untaxed_signed")), 2),
        )
        self._is(company_currency.round(revenue), 477.33)
        self.assertAlmostEqual(commission, 119.335, delta=0.011)

    def test_scheduled_run_after_a_failed_run(self):
        """A co-termed on the 1st from Jan 10th, S 3 seats from Jan 15th.
        The Feb 1st run fails (the revenue account deprecated by mistake in
        a clean-up of the chart of accounts): nothing is billed, the
        distributor keeps its date; the job bills it on Feb 2nd once the
        account is back, the same periods at the same amounts, once; March
        is billed on Mar 1st as usual."""
        dist = self.distributor_a
        Move = self.env["account.move"]
        SaleOrder = self.env["sale.order"]
        self._schedule(dist, d(1, 10), coterm=True, channel_invoicing_monthday=1)
        s = self._start(d(1, 15), [(self.product_monthly, 3)])
        income = self.product_monthly.product_tmpl_id._get_product_accounts()["income"]
        self.assertTrue(income)
        income.deprecated = True
        with self._at(d(2, 1)):
            self.assertEqual(SaleOrder._channel_distributors_due(d(2, 1), dist), dist)
            failed = SaleOrder._channel_invoice_scheduled_distributor_safely(
                dist, d(2, 1)
            )
        self._is(failed, Move)
        self._is(dist.channel_invoicing_next_date, d(2, 1))
        self.assertFalse(s.contract_line_ids.channel_period_ids)
        income.deprecated = False
        feb, __ = self._run(d(2, 2))
        # Jan 15-31: 3 x 80 x 17/31 = 131.613 -> 131.61; February 240.00
        self._is(
            self._rows(feb),
            [(d(1, 15), d(1, 31), 131.61), (d(2, 1), d(2, 28), 240.0)],
        )
        self._is(dist.channel_invoicing_next_date, d(3, 1))
        self._post(d(2, 2), feb)
        self._is(self._again(d(2, 2)), (Move, Move))
        mar, __ = self._run(d(3, 1))
        self._is(self._rows(mar), [(d(3, 1), d(3, 31), 240.0)])
        self._post(d(3, 1), mar)
        self._contiguous(s, d(1, 15))
        # 131.61 + 240 + 240 = 611.61
        self._is(self._net(s), 611.61)

    def test_agency_change_commission_rounded_once(self):
        """Distributor B (agency, Silver book: a 100 seat costs it 90, it
        earns 10 a seat, paid out), invoiced on the 1st: G 3 seats to End Customer B
        from Jan 1st 2027. G 3 -> 2 on Jan 7th and 2 -> 4 on Feb 4th. The
        commission of a change is computed as its amount is, rounded once:
        the same figure on the change, its invoice or credit note line (the
        analysis, the partner form) and the payout's unit; a credit note of
        the invoice credits what that invoice carried."""
        dist, customer = self.distributor_b, self.customer_b
        self._schedule_payout(dist, d(12, 20, 2026))
        g = self._start(d(1, 1), [(self.product_monthly, 3)], dist, customer)
        __, jan = self._run(d(1, 1), dist)
        # January 3 x 100 = 300.00, commission 3 x 10 = 30.00
        self._is(jan.amount_untaxed, 300.0)
        self._is(jan.channel_commission, 30.0)
        self._post(d(1, 1), jan)
        # 3 -> 2 from Jan 7 (25 of 31 days): -1 x 100 x 25/31 = -80.645 ->
        # -80.65; commission -1 x 10 x 25/31 = -8.0645 -> -8.06 (not 80.65
        # x 30/300 = 8.065 -> 8.07, a figure rounded twice)
        down = self._change(g, d(1, 7), 2)
        self._is(down.amount, -80.65)
        self._is(down.channel_commission, -8.06)
        __, agency = self._run(d(2, 1), dist)
        feb = self._kind(agency, "out_invoice")
        jan_credit = self._kind(agency, "out_refund")
        # February 2 x 100 = 200.00 (20.00); the credit note of January's
        # 80.65 (8.06)
        self._is(feb.amount_untaxed, 200.0)
        self._is(feb.channel_commission, 20.0)
        self._is(jan_credit.reversed_entry_id, jan)
        self._is(jan_credit.amount_untaxed, 80.65)
        self._is(jan_credit.channel_commission, 8.06)
        self._is(self._products(jan_credit).channel_commission_unit, 8.06)
        self._post(d(2, 1), agency)
        # 2 -> 4 from Feb 4 (25 of 28 days): +2 x 100 x 25/28 = 178.571 ->
        # 178.57; commission 2 x 10 x 25/28 = 17.857 -> 17.86
        up = self._change(g, d(2, 4), 4)
        self._is(up.amount, 178.57)
        self._is(up.channel_commission, 17.86)
        __, mar = self._run(d(3, 1), dist)
        # March 4 x 100 = 400.00 (40.00) + 178.57 (17.86)
        self._is(mar.amount_untaxed, 578.57)
        self._is(mar.channel_commission, 57.86)
        charge = self._products(mar).filtered("channel_adjustment_ids")
        self._is(charge.channel_commission, 17.86)
        self._is(charge.channel_commission_unit, 17.86)
        self._post(d(3, 1), mar)
        # finance credits March in full: 578.57, commission 57.86
        mar_credit = self._credit(d(3, 10), mar)
        self._is(mar_credit.amount_untaxed, 578.57)
        self._is(mar_credit.channel_commission, 57.86)
        # the year so far, one figure: 30 - 8.06 + 20 + 57.86 - 57.86
        # = 41.94
        dist.invalidate_recordset(["distributor_commission"])
        self._is(self.currency.round(dist.distributor_commission), 41.94)
