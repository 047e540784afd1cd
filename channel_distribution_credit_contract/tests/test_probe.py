# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The fifth probe of the demo where subscriptions meet credit: a
subscription started from an order the risk check kept a quotation, and a
portal raise of a subscription past the credit limit or on overdue hold."""

from datetime import timedelta

from odoo import fields
from odoo.addons.channel_distribution_contract.tests.common import (
    SubscriptionPortalCase,
)
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

RISK_MANAGER = "account_financial_risk.group_account_financial_risk_manager"


@tagged("post_install", "-at_install")
class TestSubscriptionCreditProbe(SubscriptionPortalCase):
    """A resale subscription of 3 seats of distributor A (80 a seat, its
    gold book)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.risk_manager = new_test_user(
            cls.env,
            "p5_risk_mgr",
            groups="sales_team.group_sale_salesman_all_leads,"
            "account.group_account_invoice," + RISK_MANAGER,
        )
        cls.sub_a = cls._subscribe(cls.distributor_a, cls.customer_a)
        cls.line_a = cls.sub_a.contract_line_ids

    def _contracts(self, order):
        return self.env["contract.contract"].search(
            [("channel_order_id", "=", order.id)]
        )

    def test_no_subscription_behind_the_risk_wizard(self):
        """Fifth probe, 2: OCA's risk check answers a confirmation past the
        limit with its wizard and keeps the order a quotation; the
        subscription must not have started."""
        self.distributor_a.write(
            {"credit_limit": 100.0, "risk_sale_order_include": True}
        )
        order = self._create_order(
            self.distributor_a,
            self.customer_a,
            [(self.product_seat, 500)],
            user_id=self.salesman.id,
        )
        order.order_line.date_start = self.start
        action = order.with_user(self.salesman).action_confirm()
        self.assertIsInstance(action, dict)
        self.assertEqual(action["res_model"], "partner.risk.exceeded.wiz")
        self.assertEqual(order.state, "draft")
        self.assertFalse(self._contracts(order))
        self.assertFalse(order.order_line.contract_id)
        # the credit manager's Continue confirms it: one subscription
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        wizard.with_user(self.risk_manager).button_continue()
        self.assertEqual(order.state, "sale")
        contract = self._contracts(order)
        self.assertEqual(len(contract), 1)
        self.assertEqual(contract.contract_line_ids.quantity, 500)

    def _post_quantity(self, quantity):
        return self.post_form(
            f"/my/channel/subscriptions/{self.sub_a.id}/quantity",
            {"line_id": self.line_a.id, "quantity": quantity},
        )

    def _assert_unchanged(self, quantity=3):
        self.env.invalidate_all()
        self.assertEqual(self.line_a.quantity, quantity)
        self.assertFalse(self.sub_a.channel_adjustment_ids)

    def test_portal_raise_within_the_credit_limit_only(self):
        """Fifth probe, 3: a distributor past its credit limit raised its
        subscription 1 -> 9,000 seats on the portal."""
        self.distributor_a.write({"credit_limit": 1.0, "risk_sale_order_include": True})
        self.login(self.portal_dist_a)
        response = self._post_quantity(9000)
        self.assertEqual(response.status_code, 400)
        self.assertIn("o_channel_subscription_error", response.text)
        self.assertIn("credit", response.text)
        self._assert_unchanged()
        # lowering is always the distributor's
        response = self._post_quantity(2)
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(self.line_a.quantity, 2)
        # with room for the next period of the raise, it goes through
        self.distributor_a.credit_limit = 1000000.0
        response = self._post_quantity(5)
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(self.line_a.quantity, 5)

    def test_portal_raise_refused_on_overdue_hold(self):
        self.company.channel_overdue_hold_days = 30
        invoice = self.order_a._create_invoices()
        today = fields.Date.today()
        invoice.write(
            {
                "invoice_date": today - timedelta(days=70),
                "invoice_payment_term_id": False,
                "invoice_date_due": today - timedelta(days=40),
            }
        )
        invoice.action_post()
        self.login(self.portal_dist_a)
        response = self._post_quantity(4)
        self.assertEqual(response.status_code, 400)
        self.assertIn(invoice.name, response.text)
        self._assert_unchanged()
        response = self._post_quantity(1)
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(self.line_a.quantity, 1)

    def test_portal_raise_reads_the_invoiced_party(self):
        """Sixth probe, N3: the credit check followed the subscription's
        stored copy of its invoiced party's commercial entity, which a
        salesman wrote to a partner without a limit; the check reads the
        invoiced party itself."""
        self.distributor_a.write({"credit_limit": 1.0, "risk_sale_order_include": True})
        # the copy made to say another partner (as the salesman's write did)
        self.sub_a.sudo().write({"commercial_partner_id": self.distributor_b.id})
        self.assertEqual(self.sub_a.commercial_partner_id, self.distributor_b)
        self.login(self.portal_dist_a)
        response = self._post_quantity(9000)
        self.assertEqual(response.status_code, 400)
        self.assertIn("credit", response.text)
        self._assert_unchanged()

    def _backend_raise(self, user, line, quantity):
        wizard = (
            self.env["channel.contract.quantity"]
            .with_user(user)
            .create({"contract_line_id": line.id, "quantity": quantity})
        )
        return wizard.action_apply()

    def test_backend_raise_within_the_credit_limit_only(self):
        """Sixth probe, N6: Change the Quantity raised a subscription of a
        distributor past its credit limit with no check (the portal raise
        is checked): a credit manager's decision, as an order."""
        sub = self._subscribe(
            self.distributor_a, self.customer_a, user_id=self.salesman.id
        )
        line = sub.contract_line_ids
        self.distributor_a.write({"credit_limit": 1.0, "risk_sale_order_include": True})
        with self.assertRaisesRegex(UserError, "credit limit"):
            self._backend_raise(self.salesman, line, 10000)
        self.env.invalidate_all()
        self.assertEqual(line.quantity, 3)
        self.assertFalse(sub.channel_adjustment_ids)
        # lowering is always allowed
        self._backend_raise(self.salesman, line, 2)
        self.assertEqual(line.quantity, 2)
        # the credit manager decides past the limit
        self._backend_raise(self.risk_manager, line, 10000)
        self.assertEqual(line.quantity, 10000)

    def test_raise_amount_counts_the_current_period_charge(self):
        """P14-4: a portal raise passed the credit check with its next
        period (30 x 9.60 = 288.00 against 432.00 available), and the
        prorated charge of the current period it created (232.26) took the
        distributor past its limit: the raise commits both."""
        today = fields.Date.today()
        self.distributor_a.street = "Rue A 1"
        self.distributor_a.channel_invoice_due(today)
        line = self.line_a
        self.assertTrue(
            line.channel_period_ids.filtered(
                lambda p: p.date_start <= today <= p.date_end
            ),
            "the current period is billed",
        )
        next_period = 3 * line._channel_period_price(line.next_period_date_start)
        amount = line._channel_raise_amount(6)
        adjustments = line._channel_change_quantity(6)
        self.assertTrue(adjustments)
        currency = self.sub_a.currency_id
        self.assertEqual(
            currency.compare_amounts(
                amount, next_period + sum(adjustments.mapped("amount"))
            ),
            0,
            f"{amount} for {next_period} and {adjustments.mapped('amount')}",
        )

    def test_backend_raise_refused_on_overdue_hold(self):
        sub = self._subscribe(
            self.distributor_a, self.customer_a, user_id=self.salesman.id
        )
        line = sub.contract_line_ids
        self.company.channel_overdue_hold_days = 30
        invoice = self.order_a._create_invoices()
        today = fields.Date.today()
        invoice.write(
            {
                "invoice_date": today - timedelta(days=70),
                "invoice_payment_term_id": False,
                "invoice_date_due": today - timedelta(days=40),
            }
        )
        invoice.action_post()
        with self.assertRaisesRegex(UserError, invoice.name):
            self._backend_raise(self.salesman, line, 4)
        self.env.invalidate_all()
        self.assertEqual(line.quantity, 3)
