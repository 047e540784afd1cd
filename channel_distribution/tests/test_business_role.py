# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import uuid

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, tagged

from .common import ChannelPortalCase

# (financial_role, business_role) -> (invoiced, served) of an order of
# distributor A (Gold book, 20 % off) for customer A (list prices).
COMBINATIONS = {
    "resale": ("distributor", "end_customer"),
    "white_label": ("distributor", "distributor"),
    "agency": ("end_customer", "end_customer"),
    "agency_msp": ("end_customer", "distributor"),
}


@tagged("post_install", "-at_install")
class TestBusinessRole(ChannelPortalCase):
    """The four combinations of financial and business counterparty, end to
    end, with the people of ChannelPortalCase."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.orders = {}
        for name, (financial, business) in COMBINATIONS.items():
            cls.orders[name] = cls._create_order(
                cls.distributor_a,
                cls.customer_a,
                [(cls.product_service, 2)],
                financial_role=financial,
                business_role=business,
                client_order_ref=name,
            )
        cls.env["sale.order"].concat(*cls.orders.values()).action_confirm()

    def _party(self, role):
        return self.distributor_a if role == "distributor" else self.customer_a

    def test_public_names(self):
        order_field = self.env["sale.order"]._fields["business_role"]
        self.assertEqual(
            [key for key, __ in order_field.selection], ["end_customer", "distributor"]
        )
        self.assertTrue(order_field.store)
        partner_field = self.env["res.partner"]._fields["channel_business_role"]
        self.assertEqual(
            [key for key, __ in partner_field.selection],
            ["end_customer", "distributor"],
        )
        # Not required in the database: an empty value is the default.
        self.assertFalse(partner_field.required)
        self.assertEqual(
            self.env["res.partner"].new({}).channel_business_role, "end_customer"
        )

    def test_order_prices_commission(self):
        for name, (financial, business) in COMBINATIONS.items():
            with self.subTest(combination=name):
                order = self.orders[name]
                self.assertTrue(order.is_channel_order)
                self.assertEqual(order.financial_role, financial)
                self.assertEqual(order.business_role, business)
                self.assertEqual(order.partner_id, self._party(financial))
                self.assertEqual(order.financial_partner_id, self._party(financial))
                self.assertEqual(order.business_partner_id, self._party(business))
                # Delivery goes to the end customer in every combination.
                self.assertEqual(order.partner_shipping_id, self.customer_a_delivery)
                if financial == "distributor":
                    self.assertEqual(order.pricelist_id, self.book_gold)
                    self.assertAlmostEqual(order.amount_untaxed, 160.0)
                else:
                    self.assertEqual(order.pricelist_id, self.book_public)
                    self.assertAlmostEqual(order.amount_untaxed, 200.0)
                self.assertAlmostEqual(order.channel_commission, 40.0)

    def test_ticket_contact_and_followers(self):
        for name, (financial, business) in COMBINATIONS.items():
            with self.subTest(combination=name):
                ticket = self.orders[name].ticket_ids.filtered("is_commissioning")
                self.assertEqual(len(ticket), 1)
                served = self._party(business)
                self.assertEqual(ticket.partner_id, served)
                self.assertEqual(
                    ticket.commissioning_distributor_id, self.distributor_a
                )
                # The ticket is about the end customer's set-up.
                self.assertIn("End Customer A", ticket.name)
                followers = ticket.message_partner_ids
                if "distributor" in (financial, business):
                    self.assertIn(self.distributor_a, followers)
                else:
                    self.assertNotIn(self.distributor_a, followers)
                if business == "distributor":
                    # White label: the end customer is never the vendor's
                    # contact.
                    self.assertFalse(
                        followers & (self.customer_a | self.customer_a.child_ids)
                    )
                    self.assertIn("Service contact (distributor)", ticket.description)
                else:
                    self.assertNotIn("Service contact", ticket.description)

    def test_portal_ticket_visibility(self):
        Ticket = self.env["helpdesk.ticket"]
        tickets = {
            name: order.ticket_ids.filtered("is_commissioning")
            for name, order in self.orders.items()
        }
        all_tickets = Ticket.concat(*tickets.values())
        seen = Ticket.with_user(self.portal_dist_a).search(
            [("id", "in", all_tickets.ids)]
        )
        self.assertEqual(seen, all_tickets)
        seen = Ticket.with_user(self.portal_cust_a).search(
            [("id", "in", all_tickets.ids)]
        )
        self.assertEqual(seen, tickets["resale"] | tickets["agency"])
        # The portal pages say the same.
        self.login(self.portal_cust_a)
        listing = self.url_open("/my/tickets").text
        for name, ticket in tickets.items():
            with self.subTest(combination=name):
                if COMBINATIONS[name][1] == "end_customer":
                    self.assertIn(ticket.number, listing)
                else:
                    self.assertNotIn(ticket.number, listing)
                    page = self.url_open(f"/my/ticket/{ticket.id}")
                    self.assertNotIn(ticket.number, page.text)
        self.login(self.portal_dist_a)
        listing = self.url_open("/my/tickets").text
        for ticket in tickets.values():
            self.assertIn(ticket.number, listing)

    def test_portal_order_visibility(self):
        Order = self.env["sale.order"]
        orders = Order.concat(*self.orders.values())
        seen = Order.with_user(self.portal_dist_a).search([("id", "in", orders.ids)])
        self.assertEqual(seen, orders)
        seen = Order.with_user(self.portal_cust_a).search([("id", "in", orders.ids)])
        # The end customer sees the orders it is invoiced for, whoever serves.
        self.assertEqual(seen, self.orders["agency"] | self.orders["agency_msp"])
        # Its order page names the service contact.
        self.login(self.portal_cust_a)
        page = self.url_open(self.orders["agency_msp"].get_portal_url()).text
        self.assertIn("Service Contact", page)
        self.assertIn('o_channel_service_contact">Distributor A<', page)
        page = self.url_open(self.orders["agency"].get_portal_url()).text
        self.assertIn('o_channel_service_contact">End Customer A<', page)

    def test_order_pdf_service_contact(self):
        report = self.env["ir.actions.report"]
        html = report._render_qweb_html(
            "sale.report_saleorder", self.orders["white_label"].ids
        )[0].decode()
        self.assertIn("Service Contact", html)
        self.assertIn("End Customer A", html)
        html = report._render_qweb_html(
            "sale.report_saleorder", self.orders["resale"].ids
        )[0].decode()
        self.assertIn("Service Contact", html)

    def test_sales_analysis(self):
        self.env.flush_all()
        groups = self.env["sale.report"]._read_group(
            [("name", "in", [order.name for order in self.orders.values()])],
            ["financial_role", "business_role", "business_partner_id"],
            ["__count"],
        )
        found = {
            (financial, business, partner): count
            for financial, business, partner, count in groups
        }
        self.assertEqual(
            found,
            {
                ("distributor", "end_customer", self.customer_a): 1,
                ("distributor", "distributor", self.distributor_a): 1,
                ("end_customer", "end_customer", self.customer_a): 1,
                ("end_customer", "distributor", self.distributor_a): 1,
            },
        )

    def test_default_from_distributor(self):
        self.distributor_a.channel_business_role = "distributor"
        order = self._create_order(self.distributor_a, self.customer_a)
        self.assertEqual(order.business_role, "distributor")
        self.assertEqual(order.business_partner_id, self.distributor_a)
        # An empty default (a row older than the field) is the end customer.
        self.env.cr.execute(
            "UPDATE res_partner SET channel_business_role = NULL WHERE id = %s",
            [self.distributor_b.id],
        )
        self.distributor_b.invalidate_recordset()
        order = self._create_order(self.distributor_b, self.customer_b)
        self.assertEqual(order.business_role, "end_customer")
        self.assertEqual(order.business_partner_id, self.customer_b)
        # Switched on a quotation.
        with Form(order) as form:
            form.business_role = "distributor"
        self.assertEqual(order.business_partner_id, self.distributor_b)
        self.assertEqual(order.partner_id, self.customer_b)

    def test_locked_once_confirmed(self):
        order = self.orders["resale"]
        with self.assertRaises(UserError):
            order.write({"business_role": "distributor"})
        order.write({"business_role": "end_customer"})  # unchanged: harmless
        order._action_cancel()
        order.action_draft()
        order.write({"business_role": "distributor"})
        self.assertEqual(order.business_partner_id, self.distributor_a)

    def test_only_managers_change_the_default(self):
        for user in (self.salesman, self.channel_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.distributor_a.with_user(user).write(
                    {"channel_business_role": "distributor"}
                )
        self.distributor_a.with_user(self.channel_manager).write(
            {"channel_business_role": "distributor"}
        )
        self.assertEqual(self.distributor_a.channel_business_role, "distributor")

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

    def test_direct_order_is_standard(self):
        customer = self.env["res.partner"].create(
            {
                "name": "Direct Customer",
                "property_product_pricelist": self.book_public.id,
            }
        )
        delivery = self.env["res.partner"].create(
            {"name": "Direct dock", "type": "delivery", "parent_id": customer.id}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product_service.id, "product_uom_qty": 2}
                    )
                ],
            }
        )
        self.assertFalse(order.is_channel_order)
        self.assertEqual(order.business_role, "end_customer")
        self.assertEqual(order.financial_partner_id, customer)
        self.assertEqual(order.business_partner_id, customer)
        self.assertEqual(order.partner_shipping_id, delivery)
        self.assertEqual(order.pricelist_id, self.book_public)
        self.assertAlmostEqual(order.amount_untaxed, 200.0)
        self.assertEqual(order.channel_commission, 0.0)
        order.action_confirm()
        ticket = order.ticket_ids.filtered("is_commissioning")
        self.assertEqual(ticket.partner_id, customer)
        self.assertNotIn(self.distributor_a, ticket.message_partner_ids)
        self.assertIn("Direct Customer", ticket.name)
        invoice = order._create_invoices()
        self.assertEqual(invoice.partner_id, customer)
        self.assertFalse(
            invoice.invoice_line_ids.filtered(
                lambda line: line.display_type == "line_section"
            )
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("sale.report_saleorder", order.ids)[0]
            .decode()
        )
        self.assertNotIn("Service Contact", html)


@tagged("post_install", "-at_install")
class TestBusinessRoleDemo(TransactionCase):
    def test_demo_white_label_order(self):
        order = self.env.ref("channel_distribution.order_white_label_pennine")
        cedar = self.env.ref("channel_distribution.distributor_cedar")
        pennine = self.env.ref("channel_distribution.end_customer_pennine")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.business_role, "distributor")
        self.assertEqual(order.partner_id, cedar)
        self.assertEqual(order.business_partner_id, cedar)
        self.assertEqual(order.partner_shipping_id, pennine)
        ticket = order.ticket_ids.filtered("is_commissioning")
        self.assertEqual(ticket.partner_id, cedar)
        self.assertNotIn(pennine, ticket.message_partner_ids)
