# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import uuid

from psycopg2 import IntegrityError

from odoo import Command
from odoo.addons.channel_distribution.tests.common import (
    SIGNATURE,
    ChannelCase,
    ChannelTourCase,
)
from odoo.exceptions import UserError
from odoo.http import Request
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

# Queries of /my/orders for a distributor's user, from warm caches (issue 23:
# the reference of the portal bench's submissions). Plain Odoo's page for a
# customer's user is 20 (the same page in process on a database of
# sale_management, account and portal only); the product adds its two
# record rules' ``financial_partner_id child_of`` (resolved one level at a
# time, for the count and for the page: 8) and the distributor's end
# customers for the page's filter (2).
MY_ORDERS_QUERIES = 29


@tagged("post_install", "-at_install")
class TestPortal(HttpCase, ChannelCase):
    """Distributor self-service on the portal, as distributor A, distributor
    B, an end customer and an anonymous visitor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.product_service | cls.product_setup).channel_available = True
        Product = cls.env["product.product"]
        cls.product_closed = Product.create(
            {"name": "Not In Channel", "type": "service", "list_price": 10.0}
        )
        cls.product_not_sold = Product.create(
            {
                "name": "Not Sold",
                "type": "service",
                "list_price": 10.0,
                "sale_ok": False,
                "channel_available": True,
            }
        )
        cls.salesman = cls.env["res.users"].create(
            {
                "name": "Channel Salesman",
                "login": "channel_salesman",
                "email": "salesman@example.com",
                "groups_id": [Command.set([cls.env.ref("base.group_user").id])],
            }
        )
        cls.distributor_a.user_id = cls.salesman
        portal = cls.env.ref("base.group_portal")
        Partner = cls.env["res.partner"]

        def portal_user(login, parent):
            contact = Partner.create(
                {
                    "name": login.title(),
                    "parent_id": parent.id,
                    "email": f"{login}@x.com",
                }
            )
            return cls.env["res.users"].create(
                {
                    "login": login,
                    "password": login + "-pass-1234",
                    "partner_id": contact.id,
                    "groups_id": [Command.set([portal.id])],
                }
            )

        cls.user_a = portal_user("dist_a_user", cls.distributor_a)
        cls.user_a2 = portal_user("dist_a_user2", cls.distributor_a)
        cls.user_b = portal_user("dist_b_user", cls.distributor_b)
        cls.user_customer_b = portal_user("customer_b_user", cls.customer_b)
        cls.order_a = cls._create_order(cls.distributor_a, cls.customer_a)
        cls.order_a.action_confirm()
        cls.quote_a = cls._create_order(cls.distributor_a, cls.customer_a)
        cls.order_b_agency = cls._create_order(cls.distributor_b, cls.customer_b)
        cls.order_b_agency.action_confirm()
        cls.order_b_resale = cls._create_order(
            cls.distributor_b, cls.customer_b, financial_role="distributor"
        )
        cls.order_b_resale.action_confirm()

    # helpers ----------------------------------------------------------

    def login(self, user):
        self.authenticate(user.login, user.login + "-pass-1234")

    def post(self, url, data, **kw):
        data = list(data.items()) if isinstance(data, dict) else list(data)
        data.append(("csrf_token", Request.csrf_token(self)))
        return self.url_open(url, data=data, **kw)

    def order_data(self, customer=None, lines=None, **extra):
        customer = customer if customer is not None else self.customer_a
        lines = lines if lines is not None else [(self.product_service.id, "2")]
        data = [
            ("end_customer_id", str(customer.id) if customer else ""),
            ("client_order_ref", "PO-77"),
            ("note", "Deliver <b>fast</b>"),
            ("token", uuid.uuid4().hex),
        ]
        for product_id, quantity in lines:
            data += [("product_id", str(product_id)), ("quantity", quantity)]
        data += list(extra.items())
        return data

    def portal_orders(self, distributor):
        return self.env["sale.order"].search(
            [("distributor_id", "=", distributor.id), ("channel_source", "=", "portal")]
        )

    # home and end customers --------------------------------------------

    def test_home_channel_section(self):
        self.login(self.user_a)
        page = self.url_open("/my").text
        self.assertIn("/my/channel/customers", page)
        self.assertIn("/my/channel/orders/new", page)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["channel_customer_count"]}
        )
        self.assertEqual(counters["channel_customer_count"], 1)
        self.login(self.user_customer_b)
        self.assertNotIn("/my/channel/customers", self.url_open("/my").text)
        for url in ("/my/channel/customers", "/my/channel/orders/new"):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303)
            self.assertTrue(response.headers["Location"].endswith("/my"))

    def test_anonymous(self):
        for url in (
            "/my/channel/customers",
            "/my/channel/orders/new",
            f"/my/channel/customers/{self.customer_a.id}",
        ):
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 303, url)
            self.assertIn("/web/login", response.headers["Location"])
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/my/channel/orders/price",
                {"end_customer_id": self.customer_a.id, "lines": []},
            )
        response = self.url_open(f"/my/orders/{self.order_a.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertNotIn(self.order_a.name, response.text)

    def test_customer_list_and_search(self):
        extra = self.env["res.partner"].create(
            {
                "name": "Zebra Farms",
                "is_company": True,
                "distributor_id": self.distributor_a.id,
                "city": "Leuven",
            }
        )
        self.login(self.user_a2)
        page = self.url_open("/my/channel/customers").text
        self.assertIn("End Customer A", page)
        self.assertIn("Zebra Farms", page)
        self.assertNotIn("End Customer B", page)
        page = self.url_open("/my/channel/customers?search=leuven").text
        self.assertIn("Zebra Farms", page)
        self.assertNotIn("End Customer A", page)
        self.login(self.user_b)
        page = self.url_open("/my/channel/customers").text
        self.assertIn("End Customer B", page)
        self.assertNotIn("Zebra Farms", page)
        response = self.url_open(f"/my/channel/customers/{extra.id}")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Leuven", response.text)

    def test_customer_create(self):
        self.login(self.user_a)
        response = self.post(
            "/my/channel/customers/new",
            {
                "name": "<script>alert(1)</script> Corp",
                "is_company": "1",
                "email": "buyer@corp.example.com",
                "vat": "BE0477472701",
                "city": "Brussels",
                "country_id": str(self.env.ref("base.be").id),
                # ignored: the distributor comes from the user
                "distributor_id": str(self.distributor_b.id),
            },
        )
        self.assertEqual(response.status_code, 200)
        customer = self.env["res.partner"].search(
            [("email", "=", "buyer@corp.example.com")]
        )
        self.assertEqual(customer.distributor_id, self.distributor_a)
        self.assertTrue(customer.is_company)
        self.assertEqual(customer.country_id, self.env.ref("base.be"))
        # Shown escaped in the list.
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt; Corp", response.text)
        self.assertNotIn("<script>alert(1)</script>", response.text)

    def test_customer_create_bad_input(self):
        self.login(self.user_a)
        Partner = self.env["res.partner"]
        count = Partner.search_count([])
        response = self.post("/my/channel/customers/new", {"name": "", "city": "X"})
        self.assertIn("o_channel_form_error", response.text)
        self.assertIn("name of the end customer is required", response.text)
        response = self.post(
            "/my/channel/customers/new", {"name": "Bad Mail", "email": "not-an-email"}
        )
        self.assertIn("is not a valid email address", response.text)
        self.assertIn('value="Bad Mail"', response.text)
        response = self.post(
            "/my/channel/customers/new", {"name": "Bad Country", "country_id": "999999"}
        )
        self.assertIn("Choose a country", response.text)
        self.assertEqual(Partner.search_count([]), count)
        # Without the CSRF token: refused.
        response = self.url_open(
            "/my/channel/customers/new", data={"name": "No Csrf Corp"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Partner.search([("name", "=", "No Csrf Corp")]))

    def test_customer_duplicate_warning(self):
        self.customer_a.write({"email": "dup@example.com", "vat": "NL123"})
        self.login(self.user_a)
        count = self.env["res.partner"].search_count([])
        response = self.post(
            "/my/channel/customers/new", {"name": "Twin", "email": "DUP@example.com"}
        )
        self.assertIn("already have an end customer", response.text)
        self.assertIn("End Customer A", response.text)
        self.assertIn('value="Twin"', response.text)
        self.assertEqual(self.env["res.partner"].search_count([]), count)
        self.post(
            "/my/channel/customers/new",
            {"name": "Twin", "email": "dup@example.com", "confirm_duplicate": "1"},
        )
        self.assertEqual(self.env["res.partner"].search_count([]), count + 1)
        # Another distributor's customers are no duplicates of B's.
        self.login(self.user_b)
        response = self.post(
            "/my/channel/customers/new", {"name": "Other", "vat": "NL123"}
        )
        self.assertNotIn("already have an end customer", response.text)
        self.assertTrue(
            self.env["res.partner"].search(
                [("name", "=", "Other"), ("distributor_id", "=", self.distributor_b.id)]
            )
        )

    def test_customer_edit(self):
        self.login(self.user_a)
        url = f"/my/channel/customers/{self.customer_a.id}"
        self.assertIn("End Customer A", self.url_open(url).text)
        self.post(url, {"name": "End Customer A2", "city": "Mons", "is_company": "1"})
        self.assertEqual(self.customer_a.name, "End Customer A2")
        self.assertEqual(self.customer_a.city, "Mons")
        self.assertEqual(self.customer_a.distributor_id, self.distributor_a)
        self.login(self.user_b)
        response = self.post(url, {"name": "Stolen"})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.customer_a.name, "End Customer A2")

    def test_customer_edit_keeps_a_company_a_company(self):
        """Sixteenth probe, P16-6: the form wrote as superuser, so an edit
        with *Person* ticked, or without the box, made a company of the
        channel a person (P15-2's rule: for everyone but the superuser),
        which Odoo's portal wizard then gave a login acting for the whole
        company. An edit without the box keeps what the partner is; *Person*
        on a company is a form error."""
        self.assertTrue(self.customer_a.is_company)
        self.login(self.user_a)
        url = f"/my/channel/customers/{self.customer_a.id}"
        self.post(url, {"name": "End Customer A", "city": "Mons"})
        self.assertEqual(self.customer_a.city, "Mons")
        self.assertTrue(self.customer_a.is_company)
        response = self.post(
            url, {"name": "End Customer A", "city": "Liege", "is_company": "0"}
        )
        self.assertIn("stays a company", response.text)
        self.assertTrue(self.customer_a.is_company)
        self.assertEqual(self.customer_a.city, "Mons")

    # orders --------------------------------------------------------------

    def test_order_create(self):
        self.login(self.user_a)
        form = self.url_open("/my/channel/orders/new").text
        self.assertIn("End Customer A", form)
        self.assertIn("Test Service", form)
        self.assertNotIn("End Customer B", form)
        self.assertNotIn("Not In Channel", form)
        self.assertNotIn("Not Sold", form)
        # Every input of the form is rendered, empty ones included.
        for name in ("end_customer_id", "client_order_ref", "note", "token"):
            self.assertRegex(form, rf'<(input|select|textarea)[^>]*name="{name}"')
        response = self.post(
            "/my/channel/orders/new",
            self.order_data(
                lines=[(self.product_service.id, "2"), (self.product_setup.id, "1")],
                # ignored: prices, distributor and role come from the server
                price_unit="1",
                distributor_id=str(self.distributor_b.id),
                financial_role="end_customer",
            ),
        )
        order = self.portal_orders(self.distributor_a)
        self.assertEqual(len(order), 1)
        self.assertIn(f"/my/orders/{order.id}", response.url)
        self.assertIn("End Customer A", response.text)
        self.assertEqual(order.end_customer_id, self.customer_a)
        self.assertEqual(order.financial_role, "distributor")
        self.assertEqual(order.partner_id, self.distributor_a)
        self.assertEqual(order.pricelist_id, self.book_gold)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.client_order_ref, "PO-77")
        self.assertEqual(order.user_id, self.salesman)
        self.assertEqual(order.order_line.mapped("price_unit"), [80.0, 200.0])
        self.assertAlmostEqual(order.amount_untaxed, 360.0)
        self.assertEqual(order.channel_portal_note, "Deliver <b>fast</b>")
        # The note is shown escaped.
        self.assertIn("Deliver &lt;b&gt;fast&lt;/b&gt;", response.text)
        note = order.message_ids.filtered(lambda m: "portal" in (m.body or ""))
        self.assertTrue(note)
        self.assertIn("&lt;b&gt;fast", note[0].body)
        self.assertEqual(note[0].author_id, self.user_a.partner_id)
        # The order's creation is told by the same message, an internal note
        # (issue 23: one message, not a creation message and a note).
        created = order.message_ids.filtered(lambda m: "created" in (m.body or ""))
        self.assertEqual(created, note)
        self.assertIn("Sales Order created", note.body)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertEqual(note.message_type, "comment")
        activity = order.activity_ids
        self.assertEqual(activity.user_id, self.salesman)
        # The order is in its list, with the end customer, for both its users.
        self.login(self.user_a2)
        page = self.url_open("/my/quotes").text
        self.assertIn(order.name, page)
        self.assertIn("o_channel_end_customer_cell", page)

    def test_order_create_confirmed(self):
        self.env.company.channel_portal_confirm = True
        self.login(self.user_a)
        self.post("/my/channel/orders/new", self.order_data())
        order = self.portal_orders(self.distributor_a)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.financial_role, "distributor")
        self.assertEqual(order.partner_id, self.distributor_a)

    def test_agency_order_waits_for_the_end_customers_signature(self):
        """Sixteenth probe, P16-5: an agency distributor's submission was
        confirmed at once (*Confirm Distributor Orders*): its end customer,
        the invoiced party, was billed for an order it never signed (and,
        for a subscription product, every month), where the same
        distributor may not raise that customer's subscription without a
        quotation the customer signs. An order invoiced to the end customer
        stays a quotation for the vendor to send and the end customer to
        sign."""
        self.env.company.channel_portal_confirm = True
        self.login(self.user_b)
        self.post("/my/channel/orders/new", self.order_data(customer=self.customer_b))
        order = self.portal_orders(self.distributor_b)
        self.assertEqual(order.financial_role, "end_customer")
        self.assertEqual(order.partner_id, self.customer_b)
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.activity_ids)
        # the vendor sends it, the end customer signs it: confirmed
        order.write({"require_signature": True, "require_payment": False})
        order.action_quotation_sent()
        self.login(self.user_customer_b)
        self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {"name": "Customer B", "signature": SIGNATURE},
        )
        self.assertEqual(order.state, "sale")

    def test_order_double_submit(self):
        self.login(self.user_a)
        data = self.order_data()
        first = self.post("/my/channel/orders/new", data)
        second = self.post("/my/channel/orders/new", data)
        order = self.portal_orders(self.distributor_a)
        self.assertEqual(len(order), 1)
        self.assertEqual(first.url, second.url)

    def test_order_bad_input(self):
        self.login(self.user_a)
        Order = self.env["sale.order"]
        count = Order.search_count([])
        cases = [
            (self.order_data(customer=self.customer_b), "Choose one of your end"),
            (self.order_data(customer=False), "Choose one of your end"),
            (self.order_data(lines=[]), "Add at least one product"),
            (self.order_data(lines=[(self.product_closed.id, "1")]), "from the list"),
            (self.order_data(lines=[(self.product_not_sold.id, "1")]), "from the list"),
            (self.order_data(lines=[("abc", "1")]), "from the list"),
            (self.order_data(lines=[(self.product_service.id, "0")]), "more than 0"),
            (self.order_data(lines=[(self.product_service.id, "-3")]), "more than 0"),
            (self.order_data(lines=[(self.product_service.id, "1e9")]), "more than 0"),
            (self.order_data(lines=[(self.product_service.id, "nan")]), "more than 0"),
            (self.order_data(lines=[(self.product_service.id, "two")]), "more than 0"),
            (
                [(k, v) for k, v in self.order_data() if k != "token"],
                "form expired",
            ),
        ]
        for data, message in cases:
            response = self.post("/my/channel/orders/new", data)
            self.assertEqual(response.status_code, 200)
            self.assertIn("o_channel_form_error", response.text, message)
            self.assertIn(message, response.text)
            # The entered values are kept.
            self.assertIn('value="PO-77"', response.text)
        self.assertEqual(Order.search_count([]), count)
        # Without the CSRF token: refused.
        response = self.url_open("/my/channel/orders/new", data=self.order_data())
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Order.search_count([]), count)

    def test_order_check_reads_named_products_only(self):
        """A submission's check reads the products its lines name, not the
        portal's whole catalogue (what it read grew with the catalogue)."""
        catalogue = self.env["product.product"].create(
            [
                {
                    "name": f"Catalogue {index}",
                    "type": "service",
                    "list_price": 1.0,
                    "channel_available": True,
                }
                for index in range(5)
            ]
        )
        Order = self.env["sale.order"]
        values = {
            "end_customer_id": self.customer_a.id,
            "lines": [{"product_id": self.product_service.id, "quantity": 2.0}],
        }
        self.env.invalidate_all()
        customer, lines = Order._channel_portal_check_values(
            self.distributor_a, values, self.env.company
        )
        self.assertEqual(customer, self.customer_a)
        self.assertEqual(lines, [(self.product_service, 2.0)])
        template = Order.env["product.product"]._fields["product_tmpl_id"]
        self.assertTrue(self.env.cache.contains(self.product_service, template))
        # (a product's name read here would prefetch the others)
        read = [p.id for p in catalogue if self.env.cache.contains(p, template)]
        self.assertEqual(read, [])
        # a product of the catalogue is still refused when it is not offered
        values["lines"] = [{"product_id": self.product_not_sold.id, "quantity": 1.0}]
        with self.assertRaises(UserError) as refused:
            Order._channel_portal_check_values(
                self.distributor_a, values, self.env.company
            )
        self.assertIn("from the list", str(refused.exception))

    def test_price_preview(self):
        self.login(self.user_a)
        count = self.env["sale.order"].search_count([])
        lines = [
            {"product_id": self.product_service.id, "quantity": 2},
            {"product_id": self.product_setup.id, "quantity": "3"},
        ]
        result = self.make_jsonrpc_request(
            "/my/channel/orders/price",
            {"end_customer_id": self.customer_a.id, "lines": lines},
        )
        self.assertEqual(
            [line["price_unit"] for line in result["lines"]], [80.0, 200.0]
        )
        self.assertEqual(
            [line["list_price"] for line in result["lines"]], [100.0, 250.0]
        )
        self.assertEqual([line["discount"] for line in result["lines"]], [20.0, 20.0])
        self.assertAlmostEqual(result["amount_untaxed"], 760.0)
        self.assertEqual(self.env["sale.order"].search_count([]), count)
        # Another distributor's end customer: nothing priced, nothing leaks.
        result = self.make_jsonrpc_request(
            "/my/channel/orders/price",
            {"end_customer_id": self.customer_b.id, "lines": lines},
        )
        self.assertEqual(list(result), ["error"])
        result = self.make_jsonrpc_request(
            "/my/channel/orders/price",
            {
                "end_customer_id": self.customer_a.id,
                "lines": [{"product_id": self.product_closed.id, "quantity": 1}],
            },
        )
        self.assertEqual(list(result), ["error"])
        self.login(self.user_customer_b)
        result = self.make_jsonrpc_request(
            "/my/channel/orders/price",
            {"end_customer_id": self.customer_b.id, "lines": lines},
        )
        self.assertEqual(list(result), ["error"])

    def test_my_orders_queries(self):
        """What /my/orders costs a distributor's user in queries (the
        denominator of the portal bench's ratio): as many with one order
        listed as with five."""
        self.login(self.user_a)
        # caches of the registry (routing, templates, rules) filled once
        self.url_open("/my/orders")
        with self.assertQueryCount(MY_ORDERS_QUERIES):
            page = self.url_open("/my/orders").text
        self.assertIn(self.order_a.name, page)
        orders = self.order_a
        for __ in range(4):
            order = self._create_order(self.distributor_a, self.customer_a)
            order.action_confirm()
            orders |= order
        # their links' tokens, as the portal's own orders have them
        for order in orders:
            order._portal_ensure_token()
        with self.assertQueryCount(MY_ORDERS_QUERIES):
            page = self.url_open("/my/orders").text
        for order in orders:
            self.assertIn(order.name, page)

    def test_order_lists(self):
        self.login(self.user_a)
        page = self.url_open("/my/orders").text
        self.assertIn(self.order_a.name, page)
        self.assertIn("End Customer A", page)
        self.assertNotIn(self.order_b_agency.name, page)
        self.assertNotIn(self.quote_a.name, page)
        page = self.url_open("/my/quotes").text
        self.assertIn(self.quote_a.name, page)
        self.assertNotIn(self.order_a.name, page)
        other = self.env["res.partner"].create(
            {
                "name": "Second Customer",
                "is_company": True,
                "distributor_id": self.distributor_a.id,
            }
        )
        other_order = self._create_order(self.distributor_a, other)
        other_order.action_confirm()
        page = self.url_open("/my/orders").text
        self.assertIn(other_order.name, page)
        self.assertIn(self.order_a.name, page)
        page = self.url_open(f"/my/orders?filterby=ec{other.id}").text
        self.assertIn(other_order.name, page)
        self.assertNotIn(self.order_a.name, page)
        # Filtering by another distributor's customer shows all its own orders.
        page = self.url_open(f"/my/orders?filterby=ec{self.customer_b.id}").text
        self.assertNotIn(self.order_b_agency.name, page)
        self.assertNotIn("End Customer B", page)

    def test_order_access_across_distributors(self):
        self.login(self.user_b)
        url = self.order_a.get_portal_url().split("?")[0]
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertNotIn(self.order_a.name, response.text)
        # A token of another order (its own) does not open A's order.
        token = self.order_b_agency._portal_ensure_token()
        response = self.url_open(f"{url}?access_token={token}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        response = self.url_open(f"/my/orders/{self.order_b_agency.id}")
        self.assertIn(self.order_b_agency.name, response.text)
        # Edit route of another distributor's order: not found.
        response = self.url_open(f"/my/channel/orders/{self.quote_a.id}/edit")
        self.assertEqual(response.status_code, 404)
        # Record rules: nothing of A through the ORM either.
        orders = self.env["sale.order"].with_user(self.user_b).search([])
        self.assertNotIn(self.order_a, orders)
        self.assertIn(self.order_b_resale, orders)

    def test_invoice_access_across_distributors(self):
        invoice = self.order_a._create_invoices()
        invoice.action_post()
        self.login(self.user_a)
        response = self.url_open(f"/my/invoices/{invoice.id}")
        self.assertIn(invoice.name, response.text)
        self.login(self.user_b)
        response = self.url_open(f"/my/invoices/{invoice.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertNotIn(invoice.name, response.text)
        self.assertNotIn(invoice.name, self.url_open("/my/invoices").text)

    def test_order_edit(self):
        self.login(self.user_a)
        self.post("/my/channel/orders/new", self.order_data())
        order = self.portal_orders(self.distributor_a)
        page = self.url_open(order.get_portal_url()).text
        self.assertIn(f"/my/channel/orders/{order.id}/edit", page)
        url = f"/my/channel/orders/{order.id}/edit"
        self.assertIn('value="PO-77"', self.url_open(url).text)
        self.post(
            url,
            self.order_data(
                lines=[(self.product_setup.id, "4")], client_order_ref="PO-78"
            ),
        )
        self.assertEqual(order.order_line.product_id, self.product_setup)
        self.assertEqual(order.order_line.product_uom_qty, 4)
        self.assertEqual(order.order_line.price_unit, 200.0)
        # Bad input on edit: error, nothing changed.
        response = self.post(url, self.order_data(lines=[(self.product_setup.id, "0")]))
        self.assertIn("o_channel_form_error", response.text)
        self.assertEqual(order.order_line.product_uom_qty, 4)
        # B cannot touch it.
        self.login(self.user_b)
        response = self.post(url, self.order_data(customer=self.customer_b))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(order.end_customer_id, self.customer_a)
        # Once the vendor sent it, it is locked.
        order.action_quotation_sent()
        self.login(self.user_a)
        response = self.post(
            url, self.order_data(lines=[(self.product_service.id, "9")])
        )
        self.assertEqual(order.order_line.product_id, self.product_setup)
        self.assertNotIn(f"/my/channel/orders/{order.id}/edit", response.text)

    def test_order_analytic_distribution_models(self):
        """The lines of a portal order get the distribution of Odoo's
        analytic distribution models, searched once for the order when no
        model of its company nor of all companies exists (issue 23): a
        model of another company gives them none, a model of the product
        gives its line the distribution, the other line none."""
        Order = self.env["sale.order"]
        plan = self.env["account.analytic.plan"].create({"name": "T Plan"})
        Account = self.env["account.analytic.account"]
        account = Account.create(
            {"name": "T Account", "plan_id": plan.id, "company_id": False}
        )
        other = self.env["res.company"].create({"name": "T Other Company"})
        account_other = Account.create(
            {"name": "T Other", "plan_id": plan.id, "company_id": other.id}
        )
        Model = self.env["account.analytic.distribution.model"]
        Model.create(
            {
                "company_id": other.id,
                "analytic_distribution": {str(account_other.id): 100},
            }
        )

        def submit(token):
            values = {
                "end_customer_id": self.customer_a.id,
                "lines": [
                    {"product_id": self.product_service.id, "quantity": 1.0},
                    {"product_id": self.product_setup.id, "quantity": 1.0},
                ],
                "token": token,
            }
            order = Order._channel_portal_create_order(
                self.distributor_a, values, self.env.company
            )
            return order.order_line.sorted(lambda line: line.product_id.id)

        lines = submit("analytic-none")
        self.assertEqual(lines.product_id, self.product_service | self.product_setup)
        self.assertFalse(any(lines.mapped("analytic_distribution")))
        Model.create(
            {
                "product_id": self.product_service.id,
                "analytic_distribution": {str(account.id): 100},
            }
        )
        service, setup = submit("analytic-model")
        self.assertEqual(service.product_id, self.product_service)
        self.assertEqual(service.analytic_distribution, {str(account.id): 100})
        self.assertFalse(setup.analytic_distribution)
        self.assertNotIn("channel_portal_new_lines", self.env.cr.cache)

    def test_order_token_unique(self):
        Order = self.env["sale.order"]
        values = {
            "end_customer_id": self.customer_a.id,
            "lines": [{"product_id": self.product_service.id, "quantity": 1.0}],
            "token": "same-token",
        }
        first = Order._channel_portal_create_order(
            self.distributor_a, values, self.env.company
        )
        again = Order._channel_portal_create_order(
            self.distributor_a, values, self.env.company
        )
        self.assertEqual(first, again)
        self.assertEqual(first.channel_source, "portal")
        # The database refuses a second order with the same form token.
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                Order.create(
                    self._order_vals(
                        self.distributor_a,
                        self.customer_a,
                        channel_portal_token="same-token",
                    )
                )

    # end customers ---------------------------------------------------------

    def test_end_customer_portal(self):
        self.login(self.user_customer_b)
        # Agency order: it is invoiced, so it sees it.
        page = self.url_open("/my/orders").text
        self.assertIn(self.order_b_agency.name, page)
        # Resale order: the distributor's prices are not its business.
        self.assertNotIn(self.order_b_resale.name, page)
        response = self.url_open(
            f"/my/orders/{self.order_b_resale.id}", allow_redirects=False
        )
        self.assertEqual(response.status_code, 303)
        orders = self.env["sale.order"].with_user(self.user_customer_b).search([])
        self.assertEqual(orders, self.order_b_agency)
        lines = self.env["sale.order.line"].with_user(self.user_customer_b).search([])
        self.assertEqual(lines.order_id, self.order_b_agency)


@tagged("post_install", "-at_install")
class TestPortalTour(ChannelTourCase):
    def test_demo_distributor_tour(self):
        distributor = self.env.ref("channel_distribution.distributor_northwind")
        before = self.env["sale.order"].search_count(
            [("distributor_id", "=", distributor.id)]
        )
        self.start_tour("/my", "channel_distribution_portal_order", login="distributor")
        order = self.env["sale.order"].search(
            [("distributor_id", "=", distributor.id), ("channel_source", "=", "portal")]
        )
        self.assertEqual(len(order), 1)
        self.assertEqual(
            self.env["sale.order"].search_count(
                [("distributor_id", "=", distributor.id)]
            ),
            before + 1,
        )
        self.assertEqual(order.end_customer_id.name, "Tour Bakery Ltd")
        self.assertEqual(order.end_customer_id.distributor_id, distributor)
        self.assertEqual(order.client_order_ref, "TOUR-PO-1")
        self.assertEqual(order.order_line.mapped("price_unit"), [384.0, 48.0])

    def test_demo_distributor_channel_section(self):
        self.authenticate("distributor", "distributor")
        page = self.url_open("/my/channel/customers").text
        for name in ("Acme Logistics", "Greenfield Dental Clinic", "Harbor Hotels"):
            self.assertIn(name, page)
        page = self.url_open("/my/orders").text
        self.assertIn("Acme Logistics", page)
        self.assertIn("Greenfield Dental Clinic", page)
        self.assertIn("Harbor Hotels", self.url_open("/my/quotes").text)
