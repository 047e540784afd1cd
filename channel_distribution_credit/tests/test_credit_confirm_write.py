# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Found by the fourth outside probe: a channel order confirmed past the
credit check by a raw write of its state, and by an invoice address of
another company."""

import contextlib

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import RISK_MANAGER, CreditCase


@tagged("post_install", "-at_install")
class TestCreditConfirmWrite(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a salesperson who also is a credit manager
        cls.sales_risk = new_test_user(
            cls.env,
            "cw_sales_risk",
            groups="sales_team.group_sale_salesman_all_leads," + RISK_MANAGER,
        )

    def _draft_order(self, quantity):
        return self._create_order(
            self.distributor_a,
            self.customer_a,
            [(self.product_service, quantity)],
            user_id=self.salesman.id,
        )

    # ------------------------------------------------------------------
    # HIGH 2: the state written over call_kw write
    # ------------------------------------------------------------------

    @mute_logger("odoo.http")
    def test_state_write_of_held_order_refused(self):
        """A held portal order was confirmed by writing its state: refused
        to a channel user and manager, a credit manager too (the release is
        the way)."""
        self.company.channel_portal_confirm = True
        order, __ = self.portal_submit(self.portal_dist_a, 2)
        self.assertTrue(order.channel_credit_hold)
        self.login(self.channel_user)
        answer = self.call_kw("sale.order", "write", [order.ids, {"state": "sale"}])
        self.assertIn("credit hold", answer["error"]["data"]["message"])
        for user in (self.channel_manager, self.sales_risk):
            with self.assertRaisesRegex(UserError, "credit hold"):
                order.with_user(user).write({"state": "sale"})
        order.invalidate_recordset()
        self.assertEqual(order.state, "draft")
        # the release confirms it
        order.with_user(self.credit_manager)._channel_credit_release("prepaid")
        self.assertEqual(order.state, "sale")

    @mute_logger("odoo.http")
    def test_state_write_past_limit_refused(self):
        """160 used + 160 > 300: a channel user or manager writing the
        state confirmed it; refused as action_confirm refuses it."""
        order = self._draft_order(2)
        self.login(self.channel_user)
        answer = self.call_kw("sale.order", "write", [order.ids, {"state": "sale"}])
        self.assertIn("credit manager", answer["error"]["data"]["message"])
        for user in (self.channel_manager, self.salesman):
            with self.assertRaisesRegex(UserError, "credit manager"):
                order.with_user(user).write({"state": "sale"})
        order.invalidate_recordset()
        self.assertEqual(order.state, "draft")
        # a credit manager confirms past the limit through the confirmation
        # (OCA's key, as its wizard does): a raw write of the state skips
        # the confirmation's flows, refused to everyone (fourth probe)
        with self.assertRaisesRegex(UserError, "confirmed with Confirm"):
            order.with_user(self.sales_risk).write({"state": "sale"})
        order.with_user(self.sales_risk).with_context(bypass_risk=True).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_confirm_within_limit_unchanged(self):
        """Odoo's confirmation writes the state: within the limit a channel
        user still confirms, through action_confirm."""
        order = self._draft_order(1)
        order.with_user(self.channel_user).action_confirm()
        self.assertEqual(order.state, "sale")
        action = self._draft_order(2).with_user(self.channel_user).action_confirm()
        self.assertEqual(action["res_model"], "partner.risk.exceeded.wiz")

    # ------------------------------------------------------------------
    # HIGH 3: the invoice address of another company
    # ------------------------------------------------------------------

    def test_invoice_address_of_another_company_refused(self):
        """The invoice address moved to a company without a limit took the
        order out of its distributor's credit check."""
        order = self._draft_order(2)
        other = self.env["res.partner"].create(
            {"name": "No Limit Co", "is_company": True}
        )
        for user in (self.salesman, self.channel_user, self.channel_manager):
            for partner in (other, self.distributor_b):
                with self.assertRaises(ValidationError):
                    order.with_user(user).write({"partner_invoice_id": partner.id})
        self.assertEqual(order.partner_invoice_id, self.distributor_a)
        action = order.with_user(self.channel_user).action_confirm()
        self.assertEqual(action["res_model"], "partner.risk.exceeded.wiz")
        self.assertEqual(order.state, "draft")

    def test_invoice_contact_of_counterparty_accepted(self):
        """An invoice contact of the distributor is its address: accepted,
        and the distributor's credit still applies."""
        order = self._draft_order(2)
        contact = self.env["res.partner"].create(
            {
                "name": "A Accounts Payable",
                "type": "invoice",
                "parent_id": self.distributor_a.id,
            }
        )
        order.with_user(self.channel_user).write({"partner_invoice_id": contact.id})
        self.assertEqual(order._channel_credit_partner(), self.distributor_a)
        action = order.with_user(self.channel_user).action_confirm()
        self.assertEqual(action["res_model"], "partner.risk.exceeded.wiz")
        self.assertEqual(order.state, "draft")

    # ------------------------------------------------------------------
    # eleventh probe, P11-13: a confirmed order's lines raised past the limit
    # ------------------------------------------------------------------

    def test_confirmed_order_raised_past_limit_refused(self):
        """160 used by order_a + 80 confirmed = 240 of 300: its salesman
        raised the confirmed order to 100 units (and added lines) with no
        hold. An increase past the limit is refused with the credit
        available named, as at confirmation; a credit manager raises it."""
        order = self._draft_order(1)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        line = order.order_line
        total = order.amount_total
        with self.assertRaisesRegex(UserError, r"credit available .*60\.00"):
            line.with_user(self.salesman).write({"product_uom_qty": 100})
        add = {
            "order_line": [
                Command.create(
                    {"product_id": self.product_service.id, "product_uom_qty": 2}
                )
            ]
        }
        with self.assertRaisesRegex(UserError, "credit manager"):
            order.with_user(self.channel_manager).write(add)
        # refused inside the caller's transaction (a caller that catches the
        # error, no savepoint of its own): the line keeps its quantity and
        # the order its lines, in the cache and in the database
        for refused in (
            lambda: line.with_user(self.salesman).write({"product_uom_qty": 100}),
            lambda: order.with_user(self.channel_manager).write(add),
        ):
            with contextlib.suppress(UserError):
                refused()
                self.fail("the raise past the limit was not refused")
            self.assertEqual(line.product_uom_qty, 1)
            self.assertEqual(order.order_line, line)
            self.assertEqual(order.amount_total, total)
            self.env.invalidate_all()
            self.assertEqual(line.product_uom_qty, 1)
            self.assertEqual(order.order_line, line)
        # lowered: no check
        line.with_user(self.salesman).write({"product_uom_qty": 0})
        line.with_user(self.sales_risk).write({"product_uom_qty": 100})
        self.assertEqual(line.product_uom_qty, 100)
