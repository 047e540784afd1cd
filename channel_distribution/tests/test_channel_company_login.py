# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A company partner of the channel (a distributor, a managed end
customer's company) never has a login: its login would read and act for
the whole company (probe 14, P14-7). Its people log in as its contacts.

A signup guard's answer names no partner the caller cannot read (P14-6).
"""

from contextlib import closing

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import ChannelPortalCase

# How a login is given to a partner, and by whom (``cc``: an employee with
# Contact Creation, as Odoo's default user template gives every internal
# user; ``mgr``: a channel manager; ``admin``: the superuser). ``Y``: the
# login is made. Companies of the channel: ``distributor_a`` and
# ``customer_a`` (an end customer managed by A); ``contact_a`` is a contact
# of distributor A, ``plain`` a company outside the channel. The last rows
# make a partner with a login (``login_partner``, a portal user's own
# partner outside the channel) a company of the channel. ``as_person``:
# the company is first made a person (``is_company`` off: probe 15, P15-2),
# then given a login by Odoo's portal wizard. A contact of the channel is
# given its login by a channel user of its companies, a channel manager or
# an administrator (probe 15, P15-9: CONTACT_LOGIN_MATRIX below).
# path            partner          cc   mgr  admin
LOGIN_MATRIX = """
portal_wizard     distributor_a    -    -    -
portal_wizard     customer_a       -    -    -
portal_wizard     contact_a        -    Y    Y
portal_wizard     plain            Y    Y    Y
users_create      distributor_a    -    -    -
users_create      customer_a       -    -    -
users_create      contact_a        -    Y    Y
users_write       distributor_a    -    -    -
users_write       customer_a       -    -    -
reactivate        distributor_a    -    -    -
becomes_distributor login_partner  -    -    -
becomes_end_customer login_partner -    -    -
as_person         customer_a       -    -    -
as_person         distributor_a    -    -    -
"""
LOGIN_ROLES = ("cc", "mgr", "admin")


@tagged("post_install", "-at_install")
class TestChannelCompanyLogin(ChannelPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact_creation = new_test_user(
            cls.env,
            "p14_cc",
            groups="base.group_user,base.group_partner_manager",
            password="p14_cc",
        )
        # the administrator of users, to write a login's partner
        cls.channel_manager.groups_id |= cls.env.ref("base.group_erp_manager")
        Partner = cls.env["res.partner"]
        cls.distributor_a.email = "hello@distributor-a.example.com"
        cls.customer_a.email = "it@customer-a.example.com"
        cls.contact_a = Partner.create(
            {
                "name": "P14 Buyer",
                "email": "buyer@distributor-a.example.com",
                "parent_id": cls.distributor_a.id,
            }
        )
        cls.plain = Partner.create(
            {"name": "P14 Plain", "email": "plain@p14.example", "is_company": True}
        )
        cls.login_partner = new_test_user(
            cls.env, "p14_login", groups="base.group_portal"
        ).partner_id
        cls.login_users = {
            "cc": cls.contact_creation,
            "mgr": cls.channel_manager,
            "admin": cls.env.ref("base.user_root"),
        }

    def _logins(self, partner):
        return (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "=", partner.id), ("active", "=", True)])
        )

    def _archived_login_of(self, partner):
        """A login of ``partner`` made before the product refused one
        (archived, as the probe left them): by SQL."""
        user = new_test_user(
            self.env, f"p14-old-{partner.id}", groups="base.group_portal"
        )
        user.active = False
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_users SET partner_id = %s WHERE id = %s",
            (partner.id, user.id),
        )
        self.env.invalidate_all()
        return user

    def _give_login(self, path, partner, user):
        env = self.env(user=user, su=user == self.env.ref("base.user_root"))
        portal = self.env.ref("base.group_portal")
        if path == "portal_wizard":
            wizard = (
                env["portal.wizard"]
                .with_context(active_ids=partner.ids, active_model="res.partner")
                .create({})
            )
            line = wizard.user_ids.filtered(lambda line: line.partner_id == partner)
            line.action_grant_access()
        elif path == "users_create":
            env["res.users"].create(
                {
                    "name": partner.name,
                    "login": f"p14-{partner.id}@p14.example",
                    "partner_id": partner.id,
                    "groups_id": [(6, 0, portal.ids)],
                }
            )
        elif path == "users_write":
            env["res.users"].browse(self.portal_dist_a.id).write(
                {"partner_id": partner.id}
            )
        elif path == "reactivate":
            old = self._archived_login_of(partner)
            env["res.users"].browse(old.id).write({"active": True})
        elif path == "as_person":
            env["res.partner"].browse(partner.id).write({"is_company": False})
            self._give_login("portal_wizard", partner, user)
        elif path == "becomes_distributor":
            env["res.partner"].browse(partner.id).write(
                {
                    "is_company": True,
                    "is_distributor": True,
                    "distributor_tier_id": self.tier_gold.id,
                }
            )
        elif path == "becomes_end_customer":
            env["res.partner"].browse(partner.id).write(
                {"is_company": True, "distributor_id": self.distributor_a.id}
            )

    def _login_given(self, path, partner, user):
        try:
            with (
                closing(self.env.cr.savepoint()),
                mute_logger("odoo.models", "odoo.addons.base.models.ir_rule"),
            ):
                self._give_login(path, partner, user)
                self.env.flush_all()
                self.env.invalidate_all()
                return bool(self._logins(partner))
        except UserError:
            return False
        finally:
            self.env.invalidate_all()

    def test_login_matrix(self):
        """P14-7: Contact Creation ran Odoo's portal wizard on Cedar
        Systems, a distributor's company partner (and on Harbor Hotels, a
        managed end customer's): a login of the whole company, whose welcome
        link signed up. No one gives a company partner of the channel a
        login, by the wizard or over RPC; its contacts get theirs. P15-2:
        nor once it is made a person first (Harbor Hotels' ``is_company``
        switched off by Contact Creation, then the wizard)."""
        cells = {}
        for line in LOGIN_MATRIX.strip().splitlines():
            path, partner, *marks = line.split()
            for role, mark in zip(LOGIN_ROLES, marks, strict=True):
                cells[(path, partner, role)] = mark == "Y"
        self.assertEqual(len(cells), 14 * len(LOGIN_ROLES))
        partners = {
            "distributor_a": self.distributor_a,
            "customer_a": self.customer_a,
            "contact_a": self.contact_a,
            "plain": self.plain,
            "login_partner": self.login_partner,
        }
        for (path, partner, role), expected in cells.items():
            with self.subTest(path=path, partner=partner, role=role):
                self.assertEqual(
                    self._login_given(path, partners[partner], self.login_users[role]),
                    expected,
                    f"{role} {path} {partner}: expected "
                    f"{'a login' if expected else 'none'}",
                )

    @mute_logger("odoo.http", "odoo.addons.auth_signup.controllers.main")
    def test_company_email_then_wizard(self):
        """P14-7, in one go: Contact Creation writes the company's e-mail
        (it has no login) to its own mailbox, then grants it the portal:
        refused, no mail with a signup link. Since P15-8 the e-mail is
        not Contact Creation's to change either."""
        company = self.distributor_a.with_user(self.contact_creation)
        with self.assertRaises(AccessError):
            company.email = "contactc-mailbox@attacker.example.com"
        self.assertEqual(company.email, "hello@distributor-a.example.com")
        mails = self.env["mail.mail"].sudo().search([])
        wizard = (
            self.env["portal.wizard"]
            .with_user(self.contact_creation)
            .with_context(active_ids=company.ids, active_model="res.partner")
            .create({})
        )
        line = wizard.user_ids.filtered(lambda line: line.partner_id == company)
        with self.assertRaisesRegex(UserError, "Distributor A"):
            line.action_grant_access()
        self.assertFalse(self._logins(self.distributor_a))
        sent = self.env["mail.mail"].sudo().search([]) - mails
        self.assertFalse(sent.filtered(lambda m: "signup" in (m.body_html or "")))

    @mute_logger("odoo.http", "odoo.addons.auth_signup.controllers.main")
    def test_no_token_for_a_company_with_a_login(self):
        """P14-7: once a company partner of the channel has a login (one made
        before the product refused them), links to it carry no signup token
        and a token minted for it signs nobody up, nor resets its login."""
        old = self._archived_login_of(self.distributor_a)
        self.env.cr.execute(
            "UPDATE res_users SET active = true WHERE id = %s", (old.id,)
        )
        self.env.invalidate_all()
        company = self.distributor_a.sudo()
        self.assertTrue(company.user_ids)
        url = company._get_signup_url_for_action()[company.id]
        self.assertNotIn("token=", url)
        company.signup_prepare()
        token = company._generate_signup_token()
        with self.assertRaises(UserError):
            self.env["res.users"].sudo().signup(
                {"login": old.login, "password": "p14-evil-password"}, token=token
            )
        # a contact's link keeps its token
        contact = self.contact_a.sudo()
        self.assertIn("token=", contact._get_signup_url_for_action()[contact.id])

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_signup_guard_names_no_unreadable_partner(self):
        """P14-6: a portal user called ``res.partner.signup_prepare`` (and
        ``signup_get_auth_param``) on another distributor's partners by id:
        the channel's refusal named each. Odoo's generic AccessError now
        answers; one who reads the partner still gets the channel's
        reason."""
        others = self.distributor_a | self.customer_a | self.customer_a_delivery
        names = others.mapped("name")
        for user in (self.portal_dist_b, self.portal_cust_b):
            for method in ("signup_prepare", "signup_get_auth_param"):
                for partner in others:
                    with self.subTest(user=user.login, method=method, id=partner.id):
                        self.login(user)
                        answer = self.call_kw("res.partner", method, [partner.ids])
                        self.assertIn("error", answer)
                        message = answer["error"]["data"]["message"]
                        for name in names:
                            self.assertNotIn(name, message)
        # an accountant reads the distributor: the channel's reason
        with self.assertRaisesRegex(UserError, "partner of the distribution channel"):
            self.distributor_a.with_user(self.accountant).signup_prepare()


