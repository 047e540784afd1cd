# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import fields
from odoo.addons.channel_distribution.tests.common import ChannelPortalCase

POLICY = "channel_distribution_credit_control.credit_policy_distributors"


class DunningCase(ChannelPortalCase):
    """Distributor A (an e-mail, an invoice address) with one consolidated
    invoice of two orders, ``order_a`` for End Customer A and ``order_a2``
    for End Customer A2, posted ``days_overdue`` days past its due date
    (``due``), not paid."""

    days_overdue = 60

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
        cls.order_a.client_order_ref = "PO-A-1"
        cls.order_a2 = cls._create_order(
            cls.distributor_a,
            cls.customer_a2,
            [(cls.product_setup, 1)],
            client_order_ref="PO-A-2",
        )
        cls.order_a2.action_confirm()
        invoices, __ = (cls.order_a | cls.order_a2)._create_distributor_invoices()
        cls.invoice = invoices
        cls.due = fields.Date.today() - timedelta(days=cls.days_overdue)
        cls.invoice.write(
            {
                "invoice_date": cls.due - timedelta(days=30),
                "invoice_payment_term_id": False,
                "invoice_date_due": cls.due,
            }
        )
        cls.invoice.action_post()
        cls.policy = cls.env.ref(POLICY)

    @classmethod
    def run_credit_control(cls):
        """A credit control run of today's date on every policy, as finance
        starts it: the lines generated for the consolidated invoice."""
        run = cls.env["credit.control.run"].create({"date": fields.Date.today()})
        run.generate_credit_lines()
        return run, run.line_ids.filtered(lambda line: line.invoice_id == cls.invoice)

    @classmethod
    def send_reminders(cls, run):
        """Mark the run's lines to be sent and send them (e-mail)."""
        run.set_to_ready_lines()
        run.run_channel_action()
        return run.line_ids.communication_id
