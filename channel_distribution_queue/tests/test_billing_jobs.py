# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, datetime, time, timedelta

from freezegun import freeze_time
from psycopg2 import errors as pg_errors

from odoo import Command, fields
from odoo.addons.channel_distribution_invoicing.tests.common import InvoicingCase
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger


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

    def test_only_the_scheduler_enqueues(self):
        """Sixteenth probe, P16-B1: a salesman who writes orders ran the
        scheduled action: the jobs billed as him (nothing he cannot read)
        and moved the distributors' dates. Only the scheduler (or an
        administrator) enqueues the billing."""
        salesman = new_test_user(
            self.env,
            "p16_job_salesman",
            groups="base.group_user,sales_team.group_sale_salesman",
        )
        with self.assertRaises(AccessError):
            self.SaleOrder.with_user(salesman)._cron_enqueue_distributor_billing()
        self.assertFalse(self._billing_jobs())
        admin = self.env.ref("base.user_admin")
        self.assertEqual(
            self.SaleOrder.with_user(admin)._cron_enqueue_distributor_billing(), 2
        )

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

    # A clash with another job's transaction: the job runs again in seconds.

    def _job_of(self, distributor):
        prefix = f"channel_distributor_billing:{distributor.id}:"
        return self._billing_jobs().filtered(
            lambda job: job.identity_key.startswith(prefix)
        )

    def _try(self, record):
        """One try of a stored job as queue_job's controller makes it:
        started, performed, done; or, when it raises RetryableJobError,
        postponed (pending again, an eta) and the error returned."""
        job = Job.load(self.env, record.uuid)
        job.set_started()
        job.store()
        try:
            result = job.perform()
        except RetryableJobError as error:
            job.postpone(result=str(error), seconds=error.seconds)
            job.set_pending(reset_retry=False)
            job.store()
            return error
        job.set_done(result=result)
        job.store()
        return result

    def _clash_with_another_job(self, day):
        """Another job has posted and committed the first invoice of
        ``day``'s sequence period with the number the billing of orders 1
        and 2 takes (the billing posts its invoices). Returns the ids of the
        committed records."""
        self.company.channel_invoice_auto_post = True
        journal, name = self._first_invoice_name()
        return self._commit_posted_invoice(journal, name, day)

    def _first_invoice_name(self):
        """The sales journal and the name the scheduled billing gives the
        invoice of orders 1 and 2 (the first of its sequence period: named
        while a draft), found in a savepoint rolled back."""
        with self.env.cr.savepoint() as savepoint:
            invoices, __ = (self.order_1 | self.order_2)._create_distributor_invoices()
            journal, name = invoices.journal_id, invoices.name
            savepoint.rollback()
        self.env.invalidate_all()
        self.assertNotEqual(name, "/", "the first invoice of a period has a name")
        return journal, name

    def _commit_posted_invoice(self, journal, name, day):
        """Another job has posted and committed an invoice named ``name`` in
        ``journal``: a transaction of its own, which this test's transaction
        (its snapshot older) does not see but PostgreSQL's unique index
        does. Deleted when the test ends. Returns its ids."""
        with self.registry.cursor() as cr:
            cr.execute("SET LOCAL lock_timeout = '10s'")
            env = self.env(cr=cr)
            partner = env["res.partner"].create(
                {"name": "Other Job Customer", "city": "Ghent"}
            )
            move = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "journal_id": journal.id,
                    "partner_id": partner.id,
                    "invoice_date": day,
                    "name": name,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Other job", "quantity": 1, "price_unit": 10}
                        )
                    ],
                }
            )
            move.action_post()
            self.assertEqual((move.state, move.name), ("posted", name))
            ids = (move.id, partner.id)
        self.addCleanup(self._delete_committed, *ids)
        return ids

    def _delete_committed(self, move_id, partner_id):
        with self.registry.cursor() as cr:
            cr.execute("SET LOCAL lock_timeout = '10s'")
            env = self.env(cr=cr)
            move = env["account.move"].browse(move_id).exists()
            move.filtered(lambda m: m.state == "posted").button_draft()
            move.with_context(force_delete=True).unlink()
            env["res.partner"].browse(partner_id).exists().unlink()

    def _failure_notes(self, distributor):
        return distributor.message_ids.filtered(
            lambda m: "Scheduled invoicing failed" in (m.body or "")
        )

    def _first_day_of_a_year(self):
        """A day of a year no invoice of the database is dated in: its
        first invoice of each journal is named while a draft."""
        return date(self.today.year + 3, 1, 15)

    def test_first_invoice_of_period_taken_job_runs_again(self):
        """Another job took the number of the first invoice of the year
        (committed first): the job is rolled back and run again in a few
        seconds, nothing noted, nothing billed twice; the run again bills."""
        day = self._first_day_of_a_year()
        with freeze_time(datetime.combine(day, time(12))):
            clash = self._clash_with_another_job(day)
            self.SaleOrder._cron_enqueue_distributor_billing()
            record = self._job_of(self.distributor_a)
            self.assertEqual(len(record), 1)
            messages = self.distributor_a.message_ids
            with mute_logger("odoo.sql_db"):
                error = self._try(record)
            self.assertIsInstance(error, RetryableJobError)
            self.assertIsInstance(error.__cause__, pg_errors.UniqueViolation)
            self.assertIn("account_move_unique_name", str(error))
            # Rolled back and not noted: no invoice, no note, no activity,
            # the dates untouched (not "tried today").
            self.env.flush_all()
            self.assertFalse(self._invoices_of(self.order_1 | self.order_2))
            self.assertFalse(
                self.env["account.move"].search(
                    [("partner_id", "child_of", self.distributor_a.id)]
                )
            )
            self.assertEqual(self.distributor_a.message_ids, messages)
            self.assertFalse(self.distributor_a.activity_ids)
            self.assertEqual(self.distributor_a.channel_invoicing_next_date, self.today)
            self.assertFalse(self.distributor_a.channel_invoicing_last_date)
            self.assertEqual(
                (self.order_1 | self.order_2).mapped("invoice_status"),
                ["to invoice"] * 2,
            )
            # Run again in a few seconds, a try counted.
            self.assertEqual(record.state, "pending")
            self.assertEqual(record.retry, 1)
            wait = (record.eta - fields.Datetime.now()).total_seconds()
            self.assertTrue(0 < wait <= 10, wait)
            # The run again, once the other job's invoice is in the past (a
            # new transaction sees it: played here by removing the clash this
            # transaction cannot see), bills the distributor once.
            self._delete_committed(*clash)
            self.assertEqual(self._try(record), "Distributor A: 1 invoices.")
            invoice = self._invoices_of(self.order_1 | self.order_2)
            self.assertEqual(len(invoice), 1)
            self.assertEqual(invoice.state, "posted")
            self.assertEqual(record.state, "done")
            self.assertGreater(self.distributor_a.channel_invoicing_next_date, day)
            self.assertFalse(self._failure_notes(self.distributor_a))
            # A third run (a requeue) bills nothing more.
            self._perform(record)
            self.assertEqual(self._invoices_of(self.order_1 | self.order_2), invoice)

    def test_first_invoice_of_period_taken_cron_notes(self):
        """Without a job (the scheduled action bills inline) the clash is
        noted on the distributor and billed the next day, as before."""
        day = self._first_day_of_a_year()
        with freeze_time(datetime.combine(day, time(12))):
            self._clash_with_another_job(day)
            with mute_logger(
                "odoo.sql_db",
                "odoo.addons.channel_distribution_invoicing.models.sale_order",
            ):
                self.SaleOrder._cron_create_distributor_invoices()
            self.assertFalse(self._invoices_of(self.order_1 | self.order_2))
            notes = self._failure_notes(self.distributor_a)
            self.assertTrue(notes)
            self.assertIn("account_move_unique_name", notes[0].body)
            self.assertEqual(len(self.distributor_a.activity_ids), 1)
            self.assertEqual(self.distributor_a.channel_invoicing_next_date, self.today)
            self.assertEqual(self.distributor_a.channel_invoicing_last_date, day)

    def test_clash_on_the_last_try_is_noted(self):
        """A job whose tries are used up notes the clash as the scheduled
        action does (billed by the next day's run) instead of failing."""
        day = self._first_day_of_a_year()
        with freeze_time(datetime.combine(day, time(12))):
            self._clash_with_another_job(day)
            self.SaleOrder._cron_enqueue_distributor_billing()
            record = self._job_of(self.distributor_a)
            record.retry = record.max_retries - 1
            with mute_logger(
                "odoo.sql_db",
                "odoo.addons.channel_distribution_invoicing.models.sale_order",
            ):
                self.assertEqual(self._try(record), "Distributor A: 0 invoices.")
            self.assertEqual(record.state, "done")
            self.assertFalse(self._invoices_of(self.order_1 | self.order_2))
            self.assertIn(
                "account_move_unique_name",
                self._failure_notes(self.distributor_a)[0].body,
            )
            self.assertEqual(len(self.distributor_a.activity_ids), 1)
            self.assertEqual(self.distributor_a.channel_invoicing_last_date, day)

    def test_lock_not_available_job_runs_again(self):
        """Another transaction holds the sales journals (a lock the invoice
        waits for beyond lock_timeout): the job runs again in seconds, and
        bills once the lock is gone."""
        self.SaleOrder._cron_enqueue_distributor_billing()
        record = self._job_of(self.distributor_a)
        with self.registry.cursor() as other:
            other.execute(
                "SELECT id FROM account_journal WHERE type = 'sale' "
                "AND company_id = %s FOR UPDATE NOWAIT",
                [self.company.id],
            )
            self.env.cr.execute("SET LOCAL lock_timeout = '200ms'")
            with mute_logger("odoo.sql_db"):
                error = self._try(record)
            self.assertIsInstance(error, RetryableJobError)
            self.assertIsInstance(error.__cause__, pg_errors.LockNotAvailable)
            other.rollback()
        self.assertFalse(self._invoices_of(self.order_1 | self.order_2))
        self.assertFalse(self._failure_notes(self.distributor_a))
        self.assertFalse(self.distributor_a.channel_invoicing_last_date)
        self.assertEqual(record.state, "pending")
        self.assertEqual(self._try(record), "Distributor A: 1 invoices.")
        self.assertEqual(len(self._invoices_of(self.order_1 | self.order_2)), 1)
