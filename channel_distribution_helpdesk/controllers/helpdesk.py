# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Closing a helpdesk ticket from its portal page.

helpdesk_mgmt's ``/ticket/close`` moves any ticket by id, as superuser, on a
GET: a link is enough. Commissioning trusts ticket stages (a closed ticket
means the set-up is done), so the route is replaced here: a POST with the
CSRF token, by a user who reads the ticket, to a closing stage offered on
the portal for the ticket's team, and only where
``_channel_portal_closing_stages`` lets that user close it (who may write
it, or its own contact unless it is a commissioning ticket). The fix
belongs upstream as well.

Its ``/submitted/ticket`` takes any method, and Odoo checks the CSRF token
of POSTs only: a link (an image in a mail) made a ticket in the name of
whoever was logged in. The route answers POST only here (its form posts).
"""

from odoo import http
from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.exceptions import AccessError, MissingError
from odoo.http import request


def _to_int(value):
    """A record id from a form value, or None (ids out of PostgreSQL's
    integer range made the queries fail)."""
    try:
        value = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return value if 0 < value < 2**31 else None


class ChannelHelpdeskTicketController(HelpdeskTicketController):
    @http.route("/ticket/close", type="http", auth="user", methods=["POST"])
    def support_ticket_close(self, ticket_id=None, stage_id=None, **kw):
        """Move the ticket to a closing stage as the logged-in user; a ticket
        the user does not read is not found."""
        ticket = request.env["helpdesk.ticket"].browse(_to_int(ticket_id) or [])
        try:
            ticket = ticket.exists()
            if not ticket:
                raise MissingError(request.env._("This ticket does not exist."))
            ticket.check_access("read")
        except (AccessError, MissingError) as error:
            raise request.not_found() from error
        stage = ticket._channel_portal_closing_stages().filtered(
            lambda s: s.id == _to_int(stage_id)
        )
        if stage:
            # The user may close it (write access, or its own ticket): the
            # write itself needs no write access, as in helpdesk_mgmt.
            ticket.sudo().write({"stage_id": stage.id})
        # A 302, as the route it replaces answers.
        return request.redirect(f"/my/ticket/{ticket.id}", code=302)

    @http.route(
        "/submitted/ticket",
        type="http",
        auth="user",
        website=True,
        csrf=True,
        methods=["POST"],
    )
    def submit_ticket(self, **kw):
        """helpdesk_mgmt's ticket submission, on a POST only: Odoo checks the
        CSRF token of unsafe methods only, so a GET link with the form's
        fields created a ticket in the name of whoever followed it."""
        return super().submit_ticket(**kw)


class ChannelCustomerPortalHelpdesk(CustomerPortalHelpdesk):
    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        # The close buttons, for those who may use them (the ticket comes
        # as superuser).
        values["closed_stages"] = ticket.with_env(
            request.env
        )._channel_portal_closing_stages()
        return values
