# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import Command, fields
from odoo.addons.channel_distribution.tests.common import ChannelPortalCase


class StatementCase(ChannelPortalCase):
    """Distributor A (an e-mail, an invoice address) with a consolidated
    invoice of two orders (``order_a``, and ``order_a2`` for End Customer
    A2): 160 + 200, posted, 45 days past its due date and paid 50; a
    credit note of 30, 10 days old, and a payment of 20, 5 days old, neither
    reconciled. The statement's balance is 260."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.email = "billing@vendor.example.com"
        cls.distributor_a.write(
            {
                "email": "ap@distributor-a.example.com",
                "street": "1 Channel Street",
                "city": "Rotterdam",
            }
        )
        cls.customer_a2 = cls.env["res.partner"].create(
            {
                "name": "End Customer A2",
                "is_company": True,
                "distributor_id": cls.distributor_a.id,
            }
        )
        cls.order_a2 = cls._create_order(
            cls.distributor_a, cls.customer_a2, [(cls.product_setup, 1)]
        )
        cls.order_a2.action_confirm()
        invoices, __ = (cls.order_a | cls.order_a2)._create_distributor_invoices()
        cls.invoice = invoices
        today = fields.Date.today()
        cls.invoice.write(
            {
                "invoice_date": today - timedelta(days=75),
                "invoice_payment_term_id": False,
                "invoice_date_due": today - timedelta(days=45),
            }
        )
        cls.invoice.action_post()
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
