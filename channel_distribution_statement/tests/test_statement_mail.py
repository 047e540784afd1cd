# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

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

    def test_statement_date_is_the_jobs(self):
        """Seventh outside probe, P7-7: a Contact Creation user wrote the
        date of a distributor's last statement, and the month's statement
        did not go. The e-mail of an invoice sets it (as superuser); no user
        writes it, on create neither, whatever the role. Odoo's merge
        wizard still merges distributors: the one kept takes the latest
        date."""
        day = fields.Date.context_today(self.distributor_a)
        partner_manager = ",base.group_partner_manager"
        roles = {
            "contact_creation": self.salesman,
            "channel_manager": self.channel_manager,
            "account_manager": new_test_user(
                self.env,
                "stm_acct_mgr",
                groups="account.group_account_manager" + partner_manager,
            ),
            "administrator": new_test_user(
                self.env, "stm_admin", groups="base.group_system" + partner_manager
            ),
        }
        Partner = self.env["res.partner"]
        for role, user in roles.items():
            with self.subTest(role=role):
                with self.assertRaises(AccessError):
                    self.distributor_a.with_user(user).write(
                        {"channel_statement_date": day}
                    )
                with self.assertRaises(AccessError):
                    Partner.with_user(user).create(
                        {"name": "Dated", "channel_statement_date": day}
                    )
                with self.assertRaises(AccessError):
                    Partner.with_user(user).with_context(
                        default_channel_statement_date=day
                    ).create({"name": "Dated"})
        self.assertFalse(self.distributor_a.channel_statement_date)
        # unchanged (a form saving it as it is) passes
        self.distributor_a.with_user(self.salesman).write(
            {"channel_statement_date": False, "phone": "+32 9 000 00 02"}
        )
        # the merge wizard of a channel manager
        duplicate = Partner.create(
            {
                "name": "Distributor B (duplicate)",
                "is_company": True,
                "is_distributor": True,
                "email": self.distributor_b.email,
                "channel_statement_date": day,
            }
        )
        self.distributor_b.channel_statement_date = False
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(self.channel_manager)
            .with_context(
                active_model="res.partner",
                active_ids=(duplicate | self.distributor_b).ids,
            )
            .create({"dst_partner_id": self.distributor_b.id})
        )
        wizard.action_merge()
        self.assertFalse(duplicate.exists())
        self.assertEqual(self.distributor_b.channel_statement_date, day)

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
