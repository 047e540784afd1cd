# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.addons.channel_distribution.tools import channel_field_labels
from odoo.exceptions import UserError

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
        # section (a field read on a new line costs a default_get).
        linked = self.filtered(
            lambda line: line.display_type in ("product", "line_section", "line_note")
        )
        unlinked = self - linked
        unlinked.end_customer_id = False
        unlinked.distributor_id = False
        sections = linked.filtered(lambda line: line.display_type == "line_section")
        # the order lines of a new line (being created) are new records too:
        # their orders are read from the records they stand for, in one go
        sale_lines = linked.sale_line_ids
        if len(sale_lines._origin) == len(sale_lines):
            sale_lines = sale_lines._origin
        orders = sale_lines.order_id | sections.channel_order_id
        if not orders.filtered("is_channel_order"):
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

    @api.depends("sale_line_ids", "display_type", "quantity", "product_uom_id")
    def _compute_channel_commission(self):
        # Every line of every invoice comes here (direct sales too), again
        # whenever its quantity or amounts change: when none of them bills a
        # channel order's line, none earns a commission, set at once rather
        # than line by line.
        if not self.sale_line_ids.order_id.filtered("is_channel_order"):
            self.channel_commission = 0.0
            return
        for line in self:
            line.channel_commission = line._channel_get_commission()

    def _channel_get_commission(self):
        """The commission of this line: the order line's commission for the
        units it bills or credits (none on down payments)."""
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
        return currency.round(
            order_line.channel_commission * quantity / order_line.product_uom_qty
        )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.su:
            lines._channel_check_party_links()
            lines._channel_check_order_links()
        return lines

    def write(self, vals):
        self._channel_check_link_write(vals)
        if not self.env.su and SETTLED_FIELDS & vals.keys():
            self._channel_check_settled_write(vals)
        if not self.env.su and POSTED_FIELDS & vals.keys():
            self._channel_check_posted_write(vals)
        if not self.env.su and {"partner_id", "parent_state", "move_id"} & vals.keys():
            self._channel_check_move_copies_write(vals)
        direct = self.browse()
        if not self.env.su and "sale_line_ids" in vals:
            direct = self.filtered(lambda line: not line._channel_is_channel_line())
        res = super().write(vals)
        if not self.env.su and "sale_line_ids" in vals:
            self._channel_check_order_links()
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

    def _channel_check_settled_write(self, vals):
        """What is left to pay on a channel invoice's line and what settled
        it (SETTLED_FIELDS) move through payments and reconciliation only:
        a user does not write them (ninth probe, P9-7: an accountant marked
        a distributor's invoice paid by its receivable line's residual, no
        payment). Odoo clears the matching number of a line no longer
        matched (as the user): a cleared number is let through."""
        names = SETTLED_FIELDS & vals.keys()
        if names == {"matching_number"} and not vals["matching_number"]:
            return
        channel = self.sudo().filtered(lambda line: line._channel_is_channel_line())
        if channel:
            raise UserError(
                self.env._(
                    "What is left to pay on %(move)s and what settled it come "
                    "from its payments and reconciliation: they are not "
                    "edited.",
                    move=channel[0].move_id.display_name,
                )
            )

    def _channel_check_posted_write(self, vals):
        """What a posted channel line bills (POSTED_FIELDS) changes with its
        invoice reset to draft, not by a write on the posted line."""
        names = POSTED_FIELDS & vals.keys()
        for line in self.sudo():
            if line.parent_state == "draft" or not line._channel_is_channel_line():
                continue
            changed = [
                name
                for name in names
                if name in line._fields and line._channel_link_changed(name, vals[name])
            ]
            if changed:
                raise UserError(
                    self.env._(
                        "%(move)s is posted: what its lines bill (%(fields)s) "
                        "changes with the invoice reset to draft.",
                        move=line.move_id.display_name,
                        fields=channel_field_labels(self, changed),
                    )
                )

    def _channel_check_move_copies_write(self, vals):
        """A channel line stays on its invoice (Odoo's flows never move a
        line to another move; a link command on another invoice's lines
        writes this field too), its partner is the invoice's financial
        counterparty (an address of it), and its state the invoice's: a
        user does not write them otherwise."""
        Partner = self.env["res.partner"].sudo()
        for line in self.sudo().filtered(lambda ln: ln._channel_is_channel_line()):
            party = line.move_id.commercial_partner_id
            moved = "partner_id" in vals and (
                Partner.browse(vals["partner_id"]).commercial_partner_id != party
            )
            moved = moved or ("move_id" in vals and vals["move_id"] != line.move_id.id)
            if moved or (
                "parent_state" in vals and vals["parent_state"] != line.move_id.state
            ):
                raise UserError(
                    self.env._(
                        "The lines of %(move)s are those of %(party)s's invoice "
                        "(its invoice, partner and state): they are not edited.",
                        move=line.move_id.display_name,
                        party=party.display_name,
                    )
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
            "sale_line_ids",
            "channel_commission",
        ]

    @api.model
    def _channel_billing_link_fields(self):
        """Those of the link fields that decide what is billed (again) or
        earned (the commission): not written by users on a draft either."""
        return ["channel_credit_kept", "sale_line_ids", "channel_commission"]

    @api.model
    def _channel_party_link_fields(self):
        """Those of the link fields that decide whose invoice it is (its
        distributor, hence its portal, and its end customers): not written
        by users on a draft either. The orders (section and order lines)
        give them."""
        return ["distributor_id", "end_customer_id", "channel_order_id"]

    def _channel_check_link_write(self, vals):
        if self.env.su:
            return
        names = [name for name in self._channel_link_fields() if name in vals]
        if not names:
            return
        on_drafts = set(self._channel_billing_link_fields()) | set(
            self._channel_party_link_fields()
        )
        for line in self.sudo():
            # a draft line of direct sales keeps Odoo's links (the write
            # checks it is not linked to a channel order)
            drafts_guarded = on_drafts if line._channel_is_channel_line() else set()
            guarded = [
                name
                for name in names
                if (line.parent_state != "draft" or name in drafts_guarded)
                and line._channel_link_changed(name, vals[name])
            ]
            if guarded:
                raise UserError(
                    self.env._(
                        "The channel links of the lines of %(move)s (%(fields)s) "
                        "come from what it invoices: they are not edited.",
                        move=line.move_id.display_name,
                        fields=channel_field_labels(self, guarded),
                    )
                )

    def _channel_link_changed(self, name, value):
        """Whether writing ``value`` to the link ``name`` changes it (any
        command on a list of links does)."""
        field = self._fields[name]
        if field.type in ("one2many", "many2many"):
            return bool(value)
        return field.convert_to_cache(
            self[name], self, validate=False
        ) != field.convert_to_cache(value, self, validate=False)

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

    def _channel_bills_order_quantity(self):
        """Whether this invoice line bills units of its order lines (the
        order's own invoicing), as opposed to a service billed period by
        period that only refers to the order line."""
        self.ensure_one()
        return bool(self.sale_line_ids) and self.display_type == "product"
