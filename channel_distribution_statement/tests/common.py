# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import Command, fields
from odoo.addons.channel_distribution_invoicing.tests.common import (
    ConsolidatedInvoiceCase,
)


class StatementCase(ConsolidatedInvoiceCase):
    """Distributor A (an e-mail, an invoice address) with a consolidated
    invoice of two orders (``order_a``, and ``order_a2`` for End Customer
    A2): 160 + 200, posted, 45 days past its due date and paid 50; a
    credit note of 30, 10 days old, and a payment of 20, 5 days old, neither
    reconciled. The statement's balance is 260."""

    days_overdue = 45

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        cls.payment = (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=cls.invoice.ids)
            .create({"amount": 50.0, "payment_date": today - timedelta(days=40)})
            ._create_payments()
        )
        cls.refund = cls.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": cls.distributor_a.id,
                "invoice_date": today - timedelta(days=10),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Goodwill",
                            "quantity": 1,
                            "price_unit": 30.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        cls.refund.action_post()
        cls.unmatched = cls.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": cls.distributor_a.id,
                "amount": 20.0,
                "date": today - timedelta(days=5),
            }
        )
        cls.unmatched.action_post()

    @classmethod
    def _post_invoice(cls, order):
        invoices, __ = order._create_distributor_invoices()
        invoices.action_post()
        return invoices
