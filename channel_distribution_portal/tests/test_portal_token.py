# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The distributor's lists of its orders carry no access token of an order
it is not invoiced for (the application's tests check the order's page)."""

from odoo.addons.channel_distribution.tests.common import ChannelPortalCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestPortalListToken(ChannelPortalCase):
    def test_distributor_lists_hold_no_token(self):
        # An agency quotation sent by the vendor: customer B is invoiced.
        quote = self._create_order(self.distributor_b, self.customer_b)
        quote.write({"require_signature": True, "require_payment": False})
        quote.action_quotation_sent()
        token = quote._portal_ensure_token()
        self.login(self.portal_dist_b)
        for url in ("/my/quotes", f"/my/quotes?filterby=ec{self.customer_b.id}"):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                self.assertIn(quote.name, response.text)
                self.assertNotIn(token, response.text)
