# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models

from .sale_order import NEW_LINES

# Keys of NEW_LINES: the rules of a price book for the products of the new
# lines, by (price book, date): (product ids, rule ids in the search's
# order); the companies (and False) that have no analytic distribution model.
PRICE_BOOK_RULES = "price_book_rules"
NO_DISTRIBUTION_MODELS = "no_distribution_models"


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _compute_pricelist_item_id(self):
        # A portal submission's new lines: the rules of their price book are
        # searched once for all their products (Odoo searched them for each
        # line's product). Odoo then picks each line's rule among them as it
        # does among the rules of several products
        # (``product.pricelist._compute_price_rule``): a rule of another
        # product or category does not apply to the line.
        batch = self.env.cr.cache.get(NEW_LINES)
        if batch is None:
            return super()._compute_pricelist_item_id()
        products = {}
        for line in self:
            order = line.order_id
            if line.product_id and not line.display_type and order.pricelist_id:
                key = (order.pricelist_id, order.date_order)
                products[key] = products.get(key, line.product_id) | line.product_id
        known = {}
        for (pricelist, date), group in products.items():
            if len(group) > 1:
                rules = pricelist._get_applicable_rules(group, date)
                known[pricelist.id, date] = (set(group.ids), rules.ids)
        batch[PRICE_BOOK_RULES] = known
        try:
            return super()._compute_pricelist_item_id()
        finally:
            batch.pop(PRICE_BOOK_RULES, None)

    def _compute_analytic_distribution(self):
        # A portal submission's new lines: when neither their companies nor
        # all companies have an analytic distribution model, Odoo's search
        # of the models for each line finds none (each keeps its
        # distribution); one search for the lines says so.
        batch = self.env.cr.cache.get(NEW_LINES)
        if batch is None:
            return super()._compute_analytic_distribution()
        companies = [False, *self.company_id.ids]
        Model = self.env["account.analytic.distribution.model"]
        if Model.search_count([("company_id", "in", companies)], limit=1):
            return super()._compute_analytic_distribution()
        batch[NO_DISTRIBUTION_MODELS] = set(companies)
        try:
            return super()._compute_analytic_distribution()
        finally:
            batch.pop(NO_DISTRIBUTION_MODELS, None)
