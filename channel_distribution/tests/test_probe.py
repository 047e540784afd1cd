# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What an outside probe of the portal found, one test per finding.

The classes of hole are also rows of the access tables
(test_access_paths.py): partners with users,
sign and decline in every state, the channel fields over RPC and on pages.
"""

import contextlib
import json

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger
from odoo.tools.misc import hmac

from .common import NOTIFY_BODY, SIGNATURE, ChannelPortalCase, notify_kwargs


@tagged("post_install", "-at_install")
class TestProbe(ChannelPortalCase):
    # 1. a distributor takes over an end customer's login --------------------

    def test_linking_never_grabs_users_or_the_vendor(self):
        internal = self.salesman.partner_id
        company = self.env.company.partner_id
        for customer in (internal, company, self.portal_cust_a.partner_id):
            customer.parent_id = False
            customer.distributor_id = False
            with self.subTest(customer=customer.name):
                order = self._create_order(self.distributor_a, customer)
                self.assertEqual(order.end_customer_id, customer)
                self.assertFalse(customer.distributor_id)
        # A partner without users is linked, and the vendor has the last
        # word: a channel user changes or detaches its distributor.
        fresh = self.env["res.partner"].create({"name": "Fresh Customer"})
        self._create_order(self.distributor_a, fresh)
        self.assertEqual(fresh.distributor_id, self.distributor_a)
        fresh.with_user(self.channel_user).distributor_id = self.distributor_b
        self.assertEqual(fresh.distributor_id, self.distributor_b)
        fresh.with_user(self.channel_user).distributor_id = False
        self.assertFalse(fresh.distributor_id)

    # 3. sign and decline ---------------------------------------------------

    # 4. the end customer sees the distributor's margin -----------------------

    # 5. a quantity that rounds to nothing ----------------------------------

    # 6. another distributor's end customer -----------------------------------

    def test_other_distributors_customer_takes_a_channel_manager(self):
        vals = self._order_vals(self.distributor_b, self.customer_a)
        for user in (self.salesman, self.channel_user):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(UserError, "only a channel manager"):
                    self.env["sale.order"].with_user(user).create(dict(vals))
        order = self._create_order(self.distributor_b, self.customer_b)
        with self.assertRaisesRegex(UserError, "only a channel manager"):
            order.with_user(self.channel_user).end_customer_id = self.customer_a
        order = self.env["sale.order"].with_user(self.channel_manager).create(vals)
        self.assertEqual(order.end_customer_id, self.customer_a)
        self.assertEqual(self.customer_a.distributor_id, self.distributor_a)
        notes = order.message_ids.filtered(lambda m: "managed by" in (m.body or ""))
        self.assertIn(self.channel_manager.name, notes.body)

    # 7. the salesperson of a portal order ------------------------------------

    # 9. paying and changing a quotation on the portal -------------------------

    @mute_logger("odoo.http")
    def test_distributor_cannot_pay_an_agency_order(self):
        provider, method = self._payment_provider()
        order = self._create_order(
            self.distributor_b,
            self.customer_b,
            financial_role="end_customer",
            require_signature=False,
            require_payment=True,
        )
        order.action_quotation_sent()
        self.login(self.portal_dist_b)
        self.assertFalse(self.pay(order, provider, method))
        self.login(self.portal_cust_b)
        self.assertTrue(self.pay(order, provider, method))

    def edit(self, order, route, params):
        """A quotation edit (sale_management's JSON routes) as the
        logged-in user."""
        with contextlib.suppress(JsonRpcException):
            self.make_jsonrpc_request(f"/my/orders/{order.id}/{route}", params)
        order.invalidate_recordset()

    @mute_logger("odoo.http")
    def test_only_the_invoiced_party_changes_a_sent_quotation(self):
        order = self._create_order(
            self.distributor_b,
            self.customer_b,
            [(self.product_service, 1)],
            financial_role="end_customer",
            require_payment=True,
        )
        Option = self.env["sale.order.option"]
        option, extra = (
            Option.create(
                {
                    "order_id": order.id,
                    "product_id": self.product_setup.id,
                    "name": name,
                    "quantity": 1,
                }
            )
            for name in ("Chosen option", "Other option")
        )
        line = option.add_option_to_order()
        # The vendor's draft: nobody changes it on the portal.
        for user in (self.portal_dist_b, self.portal_cust_b):
            self.login(user)
            self.edit(order, f"add_option/{extra.id}", {})
            self.edit(
                order, "update_line_dict", {"line_id": line.id, "input_quantity": 5}
            )
            self.assertEqual(len(order.order_line), 2)
            self.assertEqual(line.product_uom_qty, 1)
        order.action_quotation_sent()
        order.write(
            {"signature": SIGNATURE, "signed_by": "Lea", "signed_on": "2026-11-01"}
        )
        # Sent and signed by the end customer: the distributor only reads it.
        self.login(self.portal_dist_b)
        self.edit(order, f"add_option/{extra.id}", {})
        self.edit(order, "update_line_dict", {"line_id": line.id, "input_quantity": 20})
        self.assertEqual(len(order.order_line), 2)
        self.assertEqual(line.product_uom_qty, 1)
        self.assertEqual(order.signed_by, "Lea")
        # The end customer changes it: the signature was for the old order.
        self.login(self.portal_cust_b)
        self.edit(order, "update_line_dict", {"line_id": line.id, "input_quantity": 3})
        self.assertEqual(line.product_uom_qty, 3)
        self.assertFalse(order.signature)
        self.assertFalse(order.signed_by)
        self.assertFalse(order.signed_on)
        order.write({"signature": SIGNATURE, "signed_by": "Lea"})
        self.edit(order, f"add_option/{extra.id}", {})
        self.assertEqual(len(order.order_line), 3)
        self.assertFalse(order.signature)
        self.assertFalse(order.signed_by)


@tagged("post_install", "-at_install")
class TestProbeIssue24(ChannelPortalCase):
    """The probe of the running demo (issue 24): followers of resale orders
    and the partners of Contact Creation users. The follower's paths (page,
    PDF, report, RPC) are rows of the access tables (test_access_paths.py,
    ``order_b_resale`` with customer B's user as a follower)."""

    # 5. the end customer made a follower of a resale order -----------------

    def test_end_customer_never_follows_a_resale_order(self):
        order = self.order_b_resale
        customer = self.portal_cust_b.partner_id
        # a vendor user writes to the end customer: it gets the message, it
        # does not become a follower of the distributor's order
        order.with_context(mail_post_autofollow=True).message_post(
            body="About your delivery", partner_ids=customer.ids
        )
        order.message_subscribe(partner_ids=(customer | self.customer_b).ids)
        order.message_partner_ids = order.message_partner_ids | customer
        order.invalidate_recordset(["message_partner_ids", "message_follower_ids"])
        self.assertFalse((customer | self.customer_b) & order.message_partner_ids)
        self.assertIn(self.distributor_b, order.message_partner_ids)
        # the orders it is invoiced for (agency) it follows as before
        self.order_b.message_subscribe(partner_ids=customer.ids)
        self.assertIn(customer, self.order_b.message_partner_ids)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_follower_end_customer_reads_nothing_of_a_resale_order(self):
        order = self.order_b_resale
        order.client_order_ref = "DIST-PO-SECRET"
        self.env["mail.followers"]._insert_followers(
            "sale.order", order.ids, self.portal_cust_b.partner_id.ids
        )
        self.login(self.portal_cust_b)
        for url in (
            f"/my/orders/{order.id}",
            f"/my/orders/{order.id}?report_type=html",
            f"/my/orders/{order.id}?report_type=pdf",
            f"/report/html/sale.report_saleorder/{order.id}",
            "/my/orders",
            "/my/quotes",
        ):
            with self.subTest(url=url):
                page = self.url_open(url, allow_redirects=False)
                self.assertNotIn(order.name, page.text)
                self.assertNotIn("DIST-PO-SECRET", page.text)
        for model, method, args in (
            ("sale.order", "read", [order.ids, ["client_order_ref", "pricelist_id"]]),
            ("sale.order", "search_read", [[], ["client_order_ref"]]),
            ("sale.order.line", "search_read", [[], ["price_unit", "order_id"]]),
            ("sale.order", "read_group", [[], ["amount_total:sum"], ["pricelist_id"]]),
        ):
            with self.subTest(model=model, method=method):
                result = self.call_kw(model, method, args)
                self.assertNotIn("DIST-PO-SECRET", str(result))
                self.assertNotIn(order.name, str(result))
                self.assertNotIn(order.pricelist_id.name, str(result))

    # 9. Contact Creation and the channel's partners ---------------------------

    def test_contact_creation_sets_no_managing_distributor(self):
        contacts = new_test_user(
            self.env,
            "sec_contacts",
            groups="base.group_user,base.group_partner_manager",
        )
        Partner = self.env["res.partner"].with_user(contacts)
        with self.assertRaises(AccessError):
            Partner.create({"name": "Planted", "distributor_id": self.distributor_a.id})
        # nor through the defaults of the context (a create's defaults are
        # values too): a managing distributor, a distributor, a tier
        for key, value in (
            ("default_distributor_id", self.distributor_a.id),
            ("default_is_distributor", True),
            ("default_distributor_tier_id", self.tier_gold.id),
        ):
            with self.subTest(key=key), self.assertRaises(AccessError):
                Partner.with_context(**{key: value}).create({"name": "Planted"})
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "Planted")]),
        )
        # a contact of a managed company takes its company's distributor
        contact = Partner.create(
            {
                "name": "Contact of A",
                "parent_id": self.customer_a.id,
                "distributor_id": self.distributor_a.id,
            }
        )
        self.assertEqual(contact.distributor_id, self.distributor_a)
        # a channel user decides
        chosen = (
            self.env["res.partner"]
            .with_user(self.channel_user)
            .create({"name": "Chosen", "distributor_id": self.distributor_a.id})
        )
        self.assertEqual(chosen.distributor_id, self.distributor_a)

    def test_partner_with_a_login_is_not_moved(self):
        contacts = new_test_user(
            self.env,
            "sec_contacts_2",
            groups="base.group_user,base.group_partner_manager",
        )
        Partner = self.env["res.partner"].with_user(contacts)
        login = self.portal_cust_a.partner_id
        with self.assertRaisesRegex(UserError, "login"):
            Partner.create(
                {
                    "name": "Takeover Ltd",
                    "is_company": True,
                    "child_ids": [Command.link(login.id)],
                }
            )
        company = Partner.create({"name": "Takeover 2 Ltd", "is_company": True})
        with self.assertRaisesRegex(UserError, "login"):
            login.with_user(contacts).parent_id = company
        with self.assertRaisesRegex(UserError, "login"):
            company.write({"child_ids": [Command.set(login.ids)]})
        self.assertEqual(login.parent_id, self.customer_a)
        # contacts without a login move as before (outside the channel's
        # companies: TestPartnerMoves)
        elsewhere = self.env["res.partner"].create(
            {"name": "Elsewhere Ltd", "is_company": True}
        )
        plain = self.env["res.partner"].create(
            {"name": "Plain", "parent_id": elsewhere.id}
        )
        plain.with_user(contacts).parent_id = company
        self.assertEqual(plain.parent_id, company)


