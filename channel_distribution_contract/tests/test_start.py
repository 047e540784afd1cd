# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SubscriptionCase


@tagged("post_install", "-at_install")
class TestSubscriptionStart(SubscriptionCase):
    def test_channel_order_starts_one_subscription(self):
        contract = self._start_subscription(
            self.distributor_a,
            self.customer_a,
            [(self.product_monthly, 3), (self.product_arrears, 2)],
            client_order_ref="PO-77",
        )
        self.assertEqual(len(contract), 1)
        order = contract.channel_order_id
        self.assertEqual(contract.distributor_id, self.distributor_a)
        self.assertEqual(contract.end_customer_id, self.customer_a)
        self.assertEqual(contract.financial_role, "distributor")
        self.assertEqual(contract.business_role, "end_customer")
        self.assertEqual(contract.client_order_ref, "PO-77")
        self.assertEqual(contract.partner_id, self.distributor_a)
        self.assertEqual(
            contract.invoice_partner_id.commercial_partner_id, self.distributor_a
        )
        self.assertEqual(contract.pricelist_id, order.pricelist_id)
        self.assertEqual(len(contract.contract_line_ids), 2)
        self.assertEqual(contract.recurring_next_date, self.start)
        # the order bills nothing itself: the subscription does
        self.assertEqual(order.invoice_status, "no")

    def test_order_price_book_not_partner_default(self):
        """The known trap: the subscription keeps the order's pricelist, not
        the partner's default nor a template's."""
        special = self._create_price_book("Test Deal", 50)
        template = self.env["contract.template"].create(
            {"name": "T Template", "pricelist_id": self.book_public.id}
        )
        self.product_monthly.property_contract_template_id = template
        vals = self._order_vals(
            self.distributor_a,
            self.customer_a,
            [(self.product_monthly, 1)],
        )
        order = self.env["sale.order"].create(vals)
        order.pricelist_id = special
        order.order_line.date_start = self.start
        order.action_confirm()
        contract = self.env["contract.contract"].search(
            [("channel_order_id", "=", order.id)]
        )
        self.assertEqual(contract.pricelist_id, special)
        self.assertNotEqual(
            contract.pricelist_id, self.distributor_a.property_product_pricelist
        )

    def test_direct_order_keeps_oca_behaviour(self):
        customer = self.env["res.partner"].create({"name": "Direct Buyer"})
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product_monthly.id,
                            "product_uom_qty": 1,
                            "date_start": self.start,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        contract = order.order_line.contract_id
        self.assertTrue(contract)
        self.assertFalse(contract.distributor_id)
        self.assertFalse(contract.channel_order_id)
        self.assertEqual(contract.partner_id, customer)
        # billed by OCA's own job, one invoice per contract
        self.env["contract.contract"].cron_recurring_create_invoice(self.start)
        self.assertEqual(contract.invoice_count, 1)

    def test_oca_job_leaves_channel_subscriptions(self):
        contract = self._start_subscription(self.distributor_a, self.customer_a)
        self.env["contract.contract"].cron_recurring_create_invoice(self.start)
        self.assertEqual(contract.invoice_count, 0)
        self.assertEqual(contract.recurring_next_date, self.start)
        with self.assertRaisesRegex(UserError, "billed with the other"):
            contract.recurring_create_invoice()

    def test_orders_confirmed_together_get_a_subscription_each(self):
        orders = self.env["sale.order"].create(
            [
                self._order_vals(
                    self.distributor_a, self.customer_a, [(self.product_monthly, n)]
                )
                for n in (1, 2)
            ]
        )
        orders.order_line.date_start = self.start
        orders.action_confirm()
        for order in orders:
            contract = self.env["contract.contract"].search(
                [("channel_order_id", "=", order.id)]
            )
            self.assertEqual(len(contract), 1)
            self.assertEqual(
                contract.contract_line_ids.sale_order_line_id, order.order_line
            )
            self.assertEqual(order.order_line.contract_id, contract)
