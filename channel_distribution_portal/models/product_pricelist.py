# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models

from .sale_order import NEW_LINES
from .sale_order_line import PRICE_BOOK_RULES


class ProductPricelist(models.Model):
    _inherit = "product.pricelist"

    def _get_applicable_rules(self, products, date, **kwargs):
        # The rules the new lines of a portal submission searched for all
        # their products (``sale.order.line._compute_pricelist_item_id``):
        # those of one of them are among them, in the same order.
        batch = self.env.cr.cache.get(NEW_LINES) or {}
        known = len(self) == 1 and batch.get(PRICE_BOOK_RULES, {}).get((self.id, date))
        if (
            known
            and not kwargs
            and products._name == "product.product"
            and set(products.ids) <= known[0]
        ):
            return self.env["product.pricelist.item"].browse(known[1])
        return super()._get_applicable_rules(products, date, **kwargs)
