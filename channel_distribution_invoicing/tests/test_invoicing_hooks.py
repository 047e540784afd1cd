# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import patch

from odoo.tests import tagged

from .test_invoicing import InvoicingCase


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
    """The sections per order come from account_invoice_section_sale_order,
    named after the order, its end customer and the distributor's reference."""

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
