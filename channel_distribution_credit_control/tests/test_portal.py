# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestOverduePortal(DunningCase):
    """The consolidated invoice is 30 days overdue and its first reminder
    went out."""

    days_overdue = 30

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        run, cls.lines = cls.run_credit_control()
        cls.send_reminders(run)

    def overdue_page(self, user):
        self.login(user)
        return self.url_open("/my/channel/overdue", allow_redirects=False)

    def counters(self, user):
        self.login(user)
        return self.make_jsonrpc_request(
            "/my/counters", {"counters": ["channel_overdue_count"]}
        )

    def test_distributor_sees_what_is_overdue(self):
        self.assertEqual(self.lines.level, 1)
        response = self.overdue_page(self.portal_dist_a)
        self.assertEqual(response.status_code, 200)
        page = response.text
        for text in (
            self.invoice.name,
            self.order_a.name,
            self.order_a2.name,
            "PO-A-2",
            self.customer_a.name,
            self.customer_a2.name,
            "First reminder (7 days)",
            "o_channel_overdue_residual",
        ):
            self.assertIn(text, page)
        self.assertIn(f'data-invoice-id="{self.invoice.id}"', page)
        self.assertEqual(self.counters(self.portal_dist_a)["channel_overdue_count"], 1)

    def test_paid_is_not_overdue(self):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.invoice.ids
        ).create({})._create_payments()
        page = self.overdue_page(self.portal_dist_a).text
        self.assertNotIn(self.invoice.name, page)
        self.assertIn("o_channel_overdue_none", page)

    def test_payment_without_entry_is_still_overdue(self):
        """Twelfth probe, P12-1: a payment of 1.00 without a journal entry
        made Odoo call the overdue invoice paid; its residual is whole: it
        stays overdue for the distributor, the dunning and operations."""
        self._pay_without_entry(self.invoice, 1.0)
        page = self.overdue_page(self.portal_dist_a).text
        self.assertIn(self.invoice.name, page)
        self.assertIn(
            self.distributor_a, self.env["res.partner"]._channel_overdue_distributors()
        )
        self.assertEqual(
            self.distributor_a._channel_dunning_overdue_invoices(), self.invoice
        )

    def test_other_distributor_sees_nothing_of_it(self):
        response = self.overdue_page(self.portal_dist_b)
        self.assertEqual(response.status_code, 200)
        for text in (
            self.invoice.name,
            self.order_a.name,
            self.customer_a2.name,
            "First reminder",
        ):
            self.assertNotIn(text, response.text)
        self.assertEqual(self.counters(self.portal_dist_b)["channel_overdue_count"], 0)

    def test_end_customer_and_visitor_see_nothing_of_it(self):
        for user in (self.portal_cust_a, self.portal_cust_b, None):
            with self.subTest(user=user and user.login):
                response = self.overdue_page(user)
                self.assertIn(response.status_code, (302, 303))
                self.assertNotIn(self.invoice.name, response.text)
                self.assertNotIn(self.order_a.name, response.text)
        self.assertEqual(self.counters(self.portal_cust_a)["channel_overdue_count"], 0)
