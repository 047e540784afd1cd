# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import math

from odoo import api, fields, models
from odoo.addons.channel_distribution.tools import (
    channel_access_first,
    channel_field_labels,
)
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round, format_amount

# What is left to pay on a line and what settled it: computed from its
# reconciliation (its partials, set by Odoo in SQL) or the move's payment.
SETTLED_FIELDS = frozenset(
    (
        "amount_residual",
        "amount_residual_currency",
        "reconciled",
        "full_reconcile_id",
        "matching_number",
        "payment_id",
    )
)

# What a posted line bills and at which rate, and its copies of its
# invoice: they change by resetting the invoice to draft (its checks, its
# sequence), never by a write on a posted line (Odoo leaves them writable
# over RPC; the tenth probe rewrote a posted agency line's quantity, its
# rate, and dated lines out of the distributor's statement).
POSTED_FIELDS = frozenset(
    (
        "quantity",
        "price_unit",
        "discount",
        "product_id",
        "product_uom_id",
        "price_subtotal",
        "price_total",
        "currency_rate",
        "amount_currency",
        "balance",
        "debit",
        "credit",
        "commission_free",
        "date",
        "journal_id",
        "move_name",
        "move_type",
    )
)

# What an invoice line of a channel order bills: the order line's price,
# discount, product and unit, on a draft too (twelfth probe, P12-10: a
# resale order's draft posted at 0.01, the order counted as invoiced and
# nothing left to bill). A part is billed by a lower quantity, and a
# correction is a credit note.
ORDER_BILLED_FIELDS = (
    "price_unit",
    "discount",
    "product_id",
    "product_uom_id",
    # and its taxes (thirteenth probe, P13-2: cleared, 432.00 of VAT gone)
    "tax_ids",
)

# A channel line's place on its invoice: the invoice, its partner (the
# invoice's financial counterparty) and its copy of the invoice's state.
MOVE_COPY_FIELDS = frozenset(("partner_id", "parent_state", "move_id"))

# What a line billing (or crediting) a channel order's line bills: the order
# line's product, on a draft too (twelfth probe, P12-5: a draft agency line
# switched to a commission-free product lost the distributor's commission,
# and the order counted as invoiced).
ORDER_PRODUCT_FIELDS = ("product_id",)


# The label of a receivable (or payable) line: the reference the invoice is
# paid with, by which payments are matched.
REFERENCE_FIELDS = ("name",)


