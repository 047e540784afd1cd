# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.addons.channel_distribution.tools import channel_access_first
from odoo.exceptions import UserError
from odoo.tools import float_compare

# What is left to invoice on an order line: computed from its invoices and
# stored, the distributors' consolidated run bills what they say. Written by
# the computes only (Odoo's flows do not write them either).
INVOICED_FIELDS = frozenset(
    (
        "qty_invoiced",
        "qty_to_invoice",
        "invoice_status",
        "untaxed_amount_invoiced",
        "untaxed_amount_to_invoice",
    )
)

# What the invoicing state of a channel order's line is computed from, kept
# by the ORM: the units finance credited for good (from the credit notes),
# and the line's stored copies of its order (the related fields of Odoo and
# of the channel), written from the order, never through the line. A line a
# user writes back to draft, cancels or moves to another company (or party)
# leaves its confirmed order: the distributor's run never bills it. Down
# payment lines are made by Odoo's wizard.
ORDER_COPY_FIELDS = (
    "state",
    "company_id",
    "currency_id",
    "order_partner_id",
    "salesman_id",
    "distributor_id",
    "end_customer_id",
)
LINE_ORM_FIELDS = frozenset(
    ("channel_qty_credited", "is_downpayment", *ORDER_COPY_FIELDS)
)

