# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

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
