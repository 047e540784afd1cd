# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.addons.channel_distribution.tools import channel_access_first
from odoo.exceptions import UserError
from odoo.tools import format_amount


class AccountMove(models.Model):
    """OCA's commission figures of an invoice are the vendor's: an end
    customer (or any portal user) reading its invoice reads none of them."""

    _inherit = "account.move"

    commission_total = fields.Float(groups="base.group_user")
    partner_agent_ids = fields.Many2many(groups="base.group_user")
    settlement_count = fields.Integer(groups="base.group_user")
    settlement_ids = fields.One2many(groups="base.group_user")

    # OCA marks the settlements of a payout bill invoiced when it is posted,
    # in exception when it is cancelled and settled again when it is
    # deleted: a write of the settlements that only their managers may
    # make. Finance (invoicing rights) posts, cancels and deletes the bills
    # the payout made: the settlements follow, as superuser.

    def _channel_settlements_following(self):
        """The settlements of these moves, marked (for the transaction's
        cursor only: no client can set it) as following their bills'
        state."""
        following = self.env.cr.cache.setdefault("channel_settlements_following", set())
        ids = set(self.sudo().line_ids.settlement_id.ids)
        following.update(ids)
        return following, ids

    def _channel_settlements_billed_elsewhere(self, settlements):
        """The ``settlements`` a move other than these, not cancelled,
        bills."""
        return settlements.sudo().filtered(
            lambda s: s.invoice_line_ids.filtered(
                lambda line: line.parent_state != "cancel" and line.move_id not in self
            )
        )

    def _channel_check_settlements_billed_once(self):
        """A payout bill cancelled, then billed again by the next settlement,
        is not posted on top of the new one (a period paid twice)."""
        if not self.sudo().line_ids.settlement_id:
            return
        for move in self.sudo():
            others = move._channel_settlements_billed_elsewhere(
                move.line_ids.settlement_id
            ).invoice_line_ids.move_id.filtered(
                lambda m, move=move: m != move and m.state != "cancel"
            )
            if others:
                raise UserError(
                    self.env._(
                        "%(move)s pays commission settlements that %(others)s "
                        "pays already: cancel or delete it.",
                        move=move.display_name,
                        others=", ".join(others.mapped("display_name")),
                    )
                )

    def _channel_check_payout_bills(self):
        """At posting, for every user: a move paying commission settlements
        (their lines on it) is the payout of their agent, at their total
        (fifteenth probe, P15-6: the accountant posted Bluepeak's payout
        bill of 576.00 to Northwind at 62,600.00, the settlement still
        saying it was paid by it). Its partner is the settlement's agent
        for everyone (another party is paid by its own bill), and so is
        the account it pays to (its ``partner_bank_id``, which the payment
        made from it pays: an account of the agent's company or of its
        contacts, or none); its amount (untaxed) is the settlements' total,
        but for an accounting manager matching the distributor's own
        invoice (a rounding, a correction agreed with it), who posts
        another amount: the bill and its settlements note it."""
        for move in self.sudo().filtered(
            lambda m: m.state == "posted" and m.line_ids.settlement_id
        ):
            settlements = move.line_ids.settlement_id
            agents = settlements.agent_id.commercial_partner_id
            if agents != move.commercial_partner_id:
                raise UserError(
                    self.env._(
                        "%(move)s pays the commission settlements of "
                        "%(agents)s: it is posted for %(agents)s, not "
                        "%(partner)s.",
                        move=move.display_name,
                        agents=", ".join(agents.mapped("display_name")),
                        partner=move.commercial_partner_id.display_name or "-",
                    )
                )
            bank = move.partner_bank_id
            if bank and bank.partner_id.commercial_partner_id != agents:
                raise UserError(
                    self.env._(
                        "%(move)s pays the commission settlements of "
                        "%(agents)s: it pays to an account of theirs, not "
                        "%(account)s of %(holder)s.",
                        move=move.display_name,
                        agents=", ".join(agents.mapped("display_name")),
                        account=bank.display_name,
                        holder=bank.partner_id.display_name,
                    )
                )
            currency = move.currency_id
            total = sum(
                settlement.currency_id._convert(
                    settlement.total, currency, move.company_id, move.date
                )
                for settlement in settlements
            )
            owed = move._channel_payout_owed()
            if (
                currency.compare_amounts(total, 0) * currency.compare_amounts(owed, 0)
                < 0
            ):
                raise UserError(
                    self.env._(
                        "%(move)s is posted the other way round from its "
                        "commission settlements of %(total)s: what the "
                        "distributor earned is paid by a bill (or a credit "
                        "note to it), what it owes back by a refund.",
                        move=move.display_name,
                        total=format_amount(self.env, total, currency),
                    )
                )
            if not currency.compare_amounts(total, owed):
                continue
            amount = format_amount(self.env, owed, currency)
            total = format_amount(self.env, total, currency)
            if not self._channel_is_accounting_manager():
                raise UserError(
                    self.env._(
                        "%(move)s pays %(amount)s (untaxed) for commission "
                        "settlements of %(total)s: a payout is posted at its "
                        "settlements' total; another amount (to match the "
                        "distributor's own invoice) is an accounting "
                        "manager's.",
                        move=move.display_name,
                        amount=amount,
                        total=total,
                    )
                )
            move._channel_note_payout_amount(settlements, amount, total)

    def _channel_note_payout_amount(self, settlements, amount, total):
        """Note on this payout bill and on its ``settlements`` that an
        accounting manager posted it at ``amount`` (untaxed), not at the
        settlements' ``total`` (both formatted), for finance's review."""
        self.ensure_one()
        body = self.env._(
            "Commission payout posted at %(amount)s (untaxed) by %(user)s: "
            "its settlements total %(total)s.",
            amount=amount,
            user=self.env.user.display_name,
            total=total,
        )
        self.message_post(body=body)
        for settlement in settlements:
            settlement.message_post(
                body=self.env._(
                    "Paid by %(move)s, posted at %(amount)s (untaxed) by "
                    "%(user)s: the settlements it pays total %(total)s.",
                    move=self.display_name,
                    amount=amount,
                    user=self.env.user.display_name,
                    total=total,
                )
            )

    def _channel_payout_owed(self):
        """What this payout move says the vendor owes its distributor
        (untaxed, in the move's currency): a bill or a credit note to the
        distributor owes it its amount, a refund or an invoice to it is
        owed back."""
        self.ensure_one()
        if self.move_type in ("in_invoice", "out_refund"):
            return self.amount_untaxed
        return -self.amount_untaxed

    def _channel_settlements_keep_invoiced(self, settlements):
        """OCA's cancel and delete move the settlements of these bills out of
        *Invoiced*; those another live bill pays stay invoiced."""
        if not settlements:
            return
        self.env.invalidate_all()
        self._channel_settlements_billed_elsewhere(settlements).filtered(
            lambda s: s.state != "invoiced"
        ).write({"state": "invoiced"})

    def _compute_commission_total(self):
        # OCA sums each invoice's agent lines invoice by invoice: invoices
        # without any agent line (direct sales, mostly) total none, set at
        # once
        if not self.line_ids.agent_ids:
            self.commission_total = 0.0
            return None
        return super()._compute_commission_total()

    def action_switch_move_type(self):
        # A payout goes its settlements' way: OCA switches the bill of a
        # negative total to a refund, as superuser; a user's switch would
        # make the distributor owe what it earned (sixteenth probe, P16-B2).
        if not self.env.su and self.sudo().line_ids.settlement_id:
            raise UserError(
                self.env._(
                    "%(moves)s pays commission settlements: it is not "
                    "switched between a bill and a refund.",
                    moves=", ".join(
                        self.sudo()
                        .filtered(lambda m: m.line_ids.settlement_id)
                        .mapped("display_name")
                    ),
                )
            )
        return super().action_switch_move_type()

    def _reverse_moves(self, default_values_list=None, cancel=False):
        # A payout credited by a reversal leaves its settlements invoiced,
        # paid by nothing (sixteenth probe, P16-B7): cancelled, it gives
        # them back to the next settlement.
        if not self.env.su and self.sudo().line_ids.settlement_id:
            raise UserError(
                self.env._(
                    "%(moves)s pays commission settlements: it is not "
                    "reversed (they would stay invoiced, paid by nothing). "
                    "Reset it to draft and cancel it: the next settlement "
                    "bills them again.",
                    moves=", ".join(
                        self.sudo()
                        .filtered(lambda m: m.line_ids.settlement_id)
                        .mapped("display_name")
                    ),
                )
            )
        return super()._reverse_moves(default_values_list, cancel=cancel)

    def action_post(self):
        self._channel_check_settlements_billed_once()
        following, ids = self._channel_settlements_following()
        try:
            return super().action_post()
        finally:
            following.difference_update(ids)

    def _post(self, soft=True):
        res = super()._post(soft=soft)
        self._channel_check_payout_bills()
        return res

    @channel_access_first("write")
    def button_cancel(self):
        following, ids = self._channel_settlements_following()
        try:
            res = super().button_cancel()
        finally:
            following.difference_update(ids)
        self._channel_settlements_keep_invoiced(
            self.env["commission.settlement"].browse(ids)
        )
        return res

    @channel_access_first("unlink")
    def unlink(self):
        following, ids = self._channel_settlements_following()
        try:
            res = super().unlink()
        finally:
            following.difference_update(ids)
        self.env["account.move"]._channel_settlements_keep_invoiced(
            self.env["commission.settlement"].browse(ids)
        )
        return res

    # ------------------------------------------------------------------
    # Paid for commission: what the end customer paid
    # ------------------------------------------------------------------

    def _channel_commission_collected(self, orders=None):
        """Whether the end customer paid this customer invoice, for the
        channel commission of its lines of ``orders`` (of all its orders
        when not given): Odoo's paid (or in payment), its own amount
        collected (reconciled: a residual that reached 0.00 without any
        reconciliation collected nothing, nor did an invoice of 0.00 that
        deducts no down payment; a residual left collected nothing either,
        whatever Odoo's status says of a payment without a journal entry),
        and every down payment invoice it deducts for those orders collected
        too."""
        self.ensure_one()
        if (
            self.state != "posted"
            or self.payment_state not in ("paid", "in_payment")
            or not self.currency_id.is_zero(self.amount_residual)
        ):
            return False
        down_payments = self._channel_deducted_down_payments(orders)
        if self.currency_id.is_zero(self.amount_total):
            if not down_payments:
                return False
        elif not self._channel_reconciled():
            return False
        return all(
            down_payment._channel_commission_collected()
            for down_payment in down_payments
        )

    def _channel_reconciled(self):
        """Whether something was matched with this invoice's receivable (or
        payable): a payment's entry, a bank statement line, another entry
        (a payment without an entry matches nothing)."""
        self.ensure_one()
        terms = self.line_ids.filtered(
            lambda line: line.account_type in ("asset_receivable", "liability_payable")
        )
        return bool(terms.matched_debit_ids or terms.matched_credit_ids)

    def _channel_deducted_down_payments(self, orders=None):
        """The down payment invoices this customer invoice deducts (for
        ``orders`` only when given): the other customer invoices, not
        cancelled, that billed the down payment lines it deducts."""
        self.ensure_one()
        if self.move_type != "out_invoice":
            return self.browse()
        deducted = self.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
            and self.currency_id.compare_amounts(line.price_subtotal, 0.0) < 0
        ).sale_line_ids.filtered("is_downpayment")
        if orders is not None:
            deducted = deducted.filtered(lambda line: line.order_id in orders)
        return deducted.invoice_lines.filtered(
            lambda line: line.move_id != self
            and self.currency_id.compare_amounts(line.price_subtotal, 0.0) > 0
        ).move_id.filtered(
            lambda move: move.move_type == "out_invoice" and move.state != "cancel"
        )
