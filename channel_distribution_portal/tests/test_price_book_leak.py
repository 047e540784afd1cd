# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.addons.channel_distribution.tests.test_price_book_leak import (
    PriceBookLeakCase,
)
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPriceBookLeakPortal(HttpCase, PriceBookLeakCase):
    def test_portal_agency_order(self):
        self.product_service.channel_available = True
        contact = self.env["res.partner"].create(
            {
                "name": "Own Book User",
                "email": "own_book_user@example.com",
                "parent_id": self.distributor_own.id,
            }
        )
        self.env["res.users"].create(
            {
                "login": "own_book_user",
                "password": "own_book_user-pass",
                "partner_id": contact.id,
                "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
            }
        )
        customer = self.distributor_own._channel_portal_create_end_customer(
            {"name": "Portal New Customer", "is_company": "1"}
        )
        self.authenticate("own_book_user", "own_book_user-pass")
        result = self.make_jsonrpc_request(
            "/my/channel/orders/price",
            {
                "end_customer_id": customer.id,
                "lines": [{"product_id": self.product_service.id, "quantity": 1}],
            },
        )
        self.assertEqual([line["price_unit"] for line in result["lines"]], [100.0])
        order = self.env["sale.order"]._channel_portal_create_order(
            self.distributor_own,
            {
                "end_customer_id": customer.id,
                "lines": [{"product_id": self.product_service.id, "quantity": 1}],
                "token": "leak-test",
            },
            self.company,
        )
        self.assertEqual(order.partner_id, customer)
        self.assertEqual(order.amount_untaxed, 100.0)
        self.assertEqual(order.channel_commission, 20.0)