# What a user never gives a line added to a channel order (create, copy,
# import): the credited units (its credit notes') and the down payment mark
# (Odoo's down payment wizard's, named in its context by the wizard).
LINE_CREATE_ORM_FIELDS = ("channel_qty_credited", "is_downpayment")


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    channel_qty_credited = fields.Float(
        string="Credited, Not to Re-invoice",
        # Not stored: a stored field depending on the order line's invoice
        # lines is marked to compute on every order line an invoice being
        # created links (as new records, never computed, scanned at every
        # flush of the invoicing: a tenth of what the product added to
        # direct sales' invoicing). Computed when read, from the invoice
        # lines the invoicing reads anyway; what is left to invoice, which
        # counts it, stays stored.
        compute="_compute_channel_qty_credited",
        digits="Product Unit of Measure",
        help="Units credited by a credit note finance made (a plain reversal "
        "of an invoice): they are not invoiced again until finance asks "
        "(Bill Again on the order).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.su and any(vals.get("invoice_lines") for vals in vals_list):
            lines._channel_check_invoice_lines_write()
        if not self.env.su:
            for line, vals in zip(lines, vals_list, strict=True):
                line._channel_check_order_copies_created(vals)
        return lines

    @channel_access_first("write")
    def write(self, vals):
        if not self.env.su and "invoice_lines" in vals:
            self._channel_check_invoice_lines_write()
        if not self.env.su and INVOICED_FIELDS & vals.keys():
            self.order_id._channel_check_invoiced_fields_write()
        if not self.env.su and LINE_ORM_FIELDS & vals.keys():
            self._channel_check_orm_fields_write()
        if not self.env.su and "order_id" in vals:
            self._channel_check_order_move(vals["order_id"])
        return super().write(vals)

    def _channel_check_order_move(self, order_id):
        """A line stays on the order it was created on when a channel order
        is either end (ninth probe, P9-2: a salesman moved his confirmed
        channel order's line to a draft, the order was never billed). Odoo's
        flows never move a line; linking a line of another order through
        the order's ``order_line`` writes this too."""
        moved = self.sudo().filtered(lambda line: line.order_id.id != order_id)
        if not moved:
            return
        target = self.env["sale.order"].sudo().browse(order_id or []).exists()
        channel = moved.order_id.filtered("is_channel_order") | target.filtered(
            "is_channel_order"
        )
        if channel:
            raise UserError(
                self.env._(
                    "A line of channel order %(order)s stays on its order: "
                    "it is not moved to or from another order.",
                    order=channel[0].name,
                )
            )

    def _channel_check_orm_fields_write(self):
        """The credited units and the order's copies on a channel order's
        line are the ORM's (LINE_ORM_FIELDS): nobody writes them."""
        channel = self.sudo().filtered("order_id.is_channel_order")
        if channel:
            raise UserError(
                self.env._(
                    "The lines of channel order %(order)s follow the order (its "
                    "state, company, currency and parties) and its credit notes "
                    "(the credited units): they are not edited.",
                    order=channel[0].order_id.name,
                )
            )

    def _channel_check_order_copies_created(self, vals):
        """A line added to a channel order by a user comes with no credited
        units, and is a down payment only from Odoo's wizard (the ORM
        computes its copies of the order's fields from the order, whatever
        is given)."""
        order = self.sudo().order_id
        if not order.is_channel_order:
            return
        reserved = [name for name in LINE_CREATE_ORM_FIELDS if vals.get(name)]
        if (
            reserved == ["is_downpayment"]
            and order.id in self._channel_down_payment_ids()
        ):
            return
        if reserved:
            self._channel_check_orm_fields_write()

    def _channel_down_payment_ids(self):
        """The orders Odoo's down payment wizard is invoicing, as a set (a
        value no JSON-RPC caller can send)."""
        ids = self.env.context.get("channel_down_payment_order_ids")
        return ids if isinstance(ids, frozenset) else frozenset()

    def _channel_check_invoice_lines_write(self):
        """The invoice lines of a channel order's line are linked by its
        invoicing, from the invoice's side: nobody writes them from the
        order's (another distributor's invoice would bill the order)."""
        channel = self.sudo().filtered("order_id.is_channel_order")
        if channel:
            raise UserError(
                self.env._(
                    "The invoice lines of channel order %(order)s come from its "
                    "invoicing: they are not edited from the order.",
                    order=channel[0].order_id.name,
                )
            )

    @api.depends(
        "invoice_lines.channel_credit_kept",
        "invoice_lines.quantity",
        "invoice_lines.move_id.state",
    )
    def _compute_channel_qty_credited(self):
        # Read on every invoicing of every order line (what is left to
        # invoice counts it): only the lines with a credit kept by finance
        # read their credit notes.
        invoice_lines = self.invoice_lines
        if not any(invoice_lines.mapped("channel_credit_kept")):
            self.channel_qty_credited = 0.0
            return
        kept = invoice_lines.filtered("channel_credit_kept")
        for line in self:
            quantity = 0.0
            for invoice_line in line.invoice_lines & kept:
                move = invoice_line.move_id
                if move.state == "cancel" or move.move_type != "out_refund":
                    continue
                quantity += invoice_line.product_uom_id._compute_quantity(
                    invoice_line.quantity, line.product_uom
                )
            line.channel_qty_credited = quantity

    def _channel_check_credits_cover(self, credits):
        """``credits``, posted credit note lines of this line kept credited,
        are billed again by Bill Again: refused unless they credit each of
        their units at the price, discount and taxes it was billed at (on the
        invoice they reverse) and at the order's, so that the units billed
        again are never billed above what was credited."""
        self.ensure_one()
        currency = self.order_id.currency_id
        uom = self.product_uom

        def unit(line):
            net = line.price_unit * (1.0 - (line.discount or 0.0) / 100.0)
            return line.product_uom_id._compute_price(net, uom)

        own = self.price_unit * (1.0 - (self.discount or 0.0) / 100.0)
        quantity = credited = billed_amount = 0.0
        billed_lines = self.env["account.move.line"]
        taxes = self.env["account.tax"]
        for credit in credits:
            billed = credit.move_id.reversed_entry_id.invoice_line_ids.filtered(
                lambda line: self in line.sale_line_ids
                and line.display_type == "product"
            )
            units = credit.product_uom_id._compute_quantity(credit.quantity, uom)
            quantity += units
            credited += units * unit(credit)
            billed_amount += units * max([own, *map(unit, billed)])
            billed_lines |= billed
            taxes |= (billed.tax_ids or self.tax_id) - credit.tax_ids
        values = {
            "credits": ", ".join(credits.move_id.mapped("name")),
            "quantity": f"{quantity:g}",
            "product": self.product_id.display_name,
            "order": self.order_id.name,
            "credited": f"{credited:.{currency.decimal_places}f}",
            "billed": f"{billed_amount:.{currency.decimal_places}f}",
            "invoices": ", ".join(billed_lines.move_id.mapped("name")) or "-",
            "currency": currency.name,
        }
        if currency.compare_amounts(credited, billed_amount) < 0:
            raise UserError(
                self.env._(
                    "Credit notes %(credits)s credit %(quantity)s x %(product)s "
                    "of %(order)s at %(credited)s, billed at %(billed)s on "
                    "%(invoices)s (%(currency)s, untaxed): Bill Again bills "
                    "again only units credited in full, at the price and "
                    "discount they were billed at, or they would be billed "
                    "twice. A partial credit stays a credit (to undo it, reset "
                    "it to draft and cancel it).",
                    **values,
                )
            )
        if taxes:
            raise UserError(
                self.env._(
                    "Credit notes %(credits)s credit %(quantity)s x %(product)s "
                    "of %(order)s without the taxes they were billed with on "
                    "%(invoices)s (%(taxes)s): Bill Again bills again only "
                    "units credited in full, taxes included.",
                    taxes=", ".join(taxes.mapped("name")),
                    **values,
                )
            )

    def _channel_credit_untaxed(self, quantity):
        """The untaxed amount a line of ``quantity`` units of this line
        bills at its price, discount and taxes, as Odoo computes it."""
        self.ensure_one()
        currency = self.order_id.currency_id
        net = self.price_unit * (1.0 - (self.discount or 0.0) / 100.0)
        if not self.tax_id:
            return currency.round(quantity * net)
        return self.tax_id.compute_all(
            net,
            currency=currency,
            quantity=quantity,
            product=self.product_id,
            partner=self.order_id.partner_invoice_id,
        )["total_excluded"]

    def _channel_prepare_credit_lines(self, invoice, units, amount):
        """Values of the credit note lines of ``invoice`` that credit
        ``amount`` (untaxed) of this line, billed on it and not credited
        yet, of which ``units`` units were not credited yet: the units at
        this line's price when they make that amount; else, to the cent,
        the units but one at this line's price and one unit of the rest (a
        unit credited before at less than its price left the rest of its
        amount to credit), or one unit of the amount when no whole unit is
        left."""
        self.ensure_one()
        currency = self.order_id.currency_id
        rounding = self.product_uom.rounding or 0.01
        if float_compare(
            units, 0.0, precision_rounding=rounding
        ) > 0 and not currency.compare_amounts(
            self._channel_credit_untaxed(units), amount
        ):
            return [self._prepare_invoice_line(quantity=units)]
        vals_list = []
        whole = units - 1.0
        if float_compare(whole, 0.0, precision_rounding=rounding) > 0:
            rest = amount - self._channel_credit_untaxed(whole)
            if currency.compare_amounts(rest, 0.0) > 0:
                vals_list.append(self._prepare_invoice_line(quantity=whole))
                amount = rest
        vals = self._prepare_invoice_line(quantity=1.0)
        vals.update(
            {
                "name": self.env._(
                    "%(product)s: billed on %(invoice)s, not credited yet",
                    product=self.product_id.display_name,
                    invoice=invoice.name,
                ),
                "price_unit": self.env["account.move.line"]._channel_amount_unit_price(
                    amount, 0.0, currency, self.tax_id
                ),
                "discount": 0.0,
            }
        )
        vals_list.append(vals)
        return vals_list

    @api.depends("channel_qty_credited")
    def _compute_qty_to_invoice(self):
        res = super()._compute_qty_to_invoice()
        if not any(self.invoice_lines.mapped("channel_credit_kept")):
            # nothing credited for good (every direct sale): told by their
            # invoice lines at once, without computing the credited units
            # of each line
            return res
        for line in self.filtered("channel_qty_credited"):
            # What finance credited for good counts as invoiced: of the
            # quantity ordered (or delivered), only what is beyond the
            # credited units is to invoice; a credit covers a quantity
            # lowered afterwards.
            if line.state != "sale" or line.display_type:
                continue
            if line.product_id.invoice_policy == "order":
                target = line.product_uom_qty
            else:
                target = line.qty_delivered
            line.qty_to_invoice -= min(line.channel_qty_credited, max(target, 0.0))
        return res
