# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

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
