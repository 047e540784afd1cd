# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What an outside probe of the portal found about tickets, one test per
finding (the numbers are those of channel_distribution's test_probe.py)."""

from contextlib import closing

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import ChannelHelpdeskPortalCase


@tagged("post_install", "-at_install")
class TestTicketProbe(ChannelHelpdeskPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_progress = cls.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress"
        )
        cls.helpdesk_user = new_test_user(
            cls.env,
            "sec_helpdesk",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
            password="sec_helpdesk",
        )

    # 2. anybody closes any ticket ----------------------------------------

    def ticket_close(self, ticket, stage, method="POST"):
        params = {"ticket_id": str(ticket.id), "stage_id": str(stage.id)}
        if method == "GET":
            query = "&".join(f"{k}={v}" for k, v in params.items())
            return self.url_open(f"/ticket/close?{query}", allow_redirects=False)
        return self.post_form("/ticket/close", params, allow_redirects=False)

    @mute_logger("odoo.http")
    def test_ticket_close_needs_write_access_and_a_post(self):
        self.assertEqual(self.order_b.commissioning_state, "pending")
        for user in (self.portal_cust_a, self.portal_cust_b, self.portal_dist_b):
            self.login(user)
            for method in ("GET", "POST"):
                with self.subTest(user=user.login, method=method):
                    self.ticket_close(self.ticket_b, self.stage_done, method)
                    self.assertFalse(self.ticket_b.stage_id.closed)
        self.assertEqual(self.order_b.commissioning_state, "pending")
        # A portal user is offered no close button.
        self.login(self.portal_cust_b)
        page = self.url_open(f"/my/ticket/{self.ticket_b.id}").text
        self.assertNotIn('action="/ticket/close"', page)
        # A helpdesk user may write it: by POST, to a closing stage of the
        # ticket's team offered on the portal, nothing else.
        self.login(self.helpdesk_user)
        page = self.url_open(f"/my/ticket/{self.ticket_b.id}").text
        self.assertRegex(page, r'<form method="POST"[^>]* action="/ticket/close"')
        self.assertIn('name="csrf_token"', page)
        self.ticket_close(self.ticket_b, self.stage_done, "GET")
        self.assertFalse(self.ticket_b.stage_id.closed)
        self.ticket_close(self.ticket_b, self.stage_progress)
        self.assertNotEqual(self.ticket_b.stage_id, self.stage_progress)
        other_team = self.env["helpdesk.ticket.team"].create({"name": "T Other"})
        other_stage = self.stage_done.copy(
            {"name": "Other team's end", "team_ids": [other_team.id]}
        )
        self.ticket_close(self.ticket_b, other_stage)
        self.assertFalse(self.ticket_b.stage_id.closed)
        self.ticket_close(self.ticket_b, self.stage_done)
        self.assertEqual(self.ticket_b.stage_id, self.stage_done)
        self.assertEqual(self.order_b.commissioning_state, "done")

    # 8. commissioning by RPC -------------------------------------------------

    def raise_tickets_rpc(self, order):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "sale.order",
                "method": "action_commissioning_raise_tickets",
                "args": [order.ids],
                "kwargs": {},
            },
        )

    @mute_logger("odoo.http")
    def test_portal_user_cannot_raise_commissioning_tickets(self):
        # The button runs as superuser inside: internal users only, though
        # portal users read the order.
        self.ticket_b.unlink()
        for user in (self.portal_dist_b, self.portal_cust_b):
            self.login(user)
            with self.subTest(user=user.login):
                with self.assertRaises(JsonRpcException):
                    self.raise_tickets_rpc(self.order_b)
                self.assertFalse(self.order_b.ticket_ids)
        self.login(self.channel_user)
        self.assertTrue(self.raise_tickets_rpc(self.order_b))
        self.assertEqual(len(self.order_b.ticket_ids), 1)

    # second probe: the distributor's PO in the end customer's ticket -----

    def test_resale_ticket_keeps_the_distributors_po_from_the_end_customer(self):
        order = self._create_order(
            self.distributor_b,
            self.customer_b,
            financial_role="distributor",
            client_order_ref="DIST-PO-TICKET",
        )
        order.action_confirm()
        ticket = order.ticket_ids.filtered("is_commissioning")
        self.assertTrue(ticket)
        self.assertEqual(ticket.partner_id, self.customer_b)
        self.assertNotIn("DIST-PO-TICKET", str(ticket.description))
        # on agency the reference is the end customer's own
        agency = self._create_order(
            self.distributor_b, self.customer_b, client_order_ref="CUST-REF"
        )
        agency.action_confirm()
        self.assertIn(
            "CUST-REF", str(agency.ticket_ids.filtered("is_commissioning").description)
        )

    # third probe (F2): a managed company moved under another distributor ----

    @mute_logger("odoo.http", "odoo.models", "odoo.addons.base.models.ir_rule")
    def test_moved_company_shows_nothing_to_another_distributor(self):
        """A Contact Creation user put distributor A's end customer company
        under distributor B (or B's end customer), keeping it a company:
        B's portal users then read it and its commissioning tickets."""
        contacts = new_test_user(
            self.env,
            "sec_contacts_tix",
            groups="base.group_user,base.group_partner_manager",
        )
        harbor = self.env["res.partner"].create(
            {
                "name": "Harbor Hotels",
                "is_company": True,
                "distributor_id": self.distributor_a.id,
            }
        )
        order = self._create_order(self.distributor_a, harbor)
        order.action_confirm()
        ticket = order.ticket_ids
        self.assertTrue(ticket)
        as_contacts = self.env["res.partner"].with_user(contacts)
        moves = {
            "link under distributor B": (
                self.portal_dist_b,
                lambda: as_contacts.browse(self.distributor_b.id).write(
                    {"child_ids": [Command.link(harbor.id)]}
                ),
            ),
            "parent: B's end customer": (
                self.portal_cust_b,
                lambda: as_contacts.browse(harbor.id).write(
                    {"parent_id": self.customer_b.id}
                ),
            ),
        }
        for name, (reader, move) in moves.items():
            with self.subTest(move=name), closing(self.env.cr.savepoint()):
                try:
                    with self.env.cr.savepoint():
                        move()
                        self.env.flush_all()
                    refused = False
                except (AccessError, UserError):
                    refused = True
                self.env.invalidate_all()
                self.login(reader)
                read = self.call_kw("res.partner", "read", [harbor.ids, ["name"]])
                self.assertIn("error", read)
                tickets = self.call_kw(
                    "helpdesk.ticket", "search_read", [[], ["name", "partner_id"]]
                )
                self.assertNotIn(ticket.id, [t["id"] for t in tickets["result"]])
                self.assertNotIn("Harbor Hotels", str(tickets))
                self.assertTrue(refused)
                self.assertFalse(harbor.parent_id)


