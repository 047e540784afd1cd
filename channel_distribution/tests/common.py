# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import contextlib
import json
from contextlib import closing

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.http import Request
from odoo.tests import HttpCase, TransactionCase, common, new_test_user
from odoo.tests.common import JsonRpcException
from odoo.tools import SQL, mute_logger

# The roles of the access tables (tests/test_security.py, test_access_paths.py).
# Markup a distributor may type into a name or a reference: pages and
# documents must show it as text (XSS with a value; RAW: what must never
# come back unescaped).
XSS = '<script>alert("{}")</script><b onmouseover=x>'
RAW = '<script>alert("'

ROLES = (
    "salesman",
    "channel_user",
    "channel_manager",
    "accountant",
    "portal_distributor",
    "portal_customer",
    "public",
)

# (financial_role, business_role) -> (invoiced, served) of an order of
# distributor A (Gold book, 20 % off) for customer A (list prices).
COMBINATIONS = {
    "resale": ("distributor", "end_customer"),
    "white_label": ("distributor", "distributor"),
    "agency": ("end_customer", "end_customer"),
    "agency_msp": ("end_customer", "distributor"),
}

# A 1x1 PNG: what the portal's signature pad sends.
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6"
    "kgAAAABJRU5ErkJggg=="
)


# What the fifteenth probe sent with ``message_notify`` (P15-1): a mail to a
# stranger, From the vendor's "Billing", with no record at all or on the
# caller's own order; the two ``record_*`` keys skip Odoo's read of the
# alias domain, the light layout its render of the record.
NOTIFY_BODY = "P15-1 our bank details changed, pay to XX00 EVIL"


def notify_kwargs(*partners):
    """The keyword arguments of the probe's ``message_notify`` to
    ``partners``."""
    return {
        "partner_ids": [partner.id for partner in partners],
        "subject": "Payment details",
        "body": NOTIFY_BODY,
        "email_from": "Billing <billing@vendor.example.com>",
        "email_layout_xmlid": "mail.mail_notification_light",
        "record_alias_domain_id": False,
        "record_company_id": False,
    }


def parse(text, n_keys, roles):
    """``{(key, ..., role): expected}`` from a table of ``n_keys`` key
    columns followed by one Y/- mark per role."""
    cells = {}
    for line in text.strip().splitlines():
        words = line.split()
        keys, marks = words[: len(words) - len(roles)], words[-len(roles) :]
        assert len(keys) == n_keys and set(marks) <= {"Y", "-"}, line
        for role, mark in zip(roles, marks, strict=True):
            cells[(*keys, role)] = mark == "Y"
    return cells


