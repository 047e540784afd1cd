# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class AccountMoveReversal(models.TransientModel):
    _inherit = "account.move.reversal"

    def reverse_moves(self, is_modify=False):
        # "Reverse and create a new draft" bills the orders again on the new
        # draft; a plain reversal keeps what it credits credited (see
        # account.move._channel_keep_credits).
        return super(
            AccountMoveReversal, self.with_context(channel_reversal_modify=is_modify)
        ).reverse_moves(is_modify=is_modify)

    def _modify_default_reverse_values(self, origin_move):
        # The new invoice of "Reverse and Create" replaces a posted channel
        # invoice: it keeps its installments (thirteenth probe, P13-4; see
        # account.move._channel_check_reposted_due_dates).
        values = super()._modify_default_reverse_values(origin_move)
        origin = origin_move.sudo()
        if origin.move_type == "out_invoice" and origin._channel_is_channel_move():
            values["channel_posted_due_dates"] = origin._channel_due_dates_key()
        return values
