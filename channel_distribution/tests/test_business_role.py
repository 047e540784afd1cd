# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, tagged

from .common import COMBINATIONS, ChannelPortalCase


@tagged("post_install", "-at_install")
class TestBusinessRole(ChannelPortalCase):
    """The four combinations of financial and business counterparty, end to
    end, with the people of ChannelPortalCase."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.orders = cls._create_combination_orders()

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

    def test_direct_order_is_standard(self):
        customer = self._create_direct_customer()
        delivery = self.env["res.partner"].create(
            {"name": "Direct dock", "type": "delivery", "parent_id": customer.id}
        )
        order = self._create_direct_order(customer, product_uom_qty=2)
        self.assertFalse(order.is_channel_order)
        self.assertEqual(order.business_role, "end_customer")
        self.assertEqual(order.financial_partner_id, customer)
        self.assertEqual(order.business_partner_id, customer)
        self.assertEqual(order.partner_shipping_id, delivery)
        self.assertEqual(order.pricelist_id, self.book_public)
        self.assertAlmostEqual(order.amount_untaxed, 200.0)
        self.assertEqual(order.channel_commission, 0.0)
        order.action_confirm()
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