# Who gives a contact of the channel (of a distributor, of an end customer
# managed by one) a portal login or an invitation to sign up, by every path
# (fifteenth probe, P15-9: an employee of the second company, with Contact
# Creation as Odoo's default user template gives every employee, made a
# contact under the first company's distributor and gave it the portal:
# the login read the distributor's statement, end customers and order
# form). Roles: ``cc``/``cc2`` Contact Creation of the first/second company;
# ``cu``/``cu2`` a channel user of the first/second company; ``mgr2`` a
# channel manager of the second company (a channel manager gives it, of any
# company), ``mgr`` of the first; ``admin`` an administrator of users
# (*Access Rights*). Partners: ``contact_a`` a contact of distributor A
# (its business is the first company's), ``contact_cust_a`` of End
# Customer A, ``plain_contact`` of a company outside the channel; ``login_a``
# and ``login_plain`` the partners of portal users of A and outside the
# channel. Paths: ``wizard`` Odoo's portal wizard (*Grant Access*; ``Y``: the
# login is made); ``wizard_new`` the user creates a contact under the party,
# then the wizard; ``invite_again`` the wizard's *Re-Invite* (Odoo's
# welcome mail reads the login, which the second company's users do not
# read: refused to them by Odoo, whatever the partner); ``token`` an
# invitation's signup token (``signup_get_auth_param`` under Odoo's b2c
# signup); ``reset`` a password reset of the login (``action_reset_password``,
# an administrator's: its token is written by *Access Rights* only).
# path          partner         cc  cc2 cu  cu2 mgr2 mgr admin
CONTACT_LOGIN_MATRIX = """
wizard          contact_a       -   -   Y   -   Y    Y   Y
wizard          contact_cust_a  -   -   Y   -   Y    Y   Y
wizard          plain_contact   Y   Y   Y   Y   Y    Y   Y
wizard_new      distributor_a   -   -   Y   -   Y    Y   Y
wizard_new      customer_a      -   -   Y   -   Y    Y   Y
invite_again    login_a         -   -   Y   -   -    Y   Y
invite_again    login_plain     Y   -   Y   -   -    Y   Y
token           contact_a       -   -   Y   -   Y    Y   Y
token           contact_cust_a  -   -   Y   -   Y    Y   Y
token           plain_contact   Y   Y   Y   Y   Y    Y   Y
reset           login_a         -   -   -   -   -    -   Y
reset           login_plain     -   -   -   -   -    -   Y
"""
CONTACT_LOGIN_ROLES = ("cc", "cc2", "cu", "cu2", "mgr2", "mgr", "admin")


