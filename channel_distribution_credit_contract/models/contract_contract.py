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


class ContractContract(models.Model):
    """The paid status of a subscription, as ``channel_paid_state`` of an
    order: its period sections on posted customer invoices, each paid by the
    credit addon's rule (``account.move._channel_section_allocation``)."""

    _inherit = "contract.contract"

    channel_paid_state = fields.Selection(
        PAID_STATES,
        string="Billed Paid",
        compute="_compute_channel_paid",
        search="_search_channel_paid_state",
        compute_sudo=True,
        groups="base.group_user",
        help="Whether the periods the subscription billed are paid: its "
        "sections on posted customer invoices, the payments of a "
        "consolidated invoice going to its sections oldest order first.",
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
        help="Part of what the subscription billed is unpaid past its "
        "invoice's due date.",
    )

    @api.model
    def _channel_paid_section_domain(self, unpaid_only=False, overdue_only=False):
        domain = [
            ("channel_contract_id", "!=", False),
            ("display_type", "=", "line_section"),
            ("parent_state", "=", "posted"),
            ("move_id.move_type", "=", "out_invoice"),
        ]
        if unpaid_only or overdue_only:
            domain.append(("move_id.payment_state", "in", ("not_paid", "partial")))
        if overdue_only:
            domain.append(
                ("move_id.invoice_date_due", "<", fields.Date.context_today(self))
            )
        return domain

    def _compute_channel_paid(self):
        today = fields.Date.context_today(self)
        sections = (
            self.env["account.move.line"]
            .sudo()
            .search(
                self._channel_paid_section_domain()
                + [("channel_contract_id", "in", self.ids)]
            )
        )
        totals = {contract: [0.0, 0.0, False, False] for contract in self}
        for move in sections.move_id:
            day = move.invoice_date or today
            for section in move._channel_section_allocation():
                contract = section["section"].channel_contract_id
                if contract not in totals:
                    continue
                total = totals[contract]
                total[0] += move.currency_id._convert(
                    section["due"], contract.currency_id, contract.company_id, day
                )
                total[1] += move.currency_id._convert(
                    section["paid"], contract.currency_id, contract.company_id, day
                )
                total[2] = True
                unpaid = move.currency_id.compare_amounts(
                    section["paid"], section["due"]
                )
                if (
                    unpaid < 0
                    and move.invoice_date_due
                    and move.invoice_date_due < today
                ):
                    total[3] = True
        for contract, (due, paid, billed, overdue) in totals.items():
            currency = contract.currency_id
            if not billed:
                state = "none"
            elif currency.compare_amounts(paid, due) >= 0:
                state = "paid"
            elif currency.is_zero(paid):
                state = "not_paid"
            else:
                state = "partial"
            contract.channel_paid_state = state
            contract.channel_amount_billed = due
            contract.channel_amount_paid = paid
            contract.channel_overdue = overdue

    @api.model
    def _channel_paid_candidates(self, unpaid_only=False, overdue_only=False):
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search(self._channel_paid_section_domain(unpaid_only, overdue_only))
        )
        return lines.channel_contract_id.with_env(self.env)

    def _search_channel_paid_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on the paid status."))
        values = {value} if isinstance(value, str) else set(value or ())
        candidates = self._channel_paid_candidates(
            unpaid_only=values <= {"not_paid", "partial"}
        )
        matching = candidates.filtered(lambda c: c.channel_paid_state in values)
        domain = [("id", "in", matching.ids)]
        if "none" in values:
            domain = ["|", *domain, ("id", "not in", candidates.ids)]
        if operator in ("!=", "not in"):
            domain = ["!", *domain]
        return domain

    def _search_channel_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue subscriptions."))
        overdue = self._channel_paid_candidates(overdue_only=True).filtered(
            "channel_overdue"
        )
        if (operator == "=") == value:
            return [("id", "in", overdue.ids)]
        return [("id", "not in", overdue.ids)]