@tagged("post_install", "-at_install")
class TestProbeIssue24Again(ChannelPortalCase):
    """The second probe of the running demo, after issue 24: the contacts of
    a moved company, managing distributors changed by moving partners, and
    orders that become resale with the end customer following them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contacts = new_test_user(
            cls.env,
            "sec_contacts_3",
            groups="base.group_user,base.group_partner_manager",
        )

    # 2. a company whose contact has a login is moved ------------------------

    def test_company_with_a_login_contact_is_not_moved(self):
        company = self.customer_a  # its contact has customer A's portal user
        self.assertTrue(self.portal_cust_a.partner_id.parent_id == company)
        as_contacts = company.with_user(self.contacts)
        with self.assertRaisesRegex(UserError, "login"):
            as_contacts.write({"is_company": False, "parent_id": self.distributor_b.id})
        with self.assertRaisesRegex(UserError, "login"):
            self.distributor_b.with_user(self.contacts).write(
                {"child_ids": [Command.link(company.id)]}
            )
        company.invalidate_recordset()
        self.assertFalse(company.parent_id)
        self.assertEqual(self.portal_cust_a.partner_id.commercial_partner_id, company)
        # an administrator moves it
        company.write({"parent_id": self.distributor_b.id, "is_company": False})
        self.assertEqual(company.commercial_partner_id, self.distributor_b)

    # 3. moving partners changes their managing distributor ------------------

    def test_moving_partners_keeps_their_managing_distributor(self):
        Partner = self.env["res.partner"]
        harbor = Partner.create(
            {
                "name": "Harbor Hotels",
                "is_company": True,
                "distributor_id": self.distributor_a.id,
            }
        )
        zeta = Partner.create(
            {
                "name": "Zeta",
                "is_company": True,
                "distributor_id": self.distributor_b.id,
            }
        )
        free = Partner.create({"name": "Free Agent", "is_company": True})
        as_contacts = Partner.with_user(self.contacts)
        with self.assertRaisesRegex(AccessError, "channel users"):
            as_contacts.browse(harbor.id).write(
                {"is_company": False, "parent_id": zeta.id}
            )
        # a person (its own commercial entity) linked as a company's contact
        solo = Partner.create(
            {"name": "Solo Trader", "distributor_id": self.distributor_a.id}
        )
        with self.assertRaisesRegex(AccessError, "channel users"):
            as_contacts.browse(zeta.id).write({"child_ids": [Command.link(solo.id)]})
        # a company linked as a contact stays its own customer, but Zeta's
        # portal users would read it (third probe): refused too
        with self.assertRaisesRegex(AccessError, "channel users"):
            as_contacts.browse(zeta.id).write({"child_ids": [Command.link(harbor.id)]})
        self.assertEqual(harbor.distributor_id, self.distributor_a)
        self.assertFalse(harbor.parent_id)
        with self.assertRaisesRegex(AccessError, "channel users"):
            as_contacts.browse(free.id).write(
                {"is_company": False, "parent_id": harbor.id}
            )
        (harbor | free | solo).invalidate_recordset()
        self.assertEqual(harbor.distributor_id, self.distributor_a)
        self.assertEqual(solo.distributor_id, self.distributor_a)
        self.assertFalse(solo.parent_id)
        self.assertFalse(free.distributor_id)
        # a channel user decides
        as_channel = Partner.with_user(self.channel_user)
        as_channel.browse(free.id).write({"is_company": False, "parent_id": harbor.id})
        self.assertEqual(free.distributor_id, self.distributor_a)
        # detached, it would be a customer of that distributor: the channel
        # user's decision too; it keeps what the channel user gave it
        with self.assertRaisesRegex(AccessError, "channel users"):
            as_contacts.browse(free.id).write({"parent_id": False, "is_company": True})
        as_channel.browse(free.id).write({"parent_id": False, "is_company": True})
        self.assertEqual(free.distributor_id, self.distributor_a)
        self.assertFalse(free.parent_id)
        # a contact moving between the channel's companies changes its
        # managing distributor: a channel user's decision (third probe)
        person = Partner.create({"name": "Person", "parent_id": harbor.id})
        with self.assertRaisesRegex(AccessError, "channel users"):
            as_contacts.browse(person.id).parent_id = zeta
        self.assertEqual(person.distributor_id, self.distributor_a)
        as_channel.browse(person.id).parent_id = zeta
        self.assertEqual(person.distributor_id, self.distributor_b)

    # 7. an order that becomes resale keeps its end customer as follower ----

    def test_order_made_resale_drops_the_end_customer_follower(self):
        customer = self.portal_cust_b.partner_id
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer_b.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product_service.id, "product_uom_qty": 1}
                    )
                ],
            }
        )
        order.message_subscribe(partner_ids=customer.ids)
        self.assertIn(customer, order.message_partner_ids)
        order.write(
            {
                "distributor_id": self.distributor_b.id,
                "end_customer_id": self.customer_b.id,
                "financial_role": "distributor",
            }
        )
        order.invalidate_recordset(["message_partner_ids", "message_follower_ids"])
        self.assertNotIn(customer, order.message_partner_ids)
        # an agency order switched to resale
        agency = self._create_order(self.distributor_b, self.customer_b)
        self.assertEqual(agency.financial_role, "end_customer")
        agency.message_subscribe(partner_ids=customer.ids)
        self.assertIn(customer, agency.message_partner_ids)
        agency.write({"financial_role": "distributor"})
        agency.invalidate_recordset(["message_partner_ids", "message_follower_ids"])
        self.assertNotIn(customer, agency.message_partner_ids)


# The stored computed channel fields of an order: they say whose it is (the
# portal rules, the token), whether it is a channel order at all (the state
# guard, the consolidated billing) and what the distributor earns. Computed
# from the distributor, the end customer and the roles; no user writes them
# or gives them to a new order, over the ORM or JSON-RPC (eighth probe,
# P8-9: another distributor read a salesman's order and got its token, a
# confirmed order taken out of the channel was cancelled by a raw write and
# never billed). ``@name``: a record of the test case.
# field                 value
ORDER_COMPUTED_WRITES = """
is_channel_order        False
financial_partner_id    @distributor_a
business_partner_id     @customer_a
channel_commission      99999
channel_source          portal
"""


@tagged("post_install", "-at_install")
class TestProbeEighth(ChannelPortalCase):
    def _computed_value(self, value):
        if value.startswith("@"):
            return getattr(self, value[1:]).id
        if value == "False":
            return False
        return float(value) if value[0].isdigit() else value

    @mute_logger("odoo.http", "odoo.models")
    def test_salesman_never_writes_the_computed_channel_fields(self):
        order = self._create_order(
            self.distributor_b,
            self.customer_b,
            financial_role="distributor",
            user_id=self.salesman.id,
        )
        order.action_confirm()
        before = {
            name: order[name]
            for name in (
                "is_channel_order",
                "financial_partner_id",
                "business_partner_id",
            )
        }
        self.login(self.salesman)
        rows = [row.split() for row in ORDER_COMPUTED_WRITES.strip().splitlines()]
        for name, value in rows:
            value = self._computed_value(value)
            with self.subTest(field=name, path="orm"):
                with self.assertRaises(UserError):
                    order.with_user(self.salesman).write({name: value})
            with self.subTest(field=name, path="rpc"):
                result = self.call_kw("sale.order", "write", [order.ids, {name: value}])
                self.assertIn("error", result)
            with self.subTest(field=name, path="rpc create"):
                vals = self._order_vals(
                    self.distributor_b, self.customer_b, user_id=self.salesman.id
                )
                vals[name] = value
                result = self.call_kw("sale.order", "create", [vals])
                self.assertIn("error", result)
        order.invalidate_recordset()
        for name, value in before.items():
            self.assertEqual(order[name], value, name)
        # the state guard holds: still a channel order, not cancelled by a write
        result = self.call_kw("sale.order", "write", [order.ids, {"state": "cancel"}])
        self.assertIn("error", result)
        self.assertEqual(order.state, "sale")
        # another distributor neither reads it nor gets its token
        self.login(self.portal_dist_a)
        result = self.call_kw("sale.order", "read", [order.ids, ["name"]])
        self.assertIn("error", result)
        page = self.url_open(f"/my/orders/{order.id}", allow_redirects=False)
        self.assertNotIn(order._portal_ensure_token(), page.text)


@tagged("post_install", "-at_install")
class TestProbeNinth(ChannelPortalCase):
    """Ninth outside probe (issue 24)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's default on install: anyone signs up, invitations bind a
        # login to the invited partner
        cls.env["ir.config_parameter"].set_param("auth_signup.invitation_scope", "b2c")
        cls.employee = new_test_user(
            cls.env, "p9_emp", groups="base.group_user", password="p9_emp"
        )
        cls.distributor_a.email = "billing@distributor-a.example.com"

    def _signup(self, token, login):
        """The anonymous signup with ``token`` (the probe's second step):
        the user it made, if any."""
        self.login(None)
        self.url_open(f"/web/signup?token={token}")
        self.post_form(
            "/web/signup",
            {
                "token": token,
                "login": login,
                "name": "P9 Evil",
                "password": "p9-evil-password",
                "confirm_password": "p9-evil-password",
            },
            allow_redirects=False,
        )
        return (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("login", "=", login)])
        )

    @mute_logger("odoo.http", "odoo.addons.auth_signup.controllers.main")
    def test_employee_never_signs_up_as_a_distributor(self):
        """P9-8: a plain employee got a signup token of a distributor's
        company partner (no user of its own) over RPC, then signed up with
        it anonymously: the new portal user was the distributor."""
        company = self.distributor_a
        self.assertFalse(company.user_ids)
        contact = self.env["res.partner"].create(
            {
                "name": "P9 Buyer",
                "email": "buyer@distributor-a.example.com",
                "parent_id": self.distributor_a.id,
            }
        )
        self.login(self.employee)
        answer = self.call_kw(
            "res.partner", "signup_get_auth_param", [(company | contact).ids]
        )
        tokens = {
            int(pid): params.get("auth_signup_token")
            for pid, params in (answer.get("result") or {}).items()
        }
        for partner, login in ((company, "evil@p9.example"), (contact, "evil2@p9")):
            if tokens.get(partner.id):
                user = self._signup(tokens[partner.id], login)
                self.assertFalse(user, f"{partner.name} signed up by an employee")
        self.assertFalse(company.user_ids)
        self.assertFalse(contact.user_ids)
        self.assertIn("error", answer)
        # outside the channel, Odoo's b2c invitations as before
        plain = self.env["res.partner"].create(
            {"name": "P9 Plain", "email": "plain@p9.example", "is_company": True}
        )
        self.login(self.employee)
        answer = self.call_kw("res.partner", "signup_get_auth_param", [plain.ids])
        self.assertTrue(answer["result"][str(plain.id)]["auth_signup_token"])

    @mute_logger("odoo.http", "odoo.addons.auth_signup.controllers.main")
    def test_no_login_bound_to_a_channel_company(self):
        """P9-8: whoever mints it (Odoo's notifications do, as superuser,
        for the customer of an order), a signup token never binds a new
        login to a company partner of the channel (a distributor, a managed
        end customer's company); a contact of one is invited by those who
        grant portal access."""
        for company in (self.distributor_a, self.customer_a):
            with self.subTest(company=company.name):
                self.assertFalse(company.user_ids)
                params = company.sudo().signup_get_auth_param()[company.id]
                self.assertNotIn("auth_signup_token", params)
                company.sudo().signup_prepare()
                token = company.sudo()._generate_signup_token()
                user = self._signup(token, f"p9-{company.id}@p9.example")
                self.assertFalse(user)
                self.assertFalse(company.user_ids)
        # a contact of the distributor, invited by a channel manager
        contact = self.env["res.partner"].create(
            {
                "name": "P9 Invited",
                "email": "invited@distributor-a.example.com",
                "parent_id": self.distributor_a.id,
            }
        )
        params = contact.with_user(self.channel_manager).signup_get_auth_param()
        user = self._signup(params[contact.id]["auth_signup_token"], "invited@p9")
        self.assertEqual(user.partner_id, contact)
        self.assertTrue(user._is_portal())


