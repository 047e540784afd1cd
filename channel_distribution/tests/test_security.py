# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The access policy of the channel, as one table.

Each row of ``ORM_MATRIX`` is an object and an operation; each column a role;
``Y`` means the operation must succeed as that user through the ORM, ``-``
that it must be refused (AccessError or an invisible record).
"""

import re
from contextlib import closing

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import ROLES, ChannelCase, notify_kwargs

# The columns of the tables are ``ROLES`` (tests/common.py). Internal users
# are made as Odoo makes them by default (with "Contact Creation"); the
# accountant is a billing user without sales rights. Contact Creation edits
# contacts, never a distributor's terms (``distributor_terms`` the tier,
# ``distributor_book`` its price book: the pricelist field of the form, or
# the company's one underneath) nor the managing distributor of an end
# customer (``end_customer_dist``), which is the channel users'. The
# financial terms of a distributor or a managed end customer (fiscal
# position ``_fpos``, payment terms ``_payterm`` and those of its vendor
# bills ``_supterm`` (the commission payout), an end customer's
# pricelist ``end_customer_book``) flow into its channel orders and
# consolidated invoices: channel managers' and accounting managers'; so do
# the accounting terms of its vendor bills (twelfth probe, P12-8: a Contact
# Creation user gave a distributor an asset account as its payable account,
# its commission settlement then failed): its payable account
# ``_payable`` (on a new contact ``create`` too), its preferred payment
# methods ``_paymethod`` and whether its bills are posted unreviewed
# ``_autopost``. So are the bank accounts of a distributor, of a managed
# end customer and of their contacts (thirteenth probe, P13-10: a Contact
# Creation user added one to a distributor, its commission payout went
# there): created (``create``), their number (``write``) or holder
# (``move``, another partner's account given to the distributor) changed,
# deleted (``unlink``); a partner's outside the channel stay Odoo's
# (``outsider_bank``). A
# distributor's salesperson (``distributor_salesperson``: its portal orders
# go to that user) and archiving it (``distributor_archive``) are channel
# managers' (seventh outside probe, P7-7). The time zone of the company's
# partner (``company_tz``), which gives the day of the runs by hand, is the
# administrators' (Settings, ERP managers; P10-2's follow-up). Mail to a
# stranger From another address by ``message_notify`` (``notify``), with no
# record (``stranger``) or on an order they read, is internal users' (Odoo's),
# never a portal or public user's (fifteenth probe, P15-1).

# object / operation           sales chan  mgr  acct portD portC pub
ORM_MATRIX = """
channel_order      read          -     Y    Y    Y     -     -    -
channel_order      write         -     Y    Y    Y     -     -    -
channel_order      create        Y     Y    Y    -     -     -    -
own_order          read          Y     Y    Y    Y     -     -    -
end_customer       read          Y     Y    Y    Y     -     -    -
end_customer       write         Y     Y    Y    Y     -     -    -
end_customer_dist  write         -     Y    Y    -     -     -    -
distributor        read          Y     Y    Y    Y     -     -    -
distributor_terms  write         -     -    Y    -     -     -    -
distributor_book   write         -     -    Y    -     -     -    -
distributor_book   specific      -     -    Y    -     -     -    -
distributor        create        -     -    Y    -     -     -    -
distributor_fpos   write         -     -    Y    -     -     -    -
distributor_payterm write        -     -    Y    -     -     -    -
distributor_supterm write        -     -    Y    -     -     -    -
distributor_payable write        -     -    Y    -     -     -    -
distributor_payable create       -     -    Y    -     -     -    -
distributor_paymethod inbound    -     -    Y    -     -     -    -
distributor_paymethod outbound   -     -    Y    -     -     -    -
distributor_autopost write       -     -    Y    -     -     -    -
distributor_bank   create        -     -    Y    -     -     -    -
distributor_bank   write         -     -    Y    -     -     -    -
distributor_bank   move          -     -    Y    -     -     -    -
distributor_bank   unlink        -     -    Y    -     -     -    -
end_customer_bank  create        -     -    Y    -     -     -    -
outsider_bank      create        Y     Y    Y    Y     -     -    -
distributor_salesperson write    -     -    Y    -     -     -    -
distributor_archive write        -     -    Y    -     -     -    -
end_customer_fpos  write         -     -    Y    -     -     -    -
end_customer_payterm write       -     -    Y    -     -     -    -
end_customer_payable write       -     -    Y    -     -     -    -
end_customer_book  write         -     -    Y    -     -     -    -
tier               read          Y     Y    Y    Y     -     -    -
tier               write         -     -    Y    -     -     -    -
tier               create        -     -    Y    -     -     -    -
tier               unlink        -     -    Y    -     -     -    -
price_book         read          Y     Y    Y    Y     -     -    -
price_book         write         -     -    Y    -     -     -    -
dist_b_order       read          -     Y    Y    Y     Y     Y    -
dist_b_order       write         -     Y    Y    Y     -     -    -
dist_b_resale      read          -     Y    Y    Y     Y     -    -
dist_b_resale      write         -     Y    Y    Y     -     -    -
customer_b         read          Y     Y    Y    Y     -     Y    -
customer_b         write         Y     Y    Y    Y     -     -    -
invoice_a          read          -     -    -    Y     -     -    -
invoice_a          write         -     -    -    Y     -     -    -
invoice_b          read          -     -    -    Y     Y     -    -
invoice_b          write         -     -    -    Y     -     -    -
confirmed_price    write         -     -    Y    -     -     -    -
confirmed_discount write         -     -    Y    -     -     -    -
confirmed_taxes    write         -     -    Y    -     -     -    -
confirmed_new_line create        Y     Y    Y    -     -     -    -
discount_over_100  write         -     -    -    -     -     -    -
company_tz         write         -     -    -    -     -     -    -
stranger           notify        Y     Y    Y    Y     -     -    -
dist_b_order       notify        -     Y    Y    Y     -     -    -
"""


# Rows of distributor B and its end customer B are the portal users'
# own companies; ``channel_order`` (distributor A's) is another distributor's
# order and ``end_customer`` (customer A) another distributor's customer.
# ``dist_b_order`` is an agency order (customer B is invoiced), and
# ``dist_b_resale`` a resale one, hidden from the end customer.
# ``invoice_a`` / ``invoice_b`` are the posted consolidated
# invoices of A's and B's resale orders: finance's, and the invoiced
# distributor's to read; never an end customer's. Portal users see their
# data through the portal controllers (sudo, scoped): the ORM refuses them a
# distributor's end customers (``customer_b`` for portal_distributor). The other paths
# (JSON-RPC, portal routes, reports, tokens, attachments) are tabled in
# test_access_paths.py.
def parse_matrix(text):
    cells = {}
    for line in text.strip().splitlines():
        obj, operation, *marks = line.split()
        assert len(marks) == len(ROLES), line
        for role, mark in zip(ROLES, marks, strict=True):
            cells[(obj, operation, role)] = mark == "Y"
    return cells


@tagged("post_install", "-at_install")
class TestAccessMatrix(ChannelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_salesman = new_test_user(
            cls.env, "cd_other_sales", groups="sales_team.group_sale_salesman"
        )
        cls.users = {
            "salesman": new_test_user(
                cls.env,
                "cd_sales",
                groups="sales_team.group_sale_salesman,base.group_partner_manager",
            ),
            "channel_user": new_test_user(
                cls.env,
                "cd_chan",
                groups="channel_distribution.group_channel_user,"
                "base.group_partner_manager",
            ),
            "channel_manager": new_test_user(
                cls.env,
                "cd_chan_mgr",
                groups="channel_distribution.group_channel_manager,"
                "base.group_partner_manager",
            ),
            "accountant": new_test_user(
                cls.env,
                "cd_acct",
                groups="base.group_user,account.group_account_invoice,"
                "base.group_partner_manager",
            ),
            "portal_distributor": new_test_user(
                cls.env,
                "cd_portal_dist",
                groups="base.group_portal",
                partner_id=cls.env["res.partner"]
                .create({"name": "Dana", "parent_id": cls.distributor_b.id})
                .id,
            ),
            "portal_customer": new_test_user(
                cls.env,
                "cd_portal_cust",
                groups="base.group_portal",
                partner_id=cls.env["res.partner"]
                .create({"name": "Carl", "parent_id": cls.customer_b.id})
                .id,
            ),
            "public": cls.env.ref("base.public_user"),
        }
        # A channel order of distributor A, sold by somebody else.
        cls.order = cls._create_order(
            cls.distributor_a, cls.customer_a, user_id=cls.other_salesman.id
        )
        setup_line = [(cls.product_setup, 1)]
        cls.order_a_confirmed = cls._create_order(
            cls.distributor_a, cls.customer_a, setup_line
        )
        cls.order_b = cls._create_order(cls.distributor_b, cls.customer_b, setup_line)
        cls.order_b_resale = cls._create_order(
            cls.distributor_b, cls.customer_b, financial_role="distributor"
        )
        (cls.order_a_confirmed | cls.order_b | cls.order_b_resale).action_confirm()
        address = {"street": "Quay 1", "city": "Ghent"}
        (cls.distributor_a | cls.distributor_b).write(address)
        invoices = (cls.order_a_confirmed | cls.order_b_resale)._create_invoices()
        invoices.action_post()
        cls.invoice_a = invoices.filtered(lambda m: m.partner_id == cls.distributor_a)
        cls.invoice_b = invoices.filtered(lambda m: m.partner_id == cls.distributor_b)
        cls.own_orders = {
            role: cls._create_order(cls.distributor_a, cls.customer_a, user_id=user.id)
            for role, user in cls.users.items()
        }
        # each role's own confirmed channel order: its lines' price,
        # discount and taxes are the price book's, a channel manager's
        # (eleventh probe, P11-13); a line added is priced by the book
        cls.own_confirmed = {
            role: cls._create_order(cls.distributor_a, cls.customer_a, user_id=user.id)
            for role, user in cls.users.items()
        }
        for order in cls.own_confirmed.values():
            order.action_confirm()
        cls.tax_ten = cls.env["account.tax"].create(
            {"name": "T VAT 10 %", "amount": 10.0, "type_tax_use": "sale"}
        )
        cls.fiscal_position = cls.env["account.fiscal.position"].create(
            {"name": "T Export"}
        )
        cls.payment_term = cls.env["account.payment.term"].create({"name": "T 90 Days"})
        cls.customer_prices = cls.env["product.pricelist"].create(
            {"name": "T Customer Prices"}
        )
        # P12-8: what the probe wrote, a current asset account as payable
        cls.other_account = cls.env["account.account"].create(
            {
                "code": "T10100",
                "name": "T Current Assets",
                "account_type": "asset_current",
            }
        )
        cls.payment_method_line = cls.env["account.payment.method.line"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        # P13-10: a distributor's bank account (where its commission is paid
        # out) and one of a partner outside the channel
        Bank = cls.env["res.partner.bank"]
        cls.distributor_bank = Bank.create(
            {"acc_number": "BE71096123456769", "partner_id": cls.distributor_a.id}
        )
        cls.outsider = cls.env["res.partner"].create(
            {"name": "T Outsider", "is_company": True}
        )
        cls.stranger = cls.env["res.partner"].create(
            {"name": "T Stranger", "email": "stranger@elsewhere.example.com"}
        )
        cls.outsider_bank = Bank.create(
            {"acc_number": "BE68539007547034", "partner_id": cls.outsider.id}
        )

    def _operation(self, obj, operation, role):
        user = self.users[role]
        env = self.env(user=user, context=dict(self.env.context, active_test=False))
        return getattr(self, f"_op_{obj}")(env, operation, role)

    def _op_channel_order(self, env, operation, role):
        order = self.order.with_env(env)
        if operation == "read":
            return order.read(["name", "distributor_id", "channel_commission"])
        if operation == "write":
            return order.write({"client_order_ref": "changed"})
        return env["sale.order"].create(
            self._order_vals(self.distributor_a, self.customer_a, user_id=env.uid)
        )

    def _op_own_order(self, env, operation, role):
        return self.own_orders[role].with_env(env).read(["name"])

    def _op_end_customer(self, env, operation, role):
        customer = self.customer_a.with_env(env)
        if operation == "read":
            return customer.read(["name", "distributor_id"])
        return customer.write({"phone": "+32 9 000 00 00"})

    def _op_end_customer_dist(self, env, operation, role):
        return self.customer_a.with_env(env).write(
            {"distributor_id": self.distributor_b.id}
        )

    def _op_distributor(self, env, operation, role):
        if operation == "read":
            return self.distributor_a.with_env(env).read(
                ["name", "is_distributor", "distributor_tier_id"]
            )
        return env["res.partner"].create(
            {"name": "New Distributor", "is_company": True, "is_distributor": True}
        )

    def _op_distributor_terms(self, env, operation, role):
        return self.distributor_a.with_env(env).write(
            {"distributor_tier_id": self.tier_silver.id}
        )

    def _op_distributor_book(self, env, operation, role):
        name = {
            "write": "property_product_pricelist",
            "specific": "specific_property_product_pricelist",
        }[operation]
        return self.distributor_a.with_env(env).write({name: self.book_silver.id})

    def _op_distributor_fpos(self, env, operation, role, partner=None):
        partner = partner or self.distributor_a
        return partner.with_env(env).write(
            {"property_account_position_id": self.fiscal_position.id}
        )

    def _op_distributor_payterm(self, env, operation, role, partner=None):
        partner = partner or self.distributor_a
        return partner.with_env(env).write(
            {"property_payment_term_id": self.payment_term.id}
        )

    def _op_distributor_supterm(self, env, operation, role):
        return self.distributor_a.with_env(env).write(
            {"property_supplier_payment_term_id": self.payment_term.id}
        )

    def _op_distributor_payable(self, env, operation, role, partner=None):
        partner = partner or self.distributor_a
        vals = {"property_account_payable_id": self.other_account.id}
        if operation == "create":
            return env["res.partner"].create(
                {"name": "New contact", "parent_id": partner.id, **vals}
            )
        return partner.with_env(env).write(vals)

    def _op_distributor_paymethod(self, env, operation, role):
        self.assertTrue(self.payment_method_line)
        name = f"property_{operation}_payment_method_line_id"
        return self.distributor_a.with_env(env).write(
            {name: self.payment_method_line.id}
        )

    def _op_distributor_autopost(self, env, operation, role):
        return self.distributor_a.with_env(env).write({"autopost_bills": "always"})

    def _op_distributor_bank(self, env, operation, role, partner=None):
        partner = partner or self.distributor_a
        number = "BE62510007547061"
        if operation == "create":
            return env["res.partner.bank"].create(
                {"acc_number": number, "partner_id": partner.id}
            )
        if operation == "write":
            return self.distributor_bank.with_env(env).write({"acc_number": number})
        if operation == "move":
            return self.outsider_bank.with_env(env).write({"partner_id": partner.id})
        return self.distributor_bank.with_env(env).unlink()

    def _op_end_customer_bank(self, env, operation, role):
        return self._op_distributor_bank(env, operation, role, self.customer_a)

    def _op_outsider_bank(self, env, operation, role):
        return self._op_distributor_bank(env, operation, role, self.outsider)

    def _op_distributor_salesperson(self, env, operation, role):
        return self.distributor_a.with_env(env).write(
            {"user_id": self.other_salesman.id}
        )

    def _op_distributor_archive(self, env, operation, role):
        return self.distributor_a.with_env(env).action_archive()

    def _op_end_customer_fpos(self, env, operation, role):
        return self._op_distributor_fpos(env, operation, role, self.customer_a)

    def _op_end_customer_payterm(self, env, operation, role):
        return self._op_distributor_payterm(env, operation, role, self.customer_a)

    def _op_end_customer_payable(self, env, operation, role):
        return self._op_distributor_payable(env, operation, role, self.customer_a)

    def _op_end_customer_book(self, env, operation, role):
        return self.customer_a.with_env(env).write(
            {"property_product_pricelist": self.customer_prices.id}
        )

    def _op_tier(self, env, operation, role):
        tier = self.tier_gold.with_env(env)
        if operation == "read":
            return tier.read(["name", "pricelist_id"])
        if operation == "write":
            return tier.write({"name": "Renamed"})
        if operation == "create":
            return env["channel.distributor.tier"].create({"name": "New tier"})
        return self.tier_silver.with_env(env).unlink()

    def _op_price_book(self, env, operation, role):
        book = self.book_gold.with_env(env)
        if operation == "read":
            return book.read(["name", "item_ids"])
        return book.write({"name": "Renamed book"})

    # Rows of distributor B's records (the portal users' own company) and
    # the consolidated invoices.

    def _op_dist_b_order(self, env, operation, role, order=None):
        order = (order or self.order_b).with_env(env)
        if operation == "notify":
            return order.message_notify(**notify_kwargs(self.stranger))
        if operation == "read":
            return order.read(["name", "amount_total"])
        return order.write({"client_order_ref": "changed"})

    def _op_dist_b_resale(self, env, operation, role):
        return self._op_dist_b_order(env, operation, role, self.order_b_resale)

    def _op_stranger(self, env, operation, role):
        return env["res.partner"].message_notify(**notify_kwargs(self.stranger))

    def _op_customer_b(self, env, operation, role):
        customer = self.customer_b.with_env(env)
        if operation == "read":
            return customer.read(["name", "distributor_id"])
        return customer.write({"phone": "+32 9 000 00 01"})

    def _op_invoice_a(self, env, operation, role, invoice=None):
        invoice = (invoice or self.invoice_a).with_env(env)
        if operation == "read":
            return invoice.read(["name", "amount_total", "invoice_line_ids"])
        return invoice.write({"ref": "changed"})

    def _op_invoice_b(self, env, operation, role):
        return self._op_invoice_a(env, operation, role, self.invoice_b)

    def _op_confirmed_price(self, env, operation, role, vals=None):
        line = self.own_confirmed[role].order_line[:1].with_env(env)
        return line.write(vals or {"price_unit": 9999.0})

    def _op_confirmed_discount(self, env, operation, role):
        return self._op_confirmed_price(env, operation, role, {"discount": 50.0})

    def _op_confirmed_taxes(self, env, operation, role):
        return self._op_confirmed_price(
            env, operation, role, {"tax_id": [Command.set(self.tax_ten.ids)]}
        )

    def _op_confirmed_new_line(self, env, operation, role):
        """A line added to a confirmed order: at the price book's price,
        whatever price, discount and taxes the user gives (a channel
        manager's are kept)."""
        order = self.own_confirmed[role].with_env(env)
        order.write(
            {
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.product_service.id,
                            "product_uom_qty": 1,
                            "price_unit": 1.0,
                            "discount": 10.0,
                            "tax_id": [(5,)],
                        },
                    )
                ]
            }
        )
        line = order.order_line[-1:]
        booked = (line.price_unit, line.discount) != (1.0, 10.0)
        if role != "channel_manager" and not booked:
            raise UserError(self.env._("A line added at the user's price."))
        return True

    def _op_discount_over_100(self, env, operation, role):
        """A discount outside 0-100 % (of -500 % a line bills 6 times its
        price): on no channel line, a quotation's either."""
        line = self.own_orders[role].order_line[:1].with_env(env)
        return line.write({"discount": -500.0})

    def _op_company_tz(self, env, operation, role):
        """The time zone of the company's partner: the day of the runs by
        hand (billing, settlement) is the company's, in that time zone
        (P10-2); Settings and ERP managers set it."""
        partner = self.env.company.partner_id
        tz = "Pacific/Kiritimati" if partner.tz != "Pacific/Kiritimati" else "UTC"
        return partner.with_env(env).write({"tz": tz})

    def _allowed(self, obj, operation, role):
        # Every operation is undone: each cell starts from the same data (a
        # role's write must change the value to be checked at all).
        if obj.startswith(("confirmed_", "discount_")):
            # refused by the product's rules (a UserError), not only access
            return self._done_and_undone(lambda: self._operation(obj, operation, role))
        return self._access_granted(lambda: self._operation(obj, operation, role))

    def test_orm_matrix(self):
        cells = parse_matrix(ORM_MATRIX)
        self.assertEqual(len(cells), 56 * len(ROLES))
        self.check_orm_table(cells)

    def test_financial_terms_by_channel_and_accounting_managers(self):
        """Fifth probe, 6: Contact Creation set a distributor's fiscal
        position and payment terms, which every consolidated invoice and
        subscription period takes (the rows of ORM_MATRIX). Channel
        managers and accounting managers set the financial terms of a
        distributor, a managed end customer and their contacts, on create
        too; a partner with terms of its own joins the channel by their
        decision (else terms set outside the channel would be laundered
        into it), and an order of a channel user then leaves the link to
        them. A distributor's price book stays the channel managers'."""
        Partner = self.env["res.partner"]
        account_manager = new_test_user(
            self.env,
            "cd_acct_mgr",
            groups="account.group_account_manager,base.group_partner_manager",
        )
        terms = {
            "property_account_position_id": self.fiscal_position.id,
            "property_payment_term_id": self.payment_term.id,
            "property_account_payable_id": self.other_account.id,
        }
        for user in (account_manager, self.users["channel_manager"]):
            with self.subTest(user=user.login):
                for partner in (self.distributor_a, self.customer_a):
                    self.assertTrue(
                        self._done_and_undone(
                            lambda p=partner, u=user: p.with_user(u).write(terms)
                        )
                    )
                self.assertTrue(
                    self._done_and_undone(
                        lambda u=user: self.customer_a.with_user(u).write(
                            {"property_product_pricelist": self.customer_prices.id}
                        )
                    )
                )
        # a distributor's price book: the channel managers'
        self.assertFalse(
            self._done_and_undone(
                lambda: self.distributor_a.with_user(account_manager).write(
                    {"specific_property_product_pricelist": self.book_silver.id}
                )
            )
        )
        # on create: a managed end customer, a distributor's contact
        channel_user = self.users["channel_user"]
        for user, vals in (
            (
                channel_user,
                {"is_company": True, "distributor_id": self.distributor_a.id},
            ),
            (self.users["salesman"], {"parent_id": self.distributor_a.id}),
        ):
            for name, value in (
                *terms.items(),
                ("property_product_pricelist", self.customer_prices.id),
            ):
                with self.subTest(user=user.login, vals=vals, term=name):
                    self.assertFalse(
                        self._done_and_undone(
                            lambda u=user, v=vals, n=name, x=value: Partner.with_user(
                                u
                            ).create({"name": "New Terms", **v, n: x})
                        )
                    )
        # with what a new partner gets anyway (a form sends it): created
        anyway = Partner.new({}).property_product_pricelist
        self.assertTrue(anyway)
        customer = Partner.with_user(channel_user).create(
            {
                "name": "Plain Customer",
                "is_company": True,
                "distributor_id": self.distributor_a.id,
                "property_product_pricelist": anyway.id,
                "property_account_position_id": False,
                "property_payment_term_id": False,
            }
        )
        self.assertEqual(customer.distributor_id, self.distributor_a)
        # outside the channel, Odoo's rules: Contact Creation sets them
        plain = Partner.with_user(self.users["salesman"]).create(
            {"name": "Export Buyer", "is_company": True, **terms}
        )
        plain.with_user(self.users["salesman"]).write(
            {"property_product_pricelist": self.customer_prices.id}
        )
        # ... then made part of the channel: a channel manager's decision
        for vals in (
            {"distributor_id": self.distributor_a.id},
            {"parent_id": self.distributor_a.id, "is_company": False},
        ):
            with self.subTest(vals=vals):
                self.assertFalse(
                    self._done_and_undone(
                        lambda v=vals: plain.with_user(channel_user).write(v)
                    )
                )
        # a channel user's order leaves the link to a channel manager
        order = (
            self.env["sale.order"]
            .with_user(channel_user)
            .create(
                self._order_vals(self.distributor_a, plain, user_id=channel_user.id)
            )
        )
        self.assertEqual(order.end_customer_id, plain)
        self.assertFalse(plain.distributor_id)
        plain.with_user(self.users["channel_manager"]).write(
            {"distributor_id": self.distributor_a.id}
        )
        self.assertEqual(plain.distributor_id, self.distributor_a)

    def test_bank_accounts_of_channel_partners_by_managers(self):
        """Thirteenth probe, P13-10: a Contact Creation user added a bank
        account to a distributor (or gave it another partner's, or changed
        its number): the commission payout (a vendor bill from the
        distributor, its payment) went to that account. The bank accounts
        of a channel partner are created, changed, trusted and deleted by
        channel managers and accounting managers (the rows of ORM_MATRIX);
        Odoo's right to trust an account (*Validate bank account*) is not
        enough on a channel partner's, nor is the partner's form (its bank
        accounts' commands). The accountant's vendor bill of the
        distributor takes the account the managers trusted."""
        acct = self.users["accountant"]
        validate = self.env.ref("account.group_validate_bank_account")
        acct.groups_id = [Command.link(validate.id)]
        manager = new_test_user(
            self.env,
            "cd_bank_mgr",
            groups="account.group_account_manager,base.group_partner_manager,"
            "account.group_validate_bank_account",
        )
        number = "BE62510007547061"
        contact = self.env["res.partner"].create(
            {"name": "T Payee", "parent_id": self.distributor_a.id}
        )
        refusal = re.escape(self.distributor_a.display_name)
        attempts = {
            "trust": lambda: self.distributor_bank.with_user(acct).write(
                {"allow_out_payment": True}
            ),
            "form": lambda: self.distributor_a.with_user(acct).write(
                {"bank_ids": [Command.create({"acc_number": number})]}
            ),
            "form_unlink": lambda: self.distributor_a.with_user(acct).write(
                {"bank_ids": [Command.unlink(self.distributor_bank.id)]}
            ),
            # a contact of the distributor (its display name has the
            # distributor's)
            "contact": lambda: self.env["res.partner.bank"]
            .with_user(acct)
            .create({"acc_number": number, "partner_id": contact.id}),
        }
        for name, attempt in attempts.items():
            with self.subTest(attempt=name):
                with (
                    self.assertRaisesRegex(AccessError, refusal),
                    mute_logger("odoo.models"),
                ):
                    attempt()
                self.env.invalidate_all()
                self.assertEqual(self.distributor_a.bank_ids, self.distributor_bank)
                self.assertEqual(self.distributor_bank.acc_number, "BE71096123456769")
                self.assertFalse(self.distributor_bank.allow_out_payment)
        # an accounting manager adds, trusts and removes them
        bank = (
            self.env["res.partner.bank"]
            .with_user(manager)
            .create(
                {
                    "acc_number": number,
                    "partner_id": self.distributor_a.id,
                    "allow_out_payment": True,
                }
            )
        )
        self.assertTrue(bank.allow_out_payment)
        self.distributor_bank.with_user(manager).unlink()
        # the accountant's vendor bill of the distributor pays that account
        bill = (
            self.env["account.move"]
            .with_user(acct)
            .create({"move_type": "in_invoice", "partner_id": self.distributor_a.id})
        )
        self.assertEqual(bill.partner_bank_id, bank)
        # outside the channel, Odoo's rules: the accountant trusts an account
        self.outsider_bank.with_user(acct).allow_out_payment = True
        self.assertTrue(self.outsider_bank.allow_out_payment)

    def test_distributor_salesperson_and_archive_by_channel_managers(self):
        """Seventh outside probe, P7-7: Contact Creation set a distributor's
        salesperson (its portal orders then go to that user) and archived
        it (rows ``distributor_salesperson`` and ``distributor_archive`` of
        ORM_MATRIX). A channel manager sets them; on other partners (a
        distributor's contact, an end customer) they stay Odoo's; Odoo's
        own writes of them to a distributor that change nothing pass (the
        portal wizard's, a merge: PARTNER_MOVE_MATRIX)."""
        manager = self.users["channel_manager"]
        contacts = self.users["salesman"]
        distributor = self.distributor_a.with_user(manager)
        distributor.write({"user_id": self.other_salesman.id})
        distributor.action_archive()
        self.assertFalse(self.distributor_a.active)
        with self.assertRaisesRegex(AccessError, "archive"):
            self.distributor_a.with_user(contacts).action_unarchive()
        distributor.action_unarchive()
        self.assertTrue(self.distributor_a.active)
        self.assertEqual(self.distributor_a.user_id, self.other_salesman)
        # the same fields of other partners: whoever edits contacts
        contact = self.env["res.partner"].create(
            {"name": "Ann Buyer", "parent_id": self.distributor_a.id}
        )
        for partner in (contact, self.customer_a):
            partner.with_user(contacts).write({"user_id": contacts.id})
            partner.with_user(contacts).action_archive()
            self.assertFalse(partner.active)
        # portal access of the distributor itself is refused (a company of
        # the channel gets no login: probe 14, P14-7); a contact's is
        # granted by a channel user (not by whoever edits contacts: probe
        # 15, P15-9), revoked and granted again: the distributor stays as
        # it was
        self.distributor_a.email = "desk@distributor-a.example.com"
        wizard = (
            self.env["portal.wizard"]
            .with_user(contacts)
            .create({"partner_ids": [Command.set(self.distributor_a.ids)]})
        )
        with self.assertRaisesRegex(ValidationError, "gets no login"):
            wizard.user_ids.action_grant_access()
        buyer = self.env["res.partner"].create(
            {
                "name": "Bob Buyer",
                "email": "bob@distributor-a.example.com",
                "parent_id": self.distributor_a.id,
            }
        )
        wizard = (
            self.env["portal.wizard"]
            .with_user(contacts)
            .create({"partner_ids": [Command.set(buyer.ids)]})
        )
        with self.assertRaisesRegex(UserError, "channel user"):
            wizard.user_ids.action_grant_access()
        for action in ("grant", "revoke", "grant"):
            wizard = (
                self.env["portal.wizard"]
                .with_user(self.users["channel_user"])
                .create({"partner_ids": [Command.set(buyer.ids)]})
            )
            getattr(wizard.user_ids, f"action_{action}_access")()
        self.assertTrue(buyer.user_ids)
        self.assertTrue(self.distributor_a.active)
        self.assertFalse(self.distributor_a.user_ids)
        self.assertEqual(self.distributor_a.user_id, self.other_salesman)

    def test_channel_order_confirmed_through_confirmation_only(self):
        """Fourth probe: an order created over RPC already confirmed
        (``state: 'sale'``, locked) or a quotation written to ``sale`` skips
        the confirmation and its checks (credit hold, Confirm Distributor
        Orders, commissioning, subscriptions). A channel order's state
        moves only through the confirmation, whoever asks."""
        for role in ROLES:
            user = self.users[role]
            env = self.env(user=user)
            for how in ("create", "create_locked", "write"):
                with self.subTest(role=role, how=how):
                    confirmed = False
                    try:
                        with (
                            closing(self.env.cr.savepoint()),
                            mute_logger("odoo.models"),
                        ):
                            if how == "write":
                                order = self.own_orders[role].with_env(env)
                                order.write({"state": "sale"})
                            else:
                                extra = {"state": "sale"}
                                if how == "create_locked":
                                    extra["locked"] = True
                                order = env["sale.order"].create(
                                    self._order_vals(
                                        self.distributor_a,
                                        self.customer_a,
                                        user_id=user.id,
                                        **extra,
                                    )
                                )
                            self.env.flush_all()
                            confirmed = order.sudo().state == "sale"
                    except UserError:  # AccessError too
                        confirmed = False
                    finally:
                        self.env.invalidate_all()
                    self.assertFalse(confirmed)
        # the confirmation itself still confirms
        order = self.own_orders["channel_user"].with_user(self.users["channel_user"])
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_channel_order_state_moves_through_actions_only(self):
        """A channel order's state written over RPC to ``sent``, ``cancel``
        or back to ``draft`` skipped the actions and their checks (a held
        quotation sent, a locked or invoiced order cancelled without the
        cancellation setting, a confirmed order back to a quotation whose
        counterparties then change). It moves through Send, Cancel and Set
        to Quotation only, whoever asks (the confirmation: the test above)."""
        moves = (
            ("draft", "sent"),
            ("draft", "cancel"),
            ("sent", "draft"),
            ("sent", "cancel"),
            ("sale", "cancel"),
            ("sale", "draft"),
            ("sale", "sent"),
            ("cancel", "draft"),
            ("cancel", "sent"),
        )
        for role in ROLES:
            order = self.own_orders[role]
            for start, state in moves:
                with self.subTest(role=role, start=start, state=state):
                    order.sudo().write({"state": start})
                    moved = self._done_and_undone(
                        lambda o=order, s=state, r=role: o.with_user(
                            self.users[r]
                        ).write({"state": s})
                    )
                    self.assertFalse(moved)
                    self.assertEqual(order.state, start)
        # the actions still move it
        order = self.own_orders["channel_user"].with_user(self.users["channel_user"])
        order.sudo().write({"state": "draft"})
        order.action_quotation_sent()
        self.assertEqual(order.state, "sent")
        order.action_draft()
        self.assertEqual(order.state, "draft")
        order.with_context(mark_so_as_sent=True).message_post(body="Your quotation")
        self.assertEqual(order.state, "sent")
        order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(order.state, "cancel")
        order.action_draft()
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_channel_user_sees_channel_orders_only(self):
        direct = self.env["sale.order"].create(
            {
                "partner_id": self.customer_a.id,
                "user_id": self.other_salesman.id,
                "order_line": [Command.create({"product_id": self.product_service.id})],
            }
        )
        visible = (
            self.env["sale.order"]
            .with_user(self.users["channel_user"])
            .search([("id", "in", (direct | self.order).ids)])
        )
        self.assertEqual(visible, self.order)


