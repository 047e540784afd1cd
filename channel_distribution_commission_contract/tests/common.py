# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import sys
from contextlib import contextmanager

from freezegun import freeze_time

from odoo.addons.channel_distribution_commission.tests.common import CommissionCase
from odoo.addons.channel_distribution_contract.tests.common import (
    SubscriptionCase,
    noon,
)


class FinanceWalkCase(CommissionCase, SubscriptionCase):
    """Subscriptions and commissions walked day by day as finance does:
    the clock at noon of each day, quantity changes and credit notes made
    by the accountant (``cls.accountant``, set by the walk)."""

    @staticmethod
    @contextmanager
    def _at(day):
        with freeze_time(noon(day)):
            yield

    def _schedule_payout(self, distributor, day, coterm=False):
        """A channel manager's terms for ``distributor`` on ``day``: billed
        monthly on the 1st (co-termed with ``coterm``), its commission paid
        out monthly by vendor bill."""
        with self._at(day):
            distributor.write(
                {
                    "channel_coterm": coterm,
                    "channel_invoicing_period": "monthly",
                    "channel_invoicing_monthday": 1,
                    "channel_commission_paid": True,
                    "channel_commission_payout": "in_invoice",
                    "settlement": "monthly",
                }
            )

    def _change(self, contract, day, quantity):
        """The subscription's quantity changed to ``quantity`` on ``day``:
        its prorated change (the first one)."""
        with self._at(day):
            adjustments = contract.contract_line_ids._channel_change_quantity(
                quantity, day
            )
        return adjustments[:1]

    def _post(self, day, moves):
        """The drafts of ``moves`` posted by the accountant on ``day``."""
        with self._at(day):
            moves.filtered(lambda m: m.state == "draft").with_user(
                self.accountant
            ).action_post()
        self.assertEqual(set(moves.mapped("state")), {"posted"})
        return moves

    def _credit(self, day, invoice):
        """A plain credit note of ``invoice`` (the *Credit Note* button),
        posted."""
        with self._at(day):
            wizard = (
                self.env["account.move.reversal"]
                .with_user(self.accountant)
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create({"reason": "goodwill", "journal_id": invoice.journal_id.id})
            )
            wizard.refund_moves()
            refund = wizard.new_move_ids
            refund.action_post()
        return refund

    def _run(self, day, distributor=None):
        """The scheduled job's batch for the distributor on ``day`` (it is
        due; started again that day it leaves it alone): ``(resale moves,
        agency moves)``."""
        distributor = distributor or self.distributor_a
        SaleOrder = self.env["sale.order"]
        with self._at(day):
            self.assertEqual(
                SaleOrder._channel_distributors_due(day, distributor),
                distributor,
                f"{day}: the distributor is due",
            )
            moves = SaleOrder._channel_invoice_scheduled_distributor(distributor, day)
            self.assertFalse(SaleOrder._channel_distributors_due(day, distributor))
        return self._split(moves, distributor)

    def _again(self, day, distributor=None):
        """Finance bills the distributor again the same day (*Invoice Due
        Now*)."""
        distributor = distributor or self.distributor_a
        with self._at(day):
            moves = self.env["account.move"].browse(
                distributor.with_user(self.accountant).channel_invoice_due(day)
            )
        return self._split(moves, distributor)

    @staticmethod
    def _split(moves, distributor):
        resale = moves.filtered(
            lambda m: m.partner_id.commercial_partner_id == distributor
        )
        return resale, moves - resale

    def _start(self, day, lines, distributor=None, customer=None, **extra):
        with self._at(day):
            return self._start_subscription(
                distributor or self.distributor_a,
                customer or self.customer_a,
                lines,
                start=day,
                **extra,
            )

    @staticmethod
    def _kind(moves, move_type):
        return moves.filtered(lambda m: m.move_type == move_type)

    @staticmethod
    def _rows(moves, contract=None):
        """``[(start, end, untaxed)]`` of the product lines of ``moves``
        (of ``contract`` only, when given), in date order."""
        lines = moves.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
            and (
                contract is None
                or line.contract_line_id.contract_id == contract
                or line.channel_adjustment_ids.contract_id == contract
            )
        )
        return sorted(
            (line.start_date, line.end_date, line.price_subtotal) for line in lines
        )

    def _net(self, contract):
        """What ``contract`` billed net of its credit notes (posted), from
        its invoice lines."""
        lines = self.env["account.move.line"].search(
            [
                "|",
                ("contract_line_id.contract_id", "=", contract.id),
                ("channel_adjustment_ids.contract_id", "=", contract.id),
                ("display_type", "=", "product"),
                ("move_id.state", "=", "posted"),
            ]
        )
        return round(
            sum(
                line.price_subtotal
                * (-1 if line.move_id.move_type == "out_refund" else 1)
                for line in lines
            ),
            2,
        )

    def _is(self, got, expected, what=None):
        """A figure against the hand computation: a mismatch is reported
        (with the line of the walk) and the walk goes on."""
        frame = sys._getframe(1)
        with self.subTest(line=frame.f_lineno, what=what):
            self.assertEqual(got, expected)
