# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class ResPartner(models.Model):
    """The next period of the subscriptions a partner is invoiced for is
    part of its risk (``risk_channel_subscription``, computed, not stored):
    what it reads of them is declared, so that a subscription started,
    changed, billed or ended drops the figures read before in the
    transaction (and OCA's total and exception computed from them)."""

    _inherit = "res.partner"

    channel_risk_contract_ids = fields.One2many(
        "contract.contract",
        "commercial_partner_id",
        string="Subscriptions Invoiced",
        groups="base.group_user",
        help="The subscriptions whose invoiced party's commercial entity is "
        "this partner: their next period is part of its risk.",
    )

    @api.depends(
        "channel_risk_contract_ids.active",
        "channel_risk_contract_ids.company_id",
        "channel_risk_contract_ids.contract_type",
        "channel_risk_contract_ids.currency_id",
        "channel_risk_contract_ids.channel_state",
        "channel_risk_contract_ids.channel_next_amount",
    )
    def _compute_risk_channel_subscription(self):
        return super()._compute_risk_channel_subscription()
