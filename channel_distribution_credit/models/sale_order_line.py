# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _compute_risk_amount(self):
        """A recurring line (OCA product_contract: ``is_contract``) is never
        invoiced from its order but by its subscription, period after
        period: its risk is the subscription's next period
        (``res.partner.risk_channel_subscription``), not the whole line."""
        # OCA's compute writes each line's risk in its company's currency (a
        # related field): read once for all the lines, not line by line
        self.mapped("company_currency_id")
        res = super()._compute_risk_amount()
        if "is_contract" in self._fields:
            # the product's flag (OCA's related field, computed line by
            # line, is not read)
            self.filtered("product_id.is_contract").risk_amount = 0.0
        return res
