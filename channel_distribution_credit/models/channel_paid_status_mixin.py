# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

PAID_STATES = [
    ("none", "Not Invoiced"),
    ("not_paid", "Not Paid"),
    ("partial", "Partially Paid"),
    ("paid", "Paid"),
]


class ChannelPaidStatusMixin(models.AbstractModel):
    """The paid status of what a record (a channel order, a subscription)
    billed: its sections on posted customer invoices, each paid by the rule
    of ``account.move._channel_section_allocation``, summed in the record's
    currency, and the searches on that status.

    A model using it names the invoice lines that bill its records
    (``_channel_paid_line_field``, ``_channel_paid_section_domain``) and
    the sections of its records (``_channel_paid_sections``)."""

    _name = "channel.paid.status.mixin"
    _description = "Channel Paid Status"

    # The currency of the amounts: the model's own (sale.order and
    # contract.contract have one); declared here for the abstract model.
    currency_id = fields.Many2one("res.currency")
    channel_paid_state = fields.Selection(
        PAID_STATES,
        string="Billed Paid",
        compute="_compute_channel_paid",
        search="_search_channel_paid_state",
        compute_sudo=True,
        groups="base.group_user",
    )
    channel_amount_billed = fields.Monetary(
        string="Billed (Taxes Incl.)",
        compute="_compute_channel_paid",
        compute_sudo=True,
        groups="base.group_user",
    )
    channel_amount_paid = fields.Monetary(
        string="Billed and Paid",
        compute="_compute_channel_paid",
        compute_sudo=True,
        groups="base.group_user",
    )
    channel_overdue = fields.Boolean(
        string="Payment Overdue",
        compute="_compute_channel_paid",
        search="_search_channel_overdue",
        compute_sudo=True,
        groups="base.group_user",
    )

    # ------------------------------------------------------------------
    # hooks
    # ------------------------------------------------------------------

    @api.model
    def _channel_paid_line_field(self):
        """The field of ``account.move.line`` that names the record a line
        bills."""
        raise NotImplementedError()

    @api.model
    def _channel_paid_section_domain(self, unpaid_only=False, overdue_only=False):
        """The lines of posted customer invoices that bill records of the
        model (of an invoice not fully paid; past its due date)."""
        domain = [
            (self._channel_paid_line_field(), "!=", False),
            ("parent_state", "=", "posted"),
            ("move_id.move_type", "=", "out_invoice"),
        ]
        if unpaid_only or overdue_only:
            unpaid = self.env["account.move"]._channel_unpaid_domain()
            domain.append(("move_id", "any", unpaid))
        if overdue_only:
            overdue = self.env["account.move"]._channel_overdue_domain(
                fields.Date.context_today(self)
            )
            domain.append(("move_id", "any", overdue))
        return domain

    def _channel_paid_sections(self):
        """The sections of these records on posted customer invoices:
        ``(record, move, due, paid)``, in the invoice's currency."""
        raise NotImplementedError()

    @api.model
    def _channel_paid_overdue_search_error(self):
        """The message refusing a search on ``channel_overdue`` it does not
        support."""
        return self.env._("Unsupported search on the overdue status.")

    # ------------------------------------------------------------------
    # paid status
    # ------------------------------------------------------------------

    def _compute_channel_paid(self):
        today = fields.Date.context_today(self)
        totals = {record: [0.0, 0.0, False, False] for record in self}
        for record, move, due, paid in self._channel_paid_sections():
            if record not in totals:
                continue
            total = totals[record]
            day = move.invoice_date or today
            total[0] += move.currency_id._convert(
                due, record.currency_id, record.company_id, day
            )
            total[1] += move.currency_id._convert(
                paid, record.currency_id, record.company_id, day
            )
            total[2] = True
            if move.currency_id.compare_amounts(
                paid, due
            ) < 0 and move._channel_overdue_on(today):
                total[3] = True
        for record, (due, paid, billed, overdue) in totals.items():
            currency = record.currency_id
            if not billed:
                state = "none"
            elif currency.compare_amounts(paid, due) >= 0:
                state = "paid"
            elif currency.is_zero(paid):
                state = "not_paid"
            else:
                state = "partial"
            record.channel_paid_state = state
            record.channel_amount_billed = due
            record.channel_amount_paid = paid
            record.channel_overdue = overdue

    @api.model
    def _channel_paid_candidates(self, unpaid_only=False, overdue_only=False):
        """The records billed on a posted customer invoice (one not fully
        paid; past its due date)."""
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search(self._channel_paid_section_domain(unpaid_only, overdue_only))
        )
        return lines.mapped(self._channel_paid_line_field()).with_env(self.env)

    def _search_channel_paid_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on the paid status."))
        values = {value} if isinstance(value, str) else set(value or ())
        candidates = self._channel_paid_candidates(
            unpaid_only=values <= {"not_paid", "partial"}
        )
        matching = candidates.filtered(lambda r: r.channel_paid_state in values)
        domain = [("id", "in", matching.ids)]
        if "none" in values:
            domain = ["|", *domain, ("id", "not in", candidates.ids)]
        if operator in ("!=", "not in"):
            domain = ["!", *domain]
        return domain

    def _search_channel_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self._channel_paid_overdue_search_error())
        overdue = self._channel_paid_candidates(overdue_only=True).filtered(
            "channel_overdue"
        )
        if (operator == "=") == value:
            return [("id", "in", overdue.ids)]
        return [("id", "not in", overdue.ids)]