@tagged("post_install", "-at_install")
class TestMultiCompany(ChannelCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.env["res.company"].create({"name": "Channel Co 2"})
        env2 = cls.env(
            context=dict(cls.env.context, allowed_company_ids=[cls.company_2.id])
        )
        cls.book_2 = env2["product.pricelist"].create(
            {"name": "Co 2 book", "company_id": cls.company_2.id}
        )
        cls.tier_2 = env2["channel.distributor.tier"].create(
            {"name": "Co 2 tier", "pricelist_id": cls.book_2.id}
        )
        cls.distributor_2 = env2["res.partner"].create(
            {
                "name": "Co 2 Distributor",
                "is_company": True,
                "is_distributor": True,
                "company_id": cls.company_2.id,
                "distributor_tier_id": cls.tier_2.id,
            }
        )
        cls.manager_1 = new_test_user(
            cls.env,
            "cd_mc_mgr",
            groups="channel_distribution.group_channel_manager,"
            "base.group_partner_manager",
            company_id=cls.env.company.id,
            company_ids=[Command.set(cls.env.company.ids)],
        )

    def test_company_records_stay_in_their_company(self):
        self.assertEqual(self.tier_2.company_id, self.company_2)
        env1 = self.env(user=self.manager_1)
        self.assertNotIn(self.tier_2, env1["channel.distributor.tier"].search([]))
        self.assertNotIn(self.book_2, env1["product.pricelist"].search([]))
        self.assertNotIn(
            self.distributor_2,
            env1["res.partner"].search([("is_distributor", "=", True)]),
        )
        with self.assertRaises(AccessError):
            self.tier_2.with_user(self.manager_1).read(["name"])

    def test_no_cross_company_order_or_tier(self):
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self._create_order(self.distributor_2, self.customer_a)
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.tier_gold.pricelist_id = self.book_2
