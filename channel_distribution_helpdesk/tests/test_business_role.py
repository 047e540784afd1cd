# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.addons.channel_distribution.tests.common import COMBINATIONS
from odoo.tests import TransactionCase, tagged

from .common import ChannelHelpdeskPortalCase


@tagged("post_install", "-at_install")
class TestBusinessRoleTickets(ChannelHelpdeskPortalCase):
    """The commissioning tickets of the four combinations of financial and
    business counterparty (channel_distribution's TestBusinessRole)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.orders = cls._create_combination_orders()

    def test_ticket_contact_and_followers(self):
        for name, (financial, business) in COMBINATIONS.items():
            with self.subTest(combination=name):
                ticket = self.orders[name].ticket_ids.filtered("is_commissioning")
                self.assertEqual(len(ticket), 1)
                served = self._party(business)
                self.assertEqual(ticket.partner_id, served)
                self.assertEqual(
                    ticket.commissioning_distributor_id, self.distributor_a
                )
                # The ticket is about the end customer's set-up.
                self.assertIn("End Customer A", ticket.name)
                followers = ticket.message_partner_ids
                if "distributor" in (financial, business):
                    self.assertIn(self.distributor_a, followers)
                else:
                    self.assertNotIn(self.distributor_a, followers)
                if business == "distributor":
                    # White label: the end customer is never the vendor's
                    # contact.
                    self.assertFalse(
                        followers & (self.customer_a | self.customer_a.child_ids)
                    )
                    self.assertIn("Service contact (distributor)", ticket.description)
                else:
                    self.assertNotIn("Service contact", ticket.description)

    def test_portal_ticket_visibility(self):
        Ticket = self.env["helpdesk.ticket"]
        tickets = {
            name: order.ticket_ids.filtered("is_commissioning")
            for name, order in self.orders.items()
        }
        all_tickets = Ticket.concat(*tickets.values())
        seen = Ticket.with_user(self.portal_dist_a).search(
            [("id", "in", all_tickets.ids)]
        )
        self.assertEqual(seen, all_tickets)
        seen = Ticket.with_user(self.portal_cust_a).search(
            [("id", "in", all_tickets.ids)]
        )
        self.assertEqual(seen, tickets["resale"] | tickets["agency"])
        # The portal pages say the same.
        self.login(self.portal_cust_a)
        listing = self.url_open("/my/tickets").text
        for name, ticket in tickets.items():
            with self.subTest(combination=name):
                if COMBINATIONS[name][1] == "end_customer":
                    self.assertIn(ticket.number, listing)
                else:
                    self.assertNotIn(ticket.number, listing)
                    page = self.url_open(f"/my/ticket/{ticket.id}")
                    self.assertNotIn(ticket.number, page.text)
        self.login(self.portal_dist_a)
        listing = self.url_open("/my/tickets").text
        for ticket in tickets.values():
            self.assertIn(ticket.number, listing)

    def test_direct_order_ticket(self):
        customer = self._create_direct_customer()
        order = self._create_direct_order(customer, product_uom_qty=2)
        self.assertFalse(order.is_channel_order)
        order.action_confirm()
        ticket = order.ticket_ids.filtered("is_commissioning")
        self.assertEqual(ticket.partner_id, customer)
        self.assertNotIn(self.distributor_a, ticket.message_partner_ids)
        self.assertIn("Direct Customer", ticket.name)


@tagged("post_install", "-at_install")
class TestBusinessRoleTicketsDemo(TransactionCase):
    def test_demo_white_label_ticket(self):
        order = self.env.ref("channel_distribution.order_white_label_pennine")
        cedar = self.env.ref("channel_distribution.distributor_cedar")
        pennine = self.env.ref("channel_distribution.end_customer_pennine")
        self.assertEqual(order.business_partner_id, cedar)
        ticket = order.ticket_ids.filtered("is_commissioning")
        self.assertEqual(ticket.partner_id, cedar)
        self.assertNotIn(pennine, ticket.message_partner_ids)