class ChannelCase(TransactionCase):
    """A small channel of its own, independent of the demo data.

    Two tiers (Gold 20% and Silver 10% off list price), two distributors on
    them, an end customer for each, and two service products.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.currency = cls.company.currency_id
        Pricelist = cls.env["product.pricelist"]
        cls.book_gold = cls._create_price_book("Test Gold", 20)
        cls.book_silver = cls._create_price_book("Test Silver", 10)
        cls.book_public = Pricelist.create(
            {"name": "Test Public", "currency_id": cls.currency.id}
        )
        Tier = cls.env["channel.distributor.tier"]
        cls.tier_gold = Tier.create(
            {"name": "T Gold", "pricelist_id": cls.book_gold.id}
        )
        cls.tier_silver = Tier.create(
            {"name": "T Silver", "pricelist_id": cls.book_silver.id}
        )
        Partner = cls.env["res.partner"]
        cls.distributor_a = Partner.create(
            {
                "name": "Distributor A",
                "is_company": True,
                "is_distributor": True,
                "distributor_tier_id": cls.tier_gold.id,
            }
        )
        cls.distributor_b = Partner.create(
            {
                "name": "Distributor B",
                "is_company": True,
                "is_distributor": True,
                "distributor_tier_id": cls.tier_silver.id,
                "channel_financial_role": "end_customer",
            }
        )
        cls.customer_a = Partner.create(
            {
                "name": "End Customer A",
                "is_company": True,
                "distributor_id": cls.distributor_a.id,
                "property_product_pricelist": cls.book_public.id,
            }
        )
        cls.customer_a_delivery = Partner.create(
            {
                "name": "A warehouse",
                "type": "delivery",
                "parent_id": cls.customer_a.id,
                "city": "Ghent",
            }
        )
        cls.customer_b = Partner.create(
            {
                "name": "End Customer B",
                "is_company": True,
                "distributor_id": cls.distributor_b.id,
                "property_product_pricelist": cls.book_public.id,
            }
        )
        Product = cls.env["product.product"]
        cls.product_service = Product.create(
            {
                "name": "Test Service",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.product_setup = Product.create(
            {
                "name": "Test Setup",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 250.0,
                "taxes_id": [Command.clear()],
            }
        )

    @classmethod
    def _create_price_book(cls, name, percent):
        """A pricelist of ``percent`` % off everything."""
        return cls.env["product.pricelist"].create(
            {
                "name": name,
                "currency_id": cls.currency.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "3_global",
                            "compute_price": "percentage",
                            "percent_price": percent,
                        }
                    )
                ],
            }
        )

    @classmethod
    def _order_vals(cls, distributor, customer, lines=None, **extra):
        lines = lines or [(cls.product_service, 2)]
        vals = {
            "distributor_id": distributor.id,
            "end_customer_id": customer.id,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": qty})
                for product, qty in lines
            ],
        }
        vals.update(extra)
        return vals

    @classmethod
    def _create_order(cls, distributor, customer, lines=None, **extra):
        return cls.env["sale.order"].create(
            cls._order_vals(distributor, customer, lines, **extra)
        )

    def _reverse(self, invoice, modify=False):
        """Credit ``invoice`` as finance does (the *Credit Note* button):
        a plain reversal, or with ``modify`` "Reverse and Create Invoice";
        the new moves."""
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "goodwill", "journal_id": invoice.journal_id.id})
        )
        if modify:
            wizard.modify_moves()
        else:
            wizard.refund_moves()
        return wizard.new_move_ids

    def _pay_without_entry(self, invoice, amount):
        """A payment of ``amount`` linked to ``invoice`` with its outstanding
        account cleared, as a Billing user may do: Odoo posts it without a
        journal entry (*In Process*) and calls the invoice paid, whatever
        the amount; nothing is reconciled. The payment."""
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": invoice.commercial_partner_id.id,
                "amount": amount,
                "journal_id": self.env["account.journal"]
                .search(
                    [("type", "=", "bank"), ("company_id", "=", invoice.company_id.id)],
                    limit=1,
                )
                .id,
            }
        )
        payment.write(
            {"outstanding_account_id": False, "invoice_ids": [Command.link(invoice.id)]}
        )
        payment.action_post()
        self.assertFalse(payment.move_id)
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(invoice.amount_residual, invoice.amount_total)
        return payment

    def _receivable_moved(self, invoice, user, date=None):
        """A journal entry that ``user`` posts moving what ``invoice`` owes
        from its receivable account to the same account, same partner (a
        debit and a credit of the residual): nothing is received. Its line
        crediting the receivable, which settles the invoice if reconciled
        with it."""
        receivable = invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )[:1]
        amount = invoice.amount_residual
        line = {
            "account_id": receivable.account_id.id,
            "partner_id": invoice.commercial_partner_id.id,
            "name": "Moved",
        }
        entry = (
            self.env["account.move"]
            .with_user(user)
            .create(
                {
                    "move_type": "entry",
                    "date": date or invoice.invoice_date,
                    "line_ids": [
                        Command.create({**line, "debit": amount}),
                        Command.create({**line, "credit": amount}),
                    ],
                }
            )
        )
        entry.action_post()
        return entry.line_ids.filtered(lambda line: line.credit)

    def _attempted(self, operation, undone=False):
        """Run ``operation()`` as a user would: kept if done (``undone``:
        rolled back either way). The UserError that refused it (its changes
        rolled back), or None."""
        savepoint = self.env.cr.savepoint()
        scope = closing(savepoint) if undone else savepoint
        try:
            with scope, mute_logger("odoo.models"):
                operation()
                self.env.flush_all()
        except UserError as error:
            return error
        finally:
            self.env.invalidate_all()
        return None

    def _create_direct_customer(self):
        """A customer without distributor, on the public price book."""
        return self.env["res.partner"].create(
            {
                "name": "Direct Customer",
                "property_product_pricelist": self.book_public.id,
            }
        )

    def _create_direct_order(self, customer, **line):
        """An order of ``customer`` without distributor (not a channel
        order) for the service product, ``line`` the values of its line."""
        return self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create({"product_id": self.product_service.id, **line})
                ],
            }
        )

    @classmethod
    def _create_combination_orders(cls):
        """``{combination: order}``: for each of COMBINATIONS, a confirmed
        order of distributor A for customer A (two units of the service
        product), its name as customer reference."""
        orders = {}
        for name, (financial, business) in COMBINATIONS.items():
            orders[name] = cls._create_order(
                cls.distributor_a,
                cls.customer_a,
                [(cls.product_service, 2)],
                financial_role=financial,
                business_role=business,
                client_order_ref=name,
            )
        cls.env["sale.order"].concat(*orders.values()).action_confirm()
        return orders

    def _party(self, role):
        """The party of ``role`` on the combination orders."""
        return self.distributor_a if role == "distributor" else self.customer_a

    def _second_company_channel(self):
        """A second company, made current in the returned environment, with
        a price book, a distributor and the distributor's end customer of
        its own: ``(company, env, distributor, customer)``."""
        company_2 = self.env["res.company"].create({"name": "Channel Co 2 Portal"})
        env2 = self.env(
            context=dict(self.env.context, allowed_company_ids=company_2.ids)
        )
        book_2 = env2["product.pricelist"].create(
            {"name": "Co 2 Book", "company_id": company_2.id}
        )
        distributor = env2["res.partner"].create(
            {
                "name": "Co 2 Dist",
                "is_company": True,
                "is_distributor": True,
                "company_id": company_2.id,
                "property_product_pricelist": book_2.id,
            }
        )
        customer = env2["res.partner"].create(
            {
                "name": "Co 2 Customer",
                "is_company": True,
                "distributor_id": distributor.id,
            }
        )
        return company_2, env2, distributor, customer

    # The ORM access tables (test_security.py) -----------------------------

    def _access_granted(self, operation):
        """Whether ``operation()`` passes the access checks (an AccessError
        or an invisible record: it does not). Undone: each cell of a table
        starts from the same data."""
        return self._done_and_undone(operation, refusal=AccessError)

    def assert_refusal_names_nothing(self, attempt, names):
        """``attempt()`` is refused with Odoo's access error, whose message
        holds none of ``names`` (of records the caller may not touch)."""
        with self.assertRaises(AccessError) as caught, mute_logger("odoo.models"):
            attempt()
        for name in names:
            self.assertNotIn(name, str(caught.exception))

    def _done_and_undone(self, operation, refusal=UserError):
        """Whether ``operation()`` is done: a ``refusal`` (by default a
        UserError: an AccessError, a ValidationError too) refuses it. Undone
        either way: each cell of a table starts from the same data."""
        try:
            with closing(self.env.cr.savepoint()), mute_logger("odoo.models"):
                operation()
                self.env.flush_all()
        except refusal:
            return False
        finally:
            self.env.invalidate_all()
        return True

    def check_path_table(self, table, roles, done):
        """Each row of ``table`` (a path, then a mark per role of ``roles``:
        ``Y`` done, ``-`` refused) against ``done(path, role)``."""
        for row in table.strip().splitlines():
            path, *marks = row.split()
            self.assertEqual(len(marks), len(roles), row)
            for role, mark in zip(roles, marks, strict=True):
                with self.subTest(path=path, role=role):
                    self.assertEqual(
                        done(path, role),
                        mark == "Y",
                        f"{role} {path}: expected "
                        f"{'done' if mark == 'Y' else 'refused'}",
                    )

    def check_orm_table(self, cells):
        """Each ``(object, operation, role): expected`` cell against
        ``self._allowed(object, operation, role)``."""
        for (obj, operation, role), expected in cells.items():
            with self.subTest(object=obj, operation=operation, role=role):
                self.assertEqual(
                    self._allowed(obj, operation, role),
                    expected,
                    f"{role} {operation} {obj}: expected "
                    f"{'allowed' if expected else 'denied'}",
                )


class ChannelPortalCase(HttpCase, ChannelCase):
    """The channel of ChannelCase with people on every side.

    Portal users of distributor A and B and of their end customers, internal
    users of each role, three confirmed orders:
    ``order_a`` (A resale to customer A), ``order_b`` (B agency: customer B
    is invoiced) and ``order_b_resale`` (B resale to customer B). Every
    user's password is its login.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.product_service | cls.product_setup).channel_available = True
        Partner = cls.env["res.partner"]

        def user(login, groups, parent=None):
            partner = Partner.create(
                {
                    "name": login.replace("_", " ").title(),
                    "email": f"{login}@example.com",
                    "parent_id": parent.id if parent else False,
                }
            )
            return new_test_user(
                cls.env, login, groups=groups, partner_id=partner.id, password=login
            )

        portal = "base.group_portal"
        cls.portal_dist_a = user("sec_dist_a", portal, cls.distributor_a)
        cls.portal_dist_b = user("sec_dist_b", portal, cls.distributor_b)
        cls.portal_cust_a = user("sec_cust_a", portal, cls.customer_a)
        cls.portal_cust_b = user("sec_cust_b", portal, cls.customer_b)
        partner_manager = ",base.group_partner_manager"
        cls.salesman = user(
            "sec_sales", "sales_team.group_sale_salesman" + partner_manager
        )
        cls.channel_user = user(
            "sec_chan", "channel_distribution.group_channel_user" + partner_manager
        )
        cls.channel_manager = user(
            "sec_chan_mgr",
            "channel_distribution.group_channel_manager" + partner_manager,
        )
        cls.accountant = user(
            "sec_acct", "base.group_user,account.group_account_invoice"
        )
        cls.order_a = cls._create_order(cls.distributor_a, cls.customer_a)
        cls.order_b = cls._create_order(cls.distributor_b, cls.customer_b)
        cls.order_b_resale = cls._create_order(
            cls.distributor_b, cls.customer_b, financial_role="distributor"
        )
        (cls.order_a | cls.order_b | cls.order_b_resale).action_confirm()

    def _payment_provider(self):
        """An enabled provider without an implementation, as Odoo's tests
        use, and its payment method."""
        method = self.env.ref("payment.payment_method_unknown")
        provider = self.env["payment.provider"].create(
            {
                "name": "T Provider",
                "code": "none",
                "state": "test",
                "is_published": True,
                "payment_method_ids": [Command.set(method.ids)],
            }
        )
        method.active = True
        return provider, method

    def login(self, user):
        """Log in as ``user`` (a res.users record), or log out with None."""
        if user:
            self.authenticate(user.login, user.login)
        else:
            self.authenticate(None, None)

    def post_form(self, url, data, csrf=True, **kw):
        data = list(data.items()) if isinstance(data, dict) else list(data)
        if csrf:
            data.append(("csrf_token", Request.csrf_token(self)))
        return self.url_open(url, data=data, **kw)

    def pay(self, order, provider, method):
        """Start a payment of ``order`` as the logged-in user: whether a
        transaction was created."""
        before = order.sudo().transaction_ids
        # Refused: an error answer; only the order tells what happened.
        with contextlib.suppress(JsonRpcException):
            self.make_jsonrpc_request(
                f"/my/orders/{order.id}/transaction",
                {
                    "provider_id": provider.id,
                    "payment_method_id": method.id,
                    "token_id": None,
                    "amount": order.amount_total,
                    "flow": "direct",
                    "tokenization_requested": False,
                    "landing_route": order.get_portal_url(),
                    "access_token": None,
                },
            )
        order.invalidate_recordset()
        return bool(order.sudo().transaction_ids - before)

    def chatter_by_pid(self, record, partner, body, user=None, token=None):
        """Open the chatter of ``record`` (``/mail/thread/data``) and post
        ``body`` in it (``/mail/message/post``), logged in as ``user`` (by
        default logged out), with the ``pid``/``hash`` pair a mail of
        ``record`` gives ``partner`` (and the record's access ``token``
        when given): ``(read, posted)``."""
        self.login(user)
        params = {
            "thread_model": record._name,
            "thread_id": record.id,
            "pid": partner.id,
            "hash": record.sudo()._sign_token(partner.id),
        }
        if token:
            params["token"] = token
        data = self.make_jsonrpc_request(
            "/mail/thread/data",
            dict(params, request_list=["followers", "attachments"]),
        )
        # the thread's data (Store: under "mail.thread", as a thread)
        rows = data.get("mail.thread") or []
        rows = [rows] if isinstance(rows, dict) else rows
        read = any(
            row.get("id") == record.id
            and row.get("model") == record._name
            and row.get("hasReadAccess")
            for row in rows
        )
        with contextlib.suppress(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/message/post",
                dict(
                    params,
                    post_data={"body": body, "message_type": "comment"},
                ),
            )
        posted = bool(self.chatter_posts(record, body))
        return read, posted

    def check_pid_author(self, record, insider, outsider, outside_users, token=None):
        """A ``pid``/``hash`` pair posts in the chatter of ``record`` only
        as its own partner, and only when that partner is of the record's
        audience (``insider``): not as an ``outsider`` whose pair comes
        with the record's access ``token``, nor as a logged-in user outside
        the audience (``outside_users``) who holds an insider's pair."""
        key = f"{record._name}-{record.id}"
        if token:
            with self.subTest(pair=outsider.name, token=True):
                self.assertEqual(
                    self.chatter_by_pid(
                        record, outsider, f"TOKEN-OUT-{key}", token=token
                    ),
                    (False, False),
                )
        for user in outside_users:
            with self.subTest(pair=insider.name, user=user.login):
                self.assertEqual(
                    self.chatter_by_pid(
                        record, insider, f"LOGGED-{user.login}-{key}", user=user
                    ),
                    (False, False),
                )
        for with_token in (False, True) if token else (False,):
            body = f"IN-AUTHOR-{with_token}-{key}"
            with self.subTest(pair=insider.name, token=with_token):
                self.assertEqual(
                    self.chatter_by_pid(
                        record, insider, body, token=token if with_token else None
                    ),
                    (True, True),
                )
                self.assertEqual(self.chatter_posts(record, body).author_id, insider)

    def chatter_posts(self, record, body):
        """The messages of ``record`` whose body has ``body``."""
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", record._name),
                    ("res_id", "=", record.id),
                    ("body", "ilike", body),
                ]
            )
        )

    def call_kw(self, model, method, args, kwargs=None):
        """``model.method(*args, **kwargs)`` over JSON-RPC as the logged-in
        user; the JSON answer (``result`` or ``error``)."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": kwargs or {},
            },
        }
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()


class AccessPathsMixin:
    """The checks of the access tables through every path but the ORM
    (test_access_paths.py), for a ChannelPortalCase: ``users`` are the
    users of the roles (``_role_users()``), and the test class sets
    ``values`` (a name in its tables: the record, or a text for a
    marker)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = cls._role_users()

    @classmethod
    def _role_users(cls):
        """The user of each role of the tables (None: the public visitor);
        the portal distributor is B's user, the portal customer customer
        B's."""
        return {
            "salesman": cls.salesman,
            "channel_user": cls.channel_user,
            "channel_manager": cls.channel_manager,
            "accountant": cls.accountant,
            "portal_distributor": cls.portal_dist_b,
            "portal_customer": cls.portal_cust_b,
            "portal_dist_a": cls.portal_dist_a,
            "portal_cust_a": cls.portal_cust_a,
            "public": None,
        }

    def marker(self, name):
        record = self.values[name]
        if isinstance(record, str):
            return record
        if record._name == "ir.attachment":
            return record.raw.decode()
        return record.name

    # JSON-RPC -------------------------------------------------------------

    def check_jsonrpc_table(self, cells):
        """Each ``(model, record, method, role): expected`` cell, the call
        ``self.jsonrpc_args(record, method)`` made over JSON-RPC."""
        for role in ROLES:
            self.login(self.users[role])
            for (model, name, method, cell_role), expected in cells.items():
                if cell_role != role:
                    continue
                record = self.values[name]
                self.assertEqual(record._name, model)
                with self.subTest(role=role, record=name, method=method):
                    # (method, args) or (method, args, kwargs)
                    call = (*self.jsonrpc_args(record, method), {})
                    rpc_method, args, kwargs = call[:3]
                    before = self.notified(kwargs)
                    result = self.call_kw(model, rpc_method, args, kwargs)
                    if expected:
                        self.assertNotIn("error", result)
                        if method == "read":
                            self.assertEqual(
                                result["result"][0]["display_name"],
                                record.sudo().display_name,
                            )
                    else:
                        self.assertIn("error", result)
                        self.assertNotIn("result", result)
                        if rpc_method == "message_notify":
                            self.assertEqual(self.notified(kwargs), before)
                        if method == "read":
                            self.assertNotIn(
                                record.sudo().display_name, json.dumps(result)
                            )

    def notified(self, kwargs):
        """The messages sent with ``kwargs`` of ``notify_kwargs`` (none
        for another call)."""
        if "body" not in kwargs:
            return self.env["mail.message"]
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("body", "ilike", kwargs["body"]),
                    ("partner_ids", "in", kwargs["partner_ids"]),
                ]
            )
        )

    # Portal, report and token routes ---------------------------------------

    def assert_served(self, url, marker_name, expected):
        url = url.format(**self.values)
        response = self.url_open(url, allow_redirects=False)
        marker = self.marker(marker_name)
        body = response.content.decode("utf-8", "replace")
        if not expected:
            self.assertNotIn(marker, body)
            return
        self.assertEqual(response.status_code, 200)
        # Under test, Odoo renders a PDF report as its HTML.
        if not response.content.startswith(b"%PDF"):
            self.assertIn(marker, body)

    def check_table(self, cells, roles):
        for role in roles:
            self.login(self.users[role])
            for (url, marker, cell_role), expected in cells.items():
                if cell_role != role:
                    continue
                with self.subTest(role=role, url=url, marker=marker):
                    self.assert_served(url, marker, expected)

    # Portal actions ------------------------------------------------------

    def jsonrpc_result(self, url, params):
        """The JSON route's answer, or None when it raised (the visitor)."""
        try:
            return self.make_jsonrpc_request(url, params)
        except JsonRpcException:
            return None

    def check_action_table(self, cells, done):
        """Each ``(action, role): expected`` cell against ``done(action,
        role)``, whether the logged-in user did ``action``."""
        for role in ROLES:
            self.login(self.users[role])
            for (action, cell_role), expected in cells.items():
                if cell_role != role:
                    continue
                with self.subTest(role=role, action=action):
                    self.assertEqual(done(action, role), expected)

    # Channel fields over RPC --------------------------------------------

    def field_served(self, model, record, field, path):
        """Whether ``field`` of ``record`` comes back to the logged-in user."""
        if path == "read":
            result = self.call_kw(model, "read", [record.ids, [field]])
            return "error" not in result and field in result["result"][0]
        if path == "search_read":
            domain = [("id", "in", record.ids), (field, "!=", False)]
            result = self.call_kw(
                model,
                "web_search_read",
                [],
                {"domain": domain, "specification": {field: {}}},
            )
            return "error" not in result and bool(result["result"]["records"])
        result = self.call_kw(
            model,
            "read_group",
            [[("id", "in", record.ids)], [f"{field}:sum"], ["currency_id"]],
        )
        return "error" not in result and any(
            group.get(field) for group in result["result"]
        )

    def check_field_table(self, cells):
        """Each ``(model, record, field, path, role): expected`` cell
        against ``field_served``."""
        for role in ROLES:
            self.login(self.users[role])
            for (model, name, field, path, cell_role), expected in cells.items():
                if cell_role != role:
                    continue
                record = self.values[name]
                self.assertEqual(record._name, model)
                with self.subTest(role=role, model=model, field=field, path=path):
                    self.assertEqual(
                        self.field_served(model, record, field, path), expected
                    )


