# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""OCA's line flows refused on a channel subscription name nothing to a
caller who does not read it (probe 14, P14-6)."""

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import SubscriptionPortalCase


@tagged("post_install", "-at_install")
class TestLineFlowAccess(SubscriptionPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sub_a = cls._subscribe(
            cls.distributor_a,
            cls.customer_a,
            client_order_ref="PO-P14-A",
            user_id=cls.salesman.id,
        )
        cls.employee = new_test_user(
            cls.env, "p14_line_emp", groups="base.group_user", password="p14_line_emp"
        )

    def _calls(self, line):
        today = fields.Date.today()
        before = fields.Date.to_string(line.date_start - relativedelta(days=1))
        after = today + relativedelta(months=2)
        later = fields.Date.to_string(after + relativedelta(years=1))
        after = fields.Date.to_string(after)
        today = fields.Date.to_string(today)
        return {
            "stop": [line.ids, before],
            "cancel": [line.ids],
            "uncancel": [line.ids, today],
            "plan_successor": [line.ids, after, later, False],
            "stop_plan_successor": [line.ids, after, later, False],
        }

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_line_flows_name_nothing_to_other_parties(self):
        """P14-6: another distributor's portal user, an end customer (of
        another distributor, and the resale end customer of the
        subscription) and a plain employee called ``contract.line.stop``,
        ``cancel``, ``uncancel``, ``plan_successor`` and
        ``stop_plan_successor`` over JSON-RPC on distributor A's line: the
        channel's refusal named the subscription, its distributor, product
        and period end. Odoo's generic AccessError answers them."""
        line = self.sub_a.contract_line_ids
        self.assertEqual(len(line), 1)
        secrets = (
            self.sub_a.display_name,
            self.sub_a.channel_order_id.name,
            self.distributor_a.name,
            self.product_seat.name,
        )
        users = (self.portal_dist_b, self.portal_cust_b, self.portal_cust_a)
        for user in (*users, self.employee):
            for method, args in self._calls(line).items():
                with self.subTest(user=user.login, method=method):
                    self.login(user)
                    answer = self.call_kw("contract.line", method, args)
                    self.assertIn("error", answer)
                    error = answer["error"]["data"]
                    self.assertEqual(error["name"], "odoo.exceptions.AccessError")
                    for secret in secrets:
                        self.assertNotIn(secret, error["message"])
        self.assertFalse(line.is_canceled)

    def test_line_flows_keep_the_reason_for_readers(self):
        """Control: the subscription's salesman, who reads it, still gets
        the channel's reason."""
        line = self.sub_a.contract_line_ids.with_user(self.salesman)
        with self.assertRaisesRegex(UserError, "channel manager"):
            line.cancel()
        with self.assertRaisesRegex(UserError, "channel manager"):
            line.stop(line.date_start - relativedelta(days=1))