@tagged("post_install", "-at_install")
class TestChannelContactLogin(ChannelPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo's default on install: invitations carry a signup token
        cls.env["ir.config_parameter"].set_param("auth_signup.invitation_scope", "b2c")
        cls.company_2 = cls._second_company_channel(cls)[0]
        contacts = ",base.group_partner_manager"

        def user(login, groups, company=None):
            return new_test_user(
                cls.env,
                login,
                groups=groups + contacts,
                company_id=(company or cls.env.company).id,
            )

        cls.roles = {
            "cc": user("p16_cc", "base.group_user"),
            "cc2": user("p16_cc2", "base.group_user", cls.company_2),
            "cu": cls.channel_user,
            "cu2": user(
                "p16_cu2", "channel_distribution.group_channel_user", cls.company_2
            ),
            "mgr2": user(
                "p16_mgr2",
                "channel_distribution.group_channel_manager",
                cls.company_2,
            ),
            "mgr": cls.channel_manager,
            "admin": user("p16_admin", "base.group_user,base.group_erp_manager"),
        }
        Partner = cls.env["res.partner"]
        plain = Partner.create({"name": "P16 Plain", "is_company": True})

        def contact(name, parent):
            return Partner.create(
                {
                    "name": name,
                    "email": f"{name.lower().replace(' ', '-')}@p16.example",
                    "parent_id": parent.id,
                }
            )

        cls.partners = {
            "contact_a": contact("P16 Buyer", cls.distributor_a),
            "contact_cust_a": contact("P16 Cust Buyer", cls.customer_a),
            "plain_contact": contact("P16 Plain Buyer", plain),
            "distributor_a": cls.distributor_a,
            "customer_a": cls.customer_a,
            "login_a": cls.portal_dist_a.partner_id,
            "login_plain": new_test_user(
                cls.env,
                "p16_plain_portal",
                groups="base.group_portal",
                partner_id=contact("P16 Plain Portal", plain).id,
            ).partner_id,
        }

    def _logins(self, partner):
        return (
            self.env["res.users"]
            .sudo()
            .search([("partner_id", "=", partner.id), ("active", "=", True)])
        )

    def _wizard_line(self, env, partner):
        wizard = (
            env["portal.wizard"]
            .with_context(active_ids=partner.ids, active_model="res.partner")
            .create({})
        )
        return wizard.user_ids.filtered(lambda line: line.partner_id == partner)

    def _give(self, path, partner, user):
        """``path`` for ``partner`` by ``user``: whether it was done."""
        env = self.env(user=user)
        if path == "wizard":
            self._wizard_line(env, partner).action_grant_access()
            return bool(self._logins(partner))
        if path == "wizard_new":
            contact = env["res.partner"].create(
                {
                    "name": "P16 Mole",
                    "email": "mole-p16@attacker.example.com",
                    "parent_id": partner.id,
                }
            )
            self._wizard_line(env, contact).action_grant_access()
            return bool(self._logins(contact))
        if path == "invite_again":
            self._wizard_line(env, partner).action_invite_again()
            return True
        if path == "token":
            params = env["res.partner"].browse(partner.id).signup_get_auth_param()
            return bool(params[partner.id].get("auth_signup_token"))
        if path == "reset":
            self._logins(partner).with_env(env).action_reset_password()
            return True
        raise ValueError(path)

    def _given(self, path, partner, user):
        try:
            with (
                closing(self.env.cr.savepoint()),
                mute_logger("odoo.models", "odoo.addons.base.models.ir_rule"),
            ):
                done = self._give(path, partner, user)
                self.env.flush_all()
                return done
        except UserError:
            return False
        finally:
            self.env.invalidate_all()

    def test_contact_login_matrix(self):
        """P15-9: a contact of the channel is given a login, or an
        invitation, by a channel user of its companies, a channel manager
        or an administrator; outside the channel, Odoo's rules."""
        rows = CONTACT_LOGIN_MATRIX.strip().splitlines()
        self.assertEqual(len(rows), 12)
        for row in rows:
            path, partner, *marks = row.split()
            self.assertEqual(len(marks), len(CONTACT_LOGIN_ROLES), row)
            for role, mark in zip(CONTACT_LOGIN_ROLES, marks, strict=True):
                with self.subTest(path=path, partner=partner, role=role):
                    self.assertEqual(
                        self._given(path, self.partners[partner], self.roles[role]),
                        mark == "Y",
                        f"{role} {path} {partner}: expected "
                        f"{'done' if mark == 'Y' else 'refused'}",
                    )

    def test_second_companys_employee_mole(self):
        """P15-9 as the probe did it: a second company's employee with
        Contact Creation creates a contact under the first company's
        distributor and grants it the portal: refused, saying who grants
        it, no login and no welcome mail. A channel user of the first
        company grants it."""
        cc2 = self.roles["cc2"]
        mole = (
            self.env["res.partner"]
            .with_user(cc2)
            .create(
                {
                    "name": "Mole P15",
                    "email": "mole-p15@attacker.example.com",
                    "parent_id": self.distributor_a.id,
                }
            )
        )
        mails = self.env["mail.mail"].sudo().search([])
        line = self._wizard_line(self.env(user=cc2), mole)
        with self.assertRaisesRegex(UserError, "Mole P15.*channel user"):
            line.action_grant_access()
        self.assertFalse(
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "=", mole.id)])
        )
        self.assertFalse(self.env["mail.mail"].sudo().search([]) - mails)
        self._wizard_line(self.env(user=self.channel_user), mole).action_grant_access()
        self.assertTrue(self._logins(mole)._is_portal())