# The ninth probe (P9-5, P9-9): the stored computes of a channel order and of
# its lines (computed, no inverse, not ``readonly=False``): the line's
# totals, which the distributor's commission is computed from (a written
# ``price_subtotal`` of 100,000.00 made the commission of a 1,200.00 agency
# line 99,160.00, carried to its invoice and the payout), its commission,
# how its delivered quantity is counted; the order's totals and currency
# rate. No user writes them on a channel order, over the ORM or JSON-RPC,
# nor gives them to a line added to one.
# model            field                  value
STORED_COMPUTE_WRITES = """
sale.order.line  price_subtotal           100000
sale.order.line  price_total              100000
sale.order.line  price_tax                5000
sale.order.line  price_reduce_taxexcl     100000
sale.order.line  price_reduce_taxinc      100000
sale.order.line  channel_commission       99999
sale.order.line  qty_delivered_method     analytic
sale.order       currency_rate            2
sale.order       amount_untaxed           1
sale.order       amount_total             1
"""


@tagged("post_install", "-at_install")
class TestProbeNinthComputes(ChannelPortalCase):
    @mute_logger("odoo.http", "odoo.models")
    def test_salesman_never_writes_the_stored_computes_of_a_channel_order(self):
        order = self._create_order(
            self.distributor_b,
            self.customer_b,
            financial_role="end_customer",
            user_id=self.salesman.id,
        )
        order.action_confirm()
        line = order.order_line[:1]
        before = {
            "subtotal": line.price_subtotal,
            "commission": line.channel_commission,
            "order_commission": order.channel_commission,
            "total": order.amount_total,
        }
        self.login(self.salesman)
        for row in STORED_COMPUTE_WRITES.strip().splitlines():
            model, name, value = row.split()
            value = float(value) if value[0].isdigit() else value
            records = order if model == "sale.order" else line
            with self.subTest(model=model, field=name, path="orm"):
                with self.assertRaises(UserError):
                    records.with_user(self.salesman).write({name: value})
            with self.subTest(model=model, field=name, path="rpc"):
                result = self.call_kw(model, "write", [records.ids, {name: value}])
                self.assertIn("error", result)
            if model == "sale.order.line":
                with self.subTest(model=model, field=name, path="rpc create"):
                    vals = {
                        "order_id": order.id,
                        "product_id": line.product_id.id,
                        name: value,
                    }
                    result = self.call_kw(model, "create", [vals])
                    self.assertIn("error", result)
        order.invalidate_recordset()
        line.invalidate_recordset()
        self.assertEqual(order.order_line, line)
        self.assertEqual(line.price_subtotal, before["subtotal"])
        self.assertEqual(line.channel_commission, before["commission"])
        self.assertEqual(order.channel_commission, before["order_commission"])
        self.assertEqual(order.amount_total, before["total"])
        # the order is still edited as before: a line added, its price set
        added = (
            self.env["sale.order.line"]
            .with_user(self.salesman)
            .create({"order_id": order.id, "product_id": line.product_id.id})
        )
        added.with_user(self.salesman).write({"product_uom_qty": 3})
        self.assertEqual(added.product_uom_qty, 3)


@tagged("post_install", "-at_install")
class TestProbeTenth(ChannelPortalCase):
    """Tenth outside probe (issue 24)."""

    def test_portal_users_get_no_order_onchange(self):
        """P10-4: a portal user (an end customer, another distributor)
        priced a made-up order at any distributor's book through the web
        client's ``onchange`` over JSON-RPC (969.60 at a Gold book against
        a list of 1,212.00). Portal users order through the product's
        forms; the vendor's users keep the form's onchange."""
        values = {
            "distributor_id": self.distributor_b.id,
            "end_customer_id": self.customer_b.id,
            "order_line": [
                [0, "v1", {"product_id": self.product_service.id, "product_uom_qty": 1}]
            ],
        }
        line_values = {"product_id": self.product_service.id, "product_uom_qty": 1}
        line_spec = {"product_id": {}, "product_uom_qty": {}, "price_subtotal": {}}
        calls = (
            (
                "sale.order",
                values,
                ["order_line"],
                {
                    "distributor_id": {},
                    "end_customer_id": {},
                    "order_line": {"fields": line_spec},
                    "amount_untaxed": {},
                },
            ),
            ("sale.order.line", line_values, ["product_id"], line_spec),
        )
        # Nor internal users without sales rights (eleventh probe, P11-11:
        # a plain employee, a Contact Creation user priced baskets at any
        # distributor's book, and a line at an order it may not read).
        employee = new_test_user(
            self.env, "p11_oc_emp", groups="base.group_user", password="p11_oc_emp"
        )
        contacts = new_test_user(
            self.env,
            "p11_oc_cc",
            groups="base.group_user,base.group_partner_manager",
            password="p11_oc_cc",
        )
        for user in (self.portal_cust_a, self.portal_dist_a, employee, contacts):
            self.login(user)
            for model, vals, names, spec in calls:
                with self.subTest(user=user.login, model=model):
                    result = self.call_kw(model, "onchange", [[], vals, names, spec])
                    self.assertEqual(
                        result.get("error", {}).get("data", {}).get("name"),
                        "odoo.exceptions.AccessError",
                    )
                    self.assertNotIn("result", result)
        self.login(self.salesman)
        result = self.call_kw(
            "sale.order", "onchange", [[], values, ["order_line"], calls[0][3]]
        )
        self.assertIn("amount_untaxed", result["result"]["value"])
        # A salesman prices no line at the book of an order it may not read.
        line_values["order_id"] = self.order_a.id
        spec = {**line_spec, "order_id": {}}
        result = self.call_kw(
            "sale.order.line", "onchange", [[], line_values, ["product_id"], spec]
        )
        self.assertEqual(
            result.get("error", {}).get("data", {}).get("name"),
            "odoo.exceptions.AccessError",
        )

    def test_locked_order_is_not_cancelled_by_a_wizard(self):
        """P10-8: Odoo's *Cancel quotations* wizard calls ``_action_cancel``
        directly, past *Cancel*'s lock check: the own-documents salesman
        cancelled his locked confirmed channel order through it. A locked
        channel order is refused on every path (the order named); unlocked,
        the wizard cancels it."""
        order = self._create_order(
            self.distributor_a, self.customer_a, user_id=self.salesman.id
        )
        order.action_confirm()
        order.action_lock()
        wizard = (
            self.env["sale.mass.cancel.orders"]
            .with_user(self.salesman)
            .create({"sale_order_ids": [Command.set(order.ids)]})
        )
        with self.assertRaisesRegex(UserError, order.name):
            wizard.action_mass_cancel()
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.locked)
        order.action_unlock()
        wizard.action_mass_cancel()
        self.assertEqual(order.state, "cancel")


