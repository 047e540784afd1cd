# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who reads and changes subscriptions, through the ORM, JSON-RPC and the
portal."""

import json

from odoo import Command, fields
from odoo.addons.channel_distribution.tests.common import ChannelPortalCase
from odoo.tests import tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestSubscriptionPortalAccess(ChannelPortalCase):
    """Portal users through JSON-RPC and the portal pages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.create_contract_at_sale_order_confirmation = True
        cls.start = fields.Date.today().replace(day=1)
        cls.product_seat = cls.env["product.product"].create(
            {
                "name": "Test Secure Seat",
                "type": "service",
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
                "is_contract": True,
                "recurring_rule_type": "monthly",
                "recurring_invoicing_type": "pre-paid",
                "recurrence_interval": "yearly",
                "termination_notice_interval": 0,
            }
        )
        cls.sub_a = cls._subscribe(cls.distributor_a, cls.customer_a)
        cls.sub_b = cls._subscribe(cls.distributor_b, cls.customer_b)  # agency
        cls.sub_b_resale = cls._subscribe(
            cls.distributor_b, cls.customer_b, financial_role="distributor"
        )
        cls.subs = cls.sub_a | cls.sub_b | cls.sub_b_resale

    @classmethod
    def _subscribe(cls, distributor, customer, **extra):
        order = cls._create_order(
            distributor, customer, [(cls.product_seat, 3)], **extra
        )
        order.order_line.date_start = cls.start
        order.action_confirm()
        return cls.env["contract.contract"].search(
            [("channel_order_id", "=", order.id)]
        )

    def call_kw(self, model, method, args, kwargs=None):
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": kwargs or {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def _rpc_contracts(self, model, user):
        """The subscriptions whose ``model`` records ``user`` reads by
        JSON-RPC."""
        self.login(user)
        result = self.call_kw(model, "search_read", [[]], {"fields": ["contract_id"]})
        self.assertNotIn("error", result)
        return {row["contract_id"][0] for row in result["result"]}

    def _follow(self, contract, user):
        contract.message_subscribe(partner_ids=user.partner_id.ids)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_portal_reads_lines_of_its_subscriptions_only(self):
        # a distributor's user following its subscription, an end customer's
        # following both of B's: each reads what OCA's portal shows it
        self._follow(self.sub_a, self.portal_dist_a)
        self._follow(self.sub_b | self.sub_b_resale, self.portal_cust_b)
        expected = {
            self.portal_dist_a: self.sub_a,
            self.portal_dist_b: self.env["contract.contract"],
            # never the distributor's lines of a resale subscription (its
            # buy price)
            self.portal_cust_b: self.sub_b,
            self.portal_cust_a: self.env["contract.contract"],
        }
        for user, contracts in expected.items():
            for model in ("contract.line", "contract.modification"):
                seen = self._rpc_contracts(model, user) & set(self.subs.ids)
                self.assertEqual(seen, set(contracts.ids), (user.login, model))
        self.login(self.portal_dist_b)
        result = self.call_kw(
            "contract.line",
            "read",
            [self.sub_a.contract_line_ids.ids, ["price_unit"]],
        )
        self.assertIn("error", result)
        result = self.call_kw(
            "contract.line",
            "read_group",
            [[], ["quantity:sum"], ["channel_distributor_id"]],
        )
        distributors = {
            row["channel_distributor_id"][0]
            for row in result["result"]
            if row["channel_distributor_id"]
        }
        self.assertNotIn(self.distributor_a.id, distributors)

    def test_legit_parties_still_see_their_pages(self):
        self._follow(self.sub_a, self.portal_dist_a)
        self.login(self.portal_dist_a)
        page = self.url_open(f"/my/contracts/{self.sub_a.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Test Secure Seat", page.text)
        page = self.url_open(f"/my/channel/subscriptions/{self.sub_a.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Test Secure Seat", page.text)
        self.login(self.portal_cust_b)
        page = self.url_open(f"/my/channel/subscriptions/{self.sub_b.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Test Secure Seat", page.text)
