# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class CommissionLineMixin(models.AbstractModel):
    _inherit = "commission.line.mixin"

    def _get_commission_amount(self, commission, subtotal, product, quantity):
        """The channel type pays the line's channel commission (the
        price-book difference), not a share of its subtotal."""
        if commission.commission_type != "channel":
            return super()._get_commission_amount(
                commission, subtotal, product, quantity
            )
        self.ensure_one()
        if product.commission_free:
            return 0.0
        return self._get_channel_commission_amount(quantity)

    def _get_channel_commission_amount(self, quantity):
        """The channel commission of ``quantity`` units of the line this
        agent line belongs to; none where the line carries no channel
        commission (an order line, an object of another addon)."""
        return 0.0
