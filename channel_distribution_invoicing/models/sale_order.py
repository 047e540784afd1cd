# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from markupsafe import Markup
from psycopg2 import errors as pg_errors

from odoo import Command, api, fields, models
from odoo.addons.channel_distribution.tools import (
    channel_access_first,
    channel_check_scheduler,
)
from odoo.exceptions import UserError
from odoo.modules import module as odoo_module
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL, float_compare

_logger = logging.getLogger(__name__)


class SaleOrder(models.Model):
    """Consolidated distributor invoicing.

    Resale channel orders are invoiced through the standard
    ``_create_invoices()``, extended through its hooks only: the grouping keys
    add the fiscal position and the corrected invoice (a correction goes on a
    credit note of the invoice it corrects), ``_create_account_invoices()``
    lists the orders in ``invoice_origin`` and opens each order of an invoice
    with a resale order with its section (the order, its end customer and the
    distributor's reference), in the values the invoice is created with: no
    invoice line is written again after its creation. The "Create distributor
    invoices" action, the standard "Create invoice" wizard and the scheduled
    job all go through it.

    OCA ``account_invoice_section_sale_order`` is not needed. When a vendor
    installs it, it leaves the invoices sectioned here alone (see
    ``account.move.line._get_section_grouping``) and names the sections of the
    other invoices of several orders; those of agency orders without the
    distributor's reference (``_get_invoice_section_name``).
    """

    _inherit = "sale.order"

    channel_has_credited = fields.Boolean(
        compute="_compute_channel_has_credited",
        help="Some quantity of this order was credited for good by a credit "
        "note (finance may bill it again).",
    )

    @api.depends("order_line.channel_qty_credited")
    def _compute_channel_has_credited(self):
        for order in self:
            order.channel_has_credited = any(
                order.order_line.mapped("channel_qty_credited")
            )

    @channel_access_first("write")
    def write(self, vals):
        if not self.env.su and "invoice_status" in vals:
            self._channel_check_invoiced_fields_write()
        return super().write(vals)

    def _channel_check_invoiced_fields_write(self):
        """What is invoiced and left to invoice of a channel order comes
        from its invoices (computed and stored): nobody writes it, or the
        distributor's run would skip what was never billed."""
        channel = self.sudo().filtered("is_channel_order")
        if channel:
            raise UserError(
                self.env._(
                    "What is invoiced of channel order %(order)s comes from its "
                    "invoices: it is not edited.",
                    order=channel[0].name,
                )
            )

    def _is_distributor_invoiced(self):
        """Whether this order is invoiced to its distributor (resale)."""
        self.ensure_one()
        return self.is_channel_order and self.financial_role == "distributor"

    def _action_cancel(self):
        # The user's own right to cancel the orders first: the channel's
        # drafts are then changed as superuser
        self.check_access("write")
        # The checks read every invoice of the orders, whoever cancels them
        # (see _channel_drop_billing_cache)
        self._channel_drop_billing_cache()
        orders = self.sudo()
        to_credit = orders._channel_check_cancel_invoiced()
        # a channel invoice reset to draft (or the new one of Reverse and
        # Create) is posted and credited, not cancelled with its orders
        orders.invoice_ids.filtered(lambda m: m.state == "draft").with_env(
            self.env
        )._channel_check_cancel_posted()
        # Odoo's cancellation of the drafts reads what its user reads; the
        # channel's drafts are the orders' whoever reads them
        self._channel_drop_billing_cache()
        self._channel_remove_from_shared_drafts()
        self._channel_billing_drafts().filtered(
            lambda move: not (move.invoice_line_ids.sale_line_ids.order_id - self)
        ).button_cancel()
        res = super()._action_cancel()
        self._channel_credit_cancelled(
            {order.with_env(self.env): left for order, left in to_credit.items()}
        )
        return res

    def _channel_drop_billing_cache(self):
        """Drop from the cache these orders' lines, invoice lines and
        invoices, to be read again. Odoo reads a relation under its
        reader's record rules and caches one value for every user: read
        first by a user who reads some of the invoices only (a channel
        manager is a salesman, who reads his own by Odoo's *Personal
        invoices* rules), what an order billed was the same to the
        superuser's reads of the cancellation's checks. A request starts
        with nothing in the cache: the channel manager's cancellation of
        an order billed on an invoice of another salesperson, posted or
        reset to draft, was neither refused nor credited."""
        self.invalidate_recordset(["order_line", "invoice_ids", "invoice_count"])
        self.sudo().order_line.invalidate_recordset(["invoice_lines"])

    def _create_invoices(self, grouped=False, final=False, date=None):
        if not self._channel_any_channel_order():
            # direct sales only: no correction to group, Odoo's invoicing in
            # the caller's environment (a context of its own would make
            # every record of the invoicing a new environment)
            return super()._create_invoices(grouped=grouped, final=final, date=date)
        # ``final`` is read by _prepare_invoice() through the context: a
        # correction becomes the credit note of the invoice it corrects, for
        # a resale order (the distributor's) as for an agency order (the end
        # customer's; finance walk 15, W15-1: an agency order's credit was
        # netted into another agency order's new sale on the end customer's
        # invoice).
        moves = super(
            SaleOrder, self.with_context(channel_invoicing_final=final)
        )._create_invoices(grouped=grouped, final=final, date=date)
        return moves.with_env(self.env)

    def _channel_any_channel_order(self):
        """Whether any of these orders is a channel order (resale or
        agency), read for all of them at once."""
        return any(self.mapped("is_channel_order"))

    def _channel_any_distributor_invoiced(self):
        """Whether any of these orders is invoiced to its distributor
        (resale), read for all of them at once."""
        if not any(self.mapped("is_channel_order")):
            return False
        return any(order._is_distributor_invoiced() for order in self)

    def _get_invoice_grouping_keys(self):
        keys = super()._get_invoice_grouping_keys()
        if (
            "channel_invoicing_final" in self.env.context
            and self._channel_any_channel_order()
        ):
            # Sales together; each correction with the others of the invoice
            # it corrects (see _prepare_invoice).
            keys = keys + [
                key
                for key in ("fiscal_position_id", "reversed_entry_id")
                if key not in keys
            ]
        return keys

    def _prepare_invoice(self):
        vals = super()._prepare_invoice()
        if self.is_channel_order and not self._is_distributor_invoiced():
            # An agency order is invoiced to its end customer: the
            # distributor's reference (its PO) stays on the distributor's
            # documents.
            vals["ref"] = ""
        if "channel_invoicing_final" in self.env.context:
            # A grouping key: False for a sale, the corrected invoice for a
            # correction of a channel order, which becomes its credit note.
            vals["reversed_entry_id"] = (
                self._channel_corrected_invoice(
                    self.env.context["channel_invoicing_final"]
                ).id
                if self.is_channel_order
                else False
            )
        return vals

    def _prepare_down_payment_section_line(self, **optional_values):
        vals = super()._prepare_down_payment_section_line(**optional_values)
        section = self.order_line.filtered(
            lambda line: line.is_downpayment and line.display_type == "line_section"
        )[:1]
        if section and self._is_distributor_invoiced():
            # The invoice's "Down Payments" section is the order's: it stays
            # in the order's section of a consolidated invoice, down payments
            # deducted under it.
            vals["sale_line_ids"] = [Command.link(section.id)]
        return vals

    def _channel_section_name_scheme(self):
        """The naming scheme of sections of account_invoice_section_sale_order
        (partner's, else company's), when that module is installed."""
        self.ensure_one()
        partner = self.partner_invoice_id
        if "invoice_section_name_scheme" not in partner._fields:
            return False
        return (
            partner.invoice_section_name_scheme
            or self.company_id.invoice_section_name_scheme
        )

    def _get_channel_section_name(self):
        """Name of the order's section on an invoice of several orders: for a
        resale order, the order, its end customer and the distributor's
        reference; for an agency order, the order alone (its end customer is
        the invoice's partner, the distributor's reference is not theirs);
        else the order and the customer's reference. A naming scheme of
        account_invoice_section_sale_order, when set, wins."""
        self.ensure_one()
        if self._channel_section_name_scheme():
            return self._get_invoice_section_name()
        order = self.with_context(lang=self.partner_invoice_id.lang or self.env.lang)
        if self._is_distributor_invoiced():
            if self.client_order_ref:
                return order.env._(
                    "%(order)s - %(customer)s - your reference %(ref)s",
                    order=self.name,
                    customer=self.end_customer_id.display_name,
                    ref=self.client_order_ref,
                )
            return order.env._(
                "%(order)s - %(customer)s",
                order=self.name,
                customer=self.end_customer_id.display_name,
            )
        if self.client_order_ref and not self.is_channel_order:
            return f"{self.name} - {self.client_order_ref}"
        return self.name

    def _get_invoice_section_name(self):
        # Hook of account_invoice_section_sale_order, called only when it is
        # installed (this addon loads after it: it depends on the
        # application, which is deeper). Channel orders get the product's
        # name unless a naming scheme is set.
        self.ensure_one()
        if self.is_channel_order and not self._channel_section_name_scheme():
            return self._get_channel_section_name()
        return super()._get_invoice_section_name()

    def _channel_corrected_invoice(self, final):
        """The invoice that this order's invoicing corrects, if any.

        When what is left to invoice nets to a credit (quantities lowered
        after invoicing), the latest invoice of the lowered lines: the order
        then goes on a credit note of that invoice, never netted against the
        sales of other orders. Otherwise (a sale) no invoice.
        """
        self.ensure_one()
        Move = self.env["account.move"]
        lowered = self.order_line.filtered(lambda line: line.qty_to_invoice < 0)
        if not final or not lowered:
            return Move
        net = sum(
            line.price_unit * (1 - (line.discount or 0.0) / 100) * line.qty_to_invoice
            for line in self._get_invoiceable_lines(final)
            if not line.display_type
        )
        if self.currency_id.compare_amounts(net, 0) >= 0:
            return Move
        invoices = lowered.invoice_lines.move_id.filtered(
            lambda m: m.move_type == "out_invoice" and m.state != "cancel"
        )
        return invoices.sorted(
            lambda m: (m.state == "posted", m.invoice_date or m.date, m.id)
        )[-1:]

    def _create_account_invoices(self, invoice_vals_list, final):
        if not self._channel_any_distributor_invoiced():
            # no resale order among them (direct sales): the invoices are
            # Odoo's, their line values are not read again
            return super()._create_account_invoices(invoice_vals_list, final)
        for vals in invoice_vals_list:
            line_orders = self._channel_orders_of_line_commands(
                vals.get("invoice_line_ids") or []
            )
            orders = self.browse(
                list(dict.fromkeys(order.id for order in line_orders if order))
            )
            if any(order._is_distributor_invoiced() for order in orders):
                vals["invoice_origin"] = ", ".join(orders.mapped("name"))
                refs = [ref for ref in orders.mapped("client_order_ref") if ref]
                vals["ref"] = ", ".join(dict.fromkeys(refs))[:2000]
                vals["invoice_line_ids"] = self._channel_sectioned_line_commands(
                    vals["invoice_line_ids"], line_orders
                )
        # Odoo's line values read each order line's invoice lines: left in
        # the cache, each new invoice line linked to an order line is added
        # to them by a pass over every line of the create (the inverse of
        # ``sale_line_ids``), so that one invoice's creation grew with the
        # square of its lines. Read again from the database when needed.
        self.order_line.invalidate_recordset(["invoice_lines"])
        return super()._create_account_invoices(invoice_vals_list, final)

    def _channel_orders_of_line_commands(self, commands):
        """The order of each invoice line command of invoice values, in one
        read: that of its order line; a line of no order line (the "Down
        Payments" section of a direct order) is of the order of the line that
        follows it, else of the one before."""
        line_ids = []
        for command in commands:
            links = [
                link[1]
                for link in (
                    command[2].get("sale_line_ids") or []
                    if command[0] == Command.CREATE
                    else []
                )
                if link[0] == Command.LINK
            ]
            line_ids.append(links[0] if links else None)
        sale_lines = self.env["sale.order.line"].browse(
            [line_id for line_id in line_ids if line_id]
        )
        order_of = {line.id: line.order_id for line in sale_lines}
        orders = [order_of[line_id] if line_id else None for line_id in line_ids]
        following = None
        for index in reversed(range(len(orders))):
            if orders[index] is None:
                orders[index] = following
            following = orders[index]
        previous = None
        for index, order in enumerate(orders):
            if order is None:
                orders[index] = previous
            previous = orders[index]
        return orders

    def _channel_sectioned_line_commands(self, commands, line_orders):
        """The invoice line commands of an invoice with resale orders, each
        order opened by its section (the channel section of a resale order,
        a plain one for another order), renumbered in one pass."""
        Move = self.env["account.move"]
        SaleOrderLine = self.env["sale.order.line"]
        sectioned = []
        current = None
        for command, order in zip(commands, line_orders, strict=True):
            if order and order != current:
                if order._is_distributor_invoiced():
                    section = Move._prepare_channel_section_vals(order)
                else:
                    section = {
                        "display_type": "line_section",
                        "name": order._get_channel_section_name(),
                        "account_id": False,
                        # given, not written after creation (see
                        # account.move._channel_section_line_vals)
                        "balance": 0.0,
                    }
                sectioned.append(Command.create(section))
            current = order
            sectioned.append(command)
        for sequence, command in enumerate(sectioned, start=1):
            command[2]["sequence"] = SaleOrderLine._get_invoice_line_sequence(
                new=sequence, old=command[2].get("sequence")
            )
        return sectioned

    @api.model
    def _channel_posted_billed_units(self, line):
        """``(move, quantity, amount)`` of each posted invoice or credit
        note line that bills units of order line ``line``: its quantity in
        the line's unit of measure and its untaxed amount (both unsigned as
        on the document: a credit note's are positive)."""
        for invoice_line in line.invoice_lines:
            move = invoice_line.move_id
            if move.state != "posted" or not move.is_sale_document():
                continue
            if not invoice_line._channel_bills_order_quantity():
                continue
            line_qty = invoice_line.quantity
            if invoice_line.product_uom_id and line.product_uom:
                line_qty = invoice_line.product_uom_id._compute_quantity(
                    line_qty, line.product_uom
                )
            yield move, line_qty, invoice_line.price_subtotal

    def _channel_left_to_credit(self):
        """{posted invoice: {order line: (units, amount)}}: what this order
        still has billed on posted invoices and no posted credit note
        credited yet, on the invoices that billed it.

        The amount (untaxed, in the order's currency) is what decides: per
        order line, what its posted invoices billed less what its posted
        credit notes credited, put on the invoices that billed it, the
        latest first, each up to what it billed net of its own credit notes
        (what is left, credited by credit notes of no invoice, on the
        latest). The units not credited yet are put the same way: a credit
        note of a unit at 0.01 credited that unit, not its amount."""
        self.ensure_one()
        currency = self.currency_id
        result = {}
        for line in self.order_line:
            rounding = line.product_uom.rounding or 0.01
            units, amounts = {}, {}
            total_units = total_amount = 0.0
            for move, qty, amount in self._channel_posted_billed_units(line):
                sign = 1.0 if move.move_type == "out_invoice" else -1.0
                total_units += sign * qty
                total_amount += sign * amount
                invoice = move if sign > 0 else move.reversed_entry_id
                if invoice:
                    units[invoice] = units.get(invoice, 0.0) + sign * qty
                    amounts[invoice] = amounts.get(invoice, 0.0) + sign * amount
            invoices = sorted(
                (move for move in amounts if move.move_type == "out_invoice"),
                key=lambda m: (m.invoice_date or m.date, m.id),
                reverse=True,
            )
            if not invoices or currency.compare_amounts(total_amount, 0.0) <= 0:
                continue
            amount_split = self._channel_split_latest_first(
                invoices,
                amounts,
                total_amount,
                lambda value: currency.compare_amounts(value, 0.0),
            )
            units_split = self._channel_split_latest_first(
                invoices,
                units,
                total_units,
                lambda value, r=rounding: float_compare(
                    value, 0.0, precision_rounding=r
                ),
            )
            for invoice, amount in amount_split.items():
                result.setdefault(invoice, {})[line] = (
                    units_split.get(invoice, 0.0),
                    currency.round(amount),
                )
        return result

    @api.model
    def _channel_split_latest_first(self, invoices, billed, total, sign):
        """``total`` put on ``invoices`` (the latest first), each up to its
        positive ``billed`` figure, the rest on the latest: {invoice:
        share} of the shares above zero (``sign(value)``: -1, 0 or 1)."""
        shares = {}
        left = total
        for invoice in invoices:
            if sign(left) <= 0:
                break
            take = min(left, billed.get(invoice, 0.0))
            if sign(take) <= 0:
                continue
            shares[invoice] = take
            left -= take
        if sign(left) > 0:
            shares[invoices[0]] = shares.get(invoices[0], 0.0) + left
        return shares

    def _channel_check_cancel_invoiced(self):
        """Before cancelling: refuse channel orders still billed on a posted
        invoice, unless their company credits them on cancellation. Agency
        orders as resale ones: their invoices are the end customer's, the
        distributor's commission is clawed back by the credit notes (finance
        walk 15, W15-2: a cancelled agency order stayed billed, its
        commission paid out).

        Returns {order: what it has left to credit (see
        ``_channel_left_to_credit``)} of the orders to credit.
        """
        to_credit = {}
        for order in self.filtered("is_channel_order"):
            left = order._channel_left_to_credit()
            if not left:
                continue
            if order.company_id.channel_cancel_invoiced == "credit":
                to_credit[order] = left
                continue
            invoices = order._channel_posted_invoices()
            raise UserError(
                self.env._(
                    "Order %(order)s is billed on posted invoice %(invoices)s: "
                    "credit it first (a credit note of its section), then cancel "
                    "it. Or let cancellations credit it: Sales settings, "
                    "Distribution Channel, Cancelling Invoiced Orders.",
                    order=order.name,
                    invoices=", ".join(invoices.mapped("name")),
                )
            )
        return to_credit

    def action_channel_bill_again(self):
        """Button (finance): what credit notes of these orders credited for
        good (plain reversals) is to invoice again, by the next run or the
        Create Invoice button."""
        if not (
            self.env.su or self.env.user.has_group("account.group_account_invoice")
        ):
            raise UserError(
                self.env._("Only users with invoicing rights bill an order again.")
            )
        lines = self.order_line.invoice_lines.filtered(
            lambda line: line.channel_credit_kept and line.parent_state != "cancel"
        )
        if not lines:
            raise UserError(
                self.env._(
                    "%(orders)s: no credited quantity to bill again.",
                    orders=", ".join(self.mapped("name")),
                )
            )
        self._channel_check_credited_in_full(lines)
        # the credit notes stay posted from now on (see
        # account.move._channel_check_billed_again)
        lines.sudo().write({"channel_credit_kept": False, "channel_billed_again": True})
        for order in self:
            order.message_post(
                body=self.env._(
                    "Billed again: the quantities credited by credit notes are "
                    "to invoice."
                )
            )
        return True

    def _channel_check_credited_in_full(self, credit_lines):
        """Bill Again bills the credited units again at the order's price:
        only when posted credit notes credited each of them at the price,
        discount and taxes it was billed at (eleventh probe, P11-12: 3 units
        credited at 0.01 each were billed again in full)."""
        drafts = credit_lines.move_id.filtered(lambda m: m.state != "posted")
        if drafts:
            raise UserError(
                self.env._(
                    "Bill Again bills again what posted credit notes credited: "
                    "post credit note %(credits)s first, or delete it.",
                    credits=", ".join(drafts.mapped("display_name")),
                )
            )
        for order_line in credit_lines.sale_line_ids.sorted(lambda sol: sol.id):
            credits = credit_lines.filtered(
                lambda c, x=order_line: x in c.sale_line_ids
            )
            order_line._channel_check_credits_cover(credits)

    def _channel_posted_invoices(self):
        return self.invoice_ids.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_invoice"
        ).sorted(lambda m: (m.invoice_date or m.date, m.id))

    def _channel_billing_drafts(self):
        """The draft invoices billing these channel orders, as superuser:
        whoever cancels an order, the drafts of the billing run (OdooBot's,
        never posted, which a channel manager or a salesman may not read:
        Odoo's *Personal invoices*) billing it are the order's. Read with
        nothing of the orders' invoices in the cache, which is dropped
        again after: Odoo caches one value of the relation for every user
        (``_channel_drop_billing_cache``)."""
        self._channel_drop_billing_cache()
        drafts = (
            self.sudo()
            .filtered("is_channel_order")
            .invoice_ids.filtered(lambda m: m.state == "draft")
        )
        self._channel_drop_billing_cache()
        return drafts

    def _channel_remove_from_shared_drafts(self):
        """Take the orders being cancelled off the draft invoices they share
        with other orders: their sections and lines go, the others stay.
        The channel orders' drafts whoever reads them
        (``_channel_billing_drafts``), the others' those the user reads.

        Draft invoices of these orders alone are cancelled (by
        ``_action_cancel``).
        """
        drafts = self._channel_billing_drafts() | (
            self.invoice_ids.filtered(lambda m: m.state == "draft").sudo()
        )
        for move in drafts:
            others = move.invoice_line_ids.sale_line_ids.order_id - self
            if not others:
                continue
            orders = (move.invoice_line_ids.sale_line_ids.order_id & self).with_env(
                self.env
            )
            lines = move._get_channel_order_lines(orders)
            move.write(
                {"invoice_line_ids": [Command.unlink(line.id) for line in lines]}
            )
            for order in orders:
                move.message_post(
                    body=self.env._(
                        "Order %(order)s was cancelled: its section and lines "
                        "were removed from this invoice.",
                        order=order.name,
                    )
                )
                order.message_post(
                    body=Markup(
                        self.env._(
                            "Cancelled: its section and lines were removed from "
                            "draft invoice %(invoice)s, which stays for the other "
                            "orders."
                        )
                    )
                    % {"invoice": move._get_html_link(title=move.display_name)}
                )
        self.order_line.invalidate_recordset(["invoice_lines"])
        self.invalidate_recordset(["invoice_ids", "invoice_count"])

    def _channel_credit_cancelled(self, to_credit):
        """After cancelling: draft credit notes of what each order still had
        billed on posted invoices and not credited, one per invoice that
        billed it, each line on the credit note of the invoice that billed
        it. Returns them."""
        Move = self.env["account.move"].sudo()
        refunds = Move
        for order, left in to_credit.items():
            order = order.with_company(order.company_id)
            for invoice, lines in sorted(left.items(), key=lambda item: item[0].id):
                vals_list = []
                for line, (units, amount) in lines.items():
                    vals_list += line._channel_prepare_credit_lines(
                        invoice, units, amount
                    )
                refunds |= order._channel_create_cancel_refund(invoice, vals_list)
        return refunds

    def _channel_create_cancel_refund(self, invoice, vals_list):
        """The draft credit note of ``invoice`` crediting ``vals_list``
        (invoice line values of this cancelled order's lines), in its
        section."""
        self.ensure_one()
        Move = self.env["account.move"].sudo()
        vals = self._prepare_invoice()
        refs = [
            self.env._("Cancellation of %(order)s", order=self.name),
            self.client_order_ref,
        ]
        vals.update(
            {
                "move_type": "out_refund",
                "reversed_entry_id": invoice.id,
                "invoice_origin": self.name,
                "ref": ", ".join(ref for ref in refs if ref),
                "invoice_line_ids": [
                    Command.create(Move._prepare_channel_section_vals(self, sequence=0))
                ]
                + [
                    Command.create(dict(line_vals, sequence=seq))
                    for seq, line_vals in enumerate(vals_list, start=1)
                ],
            }
        )
        refund = Move.with_context(default_move_type="out_refund").create(vals)
        link = refund._get_html_link(title=refund.display_name)
        self.message_post(
            body=Markup(
                self.env._(
                    "Cancelled while billed on posted invoice %(invoice)s: "
                    "credit note %(refund)s (draft) credits its section."
                )
            )
            % {
                "invoice": invoice._get_html_link(title=invoice.name),
                "refund": link,
            }
        )
        invoice.sudo().message_post(
            body=Markup(
                self.env._(
                    "Order %(order)s was cancelled: credit note %(refund)s "
                    "(draft) credits its section."
                )
            )
            % {"order": self._get_html_link(title=self.name), "refund": link}
        )
        return refund

    def _channel_lock_for_invoicing(self):
        """Lock the orders for this transaction; return those obtained.

        Orders locked by another transaction (another worker, the scheduled
        job) are left out rather than waited for, so that no order is
        invoiced twice and nobody blocks.
        """
        if not self:
            return self
        self.env.cr.execute(
            SQL(
                "SELECT id FROM sale_order WHERE id IN %s ORDER BY id "
                "FOR UPDATE SKIP LOCKED",
                tuple(self.ids),
            )
        )
        locked = self.browse([row[0] for row in self.env.cr.fetchall()])
        # Read the invoicing state again now that nobody else can change it.
        locked.invalidate_recordset()
        locked.order_line.invalidate_recordset()
        return self.filtered(lambda o: o in locked)

    def _check_distributor_invoicing(self):
        """Raise a UserError when the orders cannot be invoiced together."""
        if len(self.company_id) > 1:
            raise UserError(
                self.env._(
                    "Invoice the orders of one company at a time: %(companies)s.",
                    companies=", ".join(self.company_id.mapped("name")),
                )
            )
        for order in self.filtered(lambda o: o._is_distributor_invoiced()):
            address = order.partner_invoice_id
            if not address or not (address.street or address.city):
                raise UserError(
                    self.env._(
                        "Distributor %(distributor)s has no invoice address: give "
                        "%(address)s a street or a city (order %(order)s).",
                        distributor=order.distributor_id.display_name,
                        address=(address or order.distributor_id).display_name,
                        order=order.name,
                    )
                )
        companies = self.company_id
        for company in companies:
            orders = self.filtered(lambda o, c=company: o.company_id == c)
            if all(order.journal_id for order in orders):
                continue
            journal = self.env["account.journal"].search(
                [
                    *self.env["account.journal"]._check_company_domain(company),
                    ("type", "=", "sale"),
                ],
                limit=1,
            )
            if not journal:
                raise UserError(
                    self.env._(
                        "Company %(company)s has no sales journal to invoice "
                        "%(distributor)s: create one in Accounting first.",
                        company=company.name,
                        distributor=", ".join(
                            orders.distributor_id.mapped("display_name")
                        ),
                    )
                )

    def _create_distributor_invoices(self, final=True):
        """Invoice the orders, one invoice per distributor (per company,
        invoice address, currency and fiscal position).

        Returns ``(invoices, skipped orders)``; skipped orders are fully
        invoiced, not confirmed or being invoiced by someone else.
        """
        if not self:
            raise UserError(self.env._("Select the orders to invoice."))
        self._check_distributor_invoicing()
        orders = self.sorted(lambda o: (o.date_order, o.id))
        locked = orders._channel_lock_for_invoicing()
        todo = locked.filtered(
            lambda o: o.state == "sale" and o.invoice_status == "to invoice"
        )
        skipped = orders - todo
        if not todo:
            raise UserError(
                self.env._(
                    "Nothing to invoice: %(orders)s already invoiced, not "
                    "confirmed or being invoiced right now.",
                    orders=", ".join(skipped.mapped("name")),
                )
            )
        invoices = todo._create_invoices(final=final)
        if skipped:
            body = self.env._(
                "Skipped, nothing to invoice or being invoiced elsewhere: "
                "%(orders)s.",
                orders=", ".join(skipped.mapped("name")),
            )
            for invoice in invoices:
                invoice.sudo().message_post(body=body)
        return invoices, skipped

    def action_create_distributor_invoices(self):
        """Invoice the selected orders, one invoice per distributor, and
        show the invoices; say first which selected orders were skipped."""
        invoices, skipped = self._create_distributor_invoices()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", invoices.ids)]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        if len(invoices) == 1:
            action["views"] = [(self.env.ref("account.view_move_form").id, "form")]
            action["res_id"] = invoices.id
        if not skipped:
            return action
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "title": self.env._("Orders skipped"),
                "message": self.env._(
                    "Not invoiced (nothing to invoice, not confirmed or being "
                    "invoiced elsewhere): %(orders)s.",
                    orders=", ".join(skipped.mapped("name")),
                ),
                "sticky": False,
                "next": action,
            },
        }

    @api.model
    def _channel_invoicing_commit(self):
        """Commit one batch of the scheduled job (not while testing): the
        job is resumable, so what a batch did must survive a later crash."""
        if not odoo_module.current_test:
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _get_distributor_orders_to_invoice(self, distributor):
        return self.search(
            [
                ("distributor_id", "child_of", distributor.id),
                ("is_channel_order", "=", True),
                ("state", "=", "sale"),
                ("invoice_status", "=", "to invoice"),
            ],
            order="date_order, id",
        )

    @api.model
    def _cron_create_distributor_invoices(self, batch_limit=20):
        """Scheduled job: invoice the distributors whose invoicing date has
        come, one distributor per batch, committed batch by batch.

        A distributor is done when its next invoicing date moves on, in the
        same transaction as its invoices: a job that stops in the middle
        resumes with the distributors left and invoices nothing twice. A
        distributor whose invoicing failed keeps its date and is tried again
        the next day (its last date is today).
        """
        channel_check_scheduler(self.env, self.env._("The distributor billing"))
        today = fields.Date.context_today(self)
        due = self._channel_distributors_due(today)
        done = 0
        for distributor in due[:batch_limit]:
            self._channel_invoice_scheduled_distributor_safely(distributor, today)
            done += 1
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(due) - done)
            self._channel_invoicing_commit()
        if not due:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
        return done

    @api.model
    def _channel_distributors_due(self, today, distributors=None):
        """The distributors the scheduled job invoices on ``today`` (of
        ``distributors`` only, when given): their invoicing date has come
        and no run has tried them today. Archived ones too: archiving a
        distributor ends no subscription and invoices no order, so what it
        still runs and sold is billed as before (else its revenue would
        stop without a word)."""
        domain = [
            ("is_distributor", "=", True),
            ("channel_invoicing_period", "in", ("weekly", "monthly")),
            ("channel_invoicing_next_date", "<=", today),
            "|",
            ("channel_invoicing_last_date", "=", False),
            ("channel_invoicing_last_date", "<", today),
        ]
        if distributors is not None:
            domain.append(("id", "in", distributors.ids))
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search(domain, order="id")
            .with_env(self.env)
        )

    @api.model
    def _channel_invoice_scheduled_distributor_safely(self, distributor, today):
        """One batch of the scheduled job that never stops the job: whatever
        fails for this distributor (a database error too) is undone, noted
        on it with an activity for finance, and its next invoicing date
        kept; the job goes on with the next distributors. An error that
        ``_channel_billing_handle_error()`` raises for goes up instead,
        nothing of the batch kept."""
        try:
            with self.env.cr.savepoint():
                return self._channel_invoice_scheduled_distributor(distributor, today)
        except Exception as error:  # pylint: disable=broad-except
            self._channel_billing_handle_error(error)
            _logger.warning(
                "Scheduled invoicing of %s failed: %s",
                distributor.display_name,
                error,
                exc_info=True,
            )
            company = distributor.company_id or self.env.company
            distributor.message_post(
                body=self.env._(
                    "Scheduled invoicing failed: %(error)s", error=str(error)
                )
            )
            distributor._channel_invoicing_alert([(company, error)])
            distributor.sudo().write({"channel_invoicing_last_date": today})
            return self.env["account.move"]

    @api.model
    def _channel_billing_is_retryable_error(self, error):
        """Whether ``error``, caught by the scheduled billing, is a clash
        with a concurrent transaction that the same batch, run again a
        moment later in a new transaction, would not meet: a serialization
        failure, a deadlock, a lock not available, or the first invoice of a
        journal's sequence period numbered alike by two transactions (Odoo
        names it while it is a draft; the one that posts second breaks
        ``account_move_unique_name``)."""
        if isinstance(error, pg_errors.UniqueViolation):
            return error.diag.constraint_name == "account_move_unique_name"
        return isinstance(error, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY)

    @api.model
    def _channel_billing_handle_error(self, error):
        """Called by each safety net of the scheduled billing (a
        distributor's batch, each company's savepoint in it) with the error
        it caught, its savepoint rolled back, before the error is noted on
        the distributor. Returning lets it be noted, the distributor keeping
        its next invoicing date (billed by the next day's run); raising ends
        the distributor's batch instead, nothing noted, for a caller that
        runs the batch again (``channel_distribution_queue`` raises for the
        errors ``_channel_billing_is_retryable_error()`` accepts, in a
        billing job). The scheduled action cannot run one distributor again
        sooner: every error is noted."""

    @api.model
    def _channel_invoice_scheduled_distributor(self, distributor, today):
        """One batch of the scheduled job: invoice one distributor, its
        resale orders on its invoice, its agency orders on one invoice per
        end customer. A failure keeps the next date (retried the next day)
        and alerts finance."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE id = %s FOR UPDATE SKIP LOCKED",
                distributor.id,
            )
        )
        if not self.env.cr.fetchone():
            return self.env["account.move"]  # another run has it
        invoices, errors = self._channel_scheduled_distributor_billing(
            distributor, today
        )
        values = {"channel_invoicing_last_date": today}
        if errors:
            distributor._channel_invoicing_alert(errors)
        else:
            values["channel_invoicing_next_date"] = (
                distributor._channel_next_invoicing_date(today)
            )
            distributor.activity_feedback(
                [
                    "channel_distribution_invoicing.mail_activity_channel_invoicing_failed"
                ],
                feedback=self.env._("Invoiced by the scheduled job."),
            )
        distributor.sudo().write(values)
        return invoices

    @api.model
    def _channel_scheduled_distributor_billing(self, distributor, today):
        """What one batch of the scheduled job bills for a distributor it
        has locked: its orders to invoice, company by company, posted and
        sent as the settings say.

        Returns ``(invoices, errors)``: ``errors`` lists ``(company,
        UserError)`` of what failed, undone and noted on the distributor;
        with any, the distributor keeps its next invoicing date. Extend it
        (super() first) to bill more in the same batch.
        """
        invoices = self.env["account.move"]
        errors = []
        orders = self._get_distributor_orders_to_invoice(distributor)
        for company in orders.company_id:
            company_orders = orders.filtered(
                lambda o, c=company: o.company_id == c
            ).with_company(company)
            moves, error = self._channel_bill_in_savepoint(
                distributor,
                lambda o=company_orders: o._create_distributor_invoices()[0],
                self.env._("Scheduled invoicing failed: %(error)s"),
            )
            invoices |= moves
            if error:
                errors.append((company, error))
        return invoices, errors

    @api.model
    def _channel_bill_in_savepoint(self, distributor, bill, failure):
        """Run ``bill()`` (it returns the invoices it made) and post and
        send them, in a savepoint: any error (a database one too) undoes
        that part alone, is noted on the distributor (``failure``, a
        translated text with an ``%(error)s`` placeholder) and returned,
        and the job goes on (unless ``_channel_billing_handle_error``
        raises: a billing job run again).

        Returns ``(invoices, error)``, one of them empty.
        """
        try:
            with self.env.cr.savepoint():
                moves = bill()
                moves._channel_post_and_send()
        except Exception as error:  # pylint: disable=broad-except
            self._channel_billing_handle_error(error)
            _logger.info(
                "Scheduled billing of %s skipped: %s", distributor.display_name, error
            )
            distributor.message_post(body=failure % {"error": str(error)})
            return self.env["account.move"], error
        return moves, None
