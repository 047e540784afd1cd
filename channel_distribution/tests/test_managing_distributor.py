# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import ChannelCase


@tagged("post_install", "-at_install")
class TestManagingDistributor(ChannelCase):
    """Giving a customer a managing distributor hands its contact data to
    that distributor's portal: a channel user's decision."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contacts = new_test_user(
            cls.env, "md_contacts", groups="base.group_user,base.group_partner_manager"
        )
        cls.salesman = new_test_user(
            cls.env,
            "md_sales",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
        )
        cls.channel_user = new_test_user(
            cls.env,
            "md_chan",
            groups="channel_distribution.group_channel_user,"
            "base.group_partner_manager",
        )
        cls.direct = cls.env["res.partner"].create(
            {"name": "Direct Customer", "is_company": True, "email": "d@example.com"}
        )

    def test_contact_creation_cannot_give_a_customer_a_distributor(self):
        for user in (self.contacts, self.salesman):
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                self.direct.with_user(user).write(
                    {"distributor_id": self.distributor_a.id}
                )
        self.assertFalse(self.direct.distributor_id)
        self.direct.with_user(self.channel_user).write(
            {"distributor_id": self.distributor_a.id}
        )
        self.assertEqual(self.direct.distributor_id, self.distributor_a)

    def test_contact_follows_its_company(self):
        # a contact of an end customer takes its distributor, whoever adds it
        contact = (
            self.env["res.partner"]
            .with_user(self.contacts)
            .create({"name": "Buyer", "parent_id": self.customer_a.id})
        )
        self.assertEqual(contact.distributor_id, self.distributor_a)
        # an existing customer moved under it changes its managing
        # distributor: a channel user's decision (second probe, item 3)
        loose = self.env["res.partner"].create({"name": "Loose"})
        with self.assertRaises(AccessError):
            loose.with_user(self.contacts).write({"parent_id": self.customer_b.id})
        self.assertFalse(loose.distributor_id)
        loose.with_user(self.channel_user).write({"parent_id": self.customer_b.id})
        self.assertEqual(loose.distributor_id, self.distributor_b)

    def test_channel_order_links_its_end_customer(self):
        order = (
            self.env["sale.order"]
            .with_user(self.channel_user)
            .create(self._order_vals(self.distributor_a, self.direct))
        )
        self.assertEqual(order.end_customer_id, self.direct)
        self.assertEqual(self.direct.distributor_id, self.distributor_a)
        # a salesman without channel rights makes the order; the link is
        # left to a channel user
        other = self.env["res.partner"].create(
            {"name": "Other Direct", "is_company": True}
        )
        order = (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(self._order_vals(self.distributor_a, other))
        )
        self.assertEqual(order.end_customer_id, other)
        self.assertFalse(other.distributor_id)


# Every path that changes a partner's parent or commercial entity, by role:
# ``Y`` done, ``-`` refused. A move that takes a partner into, out of or
# between the channel's companies (a distributor, a managed customer, their
# contacts at any depth) is a channel user's decision: the portal users of a
# company read what is under it (``child_of`` rules on partners, tickets,
# orders). A partner with a login at any depth moves by an administrator
# only. New partners are no move; nobody writes a commercial entity. The
# e-mail of a partner with a login (its user's, where a password reset goes)
# is changed by an administrator or the user itself only.
# path                                   contacts sales_own chan_user chan_mgr
PARTNER_MOVE_MATRIX = """
company_parent_to_distributor             -   -   Y   Y
company_parent_to_end_customer            -   -   Y   Y
company_parent_to_plain_company           -   -   Y   Y
distributor_links_company                 -   -   Y   Y
end_customer_links_company                -   -   Y   Y
end_customer_sets_company                 -   -   Y   Y
distributor_updates_company_parent        -   -   Y   Y
new_company_links_company                 -   -   Y   Y
company_made_contact_of_plain             -   -   Y   Y
contact_moves_to_end_customer             -   -   Y   Y
contact_detached                          -   -   Y   Y
contact_made_company                      -   -   Y   Y
plain_contact_into_distributor            -   -   Y   Y
plain_contact_into_end_customer           -   -   Y   Y
plain_contact_into_managed_subsidiary     -   -   Y   Y
plain_contact_moves                       Y   Y   Y   Y
plain_company_under_plain_company         Y   Y   Y   Y
new_contact_of_end_customer               Y   Y   Y   Y
new_company_under_distributor             Y   Y   Y   Y
new_contact_with_other_distributor        -   -   Y   Y
commercial_entity_written                 -   -   -   -
plain_commercial_entity_written           -   -   -   -
new_partner_with_commercial_entity        -   -   -   -
merge_into_other_end_customer             -   -   Y   Y
merge_plain_partners                      Y   Y   Y   Y
merge_into_distributor                    -   -   Y   Y
login_deep_company_moved                  -   -   -   -
login_deep_company_linked                 -   -   -   -
login_deep_entity_changed                 -   -   -   -
merge_login_partner                       -   -   -   -
login_email_changed                       -   -   -   -
login_email_normalized_changed            -   -   -   -
login_company_email_changed               Y   Y   Y   Y
plain_email_changed                       Y   Y   Y   Y
"""
MOVE_ROLES = ("contacts", "sales_own", "channel_user", "channel_manager")


@tagged("post_install", "-at_install")
class TestPartnerMoves(ChannelCase):
    """The third outside probe (issue 24, F2): a Contact Creation user moved
    a managed end customer *company* under another distributor (or its end
    customer) keeping it a company, and that distributor's portal read it
    and its tickets. Each path of a move is a row of the table."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partner_manager = ",base.group_partner_manager"
        cls.move_users = {
            "contacts": new_test_user(
                cls.env, "mv_contacts", groups="base.group_user" + partner_manager
            ),
            "sales_own": new_test_user(
                cls.env,
                "mv_sales",
                groups="sales_team.group_sale_salesman" + partner_manager,
            ),
            "channel_user": new_test_user(
                cls.env,
                "mv_chan",
                groups="channel_distribution.group_channel_user" + partner_manager,
            ),
            "channel_manager": new_test_user(
                cls.env,
                "mv_chan_mgr",
                groups="channel_distribution.group_channel_manager" + partner_manager,
            ),
        }
        Partner = cls.env["res.partner"]
        cls.harbor = Partner.create(
            {
                "name": "Harbor Hotels",
                "is_company": True,
                "email": "desk@harbor.example.com",
                "distributor_id": cls.distributor_a.id,
            }
        )
        cls.harbor_buyer = Partner.create(
            {"name": "Harbor Buyer", "parent_id": cls.harbor.id}
        )
        cls.harbor_subsidiary = Partner.create(
            {"name": "Harbor Spa", "is_company": True, "parent_id": cls.harbor.id}
        )
        cls.zeta = Partner.create(
            {
                "name": "Zeta",
                "is_company": True,
                "email": "desk@harbor.example.com",
                "distributor_id": cls.distributor_b.id,
            }
        )
        cls.free = Partner.create(
            {"name": "Free Agent", "is_company": True, "email": "x@free.example.com"}
        )
        cls.free_contact = Partner.create(
            {"name": "Free Person", "parent_id": cls.free.id}
        )
        cls.open_co = Partner.create(
            {"name": "Open Co", "is_company": True, "email": "x@free.example.com"}
        )
        # a duplicate of distributor B (Odoo merges partners of one e-mail)
        cls.dist_b_dup = Partner.create(
            {
                "name": "Distributor B (duplicate)",
                "is_company": True,
                "email": cls.distributor_b.email,
            }
        )
        # a login two levels down
        cls.login_co = Partner.create({"name": "Login Ltd", "is_company": True})
        cls.login_team = Partner.create(
            {"name": "Login Team", "parent_id": cls.login_co.id}
        )
        cls.login_deep = Partner.create(
            {
                "name": "Login Deep",
                "parent_id": cls.login_team.id,
                "email": "x@free.example.com",
            }
        )
        new_test_user(
            cls.env,
            "mv_portal_deep",
            groups="base.group_portal",
            partner_id=cls.login_deep.id,
        )

    def _merge(self, Partner, partners, dst):
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(Partner.env.user)
            .with_context(active_model="res.partner", active_ids=partners.ids)
            .create({"dst_partner_id": dst.id})
        )
        wizard.action_merge()

    def _move(self, path, Partner):
        """Run ``path`` as the user of ``Partner``'s environment."""

        def mine(record):
            return Partner.browse(record.id)

        ops = {
            "company_parent_to_distributor": lambda: mine(self.harbor).write(
                {"parent_id": self.distributor_b.id}
            ),
            "company_parent_to_end_customer": lambda: mine(self.harbor).write(
                {"parent_id": self.zeta.id}
            ),
            "company_parent_to_plain_company": lambda: mine(self.harbor).write(
                {"parent_id": self.free.id}
            ),
            "distributor_links_company": lambda: mine(self.distributor_b).write(
                {"child_ids": [Command.link(self.harbor.id)]}
            ),
            "end_customer_links_company": lambda: mine(self.zeta).write(
                {"child_ids": [Command.link(self.harbor.id)]}
            ),
            "end_customer_sets_company": lambda: mine(self.zeta).write(
                {"child_ids": [Command.set((self.zeta.child_ids | self.harbor).ids)]}
            ),
            "distributor_updates_company_parent": lambda: mine(
                self.distributor_b
            ).write(
                {
                    "child_ids": [
                        Command.update(
                            self.harbor.id, {"parent_id": self.distributor_b.id}
                        )
                    ]
                }
            ),
            "new_company_links_company": lambda: Partner.create(
                {
                    "name": "Takeover Group",
                    "is_company": True,
                    "child_ids": [Command.link(self.harbor.id)],
                }
            ),
            "company_made_contact_of_plain": lambda: mine(self.harbor).write(
                {"is_company": False, "parent_id": self.free.id}
            ),
            "contact_moves_to_end_customer": lambda: mine(self.harbor_buyer).write(
                {"parent_id": self.zeta.id}
            ),
            "contact_detached": lambda: mine(self.harbor_buyer).write(
                {"parent_id": False}
            ),
            "contact_made_company": lambda: mine(self.harbor_buyer).write(
                {"is_company": True}
            ),
            "plain_contact_into_distributor": lambda: mine(self.free_contact).write(
                {"parent_id": self.distributor_b.id}
            ),
            "plain_contact_into_end_customer": lambda: mine(self.free_contact).write(
                {"parent_id": self.zeta.id}
            ),
            "plain_contact_into_managed_subsidiary": lambda: mine(
                self.free_contact
            ).write({"parent_id": self.harbor_subsidiary.id}),
            "plain_contact_moves": lambda: mine(self.free_contact).write(
                {"parent_id": self.open_co.id}
            ),
            "plain_company_under_plain_company": lambda: mine(self.free).write(
                {"parent_id": self.open_co.id}
            ),
            "new_contact_of_end_customer": lambda: Partner.create(
                {"name": "New Buyer", "parent_id": self.harbor.id}
            ),
            "new_company_under_distributor": lambda: Partner.create(
                {
                    "name": "New Branch",
                    "is_company": True,
                    "parent_id": self.distributor_b.id,
                }
            ),
            "new_contact_with_other_distributor": lambda: Partner.create(
                {
                    "name": "New Planted",
                    "parent_id": self.free.id,
                    "distributor_id": self.distributor_b.id,
                }
            ),
            "commercial_entity_written": lambda: mine(self.harbor_buyer).write(
                {"commercial_partner_id": self.distributor_b.id}
            ),
            "plain_commercial_entity_written": lambda: mine(self.free_contact).write(
                {"commercial_partner_id": self.open_co.id}
            ),
            "new_partner_with_commercial_entity": lambda: Partner.create(
                {"name": "Shadow", "commercial_partner_id": self.distributor_b.id}
            ),
            "merge_into_other_end_customer": lambda: self._merge(
                Partner, self.harbor | self.zeta, self.zeta
            ),
            "merge_plain_partners": lambda: self._merge(
                Partner, self.free | self.open_co, self.open_co
            ),
            # Odoo writes the distributor kept its own values again (its
            # salesperson, archive flag: channel managers')
            "merge_into_distributor": lambda: self._merge(
                Partner, self.dist_b_dup | self.distributor_b, self.distributor_b
            ),
            "login_deep_company_moved": lambda: mine(self.login_co).write(
                {"parent_id": self.open_co.id}
            ),
            "login_deep_company_linked": lambda: mine(self.open_co).write(
                {"child_ids": [Command.link(self.login_co.id)]}
            ),
            "login_deep_entity_changed": lambda: mine(self.login_team).write(
                {"is_company": True}
            ),
            "merge_login_partner": lambda: self._merge(
                Partner, self.login_deep | self.open_co, self.open_co
            ),
            # the fourth probe: the e-mail of a login's partner is where its
            # password reset goes (its user's e-mail)
            "login_email_changed": lambda: mine(self.login_deep).write(
                {"email": "taken@attacker.example.com"}
            ),
            # the sixth probe: its normalized copy matches incoming mail to
            # the partner
            "login_email_normalized_changed": lambda: mine(self.login_deep).write(
                {"email_normalized": "taken@attacker.example.com"}
            ),
            "login_company_email_changed": lambda: mine(self.login_co).write(
                {"email": "desk@login.example.com"}
            ),
            "plain_email_changed": lambda: mine(self.free_contact).write(
                {"email": "new@free.example.com"}
            ),
        }
        ops[path]()

    def _moved(self, path, role):
        """Whether ``role`` runs ``path``; undone either way."""
        Partner = self.env["res.partner"].with_user(self.move_users[role])
        return self._done_and_undone(lambda: self._move(path, Partner))

    def test_partner_move_matrix(self):
        self.check_path_table(PARTNER_MOVE_MATRIX, MOVE_ROLES, self._moved)

    def test_a_refused_move_leaves_the_company_where_it_was(self):
        as_sales = self.env["res.partner"].with_user(self.move_users["sales_own"])
        with self.assertRaisesRegex(AccessError, "channel users"):
            as_sales.browse(self.distributor_b.id).write(
                {"child_ids": [Command.link(self.harbor.id)]}
            )
        with self.assertRaisesRegex(AccessError, "channel users"):
            as_sales.browse(self.harbor.id).write({"parent_id": self.zeta.id})
        self.harbor.invalidate_recordset()
        self.assertFalse(self.harbor.parent_id)
        self.assertTrue(self.harbor.is_company)
        self.assertEqual(self.harbor.distributor_id, self.distributor_a)
        # the administrator of users moves a login
        self.login_co.write({"parent_id": self.open_co.id})
        self.assertEqual(self.login_co.parent_id, self.open_co)
