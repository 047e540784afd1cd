# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, modules
from odoo.addons.channel_distribution.tools import (
    channel_access_first,
    channel_check_scheduler,
)
from odoo.exceptions import AccessError
from odoo.tools import SQL, plaintext2html

_logger = logging.getLogger(__name__)

# A distributor's commission terms: only channel managers change them (the
# scheduled job moves the dates, as superuser).
COMMISSION_TERMS_FIELDS = [
    "channel_commission_paid",
    "channel_commission_payout",
    "channel_commission_next_date",
    "channel_commission_last_date",
]

# OCA's commission fields of a partner (commission_oca): terms of the
# channel's partners, which the commission managers set too.
AGENT_FIELDS = ["agent", "agent_type", "commission_id", "agent_ids", "settlement"]


class ResPartner(models.Model):
    """Commission terms of a distributor: whether its agency commission is
    paid out, how (a vendor bill from it or a credit note to it) and, with
    OCA's settlement period, when."""

    _inherit = "res.partner"

    channel_commission_paid = fields.Boolean(
        string="Commission Paid Out",
        help="Pay this distributor the commission it earns on its agency "
        "business (the end customer's price minus its price book): it becomes "
        "the commission agent of its agency invoice lines, and its paid "
        "invoices are settled each period.",
    )
    channel_commission_payout = fields.Selection(
        [
            ("in_invoice", "Vendor bill from the distributor"),
            ("out_refund", "Credit note to the distributor"),
        ],
        string="Commission Payout",
        default="in_invoice",
        help="Vendor bill: each settlement becomes a draft vendor bill from "
        "the distributor, checked and posted by finance. Credit note: each "
        "settlement becomes a posted credit note to the distributor, which "
        "nets against what it owes on its consolidated invoices.",
    )
    channel_commission_next_date = fields.Date(
        string="Next Commission Settlement",
        readonly=True,
        copy=False,
        help="The day the scheduled job settles and pays the periods ended "
        "before it.",
    )
    channel_commission_last_date = fields.Date(
        string="Last Commission Settlement",
        readonly=True,
        copy=False,
        help="Last day the scheduled job settled this distributor or tried "
        "to; after a failure it tries again the next day.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("channel_commission_paid"):
                vals.setdefault("agent", True)
            self.browse()._channel_check_agent_fields(vals)
        partners = super().create(vals_list)
        partners.filtered("channel_commission_paid")._channel_commission_schedule()
        return partners

    @channel_access_first("write")
    def write(self, vals):
        self._channel_check_agent_fields(vals)
        if "settlement" in vals and any(
            partner.channel_commission_paid and partner.settlement != vals["settlement"]
            for partner in self
        ):
            self._check_channel_manager()
        if vals.get("channel_commission_paid"):
            vals = dict(vals, agent=True)
        res = super().write(vals)
        if vals.get("channel_commission_paid") or "settlement" in vals:
            self.filtered("channel_commission_paid")._channel_commission_schedule()
        return res

    @api.model
    def _channel_manager_fields(self):
        return super()._channel_manager_fields() + COMMISSION_TERMS_FIELDS

    @api.model
    def _channel_company_terms_fields(self):
        # who is paid a commission, under which period (fifteenth probe,
        # P15-4: the settlement period and agent flag of the first
        # company's distributor changed by the second's manager)
        return super()._channel_company_terms_fields() | set(
            self._channel_agent_fields()
        )

    @api.model
    def _channel_agent_fields(self):
        """OCA's commission fields of a partner: who is an agent, under which
        commission and period, and the agents of a customer's invoices."""
        return list(AGENT_FIELDS)

    @api.model
    def _get_channel_term_groups(self, name):
        groups = super()._get_channel_term_groups(name)
        if name in self._channel_agent_fields():
            return (*groups, "commission_oca.group_commission_manager")
        return groups

    def _channel_check_agent_fields(self, vals):
        """Who is paid a commission on whose invoices is decided by those
        who set the channel's terms (``_channel_may_set_terms``: channel
        and accounting managers, and commission managers): a write that
        changes those fields of a channel partner (or a create that sets
        them other than a new partner gets) by anyone else is refused,
        before anything is written."""
        names = [name for name in self._channel_agent_fields() if name in vals]
        if not names or self._channel_may_set_terms(names):
            return
        for name in names:
            field = self._fields[name]
            if self:
                changed = self.sudo().filtered(
                    lambda partner, n=name: partner._channel_term_changed(n, vals[n])
                )
            elif self._channel_terms_given(vals, [name]):
                changed = [self.browse()]  # the new partner
            else:
                continue
            for record in changed:
                new = field.convert_to_cache(vals[name], record, validate=False)
                if field.type == "many2many":
                    new = set(new or ())
                if record._channel_agents_in_scope(
                    name, new, vals
                ) and not record._channel_agents_of_company(name, new, vals):
                    raise AccessError(
                        self.env._(
                            "Only commission, channel and accounting managers "
                            "make a partner a commission agent or change the "
                            "agents, commission and settlement period of a "
                            "partner."
                        )
                    )

    def _channel_agents_in_scope(self, name, value, vals):
        """Whether the channel decides this change: the partner is of the
        channel (a distributor, an end customer managed by one, their
        contacts, or what ``vals`` makes so), or ``value`` makes a
        distributor an agent. Elsewhere OCA's rules apply (a salesperson
        setting the vendor's own agents on a direct customer)."""
        if self.sudo()._channel_terms_scope(vals):
            return True
        if name != "agent_ids":
            return False
        return bool(self.sudo().browse(value or []).filtered("is_distributor"))

    def _channel_agents_of_company(self, name, agents, vals):
        """Whether ``agents`` (ids) are the agents of the company this
        contact (or the new one of ``vals``) belongs to: OCA's agents are a
        commercial field, which a contact takes from its company."""
        if name != "agent_ids":
            return False
        parent = self.browse(vals.get("parent_id") or []) or self.parent_id
        company = parent.sudo().commercial_partner_id
        return bool(company) and set(company.agent_ids.ids) == agents

    def _channel_commission_schedule(self):
        """The next settlement day: the start of the next period."""
        today = fields.Date.context_today(self)
        for partner in self.sudo():
            partner.channel_commission_next_date = (
                partner._channel_commission_next_date(today)
            )

    def _channel_commission_next_date(self, day):
        """The first day of the settlement period after the one of ``day``
        (OCA's periods: monthly, quarterly...)."""
        self.ensure_one()
        wizard = self.env["commission.make.settle"]
        start = wizard._get_period_start(self, day)
        if not start:  # no period set: monthly
            return fields.Date.start_of(day, "month") + relativedelta(months=1)
        return wizard._get_next_period_date(self, start)

    def _channel_commission_commercial(self):
        """The distributor paid the commission of an order or subscription
        of this distributor (or of one of its contacts): its commercial
        entity, when its commission is paid out."""
        self.ensure_one()
        distributor = self.commercial_partner_id
        if distributor.is_distributor and distributor.channel_commission_paid:
            return distributor
        return self.browse()

    def _channel_commission_default(self):
        """The commission of the distributor's agent lines: its own when of
        the channel type, else the product's."""
        self.ensure_one()
        if self.commission_id.commission_type == "channel":
            return self.commission_id
        return self.env.ref("channel_distribution_commission.commission_channel")

    # ------------------------------------------------------------------
    # Settlement and payout
    # ------------------------------------------------------------------

    def channel_settle_commissions(self, date=None):
        """Settle and pay these distributors' commission of the periods
        ended before ``date`` (today by default): OCA settlements of their
        settleable agent lines (paid invoices, credit notes of paid-out
        ones), then one bill or credit note per settlement with something
        to pay. Returns the ids of the new bills and credit notes. For
        users with invoicing rights."""
        if not (
            self.env.su or self.env.user.has_group("account.group_account_invoice")
        ):
            raise AccessError(
                self.env._("Only users with invoicing rights settle commissions.")
            )
        date = fields.Date.to_date(date) or self._channel_run_today()
        self._channel_check_run_day(date, self.env._("Commission settlement"))
        # A user settles in the companies it works in (the settlement runs
        # as superuser); the system in all of them.
        companies = None if self.env.su else self.env.companies
        return (
            self.filtered("channel_commission_paid")
            ._channel_settle_commission(date, companies=companies)
            .ids
        )

    def _channel_settle_commission(self, date, companies=None):
        """Settle these distributors at once (one OCA settlement wizard for
        all of them), then pay out their settled periods ended before the
        period of ``date`` (each distributor's own period), all bills and
        credit notes made together; of ``companies`` only when given.
        Returns the new moves."""
        if not self:
            return self.env["account.move"]
        Settle = self.env["commission.make.settle"].sudo()
        if companies is not None:
            Settle = Settle.with_context(
                channel_settle_company_ids=tuple(companies.ids)
            )
        settle = Settle.create(
            {
                "date_to": date,
                "agent_ids": [fields.Command.set(self.ids)],
                "settlement_type": "sale_invoice",
            }
        )
        # OCA's wizard reads its agents as any many2many (archived ones
        # left out) and settles every active agent when it reads none: an
        # archived distributor is settled, and settled alone
        settle.with_context(active_test=False).action_settle()
        cutoffs = {
            distributor.id: settle._get_period_start(distributor, date)
            for distributor in self
        }
        settlements = (
            self.env["commission.settlement"]
            .sudo()
            .search(
                [
                    ("agent_id", "in", self.ids),
                    # a settlement whose bills were all cancelled is owed
                    # still: billed again (OCA leaves it in exception)
                    ("state", "in", ("settled", "except_invoice")),
                    ("settlement_type", "=", "sale_invoice"),
                    ("date_to", "<", date),
                ]
                + (
                    [("company_id", "in", companies.ids)]
                    if companies is not None
                    else []
                ),
                order="agent_id, date_from, id",
            )
            .filtered(
                lambda s: cutoffs[s.agent_id.id]
                and s.date_to < cutoffs[s.agent_id.id]
                and (
                    s.state == "settled"
                    or not s.invoice_line_ids.filtered(
                        lambda line: line.parent_state != "cancel"
                    )
                )
            )
        )
        return settlements._channel_pay_out(date)

    @api.model
    def _channel_commission_commit(self):
        """Commit one batch of the scheduled job (not while testing)."""
        if not modules.module.current_test:
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _cron_channel_settle_commissions(self, batch_limit=20):
        """Scheduled job: settle and pay the distributors whose settlement
        day has come, one distributor per batch, committed batch by batch.

        A distributor is done when its next settlement date moves on, in the
        same transaction as its settlements and bills: a job stopped in the
        middle resumes with the distributors left, and OCA's settled flag of
        the agent lines keeps anything from being settled twice. A failure
        keeps the date, is noted on the distributor with an activity for
        finance, and is retried the next day.
        """
        channel_check_scheduler(
            self.env, self.env._("The settlement of distributors' commissions")
        )
        today = fields.Date.context_today(self)
        # archived distributors too: archiving one pays nothing out, and
        # the commission it earned is still owed
        due = (
            self.with_context(active_test=False)
            .search(
                [
                    ("channel_commission_paid", "=", True),
                    ("channel_commission_next_date", "<=", today),
                    "|",
                    ("channel_commission_last_date", "=", False),
                    ("channel_commission_last_date", "<", today),
                ],
                order="id",
            )
            .with_env(self.env)
        )
        done = 0
        for distributor in due[:batch_limit]:
            distributor._channel_settle_scheduled_safely(today)
            done += 1
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(due) - done)
            self._channel_commission_commit()
        if not due:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
        return done

    def _channel_settle_scheduled_safely(self, today):
        self.ensure_one()
        xmlid = (
            "channel_distribution_commission.mail_activity_channel_commission_failed"
        )
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM res_partner WHERE id = %s "
                        "FOR UPDATE SKIP LOCKED",
                        self.id,
                    )
                )
                if not self.env.cr.fetchone():
                    return self.env["account.move"]  # another run has it
                moves = self._channel_settle_commission(today)
                self.sudo().write(
                    {
                        "channel_commission_last_date": today,
                        "channel_commission_next_date": (
                            self._channel_commission_next_date(today)
                        ),
                    }
                )
                self.activity_feedback(
                    [xmlid], feedback=self.env._("Settled by the scheduled job.")
                )
                return moves
        except Exception as error:  # pylint: disable=broad-except
            _logger.warning(
                "Commission settlement of %s failed: %s",
                self.display_name,
                error,
                exc_info=True,
            )
            self.message_post(
                body=self.env._(
                    "Commission settlement failed: %(error)s", error=str(error)
                )
            )
            self._channel_commission_alert(xmlid, error)
            self.sudo().write({"channel_commission_last_date": today})
            return self.env["account.move"]

    def _channel_commission_alert(self, xmlid, error):
        """An activity for finance (one open at a time): the user alerted
        of failed scheduled invoicing."""
        activity_type = self.env.ref(xmlid)
        if self.activity_ids.filtered(lambda a: a.activity_type_id == activity_type):
            return
        company = self.company_id or self.env.company
        user = company._channel_invoicing_alert_user()
        if not user:
            return
        self.activity_schedule(
            xmlid,
            user_id=user.id,
            summary=self.env._("Commission settlement failed"),
            note=plaintext2html(str(error)),
        )
