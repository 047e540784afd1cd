# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
import uuid
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CreditCase

HOLD_ACTIVITY = "channel_distribution_credit.mail_activity_credit_hold"


@tagged("post_install", "-at_install")
class TestPortalPayment(CreditCase):
    """Vendor-sent quotations of distributor A paid online (Odoo's
    ``/my/orders/<id>/transaction`` and the transaction's post-processing)
    against the overdue hold and the credit limit (300, of which ``order_a``
    uses 160)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider, cls.method = cls._payment_provider(cls)
        # the provider's payments go to the bank journal (what a real
        # provider's module sets up: its method line on the journal)
        journal = cls.env["account.journal"].search(
            [("company_id", "=", cls.company.id), ("type", "=", "bank")], limit=1
        )
        cls.env["account.payment.method.line"].create(
            {
                "name": "T Provider",
                "journal_id": journal.id,
                "payment_method_id": cls.env.ref(
                    "account.account_payment_method_manual_in"
                ).id,
                "payment_provider_id": cls.provider.id,
            }
        )
        cls.provider.invalidate_recordset(["journal_id"])

    def _sent_quotation(self, quantity, prepayment=1.0):
        """A quotation of distributor A (``quantity`` x 80) to be paid
        online (``prepayment`` of it), sent by the vendor."""
        order = self._create_order(
            self.distributor_a,
            self.customer_a,
            lines=[(self.product_service, quantity)],
            require_payment=True,
            prepayment_percent=prepayment,
        )
        order.action_quotation_sent()
        self.assertEqual(order.state, "sent")
        return order

    def _overdue_hold(self, confirm="block"):
        """An invoice of distributor A 40 days overdue, the hold after 30
        days (no credit limit: the overdue hold alone)."""
        self.distributor_a.write(
            {"credit_limit": 0.0, "risk_sale_order_include": False}
        )
        self.company.write(
            {"channel_overdue_hold_days": 30, "channel_overdue_hold_confirm": confirm}
        )
        invoice = self.order_a._create_invoices()
        today = fields.Date.context_today(invoice)
        invoice.write(
            {
                "invoice_date": today - timedelta(days=70),
                "invoice_payment_term_id": False,
                "invoice_date_due": today - timedelta(days=40),
            }
        )
        invoice.action_post()
        return invoice

    def _paid(self, order, amount):
        """A transaction of ``amount`` for ``order`` taken by the provider
        (done) and post-processed, as Odoo's payment status poll and cron do
        (superuser): the transaction."""
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.method.id,
                    "amount": amount,
                    "currency_id": order.currency_id.id,
                    "partner_id": order.partner_invoice_id.id,
                    "reference": f"{order.name}-{uuid.uuid4().hex[:8]}",
                    "operation": "online_direct",
                    "sale_order_ids": [fields.Command.set(order.ids)],
                }
            )
        )
        tx._set_done()
        tx._post_process()
        order.invalidate_recordset()
        return tx

    def _activity_users(self, order, xmlid):
        activity_type = self.env.ref(xmlid)
        return order.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        ).user_id

    # ------------------------------------------------------------------
    # P8-7: overdue hold (Block)
    # ------------------------------------------------------------------

    @mute_logger("odoo.http")
    def test_overdue_hold_refuses_portal_payment(self):
        """Eighth probe, P8-7: on overdue hold with *Block* the distributor
        paid a vendor-sent quotation on the portal: the provider took the
        money, then the confirmation failed in the post-processing. The
        hold stops the payment before any transaction: no *Pay*, and the
        transaction route answers with the hold's message."""
        order = self._sent_quotation(2)
        invoice = self._overdue_hold()
        self.login(self.portal_dist_a)
        self.assertFalse(
            order.with_user(self.portal_dist_a)
            .with_context(channel_portal_uid=self.portal_dist_a.id)
            ._has_to_be_paid()
        )
        # the route answers with the hold's message (Odoo's JSON-RPC error)
        answer = self.url_open(
            f"/my/orders/{order.id}/transaction",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "provider_id": self.provider.id,
                        "payment_method_id": self.method.id,
                        "token_id": None,
                        "amount": order.amount_total,
                        "flow": "direct",
                        "tokenization_requested": False,
                        "landing_route": order.get_portal_url(),
                        "access_token": None,
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        ).json()
        self.assertIn(invoice.name, answer["error"]["data"]["message"])
        self.assertIn("overdue", answer["error"]["data"]["message"])
        self.assertFalse(order.sudo().transaction_ids)
        # with *Warn* the payment confirms it (with the hold's note)
        self.company.channel_overdue_hold_confirm = "warn"
        self.assertTrue(self.pay(order, self.provider, self.method))

    def test_overdue_hold_done_payment_post_processed(self):
        """A transaction already taken when the hold applies (taken before,
        or by a provider's late notification) is post-processed: the payment
        is registered, the order stays a quotation and finance gets an
        activity; no error loops in the post-processing cron."""
        order = self._sent_quotation(2)
        self._overdue_hold()
        tx = self._paid(order, order.amount_total)
        self.assertTrue(tx.is_post_processed)
        self.assertEqual(tx.payment_id.amount, 160.0)
        self.assertEqual(order.state, "sent")
        self.assertEqual(order.amount_paid, 160.0)
        self.assertEqual(
            self._activity_users(order, "mail.mail_activity_data_todo"),
            self.credit_manager,
        )
        self.assertTrue(
            order.message_ids.filtered(lambda m: "overdue hold" in (m.body or ""))
        )

    # ------------------------------------------------------------------
    # P8-8: a prepayment past the credit limit
    # ------------------------------------------------------------------

    def test_partial_prepayment_past_limit_held(self):
        """Eighth probe, P8-8: a 10 % prepayment confirmed an order of 800
        past a credit limit of 300 (OCA's risk bypass in the payment's
        post-processing). What is left unpaid (720) does not fit the 140
        available: the order goes on credit hold, the payment registered;
        a credit manager's release confirms it."""
        order = self._sent_quotation(10, prepayment=0.1)
        self.assertEqual(order.amount_total, 800.0)
        tx = self._paid(order, 80.0)
        self.assertTrue(tx.is_post_processed)
        self.assertEqual(tx.payment_id.amount, 80.0)
        self.assertEqual(order.state, "sent")
        self.assertTrue(order.channel_credit_hold)
        self.assertEqual(
            self._activity_users(order, HOLD_ACTIVITY),
            self.salesman | self.credit_manager,
        )
        self.assertTrue(
            order.message_ids.filtered(lambda m: "Credit hold" in (m.body or ""))
        )
        order.with_user(self.credit_manager)._channel_credit_release("prepaid 10 %")
        self.assertEqual(order.state, "sale")

    def test_prepayment_confirms_when_rest_fits(self):
        """Paid in full, or what is left unpaid fits the credit available:
        the payment confirms the order, as in Odoo; a prepayment leaving
        more unpaid than the credit available does not."""
        full = self._sent_quotation(10)
        self._paid(full, 800.0)
        self.assertEqual(full.state, "sale")
        self.assertFalse(full.channel_credit_hold)
        # 160 + 800 confirmed: 140 available under 1,100; 160 half
        # prepaid leaves 80 unpaid, which fits
        self.distributor_a.credit_limit = 1100.0
        part = self._sent_quotation(2, prepayment=0.5)
        self._paid(part, 80.0)
        self.assertEqual(part.state, "sale")
        self.assertFalse(part.channel_credit_hold)
        # 1,120 used of 1,100: the 80 left unpaid of the next one do not fit
        short = self._sent_quotation(2, prepayment=0.5)
        self._paid(short, 80.0)
        self.assertEqual(short.state, "sent")
        self.assertTrue(short.channel_credit_hold)
