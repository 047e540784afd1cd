# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from .common import InvoicingCase

_logger = logging.getLogger(__name__)

# Queries per order invoiced (3 lines) beyond the fixed cost of an invoice.
PER_ORDER = 6
# Direct sales (orders of customers without distributor) invoiced by Odoo's
# own _create_invoices() with every product addon installed: the queries of
# DIRECT_ORDERS orders of 3 lines, each its own customer's invoice, and of
# each order more. The product reads or writes nothing of its own on them
# (its computes on invoice lines short-circuit for lines of no channel
# order): what Odoo and the OCA addons the product depends on cost.
DIRECT_ORDERS = 4
DIRECT_INVOICING_QUERIES = 128
DIRECT_PER_ORDER = 14


@tagged("post_install", "-at_install")
class TestInvoicingQueries(InvoicingCase):
    """One distributor's invoice costs queries in proportion to its orders:
    the sections are built in the values the invoice is created with, no
    invoice line is written again after create (which would resynchronise
    the whole move once per line)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tax = cls.env["account.tax"].create(
            {"name": "Channel VAT 21", "amount": 21, "type_tax_use": "sale"}
        )
        (cls.product_service | cls.product_setup).taxes_id = tax
        cls.product_other = cls.env["product.product"].create(
            {
                "name": "Test Other",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 40.0,
                "taxes_id": [Command.set(tax.ids)],
            }
        )

    def _confirmed_orders(self, count):
        orders = self.env["sale.order"]
        for index in range(count):
            orders |= self._create_order(
                self.distributor_a,
                self.customer_a if index % 2 else self.customer_c,
                [
                    (self.product_service, 2),
                    (self.product_setup, 1),
                    (self.product_other, 3),
                ],
                client_order_ref=f"PO-Q-{count}-{index}",
            )
        orders.action_confirm()
        return orders

    def _invoicing_queries(self, orders):
        """Queries of invoicing ``orders`` on one invoice, from a cold cache."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        invoices, __ = orders._create_distributor_invoices()
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(len(invoices), 1)
        self._assert_layout(invoices, orders)
        self.assertEqual(
            len(invoices.invoice_line_ids.filtered("channel_order_id")), len(orders)
        )
        return queries

    def test_queries_grow_linearly_with_the_orders(self):
        # warm the caches (translations, views, sequences) first
        self._invoicing_queries(self._confirmed_orders(2))
        small, large = 8, 16
        small_orders = self._confirmed_orders(small)
        large_orders = self._confirmed_orders(large)
        small_queries = self._invoicing_queries(small_orders)
        large_queries = self._invoicing_queries(large_orders)
        _logger.info(
            "invoicing on one invoice: %s orders %s queries, %s orders %s queries",
            small,
            small_queries,
            large,
            large_queries,
        )
        message = (
            f"{small} orders: {small_queries} queries, "
            f"{large} orders: {large_queries} queries"
        )
        self.assertLess(large_queries, 2.2 * small_queries, message)
        # Each order more (3 lines and its section) costs what plain Odoo's
        # invoicing of it costs (about 5 queries), not the per-line rewrites
        # of OCA's section module (8 per order with it).
        self.assertLessEqual(
            large_queries - small_queries, PER_ORDER * (large - small), message
        )

    def test_no_invoice_line_written_after_create(self):
        """The section lines come with the invoice's values: no line is
        resequenced or renamed, no line added through the invoice, after
        the invoice's creation (observed, not replaced)."""
        orders = self._confirmed_orders(3)
        Move = type(self.env["account.move"])
        Line = type(self.env["account.move.line"])
        with (
            patch.object(
                Move, "write", autospec=True, side_effect=Move.write
            ) as move_writes,
            patch.object(
                Line, "write", autospec=True, side_effect=Line.write
            ) as line_writes,
        ):
            orders._create_distributor_invoices()
        rewritten = [
            sorted(call.args[1])
            for call in line_writes.call_args_list
            if {"sequence", "name", "channel_order_id"} & set(call.args[1])
        ]
        self.assertFalse(rewritten)
        relined = [
            sorted(call.args[1])
            for call in move_writes.call_args_list
            if {"invoice_line_ids", "line_ids"} & set(call.args[1])
        ]
        self.assertFalse(relined)

    def test_section_lines_not_written_after_create(self):
        """A section line carries no amount: it is created with its zero
        balance, so that Odoo's invoice synchronisation does not write it
        again (one write of the line, hence one resynchronisation of the
        whole move, per order section)."""
        orders = self._confirmed_orders(3)
        Line = type(self.env["account.move.line"])
        with patch.object(
            Line, "write", autospec=True, side_effect=Line.write
        ) as line_writes:
            invoices, __ = orders._create_distributor_invoices()
        sections = invoices.invoice_line_ids.filtered(
            lambda line: line.display_type == "line_section"
        )
        self.assertEqual(len(sections), len(orders))
        written = [
            sorted(call.args[1])
            for call in line_writes.call_args_list
            if call.args[0] and not call.args[0] - sections
        ]
        self.assertFalse(written)
        self.assertFalse(any(sections.mapped("balance")))
        self.assertFalse(any(sections.mapped("amount_currency")))

    def test_order_lines_invoice_lines_not_cached_at_line_create(self):
        """The invoiced order lines' invoice lines are not in the cache when
        the invoice lines are created: else Odoo's ORM adds each new line to
        its order line's cached invoice lines by a pass over all the new
        lines (the inverse of ``sale_line_ids``), quadratic in the lines of
        one invoice. They are read again afterwards, the new lines with
        them."""
        orders = self._confirmed_orders(3)
        sale_lines = orders.order_line
        field = sale_lines._fields["invoice_lines"]
        Line = type(self.env["account.move.line"])
        cached = []

        def observe(records, vals_list):
            given = vals_list if isinstance(vals_list, list) else [vals_list]
            if any("sale_line_ids" in vals for vals in given):
                cached.extend(
                    line for line in sale_lines if self.env.cache.contains(line, field)
                )
            return create(records, vals_list)

        create = Line.create
        with patch.object(Line, "create", autospec=True, side_effect=observe):
            invoices, __ = orders._create_distributor_invoices()
        self.assertFalse(cached)
        self._assert_layout(invoices, orders)
        for sale_line in sale_lines:
            self.assertEqual(
                sale_line.invoice_lines,
                invoices.invoice_line_ids.filtered(
                    lambda line, sl=sale_line: sl in line.sale_line_ids
                ),
            )


