# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Abuse cases and failures.

What happens when ticket creation fails, and a portal order of a
distributor of a second company. The abuse cases of the distributor's
portal pages are channel_distribution_portal's tests/test_abuse.py.
ids). tests/test_portal.py holds
"""

import uuid

from odoo import Command
from odoo.tests import tagged

from .common import ChannelPortalCase


@tagged("post_install", "-at_install")
class TestMultiCompanyPortal(ChannelPortalCase):
    """A distributor of a second company orders on the portal: the order
    is that company's."""

    def test_portal_order_stays_in_company(self):
        company_2 = self.env["res.company"].create({"name": "Channel Co 2 Portal"})
        env2 = self.env(
            context=dict(self.env.context, allowed_company_ids=company_2.ids)
        )
        book_2 = env2["product.pricelist"].create(
            {"name": "Co 2 Book", "company_id": company_2.id}
        )
        distributor = env2["res.partner"].create(
            {
                "name": "Co 2 Dist",
                "is_company": True,
                "is_distributor": True,
                "company_id": company_2.id,
                "property_product_pricelist": book_2.id,
            }
        )
        customer = env2["res.partner"].create(
            {
                "name": "Co 2 Customer",
                "is_company": True,
                "distributor_id": distributor.id,
            }
        )
        contact = env2["res.partner"].create(
            {"name": "Co 2 Contact", "parent_id": distributor.id}
        )
        env2["res.users"].with_context(no_reset_password=True).create(
            {
                "login": "sec_co2_dist",
                "password": "sec_co2_dist",
                "partner_id": contact.id,
                "company_id": company_2.id,
                "company_ids": [Command.set(company_2.ids)],
                "groups_id": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        company_2.channel_portal_confirm = True
        self.authenticate("sec_co2_dist", "sec_co2_dist")
        response = self.post_form(
            "/my/channel/orders/new",
            [
                ("end_customer_id", str(customer.id)),
                ("token", uuid.uuid4().hex),
                ("product_id", str(self.product_service.id)),
                ("quantity", "1"),
            ],
        )
        self.assertEqual(response.status_code, 200)
        order = self.env["sale.order"].search([("distributor_id", "=", distributor.id)])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.company_id, company_2)
        self.assertEqual(order.state, "sale")
