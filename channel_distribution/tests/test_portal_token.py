# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The access tokens of a channel order and of its invoices are for its
financial counterparty: a portal user who reads the order by the record
rules only (the distributor of an agency order) never receives them, so it
cannot sign, decline or pay in the end customer's name from an anonymous
session."""

from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from .common import ChannelPortalCase


@tagged("post_install", "-at_install")
class TestPortalToken(ChannelPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # An agency quotation sent by the vendor: customer B is invoiced.
        cls.quote_b = cls._create_order(cls.distributor_b, cls.customer_b)
        cls.quote_b.write({"require_signature": True, "require_payment": False})
        cls.quote_b.action_quotation_sent()
        cls.token_b = cls.quote_b._portal_ensure_token()

    def test_distributor_pages_hold_no_token(self):
        # The distributor's lists of its orders are channel_distribution_portal's
        # (its tests check them too); the order's page is Odoo's.
        self.login(self.portal_dist_b)
        response = self.url_open(f"/my/orders/{self.quote_b.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.quote_b.name, response.text)
        self.assertNotIn(self.token_b, response.text)
        # With a token in its address, the page (chatter, order lines) does
        # not take it up.
        response = self.url_open(
            f"/my/orders/{self.quote_b.id}?access_token={self.token_b}"
        )
        self.assertIn(self.quote_b.name, response.text)
        self.assertNotIn(f'data-token="{self.token_b}"', response.text)

    def test_counterparty_keeps_the_token(self):
        # The holder of the e-mailed link still signs, as in Odoo.
        self.login(None)
        response = self.url_open(
            f"/my/orders/{self.quote_b.id}?access_token={self.token_b}"
        )
        self.assertIn(f'data-token="{self.token_b}"', response.text)
        # The resale distributor is invoiced: its pages carry the token.
        order = self._create_order(self.distributor_a, self.customer_a)
        order.action_quotation_sent()
        token = order._portal_ensure_token()
        self.login(self.portal_dist_a)
        response = self.url_open(f"/my/orders/{order.id}")
        self.assertIn(f"access_token={token}", response.text)

    @mute_logger("odoo.models", "odoo.http")
    def test_no_token_over_rpc(self):
        # Not even on an order it is invoiced for: its links carry it.
        self.order_a._portal_ensure_token()
        for user, order in (
            (self.portal_dist_b, self.quote_b),
            (self.portal_dist_a, self.order_a),
        ):
            self.login(user)
            call = {
                "model": "sale.order",
                "method": "read",
                "args": [[order.id], ["name"]],
                "kwargs": {},
            }
            with self.subTest(user=user.login):
                self.assertEqual(
                    self.make_jsonrpc_request("/web/dataset/call_kw", call)[0]["name"],
                    order.name,
                )
                call["args"][1].append("access_token")
                with self.assertRaises(JsonRpcException):
                    self.make_jsonrpc_request("/web/dataset/call_kw", call)

    def test_mail_link_holds_no_token(self):
        self.login(self.portal_dist_b)
        response = self.url_open(
            f"/mail/view?model=sale.order&res_id={self.quote_b.id}",
            allow_redirects=False,
        )
        self.assertIn(f"/my/orders/{self.quote_b.id}", response.headers["Location"])
        self.assertNotIn(self.token_b, response.headers["Location"])

    def test_distributor_gets_no_invoice_link(self):
        invoice = self.order_b._create_invoices()
        invoice.action_post()
        invoice_token = invoice._portal_ensure_token()
        self.login(self.portal_dist_b)
        response = self.url_open(f"/my/orders/{self.order_b.id}")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(invoice_token, response.text)
        self.assertNotIn(f"/my/invoices/{invoice.id}", response.text)
        # The customer's e-mailed link still lists it, as in Odoo.
        self.login(None)
        token = self.order_b._portal_ensure_token()
        response = self.url_open(f"/my/orders/{self.order_b.id}?access_token={token}")
        self.assertIn(
            f"/my/invoices/{invoice.id}?access_token={invoice_token}", response.text
        )