@tagged("post_install", "-at_install")
class TestTicketProbe7(ChannelHelpdeskPortalCase):
    """Probe 7 (issue 24), P7-1: a link creates no ticket in the name of
    whoever follows it."""

    @mute_logger("odoo.http")
    def test_ticket_submission_needs_a_post(self):
        Ticket = self.env["helpdesk.ticket"]
        self.login(self.portal_cust_a)
        response = self.url_open(
            "/submitted/ticket?subject=Probe7GET&description=by+GET",
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 405)
        self.assertFalse(Ticket.search([("name", "=", "Probe7GET")]))
        # Without the token: refused as before.
        response = self.post_form(
            "/submitted/ticket",
            {"subject": "Probe7NoToken", "description": "x"},
            csrf=False,
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Ticket.search([("name", "=", "Probe7NoToken")]))
        # The form's POST, with its token: the ticket, as helpdesk_mgmt makes it.
        response = self.post_form(
            "/submitted/ticket",
            {"subject": "Probe7POST", "description": "by POST"},
            allow_redirects=False,
        )
        ticket = Ticket.search([("name", "=", "Probe7POST")])
        self.assertEqual(len(ticket), 1)
        self.assertIn(response.status_code, (302, 303))
        self.assertEqual(ticket.partner_id, self.portal_cust_a.partner_id)
        self.assertIn(self.portal_cust_a.partner_id, ticket.message_partner_ids)


