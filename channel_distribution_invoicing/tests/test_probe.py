# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The second probe of the running demo (after issue 24), on invoices: a
resale invoice followed by its end customer, the channel links of invoice
lines, and the invoicing dates of a distributor."""

from contextlib import closing

from odoo import Command, fields
from odoo.addons.channel_distribution.tests.common import ChannelPortalCase
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestInvoicingProbe(ChannelPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contacts = new_test_user(
            cls.env,
            "sec_inv_contacts",
            groups="base.group_user,base.group_partner_manager",
        )
        address = {"street": "2 Other Street", "city": "Lille"}
        (cls.distributor_b | cls.customer_b).write(address)
        (cls.order_b | cls.order_b_resale).action_create_distributor_invoices()
        cls.resale_invoice = cls.order_b_resale.invoice_ids
        cls.agency_invoice = cls.order_b.invoice_ids
        (cls.resale_invoice | cls.agency_invoice).action_post()
        cls.resale_invoice.ref = "DIST-PO-INV-SECRET"

    # 1. the end customer made a follower of a resale invoice ----------------

    def test_end_customer_never_follows_a_resale_invoice(self):
        invoice = self.resale_invoice
        self.assertEqual(invoice.channel_distributor_id, self.distributor_b)
        customer = self.portal_cust_b.partner_id
        invoice.with_context(mail_post_autofollow=True).message_post(
            body="About your delivery",
            partner_ids=customer.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        invoice.message_subscribe(partner_ids=(customer | self.customer_b).ids)
        invoice.invalidate_recordset(["message_partner_ids", "message_follower_ids"])
        self.assertFalse((customer | self.customer_b) & invoice.message_partner_ids)
        # the end customer follows its own (agency) invoice as before
        self.agency_invoice.message_subscribe(partner_ids=customer.ids)
        self.assertIn(customer, self.agency_invoice.message_partner_ids)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_follower_end_customer_reads_nothing_of_a_resale_invoice(self):
        invoice = self.resale_invoice
        self.env["mail.followers"]._insert_followers(
            "account.move", invoice.ids, self.portal_cust_b.partner_id.ids
        )
        token = invoice._portal_ensure_token()
        secrets = (invoice.name, "DIST-PO-INV-SECRET", token)
        self.login(self.portal_cust_b)
        for url in (
            f"/my/invoices/{invoice.id}",
            f"/my/invoices/{invoice.id}?report_type=html",
            f"/my/invoices/{invoice.id}?report_type=pdf",
            f"/report/html/account.report_invoice/{invoice.id}",
            "/my/invoices",
        ):
            with self.subTest(url=url):
                page = self.url_open(url, allow_redirects=False)
                for secret in secrets:
                    self.assertNotIn(secret, page.text)
        for model, method, args in (
            ("account.move", "read", [invoice.ids, ["name", "ref", "access_token"]]),
            ("account.move", "search_read", [[], ["name", "ref", "access_token"]]),
            ("account.move.line", "search_read", [[], ["move_id", "price_unit"]]),
            ("account.move", "read_group", [[], ["amount_total:sum"], ["ref"]]),
        ):
            with self.subTest(model=model, method=method):
                result = str(self.call_kw(model, method, args))
                for secret in secrets:
                    self.assertNotIn(secret, result)
        # its own (agency) invoice it reads, page and RPC
        agency = self.agency_invoice
        page = self.url_open(f"/my/invoices/{agency.id}", allow_redirects=False)
        self.assertEqual(page.status_code, 200)
        self.assertIn(agency.name, page.text)
        result = self.call_kw("account.move", "read", [agency.ids, ["name"]])
        self.assertIn(agency.name, str(result))
        # the distributor reads its resale invoice
        self.login(self.portal_dist_b)
        page = self.url_open(f"/my/invoices/{invoice.id}", allow_redirects=False)
        self.assertIn(invoice.name, page.text)
        # a token opens its own record for whoever holds it (anonymous)
        self.login(None)
        page = self.url_open(
            f"/my/invoices/{invoice.id}?access_token={token}", allow_redirects=False
        )
        self.assertIn(invoice.name, page.text)

    # 5. the channel links of invoice lines ------------------------------------

    def _refused(self, record, vals, user):
        try:
            with closing(self.env.cr.savepoint()), mute_logger("odoo.models"):
                record.with_user(user).write(vals)
                self.env.flush_all()
        except UserError:  # AccessError too
            return True
        finally:
            self.env.invalidate_all()
        return False

    def test_channel_links_of_invoice_lines_are_the_products(self):
        invoice = self.resale_invoice
        lines = invoice.invoice_line_ids.filtered("sale_line_ids")
        section = invoice.invoice_line_ids.filtered("channel_order_id")
        self.assertTrue(lines and section)
        for record, vals in (
            (lines, {"distributor_id": self.distributor_a.id}),
            (lines, {"end_customer_id": self.customer_a.id}),
            (lines, {"sale_line_ids": [Command.clear()]}),
            (lines, {"channel_credit_kept": True}),
            (section, {"channel_order_id": self.order_a.id}),
            (invoice, {"channel_distributor_id": self.distributor_a.id}),
        ):
            with self.subTest(vals=vals):
                self.assertTrue(self._refused(record, vals, self.accountant))
        # on a draft, what decides billing is refused too
        invoice.button_draft()
        self.assertTrue(
            self._refused(lines, {"channel_credit_kept": True}, self.accountant)
        )
        # a reversal keeps the links and the credit
        invoice.action_post()
        wizard = (
            self.env["account.move.reversal"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "probe", "journal_id": invoice.journal_id.id})
        )
        wizard.refund_moves()
        refund = wizard.new_move_ids
        self.assertEqual(refund.channel_distributor_id, self.distributor_b)
        self.assertTrue(
            all(
                refund.invoice_line_ids.filtered("sale_line_ids").mapped(
                    "channel_credit_kept"
                )
            )
        )

    # 6. the invoicing dates of a distributor ---------------------------------

    def test_contact_creation_keeps_the_invoicing_dates(self):
        day = fields.Date.to_date("2099-12-31")
        for name in ("channel_invoicing_next_date", "channel_invoicing_last_date"):
            with self.subTest(field=name):
                with self.assertRaises(AccessError):
                    self.distributor_a.with_user(self.contacts).write({name: day})
                self.assertNotEqual(self.distributor_a[name], day)
