# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo.addons.channel_distribution_contract.tests.common import (
    SubscriptionCase,
    noon,
)
from odoo.tests import tagged

JAN_1 = date(2027, 1, 1)
JAN_22 = date(2027, 1, 22)


@tagged("post_install", "-at_install")
class TestSubscriptionRiskFollows(SubscriptionCase):
    """A distributor's risk counts the next period of its running resale
    subscriptions (``risk_channel_subscription``, computed, not stored).
    Within one transaction it follows the subscriptions: read, changed,
    read again, with no cache dropped by hand. Gold distributor A: 80 a
    seat, monthly in advance, from Jan 1st 2027."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.distributor_a.write(
            {
                "credit_limit": 100000.0,
                "risk_channel_subscription_include": True,
            }
        )

    def _assert_risk(self, amount):
        partner = self.distributor_a
        self.assertAlmostEqual(partner.risk_channel_subscription, amount)
        self.assertAlmostEqual(partner.risk_total, amount)
        self.assertAlmostEqual(partner.risk_remaining_value, 100000.0 - amount)

    def test_risk_follows_its_subscriptions(self):
        # read before: nothing running
        self._assert_risk(0.0)
        with freeze_time(noon(JAN_1)):
            contract = self._start_subscription(
                self.distributor_a, self.customer_a, start=JAN_1
            )
            # 3 seats at 80: the first period
            self._assert_risk(240.0)
        line = contract.contract_line_ids
        # 5 seats from Jan 22nd: January at 5, less Jan 1st to 21st at 3 (a
        # change to bill)
        with freeze_time(noon(JAN_22)):
            changes = line._channel_change_quantity(5, JAN_22)
            charge = sum(changes.mapped("amount"))
            self._assert_risk(400.0 + charge)
            # the distributor moves to Silver (90 a seat)
            self.distributor_a.distributor_tier_id = self.tier_silver
            self._assert_risk(450.0 + charge)
            # an ended subscription is no risk
            contract.active = False
            self._assert_risk(0.0)
            contract.active = True
            self._assert_risk(450.0 + charge)
            # an agency subscription is its end customer's risk
            self._start_subscription(
                self.distributor_a,
                self.customer_a,
                start=JAN_22,
                financial_role="end_customer",
            )
            self._assert_risk(450.0 + charge)
