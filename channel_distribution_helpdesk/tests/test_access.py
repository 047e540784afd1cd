# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The access policy of commissioning tickets, as the tables of the base
(channel_distribution's test_security.py and test_access_paths.py): the
ORM, JSON-RPC, the portal pages and the close action.

``ticket_a`` and ``ticket_b`` are the commissioning tickets of A's and B's
confirmed orders (tests/common.py): tickets belong to helpdesk, whose groups
(none of these roles) give internal users access; the distributor and the
end customer read their own. The portal distributor is B's user and the
portal customer customer B's: for them, A's ticket is another distributor's.
"""

from odoo.addons.channel_distribution.tests.common import (
    ROLES,
    AccessPathsMixin,
    parse,
)
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ChannelHelpdeskPortalCase

# object / operation           sales chan  mgr  acct portD portC pub
ORM_MATRIX = """
ticket_a           read          -     -    -    -     -     -    -
ticket_a           write         -     -    -    -     -     -    -
ticket_b           read          -     -    -    -     Y     Y    -
ticket_b           write         -     -    -    -     -     -    -
"""

# model / record / method    sales chan  mgr  acct portD portC pub
JSONRPC_MATRIX = """
helpdesk.ticket ticket_a  read    -     -    -    -     -     -    -
helpdesk.ticket ticket_b  read    -     -    -    -     Y     Y    -
helpdesk.ticket ticket_b  write   -     -    -    -     -     -    -
"""

# Portal pages as every role; ``marker`` names the ticket whose number must
# be on the page, or must not.
# url                                                  marker          s c m a  D C p
PORTAL_MATRIX = """
/my/tickets                                            ticket_b        - - - -  Y Y -
/my/tickets                                            ticket_a        - - - -  - - -
/my/ticket/{ticket_b.id}                               ticket_b        - - - -  Y Y -
/my/ticket/{ticket_a.id}                               ticket_a        - - - -  - - -
"""

# Closing B's ticket from the portal (helpdesk's /ticket/close), as every
# role: ``Y`` means the ticket was moved to the closing stage. Submitting a
# new ticket (helpdesk's /submitted/ticket, its form's POST): ``Y`` means a
# ticket was made; never by a GET, which a link or an image in a mail
# makes in the name of whoever is logged in (seventh probe, P7-1).
# action          s c m a  D C p
ACTION_MATRIX = """
ticket_close_get  - - - -  - - -
ticket_close_post - - - -  - - -
ticket_submit_get - - - -  - - -
ticket_submit_post Y Y Y Y Y Y -
"""


@tagged("post_install", "-at_install")
class TestTicketAccess(AccessPathsMixin, ChannelHelpdeskPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.values = {"ticket_a": cls.ticket_a, "ticket_b": cls.ticket_b}

    # ORM -------------------------------------------------------------------

    def _allowed(self, name, operation, role):
        # Every operation is undone: each cell starts from the same data.
        user = self.users[role] or self.env.ref("base.public_user")
        env = self.env(user=user, context=dict(self.env.context, active_test=False))
        ticket = self.values[name].with_env(env)
        if operation == "read":
            return self._access_granted(lambda: ticket.read(["name", "description"]))
        return self._access_granted(lambda: ticket.write({"name": "changed"}))

    def test_orm_matrix(self):
        self.assertEqual(len(self.ticket_a), 1)
        self.assertEqual(len(self.ticket_b), 1)
        cells = parse(ORM_MATRIX, 2, ROLES)
        self.assertEqual(len(cells), 4 * len(ROLES))
        self.check_orm_table(cells)

    # JSON-RPC --------------------------------------------------------------

    def jsonrpc_args(self, ticket, method):
        if method == "read":
            return "read", [ticket.ids, ["display_name"]]
        return method, [ticket.ids, {"name": "changed by jsonrpc"}]

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_jsonrpc_matrix(self):
        cells = parse(JSONRPC_MATRIX, 3, ROLES)
        self.assertEqual(len(cells), 3 * len(ROLES))
        self.check_jsonrpc_table(cells)

    # Portal pages ------------------------------------------------------------

    def marker(self, name):
        return self.values[name].number

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_portal_matrix(self):
        cells = parse(PORTAL_MATRIX, 2, ROLES)
        self.assertEqual(len(cells), 4 * len(ROLES))
        self.check_table(cells, ROLES)

    # Closing from the portal ------------------------------------------------

    def submit_ticket(self, action, role):
        """Submit a new ticket as the logged-in user, by a GET or the
        form's POST: whether a ticket was made."""
        subject = f"T submitted {action} {role}"
        params = {"subject": subject, "description": "via the route"}
        if action == "ticket_submit_get":
            self.url_open(
                "/submitted/ticket?subject={subject}&description=x".format(**params)
            )
        else:
            self.post_form("/submitted/ticket", params)
        return bool(
            self.env["helpdesk.ticket"].sudo().search_count([("name", "=", subject)])
        )

    def close_ticket(self, action):
        """Try ``action`` on ticket_b as the logged-in user; whether it was
        closed."""
        self.ticket_b.stage_id = self.stage_new
        params = {
            "ticket_id": str(self.ticket_b.id),
            "stage_id": str(self.stage_done.id),
        }
        if action == "ticket_close_get":
            self.url_open(
                "/ticket/close?ticket_id={ticket_id}&stage_id={stage_id}".format(
                    **params
                )
            )
        else:
            self.post_form("/ticket/close", params)
        self.ticket_b.invalidate_recordset()
        return self.ticket_b.stage_id == self.stage_done

    @mute_logger("odoo.http")
    def test_action_matrix(self):
        cells = parse(ACTION_MATRIX, 1, ROLES)
        self.assertEqual(len(cells), 4 * len(ROLES))
        self.check_action_table(
            cells,
            lambda action, role: self.submit_ticket(action, role)
            if action.startswith("ticket_submit")
            else self.close_ticket(action),
        )

    # pid/hash ----------------------------------------------------------------

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_pid_hash_posts_as_its_partner_in_the_audience(self):
        """A commissioning ticket's mail gives its contact a pid/hash pair:
        forwarded to a logged-in user of another distributor or its end
        customer, it opened the ticket's chatter and posted as that user;
        another distributor's pair with the ticket's token posted as that
        distributor. The author is the pair's own partner, of the ticket's
        audience (its contact's company, the order's distributor)."""
        self.assertTrue(self.ticket_b.is_commissioning)
        self.check_pid_author(
            self.ticket_b,
            self.portal_dist_b.partner_id,
            self.portal_dist_a.partner_id,
            self.portal_dist_a | self.portal_cust_a,
            token=self.ticket_b.sudo()._portal_ensure_token(),
        )
        # an outsider's pair alone opens nothing either
        self.assertEqual(
            self.chatter_by_pid(
                self.ticket_b, self.portal_dist_a.partner_id, "OUT-TICKET-PID"
            ),
            (False, False),
        )
