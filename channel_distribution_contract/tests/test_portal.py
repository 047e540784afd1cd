# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re

from dateutil.relativedelta import relativedelta

from odoo.tests import tagged

from .common import SubscriptionPortalCase


@tagged("post_install", "-at_install")
class TestSubscriptionPortal(SubscriptionPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sub_a = cls._subscribe(
            cls.distributor_a, cls.customer_a, client_order_ref="PO-PORTAL-A"
        )
        cls.sub_b = cls._subscribe(
            cls.distributor_b, cls.customer_b, client_order_ref="PO-PORTAL-B"
        )

    def _url(self, contract, action=""):
        return f"/my/channel/subscriptions/{contract.id}{action}"

    def test_distributor_sees_its_subscriptions_only(self):
        self.login(self.portal_dist_a)
        page = self.url_open("/my/channel/subscriptions")
        self.assertEqual(page.status_code, 200)
        self.assertIn("PO-PORTAL-A", page.text)
        self.assertIn("End Customer A", page.text)
        self.assertNotIn("PO-PORTAL-B", page.text)
        detail = self.url_open(self._url(self.sub_a))
        self.assertEqual(detail.status_code, 200)
        self.assertIn("240.00", detail.text)  # 3 x 80 at the Gold book
        # another distributor's subscription by id
        self.assertEqual(self.url_open(self._url(self.sub_b)).status_code, 404)
        response = self.post_form(self._url(self.sub_b, "/cancel"), {})
        self.assertEqual(response.status_code, 404)
        self.env.invalidate_all()
        self.assertFalse(self.sub_b.channel_cancel_date)

    def test_agency_end_customer_sees_its_own(self):
        self.login(self.portal_cust_b)
        page = self.url_open("/my/channel/subscriptions")
        self.assertIn("PO-PORTAL-B", page.text)
        detail = self.url_open(self._url(self.sub_b))
        self.assertEqual(detail.status_code, 200)
        self.assertNotIn("/cancel", detail.text)  # sees, does not change
        response = self.post_form(
            self._url(self.sub_b, "/quantity"),
            {"line_id": self.sub_b.contract_line_ids.id, "quantity": 9},
        )
        self.assertEqual(response.status_code, 400)
        self.env.invalidate_all()
        self.assertEqual(self.sub_b.contract_line_ids.quantity, 3)
        # a resale end customer is not invoiced: it sees none
        self.login(self.portal_cust_a)
        self.assertEqual(self.url_open(self._url(self.sub_a)).status_code, 404)

    def test_distributor_changes_quantity(self):
        self.login(self.portal_dist_a)
        line = self.sub_a.contract_line_ids
        response = self.post_form(
            self._url(self.sub_a, "/quantity"), {"line_id": line.id, "quantity": 5}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("The quantity was changed", response.text)
        self.env.invalidate_all()
        self.assertEqual(line.quantity, 5)

    def test_bad_input_writes_nothing(self):
        self.login(self.portal_dist_a)
        line = self.sub_a.contract_line_ids
        for bad in ("-1", "0", "abc", "1e12", ""):
            response = self.post_form(
                self._url(self.sub_a, "/quantity"),
                {"line_id": line.id, "quantity": bad},
            )
            self.assertEqual(response.status_code, 400, bad)
            self.assertIn("o_channel_subscription_error", response.text)
        response = self.post_form(
            self._url(self.sub_a, "/quantity"),
            {"line_id": self.sub_b.contract_line_ids.id, "quantity": 4},
        )
        self.assertEqual(response.status_code, 400)
        self.env.invalidate_all()
        self.assertEqual(line.quantity, 3)
        self.assertEqual(self.sub_b.contract_line_ids.quantity, 3)
        self.assertFalse(self.sub_a.channel_adjustment_ids)

    def test_cancel_then_no_change(self):
        self.login(self.portal_dist_a)
        response = self.post_form(self._url(self.sub_a, "/cancel"), {})
        self.assertEqual(response.status_code, 200)
        end = self.start + relativedelta(months=1, days=-1)
        self.env.invalidate_all()
        self.assertEqual(self.sub_a.contract_line_ids.date_end, end)
        response = self.post_form(self._url(self.sub_a, "/cancel"), {})
        self.assertEqual(response.status_code, 400)
        response = self.post_form(
            self._url(self.sub_a, "/quantity"),
            {"line_id": self.sub_a.contract_line_ids.id, "quantity": 4},
        )
        self.assertEqual(response.status_code, 400)
        self.env.invalidate_all()
        self.assertEqual(self.sub_a.contract_line_ids.quantity, 3)

    def test_list_without_reference_keeps_its_columns(self):
        """A subscription without a reference has all its cells, and the
        tables scroll inside the page on a phone."""
        self.sub_a.client_order_ref = False
        self.login(self.portal_dist_a)
        page = self.url_open("/my/channel/subscriptions")
        self.assertEqual(page.status_code, 200)
        rows = [
            row
            for row in page.text.split("<tr")[1:]
            if f"/my/channel/subscriptions/{self.sub_a.id}" in row
        ]
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0].count("<td"), 6)
        self.assertIn("table-responsive", page.text)
        self.assertIn("table-responsive", self.url_open(self._url(self.sub_a)).text)

    def test_one_home_entry_for_channel_subscriptions(self):
        """A distributor follows its subscriptions: OCA's *Contracts* card
        counts the others only, so that they show once, under ours."""
        # as in the demo, where the distributor's portal order is followed
        self.sub_a.message_subscribe(partner_ids=self.portal_dist_a.partner_id.ids)
        Contract = self.env["contract.contract"].with_user(self.portal_dist_a)
        self.assertEqual(Contract.search_count([("id", "=", self.sub_a.id)]), 1)
        self.login(self.portal_dist_a)
        counters = self.make_jsonrpc_request(
            "/my/counters",
            {"counters": ["contract_count", "channel_subscription_count"]},
        )
        self.assertEqual(counters["channel_subscription_count"], 1)
        self.assertEqual(counters["contract_count"], 0)

    def test_cancelled_and_billed_shows_no_next_invoice(self):
        """Issue 25 item 11: billed to its end and cancelled, a subscription
        has no next invoice on the portal (never a date of the past)."""
        self.env["sale.order"]._channel_bill_subscriptions(
            self.distributor_a, self.start
        )
        self.sub_a._channel_cancel()
        self.assertFalse(self.sub_a.recurring_next_date)
        self.login(self.portal_dist_a)
        detail = self.url_open(self._url(self.sub_a)).text
        shown = re.search(r"Next Invoice</dt>(.*?)</dd>", detail, re.S).group(1)
        self.assertFalse(re.sub(r"<[^>]*>", "", shown).strip())

    def test_pid_hash_posts_as_its_partner_in_the_audience(self):
        """The distributor's pair (the same for all its subscriptions)
        forwarded to a logged-in end customer or another distributor
        opened a resale subscription's chatter and posted as them. The
        author is the pair's own partner, of the invoiced party."""
        self.check_pid_author(
            self.sub_a,
            self.portal_dist_a.partner_id,
            self.portal_cust_a.partner_id,
            self.portal_cust_a | self.portal_dist_b,
        )

    def test_pid_hash_of_an_outsider_opens_no_subscription(self):
        """Sixth probe, N7: a subscription has no access token, so a
        partner's pid/hash pair is the same for every subscription: the end
        customer's (or another distributor's) pair opened the followers of
        a resale subscription and posted in its chatter. The pair serves
        only the invoiced party's people and internal users."""
        for outsider in (
            self.portal_cust_a.partner_id,
            self.customer_a,
            self.portal_dist_b.partner_id,
        ):
            with self.subTest(partner=outsider.name):
                self.assertEqual(
                    self.chatter_by_pid(self.sub_a, outsider, f"OUT-SUB-{outsider.id}"),
                    (False, False),
                )
        for insider in (
            self.portal_dist_a.partner_id,
            self.channel_manager.partner_id,
        ):
            with self.subTest(partner=insider.name):
                self.assertEqual(
                    self.chatter_by_pid(self.sub_a, insider, f"IN-SUB-{insider.id}"),
                    (True, True),
                )
