# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, fields
from odoo.addons.channel_distribution.tests.common import ChannelCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestDistributorRisk(ChannelCase):
    """A distributor's risk: confirmed channel orders not invoiced (OCA's
    sales orders risk, on the financial counterparty) and the next period of
    its running resale subscriptions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.distributor_a.write(
            {
                "credit_limit": 1000.0,
                "risk_sale_order_include": True,
                "risk_channel_subscription_include": True,
            }
        )

    def test_unbilled_channel_orders_in_risk(self):
        resale = self._create_order(self.distributor_a, self.customer_a)
        agency = self._create_order(
            self.distributor_a, self.customer_a, financial_role="end_customer"
        )
        quotation = self._create_order(self.distributor_a, self.customer_a)
        (resale | agency).action_confirm()
        self.assertEqual(quotation.state, "draft")
        # resale: 2 x 80 at the Gold book, the distributor's risk; the agency
        # order is its end customer's; a quotation is nobody's yet
        self.assertAlmostEqual(self.distributor_a.risk_sale_order, 160.0)
        self.assertAlmostEqual(self.distributor_a.risk_total, 160.0)
        self.assertAlmostEqual(self.customer_a.risk_sale_order, 200.0)
        self.assertAlmostEqual(self.distributor_a.risk_remaining_value, 840.0)

    def test_next_subscription_period_in_risk(self):
        Contract = self.env.get("contract.contract")
        if Contract is None or "channel_next_amount" not in Contract._fields:
            self.skipTest("channel_distribution_contract is not installed")
        self.env.company.create_contract_at_sale_order_confirmation = True
        product = self.env["product.product"].create(
            {
                "name": "T Credit Seat",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
                "is_contract": True,
                "recurring_rule_type": "monthly",
                "recurring_interval": 1,
                "recurring_invoicing_type": "pre-paid",
                "recurrence_interval": "yearly",
                "recurrence_number": 1,
                "is_auto_renew": True,
                "auto_renew_interval": 1,
                "auto_renew_rule_type": "yearly",
            }
        )
        start = fields.Date.today().replace(day=1)
        orders = self.env["sale.order"]
        for role in ("distributor", "end_customer"):
            orders |= self._create_order(
                self.distributor_a,
                self.customer_a,
                lines=[(product, 3)],
                financial_role=role,
            )
        orders.order_line.date_start = start
        orders.action_confirm()
        contracts = Contract.search([("channel_order_id", "in", orders.ids)])
        resale = contracts.filtered(lambda c: c.financial_role == "distributor")
        self.assertEqual(len(contracts), 2)
        # 3 seats at 80 (Gold book) a month: the next period
        self.assertAlmostEqual(resale.channel_next_amount, 240.0)
        # (computed, not stored: the confirmation's credit check read them
        # before the subscriptions started; they follow them)
        self.assertAlmostEqual(self.distributor_a.risk_channel_subscription, 240.0)
        self.assertAlmostEqual(self.distributor_a.risk_total, 240.0)
        # agency: the end customer's risk, not the distributor's
        self.assertAlmostEqual(self.customer_a.risk_channel_subscription, 300.0)
        # an ended subscription is no risk
        resale.active = False
        self.assertAlmostEqual(self.distributor_a.risk_channel_subscription, 0.0)
        # not included: counted, but not in the total
        self.distributor_a.risk_channel_subscription_include = False
        self.assertAlmostEqual(self.distributor_a.risk_total, 0.0)
