# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The fourth probe of the running demo, on sharing a channel order: the
Share action (portal.share) of an internal user writes to the chosen
partners a link to the order. Odoo puts in it the order's access token
(it signs, declines, pays and opens the order to whoever holds it) and a
``pid``/``hash`` pair (it posts in the order's chatter as that partner).
On a channel order both are for its financial counterparty's people and
internal users: the end customer of a resale order, or the distributor of
an agency order, gets the message without a way into the order."""

import re
from urllib.parse import unquote, urlsplit

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ChannelPortalCase

HREF = re.compile(r'href="([^"]*)"')


@tagged("post_install", "-at_install")
class TestOrderShare(ChannelPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the e-mails stay in the queue to be read
        cls.env = cls.env(context=dict(cls.env.context, mail_notify_force_send=False))
        cls.order_b_resale.client_order_ref = "DIST-PO-SHARE-SECRET"
        cls.order_b.client_order_ref = "AGENCY-PO-SHARE-SECRET"

    def _mail_bodies(self, message, partner, required=True):
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
        if required:
            self.assertTrue(mails, f"no e-mail to {partner.name}")
        return mails.mapped("body_html")

    def _links(self, body):
        links = []
        for href in dict.fromkeys(HREF.findall(body)):
            parts = urlsplit(href.replace("&amp;", "&"))
            if parts.scheme in ("http", "https", "") and parts.path.startswith("/"):
                links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        return links

    def _share(self, order, partners):
        """Share ``order`` with ``partners`` as the channel manager: the
        messages of the invitation."""
        before = order.message_ids
        wizard = (
            self.env["portal.share"]
            .with_user(self.channel_manager)
            .with_context(active_model="sale.order", active_id=order.id)
            .create({"partner_ids": [Command.set(partners.ids)]})
        )
        wizard.action_send_mail()
        messages = order.message_ids - before
        self.assertTrue(messages)
        return messages

    def assert_no_way_in(self, order, message, partners, required=True):
        """The e-mails of ``message`` to ``partners`` carry neither the
        order's token nor a pid/hash, and none of their links serves the
        order to an anonymous visitor."""
        secret = order.client_order_ref
        token = order.sudo()._portal_ensure_token()
        self.login(None)
        for partner in partners:
            for body in self._mail_bodies(message, partner, required):
                with self.subTest(partner=partner.name):
                    self.assertNotIn(token, body)
                    self.assertNotIn("access_token", body)
                    self.assertNotIn("hash=", body.replace("&amp;", "&"))
                for link in self._links(body):
                    with self.subTest(partner=partner.name, link=link):
                        response = self.url_open(link)
                        text = unquote(response.text)
                        self.assertFalse(
                            response.status_code == 200 and secret in text,
                            f"{partner.name}'s link serves the order to anyone",
                        )

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_share_resale_order_with_end_customer(self):
        outsiders = self.portal_cust_b.partner_id | self.customer_b
        for message in self._share(self.order_b_resale, outsiders):
            self.assert_no_way_in(
                self.order_b_resale, message, message.partner_ids & outsiders
            )

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_share_agency_order_with_distributor(self):
        outsider = self.portal_dist_b.partner_id
        for message in self._share(self.order_b, outsider):
            self.assert_no_way_in(self.order_b, message, outsider)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_share_with_counterparty_keeps_token(self):
        insider = self.portal_dist_b.partner_id
        message = self._share(self.order_b_resale, insider)[:1]
        body = self._mail_bodies(message, insider)[0]
        links = [link for link in self._links(body) if "access_token=" in link]
        self.assertTrue(links)
        self.login(None)
        response = self.url_open(links[0])
        self.assertEqual(response.status_code, 200)
        self.assertIn("DIST-PO-SHARE-SECRET", unquote(response.text))

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_chatter_recipients_outside_counterparty(self):
        outsiders = self.portal_cust_b.partner_id | self.customer_b
        self.order_b_resale.message_subscribe(partner_ids=outsiders.ids)
        message = self.order_b_resale.with_user(self.channel_manager).message_post(
            body="About your delivery",
            partner_ids=(outsiders | self.portal_dist_b.partner_id).ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        # (the end customer's people may get no e-mail at all)
        self.assert_no_way_in(self.order_b_resale, message, outsiders, required=False)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_pid_hash_of_an_outsider_opens_nothing(self):
        """A pid/hash pair mailed before the rule (to a former follower, to
        the end customer of an order that became resale) opened the order's
        chatter and posted in it as that partner. The pair serves only the
        people of the financial counterparty and internal users, checked
        when it is used."""
        for order, outsider, insider in (
            (
                self.order_b_resale,
                self.portal_cust_b.partner_id,
                self.portal_dist_b.partner_id,
            ),
            (self.order_b_resale, self.customer_b, self.distributor_b),
            (
                self.order_b,
                self.portal_dist_b.partner_id,
                self.portal_cust_b.partner_id,
            ),
            (
                self.order_a,
                self.portal_dist_b.partner_id,
                self.portal_dist_a.partner_id,
            ),
        ):
            with self.subTest(order=order.name, partner=outsider.name):
                self.assertEqual(
                    self.chatter_by_pid(
                        order, outsider, f"OUT-{order.id}-{outsider.id}"
                    ),
                    (False, False),
                )
            with self.subTest(order=order.name, partner=insider.name):
                self.assertEqual(
                    self.chatter_by_pid(order, insider, f"IN-{order.id}-{insider.id}"),
                    (True, True),
                )
        # an internal user's pair still works
        manager = self.channel_manager.partner_id
        self.assertEqual(
            self.chatter_by_pid(self.order_b_resale, manager, "INTERNAL-PID"),
            (True, True),
        )

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_pid_hash_posts_as_its_partner_in_the_audience(self):
        """A pair of the financial counterparty's people, forwarded to a
        logged-in user outside it (another distributor, the end customer of
        a resale order), opened the chatter and posted as that user; an
        outsider's pair with the order's token posted as the outsider. The
        author is the pair's own partner, of the order's audience."""
        for order, insider, outsider, outside_users in (
            (
                self.order_b_resale,
                self.portal_dist_b.partner_id,
                self.portal_cust_b.partner_id,
                self.portal_dist_a | self.portal_cust_b,
            ),
            (
                self.order_b,
                self.portal_cust_b.partner_id,
                self.portal_dist_a.partner_id,
                self.portal_dist_a | self.portal_cust_a,
            ),
        ):
            with self.subTest(order=order.name):
                self.check_pid_author(
                    order,
                    insider,
                    outsider,
                    outside_users,
                    token=order.sudo()._portal_ensure_token(),
                )