class ChannelTourCase(HttpCase):
    """HttpCase for the portal tours.

    Odoo gives Chrome 10 s to start, then skips the tour; on a loaded 2-core
    machine that is not always enough. Give it a minute: a tour that does not
    run is a failure for bin/test, not a skip."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        iterations = common.CHECK_BROWSER_ITERATIONS
        common.CHECK_BROWSER_ITERATIONS = 600
        cls.addClassCleanup(setattr, common, "CHECK_BROWSER_ITERATIONS", iterations)


class CoexistenceMixin:
    """The helpers of the coexistence checks (test_coexistence.py): the
    product's columns on other modules' tables must not break rows written
    without the product's defaults."""

    @classmethod
    def _product_modules(cls):
        """This addon and the installed addons that depend on it."""
        Module = cls.env["ir.module.module"]
        modules = Module.search([("name", "=", "channel_distribution")])
        while True:
            dependents = Module.search(
                [
                    ("state", "=", "installed"),
                    ("dependencies_id.name", "in", modules.mapped("name")),
                ]
            )
            if dependents <= modules:
                return set(modules.mapped("name"))
            modules |= dependents

    def _added_columns(self):
        """(table, column) of the stored fields that the product adds to the
        models it does not own."""
        product = self._product_modules()
        added = []
        for model in self.env.registry.values():
            if model._abstract or not model._auto or model._original_module in product:
                continue
            for field in model._fields.values():
                if (
                    field.store
                    and field.column_type
                    and field._modules
                    and set(field._modules) <= product
                ):
                    added.append((model._table, field.name))
        return added

    def _added_columns_by_table(self):
        """``{table: [column, ...]}`` of ``_added_columns()``."""
        by_table = {}
        for table, column in self._added_columns():
            by_table.setdefault(table, []).append(column)
        return by_table

    def _not_null_without_default(self, table, columns):
        self.env.cr.execute(
            SQL(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = %s"
                " AND column_name IN %s"
                " AND is_nullable = 'NO' AND column_default IS NULL",
                table,
                tuple(columns),
            )
        )
        return {name for (name,) in self.env.cr.fetchall()}

    def _not_null_offenders(self, by_table):
        """``table.column`` of the columns of ``by_table`` ({table:
        columns}) that are NOT NULL without a database default, sorted."""
        return sorted(
            f"{table}.{column}"
            for table, columns in by_table.items()
            for column in self._not_null_without_default(table, columns)
        )

    def _raw_insert_partner(self, name):
        """Insert a partner as an import script would: its name, and the
        columns other modules declare NOT NULL copied from the company's
        partner (standard Odoo has such columns, e.g. account's
        autopost_bills); the product's columns are left out."""
        Partner = self.env["res.partner"]
        product = self._product_modules()
        self.env.cr.execute(
            SQL(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema()"
                " AND table_name = 'res_partner'"
                " AND is_nullable = 'NO' AND column_default IS NULL"
            )
        )
        others = [
            name_
            for (name_,) in self.env.cr.fetchall()
            if name_ not in ("id", "name")
            and name_ in Partner._fields
            and not set(Partner._fields[name_]._modules) <= product
        ]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "INSERT INTO res_partner (name, active%s) "
                "SELECT %s, true%s FROM res_partner WHERE id = %s RETURNING id",
                SQL("").join(SQL(", %s", SQL.identifier(col)) for col in others),
                name,
                SQL("").join(SQL(", %s", SQL.identifier(col)) for col in others),
                self.env.company.partner_id.id,
            )
        )
        partner_id = self.env.cr.fetchone()[0]
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET commercial_partner_id = id WHERE id = %s",
                partner_id,
            )
        )
        return Partner.browse(partner_id)
