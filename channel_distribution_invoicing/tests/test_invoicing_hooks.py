# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import patch

from odoo import Command
from odoo.modules.module import get_manifest
from odoo.tests import tagged

from .common import InvoicingCase


@tagged("post_install", "-at_install")
class TestInvoicingHooks(InvoicingCase):
    """Consolidated invoicing extends the standard invoicing through its
    hooks: another addon's extension of it runs once per call."""

    def _count_create_invoices(self):
        """Observe (not replace) ``_create_invoices`` at the top of the
        registry class, where the override of an addon loaded after this one
        sits: every call, from outside or from within, goes through it."""
        cls = type(self.env["sale.order"])
        return patch.object(
            cls, "_create_invoices", autospec=True, side_effect=cls._create_invoices
        )

    def test_create_invoices_runs_once_per_call(self):
        orders = self.order_1 | self.order_2
        with self._count_create_invoices() as observed:
            invoices = orders._create_invoices()
        self.assertEqual(observed.call_count, 1)
        self.assertEqual(len(invoices), 1)
        self.assertEqual(invoices.partner_id, self.distributor_a)

    def test_create_invoices_once_with_direct_orders(self):
        """Resale and other orders in one call: still one call."""
        self.customer_b.write({"street": "3 Agency Road", "city": "Namur"})
        agency = self._create_order(self.distributor_b, self.customer_b)
        agency.action_confirm()
        with self._count_create_invoices() as observed:
            invoices = (self.order_1 | agency)._create_invoices()
        self.assertEqual(observed.call_count, 1)
        self.assertEqual(invoices.partner_id, self.distributor_a | self.customer_b)

    def test_distributor_invoices_call_create_invoices_once(self):
        with self._count_create_invoices() as observed:
            (self.order_1 | self.order_2).action_create_distributor_invoices()
        self.assertEqual(observed.call_count, 1)


@tagged("post_install", "-at_install")
class TestInvoicingSections(InvoicingCase):
    """The sections per order are built with the invoice's values, named
    after the order, its end customer and the distributor's reference. The
    test database has OCA account_invoice_section_sale_order installed (a
    vendor may): it must leave them alone, nothing duplicated."""

    def _sections(self, invoice):
        return invoice.invoice_line_ids.filtered(
            lambda line: line.display_type == "line_section"
        ).sorted(lambda line: (line.sequence, line.id))

    def test_one_section_per_order(self):
        installed = self.env["ir.module.module"].search(
            [
                ("name", "=", "account_invoice_section_sale_order"),
                ("state", "=", "installed"),
            ]
        )
        self.assertTrue(installed)
        orders = self.order_1 | self.order_2
        orders.action_create_distributor_invoices()
        invoice = self._invoices_of(orders)
        self.assertEqual(len(invoice), 1)
        sections = self._sections(invoice)
        self.assertEqual(
            sections.mapped("name"),
            [
                f"{self.order_1.name} - End Customer A - your reference PO-A-1",
                f"{self.order_2.name} - End Customer C - your reference PO-A-2",
            ],
        )
        self.assertEqual(
            sections.mapped("channel_order_id"), self.order_1 | self.order_2
        )
        self._assert_layout(invoice, orders)

    def test_naming_scheme_of_the_company_applies(self):
        self.company.invoice_section_name_scheme = "'Order ' + object.name"
        orders = self.order_1 | self.order_2
        orders.action_create_distributor_invoices()
        invoice = self._invoices_of(orders)
        sections = self._sections(invoice)
        self.assertEqual(
            sections.mapped("name"),
            [f"Order {self.order_1.name}", f"Order {self.order_2.name}"],
        )
        self.assertEqual(
            sections.mapped("channel_order_id"), self.order_1 | self.order_2
        )
        self.assertEqual(
            sections.mapped("end_customer_id"), self.customer_a | self.customer_c
        )

    def test_down_payments_stay_in_their_order_section(self):
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=self.order_2.ids)
            .create({"advance_payment_method": "percentage", "amount": 50})
        )
        wizard.create_invoices()
        self._invoices_of(self.order_2).action_post()
        orders = self.order_1 | self.order_2
        orders.action_create_distributor_invoices()
        final = self._invoices_of(orders).filtered(lambda m: m.state == "draft")
        self._assert_layout(final, orders)
        lines = final.invoice_line_ids.sorted(lambda line: (line.sequence, line.id))
        down_payments = lines.filtered("is_downpayment")
        self.assertTrue(down_payments)
        section_2 = lines.filtered(lambda line: line.channel_order_id == self.order_2)
        # after the section of order 2, never before the first order's lines
        self.assertTrue(
            all(
                list(lines).index(line) > list(lines).index(section_2)
                for line in down_payments
            )
        )
        self.assertEqual(
            len(lines.filtered(lambda line: line.display_type == "line_section")),
            3,  # two orders and the down payments of the second
        )

    def test_section_module_is_optional(self):
        """No addon of the product depends on OCA's section module."""
        for addon in (
            "channel_distribution",
            "channel_distribution_invoicing",
            "channel_distribution_contract",
            "channel_distribution_portal",
        ):
            self.assertNotIn(
                "account_invoice_section_sale_order",
                get_manifest(addon)["depends"],
                addon,
            )

    def test_direct_order_on_the_distributor_invoice_has_its_section(self):
        """A direct order of the distributor itself invoiced with its resale
        orders: every order opens with one section, the direct order's
        plain (no end customer), none duplicated."""
        direct = self.env["sale.order"].create(
            {
                "partner_id": self.distributor_a.id,
                "client_order_ref": "OWN-1",
                "order_line": [
                    Command.create(
                        {"product_id": self.product_service.id, "product_uom_qty": 1}
                    )
                ],
            }
        )
        direct.action_confirm()
        self.assertFalse(direct.is_channel_order)
        orders = self.order_1 | self.order_2 | direct
        invoice = orders._create_invoices()
        self.assertEqual(len(invoice), 1)
        sections = self._sections(invoice)
        self.assertEqual(len(sections), 3, sections.mapped("name"))
        self.assertEqual(sections.channel_order_id, self.order_1 | self.order_2)
        plain = sections.filtered(lambda line: not line.channel_order_id)
        self.assertEqual(plain.name, f"{direct.name} - OWN-1")
        self.assertFalse(plain.end_customer_id)
        lines = invoice.invoice_line_ids.sorted(lambda line: (line.sequence, line.id))
        after = lines[list(lines).index(plain) + 1 :]
        self.assertEqual(after.sale_line_ids.order_id, direct)
        self.assertEqual(
            {s["order"] for s in invoice._get_channel_sections()},
            {self.order_1, self.order_2},
        )
