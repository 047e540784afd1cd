# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The order form's dialog that adds an end customer on the spot: the JSON
route behind it, its no-JavaScript fallback and a browser tour."""

from odoo import Command
from odoo.addons.channel_distribution.tests.common import (
    ChannelPortalCase,
    ChannelTourCase,
)
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

URL = "/my/channel/customers/quick_create"


@tagged("post_install", "-at_install")
class TestQuickCustomer(ChannelPortalCase):
    def quick_create(self, **params):
        return self.make_jsonrpc_request(URL, params)

    def partner_count(self):
        return self.env["res.partner"].with_context(active_test=False).search_count([])

    def test_quick_create(self):
        self.login(self.portal_dist_a)
        belgium = self.env.ref("base.be")
        result = self.quick_create(
            name="  Quick Corp  ",
            is_company=True,
            email="buyer@quick.example.com",
            vat="BE0477472701",
            street="Rue Haute 1",
            zip="1000",
            city="Brussels",
            country_id=belgium.id,
            phone="+32 2 000 00 00",
            # ignored: the distributor comes from the user
            distributor_id=self.distributor_b.id,
            company_id=self.company.id,
        )
        self.assertEqual(set(result), {"id", "name"})
        customer = self.env["res.partner"].browse(result["id"])
        self.assertEqual(result["name"], "Quick Corp")
        self.assertEqual(customer.name, "Quick Corp")
        self.assertEqual(customer.distributor_id, self.distributor_a)
        self.assertFalse(customer.company_id)
        self.assertFalse(customer.parent_id)
        self.assertTrue(customer.is_company)
        self.assertEqual(customer.country_id, belgium)
        self.assertEqual(
            (customer.email, customer.vat, customer.city, customer.zip),
            ("buyer@quick.example.com", "BE0477472701", "Brussels", "1000"),
        )
        # It is one of A's end customers at once: in the order form, and
        # the lines are priced for it at A's price book.
        self.assertIn("Quick Corp", self.url_open("/my/channel/orders/new").text)
        priced = self.make_jsonrpc_request(
            "/my/channel/orders/price",
            {
                "end_customer_id": customer.id,
                "lines": [{"product_id": self.product_service.id, "quantity": 2}],
            },
        )
        self.assertEqual(priced["lines"][0]["price_unit"], 80.0)
        # A person; the country may come as a string, like from the form.
        result = self.quick_create(
            name="Jane Quick", is_company=False, country_id=str(belgium.id)
        )
        person = self.env["res.partner"].browse(result["id"])
        self.assertFalse(person.is_company)
        self.assertEqual(person.country_id, belgium)
        self.assertEqual(person.distributor_id, self.distributor_a)

    def test_quick_create_duplicate(self):
        self.customer_a.write({"email": "dup@example.com", "vat": "NL123"})
        self.login(self.portal_dist_a)
        count = self.partner_count()
        for flag in (None, False, "0", "false", ""):
            params = {"name": "Twin", "email": "DUP@example.com"}
            if flag is not None:
                params["confirm_duplicate"] = flag
            result = self.quick_create(**params)
            self.assertIn("already have an end customer", result["error"])
            self.assertEqual(result["duplicates"], ["End Customer A"])
            self.assertNotIn("id", result)
        result = self.quick_create(name="Twin", vat="nl123")
        self.assertEqual(result["duplicates"], ["End Customer A"])
        self.assertEqual(self.partner_count(), count)
        result = self.quick_create(
            name="Twin", email="dup@example.com", confirm_duplicate=True
        )
        twin = self.env["res.partner"].browse(result["id"])
        self.assertEqual(twin.name, "Twin")
        self.assertEqual(twin.distributor_id, self.distributor_a)
        self.assertEqual(self.partner_count(), count + 1)
        # Another distributor's customers are no duplicates of B's.
        self.login(self.portal_dist_b)
        result = self.quick_create(name="Other", email="dup@example.com", vat="NL123")
        self.assertEqual(
            self.env["res.partner"].browse(result["id"]).distributor_id,
            self.distributor_b,
        )

    def test_quick_create_bad_input(self):
        self.login(self.portal_dist_a)
        count = self.partner_count()
        cases = [
            ({}, "name of the end customer is required"),
            ({"name": ""}, "name of the end customer is required"),
            ({"name": "   ", "city": "Ghent"}, "name of the end customer is required"),
            ({"name": "Bad Mail", "email": "not-an-email"}, "not a valid email"),
            ({"name": "Bad Country", "country_id": 999999}, "Choose a country"),
            ({"name": "Bad Country", "country_id": "abc"}, "Choose a country"),
            ({"name": "Bad Country", "country_id": -3}, "Choose a country"),
            ({"name": "Bad Country", "country_id": "9" * 40}, "Choose a country"),
            ({"name": "Bad Country", "country_id": [1]}, "enter a text"),
            ({"name": "x" * 129}, "at most 128 characters"),
            ({"name": "Long City", "city": "x" * 10000}, "at most 128 characters"),
            ({"name": ["Listed"]}, "enter a text"),
            ({"name": {"en": "Dict"}}, "enter a text"),
            ({"name": "Number Mail", "email": 5}, "enter a text"),
            ({"name": "Float Zip", "zip": 1.5}, "enter a text"),
        ]
        for params, message in cases:
            with self.subTest(params=str(params)[:80]):
                result = self.quick_create(**params)
                self.assertEqual(list(result), ["error"])
                self.assertIn(message, result["error"])
        self.assertEqual(self.partner_count(), count)
        # The field is named in the message.
        result = self.quick_create(name="Long Street", street="s" * 500)
        self.assertIn("Street", result["error"])
        self.assertEqual(self.partner_count(), count)

    def test_quick_create_not_a_distributor(self):
        count = self.partner_count()
        # An end customer's portal user, an internal user: an error, no trace.
        for user in (self.portal_cust_a, self.portal_cust_b, self.salesman):
            self.login(user)
            result = self.quick_create(name=f"By {user.login}")
            self.assertEqual(list(result), ["error"], user.login)
            self.assertIn("Only distributors", result["error"])
        self.assertEqual(self.partner_count(), count)
        # B's user creates for B only, whatever it sends; A never sees it.
        self.login(self.portal_dist_b)
        result = self.quick_create(
            name="Slipped Corp", distributor_id=self.distributor_a.id
        )
        customer = self.env["res.partner"].browse(result["id"])
        self.assertEqual(customer.distributor_id, self.distributor_b)
        self.assertNotIn(customer, self.distributor_a._channel_portal_end_customers())
        self.login(self.portal_dist_a)
        self.assertNotIn("Slipped Corp", self.url_open("/my/channel/customers").text)
        priced = self.make_jsonrpc_request(
            "/my/channel/orders/price",
            {
                "end_customer_id": customer.id,
                "lines": [{"product_id": self.product_service.id, "quantity": 1}],
            },
        )
        self.assertEqual(list(priced), ["error"])

    @mute_logger("odoo.http")
    def test_quick_create_anonymous_and_transport(self):
        count = self.partner_count()
        self.login(None)
        with self.assertRaises(JsonRpcException):
            self.quick_create(name="Anonymous Corp")
        self.login(self.portal_dist_a)
        # POST only.
        self.assertEqual(self.url_open(URL).status_code, 405)
        # A plain form post (what another site could make a browser send),
        # even with a CSRF token, is not a JSON request: refused.
        for csrf in (False, True):
            response = self.post_form(URL, {"name": "Form Corp"}, csrf=csrf)
            self.assertEqual(response.status_code, 400)
        response = self.url_open(
            URL,
            data=b'{"params": {"name": "Text Corp"}}',
            headers={"Content-Type": "text/plain"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.partner_count(), count)

    def test_order_form_dialog_and_fallback(self):
        self.login(self.portal_dist_a)
        page = self.url_open("/my/channel/orders/new").text
        self.assertIn('id="channel_quick_customer"', page)
        self.assertIn('data-bs-target="#channel_quick_customer"', page)
        self.assertIn('href="/my/channel/customers/new?next=order"', page)
        self.assertIn(self.env.ref("base.be").name, page)
        # The dialog's form posted without JavaScript: the end customer page
        # creates the customer and comes back to a new order for it.
        response = self.post_form(
            "/my/channel/customers/new",
            {"name": "No Script Ltd", "is_company": "1", "next": "order"},
            allow_redirects=False,
        )
        customer = self.env["res.partner"].search([("name", "=", "No Script Ltd")])
        self.assertEqual(customer.distributor_id, self.distributor_a)
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(
                f"/my/channel/orders/new?end_customer_id={customer.id}"
            )
        )
        # Editing a quotation: the dialog too; without JavaScript, the end
        # customer page then goes back to the list, not to a new order.
        order = self._create_order(
            self.distributor_a, self.customer_a, channel_source="portal"
        )
        response = self.url_open(f"/my/channel/orders/{order.id}/edit")
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="channel_quick_customer"', response.text)
        self.assertIn('data-bs-target="#channel_quick_customer"', response.text)
        self.assertIn('href="/my/channel/customers/new"', response.text)
        self.assertIn(self.env.ref("base.be").name, response.text)
        self.assertNotIn('name="next"', response.text)


@tagged("post_install", "-at_install")
class TestQuickCustomerTour(ChannelTourCase):
    def test_quick_customer_tour(self):
        distributor = self.env.ref("channel_distribution.distributor_northwind")
        acme = self.env.ref("channel_distribution.end_customer_acme")
        self.start_tour(
            "/my/channel/orders/new",
            "channel_distribution_portal_quick_customer",
            login="distributor",
        )
        customer = self.env["res.partner"].search([("name", "=", "Quick Tour Cafe")])
        self.assertEqual(len(customer), 1)
        self.assertEqual(customer.distributor_id, distributor)
        self.assertEqual(customer.email, acme.email)
        self.assertEqual(customer.city, "Utrecht")
        order = self.env["sale.order"].search(
            [("distributor_id", "=", distributor.id), ("channel_source", "=", "portal")]
        )
        self.assertEqual(len(order), 1)
        self.assertEqual(order.end_customer_id, customer)
        self.assertEqual(order.client_order_ref, "TOUR-QC-1")
        self.assertEqual(order.order_line.mapped("product_uom_qty"), [3.0])
        self.assertEqual(order.order_line.mapped("price_unit"), [384.0])

    def test_quick_customer_edit_tour(self):
        distributor = self.env.ref("channel_distribution.distributor_northwind")
        acme = self.env.ref("channel_distribution.end_customer_acme")
        backup = self.env.ref("channel_distribution.product_backup")
        order = self.env["sale.order"].create(
            {
                "partner_id": distributor.id,
                "distributor_id": distributor.id,
                "end_customer_id": acme.id,
                "channel_source": "portal",
                "order_line": [
                    Command.create({"product_id": backup.id, "product_uom_qty": 2})
                ],
            }
        )
        self.assertEqual(order.order_line.price_unit, 384.0)
        self.start_tour(
            f"/my/channel/orders/{order.id}/edit",
            "channel_distribution_portal_quick_customer_edit",
            login="distributor",
        )
        customer = self.env["res.partner"].search([("name", "=", "Edit Tour Bistro")])
        self.assertEqual(len(customer), 1)
        self.assertEqual(customer.distributor_id, distributor)
        self.assertEqual(order.end_customer_id, customer)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.order_line.mapped("product_uom_qty"), [2.0])
        self.assertEqual(order.order_line.mapped("price_unit"), [384.0])
