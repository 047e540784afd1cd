# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.addons.channel_distribution.tests.common import ChannelCase
from odoo.addons.channel_distribution_helpdesk.tests.common import CommissioningMixin
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestBackgroundTickets(CommissioningMixin, ChannelCase):
    """*Raise Commissioning Tickets in the Background*: the confirmation
    enqueues one job per batch and company; the job raises what the
    confirmation raises without the setting, once."""

    maxDiff = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_commissioning_led(
            "T Background",
            "Background Leader",
            "t_background_leader",
            email="background.leader@example.com",
        )
        cls.SaleOrder = cls.env["sale.order"]
        cls.exception_type = cls.env.ref(
            "channel_distribution_helpdesk.mail_activity_commissioning_exception"
        )

    # Helpers ----------------------------------------------------------------

    def _orders(self, lines=None):
        """Three channel orders (two distributors, resale and agency) selling
        ``lines`` (the service, which requires commissioning, by default)."""
        return self.SaleOrder.create(
            [
                self._order_vals(self.distributor_a, self.customer_a, lines),
                self._order_vals(self.distributor_b, self.customer_b, lines),
                self._order_vals(self.distributor_a, self.customer_a, lines),
            ]
        )

    def _confirm(self, orders, background):
        """Confirm ``orders`` as a user does (chatter and tracking on), the
        company's setting on or off."""
        self.company.commissioning_tickets_background = background
        self.env.flush_all()
        orders.with_context(tracking_disable=False).action_confirm()
        self.env.flush_all()

    def _jobs(self):
        return self.env["queue.job"].search(
            [
                ("model_name", "=", "sale.order"),
                ("method_name", "=", "_commissioning_tickets_job"),
            ]
        )

    def _perform(self, jobs):
        """Run stored jobs as a worker does (queue_job's Job: loaded,
        started, run, done); returns their results."""
        results = []
        for record in jobs:
            job = Job.load(self.env, record.uuid)
            job.set_started()
            job.store()
            results.append(job.perform())
            job.set_done(result=results[-1])
            job.store()
        self.env.flush_all()
        return results

    def _tickets(self, orders):
        return orders.sudo().ticket_ids.filtered("is_commissioning")

    def _alerts(self, tickets):
        """Subjects of the notifications the team leader received, the
        numbers of ``tickets`` left out (a rolled back run drew them too)."""
        subjects = (
            self.env["mail.message"]
            .search(
                [
                    ("partner_ids", "in", self.leader.partner_id.ids),
                    ("message_type", "=", "user_notification"),
                ]
            )
            .mapped("subject")
        )
        for ticket in tickets:
            subjects = [s.replace(ticket.number, "<number>") for s in subjects]
        return sorted(subjects)

    def _made(self, orders):
        """What the commissioning made for ``orders``, comparable between two
        runs on the same orders (no ids of new records, no ticket numbers):
        per order its state, its tickets with their followers, alert
        activities and messages, and its exception activities."""
        self.env.invalidate_all()
        all_tickets = self._tickets(orders)

        def text(html):
            """``html`` with the ids and numbers of the tickets (an alert of
            several tickets lists them) named by their tickets' names."""
            value = str(html)
            for ticket in all_tickets:
                value = value.replace(
                    f'res_id={ticket.id}"', f'res_id=<{ticket.name}>"'
                ).replace(ticket.number, f"<number of {ticket.name}>")
            return value

        made = {}
        for order in orders:
            tickets = self._tickets(order).sorted(lambda t: (t.team_id.id, t.name))
            made[order.id] = {
                "state": order.commissioning_state,
                "queued": order.commissioning_queued,
                "tickets": [
                    (
                        t.name,
                        str(t.description),
                        t.partner_id.id,
                        t.team_id.id,
                        t.stage_id.id,
                        t.category_id.id,
                        t.company_id.id,
                        t.user_id.id,
                        t.commissioning_line_ids.ids,
                        t.commissioning_distributor_id.id,
                        t.sale_order_ids.ids,
                        sorted(t.message_partner_ids.ids),
                        sorted(
                            (
                                a.activity_type_id.id,
                                a.user_id.id,
                                a.summary,
                                text(a.note),
                                a.date_deadline,
                            )
                            for a in t.activity_ids
                        ),
                        sorted(
                            (
                                m.message_type,
                                m.subtype_id.id,
                                m.author_id.id,
                                str(m.body),
                            )
                            for m in t.message_ids
                        ),
                    )
                    for t in tickets
                ],
                "exceptions": sorted(
                    (a.summary, str(a.note), a.user_id.id)
                    for a in order.activity_ids
                    if a.activity_type_id == self.exception_type
                ),
            }
        return made, self._alerts(self._tickets(orders))

    def _compare_with_inline(self, orders):
        """Confirm ``orders`` inline (the setting off), note what was made,
        undo it; confirm them with the setting on and perform the job: the
        same tickets, followers, activities and e-mails. Returns what was
        made."""
        with self.env.cr.savepoint() as savepoint:
            self._confirm(orders, background=False)
            inline = self._made(orders)
            savepoint.rollback()
        self.env.invalidate_all()
        self.assertFalse(self._tickets(orders))
        self.assertEqual(set(orders.mapped("state")), {"draft"})
        self._confirm(orders, background=True)
        self.assertFalse(self._tickets(orders), "the confirmation raises none")
        jobs = self._jobs()
        self.assertEqual(len(jobs), 1)
        self._perform(jobs)
        background = self._made(orders)
        self.assertEqual(background, inline)
        return background

    # Without the setting --------------------------------------------------

    def test_setting_off_raises_tickets_inline(self):
        self.assertFalse(self.company.commissioning_tickets_background)
        orders = self._orders()
        with trap_jobs() as trap:
            self._confirm(orders, background=False)
            trap.assert_jobs_count(0)
        self.assertEqual(len(self._tickets(orders)), 3)
        self.assertEqual(set(orders.mapped("commissioning_state")), {"pending"})
        self.assertFalse(any(orders.mapped("commissioning_queued")))
        self.assertFalse(self._jobs())

    def test_setting_in_the_settings(self):
        settings = self.env["res.config.settings"].create(
            {"commissioning_tickets_background": True}
        )
        settings.execute()
        self.assertTrue(self.company.commissioning_tickets_background)

    # With the setting -----------------------------------------------------

    def test_confirmation_enqueues_one_job_with_its_key(self):
        orders = self._orders()
        plain = self._create_order(
            self.distributor_a, self.customer_a, [(self.product_setup, 1)]
        )
        with trap_jobs() as trap:
            self._confirm(orders | plain, background=True)
            trap.assert_jobs_count(1)
            trap.assert_jobs_count(1, only=orders._commissioning_tickets_job)
            trap.assert_enqueued_job(
                orders._commissioning_tickets_job,
                properties={"identity_key": orders._commissioning_job_key()},
            )
            # Confirmed, no ticket yet: the commissioning is pending.
            self.assertEqual(set(orders.mapped("state")), {"sale"})
            self.assertFalse(self._tickets(orders))
            self.assertEqual(set(orders.mapped("commissioning_state")), {"pending"})
            self.assertTrue(all(orders.mapped("commissioning_queued")))
            # An order without commissioning lines is not queued.
            self.assertEqual(plain.commissioning_state, "none")
            self.assertFalse(plain.commissioning_queued)
            trap.perform_enqueued_jobs()
        self.assertEqual(len(self._tickets(orders)), 3)
        self.assertFalse(self._tickets(plain))
        self.assertEqual(set(orders.mapped("commissioning_state")), {"pending"})
        self.assertFalse(any(orders.mapped("commissioning_queued")))

    def test_job_stored_on_its_channel_with_its_key(self):
        orders = self._orders()
        self._confirm(orders, background=True)
        job = self._jobs()
        self.assertEqual(len(job), 1)
        self.assertEqual(job.channel, "root.channel_commissioning_tickets")
        self.assertEqual(job.identity_key, orders._commissioning_job_key())
        self.assertTrue(job.identity_key.startswith("channel_commissioning_tickets:"))
        self.assertEqual(job.records, orders)
        self.assertEqual(job.state, "pending")
        self.assertEqual(job.user_id, self.env.user)
        # The same batch enqueued again while its job waits: not doubled.
        orders._commissioning_enqueue_tickets()
        self.assertEqual(self._jobs(), job)

    def test_one_job_per_company(self):
        other = self.env["res.company"].create(
            {"name": "T Other Company", "commissioning_tickets_background": True}
        )
        self.env.user.company_ids |= other
        orders = self._orders()
        other_order = (
            self.SaleOrder.with_company(other)
            .create(
                {
                    "partner_id": self.customer_a.id,
                    "company_id": other.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product_service.id,
                                "product_uom_qty": 1,
                            }
                        )
                    ],
                }
            )
            .with_company(self.company)
        )
        with trap_jobs() as trap:
            self._confirm(orders | other_order, background=True)
            trap.assert_jobs_count(1, only=orders._commissioning_tickets_job)
            trap.assert_jobs_count(1, only=other_order._commissioning_tickets_job)
            trap.assert_jobs_count(2)
            trap.assert_enqueued_job(
                orders._commissioning_tickets_job,
                properties={"identity_key": orders._commissioning_job_key()},
            )
            trap.assert_enqueued_job(
                other_order._commissioning_tickets_job,
                properties={"identity_key": other_order._commissioning_job_key()},
            )

    def test_job_raises_what_the_confirmation_raises(self):
        """Tickets, their followers (the resale distributor), alert
        activities, creation messages and the leader's e-mail: the same as
        the inline path on the same orders."""
        orders = self._orders([(self.product_service, 2), (self.product_setup, 1)])
        made, alerts = self._compare_with_inline(orders)
        for order in orders:
            self.assertEqual(len(made[order.id]["tickets"]), 1)
            self.assertEqual(made[order.id]["state"], "pending")
            self.assertFalse(made[order.id]["queued"])
        self.assertIn(self.distributor_a.id, made[orders[0].id]["tickets"][0][11])
        self.assertEqual(alerts, ["3 commissioning tickets assigned to you"])
        self.assertEqual(set(self._jobs().mapped("state")), {"done"})

    def test_job_run_twice_raises_nothing_more(self):
        orders = self._orders()
        self._confirm(orders, background=True)
        jobs = self._jobs()
        self.assertEqual(
            self._perform(jobs),
            ["3 orders confirmed, 3 commissioning tickets raised."],
        )
        made = self._made(orders)
        # A retry, a requeued job: nothing more.
        jobs.requeue()
        self.assertEqual(jobs.state, "pending")
        self.assertEqual(
            self._perform(jobs),
            ["3 orders confirmed, 0 commissioning tickets raised."],
        )
        self.assertEqual(self._made(orders), made)
        self.assertEqual(len(self._tickets(orders)), 3)

    def test_order_cancelled_before_the_job_gets_no_ticket(self):
        orders = self._orders()
        self._confirm(orders, background=True)
        cancelled = orders[1]
        cancelled._action_cancel()
        self.assertFalse(cancelled.commissioning_queued)
        self.assertEqual(cancelled.commissioning_state, "none")
        self.assertEqual(
            self._perform(self._jobs()),
            ["2 orders confirmed, 2 commissioning tickets raised."],
        )
        self.assertFalse(self._tickets(cancelled))
        self.assertEqual(len(self._tickets(orders - cancelled)), 2)
        self.assertFalse(cancelled.activity_ids)

    def test_failure_noted_as_inline(self):
        """What cannot be raised (no team for the set-up product) is noted on
        its order with an exception activity, as inline; the other order's
        ticket is raised; the job itself is done."""
        self.company.commissioning_team_id = False
        self.product_service.commissioning_team_id = self.team
        self.product_setup.commissioning_required = True
        orders = self.SaleOrder.create(
            [
                self._order_vals(self.distributor_a, self.customer_a),
                self._order_vals(
                    self.distributor_b, self.customer_b, [(self.product_setup, 1)]
                ),
            ]
        )
        made, __ = self._compare_with_inline(orders)
        served, failed = orders
        self.assertEqual(len(made[served.id]["tickets"]), 1)
        self.assertFalse(made[served.id]["exceptions"])
        self.assertFalse(made[failed.id]["tickets"])
        self.assertEqual(made[failed.id]["state"], "none")
        (exception,) = made[failed.id]["exceptions"]
        self.assertIn("No helpdesk team", exception[1])
        self.assertEqual(self._jobs().state, "done")
        # Fixed, the button raises what is missing.
        self.company.commissioning_team_id = self.team
        failed.action_commissioning_raise_tickets()
        self.assertEqual(len(self._tickets(failed)), 1)

    def test_button_raises_queued_tickets_and_the_job_adds_none(self):
        orders = self._orders()
        self._confirm(orders, background=True)
        orders[0].action_commissioning_raise_tickets()
        self.assertFalse(orders[0].commissioning_queued)
        self.assertEqual(len(self._tickets(orders[0])), 1)
        self._perform(self._jobs())
        self.assertEqual(len(self._tickets(orders)), 3)

    def test_salesman_confirmation_job_runs_as_the_salesman(self):
        """A salesman with no access to the job queue confirms: the job is
        enqueued and runs as that salesman, as the inline path does."""
        salesman = (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Queue Salesman",
                    "login": "t_queue_salesman",
                    "email": "queue.salesman@example.com",
                    "groups_id": [
                        Command.set(
                            [
                                self.env.ref("sales_team.group_sale_salesman").id,
                                self.env.ref(
                                    "channel_distribution.group_channel_user"
                                ).id,
                            ]
                        )
                    ],
                }
            )
        )
        orders = self._orders()
        orders.user_id = salesman
        self.company.commissioning_tickets_background = True
        orders.with_user(salesman).with_context(tracking_disable=False).action_confirm()
        job = self._jobs()
        self.assertEqual(job.user_id, salesman)
        self._perform(job)
        self.assertEqual(job.state, "done")
        self.assertEqual(len(self._tickets(orders)), 3)
        self.assertFalse(any(orders.mapped("commissioning_queued")))

    # Cost ----------------------------------------------------------------

    def _confirm_queries(self, product, count):
        """Queries to confirm ``count`` orders of ``product``, one per
        distributor, all together, with chatter, the setting on."""
        orders = self.SaleOrder.create(
            [
                self._order_vals(dist, customer, [(product, 1)])
                for dist, customer in zip(
                    self.distributors[:count], self.customers[:count], strict=True
                )
            ]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        orders.with_context(tracking_disable=False).action_confirm()
        self.env.flush_all()
        self.env.cr.flush()
        return self.env.cr.sql_log_count - before, orders

    def test_mass_confirmation_costs_a_plain_confirmation(self):
        """With the setting on, confirming orders with commissioning lines
        costs the queries of orders without any, plus a few for the batch
        (the flag, the job), and nothing per order."""
        self.company.commissioning_tickets_background = True
        Partner = self.env["res.partner"]
        self.distributors = Partner.create(
            [
                {
                    "name": f"Queue Distributor {i}",
                    "is_company": True,
                    "is_distributor": True,
                    "distributor_tier_id": self.tier_gold.id,
                }
                for i in range(6)
            ]
        )
        self.customers = Partner.create(
            [{"name": f"Queue Customer {i}", "is_company": True} for i in range(6)]
        )
        self._confirm_queries(self.product_setup, 2)  # caches warm
        self._confirm_queries(self.product_service, 2)
        plain_2, __ = self._confirm_queries(self.product_setup, 2)
        plain_6, __ = self._confirm_queries(self.product_setup, 6)
        queued_2, __ = self._confirm_queries(self.product_service, 2)
        queued_6, orders = self._confirm_queries(self.product_service, 6)
        self.assertFalse(self._tickets(orders))
        self.assertTrue(all(orders.mapped("commissioning_queued")))
        per_order_plain = (plain_6 - plain_2) / 4
        per_order_queued = (queued_6 - queued_2) / 4
        self.assertLessEqual(
            per_order_queued,
            per_order_plain,
            (queued_2, queued_6, plain_2, plain_6),
        )
        # Measured: 58 queries for 6 orders against 55 without commissioning
        # lines (the flag, the job's identity check, the job), 5 per order
        # on both; inline, the tickets cost 41 more for the batch.
        self.assertLessEqual(
            queued_6 - plain_6, 6, (queued_2, queued_6, plain_2, plain_6)
        )

    def test_the_queued_flag_is_the_jobs(self):
        """Probe 8 (issue 24), P8-4: *Commissioning Tickets Queued* is set
        by the confirmation and cleared by the raise or the cancellation;
        no user writes it (an order whose tickets exist would show them
        pending for good, the uninstall hook would raise them again)."""
        salesman = new_test_user(
            self.env,
            "t_background_salesman",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        orders = self._orders()
        self._confirm(orders, True)
        order = orders[0].with_user(salesman)
        for value in (False, True):
            with self.subTest(value=value), self.assertRaises(UserError):
                order.write({"commissioning_queued": value})
        self.assertTrue(all(orders.mapped("commissioning_queued")))
        self._perform(self._jobs())
        self.assertFalse(any(orders.mapped("commissioning_queued")))
        self.assertEqual(orders[0].commissioning_state, "pending")
        with self.assertRaises(UserError):
            order.write({"commissioning_queued": True})
        self.assertFalse(orders[0].commissioning_queued)
        with self.assertRaises(UserError):
            self.SaleOrder.with_user(salesman).create(
                dict(
                    self._order_vals(self.distributor_a, self.customer_a),
                    commissioning_queued=True,
                )
            )
