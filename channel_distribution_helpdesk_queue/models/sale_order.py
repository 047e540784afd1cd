# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import hashlib

from odoo import api, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    """Commissioning tickets raised by a queue job after the confirmation
    (the company's *Raise Commissioning Tickets in the Background*): the
    confirmation enqueues one job per company for the orders confirmed
    together; the job raises their tickets, followers and alerts with the
    method the confirmation calls without the setting
    (``_commissioning_raise_tickets``)."""

    _inherit = "sale.order"

    commissioning_queued = fields.Boolean(
        string="Commissioning Tickets Queued",
        readonly=True,
        copy=False,
        help="The order's commissioning tickets are to be raised by a queue "
        "job that has not run yet; cleared when they are raised (by the job "
        "or by Raise Commissioning Tickets) or the order is cancelled.",
    )

    @api.depends("commissioning_queued")
    def _compute_commissioning_state(self):
        # Tickets still to be raised: the commissioning is pending.
        queued = self.filtered("commissioning_queued")
        res = super(SaleOrder, self - queued)._compute_commissioning_state()
        queued.commissioning_state = "pending"
        return res

    def _channel_check_computed_write(self, vals):
        # *Commissioning Tickets Queued* is set by the confirmation and
        # cleared when the tickets are raised or the order is cancelled (as
        # superuser): no user writes it, nor gives it to a new order.
        if "commissioning_queued" in vals:
            raise UserError(
                self.env._(
                    "Whether an order's commissioning tickets are queued is "
                    "set by its confirmation and cleared when they are "
                    "raised: it is not written."
                )
            )
        return super()._channel_check_computed_write(vals)

    def _commissioning_raise_tickets_on_confirm(self):
        background = self.filtered(
            lambda order: order.company_id.commissioning_tickets_background
        )
        res = super(
            SaleOrder, self - background
        )._commissioning_raise_tickets_on_confirm()
        background._commissioning_enqueue_tickets()
        return res

    def _commissioning_raise_tickets(self):
        # Raised now, whoever asks (the job, the button, lines added to the
        # order): nothing is queued any more.
        self.filtered("commissioning_queued").sudo().commissioning_queued = False
        return super()._commissioning_raise_tickets()

    def _action_cancel(self):
        res = super()._action_cancel()
        # A cancelled order gets no ticket: the job skips it.
        self.filtered("commissioning_queued").sudo().commissioning_queued = False
        return res

    def _commissioning_job_key(self):
        """The identity of the job raising the tickets of the orders in
        ``self`` (one company's): enqueued again for the same orders while
        it waits, it is not doubled."""
        ids = ",".join(str(order_id) for order_id in sorted(self.ids))
        digest = hashlib.sha256(ids.encode()).hexdigest()[:32]
        company = ",".join(str(company_id) for company_id in self.company_id.ids)
        return f"channel_commissioning_tickets:{company}:{digest}"

    def _commissioning_enqueue_tickets(self):
        """Enqueue the job raising the commissioning tickets of the orders
        in ``self`` that need any: one job per company, run once the
        transaction has committed; the orders show their commissioning
        pending meanwhile. Returns the queue_job jobs."""
        orders = self._commissioning_orders_to_raise()
        if not orders:
            return []
        orders.sudo().commissioning_queued = True
        jobs = []
        for company, company_orders in orders.grouped("company_id").items():
            jobs.append(
                company_orders.with_company(company)
                .with_delay(
                    identity_key=company_orders._commissioning_job_key(),
                    description=self.env._(
                        "Commissioning tickets of %(count)s orders (%(orders)s)",
                        count=len(company_orders),
                        orders=", ".join(company_orders[:3].mapped("name"))
                        + (", …" if len(company_orders) > 3 else ""),
                    ),
                )
                ._commissioning_tickets_job()
            )
        return jobs

    def _commissioning_tickets_job(self):
        """The job: raise the commissioning tickets of the orders as their
        confirmation does without the setting (``_commissioning_raise_tickets``:
        tickets, followers and alert activities in one batch; what cannot be
        raised noted on the order with an exception activity). Run again (a
        retry, a requeue) it raises nothing twice: lines already on a ticket
        are skipped. Orders cancelled or deleted meanwhile get nothing."""
        orders = self.exists()
        confirmed = orders.filtered(lambda order: order.state == "sale")
        before = confirmed.sudo().ticket_ids
        orders._commissioning_raise_tickets()
        confirmed.invalidate_recordset(["ticket_ids"])
        raised = confirmed.sudo().ticket_ids - before
        return self.env._(
            "%(orders)s orders confirmed, %(tickets)s commissioning tickets " "raised.",
            orders=len(confirmed),
            tickets=len(raised),
        )
