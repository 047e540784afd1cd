# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CreditCase

HOLD_ACTIVITY = "channel_distribution_credit.mail_activity_credit_hold"

# The credit figures of a partner that no portal user may read over RPC.
RISK_FIELDS = [
    "credit_limit",
    "risk_total",
    "risk_exception",
    "risk_remaining_value",
    "risk_sale_order",
    "risk_sale_order_limit",
    "risk_invoice_unpaid",
    "risk_channel_subscription",
]


@tagged("post_install", "-at_install")
class TestCreditHold(CreditCase):
    """Portal orders past the distributor's credit limit (300, of which
    ``order_a`` uses 160) are kept as quotations on hold."""

    def test_over_limit_held_with_message_and_activities(self):
        self.company.channel_portal_confirm = True
        # 2 x 80 = 160: 320 > 300
        order, response = self.portal_submit(self.portal_dist_a, 2)
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.channel_credit_hold)
        # the distributor reads why, how much is left and whom to call
        self.assertIn("o_channel_credit_hold", response.text)
        self.assertIn("Credit hold.", response.text)
        self.assertIn(self.currency.format(140.0), response.text)
        self.assertIn(self.salesman.name, response.text)
        # the salesperson and finance get an activity
        activities = order.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(HOLD_ACTIVITY)
        )
        self.assertEqual(activities.user_id, self.salesman | self.credit_manager)
        self.assertTrue(
            order.message_ids.filtered(lambda m: "Credit hold" in (m.body or ""))
        )
        # nobody confirms it past the hold, not even a sales manager, nor
        # with the release's context key
        with self.assertRaisesRegex(UserError, "credit hold"):
            order.with_user(self.channel_manager).action_confirm()
        with self.assertRaisesRegex(UserError, "credit hold"):
            order.with_user(self.channel_manager).with_context(
                channel_credit_release=True, bypass_risk=True
            ).action_confirm()
        self.assertEqual(order.state, "draft")

    def test_within_limit_confirmed(self):
        self.company.channel_portal_confirm = True
        # 1 x 80: 240 <= 300
        order, response = self.portal_submit(self.portal_dist_a, 1)
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.channel_credit_hold)
        self.assertNotIn("o_channel_credit_hold", response.text)
        # the next one no longer fits
        order, __ = self.portal_submit(self.portal_dist_a, 1)
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.channel_credit_hold)

    def test_not_confirmed_at_once_still_held(self):
        self.company.channel_portal_confirm = False
        order, __ = self.portal_submit(self.portal_dist_a, 2)
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.channel_credit_hold)
        small, __ = self.portal_submit(self.portal_dist_a, 1)
        self.assertEqual(small.state, "draft")
        self.assertFalse(small.channel_credit_hold)

    def test_held_quotation_not_edited_on_the_portal(self):
        """Seventh probe, P7-3: a quotation on credit hold was raised on the
        portal's edit form (5 to 9,000 units) and the credit manager's
        release then confirmed the new amount, past the limit, on a
        decision made for the old one. A held quotation waits for the
        decision unchanged."""
        self.company.channel_portal_confirm = True
        order, __ = self.portal_submit(self.portal_dist_a, 2)
        self.assertTrue(order.channel_credit_hold)
        total = order.amount_total
        self.portal_edit(self.portal_dist_a, order, 9000)
        order.invalidate_recordset()
        self.assertEqual(order.amount_total, total)
        self.assertEqual(order.order_line.product_uom_qty, 2)

    def test_portal_edit_checks_credit_again(self):
        """An edit of an unheld quotation submits new content: past the
        limit it is held as a new order would be (P7-3)."""
        self.company.channel_portal_confirm = False
        order, __ = self.portal_submit(self.portal_dist_a, 1)
        self.assertFalse(order.channel_credit_hold)
        self.portal_edit(self.portal_dist_a, order, 5)
        order.invalidate_recordset()
        self.assertEqual(order.order_line.product_uom_qty, 5)
        self.assertTrue(order.channel_credit_hold)
        self.assertEqual(order.state, "draft")

    def test_no_limit_no_hold(self):
        self.company.channel_portal_confirm = True
        # resale: a submission invoiced to the end customer (agency) waits
        # for its signature whatever the credit (sixteenth probe, P16-5)
        self.distributor_b.channel_financial_role = "distributor"
        order, __ = self.portal_submit(self.portal_dist_b, 50, self.customer_b)
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.channel_credit_hold)

    def test_release_by_credit_manager(self):
        self.company.channel_portal_confirm = True
        order, __ = self.portal_submit(self.portal_dist_a, 2)
        wizard = (
            self.env["channel.credit.release"]
            .with_user(self.credit_manager)
            .create({"order_ids": [(6, 0, order.ids)], "reason": "Paid by wire"})
        )
        # a salesperson cannot release, neither through the wizard nor the model
        with self.assertRaises(AccessError):
            self.env["channel.credit.release"].with_user(self.salesman).create(
                {"order_ids": [(6, 0, order.ids)], "reason": "Please"}
            )
        with self.assertRaisesRegex(UserError, "credit manager"):
            order.with_user(self.salesman)._channel_credit_release("Please")
        with self.assertRaisesRegex(UserError, "reason"):
            order.with_user(self.credit_manager)._channel_credit_release("  ")
        wizard.action_release()
        self.assertFalse(order.channel_credit_hold)
        self.assertEqual(order.state, "sale")
        released = order.message_ids.filtered(
            lambda m: "Credit hold released" in (m.body or "")
        )
        self.assertTrue(released)
        self.assertIn("Paid by wire", released.body)
        self.assertEqual(released.author_id, self.credit_manager.partner_id)
        self.assertFalse(
            order.activity_ids.filtered(
                lambda a: a.activity_type_id == self.env.ref(HOLD_ACTIVITY)
            )
        )
        # released once: a second release is refused
        with self.assertRaisesRegex(UserError, "not on credit hold"):
            order.with_user(self.credit_manager)._channel_credit_release("again")

    def test_credit_figures_internal(self):
        """End customers and other distributors never read a distributor's
        credit over RPC, nor the distributor its own (its order page says
        what it needs)."""
        for user in (self.portal_cust_a, self.portal_dist_b, self.portal_dist_a):
            self.login(user)
            for field in RISK_FIELDS:
                # refused, or nothing found: never the figure
                answer = self.call_kw(
                    "res.partner", "read", [self.distributor_a.ids, [field]]
                )
                self.assertFalse(answer.get("result"), (user.login, field))
                answer = self.call_kw(
                    "res.partner",
                    "search_read",
                    [[("id", "=", self.distributor_a.id)], [field]],
                )
                self.assertFalse(answer.get("result"), (user.login, field))
            # nor learn them by searching (over its limit or not: either
            # answer would tell)
            for value in (True, False):
                answer = self.call_kw(
                    "res.partner",
                    "search",
                    [
                        [
                            ("id", "=", self.distributor_a.id),
                            ("risk_exception", "=", value),
                        ]
                    ],
                )
                self.assertFalse(answer.get("result"), (user.login, value))
            answer = self.call_kw(
                "res.partner",
                "search",
                [[("risk_remaining_percentage", ">", 0)]],
            )
            self.assertFalse(answer.get("result"), user.login)
        self.company.channel_portal_confirm = True
        order, __ = self.portal_submit(self.portal_dist_a, 2)
        self.login(self.portal_dist_a)
        answer = self.call_kw(
            "sale.order", "read", [order.ids, ["channel_credit_available"]]
        )
        self.assertFalse(answer.get("result"))
        # internal users of the channel read them
        self.login(self.channel_user)
        answer = self.call_kw(
            "res.partner", "read", [self.distributor_a.ids, ["risk_total"]]
        )
        self.assertAlmostEqual(answer["result"][0]["risk_total"], 160.0)

    def test_hold_is_lifted_only_by_a_credit_manager(self):
        """Found by the outside probe: the salesperson (or any sales user)
        wrote the hold off and confirmed the order past the limit."""
        self.company.channel_portal_confirm = True
        order, __ = self.portal_submit(self.portal_dist_a, 2)
        self.assertTrue(order.channel_credit_hold)
        for user in (self.salesman, self.channel_manager):
            with self.assertRaisesRegex(UserError, "credit manager"):
                order.with_user(user).write({"channel_credit_hold": False})
        order.invalidate_recordset()
        self.assertTrue(order.channel_credit_hold)
        self.assertEqual(order.state, "draft")
        # the release is the way
        order.with_user(self.credit_manager)._channel_credit_release("paid in cash")
        self.assertFalse(order.channel_credit_hold)