@tagged("post_install", "-at_install")
class TestProbeEleventh(ChannelPortalCase):
    """Eleventh outside probe (issue 24)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = new_test_user(
            cls.env, "p11_emp", groups="base.group_user", password="p11_emp"
        )
        # A quotation of A sent by the vendor: A (resale) signs and pays it.
        cls.quote_a = cls._create_order(cls.distributor_a, cls.customer_a)
        cls.quote_a.write({"require_signature": True, "require_payment": True})
        cls.quote_a.action_quotation_sent()
        cls.token_a = cls.quote_a._portal_ensure_token()

    def _payment_link_token(self, partner, currency):
        """The token of a payment link of 1.00 for ``partner`` (what
        ``payment.link.wizard`` makes: an HMAC of the partner, the amount
        and the currency; Odoo's helper needs a request)."""
        values = f"{partner.id}|1.0|{currency.id}"
        return hmac(self.env(su=True), "generate_access_token", values)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_order_token_only_for_its_readers(self):
        """P11-7: ``get_portal_url`` and ``action_preview_sale_order`` gave
        any employee (and a salesman, on another's order) the access token
        of an order it may not read; it then signed the order anonymously
        for the distributor."""
        for user in (self.employee, self.salesman):
            self.login(user)
            for method in ("get_portal_url", "action_preview_sale_order"):
                with self.subTest(user=user.login, method=method):
                    result = self.call_kw("sale.order", method, [self.quote_a.ids])
                    self.assertIn("error", result)
                    self.assertNotIn(self.token_a, json.dumps(result))
        # The vendor's readers keep Odoo's preview.
        self.login(self.channel_manager)
        result = self.call_kw("sale.order", "get_portal_url", [self.quote_a.ids])
        self.assertIn(self.token_a, result["result"])

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_payment_link_token_opens_no_channel_order(self):
        """P11-3: a payment link's token (partner, amount, currency: any
        salesman minted one for any partner) opened Odoo's payment page of
        a channel order, which handed out the order's access token (its
        page, signing)."""
        self._payment_provider()
        link_token = self._payment_link_token(
            self.quote_a.partner_invoice_id, self.quote_a.currency_id
        )
        url = (
            f"/payment/pay?sale_order_id={self.quote_a.id}&amount=1.0"
            f"&access_token={link_token}"
        )
        for user in (None, self.employee, self.portal_cust_a):
            self.login(user)
            with self.subTest(user=user and user.login):
                page = self.url_open(url)
                self.assertNotIn(self.token_a, page.text)
                self.assertNotEqual(page.status_code, 200)
        # Its invoiced party, logged in, pays from there as in Odoo.
        self.login(self.portal_dist_a)
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.token_a, page.text)

    def test_payment_link_only_for_the_invoiced_party(self):
        """P11-3: the payment link wizard minted a token for any partner and
        amount on any order: on a channel order, only a reader makes one,
        for the order's invoiced party in its currency."""
        Wizard = self.env["payment.link.wizard"]
        values = {
            "res_model": "sale.order",
            "res_id": self.quote_a.id,
            "amount": 1.0,
            "currency_id": self.quote_a.currency_id.id,
            "partner_id": self.quote_a.partner_invoice_id.id,
        }
        with self.assertRaises(AccessError):
            Wizard.with_user(self.salesman).create(values)
        with self.assertRaisesRegex(ValidationError, "is for"):
            Wizard.with_user(self.channel_manager).create(
                {**values, "partner_id": self.distributor_b.id}
            )
        wizard = Wizard.with_user(self.channel_manager).create(values)
        self.assertEqual(wizard.partner_id, self.quote_a.partner_invoice_id)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_payment_link_of_a_partner_pays_no_channel_order(self):
        """Payment links on other records (README *Security*): an internal
        user with the payment link's rights makes one for any partner and
        amount on a record that is no channel document (Odoo's feature:
        here a salesman on a contact, for distributor A and the amount of
        A's quotation, named after it). It proves a partner, an amount and
        a currency only: it never opens A's quotation nor pays it (its
        holder pays that amount as A: an unmatched payment of A, for
        finance to match)."""
        provider, method = self._payment_provider()
        # its payments go to the bank journal (a real provider's method line)
        self.env["account.payment.method.line"].create(
            {
                "name": "T Provider",
                "journal_id": self.env["account.journal"]
                .search(
                    [("company_id", "=", self.env.company.id), ("type", "=", "bank")],
                    limit=1,
                )
                .id,
                "payment_method_id": self.env.ref(
                    "account.account_payment_method_manual_in"
                ).id,
                "payment_provider_id": provider.id,
            }
        )
        provider.invalidate_recordset(["journal_id"])
        order = self.quote_a
        partner = order.partner_invoice_id
        currency = order.currency_id
        amount = order.amount_total
        wizard = (
            self.env["payment.link.wizard"]
            .with_user(self.salesman)
            .create(
                {
                    "res_model": "res.partner",
                    "res_id": self.salesman.partner_id.id,
                    "amount": amount,
                    "currency_id": currency.id,
                    "partner_id": partner.id,
                }
            )
        )
        self.assertEqual(wizard.partner_id, partner)
        # its token (Odoo's helper needs a request): partner, amount, currency
        token = hmac(
            self.env(su=True),
            "generate_access_token",
            f"{partner.id}|{amount}|{currency.id}",
        )
        link = (
            f"/payment/pay?amount={amount}&access_token={token}"
            f"&currency_id={currency.id}&partner_id={partner.id}"
            f"&reference={order.name}"
        )
        self.login(None)
        page = self.url_open(link)
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(self.token_a, page.text)
        # the order named in the link: neither its page nor its token
        page = self.url_open(f"{link}&sale_order_id={order.id}")
        self.assertNotEqual(page.status_code, 200)
        self.assertNotIn(self.token_a, page.text)
        # nor its payment route, with the link's token as the order's
        values = {
            "provider_id": provider.id,
            "payment_method_id": method.id,
            "token_id": None,
            "amount": amount,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": "/payment/confirmation",
        }
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                f"/my/orders/{order.id}/transaction",
                {**values, "access_token": token},
            )
        # nor Odoo's payment of the link's partner, the order named in it
        Transaction = self.env["payment.transaction"].sudo()
        before = Transaction.search([])
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/payment/transaction",
                {
                    **values,
                    "currency_id": currency.id,
                    "partner_id": partner.id,
                    "access_token": token,
                    "sale_order_id": order.id,
                },
            )
        self.assertEqual(Transaction.search([]), before)
        self.make_jsonrpc_request(
            "/payment/transaction",
            {
                **values,
                "currency_id": currency.id,
                "partner_id": partner.id,
                "access_token": token,
                "reference_prefix": order.name,
            },
        )
        tx = Transaction.search([]) - before
        self.assertEqual(len(tx), 1)
        self.assertFalse(tx.sale_order_ids)
        tx._set_done()
        tx._post_process()
        order.invalidate_recordset()
        self.assertFalse(order.transaction_ids)
        self.assertEqual(order.state, "sent")
        self.assertFalse(order.amount_paid)
        self.assertFalse(order.signed_by)
        # what was paid is A's, not matched to any document
        self.assertEqual(tx.payment_id.partner_id, partner.commercial_partner_id)
        self.assertFalse(tx.invoice_ids)

    def test_company_time_zone_by_administrators_only(self):
        """P10-2's follow-up: the day of a run by hand (billing,
        settlement) is the company's, in its partner's time zone, which
        whoever edits contacts wrote over RPC (a salesman, Contact
        Creation): the billing day moved. Settings and ERP managers set
        it; a contact's own time zone stays Contact Creation's."""
        partner = self.env.company.partner_id
        partner.tz = "UTC"
        contacts = new_test_user(
            self.env,
            "p11_tz_contacts",
            groups="base.group_user,base.group_partner_manager",
        )
        for user in (self.salesman, contacts):
            attempts = {
                "write": lambda u=user: partner.with_user(u).write(
                    {"tz": "Pacific/Kiritimati"}
                ),
                "web_save": lambda u=user: partner.with_user(u).web_save(
                    {"tz": "Pacific/Kiritimati"}, {}
                ),
            }
            for path, attempt in attempts.items():
                with self.subTest(user=user.login, path=path):
                    with self.assertRaisesRegex(AccessError, "time zone"):
                        attempt()
                    self.assertEqual(partner.tz, "UTC")
            # the value it has (a form saving what it read) passes, and a
            # contact's own time zone is Contact Creation's
            partner.with_user(user).write({"tz": "UTC", "phone": "+32 9 000 00 11"})
            self.customer_a.with_user(user).write({"tz": "Pacific/Kiritimati"})
            self.assertEqual(self.customer_a.tz, "Pacific/Kiritimati")
        for groups in ("base.group_erp_manager", "base.group_system"):
            admin = new_test_user(
                self.env,
                f"p11_tz_{groups[11:]}",
                groups=f"base.group_user,base.group_partner_manager,{groups}",
            )
            partner.with_user(admin).write({"tz": "Europe/Brussels"})
            self.assertEqual(partner.tz, "Europe/Brussels")
            partner.with_user(admin).web_save({"tz": "UTC"}, {})
            self.assertEqual(partner.tz, "UTC")


