# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class ChannelContractAdjustment(models.Model):
    _inherit = "channel.contract.adjustment"

    channel_commission = fields.Monetary(
        string="Commission",
        compute="_compute_channel_commission",
        store=True,
        groups="base.group_user",
        help="What the distributor earns (negative: gives back) on this "
        "change: units x share of the period x its commission on one unit at "
        "the period's net price, rounded once to the cent, as the period's "
        "own commission is computed. The invoice or credit-note line of the "
        "change carries exactly this commission.",
    )

    @api.depends("quantity", "price_unit", "discount", "ratio", "period_start")
    def _compute_channel_commission(self):
        for adjustment in self:
            line = adjustment.contract_line_id
            if not line:
                adjustment.channel_commission = 0.0
                continue
            net = adjustment.price_unit * (1.0 - (adjustment.discount or 0.0) / 100.0)
            unit = line._channel_period_commission(net, adjustment.period_start)
            adjustment.channel_commission = adjustment.currency_id.round(
                adjustment.quantity * adjustment._channel_share() * unit
            )
