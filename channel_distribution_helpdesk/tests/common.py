# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.addons.channel_distribution.tests.common import ChannelPortalCase


class CommissioningMixin:
    """For a ChannelCase: commissioning set up."""

    @classmethod
    def _setup_commissioning(cls, team_name):
        """The service product requires commissioning; the company's
        default team is ``team`` (a new team named ``team_name``), without a
        default assignee."""
        cls.team = cls.env["helpdesk.ticket.team"].create({"name": team_name})
        cls.company.write(
            {"commissioning_team_id": cls.team.id, "commissioning_user_id": False}
        )
        cls.product_service.commissioning_required = True

    @classmethod
    def _setup_commissioning_led(cls, team_name, leader_name, login, email=False):
        """As ``_setup_commissioning``, the team led by ``cls.leader`` (a
        helpdesk user), the service set up in 2 days."""
        cls.leader = (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": leader_name,
                    "login": login,
                    "email": email,
                    "groups_id": [
                        Command.set(
                            [cls.env.ref("helpdesk_mgmt.group_helpdesk_user").id]
                        )
                    ],
                }
            )
        )
        cls._setup_commissioning(team_name)
        cls.team.user_id = cls.leader
        cls.product_service.commissioning_lead_days = 2


class ChannelHelpdeskPortalCase(CommissioningMixin, ChannelPortalCase):
    """ChannelPortalCase with commissioning: the service product requires
    it, the company's default team is ``team``, and the three confirmed
    orders have their tickets, ``ticket_a`` (order_a's) and ``ticket_b``
    (order_b's)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_commissioning("T Sec Ops")
        # The orders were confirmed by ChannelPortalCase: raise their tickets
        # as their confirmation does.
        (cls.order_a | cls.order_b | cls.order_b_resale)._commissioning_raise_tickets()
        cls.ticket_a = cls.order_a.ticket_ids
        cls.ticket_b = cls.order_b.ticket_ids