@tagged("post_install", "-at_install")
class TestProbeFourteenth(ChannelPortalCase):
    """Fourteenth outside probe."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Addresses of their own (new_test_user gives them one in common)
        for user in (cls.portal_dist_a, cls.portal_dist_b, cls.portal_cust_a):
            user.partner_id.email = f"{user.login}@example.com"
        # a country: /my/account shows it again (Odoo's form reads it as a
        # number when it answers with an error)
        cls.portal_cust_a.partner_id.country_id = cls.env.ref("base.be")
        # End customer B's buyer: a contact without a login, of another
        # distributor's customer.
        cls.buyer_b = cls.env["res.partner"].create(
            {
                "name": "Buyer B",
                "email": "Buyer.B@custb.example.com",
                "parent_id": cls.customer_b.id,
            }
        )

    def _account_form(self, email):
        partner = self.portal_cust_a.partner_id
        return self.post_form(
            "/my/account",
            {
                "name": partner.name,
                "email": email,
                "phone": "+32 9 000 00 14",
                "street": "Kouter 1",
                "city": "Ghent",
                "zipcode": "9000",
                "country_id": str(self.env.ref("base.be").id),
            },
        )

    @mute_logger("odoo.http")
    def test_portal_user_never_takes_another_partys_email(self):
        """P14-1: a portal user set its own e-mail (``/my/account``, or
        ``res.users.write`` over JSON-RPC) to another party's contact
        address; the mail gateway then made that contact's mails to the
        helpdesk the portal user's tickets, and the contact's password
        reset answered "Multiple accounts"."""
        user = self.portal_cust_a
        own = user.partner_id.email
        taken = {
            "login of another distributor": self.portal_dist_b.partner_id.email,
            "contact of another end customer": "buyer.b@CUSTB.example.com",
            "among others": f"x@example.org, {self.buyer_b.email}",
        }
        self.login(user)
        for case, email in taken.items():
            with self.subTest(case=case, path="rpc"):
                result = self.call_kw(
                    "res.users", "write", [user.ids, {"email": email}]
                )
                self.assertIn("error", result)
                self.assertIn("another party", result["error"]["data"]["message"])
                self.assertEqual(user.partner_id.email, own)
            with self.subTest(case=case, path="/my/account"):
                page = self._account_form(email)
                self.assertEqual(page.status_code, 200)
                # (Odoo's form takes one address: several are its error)
                if "," not in email:
                    self.assertIn("another party", page.text)
                user.partner_id.invalidate_recordset()
                self.assertEqual(user.partner_id.email, own)
        # an address of its own company, or a new one, is its own
        colleague = self.env["res.partner"].create(
            {
                "name": "Colleague A",
                "email": "desk@custa.example.com",
                "parent_id": self.customer_a.id,
            }
        )
        result = self.call_kw(
            "res.users", "write", [user.ids, {"email": colleague.email}]
        )
        self.assertEqual(result.get("result"), True, result)
        page = self._account_form("new.a@custa.example.com")
        self.assertEqual(page.status_code, 200)
        user.partner_id.invalidate_recordset()
        self.assertEqual(user.partner_id.email, "new.a@custa.example.com")
        # the vendor's people and administrators keep Odoo's flows
        self.salesman.with_user(self.salesman).write({"email": "sales@example.com"})
        self.assertEqual(self.salesman.email, "sales@example.com")
        admin = new_test_user(
            self.env,
            "p14_admin",
            groups="base.group_user,base.group_partner_manager,base.group_erp_manager",
        )
        self.portal_cust_b.partner_id.with_user(admin).write(
            {"email": "buyer.b.login@custb.example.com"}
        )
        self.assertEqual(
            self.portal_cust_b.partner_id.email, "buyer.b.login@custb.example.com"
        )

    def _manager_of(self, login, companies):
        return new_test_user(
            self.env,
            login,
            groups="channel_distribution.group_channel_manager,"
            "base.group_partner_manager",
            company_id=companies[0].id,
            company_ids=[Command.set(companies.ids)],
        )

    def test_channel_terms_of_another_companys_partners(self):
        """P14-3: a channel manager of company 2 only rewrote the terms of a
        distributor shared by the companies (``company_id`` empty) whose
        business is company 1's (invoiced party, salesperson, archived, no
        distributor any more), and moved company 1's end customer to its
        own company's distributor, whose portal then managed it."""
        company_2, _env2, distributor_2, _customer_2 = self._second_company_channel()
        manager_2 = self._manager_of("p14_mgr_2", company_2)
        both = self._manager_of("p14_mgr_both", self.company | company_2)
        self.assertFalse(self.distributor_a.company_id)
        writes = {
            "channel_financial_role": "end_customer",
            "user_id": manager_2.id,
            "active": False,
            "is_distributor": False,
        }
        for name, value in writes.items():
            with self.subTest(field=name):
                with self.assertRaisesRegex(UserError, "company"):
                    self.distributor_a.with_user(manager_2).write({name: value})
        with self.assertRaisesRegex(UserError, "company"):
            self.customer_a.with_user(manager_2).write(
                {"distributor_id": distributor_2.id}
            )
        # a manager of both companies does not give company 1's customer
        # to a distributor of company 2 only either
        with self.assertRaisesRegex(UserError, "company"):
            self.customer_a.with_user(both).write({"distributor_id": distributor_2.id})
        self.assertEqual(self.customer_a.distributor_id, self.distributor_a)
        self.assertTrue(self.distributor_a.is_distributor)
        # company 1's managers keep them, company 2's its own distributor
        self.customer_a.with_user(self.channel_manager).write(
            {"distributor_id": self.distributor_b.id}
        )
        self.distributor_a.with_user(both).write(
            {"channel_financial_role": "end_customer", "user_id": both.id}
        )
        self.assertEqual(self.distributor_a.user_id, both)
        distributor_2.with_user(manager_2).write(
            {"channel_financial_role": "end_customer", "user_id": manager_2.id}
        )
        self.assertEqual(distributor_2.channel_financial_role, "end_customer")

    def test_followers_of_a_channel_order_are_its_audience(self):
        """P14-5: a channel user made another distributor's contact and its
        end customer followers of a distributor's order
        (``message_subscribe``): everything posted on it reached them."""
        outsiders = {
            self.order_a: self.portal_dist_b.partner_id | self.portal_cust_b.partner_id,
            self.order_b: self.portal_dist_a.partner_id | self.portal_cust_a.partner_id,
        }
        insiders = {
            # resale: the distributor's people (its end customer never)
            self.order_a: self.portal_dist_a.partner_id,
            # agency: the invoiced end customer's and the distributor's
            self.order_b: self.portal_cust_b.partner_id | self.portal_dist_b.partner_id,
        }
        internal = self.salesman.partner_id
        for order, partners in outsiders.items():
            with self.subTest(order=order.name):
                order.with_user(self.channel_user).message_subscribe(
                    partner_ids=(partners | insiders[order] | internal).ids
                )
                self.assertFalse(order.message_partner_ids & partners)
                self.assertEqual(
                    order.message_partner_ids & (insiders[order] | internal),
                    insiders[order] | internal,
                )
        # an order outside the channel keeps Odoo's followers
        direct = self._create_direct_order(self._create_direct_customer())
        direct.message_subscribe(partner_ids=self.portal_dist_b.partner_id.ids)
        self.assertIn(self.portal_dist_b.partner_id, direct.message_partner_ids)

    @mute_logger("odoo.http")
    def test_signup_prepare_names_no_partner_it_does_not_read(self):
        """P14-6: ``res.partner.signup_prepare`` by a portal user named any
        partner of the channel by id (the guard answered before Odoo's
        access error)."""
        self.login(self.portal_dist_a)
        result = self.call_kw("res.partner", "signup_prepare", [self.distributor_b.ids])
        self.assertIn("error", result)
        self.assertNotIn("Distributor B", result["error"]["data"]["message"])


