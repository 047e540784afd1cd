# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from .common import ChannelHelpdeskPortalCase


@tagged("post_install", "-at_install")
class TestEndCustomerTickets(ChannelHelpdeskPortalCase):
    def test_end_customer_portal(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Set up the firewall",
                "description": "<p>Please</p>",
                "partner_id": self.customer_b.id,
            }
        )
        self.login(self.portal_cust_b)
        self.assertIn("Set up the firewall", self.url_open("/my/tickets").text)
        self.assertIn(
            "Set up the firewall", self.url_open(f"/my/ticket/{ticket.id}").text
        )
        # Distributors do not see the end customer's tickets.
        self.login(self.portal_dist_a)
        self.assertNotIn("Set up the firewall", self.url_open("/my/tickets").text)
