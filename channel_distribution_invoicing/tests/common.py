# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import fields
from odoo.addons.channel_distribution.tests.common import ChannelCase, ChannelPortalCase


class InvoicingCase(ChannelCase):
    """Distributor A (an address, an e-mail) with two confirmed orders:
    ``order_1`` for End Customer A (PO-A-1: 2 services, 1 setup) and
    ``order_2`` for End Customer C (PO-A-2: 3 services)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.distributor_a.write(
            {
                "street": "1 Channel Street",
                "city": "Rotterdam",
                "email": "billing@distributor-a.example.com",
            }
        )
        cls.customer_c = cls.env["res.partner"].create(
            {
                "name": "End Customer C",
                "is_company": True,
                "street": "9 Canal Road",
                "city": "Bruges",
                "distributor_id": cls.distributor_a.id,
            }
        )
        cls.order_1 = cls._create_order(
            cls.distributor_a,
            cls.customer_a,
            [(cls.product_service, 2), (cls.product_setup, 1)],
            client_order_ref="PO-A-1",
        )
        cls.order_2 = cls._create_order(
            cls.distributor_a,
            cls.customer_c,
            [(cls.product_service, 3)],
            client_order_ref="PO-A-2",
        )
        (cls.order_1 | cls.order_2).action_confirm()

    @classmethod
    def _setup_schedule(cls, **distributor_c):
        """Distributor C (Gold; ``distributor_c``: more of its values) with
        ``order_3`` for End Customer D, confirmed; distributors A and C
        billed monthly on the last day of the month, next ``today``."""
        cls.distributor_c = cls.env["res.partner"].create(
            {
                "name": "Distributor C",
                "is_company": True,
                "is_distributor": True,
                "distributor_tier_id": cls.tier_gold.id,
                "street": "5 Third Street",
                "city": "Delft",
                **distributor_c,
            }
        )
        cls.customer_d = cls.env["res.partner"].create(
            {"name": "End Customer D", "is_company": True}
        )
        cls.order_3 = cls._create_order(cls.distributor_c, cls.customer_d)
        cls.order_3.action_confirm()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        (cls.distributor_a | cls.distributor_c).write(
            {"channel_invoicing_period": "monthly", "channel_invoicing_monthday": 31}
        )
        (cls.distributor_a | cls.distributor_c).channel_invoicing_next_date = cls.today

    def _invoices_of(self, orders):
        return orders.order_line.invoice_lines.move_id

    def _post_invoice(self, orders):
        orders.action_create_distributor_invoices()
        invoice = self._invoices_of(orders)
        invoice.action_post()
        return invoice

    def _assert_layout(self, move, orders):
        """One section per order, in order, followed by that order's lines."""
        lines = move.invoice_line_ids.sorted(lambda line: (line.sequence, line.id))
        sections = lines.filtered("channel_order_id")
        self.assertEqual(sections.channel_order_id, orders)
        self.assertEqual([s.channel_order_id for s in sections], list(orders))
        for section in sections:
            order = section.channel_order_id
            self.assertEqual(section.display_type, "line_section")
            self.assertIn(order.name, section.name)
            self.assertIn(order.end_customer_id.name, section.name)
            self.assertIn(order.client_order_ref, section.name)
            self.assertEqual(section.end_customer_id, order.end_customer_id)
            position = list(lines).index(section)
            following = self.env["account.move.line"]
            for line in lines[position + 1 :]:
                if line.channel_order_id:
                    break
                following |= line
            self.assertTrue(following.filtered(lambda x: x.display_type == "product"))
            self.assertEqual(following.sale_line_ids.order_id, order)
            self.assertEqual(following.end_customer_id, order.end_customer_id)
        for line in lines:
            self.assertTrue(line.end_customer_id, line.name)
        self.assertEqual(move.invoice_origin, ", ".join(orders.mapped("name")))


class ConsolidatedInvoiceCase(ChannelPortalCase):
    """Distributor A (an e-mail, an invoice address; the company has an
    e-mail too) with one consolidated invoice (``invoice``) of two orders,
    ``order_a`` for End Customer A and ``order_a2`` for End Customer A2 (1
    setup), dated 30 days before its due date ``due``, posted
    ``days_overdue`` days past it, not paid. The fixture of the addons that
    chase and state what distributors owe (reminders, statements)."""

    days_overdue = 60

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.email = "billing@vendor.example.com"
        cls.distributor_a.write(
            {
                "email": "ap@distributor-a.example.com",
                "street": "1 Channel Street",
                "city": "Rotterdam",
            }
        )
        cls.customer_a2 = cls.env["res.partner"].create(
            {
                "name": "End Customer A2",
                "is_company": True,
                "distributor_id": cls.distributor_a.id,
            }
        )
        cls._setup_order_a2()
        invoices, __ = (cls.order_a | cls.order_a2)._create_distributor_invoices()
        cls.invoice = invoices
        cls.due = fields.Date.today() - timedelta(days=cls.days_overdue)
        cls.invoice.write(
            {
                "invoice_date": cls.due - timedelta(days=30),
                "invoice_payment_term_id": False,
                "invoice_date_due": cls.due,
            }
        )
        cls.invoice.action_post()

    @classmethod
    def _setup_order_a2(cls, **extra):
        """``order_a2``, confirmed (``extra``: more values of the order): the
        order."""
        cls.order_a2 = cls._create_order(
            cls.distributor_a, cls.customer_a2, [(cls.product_setup, 1)], **extra
        )
        cls.order_a2.action_confirm()
        return cls.order_a2
