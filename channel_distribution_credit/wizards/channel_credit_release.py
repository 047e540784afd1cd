# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ChannelCreditRelease(models.TransientModel):
    _name = "channel.credit.release"
    _description = "Release a Credit Hold"

    order_ids = fields.Many2many("sale.order", string="Orders", required=True)
    reason = fields.Text(required=True)

    def action_release(self):
        self.ensure_one()
        self.order_ids._channel_credit_release(self.reason)
        return {"type": "ir.actions.act_window_close"}
