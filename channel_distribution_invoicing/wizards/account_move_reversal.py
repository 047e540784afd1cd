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