@tagged("post_install", "-at_install")
class TestDirectInvoicingQueries(InvoicingCase):
    """A vendor's direct sales are invoiced at plain Odoo's cost: the
    product's fields on invoice lines (channel parties, commission, unit
    commission) cost no query on lines of no channel order, nor per line."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tax = cls.env["account.tax"].create(
            {"name": "Direct VAT 21", "amount": 21, "type_tax_use": "sale"}
        )
        Product = cls.env["product.product"]
        cls.direct_products = Product.create(
            [
                {
                    "name": f"Direct Service {index}",
                    "type": "service",
                    "invoice_policy": "order",
                    "list_price": price,
                    "taxes_id": [Command.set(tax.ids)],
                }
                for index, price in enumerate((120.0, 45.0, 300.0))
            ]
        )

    def _direct_orders(self, count):
        """``count`` confirmed orders of 3 lines, each of a customer of its
        own without distributor."""
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"Direct Customer Q{count}-{index}",
                    "property_product_pricelist": self.book_public.id,
                }
                for index in range(count)
            ]
        )
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": customer.id,
                    "client_order_ref": f"PO-D-{count}-{index}",
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_uom_qty": 1 + line}
                        )
                        for line, product in enumerate(self.direct_products)
                    ],
                }
                for index, customer in enumerate(customers)
            ]
        )
        orders.action_confirm()
        self.assertFalse(orders.filtered("is_channel_order"))
        return orders

    def _check_direct_invoices(self, orders):
        invoices = orders.invoice_ids
        self.assertEqual(len(invoices), len(orders))
        lines = invoices.line_ids
        self.assertFalse(lines.filtered("distributor_id"))
        self.assertFalse(lines.filtered("end_customer_id"))
        self.assertFalse(any(lines.mapped("channel_commission")))
        self.assertFalse(any(lines.mapped("channel_commission_unit")))
        self.assertFalse(invoices.channel_distributor_id)

    def _direct_invoicing_queries(self, orders):
        """Queries of Odoo's invoicing of ``orders``, from a cold cache,
        the flush of a commit included."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        orders._create_invoices()
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        self._check_direct_invoices(orders)
        return queries

    def test_direct_invoicing_queries(self):
        # warm the caches (translations, views, sequences) first
        self._direct_invoicing_queries(self._direct_orders(2))
        orders = self._direct_orders(DIRECT_ORDERS)
        self.env.invalidate_all()
        with self.assertQueryCount(DIRECT_INVOICING_QUERIES):
            orders._create_invoices()
        self._check_direct_invoices(orders)

    def test_direct_invoicing_queries_per_order(self):
        self._direct_invoicing_queries(self._direct_orders(2))
        small, large = DIRECT_ORDERS, 2 * DIRECT_ORDERS
        small_queries = self._direct_invoicing_queries(self._direct_orders(small))
        large_queries = self._direct_invoicing_queries(self._direct_orders(large))
        _logger.info(
            "direct invoicing: %s orders %s queries, %s orders %s queries",
            small,
            small_queries,
            large,
            large_queries,
        )
        self.assertLessEqual(
            large_queries - small_queries,
            DIRECT_PER_ORDER * (large - small),
            f"{small} orders: {small_queries} queries, "
            f"{large} orders: {large_queries} queries",
        )
