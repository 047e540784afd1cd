# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.addons.channel_distribution.tools import channel_access_first

# What raises a line's amount: its quantity and terms, another product.
RAISING_FIELDS = frozenset(
    ("product_uom_qty", "price_unit", "discount", "tax_id", "product_id", "product_uom")
)


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        if not self._channel_credit_checked_orders_of(vals_list):
            return super().create(vals_list)
        # refused, nothing is left of the lines, in the caller's
        # transaction too (its cache and the database): the savepoint
        # flushes, then rolls back and clears the cache
        with self.env.cr.savepoint():
            lines = super().create(vals_list)
            orders = lines._channel_credit_checked_orders()
            if orders:
                before = {
                    order: order.amount_total
                    - sum((lines & order.order_line).mapped("price_total"))
                    for order in orders
                }
                orders._channel_credit_check_raised(before)
        return lines

    @channel_access_first("write")
    def write(self, vals):
        orders = (
            self._channel_credit_checked_orders()
            if RAISING_FIELDS & vals.keys()
            else self.env["sale.order"]
        )
        if not orders:
            return super().write(vals)
        before = {order: order.amount_total for order in orders}
        # refused, the lines keep what they had, in the caller's transaction
        # too (eleventh probe, P11-13's follow-up)
        with self.env.cr.savepoint():
            res = super().write(vals)
            orders._channel_credit_check_raised(before)
        return res

    @api.model
    def _channel_credit_checked_orders_of(self, vals_list):
        """The confirmed channel orders that lines to create
        (``vals_list``) join, whose raise is checked against the credit
        limit (``_channel_credit_checked_orders``)."""
        Order = self.env["sale.order"]
        order_ids = {vals["order_id"] for vals in vals_list if vals.get("order_id")}
        if not order_ids or Order._channel_credit_may_bypass():
            return Order
        return (
            Order.sudo()
            .browse(order_ids)
            .filtered(lambda order: order.is_channel_order and order.state == "sale")
        )

    def _channel_credit_checked_orders(self):
        """The confirmed channel orders of these lines whose raise a user
        who confirms no order past a credit limit makes is checked against
        it (eleventh probe, P11-13: a salesman raised his confirmed order
        from 1,104.00 to 110,400.00 past a 50,000 limit, with no hold)."""
        Order = self.env["sale.order"]
        if not self or Order._channel_credit_may_bypass():
            return Order
        return self.sudo().order_id.filtered(
            lambda order: order.is_channel_order and order.state == "sale"
        )

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
            # line, is not read), read once per product: a filter on the
            # path "product_id.is_contract" maps it line by line
            recurring = self.product_id.filtered("is_contract")
            if recurring:
                self.filtered(
                    lambda line: line.product_id in recurring
                ).risk_amount = 0.0
        return res
