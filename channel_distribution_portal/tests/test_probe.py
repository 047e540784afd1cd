# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What an outside probe of the distributor's portal pages found, one
test per finding (the probe of Odoo's standard routes is the base's
test_probe.py)."""

import uuid

from odoo import Command
from odoo.addons.channel_distribution.tests.common import (
    SIGNATURE,
    ChannelPortalCase,
)
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestPortalProbe(ChannelPortalCase):
    def portal_order(self, user, customer, note=""):
        """An order ``user`` (a distributor's) enters on the portal."""
        self.login(user)
        self.post_form(
            "/my/channel/orders/new",
            {
                "end_customer_id": str(customer.id),
                "token": uuid.uuid4().hex,
                "note": note,
                "product_id": str(self.product_setup.id),
                "quantity": "1",
            },
        )
        return self.env["sale.order"].search(
            [("channel_source", "=", "portal"), ("end_customer_id", "=", customer.id)],
            order="id desc",
            limit=1,
        )

    def test_distributor_cannot_change_a_partner_with_a_user(self):
        person = self.env["res.partner"].create(
            {
                "name": "Paula Person",
                "email": "paula@example.com",
                "distributor_id": self.distributor_b.id,
            }
        )
        user = new_test_user(
            self.env,
            "sec_paula",
            groups="base.group_portal",
            partner_id=person.id,
            email="paula@example.com",
        )
        self.login(self.portal_dist_b)
        response = self.post_form(
            f"/my/channel/customers/{person.id}",
            {"name": "Paula Person", "email": "thief@example.com"},
        )
        self.assertIn("only the vendor can change it", response.text)
        self.assertEqual(person.email, "paula@example.com")
        self.assertEqual(user.email, "paula@example.com")
        # An archived user counts too.
        user.active = False
        self.post_form(
            f"/my/channel/customers/{person.id}",
            {"name": "Paula Person", "email": "thief@example.com"},
        )
        self.assertEqual(person.email, "paula@example.com")

    def test_distributor_cannot_change_the_company_of_a_user(self):
        # Odoo copies a company's address and VAT to its contacts: editing
        # the company edits the partner of its contact's login.
        contact = self.portal_cust_b.partner_id
        self.assertEqual(contact.parent_id, self.customer_b)
        self.assertFalse(self.customer_b.user_ids)
        form = {
            "name": self.customer_b.name,
            "is_company": "1",
            "street": "Thief Street 1",
            "city": "Elsewhere",
            "vat": "BE0477472701",
            "email": "thief@example.com",
        }
        self.login(self.portal_dist_b)
        response = self.post_form(f"/my/channel/customers/{self.customer_b.id}", form)
        self.assertIn("only the vendor can change it", response.text)
        self.assertNotEqual(self.customer_b.street, "Thief Street 1")
        self.assertNotEqual(contact.street, "Thief Street 1")
        self.assertFalse(contact.vat)
        # An archived contact with an archived user counts too.
        company = self.env["res.partner"].create(
            {
                "name": "Quiet Co",
                "is_company": True,
                "distributor_id": self.distributor_b.id,
            }
        )
        person = self.env["res.partner"].create(
            {"name": "Quiet Person", "parent_id": company.id}
        )
        user = new_test_user(
            self.env, "sec_quiet", groups="base.group_portal", partner_id=person.id
        )
        user.active = False
        person.active = False
        form["name"] = "Quiet Co"
        response = self.post_form(f"/my/channel/customers/{company.id}", form)
        self.assertIn("only the vendor can change it", response.text)
        self.assertFalse(company.street)
        # A company whose contacts have no user stays the distributor's.
        user.unlink()
        self.post_form(f"/my/channel/customers/{company.id}", form)
        self.assertEqual(company.street, "Thief Street 1")

    def accept(self, order):
        return self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {"name": "Somebody", "signature": SIGNATURE},
        )

    def test_distributor_cannot_confirm_its_own_submission(self):
        self.env.company.channel_portal_confirm = False
        order = self.portal_order(self.portal_dist_a, self.customer_a)
        order.write({"require_signature": True, "require_payment": False})
        self.assertEqual(order.state, "draft")
        self.accept(order)
        self.post_form(f"/my/orders/{order.id}/decline", {"decline_message": "no"})
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.signature)
        # Once the vendor sent it, the distributor (invoiced) signs it.
        order.action_quotation_sent()
        self.accept(order)
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.signed_by, "Somebody")

    def test_portal_edit_clears_the_signature(self):
        order = self.portal_order(self.portal_dist_a, self.customer_a)
        order.write(
            {"signature": SIGNATURE, "signed_by": "Boss", "signed_on": "2026-11-01"}
        )
        self.post_form(
            f"/my/channel/orders/{order.id}/edit",
            {
                "end_customer_id": str(self.customer_a.id),
                "product_id": str(self.product_setup.id),
                "quantity": "50",
            },
        )
        self.assertEqual(order.order_line.product_uom_qty, 50)
        self.assertFalse(order.signature)
        self.assertFalse(order.signed_by)
        self.assertFalse(order.signed_on)

    def test_end_customer_reads_no_commission_nor_note(self):
        order = self.portal_order(
            self.portal_dist_b, self.customer_b, note="Margin is 10% for us"
        )
        self.assertEqual(order.financial_partner_id, self.customer_b)
        page = self.url_open(order.get_portal_url()).text
        self.assertIn("Margin is 10% for us", page)
        self.login(self.portal_cust_b)
        page = self.url_open(f"/my/orders/{order.id}").text
        self.assertIn(order.name, page)
        self.assertNotIn("Margin is 10% for us", page)

    def test_quantity_rounding_to_zero_is_refused(self):
        orders = self.env["sale.order"].search_count([])
        for quantity in ("1e-300", "0.0000001", "nan", "inf", "1e308"):
            with self.subTest(quantity=quantity):
                values = {
                    "end_customer_id": self.customer_b.id,
                    "lines": [
                        {
                            "product_id": self.product_setup.id,
                            "quantity": float(quantity),
                        }
                    ],
                    "token": uuid.uuid4().hex,
                }
                with self.assertRaisesRegex(UserError, "more than 0"):
                    self.env["sale.order"]._channel_portal_create_order(
                        self.distributor_b, values, self.env.company
                    )
        self.assertEqual(self.env["sale.order"].search_count([]), orders)

    def test_portal_order_gets_a_salesperson(self):
        self.assertFalse(self.distributor_b.user_id)
        self.env.company.channel_portal_user_id = self.channel_user
        order = self.portal_order(self.portal_dist_b, self.customer_b)
        self.assertEqual(order.user_id, self.channel_user)
        self.env.company.channel_portal_user_id = False
        self.env["crm.team"].create(
            {"name": "T First", "sequence": -100, "user_id": self.channel_manager.id}
        )
        order = self.portal_order(self.portal_dist_b, self.customer_b)
        self.assertEqual(order.user_id, self.channel_manager)
        self.distributor_b.user_id = self.salesman
        order = self.portal_order(self.portal_dist_b, self.customer_b)
        self.assertEqual(order.user_id, self.salesman)
        # So a salesman with "own documents" rights sees only its own.
        self.assertFalse(
            self.env["sale.order"]
            .with_user(
                new_test_user(
                    self.env, "sec_own", groups="sales_team.group_sale_salesman"
                )
            )
            .search([("id", "=", order.id)])
        )

    def test_portal_order_team_as_odoo_gives_it(self):
        """The default team the portal looks up for the salesperson is the
        team of an order that gets no salesperson (Odoo searched it again
        by the same rule); a salesperson the order gets from its customer
        (agency: the end customer's) keeps Odoo's rule: its own team."""
        self.env.company.channel_portal_user_id = False
        self.assertFalse(self.distributor_b.user_id)
        first = self.env["crm.team"].create({"name": "T First", "sequence": -100})
        order = self.portal_order(self.portal_dist_b, self.customer_b)
        self.assertFalse(order.user_id)
        self.assertEqual(order.team_id, first)
        own = self.env["crm.team"].create(
            {"name": "T Own", "sequence": -50, "user_id": self.salesman.id}
        )
        self.customer_b.user_id = self.salesman
        order = self.portal_order(self.portal_dist_b, self.customer_b)
        self.assertEqual(order.user_id, self.salesman)
        self.assertEqual(order.team_id, own)
        self.assertNotIn("channel_portal_default_team", self.env.cr.cache)

    @mute_logger("odoo.http")
    def test_distributor_cannot_pay_its_own_submission(self):
        self.env.company.channel_portal_confirm = False
        provider, method = self._payment_provider()
        order = self.portal_order(self.portal_dist_a, self.customer_a)
        order.write({"require_signature": False, "require_payment": True})
        self.assertEqual(order.state, "draft")
        self.assertFalse(self.pay(order, provider, method))
        self.assertEqual(order.state, "draft")
        # Nor may a payment made otherwise (a payment link) send the draft:
        # a channel draft is paid once the vendor sent it.
        with self.assertRaises(ValidationError):
            self.env["payment.transaction"].create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": method.id,
                    "amount": order.amount_total,
                    "currency_id": order.currency_id.id,
                    "partner_id": self.distributor_a.id,
                    "sale_order_ids": [Command.set(order.ids)],
                }
            )
        # Once sent, the distributor (invoiced) pays it.
        order.action_quotation_sent()
        self.assertTrue(self.pay(order, provider, method))


