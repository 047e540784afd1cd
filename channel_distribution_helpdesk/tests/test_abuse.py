# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Abuse cases and failures of commissioning: guessed and malformed ticket
ids on the portal, tickets of another company's order, and what happens
when ticket creation fails."""

from odoo.addons.channel_distribution.tests.common import ChannelCase
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ChannelHelpdeskPortalCase


@tagged("post_install", "-at_install")
class TestTicketPortalAbuse(ChannelHelpdeskPortalCase):
    @mute_logger("odoo.http")
    def test_malformed_ticket_ids(self):
        self.login(self.portal_dist_b)
        for url in ("/my/ticket/abc", "/my/ticket/" + "9" * 20):
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertIn(response.status_code, (303, 404), url)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_guessed_ticket_ids_reveal_nothing(self):
        self.login(self.portal_dist_b)
        tickets = self.env["helpdesk.ticket"].search(
            [("commissioning_distributor_id", "!=", self.distributor_b.id)]
        )
        self.assertIn(self.ticket_a, tickets)
        for ticket in tickets:
            response = self.url_open(f"/my/ticket/{ticket.id}", allow_redirects=False)
            self.assertNotIn(ticket.number, response.text)
            self.assertNotIn(ticket.name, response.text)


@tagged("post_install", "-at_install")
class TestMultiCompanyTicket(ChannelCase):
    """An order of a distributor of a second company, confirmed from the
    first company: its ticket is the second company's, on its team."""

    def test_ticket_stays_in_order_company(self):
        company_2, env2, distributor, customer = self._second_company_channel()
        team_2 = self.env["helpdesk.ticket.team"].create(
            {"name": "Co 2 Ops", "company_id": company_2.id}
        )
        company_2.commissioning_team_id = team_2
        self.product_service.commissioning_required = True
        order = env2["sale.order"].create(
            self._order_vals(distributor, customer, company_id=company_2.id)
        )
        self.assertEqual(order.company_id, company_2)
        # Confirmed by a user working in both companies, the first one current.
        both = self.env(
            context=dict(
                self.env.context,
                allowed_company_ids=(self.company | company_2).ids,
            )
        )
        order.with_env(both).action_confirm()
        self.assertEqual(order.state, "sale")
        ticket = order.ticket_ids
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.company_id, company_2)
        self.assertEqual(ticket.team_id, team_2)


@tagged("post_install", "-at_install")
class TestTicketFailures(ChannelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Team = cls.env["helpdesk.ticket.team"]
        leader = cls.env.ref("base.user_admin").id
        cls.team_ok = Team.create({"name": "T Fine", "user_id": leader})
        cls.team_broken = Team.create({"name": "T Broken", "user_id": leader})
        cls.company.write(
            {"commissioning_team_id": False, "commissioning_user_id": False}
        )
        cls.product_service.write(
            {"commissioning_required": True, "commissioning_team_id": cls.team_ok.id}
        )
        cls.product_setup.write(
            {
                "commissioning_required": True,
                "commissioning_team_id": cls.team_broken.id,
            }
        )

    def exception_activities(self, order):
        kind = self.env.ref(
            "channel_distribution_helpdesk.mail_activity_commissioning_exception"
        )
        return order.activity_ids.filtered(lambda a: a.activity_type_id == kind)

    @mute_logger(
        "odoo.sql_db", "odoo.addons.channel_distribution_helpdesk.models.sale_order"
    )
    def test_one_failing_order_keeps_the_batch(self):
        # A real database failure for the broken team's tickets: a check
        # constraint, dropped with the test's transaction.
        self.env.cr.execute(
            "ALTER TABLE helpdesk_ticket ADD CONSTRAINT test_sec_broken_team "
            "CHECK (team_id IS NULL OR team_id <> %s)",
            [self.team_broken.id],
        )
        first = self._create_order(self.distributor_a, self.customer_a)
        failing = self._create_order(
            self.distributor_a,
            self.customer_a,
            [(self.product_service, 1), (self.product_setup, 1)],
        )
        last = self._create_order(self.distributor_b, self.customer_b)
        (first | failing | last).action_confirm()
        self.assertEqual((first | failing | last).mapped("state"), ["sale"] * 3)
        self.assertEqual(first.ticket_ids.team_id, self.team_ok)
        self.assertEqual(last.ticket_ids.team_id, self.team_ok)
        # The failing order's tickets are undone together (no half set) and
        # the failure is on the order, for its salesperson.
        self.assertFalse(failing.ticket_ids)
        activity = self.exception_activities(failing)
        self.assertEqual(len(activity), 1)
        self.assertIn("failed", activity.note)
        self.assertIn("test_sec_broken_team", activity.note)
        self.assertFalse(self.exception_activities(first | last))
        # Once the setup is fixed, the button raises the missing tickets.
        self.env.cr.execute(
            "ALTER TABLE helpdesk_ticket DROP CONSTRAINT test_sec_broken_team"
        )
        failing.action_commissioning_raise_tickets()
        self.assertEqual(failing.ticket_ids.team_id, self.team_ok | self.team_broken)

    def test_team_of_another_company_is_refused(self):
        company_2 = self.env["res.company"].create({"name": "Channel Co 2 Tickets"})
        self.team_broken.company_id = company_2
        order = self._create_order(
            self.distributor_a, self.customer_a, [(self.product_setup, 1)]
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.sudo().ticket_ids)
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("company_id", "=", company_2.id)])
        )
        self.assertIn("another company", self.exception_activities(order).note)
