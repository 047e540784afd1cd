# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime, time, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.addons.channel_distribution.tests.common import ChannelCase
from odoo.tests import tagged

DAY = timedelta(days=1)


@tagged("post_install", "-at_install")
class TestPaidStatus(ChannelCase):
    """Two orders of distributor A on one consolidated invoice, partly paid:
    the payment goes to the oldest order's section first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.distributor_a.write({"street": "1 Channel Street", "city": "Rotterdam"})
        now = fields.Datetime.now()
        # 2 x 80 = 160, the older order
        cls.order_old = cls._create_order(cls.distributor_a, cls.customer_a)
        cls.order_old.date_order = now - timedelta(days=3)
        # 3 x 80 = 240
        cls.order_new = cls._create_order(
            cls.distributor_a, cls.customer_a, [(cls.product_service, 3)]
        )
        cls.order_new.date_order = now - timedelta(days=1)
        cls.orders = cls.order_new | cls.order_old
        cls.orders.action_confirm()
        # invoiced newest first: the order of the sections is not the rule
        cls.orders.action_create_distributor_invoices()
        cls.invoice = cls.orders.invoice_ids
        cls.invoice.action_post()

    def _pay(self, amount):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.invoice.ids
        ).create({"amount": amount})._create_payments()

    def _search(self, domain):
        return self.env["sale.order"].search([("id", "in", self.orders.ids), *domain])

    def test_unpaid(self):
        self.assertEqual(len(self.invoice), 1)
        self.assertAlmostEqual(self.invoice.amount_total, 400.0)
        self.assertEqual(self.orders.mapped("channel_paid_state"), ["not_paid"] * 2)
        self.assertAlmostEqual(self.order_old.channel_amount_billed, 160.0)
        unpaid = [("channel_paid_state", "in", ("not_paid", "partial"))]
        self.assertEqual(self._search(unpaid), self.orders)
        self.assertFalse(self._search([("channel_overdue", "=", True)]))

    def test_partial_payment_oldest_section_first(self):
        self._pay(200.0)
        self.orders.invalidate_recordset()
        self.assertEqual(self.order_old.channel_paid_state, "paid")
        self.assertAlmostEqual(self.order_old.channel_amount_paid, 160.0)
        self.assertEqual(self.order_new.channel_paid_state, "partial")
        self.assertAlmostEqual(self.order_new.channel_amount_paid, 40.0)
        self.assertEqual(
            self._search([("channel_paid_state", "=", "paid")]), self.order_old
        )
        self.assertEqual(
            self._search([("channel_paid_state", "in", ("not_paid", "partial"))]),
            self.order_new,
        )
        # past the due date: only the order not fully paid is overdue
        # (the day after in the time zone of the user, at noon: the test
        # holds at any hour)
        tomorrow = fields.Date.context_today(self.invoice) + DAY
        self.assertLess(self.invoice.invoice_date_due, tomorrow)
        with freeze_time(datetime.combine(tomorrow, time(12))):
            self.orders.invalidate_recordset()
            self.assertFalse(self.order_old.channel_overdue)
            self.assertTrue(self.order_new.channel_overdue)
            self.assertEqual(
                self._search([("channel_overdue", "=", True)]), self.order_new
            )
        self.orders.invalidate_recordset()
        self.assertFalse(self.order_new.channel_overdue)
        self._pay(200.0)
        self.orders.invalidate_recordset()
        self.assertEqual(self.orders.mapped("channel_paid_state"), ["paid"] * 2)
        self.assertFalse(self._search([("channel_overdue", "=", True)]))

    def test_credit_note_settles_the_section_it_credits(self):
        """A credit note of one of the newer order's units (80.00), applied
        to the invoice when posted, settles the newer order's section, not
        the older order's (walk 16, W16-1: it was paid oldest first as a
        payment: the older order "partial 80.00", nobody having paid it). A
        payment of 200.00 then pays the older order's 160.00 and 40.00 more
        of the newer one."""
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=self.invoice.ids)
            .create({"reason": "one unit", "journal_id": self.invoice.journal_id.id})
        )
        wizard.refund_moves()
        refund = wizard.new_move_ids
        others = refund.invoice_line_ids.filtered(
            lambda x: x.display_type == "product"
            and x.sale_line_ids.order_id != self.order_new
        )
        refund.write({"invoice_line_ids": [Command.delete(x.id) for x in others]})
        refund.invoice_line_ids.filtered(
            lambda x: x.display_type == "product"
        ).quantity = 1
        refund.action_post()
        # 1 x 80 = 80.00 credited, 400 - 80 = 320.00 open
        self.assertAlmostEqual(refund.amount_total, 80.0)
        self.assertAlmostEqual(self.invoice.amount_residual, 320.0)
        self.orders.invalidate_recordset()
        self.assertEqual(self.order_old.channel_paid_state, "not_paid")
        self.assertAlmostEqual(self.order_old.channel_amount_paid, 0.0)
        self.assertEqual(self.order_new.channel_paid_state, "partial")
        self.assertAlmostEqual(self.order_new.channel_amount_paid, 80.0)
        # 200.00 paid: the older order's 160.00, then 40.00 of what is left
        # of the newer one's (240 - 80 = 160.00): 80 + 40 = 120.00
        self._pay(200.0)
        self.orders.invalidate_recordset()
        self.assertEqual(self.order_old.channel_paid_state, "paid")
        self.assertAlmostEqual(self.order_old.channel_amount_paid, 160.0)
        self.assertEqual(self.order_new.channel_paid_state, "partial")
        self.assertAlmostEqual(self.order_new.channel_amount_paid, 120.0)
        # the last 120.00: both paid
        self._pay(120.0)
        self.orders.invalidate_recordset()
        self.assertEqual(self.orders.mapped("channel_paid_state"), ["paid"] * 2)

    def test_not_invoiced(self):
        order = self._create_order(self.distributor_a, self.customer_a)
        order.action_confirm()
        self.assertEqual(order.channel_paid_state, "none")
        self.assertIn(
            order, self.env["sale.order"].search([("channel_paid_state", "=", "none")])
        )
