# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import fields
from odoo.addons.channel_distribution_invoicing.tests.common import InvoicingCase
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestBillingJobs(InvoicingCase):
    """The scheduled billing as queue jobs: one job per distributor due and
    day, each billing as the scheduled run bills without queue_job."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_schedule()
        cls.day = fields.Date.to_string(cls.today)
        cls.scheduled = cls.distributor_a | cls.distributor_c
        cls.SaleOrder = cls.env["sale.order"]

    def _billing_jobs(self):
        return self.env["queue.job"].search(
            [
                ("model_name", "=", "sale.order"),
                ("method_name", "=", "_channel_billing_job"),
            ]
        )

    def _perform(self, jobs):
        """Run stored jobs as a worker does (queue_job's Job: started, run,
        done); returns their results. A job that raised would fail here."""
        results = []
        for record in jobs:
            job = Job.load(self.env, record.uuid)
            job.set_started()
            job.store()
            results.append(job.perform())
            job.set_done(result=results[-1])
            job.store()
        return results

    def _key(self, distributor):
        return self.SaleOrder._channel_billing_job_key(distributor, self.day)

    def test_run_enqueues_one_job_per_distributor_due(self):
        self.distributor_b.channel_invoicing_period = "manual"
        with trap_jobs() as trap:
            self.assertEqual(self.SaleOrder._cron_enqueue_distributor_billing(), 2)
            trap.assert_jobs_count(2, only=self.SaleOrder._channel_billing_job)
            for distributor in self.scheduled:
                trap.assert_enqueued_job(
                    self.SaleOrder._channel_billing_job,
                    args=(distributor, self.day),
                    properties={"identity_key": self._key(distributor)},
                )
            # Enqueued, not billed: the jobs bill.
            self.assertFalse(self._invoices_of(self.order_1 | self.order_3))
            trap.perform_enqueued_jobs()
        self.assertEqual(len(self._invoices_of(self.order_1 | self.order_2)), 1)
        self.assertEqual(len(self._invoices_of(self.order_3)), 1)
        self.assertGreater(self.distributor_a.channel_invoicing_next_date, self.today)

    def test_jobs_on_their_channel(self):
        self.SaleOrder._cron_enqueue_distributor_billing()
        jobs = self._billing_jobs()
        self.assertEqual(len(jobs), 2)
        self.assertEqual(
            set(jobs.mapped("channel")), {"root.channel_distributor_billing"}
        )
        self.assertEqual(
            set(jobs.mapped("identity_key")),
            {self._key(self.distributor_a), self._key(self.distributor_c)},
        )

    def test_second_run_and_running_jobs_never_double(self):
        SaleOrder = self.SaleOrder
        SaleOrder._cron_enqueue_distributor_billing()
        SaleOrder._cron_enqueue_distributor_billing()
        jobs = self._billing_jobs()
        self.assertEqual(len(jobs), 2, "identity key: one job per distributor and day")
        # A job being run by a worker: the next run does not add another.
        jobs.write({"state": "started"})
        self.assertEqual(SaleOrder._cron_enqueue_distributor_billing(), 0)
        self.assertEqual(len(self._billing_jobs()), 2)
        jobs.write({"state": "pending"})
        self._perform(jobs)
        self.assertEqual(set(jobs.mapped("state")), {"done"})
        invoices = self._invoices_of(self.order_1 | self.order_2 | self.order_3)
        self.assertEqual(len(invoices), 2)
        # Billed: a later run the same day has nothing to enqueue, and a job
        # run again (a retry, a worker that died after its commit) bills
        # nothing more.
        self.assertEqual(SaleOrder._cron_enqueue_distributor_billing(), 0)
        self._perform(jobs)
        self.assertEqual(
            self._invoices_of(self.order_1 | self.order_2 | self.order_3), invoices
        )

    def test_job_bills_what_the_cron_bills(self):
        """The jobs and the scheduled run without queue_job make the same
        invoices, lines and amounts and move the same dates."""

        def billed():
            moves = self._invoices_of(self.order_1 | self.order_2 | self.order_3)
            return (
                sorted(
                    (
                        move.partner_id.id,
                        move.state,
                        move.amount_untaxed,
                        move.amount_total,
                        tuple(
                            (
                                line.display_type,
                                line.name,
                                line.product_id.id,
                                line.quantity,
                                line.price_unit,
                                line.end_customer_id.id,
                            )
                            for line in move.invoice_line_ids.sorted(
                                lambda line: (line.sequence, line.id)
                            )
                        ),
                    )
                    for move in moves
                ),
                [
                    (d.channel_invoicing_next_date, d.channel_invoicing_last_date)
                    for d in self.scheduled
                ],
                (self.order_1 | self.order_2 | self.order_3).mapped("invoice_status"),
            )

        with self.env.cr.savepoint() as savepoint:
            self.SaleOrder._cron_create_distributor_invoices()
            self.env.flush_all()
            by_cron = billed()
            savepoint.rollback()
        self.env.invalidate_all()
        self.assertFalse(self._invoices_of(self.order_1))
        self.SaleOrder._cron_enqueue_distributor_billing()
        self._perform(self._billing_jobs())
        self.env.flush_all()
        by_jobs = billed()
        self.assertEqual(len(by_jobs[0]), 2)
        self.assertEqual(by_jobs, by_cron)

    def test_failing_distributor_does_not_stop_the_others(self):
        self.distributor_a.write({"street": False, "city": False})
        self.SaleOrder._cron_enqueue_distributor_billing()
        jobs = self._billing_jobs()
        results = self._perform(jobs)
        self.assertEqual(
            sorted(results),
            ["Distributor A: 0 invoices.", "Distributor C: 1 invoices."],
        )
        self.assertTrue(self._invoices_of(self.order_3))
        self.assertFalse(self._invoices_of(self.order_1))
        # Noted, finance alerted, the date kept: retried by the next day's
        # run, not again today.
        self.assertIn("no invoice address", self.distributor_a.message_ids[0].body)
        self.assertEqual(len(self.distributor_a.activity_ids), 1)
        self.assertEqual(self.distributor_a.channel_invoicing_next_date, self.today)
        self.assertEqual(self.distributor_a.channel_invoicing_last_date, self.today)
        self.assertEqual(self.SaleOrder._cron_enqueue_distributor_billing(), 0)
        # The next day: fixed, enqueued and billed.
        self.distributor_a.write({"street": "1 Channel Street", "city": "Rotterdam"})
        tomorrow = self.today + timedelta(days=1)
        self.distributor_a.channel_invoicing_last_date = self.today - timedelta(days=1)
        with trap_jobs() as trap:
            self.SaleOrder._cron_enqueue_distributor_billing()
            trap.assert_jobs_count(1, only=self.SaleOrder._channel_billing_job)
            trap.perform_enqueued_jobs()
        self.assertTrue(self._invoices_of(self.order_1))
        self.assertFalse(self.distributor_a.activity_ids)
        self.assertGreaterEqual(
            self.distributor_a.channel_invoicing_next_date, tomorrow
        )

    def test_scheduled_action_enqueues_the_method_bills(self):
        """The scheduled action enqueues; the method the scheduled action
        ran before (and other code calls) still bills in its transaction."""
        cron = self.env.ref(
            "channel_distribution_invoicing.ir_cron_distributor_invoicing"
        )
        self.assertEqual(cron.code.strip(), "model._cron_enqueue_distributor_billing()")
        with trap_jobs() as trap:
            cron.method_direct_trigger()
            trap.assert_jobs_count(2, only=self.SaleOrder._channel_billing_job)
            self.assertFalse(self._invoices_of(self.order_1 | self.order_3))
        with trap_jobs() as trap:
            self.assertEqual(self.SaleOrder._cron_create_distributor_invoices(), 2)
            trap.assert_jobs_count(0)
        self.assertEqual(len(self._invoices_of(self.order_1 | self.order_3)), 2)
