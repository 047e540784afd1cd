# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
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


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        if not self.env.su:
            partials._channel_check_settled_within()
        return partials

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
            beyond = self._channel_beyond(
                line.company_currency_id, line.balance, line.amount_residual
            ) or self._channel_beyond(
                line.currency_id, line.amount_currency, line.amount_residual_currency
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
