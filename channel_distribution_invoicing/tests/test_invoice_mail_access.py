# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The third probe of the running demo, on the mail of invoices: the e-mail
a recipient of a resale invoice's chatter receives. Odoo gives every
partner named as a recipient of an invoice's message (and the invoiced
partner) a link with the invoice's access token, which opens the invoice
to whoever holds it, anonymously: page and PDF. On a channel invoice only
the invoiced party's people get it; an end customer named in the chatter,
a follower, or a recipient added to *Send & Print* gets the message
without a way into the invoice."""

import re
from urllib.parse import unquote, urlsplit

from odoo import Command
from odoo.addons.channel_distribution.tests.common import ChannelPortalCase
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

HREF = re.compile(r'href="([^"]*)"')


@tagged("post_install", "-at_install")
class TestResaleInvoiceMail(ChannelPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, mail_notify_force_send=False))
        address = {"street": "2 Other Street", "city": "Lille"}
        # its sending preference set: Send & Print writes none (the
        # accountant does not edit contacts)
        cls.distributor_b.write(
            {
                **address,
                "email": "distributor-b@example.com",
                "invoice_sending_method": "email",
            }
        )
        cls.customer_b.write({**address, "email": "customer-b@example.com"})
        (cls.order_b | cls.order_b_resale).action_create_distributor_invoices()
        # the e-mails stay in the queue to be read
        cls.invoice = cls.order_b_resale.invoice_ids.with_env(cls.env)
        cls.invoice.action_post()
        cls.invoice.ref = "DIST-PO-MAIL-SECRET"
        # the end customer's people: its portal user and the company
        cls.outsiders = cls.portal_cust_b.partner_id | cls.customer_b
        # the invoiced party's: the distributor and its portal user
        cls.insiders = cls.distributor_b | cls.portal_dist_b.partner_id

    # helpers ------------------------------------------------------------

    def _mail_bodies(self, message, partner):
        """The bodies of the e-mails of ``message`` that go to ``partner``."""
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    ("mail_message_id", "=", message.id),
                    ("recipient_ids", "in", partner.ids),
                ]
            )
        )
        self.assertTrue(mails, f"no e-mail to {partner.name}")
        return mails.mapped("body_html")

    def _links(self, body):
        """The links of the site in an e-mail body, as paths with their
        query (the host is the database's base URL)."""
        links = []
        for href in dict.fromkeys(HREF.findall(body)):
            href = href.replace("&amp;", "&")
            parts = urlsplit(href)
            if parts.scheme in ("http", "https", "") and parts.path.startswith("/"):
                links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        return links

    def _served(self, url):
        """Whether opening ``url`` as the current visitor serves the
        invoice (its number or the distributor's reference)."""
        response = self.url_open(url)
        text = unquote(response.text)
        return response.status_code == 200 and (
            self.invoice.name in text or "DIST-PO-MAIL-SECRET" in text
        )

    def assert_no_way_in(self, message, partners):
        """None of the links of the e-mails of ``message`` to ``partners``
        serves the invoice to an anonymous visitor, and they carry no
        access token."""
        token = self.invoice.sudo().access_token
        self.login(None)
        for partner in partners:
            for body in self._mail_bodies(message, partner):
                for link in self._links(body):
                    with self.subTest(partner=partner.name, link=link):
                        self.assertFalse(
                            self._served(link),
                            f"the link of {partner.name}'s e-mail serves the "
                            "invoice to anyone",
                        )
                with self.subTest(partner=partner.name):
                    self.assertFalse(
                        "access_token" in body or (token and token in body),
                        f"an access token in the e-mail to {partner.name}",
                    )
                    # nor a pid/hash, which posts on the invoice as them
                    self.assertNotIn("hash=", body.replace("&amp;", "&"))

    def assert_way_in(self, message, partner):
        """The e-mail of ``message`` to ``partner`` opens the invoice (page
        and PDF) with its token, anonymously."""
        self.login(None)
        body = self._mail_bodies(message, partner)[0]
        links = [link for link in self._links(body) if "access_token=" in link]
        self.assertTrue(links, f"no access link for {partner.name}")
        self.assertTrue(self._served(links[0]))
        token = self.invoice.sudo().access_token
        pdf = self.url_open(
            f"/my/invoices/{self.invoice.id}?access_token={token}&report_type=pdf"
        )
        self.assertEqual(pdf.status_code, 200)

    # the chatter ----------------------------------------------------------

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_recipients_outside_the_invoiced_party_get_no_token(self):
        message = self.invoice.with_user(self.accountant).message_post(
            body="About your delivery",
            partner_ids=(self.outsiders | self.insiders).ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assert_no_way_in(message, self.outsiders)
        # the distributor's people open it with the token
        for partner in self.insiders:
            with self.subTest(partner=partner.name):
                self.assert_way_in(message, partner)
        # an internal user named in the chatter keeps the backend link
        message = self.invoice.with_user(self.accountant).message_post(
            body="Please check",
            partner_ids=self.channel_manager.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        body = self._mail_bodies(message, self.channel_manager.partner_id)[0]
        self.assertIn(f"res_id={self.invoice.id}", body)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_followers_outside_the_invoiced_party_get_no_token(self):
        # followers that came in another way (the end customers of a resale
        # invoice are never subscribed: test_probe), and another
        # distributor's contact
        outsiders = self.outsiders | self.portal_dist_a.partner_id
        self.env["mail.followers"]._insert_followers(
            "account.move", self.invoice.ids, outsiders.ids
        )
        self.invoice.message_subscribe(partner_ids=self.portal_dist_b.partner_id.ids)
        message = self.invoice.with_user(self.accountant).message_post(
            body="Paid tomorrow?",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assert_no_way_in(message, outsiders)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_send_and_print_to_an_end_customer_gives_no_token(self):
        wizard = (
            self.env["account.move.send.wizard"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=self.invoice.ids)
            .create({"sending_methods": ["email"]})
        )
        self.assertEqual(wizard.mail_partner_ids, self.distributor_b)
        wizard.mail_partner_ids |= self.outsiders
        wizard.action_send_and_print()
        message = self.invoice.message_ids.filtered(
            lambda m: self.distributor_b in m.partner_ids
        )[:1]
        self.assertTrue(message)
        self.assert_no_way_in(message, self.outsiders)
        self.assert_way_in(message, self.distributor_b)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_share_with_an_end_customer_gives_no_token(self):
        # an accountant who edits contacts shares the invoice (its Share
        # action, portal.share)
        sharer = new_test_user(
            self.env,
            "sec_acct_share",
            groups="base.group_user,account.group_account_invoice,"
            "base.group_partner_manager",
        )
        wizard = (
            self.env["portal.share"]
            .with_user(sharer)
            .with_context(active_model="account.move", active_id=self.invoice.id)
            .create({"partner_ids": [Command.set(self.outsiders.ids)]})
        )
        wizard.action_send_mail()
        messages = self.invoice.message_ids.filtered(
            lambda m: m.partner_ids & self.outsiders
        )
        self.assertTrue(messages)
        for message in messages:
            self.assert_no_way_in(message, message.partner_ids & self.outsiders)
        # shared with the distributor's user, the link opens it
        wizard = (
            self.env["portal.share"]
            .with_user(sharer)
            .with_context(active_model="account.move", active_id=self.invoice.id)
            .create({"partner_ids": [Command.set(self.portal_dist_b.partner_id.ids)]})
        )
        wizard.action_send_mail()
        message = self.invoice.message_ids.filtered(
            lambda m: self.portal_dist_b.partner_id in m.partner_ids
        )[:1]
        self.assert_way_in(message, self.portal_dist_b.partner_id)

    # the agency invoice of the same end customer ---------------------------

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_the_invoiced_end_customer_keeps_its_token(self):
        agency = self.order_b.invoice_ids.with_env(self.env)
        agency.action_post()
        message = agency.with_user(self.accountant).message_post(
            body="Your invoice",
            partner_ids=self.portal_cust_b.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        body = self._mail_bodies(message, self.portal_cust_b.partner_id)[0]
        self.assertIn(agency.sudo().access_token, body)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_pid_hash_of_an_outsider_opens_nothing(self):
        """A pid/hash pair mailed to an end customer of a resale invoice
        (before the rule, or as a former follower) opened the invoice's
        chatter and posted in it as that partner: the pair serves only the
        people of the invoiced party and internal users."""
        invoice = self.invoice
        outsider = self.portal_cust_b.partner_id
        insider = self.portal_dist_b.partner_id
        self.assertEqual(
            self.chatter_by_pid(invoice, outsider, "OUT-INVOICE-PID"), (False, False)
        )
        self.assertEqual(
            self.chatter_by_pid(invoice, self.customer_b, "OUT-INVOICE-CO"),
            (False, False),
        )
        self.assertEqual(
            self.chatter_by_pid(invoice, insider, "IN-INVOICE-PID"), (True, True)
        )

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_pid_hash_posts_as_its_partner_in_the_audience(self):
        """The distributor's pair forwarded to a logged-in end customer or
        another distributor posted as them; the end customer's pair with
        the invoice's token posted as the end customer. The author is the
        pair's own partner, of the invoiced party."""
        self.check_pid_author(
            self.invoice,
            self.portal_dist_b.partner_id,
            self.portal_cust_b.partner_id,
            self.portal_cust_b | self.portal_dist_a,
            token=self.invoice.sudo()._portal_ensure_token(),
        )
