# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.addons.channel_distribution.tools import channel_access_first
from odoo.exceptions import UserError
from odoo.tools.misc import format_amount


class AccountFullReconcile(models.Model):
    _inherit = "account.full.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        fulls = super().create(vals_list)
        if not self.env.su:
            fulls._channel_check_settled()
        return fulls

    @channel_access_first("write")
    def write(self, vals):
        res = super().write(vals)
        if not self.env.su:
            self._channel_check_settled()
        return res

    def _channel_check_settled(self):
        """A user's full reconciliation (Odoo's reconciliation makes it as
        the user, once its lines are settled) holds no line of a channel
        invoice with something left to pay: a line is settled when nothing
        is left in the company's currency or in its own, as Odoo's
        reconciliation judges it (twelfth probe, P12-11: an accountant's
        full reconciliation showed a "fully matched" number on a receivable
        line that still owed 1,379.00)."""
        for line in self.sudo().reconciled_line_ids:
            if any(
                currency.is_zero(residual)
                for currency, __, residual in line._channel_residuals()
            ):
                continue
            if not line.move_id._channel_is_channel_move():
                continue
            raise UserError(
                self.env._(
                    "%(line)s of %(move)s still owes %(amount)s: a channel "
                    "invoice's line is fully reconciled by Odoo's payments "
                    "and reconciliation, once nothing is left to pay.",
                    line=line.display_name,
                    move=line.move_id.display_name,
                    amount=format_amount(
                        self.env, line.amount_residual, line.company_currency_id
                    ),
                )
            )
