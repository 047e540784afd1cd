# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.tests import tagged

from .common import ChannelCase


@tagged("post_install", "-at_install")
class TestCommissioningBatch(ChannelCase):
    """Confirming many orders at once makes the same tickets, followers and
    activities as confirming them one by one (the batched path)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leader = (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Batch Leader",
                    "login": "t_batch_leader",
                    "groups_id": [
                        Command.set(
                            [cls.env.ref("helpdesk_mgmt.group_helpdesk_user").id]
                        )
                    ],
                }
            )
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {"name": "T Batch", "user_id": cls.leader.id}
        )
        cls.company.write(
            {"commissioning_team_id": cls.team.id, "commissioning_user_id": False}
        )
        cls.product_service.write(
            {"commissioning_required": True, "commissioning_lead_days": 2}
        )
        cls.activity_type = cls.env.ref(
            "channel_distribution.mail_activity_commissioning"
        )

    def _tickets(self, order):
        return order.sudo().ticket_ids.filtered("is_commissioning")

    def _check(self, orders):
        for order in orders:
            ticket = self._tickets(order)
            self.assertEqual(len(ticket), 1, order.name)
            self.assertEqual(ticket.sale_order_ids, order)
            self.assertEqual(ticket.team_id, self.team)
            self.assertEqual(ticket.stage_id, self.team._get_applicable_stages()[:1])
            self.assertEqual(ticket.commissioning_line_ids, order.order_line[:1])
            self.assertIn(order.name, ticket.name)
            self.assertIn(order.name, ticket.description)
            self.assertEqual(ticket.partner_id, order.business_partner_id)
            activity = ticket.activity_ids.filtered(
                lambda a: a.activity_type_id == self.activity_type
            )
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, self.leader)
            self.assertIn(order.name, activity.summary)
            # The resale distributor follows its own tickets, never another's.
            if order.distributor_id == self.distributor_a:
                self.assertIn(self.distributor_a, ticket.message_partner_ids)
            self.assertNotIn(self.distributor_b, ticket.message_partner_ids)
            self.assertEqual(order.commissioning_state, "pending")

    def test_batch_matches_one_by_one(self):
        lines = [(self.product_service, 2), (self.product_setup, 1)]
        batch = self.env["sale.order"].create(
            [
                self._order_vals(self.distributor_a, self.customer_a, lines),
                self._order_vals(self.distributor_b, self.customer_b, lines),
                self._order_vals(self.distributor_a, self.customer_a, lines),
                self._order_vals(self.distributor_b, self.customer_b, lines),
            ]
        )
        batch.action_confirm()
        self._check(batch)
        self.assertEqual(len(batch.sudo().ticket_ids), 4)
        single = self._create_order(self.distributor_a, self.customer_a, lines)
        single.action_confirm()
        self._check(single)

    def test_batch_problems_stay_per_order(self):
        self.team.user_id = False
        orders = self.env["sale.order"].create(
            [
                self._order_vals(self.distributor_a, self.customer_a),
                self._order_vals(self.distributor_b, self.customer_b),
            ]
        )
        orders.action_confirm()
        exception = self.env.ref(
            "channel_distribution.mail_activity_commissioning_exception"
        )
        for order in orders:
            ticket = self._tickets(order)
            self.assertEqual(len(ticket), 1)
            self.assertFalse(ticket.activity_ids)
            warning = order.activity_ids.filtered(
                lambda a: a.activity_type_id == exception
            )
            self.assertEqual(len(warning), 1)
            self.assertIn(ticket.display_name, warning.note)
            self.assertNotIn((orders - order).display_name, warning.note)

    def test_batch_is_cheaper_than_one_by_one(self):
        def make(n):
            return self.env["sale.order"].create(
                [
                    self._order_vals(self.distributor_a, self.customer_a)
                    for _i in range(n)
                ]
            )

        counts = []
        for n in (2, 6):
            orders = make(n)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            orders.action_confirm()
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - before)
        # Each order more in the batch costs at most 48 queries (measured: 40
        # batched, 67 when the tickets and activities were made order by
        # order).
        self.assertLessEqual((counts[1] - counts[0]) / 4, 48, counts)
