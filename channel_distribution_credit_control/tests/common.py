# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields
from odoo.addons.channel_distribution_invoicing.tests.common import (
    ConsolidatedInvoiceCase,
)

POLICY = "channel_distribution_credit_control.credit_policy_distributors"


class DunningCase(ConsolidatedInvoiceCase):
    """Distributor A (an e-mail, an invoice address) with one consolidated
    invoice of two orders, ``order_a`` (PO-A-1) for End Customer A and
    ``order_a2`` (PO-A-2) for End Customer A2, posted ``days_overdue`` days
    past its due date (``due``), not paid."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env.ref(POLICY)

    @classmethod
    def _setup_order_a2(cls, **extra):
        cls.order_a.client_order_ref = "PO-A-1"
        return super()._setup_order_a2(client_order_ref="PO-A-2", **extra)

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
