# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Whom the rules of Odoo's portal routes over a channel order ask about.

The routes hand the order over as superuser; the controller passes the
visitor in the context (``channel_portal_uid``, a ``ChannelPortalVisitor``,
which no JSON-RPC caller can send): the model never reads the HTTP request.
"""

from odoo.addons.channel_distribution.models import sale_order as sale_order_module
from odoo.tests import tagged

from .common import ChannelPortalCase


@tagged("post_install", "-at_install")
class TestPortalUser(ChannelPortalCase):
    def test_model_does_not_read_the_request(self):
        self.assertNotIn("request", vars(sale_order_module))

    def test_user_from_the_context(self):
        order = self.order_b.sudo()  # agency: customer B is invoiced
        self.assertEqual(order._channel_portal_user(), self.env.user)
        for user, holds in (
            (self.portal_dist_b, False),
            (self.portal_cust_b, True),
            (self.channel_user, True),
        ):
            with self.subTest(user=user.login):
                passed = order.with_context(
                    channel_portal_uid=sale_order_module.ChannelPortalVisitor(user.id)
                )
                self.assertEqual(passed._channel_portal_user(), user)
                self.assertEqual(passed._channel_portal_may_hold_token(), holds)
                url = passed.get_portal_url()
                self.assertEqual("access_token=" in url, holds, url)
        # Without a user passed, the environment's user is asked.
        as_distributor = self.order_b.with_user(self.portal_dist_b).sudo()
        self.assertFalse(as_distributor._channel_portal_may_hold_token())

    def test_route_passes_the_visitor(self):
        # The order page of an agency order, as its distributor: no token
        # anywhere on it; as its end customer (invoiced), the token.
        token = self.order_b._portal_ensure_token()
        self.login(self.portal_dist_b)
        page = self.url_open(f"/my/orders/{self.order_b.id}").text
        self.assertIn(self.order_b.name, page)
        self.assertNotIn(token, page)
        self.login(self.portal_cust_b)
        page = self.url_open(f"/my/orders/{self.order_b.id}").text
        self.assertIn(token, page)

    def test_rpc_context_never_passes_a_visitor(self):
        """Over JSON-RPC a caller sets the context at will: the distributor
        of an agency order names its end customer (invoiced, who holds the
        token) or a vendor's user as the visitor, and got the order's link
        with its access token (it signs, declines and pays the order). The
        visitor comes from the portal routes only."""
        order = self.order_b  # agency: customer B is invoiced
        token = order._portal_ensure_token()
        self.login(self.portal_dist_b)
        for context in (
            {},
            {"channel_portal_uid": self.portal_cust_b.id},
            {"channel_portal_uid": self.channel_user.id},
        ):
            with self.subTest(context=context):
                result = self.call_kw(
                    "sale.order", "get_portal_url", [order.ids], {"context": context}
                )
                self.assertNotIn("error", result)
                self.assertIn(f"/my/orders/{order.id}", result["result"])
                self.assertNotIn(token, result["result"])
