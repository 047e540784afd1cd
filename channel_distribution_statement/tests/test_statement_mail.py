# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common import StatementCase


@tagged("post_install", "-at_install")
class TestStatementMail(StatementCase):
    def send(self, invoice):
        """E-mail ``invoice`` as the scheduled job does: the names of the
        attachments of its e-mail."""
        self.env["account.move.send"]._generate_and_send_invoices(
            invoice, allow_raising=True, sending_methods=["email"]
        )
        messages = invoice.message_ids.filtered(lambda m: m.attachment_ids)
        return messages[:1].attachment_ids.mapped("name")

    def statements(self, names):
        return [name for name in names if name.startswith("Statement ")]

    def test_monthly_statement_with_invoice(self):
        self.company.channel_statement_monthly = True
        names = self.send(self.invoice)
        self.assertEqual(len(self.statements(names)), 1, names)
        self.assertIn(self.distributor_a.name, self.statements(names)[0])
        self.assertEqual(
            self.distributor_a.channel_statement_date,
            fields.Date.context_today(self.distributor_a),
        )
        # the next invoice of the month goes alone
        order = self._create_order(self.distributor_a, self.customer_a)
        order.action_confirm()
        second = self._post_invoice(order)
        self.assertFalse(self.statements(self.send(second)))
        # next month, the statement goes again
        with freeze_time(fields.Date.today() + timedelta(days=31)):
            order = self._create_order(self.distributor_a, self.customer_a)
            order.action_confirm()
            third = self._post_invoice(order)
            self.assertEqual(len(self.statements(self.send(third))), 1)

    def test_setting_off_no_statement(self):
        self.assertFalse(self.company.channel_statement_monthly)
        self.assertFalse(self.statements(self.send(self.invoice)))
        self.assertFalse(self.distributor_a.channel_statement_date)

    def test_agency_invoice_no_statement(self):
        """An agency invoice goes to the end customer: never a distributor's
        statement, nor its own."""
        self.company.channel_statement_monthly = True
        self.customer_b.write(
            {"email": "ap@customer-b.example.com", "street": "2 Road", "city": "Ghent"}
        )
        invoice = self.order_b._create_invoices()
        invoice.action_post()
        self.assertEqual(invoice.commercial_partner_id, self.customer_b)
        self.assertFalse(self.statements(self.send(invoice)))
