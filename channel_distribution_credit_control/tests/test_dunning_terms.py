# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestDunningTerms(DunningCase):
    """Probe 11, P11-16: a Contact Creation user put an overdue distributor
    on a policy that never reminds it. Whether and how a channel partner is
    reminded is credit control's decision (its managers, channel and
    accounting managers)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact_creator = new_test_user(
            cls.env,
            "dun_contacts",
            groups="base.group_user,base.group_partner_manager",
        )
        cls.credit_manager = new_test_user(
            cls.env,
            "dun_credit_mgr",
            groups="base.group_user,base.group_partner_manager,"
            "account_credit_control.group_account_credit_control_manager",
        )
        cls.no_follow = cls.env["credit.control.policy"].create(
            {"name": "No follow", "do_nothing": True}
        )
        cls.outsider = cls.env["res.partner"].create({"name": "Outside Customer"})

    def test_dunning_terms_refused(self):
        Partner = self.env["res.partner"].with_user(self.contact_creator)
        for partner in (self.distributor_a, self.customer_a, self.customer_a_delivery):
            for vals in (
                {"credit_policy_id": self.no_follow.id},
                {"payment_responsible_id": self.contact_creator.id},
            ):
                with self.subTest(partner=partner.name, vals=vals):
                    with self.assertRaises(AccessError):
                        partner.with_user(self.contact_creator).write(vals)
        with self.assertRaises(AccessError):
            Partner.create(
                {
                    "name": "Contact of A",
                    "parent_id": self.distributor_a.id,
                    "credit_policy_id": self.no_follow.id,
                }
            )
        self.assertFalse(self.distributor_a.credit_policy_id)
        self.assertFalse(self.distributor_a.payment_responsible_id)

    def test_dunning_terms_allowed(self):
        # unchanged values, partners outside the channel, credit managers
        self.distributor_a.with_user(self.contact_creator).write(
            {"credit_policy_id": False, "phone": "+32 2 000 00 00"}
        )
        self.outsider.with_user(self.contact_creator).credit_policy_id = self.no_follow
        self.assertEqual(self.outsider.credit_policy_id, self.no_follow)
        self.distributor_a.with_user(self.credit_manager).write(
            {
                "credit_policy_id": self.no_follow.id,
                "payment_responsible_id": self.credit_manager.id,
            }
        )
        self.assertEqual(self.distributor_a.credit_policy_id, self.no_follow)
