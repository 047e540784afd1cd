# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The access policy through every path but the ORM, as tables.

The ORM table is ``ORM_MATRIX`` in test_security.py. Here: JSON-RPC
(``/web/dataset/call_kw``), the portal routes, the report routes, access
tokens and attachments. ``Y`` means the record's data is served to that
role; ``-`` that it is not (an error payload, a redirect, a 403/404, or a
page without the record's data).

Objects (tests/common.py, ChannelPortalCase): ``order_a`` is distributor A's
resale order to customer A; ``order_b`` distributor B's agency order
(customer B is invoiced); ``order_b_resale`` B's resale order to customer
B; ``order_s`` (made here) another resale order of B to customer B, whose
salesperson is the salesman;
``inv_a`` / ``inv_b`` the posted consolidated invoices of A's and
B's resale orders (an end customer never sees a resale invoice). The portal
distributor is B's user and the portal customer customer B's: for them, A's
records are another distributor's.
"""

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import (
    ROLES,
    SIGNATURE,
    AccessPathsMixin,
    ChannelPortalCase,
    notify_kwargs,
    parse,
)

# ``notify``: ``message_notify`` (fifteenth probe, P15-1) to a stranger From
# another address, with no record (``no_record``) or on an order: Odoo's for
# internal users (on an order they read), refused to portal users (their
# mail went to any partner, From anyone).
# model / record / method    sales chan  mgr  acct portD portC pub
JSONRPC_MATRIX = """
sale.order     order_a    read    -     Y    Y    Y     -     -    -
sale.order     order_b    read    -     Y    Y    Y     Y     Y    -
sale.order     order_b_resale read -    Y    Y    Y     Y     -    -
sale.order.line lines_b_resale read -   Y    Y    Y     Y     -    -
sale.order     order_b    write   -     Y    Y    Y     -     -    -
sale.order     order_b    unlink  -     -    -    -     -     -    -
sale.order     order_b    cancel  -     -    -    -     -     -    -
sale.order     order_b    draft   -     -    -    -     -     -    -
res.partner    customer_a read    Y     Y    Y    Y     -     -    -
res.partner    customer_b read    Y     Y    Y    Y     -     Y    -
res.partner    customer_b write   Y     Y    Y    -     -     -    -
res.partner    distributor_a read Y     Y    Y    Y     -     -    -
res.partner    distributor_b terms -    -    Y    -     -     -    -
channel.distributor.tier tier_gold read Y Y Y   Y     -     -    -
channel.distributor.tier tier_gold write - - Y  -     -     -    -
product.pricelist book_gold read Y  Y    Y    Y     -     -    -
product.pricelist book_gold write - -    Y    -     -     -    -
account.move   inv_a      read    -     -    -    Y     -     -    -
account.move   inv_b      read    -     -    -    Y     Y     -    -
account.move   inv_b      write   -     -    -    Y     -     -    -
res.partner    no_record  notify  Y     Y    Y    Y     -     -    -
sale.order     order_b    notify  -     Y    Y    Y     -     -    -
"""

# Portal pages as every role; ``marker`` names the record whose name
# must be on the page, or must not. The page of one record
# (/my/orders/<id>, /my/invoices/<id>, ?report_type=pdf) and the /report/
# routes apply the user's own read rights: an internal user gets there what
# it reads in the backend (a channel user every channel order, an
# accountant every order and invoice, a salesman its own order ``order_s``),
# nothing more. Odoo's lists: /my/orders shows the orders the user's company
# follows and may read (the salesman follows ``order_s`` and ``order_a`` but
# reads only the first), /my/invoices every invoice the user may read.
# The quotation report refuses portal users outright (they print their
# orders through /my/orders/<id>?report_type=pdf); the invoice report gives
# the invoiced distributor its own invoice, nobody else's.
# Marks in ROLES order: salesman, channel user, channel manager, accountant,
# then portal distributor, portal customer, public visitor.
# url                                                  marker          s c m a  D C p
PORTAL_MATRIX = """
/my/orders/{order_b.id}                                order_b         - Y Y Y  Y Y -
/my/orders/{order_b_resale.id}                         order_b_resale  - Y Y Y  Y - -
/my/orders/{order_a.id}                                order_a         - Y Y Y  - - -
/my/orders/{order_s.id}                                order_s         Y Y Y Y  Y - -
/my/orders                                             order_b_resale  - - - -  Y - -
/my/orders                                             order_a         - - - -  - - -
/my/orders                                             order_s         Y - - -  Y - -
/report/html/sale.report_saleorder/{order_b.id}        order_b         - Y Y Y  - - -
/report/html/sale.report_saleorder/{order_b_resale.id} order_b_resale  - Y Y Y  - - -
/report/html/sale.report_saleorder/{order_a.id}        order_a         - Y Y Y  - - -
/report/pdf/sale.report_saleorder/{order_b.id}         order_b         - Y Y Y  - - -
/report/pdf/sale.report_saleorder/{order_b_resale.id}  order_b_resale  - Y Y Y  - - -
/report/pdf/sale.report_saleorder/{order_a.id}         order_a         - Y Y Y  - - -
/report/pdf/sale.report_saleorder/{order_s.id}         order_s         Y Y Y Y  - - -
/my/orders/{order_b.id}?report_type=pdf                order_b         - Y Y Y  Y Y -
/my/orders/{order_b_resale.id}?report_type=pdf         order_b_resale  - Y Y Y  Y - -
/my/orders/{order_a.id}?report_type=pdf                order_a         - Y Y Y  - - -
/my/orders/{order_s.id}?report_type=pdf                order_s         Y Y Y Y  Y - -
/my/invoices                                           inv_b           - - - Y  Y - -
/my/invoices                                           inv_a           - - - Y  - - -
/my/invoices/{inv_b.id}                                inv_b           - - - Y  Y - -
/my/invoices/{inv_a.id}                                inv_a           - - - Y  - - -
/my/invoices/{inv_b.id}?report_type=pdf                inv_b           - - - Y  Y - -
/my/invoices/{inv_a.id}?report_type=pdf                inv_a           - - - Y  - - -
/report/pdf/account.report_invoice/{inv_b.id}          inv_b           - - - Y  Y - -
/report/pdf/account.report_invoice/{inv_a.id}          inv_a           - - - Y  - - -
"""

# The channel fields that are the vendor's and the distributor's: the
# commission (on the order and its lines, which reveals the distributor's
# price book). ``Y``: the value comes back. Paths:
# ``read``, ``search_read`` (web_search_read, the field in the domain and
# the specification) and ``read_group`` (a sum of it). The distributor reads
# them on its portal pages, which read them as superuser after their checks;
# over RPC they are the vendor's users' only (the salesman does not read
# B's order at all).
# model          record  field               path         s c m a  D C p
FIELD_MATRIX = """
sale.order      order_b  channel_commission  read         - Y Y Y  - - -
sale.order      order_b  channel_commission  search_read  - Y Y Y  - - -
sale.order      order_b  channel_commission  read_group   - Y Y Y  - - -
sale.order.line lines_b  channel_commission  read         - Y Y Y  - - -
sale.order.line lines_b  channel_commission  search_read  - Y Y Y  - - -
sale.order.line lines_b  channel_commission  read_group   - Y Y Y  - - -
"""

# Signing (/my/orders/<id>/accept), declining (/my/orders/<id>/decline),
# paying (/my/orders/<id>/transaction) and changing the quantity of an
# option (/my/orders/<id>/update_line_dict) a quotation of distributor B to
# customer B on the portal, in every state (paying and changing: draft and
# sent, Odoo refuses the others), as every role; ``Y``: the signature, the
# refusal, the transaction or the quantity is recorded. Only an order the
# vendor sent, by its financial counterparty (the end customer on an agency
# order, the distributor on a resale one) or by a vendor's user that reads
# it; a draft is the vendor's (its users change it, the distributor edits
# its own submission on its form), and the portal's confirm-or-quotation
# setting is not bypassed.
# kind    state   action   s c m a  D C p
SIGN_MATRIX = """
agency    draft   sign     - - - -  - - -
agency    draft   decline  - - - -  - - -
agency    sent    sign     - Y Y Y  - Y -
agency    sent    decline  - Y Y Y  - Y -
agency    sale    sign     - - - -  - - -
agency    sale    decline  - - - -  - - -
agency    cancel  sign     - - - -  - - -
agency    cancel  decline  - - - -  - - -
resale    draft   sign     - - - -  - - -
resale    draft   decline  - - - -  - - -
resale    sent    sign     - Y Y Y  Y - -
resale    sent    decline  - Y Y Y  Y - -
resale    sale    sign     - - - -  - - -
resale    sale    decline  - - - -  - - -
resale    cancel  sign     - - - -  - - -
resale    cancel  decline  - - - -  - - -
agency    draft   pay      - - - -  - - -
agency    draft   edit     - Y Y Y  - - -
agency    sent    pay      - Y Y Y  - Y -
agency    sent    edit     - Y Y Y  - Y -
resale    draft   pay      - - - -  - - -
resale    draft   edit     - Y Y Y  - - -
resale    sent    pay      - Y Y Y  Y - -
resale    sent    edit     - Y Y Y  Y - -
"""

# Access tokens and attachments. ``att_a`` is a file on order_a, ``att_b``
# one on order_b. A token opens its own record for whoever holds it (the end
# customer or distributor it was shared with, or anyone they forward it to),
# never another record. Attachments: Odoo serves them to internal users
# and to holders of the attachment's own token only, so a portal user opens
# no file by its id, not even one of its own orders.
# url                                                            marker   dA dB cA pub
TOKEN_MATRIX = """
/my/orders/{order_a.id}?access_token={tok_ord_a}                   order_a  Y  Y  Y  Y
/my/orders/{order_a.id}?access_token={tok_ord_b}                   order_a  Y  -  -  -
/my/orders/{order_a.id}?access_token=x{tok_ord_a}                  order_a  Y  -  -  -
/my/orders/{order_a.id}?report_type=html&access_token={tok_ord_a}  order_a  Y  Y  Y  Y
/my/orders/{order_a.id}?report_type=html&access_token={tok_ord_b}  order_a  Y  -  -  -
/my/orders/{order_a.id}?report_type=pdf&access_token={tok_ord_a}   order_a  Y  Y  Y  Y
/my/orders/{order_a.id}?report_type=pdf&access_token={tok_ord_b}   order_a  Y  -  -  -
/web/content/{att_a.id}                                            att_a    -  -  -  -
/web/content/{att_a.id}?access_token={tok_att_b}                   att_a    -  -  -  -
/web/content/{att_a.id}?access_token={tok_att_a}                   att_a    Y  Y  Y  Y
/web/content/{att_b.id}                                            att_b    -  -  -  -
/my/invoices/{inv_a.id}?access_token={tok_inv_a}                   inv_a    Y  Y  Y  Y
/my/invoices/{inv_a.id}?access_token={tok_inv_b}                   inv_a    Y  -  -  -
/my/invoices/{inv_a.id}?report_type=pdf&access_token={tok_inv_b}   inv_a    Y  -  -  -
"""
TOKEN_ROLES = ("portal_dist_a", "portal_distributor", "portal_cust_a", "public")


@tagged("post_install", "-at_install")
class TestAccessPaths(AccessPathsMixin, ChannelPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The salesman's own order (B's resale order to customer B); the
        # salesman follows it and order_a, which it may not read.
        cls.order_s = cls._create_order(
            cls.distributor_b,
            cls.customer_b,
            financial_role="distributor",
            user_id=cls.salesman.id,
        )
        cls.order_s.action_confirm()
        (cls.order_s | cls.order_a).message_subscribe(
            partner_ids=cls.salesman.partner_id.ids
        )
        # The end customer of B's resale order follows it, as a recipient of
        # the chatter became a follower before the product kept it out.
        cls.env["mail.followers"]._insert_followers(
            "sale.order", cls.order_b_resale.ids, cls.portal_cust_b.partner_id.ids
        )
        Attachment = cls.env["ir.attachment"]
        cls.att_a = Attachment.create(
            {
                "name": "a-terms.txt",
                "raw": b"secret terms of distributor A",
                "res_model": "sale.order",
                "res_id": cls.order_a.id,
            }
        )
        cls.att_b = Attachment.create(
            {
                "name": "b-terms.txt",
                "raw": b"secret terms of distributor B",
                "res_model": "sale.order",
                "res_id": cls.order_b.id,
            }
        )
        # P15-1: whom the probe mailed with ``message_notify``, a stranger
        # to every role (its address: a mail is queued to it)
        cls.stranger = cls.env["res.partner"].create(
            {"name": "T Stranger", "email": "stranger@elsewhere.example.com"}
        )
        cls.values = {
            "order_a": cls.order_a,
            "order_b": cls.order_b,
            "order_b_resale": cls.order_b_resale,
            "order_s": cls.order_s,
            "lines_b": cls.order_b.order_line,
            "lines_b_resale": cls.order_b_resale.order_line,
            "customer_a": cls.customer_a,
            "customer_b": cls.customer_b,
            "distributor_a": cls.distributor_a,
            "distributor_b": cls.distributor_b,
            "tier_gold": cls.tier_gold,
            "book_gold": cls.book_gold,
            "no_record": cls.env["res.partner"],
            "att_a": cls.att_a,
            "att_b": cls.att_b,
            "tok_ord_a": cls.order_a._portal_ensure_token(),
            "tok_ord_b": cls.order_b._portal_ensure_token(),
            "tok_att_a": cls.att_a.generate_access_token()[0],
            "tok_att_b": cls.att_b.generate_access_token()[0],
        }
        # The invoices of the resale orders (consolidated ones when the
        # invoicing addon is installed), posted.
        address = {"street": "Quay 1", "city": "Ghent"}
        (cls.distributor_a | cls.distributor_b).write(address)
        invoices = (cls.order_a | cls.order_b_resale)._create_invoices()
        invoices.action_post()
        for key, distributor in (("a", cls.distributor_a), ("b", cls.distributor_b)):
            invoice = invoices.filtered(lambda m, d=distributor: m.partner_id == d)
            cls.values[f"inv_{key}"] = invoice
            cls.values[f"tok_inv_{key}"] = invoice._portal_ensure_token()
        cls.invoice_a = cls.values["inv_a"]
        cls.invoice_b = cls.values["inv_b"]

    # JSON-RPC -------------------------------------------------------------

    def jsonrpc_args(self, record, method):
        if method == "read":
            return "read", [record.ids, ["display_name"]]
        if method == "unlink":
            return "unlink", [record.ids]
        if method == "notify":
            return "message_notify", [record.ids], notify_kwargs(self.stranger)
        if method == "terms":
            return "write", [record.ids, {"distributor_tier_id": self.tier_gold.id}]
        if method in ("cancel", "draft"):
            # the state written: it moves through the actions only
            return "write", [record.ids, {"state": method}]
        name = {"sale.order": "client_order_ref", "res.partner": "phone"}.get(
            record._name, "name"
        )
        return "write", [record.ids, {name: "changed by jsonrpc"}]

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_jsonrpc_matrix(self):
        cells = parse(JSONRPC_MATRIX, 3, ROLES)
        self.assertEqual(len(cells), 22 * len(ROLES))
        self.check_jsonrpc_table(cells)
        # Nobody may delete a confirmed order.
        self.assertTrue(self.order_b.exists())

    # Portal, report and token routes ---------------------------------------

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_portal_matrix(self):
        cells = parse(PORTAL_MATRIX, 2, ROLES)
        self.assertEqual(len(cells), 26 * len(ROLES))
        self.check_table(cells, ROLES)

    # Channel fields over RPC --------------------------------------------

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_field_matrix(self):
        cells = parse(FIELD_MATRIX, 4, ROLES)
        self.assertEqual(len(cells), 6 * len(ROLES))
        self.assertTrue(self.order_b.channel_commission)
        self.check_field_table(cells)

    # Sign and decline ------------------------------------------------------

    def sign_order(self, kind, state, action="sign"):
        order = self._create_order(
            self.distributor_b,
            self.customer_b,
            [(self.product_setup, 1)],
            financial_role="end_customer" if kind == "agency" else "distributor",
            user_id=self.channel_manager.id,
            require_signature=True,
            require_payment=action == "pay",
        )
        if action == "edit":
            self.env["sale.order.option"].create(
                {
                    "order_id": order.id,
                    "product_id": self.product_service.id,
                    "name": "Option",
                    "quantity": 1,
                }
            ).add_option_to_order()
        if state == "sent":
            order.action_quotation_sent()
        elif state == "sale":
            order.action_confirm()
        elif state == "cancel":
            order._action_cancel()
        self.assertEqual(order.state, state)
        return order

    def do_sign(self, order, action, role):
        """Try ``action`` on ``order`` as the logged-in ``role``; whether it
        was recorded."""
        if action == "pay":
            self.jsonrpc_result(
                f"/my/orders/{order.id}/transaction",
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.provider.payment_method_ids.id,
                    "token_id": None,
                    "amount": order.amount_total,
                    "flow": "direct",
                    "tokenization_requested": False,
                    "landing_route": f"/my/orders/{order.id}",
                    "access_token": None,
                },
            )
            return bool(order.sudo().transaction_ids)
        if action == "edit":
            line = order.order_line.filtered("sale_order_option_ids")
            self.jsonrpc_result(
                f"/my/orders/{order.id}/update_line_dict",
                {"line_id": line.id, "input_quantity": 2},
            )
            line.invalidate_recordset()
            return line.product_uom_qty == 2
        if action == "sign":
            # Refused: an error answer; only the order tells what happened.
            self.jsonrpc_result(
                f"/my/orders/{order.id}/accept",
                {"name": f"Signed by {role}", "signature": SIGNATURE},
            )
            order.invalidate_recordset()
            return bool(order.signature)
        message = f"Declined by {role}"
        self.post_form(
            f"/my/orders/{order.id}/decline",
            {"decline_message": message},
            allow_redirects=False,
        )
        order.invalidate_recordset()
        return any(message in (m.body or "") for m in order.message_ids)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_sign_matrix(self):
        cells = parse(SIGN_MATRIX, 3, ROLES)
        self.assertEqual(len(cells), 24 * len(ROLES))
        self.provider = self._payment_provider()[0]
        for role in ROLES:
            self.login(self.users[role])
            for (kind, state, action, cell_role), expected in cells.items():
                if cell_role != role:
                    continue
                with self.subTest(role=role, kind=kind, state=state, action=action):
                    order = self.sign_order(kind, state, action)
                    self.assertEqual(self.do_sign(order, action, role), expected)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_token_matrix(self):
        cells = parse(TOKEN_MATRIX, 2, TOKEN_ROLES)
        self.assertEqual(len(cells), 14 * len(TOKEN_ROLES))
        self.check_table(cells, TOKEN_ROLES)
