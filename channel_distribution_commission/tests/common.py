# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.addons.channel_distribution.tests.common import ChannelCase


class CommissionCase(ChannelCase):
    """Distributor A (gold book, 20 % off list) paid a commission on its
    agency business: an agency order of 2 x 100 to End Customer A earns it
    2 x (100 - 80) = 40."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.distributor_a.write(
            {
                "channel_commission_paid": True,
                "channel_commission_payout": "in_invoice",
                "settlement": "monthly",
            }
        )
        cls.commission_channel = cls.env.ref(
            "channel_distribution_commission.commission_channel"
        )
        cls.product_commission = cls.env.ref(
            "channel_distribution_commission.product_distributor_commission"
        )

    @classmethod
    def _agency_order(cls, qty=2, customer=None, distributor=None):
        order = cls._create_order(
            distributor or cls.distributor_a,
            customer or cls.customer_a,
            [(cls.product_service, qty)],
            financial_role="end_customer",
        )
        order.action_confirm()
        return order

    def _invoice(self, order, post=True, date=None):
        invoice = order._create_invoices()
        if date:
            invoice.invoice_date = date
        if post:
            invoice.action_post()
        return invoice

    def _pay(self, invoice, amount=None, date=None):
        register = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "amount": amount if amount is not None else invoice.amount_residual,
                    "payment_date": date or invoice.invoice_date,
                }
            )
        )
        register._create_payments()
        return invoice

    def _agent_lines(self, moves):
        return moves.invoice_line_ids.agent_ids

    def _partial_invoice(self, order, qty):
        """An invoice of ``qty`` units of the order's only line."""
        invoice = order._create_invoices()
        line = invoice.invoice_line_ids.filtered("product_id")
        invoice.write(
            {"invoice_line_ids": [Command.update(line.id, {"quantity": qty})]}
        )
        invoice.action_post()
        return invoice
