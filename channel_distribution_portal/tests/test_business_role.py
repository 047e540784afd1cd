# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import uuid

from odoo.addons.channel_distribution.tests.common import ChannelPortalCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestPortalBusinessRole(ChannelPortalCase):
    """The counterparties of an order a distributor submits on the portal."""

    def test_portal_submission_takes_defaults(self):
        self.distributor_a.write(
            {
                "channel_business_role": "distributor",
                "channel_financial_role": "distributor",
            }
        )
        self.login(self.portal_dist_a)
        token = uuid.uuid4().hex
        self.post_form(
            "/my/channel/orders/new",
            [
                ("end_customer_id", str(self.customer_a.id)),
                ("product_id", str(self.product_service.id)),
                ("quantity", "1"),
                ("token", token),
                ("business_role", "end_customer"),
                ("financial_role", "end_customer"),
            ],
        )
        order = self.env["sale.order"].search([("channel_portal_token", "=", token)])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.business_role, "distributor")
        self.assertEqual(order.financial_role, "distributor")
        self.assertEqual(order.business_partner_id, self.distributor_a)
        self.assertEqual(order.partner_shipping_id, self.customer_a_delivery)
