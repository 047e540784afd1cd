# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.addons.channel_distribution.tools import channel_access_first
from odoo.exceptions import UserError

# What a partial reconciliation settles: its lines and its amounts. Odoo's
# reconciliation creates partials with them and deletes them, never writes
# them (it writes a partial's exchange difference entry only).
SETTLING_FIELDS = frozenset(
    (
        "debit_move_id",
        "credit_move_id",
        "amount",
        "debit_amount_currency",
        "credit_amount_currency",
    )
)

# The lines a channel invoice is paid (or credited) on.
RECEIVABLE_TYPES = frozenset(("asset_receivable", "liability_payable"))

# The lines of money: a bank, cash or credit card account.
LIQUIDITY_TYPES = frozenset(("asset_cash", "liability_credit_card"))


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        foreign, moved = [], []
        if not self.env.su:
            foreign = self._channel_foreign_payers(vals_list)
            if foreign:
                self._channel_check_foreign_payer(*foreign[0][1:])
            moved = self._channel_moved_debts(vals_list)
            if moved:
                self._channel_check_moved_debt(*moved[0][1:])
        partials = super().create(vals_list)
        if not self.env.su:
            partials._channel_check_settled_within()
            for index, line, other, payer in foreign:
                partials[index]._channel_note_foreign_payer(line, other, payer)
            for index, line, other in moved:
                partials[index]._channel_note_moved_debt(line, other)
            # one note of a settlement: another party's, a moved debt's
            noted = {(index, line) for index, line, _other in moved} | {
                (index, line) for index, line, _other, _payer in foreign
            }
            for index, line, other in self._channel_unfunded_settlements(vals_list):
                if (index, line) not in noted:
                    partials[index]._channel_note_unfunded(line, other)
        return partials

    @api.model
    def _channel_foreign_payers(self, vals_list):
        """The partials to create (``vals_list``) that settle the receivable
        or payable line of a channel invoice with a line of another
        commercial partner (or of none) than the invoice's: [(index in
        ``vals_list``, the invoice's line, the other line, the other
        party)]. Odoo's reconciliation lets the partners differ; a payment
        of the invoice's own party (the usual case) costs no more than
        comparing them."""
        foreign = []
        for index, line, other in self._channel_settled_sides(vals_list):
            party = line.move_id.commercial_partner_id
            payers = self._channel_payers(other)
            if payers == party:
                continue
            if line.account_id.account_type not in RECEIVABLE_TYPES:
                continue
            if line.move_id._channel_is_channel_move():
                foreign.append((index, line, other, (payers - party)[:1]))
        return foreign

    @api.model
    def _channel_payers(self, line):
        """Whose money ``line`` is (commercial partners): its partner's and,
        on a payment's journal item, the payment's party's, which a user
        does not change once posted (the item's partner is written alone:
        thirteenth probe, P13-6, a line of another distributor's payment
        given the invoice's party)."""
        return (line.partner_id | line.payment_id.partner_id).commercial_partner_id

    @api.model
    def _channel_settled_sides(self, vals_list):
        """The lines the partials to create (``vals_list``) settle, each with
        the line it is settled with: ``(index in vals_list, line, other
        line)``, the debit line's then the credit line's, of the partials
        that name both (as superuser)."""
        Line = self.env["account.move.line"].sudo()
        for index, vals in enumerate(vals_list):
            debit = Line.browse(vals.get("debit_move_id") or [])
            credit = Line.browse(vals.get("credit_move_id") or [])
            if debit and credit:
                yield index, debit, credit
                yield index, credit, debit

    def _channel_check_foreign_payer(self, line, other, payer):
        """A channel invoice's receivable (or payable) is settled with
        another party's line by an accounting manager only (eleventh
        probe, P11-17: an accountant paid a distributor's invoice with
        another distributor's payment; on an agency invoice it pays out the
        commission)."""
        if self.env.user.has_group("account.group_account_manager"):
            return
        raise UserError(
            self.env._(
                "%(move)s is %(party)s's: it is not settled with %(entry)s of "
                "%(payer)s. Only an accounting manager reconciles a channel "
                "invoice with another party's payment.",
                move=line.move_id.display_name,
                party=line.move_id.commercial_partner_id.display_name,
                entry=other.move_id.display_name,
                payer=payer.display_name or self.env._("no partner"),
            )
        )

    def _channel_settled_amount(self, line):
        """What this partial settles of ``line`` (one of its two lines), in
        the line's currency."""
        partial = self.sudo()
        if line == partial.debit_move_id:
            return partial.debit_amount_currency
        return partial.credit_amount_currency

    def _channel_note_foreign_payer(self, line, other, payer):
        """Note in the chatter of ``line``'s channel invoice that this
        partial settled it with ``other``, a line of another party
        (``payer``)."""
        self.ensure_one()
        amount = self._channel_settled_amount(line)
        line.move_id.message_post(
            body=self.env._(
                "%(amount)s of %(payer)s (%(entry)s) reconciled with this "
                "invoice by %(user)s.",
                amount=line.currency_id.format(amount),
                payer=payer.display_name or self.env._("no partner"),
                entry=other.move_id.display_name,
                user=self.env.user.name,
            ),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )

    @api.model
    def _channel_moved_debts(self, vals_list):
        """The partials to create (``vals_list``) that settle the receivable
        or payable line of a channel invoice with a line whose entry takes
        the amount from a receivable or payable account, not from money or
        a credit: [(index in ``vals_list``, the invoice's line, the other
        line)]. Odoo's exchange difference entries, which fix the lines
        they are reconciled with on an exchange account, are not such
        entries (``channel_exchange_difference``, set while Odoo makes and
        reconciles them)."""
        if self.env.cr.cache.get("channel_exchange_difference"):
            return []
        moved = []
        for index, line, other in self._channel_settled_sides(vals_list):
            if (
                line.account_id.account_type in RECEIVABLE_TYPES
                and self._channel_takes_from_receivable(other)
                and line.move_id._channel_is_channel_move()
            ):
                moved.append((index, line, other))
        return moved

    @api.model
    def _channel_takes_from_receivable(self, line):
        """Whether the entry of ``line`` (what a channel invoice is
        reconciled with) takes the amount of ``line`` from a receivable or
        payable account: it both debits and credits receivable or payable
        accounts (a payment whose outstanding account, or write-off, is a
        receivable or payable; a debt moved from one such line to another).
        A payment, a bank entry, a write-off to another account or a credit
        note takes it from elsewhere: money, a loss or a credit."""
        sign = self._channel_sign(line)
        return bool(sign) and any(
            self._channel_sign(other) == -sign
            for other in line.move_id.line_ids
            if other.account_id.account_type in RECEIVABLE_TYPES
        )

    @api.model
    def _channel_sign(self, line):
        """1 for a debit, -1 for a credit, 0 for a line of no amount (in
        the company's currency, else in its own)."""
        sign = line.company_currency_id.compare_amounts(line.balance, 0.0)
        return sign or line.currency_id.compare_amounts(line.amount_currency, 0.0)

    def _channel_check_moved_debt(self, line, other):
        """A channel invoice's receivable (or payable) is settled with the
        line of an entry taking the amount from a receivable or payable
        account by an accounting manager only: nothing was received
        (thirteenth probe, P13-5: an accountant "paid" an agency invoice
        with a payment whose outstanding account was the receivable, or an
        entry debiting and crediting it: the residual 0.00, the commission
        paid out and the overdue hold lifted)."""
        if self.env.user.has_group("account.group_account_manager"):
            return
        raise UserError(
            self.env._(
                "%(entry)s settles %(move)s with no money: it takes the amount "
                "from a receivable or payable account (a payment or a "
                "write-off to such an account, a debt moved from one to "
                "another). A channel invoice is settled by money received, a "
                "write-off to another account or a credit note; only an "
                "accounting manager reconciles it with such an entry.",
                entry=other.move_id.display_name,
                move=line.move_id.display_name,
            )
        )

    def _channel_note_moved_debt(self, line, other):
        """Note in the chatter of ``line``'s channel invoice that this
        partial settled it with ``other``, whose entry takes the amount from
        a receivable or payable account."""
        self.ensure_one()
        amount = self._channel_settled_amount(line)
        line.move_id.message_post(
            body=self.env._(
                "%(amount)s of this invoice settled by %(entry)s, which takes "
                "it from a receivable or payable account (no money received), "
                "reconciled by %(user)s.",
                amount=line.currency_id.format(amount),
                entry=other.move_id.display_name,
                user=self.env.user.name,
            ),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )

    @api.model
    def _channel_unfunded_settlements(self, vals_list):
        """The partials to create (``vals_list``) that settle the receivable
        or payable line of a channel invoice with a line of a journal entry
        (not a payment's, nor a bank statement line's) with no money (no
        bank or cash line) and nothing written off or billed (no income or
        expense line): [(index in ``vals_list``, the invoice's line, the
        other line)]. Not refused: a customer's deposit or a clearing
        account applied to an invoice is such an entry, and so is a
        suspense account the amount is parked on (the "two-entry shuffle":
        the residual 0.00 lifts the overdue hold); noted for finance."""
        if self.env.cr.cache.get("channel_exchange_difference"):
            return []
        found = []
        for index, line, other in self._channel_settled_sides(vals_list):
            if (
                line.account_id.account_type in RECEIVABLE_TYPES
                and self._channel_is_unfunded_entry(other.move_id)
                and line.move_id._channel_is_channel_move()
            ):
                found.append((index, line, other))
        return found

    @api.model
    def _channel_is_unfunded_entry(self, move):
        """Whether ``move`` is a journal entry of no payment nor bank
        statement line whose lines are neither money (bank, cash, credit
        card) nor income or expense."""
        if (
            move.move_type != "entry"
            or move.origin_payment_id
            or move.statement_line_id
        ):
            return False
        return not any(
            line.account_id.account_type in LIQUIDITY_TYPES
            or line.account_id.internal_group in ("income", "expense")
            for line in move.line_ids
        )

    def _channel_note_unfunded(self, line, other):
        """Note in the chatter of ``line``'s channel invoice that this
        partial settled it with ``other``, a line of an entry with no money
        nor income or expense (``_channel_is_unfunded_entry``), naming the
        entry and its other accounts."""
        self.ensure_one()
        amount = self._channel_settled_amount(line)
        accounts = (other.move_id.line_ids - other).account_id
        line.move_id.message_post(
            body=self.env._(
                "%(amount)s of this invoice settled by %(entry)s, an entry "
                "with no money (no bank or cash line) and nothing written off "
                "(no income or expense line), against %(accounts)s; "
                "reconciled by %(user)s.",
                amount=line.currency_id.format(amount),
                entry=other.move_id.display_name,
                accounts=", ".join(accounts.mapped("display_name")),
                user=self.env.user.name,
            ),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )

    @channel_access_first("write")
    def write(self, vals):
        if not self.env.su and SETTLING_FIELDS & vals.keys():
            channel = self.sudo().filtered(lambda p: p._channel_settles_channel())
            if channel:
                raise UserError(
                    self.env._(
                        "The reconciliation of %(move)s settles a channel "
                        "invoice: its lines and amounts are Odoo's "
                        "reconciliation's, they are not edited (unreconcile "
                        "and reconcile again).",
                        move=channel[0]._channel_settled_moves()[0].display_name,
                    )
                )
        return super().write(vals)

    def _channel_settled_moves(self):
        """The channel invoices (or credit notes) whose lines this partial
        reconciles."""
        self.ensure_one()
        moves = (self.debit_move_id | self.credit_move_id).move_id
        return moves.filtered(lambda move: move._channel_is_channel_move())

    def _channel_settles_channel(self):
        self.ensure_one()
        return bool(self._channel_settled_moves())

    def _channel_check_settled_within(self):
        """A user's new partial of a channel invoice's line (Odoo's
        reconciliation runs as the user) leaves each of its lines with what
        is left to pay within its balance, of the same sign: Odoo's
        reconciliation never settles more than a line's residual; an
        amount given by hand over RPC would (eleventh probe, P11-9: an
        accountant paid a 1,380.00 invoice with a payment of 1.00, the
        payment line left with a residual of 1,379.00 on a balance of
        -1.00)."""
        partials = self.sudo().filtered(lambda p: p._channel_settles_channel())
        lines = partials.debit_move_id | partials.credit_move_id
        if not lines:
            return
        for line in lines:
            beyond = any(
                self._channel_beyond(*residual)
                for residual in line._channel_residuals()
            )
            if beyond:
                raise UserError(
                    self.env._(
                        "This reconciliation settles more than is left to pay "
                        "on %(move)s (%(line)s): a channel invoice is "
                        "reconciled by Odoo's payments and reconciliation, "
                        "with what its lines still owe.",
                        move=line.move_id.display_name,
                        line=line.display_name,
                    )
                )

    @api.model
    def _channel_beyond(self, currency, balance, residual):
        """Whether ``residual`` left on a line of ``balance`` goes past it
        or is of the other sign."""
        if currency.is_zero(residual):
            return False
        if currency.compare_amounts(balance, 0.0) == 0:
            return True
        if (residual > 0) != (balance > 0):
            return True
        return currency.compare_amounts(abs(residual), abs(balance)) > 0
