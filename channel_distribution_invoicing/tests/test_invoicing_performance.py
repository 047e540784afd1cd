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
