# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models

from .sale_order import NEW_LINES
from .sale_order_line import NO_DISTRIBUTION_MODELS


class AccountAnalyticDistributionModel(models.Model):
    _inherit = "account.analytic.distribution.model"

    def _get_applicable_models(self, vals):
        # The new lines of a portal submission found no model of their
        # companies nor of all companies
        # (``sale.order.line._compute_analytic_distribution``): none
        # applies, as Odoo's search (the company or none) would say.
        batch = self.env.cr.cache.get(NEW_LINES) or {}
        if vals.get("company_id", False) in batch.get(NO_DISTRIBUTION_MODELS, ()):
            return self.browse()
        return super()._get_applicable_models(vals)