@tagged("post_install", "-at_install")
class TestPortalProbeIssue24(ChannelPortalCase):
    """The probe of the running demo (issue 24)."""

    # 10. an end customer of a second company's distributor -----------------

    def test_end_customer_stays_in_the_distributors_company(self):
        company_2, __, distributor, __ = self._second_company_channel()
        customer = distributor._channel_portal_create_end_customer(
            {"name": "Co 2 Portal Customer"}
        )
        self.assertEqual(customer.company_id, company_2)
        employee = new_test_user(
            self.env,
            "sec_co1_employee",
            groups="base.group_user",
            company_id=self.env.company.id,
            company_ids=[Command.set(self.env.company.ids)],
        )
        self.assertFalse(
            self.env["res.partner"]
            .with_user(employee)
            .search([("id", "=", customer.id)])
        )
        # a distributor shared by the companies makes shared customers
        shared = self.distributor_a._channel_portal_create_end_customer(
            {"name": "Shared Portal Customer"}
        )
        self.assertFalse(shared.company_id)

    # 12. the demo's portal orders and the own-documents salesmen ------------

    def test_demo_portal_orders_get_a_salesperson(self):
        if not self.env.ref(
            "channel_distribution.distributor_northwind", raise_if_not_found=False
        ):
            self.skipTest("without demo data")
        main = self.env.ref("base.main_company")
        self.assertFalse(self.distributor_b.user_id)
        salesperson = (
            self.env["sale.order"]
            .with_company(main)
            ._channel_portal_salesperson(self.distributor_b)
        )
        self.assertTrue(salesperson)


