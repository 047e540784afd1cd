# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import uuid

from odoo.addons.channel_distribution.tests.common import ChannelPortalCase
from odoo.tests import new_test_user

RISK_MANAGER = "account_financial_risk.group_account_financial_risk_manager"


class CreditCase(ChannelPortalCase):
    """The channel of ChannelPortalCase with a credit limit on distributor A
    (300, sales orders included) and a credit manager in finance.

    ``order_a`` (confirmed, 2 x 80, not invoiced) already uses 160 of it.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.credit_manager = new_test_user(
            cls.env,
            "credit_mgr",
            groups="base.group_user,account.group_account_invoice," + RISK_MANAGER,
            password="credit_mgr",
        )
        cls.company.channel_credit_user_id = cls.credit_manager
        cls.distributor_a.write(
            {
                "user_id": cls.salesman.id,
                "credit_limit": 300.0,
                "risk_sale_order_include": True,
            }
        )

    def portal_submit(self, user, quantity, customer=None):
        """Submit a portal order as ``user`` (logged in): the order."""
        self.login(user)
        customer = customer or self.customer_a
        data = [
            ("end_customer_id", str(customer.id)),
            ("client_order_ref", "PO-CREDIT"),
            ("token", uuid.uuid4().hex),
            ("product_id", str(self.product_service.id)),
            ("quantity", str(quantity)),
        ]
        response = self.post_form("/my/channel/orders/new", data)
        self.assertEqual(response.status_code, 200)
        distributor = user.partner_id.commercial_partner_id
        order = self.env["sale.order"].search(
            [
                ("distributor_id", "=", distributor.id),
                ("channel_source", "=", "portal"),
            ],
            order="id desc",
            limit=1,
        )
        self.assertTrue(order)
        return order, response

    def portal_edit(self, user, order, quantity):
        """Submit the portal edit form of ``order`` as ``user`` (logged in)
        with ``quantity`` of the service: the response."""
        self.login(user)
        return self.post_form(
            f"/my/channel/orders/{order.id}/edit",
            [
                ("end_customer_id", str(order.end_customer_id.id)),
                ("product_id", str(self.product_service.id)),
                ("quantity", str(quantity)),
            ],
        )
