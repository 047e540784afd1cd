# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestServedWhileOverdue(DunningCase):
    """Distributor A's consolidated invoice is 60 days overdue; B owes
    nothing past due."""

    def served(self, user=None):
        Partner = self.env["res.partner"]
        if user:
            Partner = Partner.with_user(user)
        return Partner.search([("channel_distributor_overdue", "=", True)])

    def test_end_customers_of_overdue_distributor(self):
        served = self.served(self.channel_user)
        self.assertIn(self.customer_a, served)
        self.assertIn(self.customer_a2, served)
        self.assertIn(self.customer_a_delivery, served, "a contact of the customer")
        self.assertNotIn(self.customer_b, served)
        self.assertNotIn(self.distributor_a, served)
        self.assertTrue(self.customer_a.channel_distributor_overdue)
        self.assertFalse(self.customer_b.channel_distributor_overdue)
        not_served = self.env["res.partner"].search(
            [
                ("channel_distributor_overdue", "!=", True),
                ("id", "in", (self.customer_a | self.customer_b).ids),
            ]
        )
        self.assertEqual(not_served, self.customer_b)

    def test_paid_leaves_the_list(self):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.invoice.ids
        ).create({})._create_payments()
        served = self.served()
        self.assertNotIn(self.customer_a, served)
        self.assertNotIn(self.customer_a2, served)

    def test_internal_only(self):
        for user in (self.portal_dist_a, self.portal_cust_a):
            self.login(user)
            result = self.call_kw(
                "res.partner",
                "search",
                [[("channel_distributor_overdue", "=", True)]],
            )
            self.assertIn("error", result, user.login)
