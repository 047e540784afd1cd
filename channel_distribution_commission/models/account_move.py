# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


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

    def action_post(self):
        following, ids = self._channel_settlements_following()
        try:
            return super().action_post()
        finally:
            following.difference_update(ids)

    def button_cancel(self):
        following, ids = self._channel_settlements_following()
        try:
            return super().button_cancel()
        finally:
            following.difference_update(ids)

    def unlink(self):
        following, ids = self._channel_settlements_following()
        try:
            return super().unlink()
        finally:
            following.difference_update(ids)