# What a credit note's line credits: a user raising one of them on a credit
# note of a channel order's line (or a subscription's period) credits at
# most what was billed (fifteenth probe, P15-10).
CREDIT_FIGURES = {"quantity", "price_unit", "discount", "product_uom_id"}


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    end_customer_id = fields.Many2one(
        "res.partner",
        compute="_compute_channel_partners",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        help="The end customer of the channel order this line comes from.",
    )
    distributor_id = fields.Many2one(
        "res.partner",
        compute="_compute_channel_partners",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        help="The distributor of the channel order this line comes from.",
    )
    channel_order_id = fields.Many2one(
        "sale.order",
        string="Channel Order Section",
        readonly=True,
        index="btree_not_null",
        copy=True,
        help="Set on the section line that opens a channel order's lines on a "
        "consolidated distributor invoice.",
    )
    channel_credit_kept = fields.Boolean(
        string="Not to Re-invoice",
        readonly=True,
        copy=False,
        help="On a line of a credit note finance made (a plain reversal): the "
        "order's quantity it credits is not invoiced again until finance asks "
        "(Bill Again on the order).",
    )
    channel_billed_again = fields.Boolean(
        string="Billed Again",
        readonly=True,
        copy=False,
        help="On a line of a credit note: what it credits was billed again "
        "(Bill Again on the order or the period, or the new invoice of "
        "Reverse and Create Invoice). Its credit note stays posted.",
    )
    # Labelled Channel Commission (from its name): OCA's commission status
    # of agent lines is Commission.
    channel_commission = fields.Monetary(
        compute="_compute_channel_commission",
        store=True,
        readonly=True,
        groups="base.group_user",
        help="What the distributor earns on this line, in the invoice's "
        "currency and, as its subtotal, unsigned on a credit note: its share "
        "of the commission of what it bills (of a channel order line, by "
        "quantity).",
    )

    @api.depends("sale_line_ids", "channel_order_id")
    def _compute_channel_partners(self):
        # Computed on every new line of every invoice (direct sales too):
        # the receivable and tax lines bill no order and are settled without
        # reading any link; the order section's order is only read on a
        # section (a field read on a new line costs a default_get). The
        # lines' types are read at once, not line by line.
        linked_ids, unlinked_ids, section_ids = [], [], []
        for line_id, kind in zip(self._ids, self.mapped("display_type"), strict=True):
            if kind in ("product", "line_section", "line_note"):
                linked_ids.append(line_id)
                if kind == "line_section":
                    section_ids.append(line_id)
            else:
                unlinked_ids.append(line_id)
        unlinked = self.browse(unlinked_ids)
        unlinked.end_customer_id = False
        unlinked.distributor_id = False
        # the order lines of a new line (being created) are new records too:
        # their orders are read from the records they stand for, in one go
        # (not those of the receivable and tax lines: none, read on a new
        # line at the cost of a default_get each)
        linked = self.browse(linked_ids)
        sale_lines = linked.sale_line_ids
        origin = sale_lines._origin
        if len(origin) == len(sale_lines):
            sale_lines = origin
        orders = sale_lines.order_id | self.browse(section_ids).channel_order_id
        if not any(orders.mapped("is_channel_order")):
            # no line opens or bills a channel order (direct sales): they
            # keep what they have (what was given explicitly: reversal
            # copies, imports; else none), not read line by line
            return
        for line in linked:
            orders = line.sale_line_ids.order_id
            if line.display_type == "line_section":
                orders = line.channel_order_id or orders
            order = orders.filtered("is_channel_order")[:1]
            if order:
                line.end_customer_id = order.end_customer_id
                line.distributor_id = order.distributor_id
            else:
                # keep what was given explicitly (reversal copies, imports)
                line.end_customer_id = line.end_customer_id
                line.distributor_id = line.distributor_id

    @api.depends(
        "sale_line_ids", "display_type", "quantity", "product_uom_id", "price_subtotal"
    )
    def _compute_channel_commission(self):
        # Every line of every invoice comes here (direct sales too), again
        # whenever its quantity or amounts change: when none of them bills a
        # channel order's line, none earns a commission, set at once rather
        # than line by line.
        if not any(self.sale_line_ids.order_id.mapped("is_channel_order")):
            self.channel_commission = 0.0
            return
        for line in self:
            line.channel_commission = line._channel_get_commission()

    def _channel_billed_units(self, quantity, price):
        """The units a commission of this line counts, for ``quantity``
        units (in the unit of the commission) earned at the net unit price
        ``price`` (untaxed, in the line's currency): ``quantity`` while the
        line bills them at that price; else as many as what the line bills
        (its subtotal) pays at that price. So the commission follows what
        the line bills when a draft's quantity, unit, price or discount is
        edited (eleventh probe, P11-1: 100 x 12.00 for a line of 1 x
        1,200.00 earned 100 times its commission), never more than
        ``quantity`` units nor of the other sign: a price raised on a draft
        earns nothing more (twelfth probe, P12-4: 1 x 1,200.00 raised to
        120,000.00 paid out 100 times its commission). A credit note's line
        counts what it credits at that price, of the sign of ``quantity``
        but not capped by it: a cancellation credits what is left of an
        order line on one unit (a line of 159.99 credits nearly two units of
        80.00); the order line's quantity caps it, and what the credited
        line earned caps its clawback."""
        self.ensure_one()
        if not price:
            return quantity
        currency = self.currency_id or self.company_currency_id
        if not currency.compare_amounts(self.price_subtotal, price * quantity):
            return quantity
        units = self.price_subtotal / price
        if self.move_id.move_type == "out_refund":
            return units if units * quantity > 0 else 0.0
        low, high = sorted((0.0, quantity))
        return min(max(units, low), high)

    def _channel_get_commission(self):
        """The commission of this line: the order line's commission for the
        units it bills or credits (none on down payments), at the order
        line's net price (else in proportion to what it bills), never more
        than the order line's commission (twelfth probe, P12-4)."""
        self.ensure_one()
        if self.display_type != "product" or not self.sale_line_ids:
            # receivable, taxes, sections; a line of no order: none, without
            # reading any order (every invoice line of the company comes here)
            return 0.0
        order_line = self.sale_line_ids.filtered(
            lambda sol: sol.order_id.is_channel_order and not sol.is_downpayment
        )[:1]
        if not order_line.product_uom_qty:
            return 0.0
        quantity = self.quantity
        if self.product_uom_id and order_line.product_uom:
            quantity = self.product_uom_id._compute_quantity(
                quantity, order_line.product_uom, round=False
            )
        currency = self.currency_id or order_line.currency_id
        price = order_line.price_subtotal / order_line.product_uom_qty
        quantity = self._channel_units_within_order(
            self._channel_billed_units(quantity, price),
            order_line,
            order_line.product_uom,
        )
        return currency.round(
            order_line.channel_commission * quantity / order_line.product_uom_qty
        )

    @api.model
    def _channel_order_units(self, sale_line, uom=None):
        """The units ``sale_line`` ordered, unsigned, in ``uom`` (its own
        unit by default): the most a line billing or crediting it counts
        for a commission (twelfth probe, P12-4)."""
        ordered = abs(sale_line.product_uom_qty)
        if uom and sale_line.product_uom != uom:
            ordered = sale_line.product_uom._compute_quantity(ordered, uom, round=False)
        return ordered

    @api.model
    def _channel_units_within_order(self, units, sale_line, uom=None):
        """``units`` (in ``uom``), never more than ``sale_line`` ordered,
        of their sign."""
        ordered = self._channel_order_units(sale_line, uom)
        if abs(units) > ordered:
            return math.copysign(ordered, units)
        return units

    @api.model
    def _channel_amount_unit_price(self, amount, discount, currency, taxes=None):
        """The unit price of a line of quantity 1 (or -1) that bills
        ``amount`` (its absolute value), untaxed, ``discount`` deducted, to
        the cent: a unit price of the product's precision times a quantity
        could not. With ``taxes`` (the line's) included in the price, the
        unit price includes them and its untaxed amount is ``amount``."""
        amount = abs(amount)
        factor = 1.0 - (discount or 0.0) / 100.0
        if factor <= 0.0:
            return 0.0
        included = taxes and any(taxes.mapped("price_include"))

        def untaxed(unit):
            if not included:
                return unit * factor
            return taxes.compute_all(unit * factor, currency=currency)["total_excluded"]

        gross = amount
        if included:
            gross = taxes.compute_all(
                amount,
                currency=currency,
                handle_price_include=False,
                rounding_method="round_globally",
            )["total_included"]
        digits = self.env["decimal.precision"].precision_get("Product Price")
        price = float_round(gross / factor, precision_digits=digits)
        step = 10.0**-digits
        for candidate in (price, price - step, price + step):
            if not currency.compare_amounts(untaxed(candidate), amount):
                return float_round(candidate, precision_digits=digits)
        return price

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.su:
            lines._channel_check_party_links()
            lines._channel_check_order_links()
            lines._channel_check_not_netted()
        return lines

    @channel_access_first("write")
    def write(self, vals):
        if self.env.su:
            # the product's flows and Odoo's own (an invoice's lines are
            # written again a few times each as it is created): no guard
            # applies, nothing to check or note (every line of every
            # invoice comes here)
            return super().write(vals)
        self._channel_check_write_guards(vals)
        due_moved = {}
        if "date_maturity" in vals:
            due_moved = self._channel_check_due_date_write(vals["date_maturity"])
        direct = self.browse()
        if "sale_line_ids" in vals:
            direct = self.filtered(lambda line: not line._channel_is_channel_line())
        raised = self.browse()
        if "quantity" in vals:
            raised = self._channel_order_quantity_raised(vals["quantity"])
        credits = {}
        if not self.env.su and CREDIT_FIGURES & vals.keys():
            credits = self._channel_credit_figures()
        res = super().write(vals)
        if raised:
            raised._channel_check_order_quantity_left()
        if credits:
            self._channel_check_credits_raised(credits)
        for line, old in due_moved.items():
            line.move_id.message_post(
                body=self.env._(
                    "Due date of %(line)s moved from %(old)s to %(new)s by "
                    "%(user)s.",
                    line=line.display_name,
                    old=old or "-",
                    new=line.date_maturity or "-",
                    user=self.env.user.name,
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
        if "sale_line_ids" in vals:
            self._channel_check_order_links()
        if {"price_unit", "quantity", "discount"} & vals.keys():
            self._channel_check_not_netted()
        if direct:
            linked = direct.sudo().filtered(
                lambda line: line.sale_line_ids.order_id.filtered("is_channel_order")
            )
            if linked:
                raise UserError(
                    self.env._(
                        "A line of %(move)s cannot be linked to the lines of a "
                        "channel order: they are invoiced by the channel's "
                        "invoicing.",
                        move=linked[0].move_id.display_name,
                    )
                )
        return res

    def _channel_write_guards(self):
        """The guards of a user's write of invoice lines, checked in this
        order: {watched fields: (rule, message)}. ``rule(line, name,
        value)`` (a line as superuser) tells whether writing ``value`` to
        ``name`` on it is refused; ``message(line, names)`` is the error
        for the first line with refused fields (``names``, in the order
        watched). The link fields come from ``_channel_link_fields``, which
        dependants extend."""
        return {
            tuple(self._channel_link_fields()): (
                self._channel_link_refused,
                self._channel_link_message,
            ),
            SETTLED_FIELDS: (
                self._channel_settled_refused,
                self._channel_settled_message,
            ),
            POSTED_FIELDS: (self._channel_posted_refused, self._channel_posted_message),
            ORDER_BILLED_FIELDS: (
                self._channel_order_billed_refused,
                self._channel_order_billed_message,
            ),
            MOVE_COPY_FIELDS: (
                self._channel_move_copy_refused,
                self._channel_move_copy_message,
            ),
            REFERENCE_FIELDS: (
                self._channel_reference_refused,
                self._channel_reference_message,
            ),
            ORDER_PRODUCT_FIELDS: (
                self._channel_order_product_refused,
                self._channel_order_product_message,
            ),
        }

    def _channel_check_write_guards(self, vals):
        """Refuse a user's write (not the product's flows, as superuser)
        that one of the guards of ``_channel_write_guards`` refuses, naming
        the first line it refuses and its fields."""
        if self.env.su:
            return
        lines = self.sudo()
        for watched, (rule, message) in self._channel_write_guards().items():
            names = [name for name in watched if name in vals]
            if not names:
                continue
            for line in lines:
                refused = [name for name in names if rule(line, name, vals[name])]
                if refused:
                    raise UserError(message(line, refused))

    @api.model
    def _channel_link_refused(self, line, name, value):
        """The channel links (``_channel_link_fields``) of a posted line, and
        those of them that decide what is billed or earned and whose
        invoice it is on a channel line's draft too. A draft line of direct
        sales keeps Odoo's links (the write checks it is not linked to a
        channel order)."""
        on_drafts = set(self._channel_billing_link_fields()) | set(
            self._channel_party_link_fields()
        )
        return (
            line.parent_state != "draft"
            or (name in on_drafts and line._channel_is_channel_line())
        ) and line._channel_link_changed(name, value)

    def _channel_link_message(self, line, names):
        return self.env._(
            "The channel links of the lines of %(move)s (%(fields)s) "
            "come from what it invoices: they are not edited.",
            move=line.move_id.display_name,
            fields=channel_field_labels(self, names),
        )

    @api.model
    def _channel_settled_refused(self, line, name, value):
        """What is left to pay on a channel invoice's line and what settled
        it (SETTLED_FIELDS) move through payments and reconciliation only:
        a user does not write them (ninth probe, P9-7: an accountant marked
        a distributor's invoice paid by its receivable line's residual, no
        payment). Odoo clears the matching number of a line no longer
        matched (as the user): a cleared number is let through."""
        if name == "matching_number" and not value:
            return False
        return line._channel_is_channel_line()

    def _channel_settled_message(self, line, names):
        return self.env._(
            "What is left to pay on %(move)s and what settled it come "
            "from its payments and reconciliation: they are not "
            "edited.",
            move=line.move_id.display_name,
        )

    @api.model
    def _channel_posted_refused(self, line, name, value):
        """What a posted channel line bills (POSTED_FIELDS) changes with its
        invoice reset to draft, not by a write on the posted line."""
        return (
            line.parent_state != "draft"
            and line._channel_is_channel_line()
            and name in line._fields
            and line._channel_link_changed(name, value)
        )

    def _channel_posted_message(self, line, names):
        return self.env._(
            "%(move)s is posted: what its lines bill (%(fields)s) "
            "changes with the invoice reset to draft.",
            move=line.move_id.display_name,
            fields=channel_field_labels(self, names),
        )

    @api.model
    def _channel_reference_refused(self, line, name, value):
        """The label of the receivable (or payable) line of a channel
        invoice posted before (reset to draft too, P13-7) carries the
        reference it is paid with: an accounting manager changes it (as the
        invoice's ``payment_reference``), Odoo computes it."""
        return (
            (line.parent_state == "posted" or line.move_id.posted_before)
            and line.display_type == "payment_term"
            and (line.name or False) != (value or False)
            and not self.env["account.move"]._channel_is_accounting_manager()
            and line.move_id._channel_is_channel_move()
        )

    def _channel_reference_message(self, line, names):
        return self.env._(
            "%(move)s is a channel invoice posted before: the label of its "
            "receivable, the reference it is paid with, is changed by an "
            "accounting manager only.",
            move=line.move_id.display_name,
        )

    @api.model
    def _channel_order_billed_refused(self, line, name, value):
        """A user's edit of the price, discount, product, unit or taxes of
        an invoice's line of a channel order: it bills the order line as
        agreed (ORDER_BILLED_FIELDS). A credit note's line stays editable:
        it credits a part."""
        return (
            line.move_id.move_type == "out_invoice"
            and line._channel_bills_order_quantity()
            and any(line.sale_line_ids.order_id.mapped("is_channel_order"))
            and line._channel_link_changed(name, value)
        )

    def _channel_order_billed_message(self, line, names):
        return self.env._(
            "%(move)s bills channel orders at their agreed terms (%(fields)s): "
            "bill a part by its quantity, credit a part with a credit note, "
            "or have a channel manager change the order and invoice it again.",
            move=line.move_id.display_name,
            fields=channel_field_labels(self, names),
        )

    def _channel_check_due_date_write(self, value):
        """The due date of a posted channel invoice's lines (its
        receivable) is moved by an accounting manager only, noted in the
        invoice's chatter (as the invoice's, eleventh probe, P11-5). Its
        move by the invoice's own due date is noted there once.

        :return: {line (as superuser): its date before} of the lines whose
            due date a manager moves, to note
        """
        value = fields.Date.to_date(value)
        moved = {
            line: line.date_maturity
            for line in self.sudo()
            if line.parent_state == "posted"
            and line.date_maturity != value
            and line.move_id._channel_is_channel_move()
        }
        if moved and not self.env.user.has_group("account.group_account_manager"):
            raise UserError(
                self.env._(
                    "%(move)s is a posted channel invoice: its due date is "
                    "moved by an accounting manager only.",
                    move=next(iter(moved)).move_id.display_name,
                )
            )
        if self.env.context.get("channel_due_date_noted"):
            return {}
        return moved

    @api.model
    def _channel_move_copy_refused(self, line, name, value):
        """A channel line stays on its invoice (Odoo's flows never move a
        line to another move; a link command on another invoice's lines
        writes this field too), its partner is the invoice's financial
        counterparty (an address of it), and its state the invoice's: a
        user does not write them otherwise (MOVE_COPY_FIELDS)."""
        if not line._channel_is_channel_line():
            return False
        if name == "partner_id":
            partner = self.env["res.partner"].sudo().browse(value)
            return partner.commercial_partner_id != line.move_id.commercial_partner_id
        if name == "move_id":
            return value != line.move_id.id
        return value != line.move_id.state

    def _channel_move_copy_message(self, line, names):
        return self.env._(
            "The lines of %(move)s are those of %(party)s's invoice "
            "(its invoice, partner and state): they are not edited.",
            move=line.move_id.display_name,
            party=line.move_id.commercial_partner_id.display_name,
        )

    @api.model
    def _channel_order_product_refused(self, line, name, value):
        """The product of a line that bills or credits a channel order's
        line is the order line's, for every user, on a draft too
        (ORDER_PRODUCT_FIELDS): another product bills something else under
        the order's name, with its own taxes, price and commission
        exemption (twelfth probe, P12-5). The same product written again
        passes (a form saving what it read)."""
        return bool(
            line.sale_line_ids.order_id.filtered("is_channel_order")
        ) and line._channel_link_changed(name, value)

    def _channel_order_product_message(self, line, names):
        return self.env._(
            "%(move)s bills the lines of channel orders: the product of its "
            "line %(line)s is its order line's. To bill another product, sell "
            "it on an order.",
            move=line.move_id.display_name,
            line=line.name or line.product_id.display_name,
        )

    def _channel_check_party_links(self):
        """Lines a user creates with channel links (a copy of a channel
        invoice or of one of its lines: a duplicate, a credit note, Reverse
        and Create) go on an invoice of one of their parties only (the
        distributor, the end customer, the financial counterparty of their
        order): copied to another customer's invoice, they would show that
        customer the channel's orders and make it the distributor's
        invoice on its portal."""
        for line in self.sudo():
            if not (
                line.distributor_id or line.end_customer_id or line.channel_order_id
            ):
                continue
            parties = (
                line.distributor_id
                | line.end_customer_id
                | line.channel_order_id.financial_partner_id
            ).commercial_partner_id
            if line.move_id.commercial_partner_id not in parties:
                raise UserError(
                    self.env._(
                        "The channel lines of %(parties)s do not go on an "
                        "invoice of %(partner)s.",
                        parties=", ".join(parties.mapped("display_name")),
                        partner=line.move_id.commercial_partner_id.display_name or "-",
                    )
                )

    def _channel_check_order_links(self):
        """Lines that a user (not the product's flows, which invoice orders
        as superuser) links to the lines of channel orders: only on an
        invoice of the order's financial counterparty, and only as a copy of
        a link the order's invoicing made to that party (a credit note, or
        Reverse and Create): by hand, a wrong party would be billed for the
        order, and any party would make the order count as invoiced."""
        for line in self.sudo():
            sale_lines = line.sale_line_ids.filtered("order_id.is_channel_order")
            if not sale_lines:
                continue
            move = line.move_id
            party = move.commercial_partner_id
            for sale_line in sale_lines:
                order = sale_line.order_id
                if order.financial_partner_id.commercial_partner_id != party:
                    raise UserError(
                        self.env._(
                            "%(order)s is invoiced to %(party)s: its lines do "
                            "not go on an invoice of %(partner)s.",
                            order=order.name,
                            party=order.financial_partner_id.display_name,
                            partner=party.display_name or "-",
                        )
                    )
                copied = (sale_line.invoice_lines - line).filtered(
                    lambda other, m=move, p=party: other.move_id != m
                    and other.parent_state != "cancel"
                    and other.move_id.commercial_partner_id == p
                )
                if not copied:
                    raise UserError(
                        self.env._(
                            "The lines of channel order %(order)s are invoiced "
                            "by the channel's invoicing (the order's invoicing, "
                            "or the distributor's), not linked by hand.",
                            order=order.name,
                        )
                    )
                if move.move_type == "out_invoice" and (
                    line._channel_bills_order_quantity()
                ):
                    line._channel_check_order_link_billed(sale_line)

    def _channel_order_quantity_raised(self, quantity):
        """The lines among these (as superuser) whose write of ``quantity``
        raises what they bill of a channel order's line on an invoice."""
        return self.sudo().filtered(
            lambda line: line.move_id.move_type == "out_invoice"
            and line._channel_bills_order_quantity()
            and any(line.sale_line_ids.order_id.mapped("is_channel_order"))
            and float_compare(
                quantity or 0.0,
                line.quantity,
                precision_rounding=line.product_uom_id.rounding or 0.01,
            )
            > 0
        )

    def _channel_check_order_quantity_left(self):
        """An invoice bills at most what is left to invoice of a channel
        order's line: its quantity ordered (or delivered, by its product's
        invoicing policy), less what its other invoices billed net of their
        credit notes (and what finance credited for good): a quantity raised
        past it on a draft is refused (thirteenth probe, P13-12: posted, the
        next run drafted a credit note of the excess)."""
        for line in self:
            for sale_line in line.sale_line_ids.filtered("order_id.is_channel_order"):
                if (
                    float_compare(
                        sale_line.qty_to_invoice,
                        0.0,
                        precision_rounding=sale_line.product_uom.rounding or 0.01,
                    )
                    < 0
                ):
                    raise UserError(
                        self.env._(
                            "%(move)s bills more of %(line)s than %(order)s has "
                            "left to invoice: bill at most what is left, or "
                            "have a channel manager change the order.",
                            move=line.move_id.display_name,
                            line=sale_line.name,
                            order=sale_line.order_id.name,
                        )
                    )

    def _channel_credit_targets(self):
        """What this line of a credit note credits, whose credit notes
        credit together at most what its invoices billed (fifteenth probe,
        P15-10): {target: (lines, unit price, unit, label)}, ``lines`` the
        invoice and credit note lines of the target (any state), ``unit
        price`` what a unit of it is billed at (untaxed, net, in the
        target's currency; none: its credits are checked in amount only),
        ``unit`` the unit its quantities are counted in
        (none: as they are) and ``label`` its name for the user. A channel
        order's line (not a down payment); extended for subscriptions'
        periods."""
        self.ensure_one()
        if self.display_type != "product":
            return {}
        targets = {}
        for sale_line in self.sale_line_ids.filtered(
            lambda sol: sol.order_id.is_channel_order and not sol.is_downpayment
        ):
            ordered = self._channel_order_units(sale_line)
            targets[sale_line] = (
                sale_line.invoice_lines,
                sale_line.price_subtotal / ordered if ordered else 0.0,
                sale_line.product_uom,
                self.env._(
                    "%(product)s of %(order)s",
                    product=sale_line.product_id.display_name or sale_line.name,
                    order=sale_line.order_id.name,
                ),
            )
        return targets

    def _channel_credit_figures(self):
        """{line: (quantity, amount)} of these lines (as superuser) that
        credit a target of ``_channel_credit_targets`` on a credit note:
        what they credit before a write."""
        return {
            line: (line.quantity, abs(line.price_subtotal))
            for line in self.sudo()
            if line.move_id.move_type == "out_refund"
            and line.parent_state != "cancel"
            and line._channel_credit_targets()
        }

    def _channel_check_credits_raised(self, figures):
        """The lines of ``figures`` (``_channel_credit_figures`` before a
        write) whose quantity or amount the write raised credit at most
        what was billed."""
        raised = self.browse()
        for line, (quantity, amount) in figures.items():
            currency = line.currency_id or line.company_currency_id
            if (
                float_compare(
                    abs(line.quantity),
                    abs(quantity),
                    precision_rounding=line.product_uom_id.rounding or 0.01,
                )
                > 0
                or currency.compare_amounts(abs(line.price_subtotal), amount) > 0
            ):
                raised |= line
        raised._channel_check_credits_within_billed()

    def _channel_check_credits_within_billed(self):
        """The credit note lines among these credit, with every other
        credit note line of what they credit (drafts counted, cancelled
        ones not), at most what its invoices billed: in units (a line
        crediting at a lower price counts the units its amount makes at
        the billed price, ``_channel_billed_units``) and in amount
        (untaxed, in the credit note's currency). Fifteenth probe, P15-10:
        a credit note of 2,208.00 posted at 220,800.00 (quantities and
        prices x10), the order's invoiced quantities negative, and the
        next run billed units never ordered."""
        checked = set()
        credits = self.sudo().filtered(
            lambda line: line.move_id.move_type == "out_refund"
            and line.parent_state != "cancel"
        )
        # what they credit read at once, not line by line (a cancellation's
        # credit note of many orders)
        credits.sale_line_ids.invoice_lines.mapped("move_id.move_type")
        for credit in credits:
            currency = credit.move_id.currency_id
            targets = credit._channel_credit_targets()
            for target, (lines, price, uom, label) in targets.items():
                if (target, currency) in checked:
                    continue
                checked.add((target, currency))
                billed_units, credited_units, billed, credited = (
                    credit._channel_billed_and_credited(lines, price, uom, currency)
                )
                rounding = uom.rounding if uom else 0.01
                if (
                    price is None
                    or float_compare(
                        credited_units, billed_units, precision_rounding=rounding
                    )
                    <= 0
                ) and currency.compare_amounts(credited, billed) <= 0:
                    continue
                raise UserError(
                    self.env._(
                        "%(move)s and the other credit notes of %(target)s "
                        "(drafts counted) credit %(credited)s (%(credited_units)s "
                        "units) of it, its invoices billed %(billed)s "
                        "(%(billed_units)s units): a credit note credits at "
                        "most what was billed and not credited yet, at the "
                        "price it was billed at. Lower its quantity or price, "
                        "or cancel the other drafts.",
                        move=credit.move_id.display_name,
                        target=label,
                        credited=format_amount(self.env, credited, currency),
                        credited_units=f"{credited_units:g}",
                        billed=format_amount(self.env, billed, currency),
                        billed_units=f"{billed_units:g}",
                    )
                )

    def _channel_billed_and_credited(self, lines, price, uom, currency):
        """(units billed, units credited, amount billed, amount credited)
        by ``lines`` (of a target of ``_channel_credit_targets``), the
        cancelled ones left out: units in ``uom`` (as they are without),
        credited units as ``_channel_billed_units`` counts them at
        ``price`` (as they are without a price), amounts untaxed in
        ``currency``."""
        billed_units = credited_units = billed = credited = 0.0
        for line in lines.filtered(
            lambda ln: ln.display_type == "product" and ln.parent_state != "cancel"
        ):
            quantity = line.quantity
            if uom and line.product_uom_id and line.product_uom_id != uom:
                quantity = line.product_uom_id._compute_quantity(
                    quantity, uom, round=False
                )
            line_currency = line.currency_id or line.company_currency_id
            amount = line.price_subtotal
            if line_currency != currency:
                amount = line_currency._convert(
                    amount, currency, line.company_id, line.date or fields.Date.today()
                )
            if line.move_id.move_type == "out_invoice":
                billed_units += quantity
                billed += amount
            elif line.move_id.move_type == "out_refund":
                if price is not None:
                    quantity = line._channel_billed_units(quantity, price)
                credited_units += quantity
                credited += amount
        return billed_units, credited_units, billed, credited

    def _channel_books_what_it_bills(self):
        """Whether this line's booked amounts (``amount_currency``,
        ``balance``) are checked at posting against what its price,
        quantity, discount and taxes bill
        (``account.move._channel_check_booked_lines``): a line of a channel
        order's line. Extended for subscriptions."""
        self.ensure_one()
        return self.display_type == "product" and any(
            self.sale_line_ids.order_id.mapped("is_channel_order")
        )

    def _channel_books_its_subtotal(self):
        """Whether this invoice line books its subtotal, signed, in the
        invoice's currency, and its balance at the invoice's rate, to their
        currencies' rounding (what Odoo books, but for the rounding of a
        tax it spreads over its lines, or a rate applied to the rounded
        amount)."""
        self.ensure_one()
        currency = self.currency_id
        company_currency = self.company_currency_id
        billed = self.move_id.direction_sign * self.price_subtotal
        if currency.compare_amounts(self.amount_currency, billed):
            return False
        if not self.currency_rate:
            return False
        balance = company_currency.round(self.amount_currency / self.currency_rate)
        return not company_currency.compare_amounts(self.balance, balance)

    def _channel_check_not_netted(self):
        """A line a user adds to a channel invoice (not a credit note) that
        bills no order does not take an amount off it: a credit is a credit
        note of what it corrects, never netted into a sale (thirteenth
        probe, P13-2: a "rebate" line of -2,879.99 on a resale order's draft
        posted it at 0.01, the order invoiced)."""
        for line in self.sudo():
            move = line.move_id
            if (
                move.move_type == "out_invoice"
                and line.display_type == "product"
                and not line.sale_line_ids
                and move.currency_id.compare_amounts(line.price_subtotal, 0.0) < 0
                and move._channel_is_channel_move()
            ):
                raise UserError(
                    self.env._(
                        "%(move)s bills channel orders: an amount is taken off "
                        "it by a credit note of what it corrects, not by a "
                        "line of %(amount)s.",
                        move=move.display_name,
                        amount=format_amount(
                            self.env, line.price_subtotal, move.currency_id
                        ),
                    )
                )

    def _channel_check_order_link_billed(self, sale_line):
        """An invoice line a user links to a channel order's line (a copy of
        a link, as *Reverse and Create* makes) bills it again only for what
        the invoices left (the order line's invoiced quantity, credit notes
        deducted and drafts counted, within its ordered quantity) and at its
        agreed terms (twelfth probe's fixes bypassed by the thirteenth,
        P13-1: a new invoice linked to a paid-out agency line earned its
        commission twice; P13-2, P13-3: a linked line at 0.01, or of a
        commission-free product, billed the order)."""
        self.ensure_one()
        rounding = sale_line.product_uom.rounding or 0.01
        if (
            float_compare(
                sale_line.qty_invoiced,
                sale_line.product_uom_qty,
                precision_rounding=rounding,
            )
            > 0
        ):
            raise UserError(
                self.env._(
                    "%(order)s is invoiced already: %(line)s is billed again "
                    "only for what its credit notes credited.",
                    order=sale_line.order_id.name,
                    line=sale_line.name,
                )
            )
        currency = self.currency_id or sale_line.currency_id
        if (
            self.product_id != sale_line.product_id
            or currency.compare_amounts(self.price_unit, sale_line.price_unit)
            or float_compare(self.discount, sale_line.discount, precision_digits=6)
        ):
            raise UserError(
                self.env._(
                    "%(order)s bills %(line)s at its agreed product, price "
                    "and discount.",
                    order=sale_line.order_id.name,
                    line=sale_line.name,
                )
            )

    def _channel_is_channel_line(self):
        """Whether this line bills or belongs to the channel (a channel
        invoice, a section or a line of a channel order)."""
        self.ensure_one()
        return bool(
            self.distributor_id
            or self.channel_order_id
            or self.move_id.channel_distributor_id
            or self.sale_line_ids.order_id.filtered("is_channel_order")
        )

    def _channel_residuals(self):
        """What is left to pay on this line in each of its currencies:
        ``(currency, balance, residual)`` in the company's currency, then in
        its own. Odoo's reconciliation settles a line when nothing is left
        in either."""
        self.ensure_one()
        return (
            (self.company_currency_id, self.balance, self.amount_residual),
            (self.currency_id, self.amount_currency, self.amount_residual_currency),
        )

    @api.model
    def _channel_link_fields(self):
        """The fields that link an invoice line to the channel (its orders,
        its parties, what it bills or credits): set by the product's flows
        (as superuser) or when the line is created, never written by users
        on a posted invoice."""
        return [
            "distributor_id",
            "end_customer_id",
            "channel_order_id",
            "channel_credit_kept",
            "channel_billed_again",
            "sale_line_ids",
            "channel_commission",
        ]

    @api.model
    def _channel_billing_link_fields(self):
        """Those of the link fields that decide what is billed (again) or
        earned (the commission): not written by users on a draft either."""
        return [
            "channel_credit_kept",
            "channel_billed_again",
            "sale_line_ids",
            "channel_commission",
        ]

    @api.model
    def _channel_party_link_fields(self):
        """Those of the link fields that decide whose invoice it is (its
        distributor, hence its portal, and its end customers): not written
        by users on a draft either. The orders (section and order lines)
        give them."""
        return ["distributor_id", "end_customer_id", "channel_order_id"]

    def _channel_link_changed(self, name, value):
        """Whether writing ``value`` to the link ``name`` changes it (any
        command on a list of links does)."""
        field = self._fields[name]
        if field.type in ("one2many", "many2many"):
            return bool(value)
        return field.convert_to_cache(
            self[name], self, validate=False
        ) != field.convert_to_cache(value, self, validate=False)

    def _create_exchange_difference_moves(self, exchange_diff_values_list):
        # Odoo's exchange difference entries fix the lines they are
        # reconciled with, on the lines' account and an exchange account:
        # one fixing both sides of a reconciliation debits and credits the
        # receivable, a loss or gain rather than a debt moved. Made and
        # reconciled here, by Odoo, they pass P13-5's check (see
        # account.partial.reconcile._channel_moved_debts).
        cache = self.env.cr.cache
        depth = cache.get("channel_exchange_difference", 0)
        cache["channel_exchange_difference"] = depth + 1
        try:
            return super()._create_exchange_difference_moves(exchange_diff_values_list)
        finally:
            cache["channel_exchange_difference"] = depth

    def _get_section_grouping(self):
        # Hook of OCA account_invoice_section_sale_order, called only when a
        # vendor installs it (this addon loads after it: it depends on the
        # application, which is deeper). It sections an invoice of several
        # orders after its creation, line by line, unless its lines fall in
        # one group: an invoice whose sections were made at its creation
        # (it has a channel section, hence one per order) is one group, its
        # move, and is left as it is.
        moves = self.move_id
        if moves and all(
            move.invoice_line_ids.filtered("channel_order_id") for move in moves
        ):
            return "move_id"
        return super()._get_section_grouping()

    def _channel_billed_again_names(self):
        """What billed again what these credit note lines credit, to name
        it: their orders (extended for the subscriptions)."""
        return self.sale_line_ids.order_id.mapped("name")

    def _channel_bills_order_quantity(self):
        """Whether this invoice line bills units of its order lines (the
        order's own invoicing), as opposed to a service billed period by
        period that only refers to the order line."""
        self.ensure_one()
        return bool(self.sale_line_ids) and self.display_type == "product"
