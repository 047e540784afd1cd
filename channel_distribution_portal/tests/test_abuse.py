# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Abuse cases of the distributor's portal pages, and a portal order of a
distributor of a second company.

What a distributor's portal user may try beyond the forms (tampered and
replayed posts, no CSRF token, oversized, malformed and HTML input, guessed
ids). tests/test_portal.py holds the ordinary bad-input cases (wrong end
customer, closed products, bad quantities, double submit); they are not
repeated here.
"""

import uuid

from odoo import Command
from odoo.addons.channel_distribution.tests.common import RAW, XSS, ChannelPortalCase
from odoo.tests import tagged
from odoo.tools import mute_logger

ESCAPED = "&lt;script&gt;alert("
# A POST for each route of the distributor portal, ``{}`` the ids.
POST_ROUTES = (
    "/my/channel/customers/new",
    "/my/channel/customers/{customer_b.id}",
    "/my/channel/orders/new",
    "/my/channel/orders/{quote_b.id}/edit",
)


@tagged("post_install", "-at_install")
class TestPortalAbuse(ChannelPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_closed = cls.env["product.product"].create(
            {"name": "Closed Product", "type": "service", "list_price": 1.0}
        )

    def setUp(self):
        super().setUp()
        self.login(self.portal_dist_b)

    def order_data(self, customer=None, lines=None, **extra):
        customer = customer or self.customer_b
        lines = lines if lines is not None else [(self.product_setup.id, "2")]
        fields_ = {
            "end_customer_id": str(customer.id),
            "client_order_ref": "PO-1",
            "note": "",
            "token": uuid.uuid4().hex,
        }
        fields_.update(extra)
        data = list(fields_.items())
        for product_id, quantity in lines:
            data += [("product_id", str(product_id)), ("quantity", str(quantity))]
        return data

    def portal_orders(self):
        return self.env["sale.order"].search(
            [
                ("distributor_id", "=", self.distributor_b.id),
                ("channel_source", "=", "portal"),
            ]
        )

    def new_quote(self):
        response = self.post_form("/my/channel/orders/new", self.order_data())
        self.assertEqual(response.status_code, 200)
        return self.portal_orders()[:1]

    # tampered fields ------------------------------------------------------

    def test_tampered_order_fields_are_ignored(self):
        tampered = {
            "price_unit": "0.01",
            "discount": "100",
            "distributor_id": str(self.distributor_a.id),
            "partner_id": str(self.distributor_a.id),
            "partner_invoice_id": str(self.customer_a.id),
            "financial_role": "distributor",
            "pricelist_id": str(self.book_gold.id),
            "company_id": "999",
            "user_id": "1",
            "state": "sale",
            "channel_portal_token": "forged",
        }
        response = self.post_form("/my/channel/orders/new", self.order_data(**tampered))
        self.assertEqual(response.status_code, 200)
        order = self.portal_orders()
        self.assertEqual(len(order), 1)
        # Distributor B's terms (agency: customer B invoiced at its own
        # pricelist), the server's price.
        expected = self.env["sale.order"]._channel_portal_price_lines(
            self.distributor_b,
            {
                "end_customer_id": self.customer_b.id,
                "lines": [{"product_id": self.product_setup.id, "quantity": 2.0}],
            },
            self.company,
        )
        self.assertEqual(order.distributor_id, self.distributor_b)
        self.assertEqual(order.end_customer_id, self.customer_b)
        self.assertEqual(order.financial_role, "end_customer")
        self.assertEqual(order.partner_id, self.customer_b)
        self.assertEqual(order.pricelist_id, self.order_b.pricelist_id)
        self.assertEqual(order.company_id, self.company)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.amount_untaxed * 1.0, expected["amount_untaxed"] * 1.0)
        self.assertEqual(order.order_line.price_unit, 250.0)
        self.assertNotEqual(order.channel_portal_token, "forged")
        # The same on the edit route, plus a product outside the channel.
        before = order.order_line.read(["product_id", "price_unit"])
        for lines in ([(self.product_setup.id, "1")], [(self.product_closed.id, "1")]):
            self.post_form(
                f"/my/channel/orders/{order.id}/edit",
                self.order_data(lines=lines, **tampered),
            )
        self.assertEqual(order.distributor_id, self.distributor_b)
        self.assertEqual(order.pricelist_id, self.order_b.pricelist_id)
        self.assertEqual(order.order_line.product_uom_qty, 1.0)
        self.assertEqual(order.order_line.price_unit, before[0]["price_unit"])
        self.assertEqual(order.state, "draft")

    def test_tampered_customer_fields_are_ignored(self):
        data = {
            "name": "Tampered Co",
            "is_company": "1",
            "distributor_id": str(self.distributor_a.id),
            "is_distributor": "1",
            "parent_id": str(self.distributor_a.id),
            "property_product_pricelist": str(self.book_gold.id),
            "user_id": "1",
            "company_id": "999",
            "channel_financial_role": "distributor",
        }
        self.post_form("/my/channel/customers/new", data)
        customer = self.env["res.partner"].search([("name", "=", "Tampered Co")])
        self.assertEqual(len(customer), 1)
        self.assertEqual(customer.distributor_id, self.distributor_b)
        self.assertFalse(customer.is_distributor)
        self.assertFalse(customer.parent_id)
        self.assertFalse(customer.user_id)
        self.assertNotEqual(customer.property_product_pricelist, self.book_gold)
        # Editing another distributor's customer through a tampered id.
        data["name"] = "Hijacked"
        response = self.post_form(f"/my/channel/customers/{self.customer_a.id}", data)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.customer_a.name, "End Customer A")

    # replay and CSRF ------------------------------------------------------

    def test_replay_after_vendor_confirms(self):
        data = self.order_data()
        self.post_form("/my/channel/orders/new", data)
        order = self.portal_orders()
        order.action_confirm()
        # The same create form, replayed: still one order, unchanged.
        self.post_form("/my/channel/orders/new", data)
        self.assertEqual(self.portal_orders(), order)
        # An edit form replayed after the confirmation changes nothing.
        edit = self.order_data(lines=[(self.product_setup.id, "9")])
        self.post_form(f"/my/channel/orders/{order.id}/edit", edit)
        self.assertEqual(order.order_line.product_uom_qty, 2.0)
        self.assertEqual(order.state, "sale")

    def test_csrf_on_every_post_route(self):
        self.quote_b = self.new_quote()
        count = self.env["sale.order"].search_count([])
        partners = self.env["res.partner"].search_count([])
        payloads = {
            "/my/channel/customers/new": [("name", "No CSRF Co")],
            "/my/channel/customers/{customer_b.id}": [("name", "No CSRF Co")],
            "/my/channel/orders/new": self.order_data(),
            "/my/channel/orders/{quote_b.id}/edit": self.order_data(
                lines=[(self.product_setup.id, "7")]
            ),
        }
        self.assertEqual(set(payloads), set(POST_ROUTES))
        values = {"customer_b": self.customer_b, "quote_b": self.quote_b}
        for route, data in payloads.items():
            url = route.format(**values)
            for token in (None, "", "0123456789abcdef" * 4 + "o1"):
                with self.subTest(url=url, token=token):
                    extra = [] if token is None else [("csrf_token", token)]
                    response = self.post_form(url, data + extra, csrf=False)
                    self.assertEqual(response.status_code, 400)
        self.assertEqual(self.env["sale.order"].search_count([]), count)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        self.assertEqual(self.customer_b.name, "End Customer B")
        self.assertEqual(self.quote_b.order_line.product_uom_qty, 2.0)

    # oversized and malformed input --------------------------------------

    def test_oversized_input(self):
        count = self.env["sale.order"].search_count([])
        long_text = "x" * 10000
        cases = [
            (self.order_data(note=long_text), "at most 4000 characters"),
            (
                self.order_data(lines=[(self.product_setup.id, "1")] * 1000),
                "at most 100 lines",
            ),
        ]
        for quantity in ("1e308", "inf", "-inf", "9" * 400, "10001"):
            cases.append(
                (self.order_data(lines=[(self.product_setup.id, quantity)]), "at most")
            )
        for data, message in cases:
            response = self.post_form("/my/channel/orders/new", data)
            self.assertEqual(response.status_code, 200)
            self.assertIn("o_channel_form_error", response.text)
            self.assertIn(message, response.text)
        self.assertEqual(self.env["sale.order"].search_count([]), count)
        # The reference is cut to the field's size.
        data = self.order_data()
        data = [(k, long_text if k == "client_order_ref" else v) for k, v in data]
        self.post_form("/my/channel/orders/new", data)
        self.assertEqual(len(self.portal_orders().client_order_ref), 64)
        # An end customer's texts beyond their limit are refused, as the
        # order form's dialog refuses them (test_portal_quick_customer).
        response = self.post_form(
            "/my/channel/customers/new",
            {"name": "Long " + long_text, "city": long_text, "street": long_text},
        )
        self.assertIn("at most 128 characters", response.text)
        customer = self.env["res.partner"].search([("name", "=like", "Long x%")])
        self.assertFalse(customer)
        # The price preview refuses 1,000 lines too.
        result = self.make_jsonrpc_request(
            "/my/channel/orders/price",
            {
                "end_customer_id": self.customer_b.id,
                "lines": [{"product_id": self.product_setup.id, "quantity": 1}] * 1000,
            },
        )
        self.assertEqual(list(result), ["error"])

    @mute_logger("odoo.http")
    def test_malformed_input(self):
        for url in (
            "/my/orders/abc",
            "/my/orders/-1",
            "/my/orders/1.5",
            "/my/channel/customers/abc",
            "/my/channel/customers/-3",
            "/my/channel/orders/abc/edit",
            "/my/channel/orders/-1/edit",
            "/my/orders/" + "9" * 30,
            "/my/channel/customers/" + "9" * 30,
            "/my/channel/orders/" + "9" * 12 + "/edit",
        ):
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertIn(response.status_code, (303, 404), url)
        count = self.env["sale.order"].search_count([])
        for customer_id in ("abc", "-1", "[1]", "1,2", "0x10", "", "9" * 30):
            data = [
                (k, customer_id if k == "end_customer_id" else v)
                for k, v in self.order_data()
            ]
            response = self.post_form("/my/channel/orders/new", data)
            self.assertIn("Choose one of your end", response.text, customer_id)
        for product_id in ("-1", "abc", "[3]", "1e3"):
            response = self.post_form(
                "/my/channel/orders/new", self.order_data(lines=[(product_id, "1")])
            )
            self.assertIn("from the list", response.text, product_id)
        for country in ("x", "-1", "9" * 40, "[1]"):
            response = self.post_form(
                "/my/channel/customers/new",
                {"name": "Bad Country", "country_id": country},
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn("Choose a country from the list", response.text)
        self.assertEqual(self.env["sale.order"].search_count([]), count)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Bad Country")]))
        # The JSON price route: every shape answers an error payload.
        product = self.product_setup.id
        bad_params = [
            {"end_customer_id": [self.customer_b.id], "lines": []},
            {"end_customer_id": {"id": self.customer_b.id}, "lines": [{}]},
            {"end_customer_id": "abc", "lines": "abc"},
            {"end_customer_id": -1, "lines": [{"product_id": product, "quantity": 1}]},
            {"end_customer_id": self.customer_b.id, "lines": {"product_id": product}},
            {"end_customer_id": self.customer_b.id, "lines": [[product, 1]]},
            {
                "end_customer_id": self.customer_b.id,
                "lines": [{"product_id": [product], "quantity": [2]}],
            },
            {
                "end_customer_id": self.customer_b.id,
                "lines": [{"product_id": product, "quantity": {"q": 1}}],
            },
            {
                "end_customer_id": self.customer_b.id,
                "lines": [{"product_id": -product, "quantity": 1}],
            },
        ]
        for params in bad_params:
            with self.subTest(params=params):
                result = self.make_jsonrpc_request("/my/channel/orders/price", params)
                self.assertEqual(list(result), ["error"])
        self.assertEqual(self.env["sale.order"].search_count([]), count)

    # HTML and script --------------------------------------------------------

    def test_html_is_stored_as_text_and_escaped(self):
        fields_ = ("name", "street", "city", "email", "phone", "vat")
        form = {name: XSS.format(name) for name in fields_}
        form["is_company"] = "1"
        # Such an e-mail address is refused, and the error page escapes it.
        response = self.post_form("/my/channel/customers/new", form)
        self.assertIn("is not a valid email address", response.text)
        self.assertNotIn(RAW, response.text)
        self.assertIn(ESCAPED, response.text)
        form["email"] = "xss@example.com"
        self.post_form("/my/channel/customers/new", form)
        customer = self.env["res.partner"].search([("name", "=", XSS.format("name"))])
        self.assertEqual(len(customer), 1)
        for name in ("name", "street", "city", "phone", "vat"):
            self.assertEqual(customer[name], XSS.format(name), name)
        data = self.order_data(customer=customer)
        data = [
            (k, XSS.format(k) if k in ("client_order_ref", "note") else v)
            for k, v in data
        ]
        self.post_form("/my/channel/orders/new", data)
        order = self.portal_orders()
        self.assertEqual(order.client_order_ref, XSS.format("client_order_ref"))
        self.assertEqual(order.channel_portal_note, XSS.format("note"))
        pages = {
            "/my/channel/customers": ("name", "city", "vat"),
            f"/my/channel/customers/{customer.id}": fields_[:-3],
            "/my/channel/orders/new": ("name",),
            f"/my/channel/orders/{order.id}/edit": ("name", "client_order_ref"),
            "/my/quotes": ("name",),
            f"/my/orders/{order.id}": ("name", "note"),
            f"/my/orders/{order.id}?report_type=html": ("name", "client_order_ref"),
        }
        for url, shown in pages.items():
            with self.subTest(url=url):
                body = self.url_open(url).text
                self.assertNotIn(RAW, body)
                self.assertNotIn("<b onmouseover", body)
                for name in shown:
                    self.assertIn(f"&lt;script&gt;alert(&#34;{name}&#34;)", body, name)
        report = self.env.ref("sale.action_report_saleorder")
        html = report._render_qweb_html("sale.report_saleorder", order.ids)[0]
        html = html.decode()
        self.assertNotIn(RAW, html)
        self.assertNotIn("<b onmouseover", html)
        for name in ("name", "street", "city", "client_order_ref"):
            self.assertIn(f"&lt;script&gt;alert(&#34;{name}&#34;)", html, name)

    # guessed ids ------------------------------------------------------------

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_guessed_ids_reveal_nothing(self):
        Order = self.env["sale.order"]
        others = Order.search(
            [("distributor_id", "!=", self.distributor_b.id)], limit=25
        )
        self.assertIn(self.order_a, others | self.order_a)
        missing = Order.search([], order="id desc", limit=1).id + 1000
        for order in others | self.order_a:
            for url in (
                f"/my/orders/{order.id}",
                f"/my/orders/{order.id}?report_type=pdf",
                f"/my/channel/orders/{order.id}/edit",
            ):
                response = self.url_open(url, allow_redirects=False)
                self.assertIn(response.status_code, (303, 403, 404), url)
                self.assertNotIn(order.name, response.text, url)
        for url in (f"/my/orders/{missing}", f"/my/channel/orders/{missing}/edit"):
            response = self.url_open(url, allow_redirects=False)
            self.assertIn(response.status_code, (303, 404), url)
        partners = self.env["res.partner"].search(
            [("distributor_id", "!=", self.distributor_b.id)], limit=25
        )
        for partner in partners | self.customer_a | self.distributor_a:
            url = f"/my/channel/customers/{partner.id}"
            response = self.url_open(url, allow_redirects=False)
            self.assertEqual(response.status_code, 404, url)
            self.assertNotIn(f'value="{partner.name}"', response.text, url)
        self.distributor_a.write({"street": "Quay 1", "city": "Ghent"})
        invoice_a = self.order_a._create_invoices()
        invoice_a.action_post()
        invoices = self.env["account.move"].search(
            [
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("partner_id", "not in", self.distributor_b.child_ids.ids),
                ("partner_id", "!=", self.distributor_b.id),
            ],
            limit=25,
        )
        self.assertIn(invoice_a, invoices | invoice_a)
        for invoice in invoices | invoice_a:
            for url in (
                f"/my/invoices/{invoice.id}",
                f"/my/invoices/{invoice.id}?report_type=pdf",
            ):
                response = self.url_open(url, allow_redirects=False)
                self.assertIn(response.status_code, (303, 403, 404), url)
                self.assertNotIn(invoice.name, response.text, url)


@tagged("post_install", "-at_install")
class TestMultiCompanyPortal(ChannelPortalCase):
    """A distributor of a second company orders on the portal: the order
    is that company's."""

    def test_portal_order_stays_in_company(self):
        company_2, env2, distributor, customer = self._second_company_channel()
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
