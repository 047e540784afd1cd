# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import uuid
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditCase


@tagged("post_install", "-at_install")
class TestOverdueHold(CreditCase):
    """Distributor A has an invoice 40 days overdue; the hold starts after
    30 days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.distributor_a.write(
            {
                "credit_limit": 0.0,
                "risk_sale_order_include": False,
                "street": "1 Channel Street",
                "city": "Rotterdam",
            }
        )
        cls.company.channel_overdue_hold_days = 30
        invoice = cls.order_a._create_invoices()
        today = fields.Date.today()
        invoice.write(
            {
                "invoice_date": today - timedelta(days=70),
                "invoice_payment_term_id": False,
                "invoice_date_due": today - timedelta(days=40),
            }
        )
        invoice.action_post()
        cls.invoice = invoice

    def test_new_order_on_hold(self):
        self.login(self.portal_dist_a)
        page = self.url_open("/my/channel/orders/new").text
        self.assertIn("New orders are on hold", page)
        self.assertIn(self.invoice.name, page)
        before = self.env["sale.order"].search_count([])
        response = self.post_form(
            "/my/channel/orders/new",
            [
                ("end_customer_id", str(self.customer_a.id)),
                ("token", uuid.uuid4().hex),
                ("product_id", str(self.product_service.id)),
                ("quantity", "1"),
            ],
        )
        self.assertIn("New orders are on hold", response.text)
        self.assertEqual(self.env["sale.order"].search_count([]), before)
        # another distributor is not held
        self.login(self.portal_dist_b)
        page = self.url_open("/my/channel/orders/new").text
        self.assertNotIn("New orders are on hold", page)

    def test_portal_edit_on_hold_refused(self):
        """Seventh probe, P7-2: on overdue hold a new order is refused, but
        a quotation entered before the hold was raised on the portal's edit
        form (1 to 5,000 units). The edit submits new content: refused
        with the hold's message."""
        self.company.channel_overdue_hold_days = 60
        self.company.channel_portal_confirm = False
        order, __ = self.portal_submit(self.portal_dist_a, 1)
        self.assertEqual(order.state, "draft")
        self.company.channel_overdue_hold_days = 30
        response = self.portal_edit(self.portal_dist_a, order, 5000)
        self.assertIn("New orders are on hold", response.text)
        order.invalidate_recordset()
        self.assertEqual(order.order_line.product_uom_qty, 1)

    def test_within_days_no_hold(self):
        self.company.channel_overdue_hold_days = 45
        self.assertFalse(self.distributor_a._channel_overdue_hold_message())
        self.company.channel_overdue_hold_days = 0
        self.assertFalse(self.distributor_a._channel_overdue_hold_message())

    def test_paid_lifts_hold(self):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.invoice.ids
        ).create({})._create_payments()
        self.assertFalse(self.distributor_a._channel_overdue_hold_message())

    def test_payment_without_entry_keeps_hold(self):
        """Twelfth probe, P12-1: a payment of 1.00 without a journal entry
        linked to the overdue invoice made Odoo call it paid, and lifted
        the hold. Its residual is whole: the hold stays, and the invoice is
        still unpaid and overdue for its orders."""
        self._pay_without_entry(self.invoice, 1.0)
        self.assertIn(
            self.invoice.name, self.distributor_a._channel_overdue_hold_message()
        )
        orders = self.env["sale.order"].search(
            [("id", "=", self.order_a.id), ("channel_overdue", "=", True)]
        )
        self.assertEqual(orders, self.order_a)
        unpaid = self.env["sale.order"].search(
            [("id", "=", self.order_a.id), ("channel_paid_state", "=", "not_paid")]
        )
        self.assertEqual(unpaid, self.order_a)

    def test_receivable_moved_to_a_receivable_keeps_hold(self):
        """Thirteenth probe, P13-5: an accountant reconciled the overdue
        invoice with an entry debiting and crediting the distributor's
        receivable: the residual 0.00 with nothing received, the hold
        lifted. The entry does not settle it: the hold stays."""
        moved = self._receivable_moved(self.invoice, self.accountant)
        refusal = self._attempted(
            lambda: (self.invoice.line_ids | moved)
            .filtered(lambda line: line.account_id == moved.account_id)
            .with_user(self.accountant)
            .reconcile()
        )
        self.assertEqual(self.invoice.amount_residual, self.invoice.amount_total)
        self.assertIn(
            self.invoice.name, self.distributor_a._channel_overdue_hold_message()
        )
        self.assertIn("no money", str(refusal))

    def test_backend_confirmation_warns_or_blocks(self):
        order = self._create_order(self.distributor_a, self.customer_a)
        self.assertIn("on hold", order.channel_overdue_warning)
        self.company.channel_overdue_hold_confirm = "block"
        with self.assertRaisesRegex(UserError, "overdue hold"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.company.channel_overdue_hold_confirm = "warn"
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertTrue(
            order.message_ids.filtered(
                lambda m: "Confirmed while the distributor is on overdue hold"
                in (m.body or "")
            )
        )