@tagged("post_install", "-at_install")
class TestTicketProbe8(ChannelHelpdeskPortalCase):
    """Probe 8 (issue 24), P8-6: a reply by e-mail to a commissioning
    ticket (helpdesk subscribes its author, To and Cc) makes nobody outside
    the ticket's audience a follower, who would then read it."""

    def reply_by_mail(self, ticket, sender, cc):
        # A message of the ticket sent by e-mail (its Message-Id is the
        # ticket's own; Odoo's batch log shares one among its notes, which
        # are never sent).
        thread_message = ticket.message_post(
            body="Setting up next week.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        raw = (
            f"From: {sender.email}\r\n"
            "To: helpdesk@example.com\r\n"
            f"Cc: {', '.join(partner.email for partner in cc)}\r\n"
            f"Subject: Re: {ticket.name}\r\n"
            f"In-Reply-To: {thread_message.message_id}\r\n"
            f"References: {thread_message.message_id}\r\n"
            "Message-ID: <probe8-p86-reply@example.com>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "\r\n"
            "Following this one too.\r\n"
        )
        thread_id = self.env["mail.thread"].sudo().message_process(False, raw)
        self.assertEqual(thread_id, ticket.id)

    def test_outsiders_never_follow_a_commissioning_ticket(self):
        ticket = self.ticket_a
        self.assertTrue(ticket.is_commissioning)
        outsiders = self.portal_dist_b.partner_id | self.portal_cust_b.partner_id
        insiders = self.portal_dist_a.partner_id | self.portal_cust_a.partner_id
        # Addresses of their own (the test users share one), as the gateway
        # finds the partners of To and Cc by address.
        for user in (
            self.portal_dist_a,
            self.portal_dist_b,
            self.portal_cust_a,
            self.portal_cust_b,
        ):
            user.partner_id.email = f"{user.login}@example.com"
        # Another distributor's user replies, copying another end customer
        # and the ticket's own distributor and end customer.
        self.reply_by_mail(ticket, self.portal_dist_b.partner_id, outsiders | insiders)
        self.assertIn("Following this one too.", ticket.message_ids[0].body)
        self.assertFalse(ticket.message_partner_ids & outsiders)
        self.assertEqual(ticket.message_partner_ids & insiders, insiders)
        # Add Followers (a vendor user) keeps them out too.
        ticket.message_subscribe(partner_ids=outsiders.ids)
        self.assertFalse(ticket.message_partner_ids & outsiders)
        for user in (self.portal_dist_b, self.portal_cust_b):
            with self.subTest(user=user.login):
                Ticket = self.env["helpdesk.ticket"].with_user(user)
                self.assertFalse(Ticket.search([("id", "=", ticket.id)]))
                with self.assertRaises(AccessError):
                    ticket.with_user(user).read(["name", "description"])
        # A ticket that is no commissioning ticket keeps helpdesk's rules.
        own = self.env["helpdesk.ticket"].create(
            {
                "name": "Question",
                "description": "<p>Question</p>",
                "partner_id": self.portal_cust_a.partner_id.id,
            }
        )
        own.message_subscribe(partner_ids=self.portal_dist_b.partner_id.ids)
        self.assertIn(self.portal_dist_b.partner_id, own.message_partner_ids)


# The commissioning fields of a ticket, by each helpdesk role: ``Y`` the
# write (create, copy) is done. The confirmation raises them as superuser;
# which order a ticket commissions and which distributor's portal sees it
# are the order's (ninth probe, P9-4: a helpdesk user set another
# distributor, whose portal then read the ticket; turned a ticket out of
# commissioning, off the rules of its audience). Its contact stays one of
# its audience, its orders the confirmation's (tenth probe, P10-6: a
# contact of another distributor handed it to that distributor's portal),
# on a copy too, and a ticket linked to a channel order is for the order's
# end customer's or distributor's people (eleventh probe, P11-8: a copy for
# another distributor's contact showed it the order and the end customer).
# how     field                          value        user  own
COMMISSIONING_FIELD_WRITES = """
write   commissioning_distributor_id   distributor_b  -     -
write   is_commissioning               false          -     -
write   commissioning_line_ids         clear          -     -
create  commissioning_distributor_id   distributor_b  -     -
create  is_commissioning               true           -     -
copy    commissioning_distributor_id   distributor_b  -     -
copy    is_commissioning               true           -     -
write   name                           text           Y     Y
write   partner_id                     customer_b     -     -
write   partner_id                     contact_a      Y     Y
write   sale_order_ids                 clear          -     -
write   company_id                     company_2      -     -
create  name                           text           Y     Y
copy    partner_id                     customer_b     -     -
copy    partner_id                     contact_a      Y     Y
copy    name                           text           Y     Y
create  sale_order_ids                 order_a        Y     Y
create  sale_order_ids                 order_a_for_b  -     -
"""


