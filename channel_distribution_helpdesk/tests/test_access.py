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

import json
from contextlib import closing

from odoo.addons.channel_distribution.tests.common import ROLES
from odoo.addons.channel_distribution.tests.test_access_paths import parse
from odoo.exceptions import AccessError
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
# role: ``Y`` means the ticket was moved to the closing stage.
# action          s c m a  D C p
ACTION_MATRIX = """
ticket_close_get  - - - -  - - -
ticket_close_post - - - -  - - -
"""


@tagged("post_install", "-at_install")
class TestTicketAccess(ChannelHelpdeskPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            "salesman": cls.salesman,
            "channel_user": cls.channel_user,
            "channel_manager": cls.channel_manager,
            "accountant": cls.accountant,
            "portal_distributor": cls.portal_dist_b,
            "portal_customer": cls.portal_cust_b,
            "public": None,
        }
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.values = {"ticket_a": cls.ticket_a, "ticket_b": cls.ticket_b}

    # ORM -------------------------------------------------------------------

    def _allowed(self, name, operation, role):
        # Every operation is undone: each cell starts from the same data.
        user = self.users[role] or self.env.ref("base.public_user")
        env = self.env(user=user, context=dict(self.env.context, active_test=False))
        ticket = self.values[name].with_env(env)
        try:
            with closing(self.env.cr.savepoint()):
                if operation == "read":
                    ticket.read(["name", "description"])
                else:
                    ticket.write({"name": "changed"})
                self.env.flush_all()
        except AccessError:
            return False
        finally:
            self.env.invalidate_all()
        return True

    def test_orm_matrix(self):
        self.assertEqual(len(self.ticket_a), 1)
        self.assertEqual(len(self.ticket_b), 1)
        cells = parse(ORM_MATRIX, 2, ROLES)
        self.assertEqual(len(cells), 4 * len(ROLES))
        for (name, operation, role), expected in cells.items():
            with self.subTest(object=name, operation=operation, role=role):
                self.assertEqual(self._allowed(name, operation, role), expected)

    # JSON-RPC --------------------------------------------------------------

    def call_kw(self, model, method, args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": {}},
        }
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_jsonrpc_matrix(self):
        cells = parse(JSONRPC_MATRIX, 3, ROLES)
        self.assertEqual(len(cells), 3 * len(ROLES))
        for role in ROLES:
            self.login(self.users[role])
            for (model, name, method, cell_role), expected in cells.items():
                if cell_role != role:
                    continue
                ticket = self.values[name]
                self.assertEqual(ticket._name, model)
                with self.subTest(role=role, record=name, method=method):
                    if method == "read":
                        args = [ticket.ids, ["display_name"]]
                    else:
                        args = [ticket.ids, {"name": "changed by jsonrpc"}]
                    result = self.call_kw(model, method, args)
                    if expected:
                        self.assertNotIn("error", result)
                        if method == "read":
                            self.assertEqual(
                                result["result"][0]["display_name"],
                                ticket.sudo().display_name,
                            )
                    else:
                        self.assertIn("error", result)
                        self.assertNotIn("result", result)
                        if method == "read":
                            self.assertNotIn(
                                ticket.sudo().display_name, json.dumps(result)
                            )

    # Portal pages ------------------------------------------------------------

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_portal_matrix(self):
        cells = parse(PORTAL_MATRIX, 2, ROLES)
        self.assertEqual(len(cells), 4 * len(ROLES))
        for role in ROLES:
            self.login(self.users[role])
            for (url, name, cell_role), expected in cells.items():
                if cell_role != role:
                    continue
                with self.subTest(role=role, url=url, marker=name):
                    response = self.url_open(
                        url.format(**self.values), allow_redirects=False
                    )
                    body = response.content.decode("utf-8", "replace")
                    number = self.values[name].number
                    if expected:
                        self.assertEqual(response.status_code, 200)
                        self.assertIn(number, body)
                    else:
                        self.assertNotIn(number, body)

    # Closing from the portal ------------------------------------------------

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
        self.assertEqual(len(cells), 2 * len(ROLES))
        for role in ROLES:
            self.login(self.users[role])
            for (action, cell_role), expected in cells.items():
                if cell_role != role:
                    continue
                with self.subTest(role=role, action=action):
                    self.assertEqual(self.close_ticket(action), expected)
