# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who reaches the distributor's pages, and how they read.

- every route of this addon is guarded: it is found by inspecting the
  controller, so a route added later is checked too;
- the order a distributor opens goes through Odoo's document access check;
- the lists are paged in the database.
"""

import re
import uuid

from odoo.addons.channel_distribution.tests.common import ChannelPortalCase
from odoo.addons.channel_distribution_portal.controllers.portal import ChannelPortal
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger


def distributor_routes():
    """(url pattern, type, methods) of every route ChannelPortal defines
    (not those it inherits from Odoo's portal)."""
    routes = []
    for method in vars(ChannelPortal).values():
        routing = getattr(method, "original_routing", None)
        if not routing:
            continue
        for url in routing["routes"]:
            routes.append(
                (url, routing.get("type", "http"), routing.get("methods") or ["GET"])
            )
    return routes


@tagged("post_install", "-at_install")
class TestPortalGuard(ChannelPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quote_b = cls._create_order(
            cls.distributor_b, cls.customer_b, channel_source="portal"
        )

    def fill(self, url):
        ids = {
            "page": 1,
            "customer_id": self.customer_b.id,
            "order_id": self.quote_b.id,
        }
        return re.sub(r"<int:(\w+)>", lambda match: str(ids[match.group(1)]), url)

    def written(self):
        return (
            self.env["res.partner"].search_count([]),
            self.env["sale.order"].search_count([]),
            self.quote_b.client_order_ref,
            self.customer_b.name,
        )

    def test_routes_are_found(self):
        urls = {url for url, __, __ in distributor_routes()}
        self.assertTrue(
            {
                "/my/channel/customers",
                "/my/channel/customers/new",
                "/my/channel/customers/quick_create",
                "/my/channel/customers/<int:customer_id>",
                "/my/channel/orders/new",
                "/my/channel/orders/<int:order_id>/edit",
                "/my/channel/orders/price",
            }
            <= urls,
            urls,
        )

    @mute_logger("odoo.http")
    def test_every_route_refuses_who_is_not_a_distributor(self):
        before = self.written()
        form = {
            "name": "Guard Breaker",
            "end_customer_id": str(self.customer_b.id),
            "client_order_ref": "guard",
            "token": uuid.uuid4().hex,
            "product_id": str(self.product_service.id),
            "quantity": "1",
        }
        json_params = {
            "name": "Guard Breaker",
            "end_customer_id": self.customer_b.id,
            "lines": [{"product_id": self.product_service.id, "quantity": 1}],
        }
        # An end customer's portal user, an internal user with every channel
        # right, and a visitor.
        for user in (self.portal_cust_b, self.channel_manager, None):
            self.login(user)
            login = user.login if user else "anonymous"
            for url, kind, methods in distributor_routes():
                url = self.fill(url)
                with self.subTest(user=login, url=url):
                    if kind == "json":
                        if user:
                            result = self.make_jsonrpc_request(url, json_params)
                            self.assertEqual(list(result), ["error"])
                            self.assertIn("Only distributors", result["error"])
                        else:
                            with self.assertRaises(JsonRpcException):
                                self.make_jsonrpc_request(url, json_params)
                        continue
                    responses = [self.url_open(url, allow_redirects=False)]
                    if "POST" in methods:
                        responses.append(
                            self.post_form(url, form, allow_redirects=False)
                        )
                    for response in responses:
                        self.assertEqual(response.status_code, 303)
                        location = response.headers["Location"]
                        if user:
                            self.assertTrue(location.endswith("/my"), location)
                        else:
                            self.assertIn("/web/login", location)
                        self.assertNotIn(self.customer_b.name, response.text)
        self.assertEqual(self.written(), before)

    def test_every_route_serves_the_distributor(self):
        # The same routes answer B's user (the guard lets it through).
        self.login(self.portal_dist_b)
        for url, kind, __ in distributor_routes():
            if kind == "json":
                continue
            url = self.fill(url)
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertEqual(response.status_code, 200)

    @mute_logger("odoo.http")
    def test_order_edit_uses_the_document_access_check(self):
        # B's user edits its quotation; A's order and a missing one are not
        # found (Odoo's check of read access, then the distributor's).
        self.login(self.portal_dist_b)
        url = f"/my/channel/orders/{self.quote_b.id}/edit"
        self.assertEqual(self.url_open(url).status_code, 200)
        for order_id in (self.order_a.id, self.quote_b.id + 10**6):
            response = self.url_open(f"/my/channel/orders/{order_id}/edit")
            self.assertEqual(response.status_code, 404)
        # B's quotation in a company B's user has no access to: Odoo's check
        # refuses it (a superuser read of the order found it B's).
        company_2 = self.env["res.company"].create({"name": "Guard Co 2"})
        shared = self.env["product.pricelist"].create(
            {"name": "Guard Shared", "company_id": False}
        )
        other = self.quote_b.copy(
            {
                "company_id": company_2.id,
                "pricelist_id": shared.id,
                "channel_source": "portal",
            }
        )
        self.assertEqual(other.distributor_id, self.distributor_b)
        self.assertTrue(other._channel_portal_is_editable(self.distributor_b))
        response = self.url_open(f"/my/channel/orders/{other.id}/edit")
        self.assertEqual(response.status_code, 404)
        response = self.post_form(
            f"/my/channel/orders/{other.id}/edit",
            {
                "end_customer_id": str(self.customer_b.id),
                "client_order_ref": "other company",
                "product_id": str(self.product_service.id),
                "quantity": "1",
            },
        )
        self.assertEqual(response.status_code, 404)
        self.assertNotEqual(other.client_order_ref, "other company")

    def test_end_customers_are_paged_in_the_database(self):
        Partner = self.env["res.partner"]
        Partner.create(
            [
                {
                    "name": f"Paged {index:02d}",
                    "is_company": True,
                    "distributor_id": self.distributor_b.id,
                }
                for index in range(25)
            ]
        )
        count = self.distributor_b._channel_portal_end_customer_count()
        self.assertEqual(count, len(self.distributor_b._channel_portal_end_customers()))
        self.assertGreater(count, 25)
        names = self.distributor_b._channel_portal_end_customers().mapped("name")
        self.login(self.portal_dist_b)
        # Page 2 holds the 21st to 40th name, read with LIMIT and OFFSET.
        with self.assertLogs("odoo.sql_db", "DEBUG") as logs:
            page = self.url_open("/my/channel/customers/page/2").text
        queries = [
            line
            for line in logs.output
            if 'FROM "res_partner"' in line and "LIMIT 20 OFFSET 20" in line
        ]
        self.assertTrue(queries, "the page is not read with LIMIT/OFFSET")
        for name in names[20:40]:
            self.assertIn(name, page)
        for name in names[:20]:
            self.assertNotIn(f">{name}<", page)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["channel_customer_count"]}
        )
        self.assertEqual(counters["channel_customer_count"], count)
