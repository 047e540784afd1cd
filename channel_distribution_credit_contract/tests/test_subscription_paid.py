# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import fields
from odoo.addons.channel_distribution_contract.tests.common import SubscriptionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestSubscriptionPaid(SubscriptionCase):
    """Two subscriptions of distributor A (the first ordered a day before
    the second) billed on one consolidated invoice, 10 days past due."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sub_1 = cls._start_subscription(cls.distributor_a, cls.customer_a)
        cls.sub_2 = cls._start_subscription(
            cls.distributor_a, cls.customer_a, [(cls.product_monthly, 1)]
        )
        cls.sub_1.channel_order_id.date_order = fields.Datetime.now() - timedelta(
            days=1
        )
        invoice_ids = cls.distributor_a.channel_invoice_due(fields.Date.today())
        cls.invoice = cls.env["account.move"].browse(invoice_ids)
        cls.invoice.ensure_one()
        if cls.invoice.state == "draft":
            today = fields.Date.today()
            cls.invoice.write(
                {
                    "invoice_date": today - timedelta(days=40),
                    "invoice_payment_term_id": False,
                    "invoice_date_due": today - timedelta(days=10),
                }
            )
            cls.invoice.action_post()

    def pay(self, amount):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.invoice.ids
        ).create({"amount": amount})._create_payments()
        (self.sub_1 | self.sub_2).invalidate_recordset()

    def test_not_invoiced(self):
        sub = self._start_subscription(self.distributor_b, self.customer_b)
        self.assertEqual(sub.channel_paid_state, "none")
        self.assertFalse(sub.channel_overdue)

    def test_unpaid_overdue(self):
        subs = self.sub_1 | self.sub_2
        self.assertEqual(set(subs.mapped("channel_paid_state")), {"not_paid"})
        self.assertTrue(all(subs.mapped("channel_overdue")))
        billed = sum(subs.mapped("channel_amount_billed"))
        self.assertAlmostEqual(billed, self.invoice.amount_total)
        Contract = self.env["contract.contract"]
        self.assertEqual(
            Contract.search(
                [("channel_paid_state", "in", ("not_paid", "partial"))]
            ).filtered(lambda c: c in subs),
            subs,
        )
        self.assertEqual(Contract.search([("channel_overdue", "=", True)]) & subs, subs)

    def test_partial_payment_oldest_order_first(self):
        self.pay(self.sub_1.channel_amount_billed)
        self.assertEqual(self.sub_1.channel_paid_state, "paid")
        self.assertFalse(self.sub_1.channel_overdue)
        self.assertEqual(self.sub_2.channel_paid_state, "not_paid")
        self.assertTrue(self.sub_2.channel_overdue)
        self.pay(self.sub_2.channel_amount_billed / 2)
        self.assertEqual(self.sub_2.channel_paid_state, "partial")
        self.assertAlmostEqual(
            self.sub_1.channel_amount_paid + self.sub_2.channel_amount_paid,
            self.invoice.amount_total - self.invoice.amount_residual,
        )

    def test_paid_in_full(self):
        self.pay(self.invoice.amount_total)
        subs = self.sub_1 | self.sub_2
        self.assertEqual(set(subs.mapped("channel_paid_state")), {"paid"})
        self.assertFalse(any(subs.mapped("channel_overdue")))
        self.assertFalse(
            self.env["contract.contract"].search([("channel_overdue", "=", True)])
            & subs
        )
