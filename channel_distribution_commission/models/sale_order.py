# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models
from odoo.tools import format_amount


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _confirmation_error_message(self):
        return (
            super()._confirmation_error_message() or self._channel_below_book_message()
        )

    def _channel_below_book_lines(self):
        """The lines of this agency order priced under the distributor's
        price book (a negative channel commission) when the distributor is
        paid its commission: the commission would be charged to it. None on
        resale and direct orders, nor for a distributor not paid out."""
        self.ensure_one()
        order = self.sudo()
        if not (
            order.is_channel_order
            and order.financial_role == "end_customer"
            and order.distributor_id
            and order.distributor_id._channel_commission_commercial()
        ):
            return order.order_line.browse()
        return order.order_line.filtered(
            lambda line: not line.display_type
            and not line.is_downpayment
            and line.product_id
            and not line.product_id.commission_free
            and order.currency_id.compare_amounts(line.channel_commission, 0.0) < 0
        )

    def _channel_below_book_message(self):
        """Why this order is not confirmed: the lines under the book, with
        their net and book prices; False when there are none."""
        lines = self._channel_below_book_lines()
        if not lines:
            return False
        currency = self.currency_id
        details = "\n".join(
            self.env._(
                "- %(product)s x %(qty)s: %(net)s, at the price book %(book)s",
                product=line.product_id.display_name,
                net=format_amount(self.env, line.price_subtotal, currency),
                qty=format(line.product_uom_qty, "g"),
                book=format_amount(
                    self.env, line._channel_price_book_subtotal(), currency
                ),
            )
            for line in lines
        )
        return self.env._(
            "%(order)s is an agency order of %(distributor)s, whose commission "
            "is paid out: a line sold under the distributor's price book would "
            "have a negative commission, charged to the distributor for a "
            "price the vendor chose. Raise these prices to the price book or "
            "above, or sell these units outside the agency order:\n%(lines)s",
            order=self.name,
            distributor=self.distributor_id.commercial_partner_id.display_name,
            lines=details,
        )