@tagged("post_install", "-at_install")
class TestProbeFifteenth(ChannelPortalCase):
    """Fifteenth outside probe: partners, companies and logins."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact_creation = new_test_user(
            cls.env,
            "p15_cc",
            groups="base.group_user,base.group_partner_manager",
        )
        cls.company_2, _env2, cls.distributor_2, _customer_2 = (
            cls._second_company_channel(cls)
        )
        cls.user_2 = new_test_user(
            cls.env,
            "p15_user_2",
            groups="channel_distribution.group_channel_user,"
            "base.group_partner_manager",
            company_id=cls.company_2.id,
            company_ids=[Command.set(cls.company_2.ids)],
        )
        cls.manager_2 = new_test_user(
            cls.env,
            "p15_mgr_2",
            groups="channel_distribution.group_channel_manager,"
            "base.group_partner_manager",
            company_id=cls.company_2.id,
            company_ids=[Command.set(cls.company_2.ids)],
        )
        # Greenfield: company 1's end customer of distributor A, no login
        cls.greenfield = cls.env["res.partner"].create(
            {
                "name": "P15 Greenfield",
                "is_company": True,
                "distributor_id": cls.distributor_a.id,
                "street": "1 Green St",
            }
        )
        cls._create_order(cls.distributor_a, cls.greenfield)

    def test_moves_and_company_of_another_companys_partners(self):
        """P15-3: company 2's channel user moved company 1's end customer
        under company 2's distributor (``parent_id``, or the distributor's
        ``child_ids``; Zeta's portal read it), and gave company 1's
        distributor and end customer the ``company_id`` 2 (company 1's
        users no longer read them, their billing failed)."""
        greenfield = self.greenfield.with_user(self.user_2)
        moves = {
            "parent_id": lambda: greenfield.write({"parent_id": self.distributor_2.id}),
            "child_ids": lambda: self.distributor_2.with_user(self.user_2).write(
                {"child_ids": [Command.link(self.greenfield.id)]}
            ),
            "person": lambda: greenfield.write(
                {"is_company": False, "parent_id": self.distributor_2.id}
            ),
        }
        for case, move in moves.items():
            with (
                self.subTest(case=case),
                self.assertRaisesRegex(UserError, "does business in"),
            ):
                move()
        self.assertFalse(self.greenfield.parent_id)
        self.assertEqual(self.greenfield.street, "1 Green St")
        for partner in (self.distributor_a, self.greenfield):
            for user in (self.user_2, self.contact_creation):
                with self.subTest(partner=partner.name, user=user.login):
                    with self.assertRaises(UserError):
                        partner.with_user(user).write({"company_id": self.company_2.id})
        self.assertFalse(self.distributor_a.company_id)
        self.assertFalse(self.greenfield.company_id)
        # a channel user of both companies does not give company 1's
        # partners to company 2 either (company 1's orders would be lost)
        both = new_test_user(
            self.env,
            "p15_user_both",
            groups="channel_distribution.group_channel_user,"
            "base.group_partner_manager",
            company_ids=[Command.set((self.company | self.company_2).ids)],
        )
        with self.assertRaisesRegex(UserError, "does business in"):
            self.greenfield.with_user(both).write({"company_id": self.company_2.id})
        # company 1's channel users keep their moves and companies
        self.greenfield.with_user(self.channel_user).write(
            {"parent_id": self.distributor_b.id}
        )
        self.assertEqual(self.greenfield.parent_id, self.distributor_b)
        self.greenfield.with_user(self.channel_user).write({"parent_id": False})
        self.greenfield.with_user(self.channel_user).write(
            {"company_id": self.company.id}
        )
        self.assertEqual(self.greenfield.company_id, self.company)

    def test_terms_of_another_companys_distributor(self):
        """P15-4: company 2's channel manager changed terms of company 1's
        distributor that are not stored per company (vendor bills posted
        unreviewed, payment terms) and gave it a bank account: company 1's
        commission payout to it was paid there."""
        distributor = self.distributor_a.with_user(self.manager_2)
        writes = {
            "autopost_bills": "always",
            "property_payment_term_id": self.env.ref(
                "account.account_payment_term_30days"
            ).id,
            "property_supplier_payment_term_id": self.env.ref(
                "account.account_payment_term_immediate"
            ).id,
        }
        for name, value in writes.items():
            with self.subTest(field=name):
                with self.assertRaisesRegex(UserError, "does business in"):
                    distributor.write({name: value})
        self.assertNotEqual(self.distributor_a.autopost_bills, "always")
        Bank = self.env["res.partner.bank"].with_user(self.manager_2)
        with self.assertRaisesRegex(UserError, "does business in"):
            Bank.create(
                {"partner_id": self.distributor_a.id, "acc_number": "XX00EVILP15"}
            )
        self.assertFalse(self.distributor_a.bank_ids)
        # company 1's manager keeps them, company 2's its own distributor's
        self.distributor_a.with_user(self.channel_manager).write(
            {"autopost_bills": "always"}
        )
        self.assertEqual(self.distributor_a.autopost_bills, "always")
        self.env["res.partner.bank"].with_user(self.channel_manager).create(
            {"partner_id": self.distributor_a.id, "acc_number": "BE00P15OWN"}
        )
        self.distributor_2.with_user(self.manager_2).write({"autopost_bills": "always"})
        self.env["res.partner.bank"].with_user(self.manager_2).create(
            {"partner_id": self.distributor_2.id, "acc_number": "BE00P15TWO"}
        )

    def _other_value(self, partner, name):
        """A value of the field ``name`` other than ``partner``'s (as
        written), or None when there is none to give."""
        field = partner._fields[name]
        current = partner[name]
        if field.type == "boolean":
            return not current
        if field.type == "selection":
            options = field._description_selection(self.env)
            others = [key for key, __ in options if key != current]
            return others[0] if others else None
        if field.type in ("integer", "float", "monetary"):
            return (current or 0) + 7
        if field.type == "date":
            return "2031-01-01"
        if field.type in ("char", "text"):
            return f"p15 {name}"
        if field.type in ("many2one", "many2many", "one2many"):
            Comodel = self.env[field.comodel_name].sudo()
            if field.type == "one2many":
                return None
            exclude = current.ids
            if field.comodel_name == "product.pricelist":
                # the one it gets (its own, its tier's, the default) is no
                # other price book
                exclude = exclude + partner.property_product_pricelist.ids
            other = Comodel.search([("id", "not in", exclude)], limit=1)
            if not other:
                return None
            if field.type == "many2one":
                return other.id
            return [Command.link(other.id)]
        return None

    def test_every_channel_term_by_a_user_of_its_companies(self):
        """P15-4 by default: every channel term of a distributor
        (``_channel_company_terms_fields``, each addon's included) changed
        by a user of another company who holds every group that sets terms
        is refused for the company, before anything is written."""
        groups = [
            "channel_distribution.group_channel_manager",
            "account.group_account_manager",
            "commission_oca.group_commission_manager",
            "account_credit_control.group_account_credit_control_manager",
            "base.group_partner_manager",
            "base.group_erp_manager",
        ]
        self.manager_2.groups_id |= self.env["res.groups"].union(
            *(
                self.env.ref(xmlid, raise_if_not_found=False) or self.env["res.groups"]
                for xmlid in groups
            )
        )
        distributor = self.distributor_a.with_user(self.manager_2)
        names = sorted(self.env["res.partner"]._channel_company_terms_fields())
        self.assertIn("autopost_bills", names)
        self.assertIn("company_id", names)
        checked = []
        for name in names:
            value = self._other_value(distributor.sudo(), name)
            if value is None:
                continue
            checked.append(name)
            with self.subTest(field=name):
                with self.assertRaisesRegex(UserError, "does business in"):
                    distributor.write({name: value})
        self.assertGreater(len(checked), len(names) // 2, checked)

    def test_invoicing_email_of_a_channel_company(self):
        """P15-8: an employee with Contact Creation pointed the e-mail of a
        distributor's company partner (no login, so writable) at its own
        mailbox; finance's mails to the invoiced party then gave it the
        invoice's access token. The e-mail of a company of the channel (a
        distributor, a managed end customer) is changed by those who set
        its terms, of its companies."""
        for partner in (self.distributor_a, self.customer_a):
            for user in (self.contact_creation, self.channel_user, self.manager_2):
                with self.subTest(partner=partner.name, user=user.login):
                    with self.assertRaises(UserError):
                        partner.with_user(user).write(
                            {"email": "mailbox@attacker.example.com"}
                        )
            self.assertNotEqual(partner.email, "mailbox@attacker.example.com")
        # its contacts without a login, partners outside the channel: Odoo's
        contact = self.env["res.partner"].create(
            {"name": "P15 Desk", "parent_id": self.distributor_a.id}
        )
        contact.with_user(self.contact_creation).write({"email": "desk@a.example.com"})
        plain = self.env["res.partner"].create(
            {"name": "P15 Plain", "is_company": True}
        )
        plain.with_user(self.contact_creation).write({"email": "plain@p15.example"})
        # channel and accounting managers of its companies change it
        self.distributor_a.with_user(self.channel_manager).write(
            {"email": "billing@distributor-a.example.com"}
        )
        self.assertEqual(self.distributor_a.email, "billing@distributor-a.example.com")
        # a distributor's portal user keeps changing its own e-mail (P14-1)
        user = self.portal_dist_a
        user.with_user(user).write({"email": "me.p15@distributor-a.example.com"})
        self.assertEqual(user.partner_id.email, "me.p15@distributor-a.example.com")


@tagged("post_install", "-at_install")
class TestProbeFifteenthMail(ChannelPortalCase):
    """Fifteenth outside probe: mail (P15-1, P15-5)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stranger = cls.env["res.partner"].create(
            {"name": "T Stranger", "email": "stranger@elsewhere.example.com"}
        )

    def _zeta_user(self):
        """The portal user of a second company's distributor (no order, no
        ticket at all)."""
        company_2, _env2, distributor, _customer = self._second_company_channel()
        contact = self.env["res.partner"].create(
            {
                "name": "Zeta Buyer",
                "email": "buyer@zeta.example.com",
                "parent_id": distributor.id,
            }
        )
        return new_test_user(
            self.env,
            "p15_zeta",
            groups="base.group_portal",
            partner_id=contact.id,
            password="p15_zeta",
            company_id=company_2.id,
            company_ids=[Command.set(company_2.ids)],
        )

    @mute_logger("odoo.http")
    def test_portal_user_notifies_nobody(self):
        """P15-1: every portal user (a distributor's, an end customer's, a
        second company's distributor's) mailed any partner From the
        vendor's "Billing" with ``message_notify`` over ``call_kw``, with no
        record at all or on its own order (P14-2's fix covered
        ``message_post`` only). Refused to them, through the ORM too; Odoo's
        flows running as superuser and internal users keep it."""
        kwargs = notify_kwargs(self.stranger)
        zeta = self._zeta_user()
        for user, records in (
            (self.portal_dist_b, [[], self.order_b.ids]),
            (self.portal_cust_b, [[], self.order_b.ids]),
            (zeta, [[]]),
        ):
            self.login(user)
            for ids in records:
                model = "sale.order" if ids else "res.partner"
                with self.subTest(user=user.login, model=model, path="rpc"):
                    result = self.call_kw(model, "message_notify", [ids], kwargs)
                    self.assertIn("error", result)
                    self.assertEqual(
                        result["error"]["data"]["name"],
                        "odoo.exceptions.AccessError",
                    )
                with self.subTest(user=user.login, model=model, path="orm"):
                    records_as_user = self.env[model].with_user(user).browse(ids)
                    with self.assertRaises(AccessError):
                        records_as_user.message_notify(**kwargs)
        messages = self.env["mail.message"].search([("body", "ilike", NOTIFY_BODY)])
        self.assertFalse(messages)
        self.assertFalse(
            self.env["mail.mail"].search([("recipient_ids", "in", self.stranger.ids)])
        )
        # a flow running as superuser for the portal user notifies, as itself
        message = (
            self.env["res.partner"]
            .with_user(self.portal_dist_b)
            .sudo()
            .message_notify(
                partner_ids=self.channel_user.partner_id.ids,
                body="Sent by a flow",
                email_layout_xmlid="mail.mail_notification_light",
            )
        )
        self.assertEqual(message.author_id, self.portal_dist_b.partner_id)
        self.assertEqual(message.partner_ids, self.channel_user.partner_id)
        # the vendor's users keep Odoo's message_notify
        self.login(self.channel_user)
        result = self.call_kw("res.partner", "message_notify", [[]], kwargs)
        message = self.env["mail.message"].browse(result.get("result"))
        self.assertTrue(message.exists(), result)
        self.assertEqual(message.partner_ids, self.stranger)
        self.assertIn("billing@vendor.example.com", message.email_from)

    def test_portal_chatter_still_notifies_followers(self):
        """P15-1's fix leaves Odoo's portal chatter (``/mail/message/post``
        on the user's order, with the order's token as the portal page
        sends it): its message goes to the order's followers."""
        order = self.order_b
        order.message_subscribe(partner_ids=self.channel_manager.partner_id.ids)
        self.login(self.portal_cust_b)
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": order._name,
                "thread_id": order.id,
                "token": order._portal_ensure_token(),
                "post_data": {
                    "body": "P15-1 a question on my order",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
        )
        message = self.chatter_posts(order, "P15-1 a question on my order")
        self.assertEqual(message.author_id, self.portal_cust_b.partner_id)
        self.assertIn(
            self.channel_manager.partner_id,
            message.notification_ids.res_partner_id,
        )

    @mute_logger("odoo.http")
    def test_portal_user_writes_messages_as_itself(self):
        """P15-5: a portal user following a record created a chatter
        message on it over ``call_kw`` (``mail.message.create``) as the
        vendor's admin (``author_id``, ``email_from``), with another
        distributor's contact as recipient; and re-authored its own message
        to the admin (``write``). Its messages are its own; Odoo's chatter
        (``message_post``) keeps posting."""
        order = self.order_b
        user = self.portal_dist_b
        order.message_subscribe(partner_ids=user.partner_id.ids)
        admin = self.env.ref("base.partner_admin")
        outsider = self.portal_cust_a.partner_id
        values = {
            "model": order._name,
            "res_id": order.id,
            "message_type": "comment",
            "subtype_id": self.env.ref("mail.mt_comment").id,
            "body": "P15-5 vendor notice: pay to XX00 EVIL",
        }
        forged = {
            "admin": {"author_id": admin.id},
            "admin's address": {"author_id": admin.id, "email_from": admin.email},
            "billing": {"email_from": "Billing <billing@vendor.example.com>"},
            "outsider": {"partner_ids": [Command.link(outsider.id)]},
        }
        self.login(user)
        for case, extra in forged.items():
            with self.subTest(case=case, path="rpc"):
                result = self.call_kw("mail.message", "create", [dict(values, **extra)])
                self.assertIn("error", result)
            with self.subTest(case=case, path="orm"):
                with self.assertRaises(AccessError):
                    self.env["mail.message"].with_user(user).create(
                        dict(values, **extra)
                    )
        self.assertFalse(self.chatter_posts(order, "P15-5 vendor notice"))
        # its own message, by Odoo's chatter, is not re-authored
        message = order.with_user(user).message_post(
            body="P15-5 my own message",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(message.author_id, user.partner_id)
        for case, vals in {
            "admin": {"author_id": admin.id},
            "billing": {"email_from": "Billing <billing@vendor.example.com>"},
            "reply-to": {"reply_to": "billing@vendor.example.com"},
        }.items():
            with self.subTest(case=case, path="write"):
                result = self.call_kw("mail.message", "write", [message.ids, vals])
                self.assertIn("error", result)
        message.invalidate_recordset()
        self.assertEqual(message.author_id, user.partner_id)
        self.assertNotIn("vendor.example.com", message.email_from or "")
        self.assertNotIn("vendor.example.com", message.reply_to or "")
        # a message of its own by create, to a follower, stays possible
        follower = self.channel_manager.partner_id
        order.message_subscribe(partner_ids=follower.ids)
        result = self.call_kw(
            "mail.message",
            "create",
            [dict(values, body="P15-5 own", partner_ids=[Command.link(follower.id)])],
        )
        own = self.env["mail.message"].browse(result.get("result"))
        self.assertTrue(own.exists(), result)
        self.assertEqual(own.author_id, user.partner_id)
        # the vendor's users keep Odoo's rules
        by_admin = (
            self.env["mail.message"]
            .with_user(self.channel_manager)
            .create(dict(values, body="P15-5 internal", author_id=admin.id))
        )
        self.assertEqual(by_admin.author_id, admin)


@tagged("post_install", "-at_install")
class TestProbeSixteenth(ChannelPortalCase):
    """Sixteenth outside probe."""

    def test_refusals_name_nothing_of_what_the_caller_cannot_write(self):
        """P16-1: the product's checks ran before Odoo's access check and
        their refusals named the record (an order, an end customer and its
        membership of the channel, which contacts have a login) to a portal
        user who may not write it at all: by id, every party's names."""
        names = [
            self.order_a.name,
            self.customer_a.name,
            self.distributor_a.name,
            self.portal_dist_a.partner_id.name,
        ]
        as_b = self.portal_dist_b
        for path, attempt in {
            "order state": lambda: self.order_a.with_user(as_b).write(
                {"state": "cancel"}
            ),
            "end customer e-mail": lambda: self.customer_a.with_user(as_b).write(
                {"email": "p16@evil.example.com"}
            ),
            "contact moved": lambda: self.portal_dist_a.partner_id.with_user(
                as_b
            ).write({"parent_id": self.distributor_b.id}),
        }.items():
            with self.subTest(path=path):
                self.assert_refusal_names_nothing(attempt, names)


@tagged("post_install", "-at_install")
class TestProbeSixteenthMail(ChannelPortalCase):
    """Sixteenth outside probes: chatter and mail (P16-2, P16-4, P16-B3,
    P16-B9)."""

    def _message_values(self, record, body):
        return {
            "model": record._name,
            "res_id": record.id,
            "message_type": "comment",
            "subtype_id": self.env.ref("mail.mt_comment").id,
            "body": body,
        }

    @mute_logger("odoo.http")
    def test_portal_edit_keeps_recipients(self):
        """P16-2: Odoo's chatter edit route (``/mail/message/update_content``)
        wrote any ``partner_ids`` on a portal user's own message as
        superuser, and its answer named each of them: every partner of the
        database by id. The edit keeps the recipients among the record's
        followers, as the post does (P14-2, P15-5)."""
        order = self.order_b
        user = self.portal_dist_b
        follower = self.channel_manager.partner_id
        outsider = self.portal_cust_a.partner_id
        order.message_subscribe(partner_ids=(user.partner_id | follower).ids)
        message = order.with_user(user).message_post(
            body="P16-2 my message",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.login(user)
        result = self.make_jsonrpc_request(
            "/mail/message/update_content",
            {
                "message_id": message.id,
                "body": "P16-2 edited",
                "attachment_ids": [],
                "partner_ids": [outsider.id, follower.id],
            },
        )
        message.invalidate_recordset()
        self.assertIn("P16-2 edited", message.body)
        self.assertEqual(message.partner_ids, follower)
        self.assertNotIn(outsider.name, json.dumps(result))
        # nothing foreign: the recipients stay the followers
        self.make_jsonrpc_request(
            "/mail/message/update_content",
            {
                "message_id": message.id,
                "body": "P16-2 edited again",
                "attachment_ids": [],
                "partner_ids": [outsider.id],
            },
        )
        message.invalidate_recordset()
        self.assertEqual(message.partner_ids, follower)

    @mute_logger("odoo.http")
    def test_portal_message_author_is_never_empty(self):
        """P16-4: a portal user's ``mail.message.create`` with
        ``author_id`` False (or 0) and ``email_from`` "Mitchell Admin"
        <its own address> was accepted: a message with no author, shown
        From "Mitchell Admin" in a chatter another party reads (P15-5's
        check tested a given author and the bare address only). Its message
        is by its partner, From its partner's own formatted address."""
        order = self.order_b
        user = self.portal_dist_b
        partner = user.partner_id
        order.message_subscribe(partner_ids=partner.ids)
        values = self._message_values(order, "P16-4 vendor notice: pay to XX00 EVIL")
        disguised = f'"Mitchell Admin" <{partner.email}>'
        forged = {
            "no author": {"author_id": False, "email_from": disguised},
            "author 0": {"author_id": 0, "email_from": disguised.upper()},
            "no author, own From": {"author_id": False},
            "own author, another name": {"email_from": disguised},
            "own author, bare address": {
                "author_id": partner.id,
                "email_from": partner.email,
            },
        }
        self.login(user)
        for case, extra in forged.items():
            with self.subTest(case=case, path="rpc"):
                result = self.call_kw("mail.message", "create", [dict(values, **extra)])
                self.assertIn("error", result)
            with self.subTest(case=case, path="orm"):
                with self.assertRaises(AccessError):
                    self.env["mail.message"].with_user(user).create(
                        dict(values, **extra)
                    )
        with self.subTest(case="context defaults"):
            with self.assertRaises(AccessError):
                self.env["mail.message"].with_user(user).with_context(
                    default_author_id=False, default_email_from=disguised
                ).create(values)
        self.assertFalse(self.chatter_posts(order, "P16-4 vendor notice"))
        # its own author and address stay possible, given or not
        for case, extra in {
            "given": {"author_id": partner.id, "email_from": partner.email_formatted},
            "defaults": {},
        }.items():
            with self.subTest(case=case, path="own"):
                message = (
                    self.env["mail.message"]
                    .with_user(user)
                    .create(dict(values, body=f"P16-4 own {case}", **extra))
                )
                self.assertEqual(message.author_id, partner)
                self.assertEqual(message.email_from, partner.email_formatted)
        # its own message re-authored to nobody is refused too
        message = order.with_user(user).message_post(
            body="P16-4 my own message",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        for vals in ({"author_id": False}, {"email_from": disguised}):
            with self.subTest(write=vals):
                with self.assertRaises(AccessError):
                    message.with_user(user).write(vals)
        self.assertEqual(message.author_id, partner)
        self.assertEqual(message.email_from, partner.email_formatted)

    def test_internal_users_do_not_write_as_channel_parties(self):
        """P16-B3: internal users (a plain employee, a channel user, an
        accountant) mailed any partner From a distributor's contact
        (``message_notify(author_id=...)``) and put messages "by" that
        contact, or by an address of theirs, in a channel order's chatter,
        mailed to its followers. An internal user's message is its own or
        of a partner outside the channel's parties; flows running as
        superuser keep Odoo's authors."""
        order = self.order_b
        nora = self.portal_dist_b.partner_id
        employee = new_test_user(self.env, "p16_employee", groups="base.group_user")
        stranger = self.env["res.partner"].create(
            {"name": "P16 Stranger", "email": "stranger@p16.example.com"}
        )
        # addresses of their own (Odoo's post needs one; the test users
        # share the one new_test_user makes of their logins' initial)
        self.distributor_b.email = "billing@distributor-b.example.com"
        nora.email = "nora@distributor-b.example.com"
        values = self._message_values(order, "P16-B3 we accept the new price")
        for user in (self.channel_user, self.accountant):
            as_user = order.with_user(user)
            for case, kwargs in {
                "author": {"author_id": nora.id},
                "company": {"author_id": self.distributor_b.id},
                "address": {"email_from": nora.email_formatted},
            }.items():
                with self.subTest(user=user.login, case=case, path="post"):
                    with self.assertRaises(AccessError):
                        as_user.message_post(
                            body="P16-B3 we accept the new price",
                            message_type="comment",
                            subtype_xmlid="mail.mt_comment",
                            **kwargs,
                        )
                with self.subTest(user=user.login, case=case, path="create"):
                    with self.assertRaises(AccessError):
                        self.env["mail.message"].with_user(user).create(
                            dict(values, **kwargs)
                        )
        for user in (employee, self.channel_user):
            with self.subTest(user=user.login, path="notify"):
                with self.assertRaises(AccessError):
                    self.env["res.partner"].with_user(user).message_notify(
                        partner_ids=stranger.ids,
                        body="P16-B3 our bank details changed",
                        subject="s",
                        author_id=nora.id,
                    )
        self.assertFalse(self.chatter_posts(order, "P16-B3 we accept"))
        self.assertFalse(
            self.env["mail.message"].search([("body", "ilike", "P16-B3 our bank")])
        )
        # their own messages, and a partner outside the channel, stay theirs
        own = order.with_user(self.channel_user).message_post(
            body="P16-B3 own", message_type="comment"
        )
        self.assertEqual(own.author_id, self.channel_user.partner_id)
        admin = self.env.ref("base.partner_admin")
        by_admin = order.with_user(self.channel_user).message_post(
            body="P16-B3 for the admin", author_id=admin.id
        )
        self.assertEqual(by_admin.author_id, admin)
        notified = (
            self.env["res.partner"]
            .with_user(employee)
            .message_notify(partner_ids=stranger.ids, body="P16-B3 notice", subject="s")
        )
        self.assertEqual(notified.author_id, employee.partner_id)
        # flows as superuser (the mail gateway, the product's notes) keep theirs
        by_flow = (
            order.with_user(self.channel_user)
            .sudo()
            .message_post(body="P16-B3 by the flow", author_id=nora.id)
        )
        self.assertEqual(by_flow.author_id, nora)

    def test_audit_notes_are_not_rewritten(self):
        """P16-B9: the notes the product posts in a channel record's
        chatter (its audit trail) and other users' messages were rewritten
        (body, author) and deleted by whoever writes the document (a
        channel user, a channel manager). On a channel record a message
        not one's own is written and deleted by administrators and flows
        running as superuser only; one's own messages, stars and
        needaction keep Odoo's behaviour."""
        order = self.order_b
        nora = self.portal_dist_b.partner_id
        note = order.message_post(
            body="P16-B9 price changed by the channel manager",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.assertNotIn(
            note.author_id, (self.channel_user | self.channel_manager).partner_id
        )
        for user in (self.channel_user, self.channel_manager):
            note_as_user = note.with_user(user)
            for vals in (
                {"body": "nothing happened"},
                {"author_id": nora.id},
                {"author_id": user.partner_id.id},
                {"email_from": "x@p16.example.com"},
                {"res_id": self.order_a.id},
            ):
                with self.subTest(user=user.login, vals=vals):
                    with self.assertRaises(AccessError):
                        note_as_user.write(vals)
            with self.subTest(user=user.login, op="unlink"):
                with self.assertRaises(AccessError):
                    note_as_user.unlink()
            # stars and needaction are everyone's
            note_as_user.toggle_message_starred()
            note_as_user.set_message_done()
        note.invalidate_recordset()
        self.assertIn("P16-B9 price changed", note.body)
        self.assertEqual(note.res_id, order.id)
        # one's own message keeps Odoo's editing
        own = order.with_user(self.channel_user).message_post(
            body="P16-B9 my own", message_type="comment"
        )
        own.with_user(self.channel_user).write({"body": "P16-B9 my own, edited"})
        order.with_user(self.channel_user)._message_update_content(
            own.with_user(self.channel_user), body="P16-B9 my own, again"
        )
        self.assertIn("P16-B9 my own, again", own.body)
        own.with_user(self.channel_user).unlink()
        self.assertFalse(own.exists())
        # administrators keep them
        note.with_user(self.env.ref("base.user_admin")).write({"body": "P16-B9 fixed"})
        self.assertIn("P16-B9 fixed", note.body)

    @mute_logger("odoo.http")
    def test_portal_user_takes_no_internal_users_name(self):
        """P16-3: a distributor's user renamed itself as the vendor's admin
        (``res.users.write`` over ``call_kw``; *My Account* writes its
        partner as superuser) and wrote in a chatter an end customer reads
        under the vendor's admin's name. A portal user's name is none of
        the vendor's users' (case and spaces aside); any other is its own."""
        user = self.portal_dist_b
        own_name = user.name
        taken = self.channel_manager.name
        self.login(user)
        for name in (taken, f"  {taken.upper()} ", taken.replace(" ", "  ")):
            with self.subTest(name=name, path="rpc"):
                result = self.call_kw("res.users", "write", [user.ids, {"name": name}])
                self.assertIn("error", result)
            with self.subTest(name=name, path="my account"):
                with self.assertRaises(ValidationError):
                    user.partner_id.with_user(user).sudo().write({"name": name})
        user.invalidate_recordset()
        self.assertEqual(user.name, own_name)
        user.with_user(user).write({"name": "P16 Nora Visser"})
        self.assertEqual(user.name, "P16 Nora Visser")
        # the vendor's users name themselves as they like
        self.channel_user.write({"name": taken})
        self.assertEqual(self.channel_user.name, taken)
