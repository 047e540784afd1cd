# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare

from ..tools import channel_access_first, channel_field_labels, channel_stored_computes

CHANNEL_MANAGER = "channel_distribution.group_channel_manager"

# The commercial terms of a channel order's line: the price book's price,
# the discount and taxes. Once the order is confirmed they are a channel
# manager's: a salesman raised his confirmed order's price, a -500 %
# discount (eleventh probe, P11-13); a line added is priced by the book.
CONFIRMED_TERMS = ("price_unit", "discount", "tax_id", "technical_price_unit")


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # Labelled Channel Commission (from its name): OCA's commission status
    # of agent lines is Commission.
    channel_commission = fields.Monetary(
        compute="_compute_channel_commission",
        store=True,
        groups="base.group_user",
        help="Resale: list price minus the distributor's price. Agency: the "
        "end customer's price minus the distributor's price book. Untaxed "
        "(a price that includes VAT counts without it).",
    )
    end_customer_id = fields.Many2one(
        related="order_id.end_customer_id",
        store=True,
        index=True,
    )
    distributor_id = fields.Many2one(
        related="order_id.distributor_id",
        store=True,
        index=True,
    )
    # Odoo computes a new line's analytic distribution while it prices the
    # line (the taxes' base line reads it) but does not keep it: the line
    # was written without it and computed it again (a search of the
    # distribution models per line). Precomputed, it is written with the
    # line, computed once.
    analytic_distribution = fields.Json(
        compute="_compute_analytic_distribution", store=True, precompute=True
    )

    @api.depends(
        "price_subtotal",
        "product_id",
        "product_uom",
        "product_uom_qty",
        "order_id.is_channel_order",
        "order_id.financial_role",
    )
    def _compute_channel_commission(self):
        for line in self:
            order = line.order_id
            if not order.is_channel_order or line.display_type or not line.product_id:
                line.channel_commission = 0.0
                continue
            if order.financial_role == "end_customer":
                earned = line.price_subtotal - line._channel_price_book_subtotal()
            else:
                earned = line._channel_list_subtotal() - line.price_subtotal
            line.channel_commission = order.currency_id.round(earned)

    def onchange(self, values, field_names, fields_spec):
        # as on orders: portal users order through the product's forms
        if self.env.user.share:
            raise AccessError(
                self.env._("Orders are entered through the portal's forms.")
            )
        # Nor to employees who may not enter the line, nor at the prices of
        # an order the user does not read (eleventh probe, P11-11).
        self.check_access("write" if self else "create")
        order_id = values.get("order_id")
        if isinstance(order_id, dict):  # the form's parent, on its origin
            order_id = order_id.get("id")
        elif isinstance(order_id, list | tuple):
            order_id = order_id[0] if order_id else None
        if isinstance(order_id, int) and not isinstance(order_id, bool):
            self.env["sale.order"].browse(order_id).check_access("read")
        return super().onchange(values, field_names, fields_spec)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not self.env.user.has_group(CHANNEL_MANAGER):
            self._channel_drop_confirmed_terms(vals_list)
        lines = super().create(vals_list)
        if not self.env.su:
            for line, vals in zip(lines, vals_list, strict=True):
                if self._channel_stored_guarded() & vals.keys():
                    line._channel_check_stored_write(vals)
        return lines

    @channel_access_first("write")
    def write(self, vals):
        if not self.env.su:
            self._channel_check_stored_write(vals)
            terms = self._channel_confirmed_terms(vals)
            res = super().write(vals)
            self._channel_check_confirmed_terms(terms)
            return res
        return super().write(vals)

    @api.constrains("discount", "order_id")
    def _check_channel_discount(self):
        """A channel line's discount is 0-100 %: of -500 % a line bills six
        times its price (eleventh probe, P11-13)."""
        for line in self.sudo().filtered("order_id.is_channel_order"):
            if float_compare(line.discount, 0.0, precision_digits=6) < 0 or (
                float_compare(line.discount, 100.0, precision_digits=6) > 0
            ):
                raise ValidationError(
                    self.env._(
                        "The discount of a line of channel order %(order)s is "
                        "between 0 and 100 %%, not %(discount)s %%.",
                        order=line.order_id.name,
                        discount=format(line.discount, "g"),
                    )
                )

    @api.model
    def _channel_drop_confirmed_terms(self, vals_list):
        """A line a user who is no channel manager adds to a confirmed
        channel order is priced by the order's price book: the price,
        discount and taxes given are dropped (computed as on a new line)."""
        order_ids = {vals.get("order_id") for vals in vals_list} - {None, False}
        if not order_ids:
            return
        confirmed = (
            self.env["sale.order"]
            .sudo()
            .browse(order_ids)
            .filtered(lambda o: o.is_channel_order and o.state == "sale")
        )
        for vals in vals_list:
            if (
                vals.get("order_id") in confirmed.ids
                and not vals.get("display_type")
                and not vals.get("is_downpayment")
                and not vals.get("is_expense")
            ):
                for name in CONFIRMED_TERMS:
                    vals.pop(name, None)

    def _channel_confirmed_terms(self, vals):
        """``{line: (price, discount, taxes)}`` of the lines of confirmed
        channel orders whose terms ``vals`` may change, read before the
        write; empty for a channel manager, or when ``vals`` has none."""
        if not set(CONFIRMED_TERMS) & vals.keys() or self.env.user.has_group(
            CHANNEL_MANAGER
        ):
            return {}
        lines = self.sudo().filtered(
            lambda line: line.order_id.is_channel_order
            and line.order_id.state == "sale"
            and not line.display_type
            and not line.is_downpayment
            and not line.is_expense
        )
        return {line: (line.price_unit, line.discount, line.tax_id) for line in lines}

    def _channel_check_confirmed_terms(self, before):
        """The terms read by ``_channel_confirmed_terms`` changed: refused
        (the same values written again pass: a form sends them)."""
        for line, (price, discount, taxes) in before.items():
            digits = self.env["decimal.precision"].precision_get("Product Price")
            if (
                float_compare(line.price_unit, price, precision_digits=digits)
                or float_compare(line.discount, discount, precision_digits=6)
                or line.tax_id != taxes
            ):
                raise UserError(
                    self.env._(
                        "Order %(order)s is confirmed: the price, discount and "
                        "taxes of its lines are the price book's, changed by a "
                        "channel manager only.",
                        order=line.order_id.name,
                    )
                )

    @api.model
    def _channel_stored_writable(self):
        """The stored computes of a line that users write all the same
        (Odoo's flows as the user): none."""
        return ()

    @tools.ormcache()
    def _channel_stored_guarded(self):
        """The stored computes no user writes on a channel order's line
        (without inverse, not ``readonly=False``; related copies of the
        order too): its totals, commission, invoiced quantities, OCA's
        risk..."""
        return channel_stored_computes(self, self._channel_stored_writable())

    def _channel_check_stored_write(self, vals):
        """A channel order line's stored computes follow what they are
        computed from: the distributor's commission and the invoice's
        figures are taken from them (ninth probe, P9-5: a line's written
        subtotal of 100,000.00 made a 1,200.00 agency line's commission
        99,160.00; P9-6: its risk written 0 took it out of the credit
        limit). A user writes none of them; no query when none is
        written."""
        names = self._channel_stored_guarded() & vals.keys()
        if not names:
            return
        channel = self.sudo().filtered("order_id.is_channel_order")
        if channel:
            raise UserError(
                self.env._(
                    "%(fields)s of the lines of channel order %(order)s are "
                    "computed: they are not written.",
                    fields=channel_field_labels(self, sorted(names)),
                    order=channel[0].order_id.name,
                )
            )

    def _channel_list_subtotal(self):
        """The line at the product's list price, in the order's currency."""
        self.ensure_one()
        order = self.order_id
        product = self.product_id.with_company(order.company_id)
        price = product.uom_id._compute_price(product.lst_price, self.product_uom)
        price = product.currency_id._convert(
            price,
            order.currency_id,
            order.company_id,
            fields.Date.context_today(self, order.date_order),
        )
        return self._channel_untaxed_price(price) * self.product_uom_qty

    def _channel_untaxed_price(self, price):
        """``price``, a list or price-book price of this line's product,
        without the taxes it includes: the product's taxes included in the
        price (a list price of 121 with 21 % VAT included is 100 untaxed),
        not rounded, as the line's untaxed subtotal it is compared with."""
        self.ensure_one()
        order = self.order_id
        taxes = self.product_id.taxes_id._filter_taxes_by_company(order.company_id)
        if not any(taxes.mapped("price_include")):
            return price
        # ``round_base``: else compute_all rounds its totals to the cent
        return taxes.with_context(round_base=False).compute_all(
            price,
            currency=order.currency_id,
            product=self.product_id,
            partner=order.partner_shipping_id,
            rounding_method="round_globally",
        )["total_excluded"]

    def _channel_price_book_subtotal(self):
        """The line at the distributor's price book; the subtotal itself when
        the distributor has none (no commission)."""
        self.ensure_one()
        order = self.order_id
        book = order.distributor_id.with_company(order.company_id).channel_pricelist_id
        if not book:
            return self.price_subtotal
        price = book._get_product_price(
            self.product_id,
            self.product_uom_qty or 1.0,
            currency=order.currency_id,
            uom=self.product_uom,
            date=order.date_order,
        )
        return self._channel_untaxed_price(price) * self.product_uom_qty