@tagged("post_install", "-at_install")
class TestPortalProbe7(ChannelPortalCase):
    """Probe 7 (issue 24): the portal's quantity rules on the quantities of
    a vendor-sent quotation (sale_management's option routes)."""

    @mute_logger("odoo.http")
    def test_option_quantity_takes_the_portal_rules(self):
        order = self._create_order(
            self.distributor_b,
            self.customer_b,
            [(self.product_service, 1)],
            financial_role="end_customer",
            require_payment=True,
        )
        line = (
            self.env["sale.order.option"]
            .create(
                {
                    "order_id": order.id,
                    "product_id": self.product_setup.id,
                    "name": "Option",
                    "quantity": 1,
                }
            )
            .add_option_to_order()
        )
        order.action_quotation_sent()
        self.login(self.portal_cust_b)
        url = f"/my/orders/{order.id}/update_line_dict"
        maximum = self.env["sale.order"]._channel_portal_max_quantity()
        for quantity in (1e9, maximum + 1, 1e-7, "abc", [3]):
            with self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request(
                    url, {"line_id": line.id, "input_quantity": quantity}
                )
            line.invalidate_recordset()
            self.assertEqual(line.product_uom_qty, 1, quantity)
        # One more unit than the cap, by the "+" button.
        line.product_uom_qty = maximum
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(url, {"line_id": line.id})
        line.invalidate_recordset()
        self.assertEqual(line.product_uom_qty, maximum)
        # Within the rules, as before (0 removes the option).
        self.make_jsonrpc_request(url, {"line_id": line.id, "input_quantity": 3})
        line.invalidate_recordset()
        self.assertEqual(line.product_uom_qty, 3)
        self.make_jsonrpc_request(url, {"line_id": line.id, "input_quantity": 0})
        self.assertFalse(line.exists())
