# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models
from odoo.tools import float_compare, float_round


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _prepare_contract_line_values(
        self, contract, predecessor_contract_line_id=False
    ):
        vals = super()._prepare_contract_line_values(
            contract, predecessor_contract_line_id=predecessor_contract_line_id
        )
        if self.order_id.is_channel_order:
            self._channel_check_contract_recurrence()
            vals.update(self._prepare_channel_contract_line_price())
            distributor = self.order_id.distributor_id
            day = distributor and distributor._channel_coterm_day()
            if day:
                vals = self.env["contract.line"]._channel_coterm_line_vals(vals, day)
        return vals

    def _channel_check_contract_recurrence(self):
        """A channel subscription line is billed on its product's period
        (the price is a period's): an order line sold on another cannot
        start one."""
        self.ensure_one()
        self.env["contract.line"]._channel_check_product_recurrence(
            self.product_id, self.recurring_rule_type, self.recurring_interval
        )

    def _channel_price_book_discount(self):
        """The share (0 to 1) of the line's discount that its price book
        gives: with discounts on order lines, Odoo shows a percentage rule of
        the pricelist as a discount off the list price. None otherwise (the
        unit price is the price book's)."""
        self.ensure_one()
        item = self.pricelist_item_id
        if not (item and item._show_discount()):
            return 0.0
        line = self.with_company(self.company_id)
        base = line._get_pricelist_price_before_discount()
        if not base:
            return 0.0
        return max(0.0, 1.0 - line._get_pricelist_price() / base)

    def _channel_price_negotiated(self, price, digits):
        """Whether ``price`` (the subscription line's unit price, before the
        order's own discount) is the order's own rather than the price
        book's: a negotiated price is kept for the term, a book price
        follows the book."""
        self.ensure_one()
        book = self.with_company(self.company_id)._get_pricelist_price()
        return bool(float_compare(price, book, precision_digits=digits))

    def _prepare_channel_contract_line_price(self):
        """The price and discount of the subscription line of this order
        line: the order's unit price (the book's share of a discount shown
        taken off) and the discount the order gave on top of it, kept for
        every period; whether the price is negotiated (kept for the term)
        or the book's (the line follows the book)."""
        self.ensure_one()
        book = self._channel_price_book_discount()
        own = 0.0
        if book < 1.0:
            own = 1.0 - (1.0 - (self.discount or 0.0) / 100.0) / (1.0 - book)
        precision = self.env["decimal.precision"]
        digits = precision.precision_get("Product Price")
        price = float_round(self.price_unit * (1.0 - book), precision_digits=digits)
        return {
            "price_unit": price,
            "channel_price_fixed": self._channel_price_negotiated(price, digits),
            "discount": float_round(
                max(own, 0.0) * 100.0,
                precision_digits=precision.precision_get("Discount"),
            ),
        }
