# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import SubscriptionCase, noon

JAN_1 = date(2027, 1, 1)
JAN_22 = date(2027, 1, 22)
FEB_1 = date(2027, 2, 1)


@tagged("post_install", "-at_install")
class TestNextAmountFollows(SubscriptionCase):
    """The next period's amount of a subscription (computed, not stored:
    the form, the portal and the credit figures read it) follows what it is
    computed from within one transaction: read, changed, read again, with no
    cache dropped by hand. 3 seats of Gold distributor A (80 a seat) from
    Jan 1st 2027, monthly in advance."""

    def _subscribe(self):
        with freeze_time(noon(JAN_1)):
            return self._start_subscription(
                self.distributor_a, self.customer_a, start=JAN_1
            )

    def test_follows_quantity_book_and_billing(self):
        contract = self._subscribe()
        line = contract.contract_line_ids
        self.assertEqual(contract.channel_next_amount, 240.0)  # 3 x 80
        with freeze_time(noon(JAN_1)):
            self._bill(self.distributor_a, JAN_1)
        # February's period next: 3 x 80
        self.assertEqual(line.next_period_date_start, FEB_1)
        self.assertEqual(contract.channel_next_amount, 240.0)
        # 5 seats from Jan 22nd: February at 5, and the charge of Jan 22nd
        # to 31st on the next invoice
        with freeze_time(noon(JAN_22)):
            changes = line._channel_change_quantity(5, JAN_22)
        charge = sum(changes.mapped("amount"))
        self.assertGreater(charge, 0.0)
        self.assertAlmostEqual(contract.channel_next_amount, 400.0 + charge)
        # the distributor moves to Silver (90): the next period at its book,
        # the charge at the price January was billed at
        self.distributor_a.distributor_tier_id = self.tier_silver
        self.assertAlmostEqual(contract.channel_next_amount, 450.0 + charge)
        # February billed, charge included: March's period, 5 x 90
        with freeze_time(noon(FEB_1)):
            self._bill(self.distributor_a, FEB_1)
        self.assertTrue(changes.move_line_id)
        self.assertAlmostEqual(contract.channel_next_amount, 450.0)

    def test_follows_the_books_rules(self):
        contract = self._subscribe()
        self.assertEqual(contract.channel_next_amount, 240.0)
        # the Gold book gives 25 % off from now on: 3 x 75
        self.book_gold.item_ids.percent_price = 25.0
        self.assertAlmostEqual(contract.channel_next_amount, 225.0)

    def test_cancelled_line_is_no_next_period(self):
        contract = self._subscribe()
        self.assertEqual(contract.channel_next_amount, 240.0)
        # cancelled at once, as OCA's cancel does (a flow of the product:
        # superuser)
        contract.contract_line_ids.sudo().write(
            {"is_canceled": True, "is_auto_renew": False}
        )
        self.assertEqual(contract.channel_next_amount, 0.0)
