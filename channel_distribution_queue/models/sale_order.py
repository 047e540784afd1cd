# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.addons.channel_distribution.tools import channel_check_scheduler
from odoo.addons.queue_job.exception import RetryableJobError

# The job states in which a billing job is still to run or running: a
# distributor with such a job is not enqueued again.
LIVE_JOB_STATES = ("wait_dependencies", "pending", "enqueued", "started")

# A billing job that clashed with another transaction runs again after this
# many seconds (drawn at random between the two: two jobs that clashed do
# not meet again).
CLASH_RETRY_SECONDS = (2, 10)


class SaleOrder(models.Model):
    """The scheduled distributor billing as queue jobs: the scheduled run
    enqueues one job per distributor due, which the job runner spreads over
    the Odoo workers (and hosts) on the channel of the billing jobs."""

    _inherit = "sale.order"

    @api.model
    def _cron_enqueue_distributor_billing(self):
        """The scheduled billing (the scheduled action's code once this addon
        is installed): enqueue one billing job per distributor due today;
        the jobs bill them. ``_cron_create_distributor_invoices()`` still
        bills them in the calling transaction, as without queue_job. Returns
        the number of jobs enqueued."""
        channel_check_scheduler(self.env, self.env._("The distributor billing"))
        today = fields.Date.context_today(self)
        jobs = self._channel_enqueue_billing_jobs(
            self._channel_distributors_due(today), today
        )
        self.env["ir.cron"]._notify_progress(done=len(jobs), remaining=0)
        return len(jobs)

    @api.model
    def _channel_billing_job_key(self, distributor, day):
        """The identity of the billing job of ``distributor`` on ``day``: a
        second run of the day, or a retry, finds it instead of doubling it."""
        return f"channel_distributor_billing:{distributor.id}:{day}"

    @api.model
    def _channel_enqueue_billing_jobs(self, distributors, day):
        """Enqueue a billing job for each of ``distributors`` on ``day``
        that has no job still to run or running; returns the new jobs'
        jobs."""
        day = fields.Date.to_string(day)
        keys = {
            distributor: self._channel_billing_job_key(distributor, day)
            for distributor in distributors
        }
        live = set(
            self.env["queue.job"]
            .sudo()
            .search(
                [
                    ("identity_key", "in", list(keys.values())),
                    ("state", "in", LIVE_JOB_STATES),
                ]
            )
            .mapped("identity_key")
        )
        jobs = []
        for distributor, key in keys.items():
            if key in live:
                continue
            jobs.append(
                self.with_delay(
                    identity_key=key,
                    description=self.env._(
                        "Bill distributor %(distributor)s (%(day)s)",
                        distributor=distributor.display_name,
                        day=day,
                    ),
                )._channel_billing_job(distributor, day)
            )
        return jobs

    @api.model
    def _channel_billing_job(self, distributor, day):
        """The job: bill ``distributor`` as the scheduled run does for ``day``
        (a string), if it is still due. Whatever fails is undone for the
        distributor, noted with an activity for finance, and retried by the
        next day's run (``_channel_invoice_scheduled_distributor_safely``),
        except a clash with another transaction (another job numbering the
        first invoice of a sequence period, a lock, a serialization
        failure): the job runs again a few seconds later
        (``_channel_billing_handle_error``). A job run again (a retry, a
        worker that died before its commit) finds the distributor billed or
        being billed and does nothing."""
        day = fields.Date.to_date(day)
        if not self._channel_distributors_due(day, distributors=distributor):
            return self.env._(
                "%(distributor)s: nothing due.", distributor=distributor.display_name
            )
        job_uuid = self.env.context.get("job_uuid")
        billing = self.with_context(channel_billing_job_uuid=job_uuid)
        invoices = billing._channel_invoice_scheduled_distributor_safely(
            distributor, day
        )
        return self.env._(
            "%(distributor)s: %(count)s invoices.",
            distributor=distributor.display_name,
            count=len(invoices),
        )

    @api.model
    def _channel_billing_handle_error(self, error):
        """In a billing job run by queue_job, a clash with another
        transaction (``_channel_billing_is_retryable_error()``) is not noted
        on the distributor: the job raises queue_job's ``RetryableJobError``,
        its transaction is rolled back and it runs again a few seconds
        later, when the other transaction has committed. Its last try (its
        retries used up) notes the error as the scheduled action does, as do
        the scheduled action and any other caller."""
        super()._channel_billing_handle_error(error)
        job_uuid = self.env.context.get("channel_billing_job_uuid")
        if not job_uuid:
            return
        if isinstance(error, RetryableJobError):
            # Raised by an inner safety net (a company's savepoint): on to
            # queue_job.
            raise error
        if not self._channel_billing_is_retryable_error(error):
            return
        job = self.env["queue.job"].sudo().search([("uuid", "=", job_uuid)], limit=1)
        if job.max_retries and job.retry + 1 >= job.max_retries:
            return  # the job's last try: noted, billed by the next day's run
        raise RetryableJobError(
            self.env._(
                "Billing clashed with another transaction, run again in a few "
                "seconds: %(error)s",
                error=str(error).strip(),
            ),
            seconds=CLASH_RETRY_SECONDS,
        ) from error