@tagged("post_install", "-at_install")
class TestTicketProbe9(ChannelHelpdeskPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.helpdesk_users = {
            "user": new_test_user(
                cls.env,
                "probe9_helpdesk",
                groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
            ),
            "own": new_test_user(
                cls.env,
                "probe9_helpdesk_own",
                groups="base.group_user,helpdesk_mgmt.group_helpdesk_user_own",
            ),
        }
        cls.ticket_a.user_id = cls.helpdesk_users["own"]
        # sixteenth probe, P16-B8: a helpdesk user moved a commissioning
        # ticket (its end customer's address, the order) to another company
        cls.company_2 = cls.env["res.company"].create({"name": "P16 Helpdesk Co 2"})
        cls.contact_a = cls.env["res.partner"].create(
            {
                "name": "Site lead",
                "parent_id": cls.ticket_a.partner_id.commercial_partner_id.id,
            }
        )

    def _vals(self, field, word):
        if word == "order_a":
            return {field: [Command.set(self.order_a.ids)]}
        if word == "order_a_for_b":
            return {
                field: [Command.set(self.order_a.ids)],
                "partner_id": self.customer_b.id,
            }
        return {field: self._value(field, word)}

    def _value(self, field, word):
        if word == "clear":
            return [Command.clear()]
        if word == "text":
            return "Changed by probe 9"
        if word in ("true", "false"):
            return word == "true"
        return getattr(self, word).id

    def test_commissioning_fields_are_the_confirmations(self):
        ticket = self.ticket_a
        self.assertTrue(ticket.is_commissioning)
        self.assertEqual(ticket.commissioning_distributor_id, self.distributor_a)
        for row in COMMISSIONING_FIELD_WRITES.strip().splitlines():
            how, field, word, *marks = row.split()
            for role, mark in zip(("user", "own"), marks, strict=True):
                mine = ticket.with_user(self.helpdesk_users[role])
                vals = self._vals(field, word)
                if how == "write":
                    attempt = lambda m=mine, v=vals: m.write(v)  # noqa: E731
                elif how == "copy":
                    attempt = lambda m=mine, v=vals: m.copy(v)  # noqa: E731
                else:
                    attempt = lambda m=mine, v=vals: m.create(  # noqa: E731
                        {
                            "name": "probe 9",
                            "description": "Planted",
                            "partner_id": self.customer_a.id,
                            **v,
                        }
                    )
                with self.subTest(how=how, field=field, role=role):
                    self.assertEqual(self._done_and_undone(attempt), mark == "Y")
        # nothing moved: B's portal still reads none of A's tickets
        tickets = self.env["helpdesk.ticket"].with_user(self.portal_dist_b)
        self.assertNotIn(ticket, tickets.search([]))
        self.assertEqual(ticket.commissioning_distributor_id, self.distributor_a)


@tagged("post_install", "-at_install")
class TestTicketProbe14(ChannelHelpdeskPortalCase):
    """Fourteenth outside probe, P14-2: the distributor's portal user
    posted on its commissioning ticket over ``call_kw`` with
    ``partner_ids`` of other distributors' people, who were mailed the
    ticket (its end customer, order) from the vendor's server; the
    portal's own route keeps them to the followers."""

    def test_portal_message_post_mails_only_followers(self):
        ticket = self.ticket_a
        follower = self.portal_cust_a.partner_id
        ticket.message_subscribe(partner_ids=follower.ids)
        outsiders = self.portal_dist_b.partner_id | self.portal_cust_b.partner_id
        self.login(self.portal_dist_a)
        result = self.call_kw(
            "helpdesk.ticket",
            "message_post",
            [ticket.ids],
            {
                "body": "P14-2 to outsiders",
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_comment",
                "partner_ids": (outsiders | follower).ids,
            },
        )
        message = self.env["mail.message"].browse(result.get("result"))
        if message.exists():
            self.assertEqual(message.partner_ids, follower)
        self.assertFalse(
            self.env["mail.notification"].search(
                [
                    ("res_partner_id", "in", outsiders.ids),
                    ("mail_message_id.model", "=", "helpdesk.ticket"),
                    ("mail_message_id.res_id", "=", ticket.id),
                ]
            )
        )
        # the vendor's users still write to whom they choose
        message = ticket.message_post(
            body="To B", partner_ids=outsiders.ids, message_type="comment"
        )
        self.assertEqual(message.partner_ids, outsiders)

    def test_portal_message_post_from_its_own_address(self):
        """P14-2 (its second run): the same call with ``email_from`` sent
        the mail From and Reply-To the vendor's staff ("Mitchell Admin",
        "Billing"), a payment-redirection mail signed by the vendor's
        server; a portal user posts as itself, with what the portal's
        route takes."""
        ticket = self.ticket_a
        self.login(self.portal_dist_a)
        result = self.call_kw(
            "helpdesk.ticket",
            "message_post",
            [ticket.ids],
            {
                "body": "P14-2 our bank details changed",
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_comment",
                "email_from": "Billing <billing@vendor.example.com>",
            },
        )
        message = self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("body", "ilike", "bank details changed"),
            ]
        )
        self.assertTrue(message, result)
        self.assertNotIn("vendor.example.com", message.email_from or "")
        self.assertEqual(message.author_id, self.portal_dist_a.partner_id)


@tagged("post_install", "-at_install")
class TestTicketProbe16(ChannelHelpdeskPortalCase):
    """Sixteenth outside probe."""

    def test_refusals_name_nothing_of_tickets_the_caller_cannot_write(self):
        """P16-1: the contact check of a commissioning ticket named its end
        customer and order to a portal user who may not write it."""
        names = [self.ticket_a.name, self.customer_a.name, self.order_a.name]
        self.assert_refusal_names_nothing(
            lambda: self.ticket_a.with_user(self.portal_dist_b).write(
                {"partner_id": self.customer_b.id}
            ),
            names,
        )
