# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The distributor's portal pages and actions as tables, for every role.

The tables of the base's tests/test_access_paths.py (its docstring
explains the marks), checked by the helpers of its tests/common.py; here
the rows of this addon's pages and actions, and of the distributor's note
it adds to the order.
"""

import uuid

from odoo.addons.channel_distribution.tests.common import (
    ROLES,
    AccessPathsMixin,
    ChannelPortalCase,
    parse,
)
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

# The /my/channel/ pages are a distributor's own: anyone else goes back to
# /my. The distributor's note is the vendor's and the distributor's.
# url                                                  marker          s c m a  D C p
PORTAL_MATRIX = """
/my/orders/{order_b.id}                                note_b          - Y Y Y  Y - -
/my/orders/{quote_b.id}                                note_quote_b    - Y Y Y  Y - -
/my/channel/customers                                  customer_b      - - - -  Y - -
/my/channel/customers                                  customer_a      - - - -  - - -
/my/channel/customers/{customer_b.id}                  customer_b      - - - -  Y - -
/my/channel/customers/{customer_a.id}                  customer_a      - - - -  - - -
/my/channel/orders/new                                 customer_b      - - - -  Y - -
/my/channel/orders/new                                 customer_a      - - - -  - - -
/my/channel/orders/{order_a.id}/edit                   order_a         - - - -  - - -
"""

# The distributor's actions on the portal (POST forms and JSON routes), as
# every role: ``Y`` means the action is done (the customer or order is
# created or changed, the lines are priced), ``-`` that nothing is written
# and nothing priced. The portal takes the distributor from the user, so only
# a distributor's portal user acts there: an internal user, whatever its
# rights, enters channel orders in the backend; an end customer's user has
# no distributor; a visitor must log in. The distributor edits its end
# customers without users only: ``customer_edit_user`` is a user's partner,
# ``customer_edit_company`` customer B, whose contact is the portal
# customer's partner (Odoo copies a company's address to its contacts).
# action          s c m a  D C p
ACTION_MATRIX = """
customer_new      - - - -  Y - -
customer_quick    - - - -  Y - -
customer_edit     - - - -  Y - -
customer_edit_user - - - - -  - -
customer_edit_company - - - - - - -
order_new         - - - -  Y - -
order_edit        - - - -  Y - -
order_price       - - - -  Y - -
"""

# The distributor's note over RPC: the vendor's users' only.
# model          record  field               path         s c m a  D C p
FIELD_MATRIX = """
sale.order      order_b  channel_portal_note read         - Y Y Y  - - -
sale.order      order_b  channel_portal_note search_read  - Y Y Y  - - -
"""


@tagged("post_install", "-at_install")
class TestPortalAccessPaths(AccessPathsMixin, ChannelPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A quotation B's user entered on the portal, still editable there,
        # with a note (the distributor's note is for the vendor only).
        cls.quote_b = cls._create_order(
            cls.distributor_b,
            cls.customer_b,
            channel_source="portal",
            channel_portal_note="B note on its draft",
        )
        cls.order_b.channel_portal_note = "B note on its order"
        # An end customer of B without users, its own and its contacts'.
        cls.customer_free = cls.env["res.partner"].create(
            {
                "name": "Free Customer",
                "is_company": True,
                "distributor_id": cls.distributor_b.id,
            }
        )
        # An end customer of B that is itself a portal user's partner.
        cls.customer_user = cls.env["res.partner"].create(
            {
                "name": "User Customer",
                "email": "user.customer@example.com",
                "distributor_id": cls.distributor_b.id,
            }
        )
        new_test_user(
            cls.env,
            "sec_user_customer",
            groups="base.group_portal",
            partner_id=cls.customer_user.id,
            email="user.customer@example.com",
        )
        cls.values = {
            "order_a": cls.order_a,
            "order_b": cls.order_b,
            "quote_b": cls.quote_b,
            "note_b": "B note on its order",
            "note_quote_b": "B note on its draft",
            "customer_a": cls.customer_a,
            "customer_b": cls.customer_b,
        }

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_portal_matrix(self):
        cells = parse(PORTAL_MATRIX, 2, ROLES)
        self.assertEqual(len(cells), 9 * len(ROLES))
        self.check_table(cells, ROLES)

    def order_form(self, ref):
        return {
            "end_customer_id": str(self.customer_b.id),
            "client_order_ref": ref,
            "token": uuid.uuid4().hex,
            "product_id": str(self.product_service.id),
            "quantity": "3",
        }

    def do_action(self, action, role):
        """Try ``action`` as the logged-in ``role``; whether it was done."""
        Partner = self.env["res.partner"]
        SaleOrder = self.env["sale.order"]
        tag = f"by {role}"
        if action == "customer_new":
            self.post_form(
                "/my/channel/customers/new", {"name": f"New {tag}", "is_company": "1"}
            )
            return bool(Partner.search([("name", "=", f"New {tag}")]))
        if action == "customer_quick":
            result = self.jsonrpc_result(
                "/my/channel/customers/quick_create", {"name": f"Quick {tag}"}
            )
            created = Partner.search([("name", "=", f"Quick {tag}")])
            self.assertEqual(bool(created), bool(result and result.get("id")))
            return bool(created)
        if action in ("customer_edit", "customer_edit_company"):
            # customer_b's contact is the portal customer's partner, which
            # Odoo updates with its company's address.
            customer = (
                self.customer_free if action == "customer_edit" else self.customer_b
            )
            self.post_form(
                f"/my/channel/customers/{customer.id}",
                {"name": customer.name, "is_company": "1", "city": tag},
            )
            customer.invalidate_recordset()
            return customer.city == tag
        if action == "customer_edit_user":
            # An end customer of B that has a (portal) user: its e-mail is
            # the user's, the way to its password.
            self.post_form(
                f"/my/channel/customers/{self.customer_user.id}",
                {"name": self.customer_user.name, "email": f"{role}@evil.example"},
            )
            self.customer_user.invalidate_recordset()
            return self.customer_user.email != "user.customer@example.com"
        if action == "order_new":
            self.post_form("/my/channel/orders/new", self.order_form(f"New {tag}"))
            return bool(SaleOrder.search([("client_order_ref", "=", f"New {tag}")]))
        if action == "order_edit":
            self.post_form(
                f"/my/channel/orders/{self.quote_b.id}/edit",
                self.order_form(f"Edit {tag}"),
            )
            self.quote_b.invalidate_recordset()
            return self.quote_b.client_order_ref == f"Edit {tag}"
        if action == "order_price":
            result = self.jsonrpc_result(
                "/my/channel/orders/price",
                {
                    "end_customer_id": self.customer_b.id,
                    "lines": [{"product_id": self.product_service.id, "quantity": 1}],
                },
            )
            return bool(result) and "error" not in result
        raise AssertionError(action)

    @mute_logger("odoo.http")
    def test_action_matrix(self):
        cells = parse(ACTION_MATRIX, 1, ROLES)
        self.assertEqual(len(cells), 8 * len(ROLES))
        partners = self.env["res.partner"].search_count([])
        orders = self.env["sale.order"].search_count([])
        self.check_action_table(cells, self.do_action)
        # What the distributor's user did is all that was written.
        self.assertEqual(self.env["res.partner"].search_count([]), partners + 2)
        self.assertEqual(self.env["sale.order"].search_count([]), orders + 1)
        created = self.env["res.partner"].search([("name", "like", "% by %")])
        self.assertEqual(created.distributor_id, self.distributor_b)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_field_matrix(self):
        cells = parse(FIELD_MATRIX, 4, ROLES)
        self.assertEqual(len(cells), 2 * len(ROLES))
        self.check_field_table(cells)
