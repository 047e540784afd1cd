# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from urllib.parse import parse_qsl, urlencode, urlsplit

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.modules import module as odoo_module
from odoo.tools import (
    SQL,
    float_is_zero,
)

from .res_partner import BUSINESS_ROLES, FINANCIAL_ROLES

_logger = logging.getLogger(__name__)

# Fields that decide who is invoiced and who is served: locked once confirmed.
CHANNEL_FIELDS = (
    "distributor_id",
    "end_customer_id",
    "financial_role",
    "business_role",
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    distributor_id = fields.Many2one(
        "res.partner",
        domain=[("is_distributor", "=", True)],
        index=True,
        tracking=True,
        check_company=True,
        help="The distribution partner that raised this order.",
    )
    end_customer_id = fields.Many2one(
        "res.partner",
        index=True,
        tracking=True,
        check_company=True,
        help="The customer that receives the products and services.",
    )
    financial_role = fields.Selection(
        FINANCIAL_ROLES,
        string="Invoiced Party",
        compute="_compute_financial_role",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Resale: the distributor is invoiced at its price book and earns "
        "the margin. Agency: the end customer is invoiced at its own prices and "
        "the distributor earns a commission.",
    )
    business_role = fields.Selection(
        BUSINESS_ROLES,
        string="Served Party",
        compute="_compute_business_role",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="End customer: the vendor serves the end customer (set-up, "
        "service contact). Distributor (white label): the distributor runs "
        "first-line service; the vendor's set-up and service contact are the "
        "distributor and the end customer is not contacted. Delivery always "
        "goes to the end customer.",
    )
    is_channel_order = fields.Boolean(
        compute="_compute_channel_partners",
        store=True,
        index=True,
    )
    financial_partner_id = fields.Many2one(
        "res.partner",
        string="Financial Counterparty",
        compute="_compute_channel_partners",
        store=True,
        index=True,
        help="The party that is invoiced.",
    )
    business_partner_id = fields.Many2one(
        "res.partner",
        string="Business Counterparty",
        compute="_compute_channel_partners",
        store=True,
        index=True,
        help="The party that receives the service: set-up, delivery, contact.",
    )
    # Redefined as a computed field so that the channel decides the customer;
    # editable and unchanged for orders without a distributor.
    partner_id = fields.Many2one(
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    # The distributor's margin: for the vendor's users. Portal pages that
    # show it to the distributor read it as superuser after their checks.
    channel_commission = fields.Monetary(
        string="Commission",
        compute="_compute_channel_commission",
        store=True,
        groups="base.group_user",
        help="What the distributor earns on this order: the margin between "
        "the list price and its price book (resale), or between the end "
        "customer's price and the price book (agency).",
    )
    channel_source = fields.Selection(
        [("backend", "Backend"), ("portal", "Distributor portal")],
        string="Entered From",
        default="backend",
        copy=False,
        readonly=True,
    )

    @api.depends("distributor_id")
    def _compute_financial_role(self):
        for order in self:
            if order.distributor_id:
                order.financial_role = (
                    order.distributor_id.channel_financial_role or "distributor"
                )
            elif not order.financial_role:
                order.financial_role = "distributor"

    @api.depends("distributor_id")
    def _compute_business_role(self):
        for order in self:
            if order.distributor_id:
                order.business_role = (
                    order.distributor_id.channel_business_role or "end_customer"
                )
            elif not order.business_role:
                order.business_role = "end_customer"

    @api.depends(
        "distributor_id",
        "end_customer_id",
        "financial_role",
        "business_role",
        "partner_id",
    )
    def _compute_channel_partners(self):
        for order in self:
            channel = bool(order.distributor_id and order.end_customer_id)
            order.is_channel_order = channel
            if not channel:
                order.financial_partner_id = order.partner_id
                order.business_partner_id = order.partner_id
            else:
                order.financial_partner_id = order._get_channel_financial_partner()
                order.business_partner_id = order._get_channel_business_partner()

    @api.depends("distributor_id", "end_customer_id", "financial_role")
    def _compute_partner_id(self):
        for order in self:
            if order.distributor_id and order.end_customer_id:
                order.partner_id = order._get_channel_financial_partner()

    def _get_channel_financial_partner(self):
        """The party invoiced by this channel order (hook)."""
        self.ensure_one()
        if self.financial_role == "end_customer":
            return self.end_customer_id
        return self.distributor_id

    def _get_channel_business_partner(self):
        """The party served by this channel order: set-up, service contact
        (hook). Delivery goes to the end customer whatever it is."""
        self.ensure_one()
        if self.business_role == "distributor":
            return self.distributor_id
        return self.end_customer_id

    @api.depends("partner_id", "end_customer_id")
    def _compute_partner_shipping_id(self):
        channel = self.filtered(lambda o: o.distributor_id and o.end_customer_id)
        for order in channel:
            order.partner_shipping_id = order.end_customer_id.address_get(["delivery"])[
                "delivery"
            ]
        return super(SaleOrder, self - channel)._compute_partner_shipping_id()

    @api.depends("partner_shipping_id", "partner_id", "company_id", "end_customer_id")
    def _compute_fiscal_position_id(self):
        # The financial counterparty's fiscal position applies, whatever the
        # end customer's delivery address is.
        channel = self.filtered(lambda o: o.distributor_id and o.end_customer_id)
        for order in channel:
            before = order.fiscal_position_id
            fpos = (
                self.env["account.fiscal.position"]
                .with_company(order.company_id)
                ._get_fiscal_position(order.partner_id, order.partner_id)
            )
            if before != fpos and order.order_line:
                order.show_update_fpos = True
            order.fiscal_position_id = fpos
        return super(SaleOrder, self - channel)._compute_fiscal_position_id()

    @api.depends("order_line.channel_commission")
    def _compute_channel_commission(self):
        for order in self:
            order.channel_commission = sum(
                order.order_line.mapped("channel_commission")
            )

    @api.constrains("distributor_id", "end_customer_id", "financial_role", "partner_id")
    def _check_channel_counterparties(self):
        for order in self:
            if not order.distributor_id and not order.end_customer_id:
                continue
            order._check_channel_order()

    def _check_channel_order(self):
        """Raise a ValidationError when the channel data of the order is wrong."""
        self.ensure_one()
        distributor, customer = self.distributor_id, self.end_customer_id
        if not (distributor and customer):
            raise ValidationError(
                self.env._(
                    "Order %(order)s: a channel order needs both a distributor and "
                    "an end customer.",
                    order=self.name,
                )
            )
        if not distributor.is_distributor:
            raise ValidationError(
                self.env._(
                    "%(partner)s is not a distributor: flag it as one on its "
                    "contact form first.",
                    partner=distributor.display_name,
                )
            )
        if customer.commercial_partner_id == distributor.commercial_partner_id:
            raise ValidationError(
                self.env._(
                    "Order %(order)s: the end customer %(customer)s belongs to the "
                    "distributor itself.",
                    order=self.name,
                    customer=customer.display_name,
                )
            )
        financial = self._get_channel_financial_partner()
        if self.partner_id.commercial_partner_id != financial.commercial_partner_id:
            raise ValidationError(
                self.env._(
                    "Order %(order)s: the customer must be the invoiced party, "
                    "%(partner)s.",
                    order=self.name,
                    partner=financial.display_name,
                )
            )
        if (
            self.financial_role == "distributor"
            and not distributor.with_company(self.company_id).channel_pricelist_id
        ):
            raise ValidationError(
                self.env._(
                    "Distributor %(partner)s has no price book: give it a pricelist "
                    "or put it on a tier that has one.",
                    partner=distributor.display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._check_end_customer_distributor()
        orders._link_end_customers()
        return orders

    def write(self, vals):
        changing = [f for f in CHANNEL_FIELDS if f in vals]
        if not changing:
            return super().write(vals)
        self._check_channel_fields_editable(vals, changing)
        pricelists = {order.id: order.pricelist_id for order in self}
        res = super().write(vals)
        if "distributor_id" in vals or "end_customer_id" in vals:
            self._check_end_customer_distributor()
        self._link_end_customers()
        self.filtered(
            lambda o: o.state in ("draft", "sent")
            and o.pricelist_id != pricelists[o.id]
        )._recompute_prices()
        return res

    def _check_channel_fields_editable(self, vals, fields_):
        for order in self.filtered(lambda o: o.state not in ("draft", "sent")):
            changed = [
                name
                for name in fields_
                if order._fields[name].convert_to_write(order[name], order)
                != vals[name]
            ]
            if changed:
                raise UserError(
                    self.env._(
                        "Order %(order)s is confirmed: its distributor, end "
                        "customer, invoiced and served parties cannot change. "
                        "Cancel it and set it back to quotation first.",
                        order=order.name,
                    )
                )

    def _check_end_customer_distributor(self):
        """An end customer managed by one distributor goes on another
        distributor's order only by a channel manager's decision, noted in
        the order's chatter: that distributor sees the customer's name and
        address on the order."""
        foreign = self.filtered(
            lambda o: o.distributor_id
            and o.end_customer_id.distributor_id
            and o.end_customer_id.distributor_id != o.distributor_id
        )
        if not foreign:
            return
        if not (
            self.env.su
            or self.env.user.has_group("channel_distribution.group_channel_manager")
        ):
            order = foreign[0]
            raise UserError(
                self.env._(
                    "%(customer)s is managed by %(managing)s: only a channel "
                    "manager can put it on an order of %(distributor)s.",
                    customer=order.end_customer_id.display_name,
                    managing=order.end_customer_id.distributor_id.display_name,
                    distributor=order.distributor_id.display_name,
                )
            )
        for order in foreign:
            order.message_post(
                body=self.env._(
                    "%(customer)s, managed by %(managing)s, was put on this order "
                    "of %(distributor)s by %(user)s.",
                    customer=order.end_customer_id.display_name,
                    managing=order.end_customer_id.distributor_id.display_name,
                    distributor=order.distributor_id.display_name,
                    user=self.env.user.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _link_end_customers(self):
        """Give end customers without a distributor the one of their order;
        never a partner with users or one of the vendor's companies (the
        distributor would then manage, and could edit, a login's partner)."""
        for order in self.filtered(
            lambda o: o.distributor_id
            and o.end_customer_id
            and not o.end_customer_id.distributor_id
        ):
            customer = order.end_customer_id.commercial_partner_id
            if not customer._channel_is_protected():
                customer.distributor_id = order.distributor_id

    @api.onchange("distributor_id")
    def _onchange_distributor_id_end_customer(self):
        if (
            self.distributor_id
            and self.end_customer_id.distributor_id
            and self.end_customer_id.distributor_id != self.distributor_id
        ):
            return {
                "warning": {
                    "title": self.env._("Another distributor's customer"),
                    "message": self.env._(
                        "%(customer)s is managed by %(distributor)s.",
                        customer=self.end_customer_id.display_name,
                        distributor=self.end_customer_id.distributor_id.display_name,
                    ),
                }
            }

    @api.onchange("end_customer_id")
    def _onchange_end_customer_id_distributor(self):
        if self.end_customer_id.distributor_id and not self.distributor_id:
            self.distributor_id = self.end_customer_id.distributor_id

    # ------------------------------------------------------------------
    # Portal: Odoo's standard portal routes over channel orders (sign,
    # decline, pay, access tokens); distributor self-service is its own addon.
    # ------------------------------------------------------------------

    # The token signs, declines and pays the order: portal users get it in
    # their links only when they may (``get_portal_url``), never by RPC.
    access_token = fields.Char(groups="base.group_user")

    def _has_to_be_signed(self):
        return super()._has_to_be_signed() and self._channel_portal_may_accept()

    def _has_to_be_paid(self):
        return super()._has_to_be_paid() and self._channel_portal_may_accept()

    def _channel_portal_may_accept(self):
        """Whether the current user may sign, decline or pay this order on
        the portal. A channel order must have been sent by the vendor (a
        draft is the vendor's, or the distributor's to edit, and the
        setting decides whether portal submissions are confirmed); a portal
        user must belong to its financial counterparty (on an agency order
        the distributor only reads it). Internal users and the holders of
        the order's access token, checked by the portal routes, as in
        Odoo."""
        self.ensure_one()
        if not self.is_channel_order:
            return True
        return self.state == "sent" and self._channel_portal_may_hold_token()

    def _channel_portal_may_hold_token(self):
        """Whether the current user may be handed the order's access token.
        Whoever holds it signs, declines and pays the order without logging
        in, so on a channel order a portal user gets it only when its
        company is the financial counterparty: the distributor of an agency
        order reads the order by the record rules, without the token."""
        self.ensure_one()
        if not self.is_channel_order:
            return True
        user = self._channel_portal_user()
        if not user._is_portal():
            return True
        counterparty = self.sudo().financial_partner_id.commercial_partner_id
        return user.partner_id.commercial_partner_id == counterparty

    def _portal_ensure_token(self):
        # The field is the vendor's: read and create it as superuser.
        return super(SaleOrder, self.sudo())._portal_ensure_token()

    def get_portal_url(
        self,
        suffix=None,
        report_type=None,
        download=None,
        query_string=None,
        anchor=None,
    ):
        url = super().get_portal_url(
            suffix=suffix,
            report_type=report_type,
            download=download,
            query_string=query_string,
            anchor=anchor,
        )
        if self._channel_portal_may_hold_token():
            return url
        parts = urlsplit(url)
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "access_token"]
        return parts._replace(query=urlencode(query)).geturl()

    def _get_share_url(
        self, redirect=False, signup_partner=False, pid=None, share_token=True
    ):
        return super()._get_share_url(
            redirect=redirect,
            signup_partner=signup_partner,
            pid=pid,
            share_token=share_token and self._channel_portal_may_hold_token(),
        )

    def _channel_portal_token(self):
        """The access token for the order's portal page, or False for a
        reader who may not hold it."""
        self.ensure_one()
        return self._channel_portal_may_hold_token() and self._portal_ensure_token()

    def _channel_portal_invoices(self, invoices):
        """The invoices of the order's portal page: those the reader may
        not receive the order's token for are limited to the ones it reads
        as itself."""
        self.ensure_one()
        if self._channel_portal_may_hold_token():
            return invoices
        user = self._channel_portal_user()
        return invoices.with_user(user)._filtered_access("read").sudo()

    def _channel_portal_invoice_url(self, invoice):
        """The invoice's link on the order's portal page: without its token
        for a reader who may not hold the order's."""
        self.ensure_one()
        if self._channel_portal_may_hold_token():
            return invoice.get_portal_url()
        return invoice.access_url

    def _can_be_edited_on_portal(self):
        """Options and quantities of a channel order change on the portal
        under the rule of signing: once the vendor sent it, by its
        financial counterparty. The vendor's users change their quotations
        (the backend's "add to order" of an option asks here too)."""
        if not super()._can_be_edited_on_portal():
            return False
        if self._channel_portal_user()._is_internal():
            return True
        return self._channel_portal_may_accept()

    def _channel_portal_lines(self):
        """What a portal edit of the quotation changes: lines, quantities."""
        self.ensure_one()
        return [(line.id, line.product_uom_qty) for line in self.sudo().order_line]

    def _channel_portal_clear_signature(self):
        """A signature was given for what the order said before."""
        signed = self.filtered(
            lambda order: order.is_channel_order
            and (order.signature or order.signed_by or order.signed_on)
        )
        signed.sudo().write(
            {"signature": False, "signed_by": False, "signed_on": False}
        )

    def _channel_portal_user(self):
        """Who is looking at or acting on the order: the user the portal
        routes put in the context (``channel_portal_uid``) when they hand
        the order over as superuser (``_document_check_access``), else the
        environment's."""
        uid = self.env.context.get("channel_portal_uid")
        return self.env["res.users"].sudo().browse(uid) if uid else self.env.user

    def _action_cancel(self):
        to_credit = self._channel_check_cancel_invoiced()
        self._channel_remove_from_shared_drafts()
        res = super()._action_cancel()
        self._channel_credit_cancelled(to_credit)
        return res

    # Consolidated distributor invoicing
    #
    # Resale channel orders are invoiced through the standard
    # _create_invoices(), run with the context key
    # ``channel_distributor_invoicing``: _prepare_invoice() then opens each
    # order with a section line, the grouping keys add the fiscal position and
    # _create_account_invoices() lists the orders in ``invoice_origin`` in
    # section order. The "Create distributor invoices" action, the standard
    # "Create invoice" wizard and the scheduled job all go through it.
    # ------------------------------------------------------------------

    def _is_distributor_invoiced(self):
        """Whether this order is invoiced to its distributor (resale)."""
        self.ensure_one()
        return self.is_channel_order and self.financial_role == "distributor"

    def _create_invoices(self, grouped=False, final=False, date=None):
        resale = self.filtered(lambda o: o._is_distributor_invoiced())
        if not resale or self.env.context.get("channel_distributor_invoicing"):
            return super()._create_invoices(grouped=grouped, final=final, date=date)
        raise_if_nothing = self.env.context.get("raise_if_nothing_to_invoice", True)
        quiet = self.with_context(raise_if_nothing_to_invoice=False)
        moves = (
            super(SaleOrder, quiet - resale)._create_invoices(
                grouped=grouped, final=final, date=date
            )
            if self - resale
            else self.env["account.move"]
        )
        moves |= (
            quiet.filtered(lambda o: o in resale)
            .with_context(
                channel_distributor_invoicing=True, channel_invoicing_final=final
            )
            ._create_invoices(grouped=grouped, final=final, date=date)
        )
        if not moves and raise_if_nothing:
            raise UserError(self._nothing_to_invoice_error_message())
        return moves.with_env(self.env)

    def _get_invoice_grouping_keys(self):
        keys = super()._get_invoice_grouping_keys()
        if self.env.context.get("channel_distributor_invoicing"):
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
        if (
            self.env.context.get("channel_distributor_invoicing")
            and self._is_distributor_invoiced()
        ):
            # Opens this order's lines; -1 puts it before them even when the
            # standard code does not resequence the lines.
            vals["invoice_line_ids"] = [
                fields.Command.create(
                    self.env["account.move"]._prepare_channel_section_vals(
                        self, sequence=-1
                    )
                )
            ] + list(vals.get("invoice_line_ids") or [])
            # A grouping key: False for a sale, the corrected invoice for a
            # correction, which becomes its credit note.
            vals["reversed_entry_id"] = self._channel_corrected_invoice(
                self.env.context.get("channel_invoicing_final", True)
            ).id
        return vals

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
        if self.env.context.get("channel_distributor_invoicing"):
            for vals in invoice_vals_list:
                order_ids = [
                    command[2]["channel_order_id"]
                    for command in vals.get("invoice_line_ids", [])
                    if command[0] == fields.Command.CREATE
                    and command[2].get("channel_order_id")
                ]
                if order_ids:
                    orders = self.browse(order_ids)
                    vals["invoice_origin"] = ", ".join(orders.mapped("name"))
                    refs = [ref for ref in orders.mapped("client_order_ref") if ref]
                    vals["ref"] = ", ".join(dict.fromkeys(refs))[:2000]
        return super()._create_account_invoices(invoice_vals_list, final)

    def _channel_posted_invoiced_quantities(self):
        """{order line: quantity} still billed on posted invoices (net of
        posted credit notes), in the line's unit of measure."""
        quantities = {}
        for line in self.order_line:
            qty = 0.0
            for invoice_line in line.invoice_lines:
                move = invoice_line.move_id
                if move.state != "posted" or not move.is_sale_document():
                    continue
                line_qty = invoice_line.quantity
                if invoice_line.product_uom_id and line.product_uom:
                    line_qty = invoice_line.product_uom_id._compute_quantity(
                        line_qty, line.product_uom
                    )
                qty += line_qty if move.move_type == "out_invoice" else -line_qty
            rounding = line.product_uom.rounding or 0.01
            if not float_is_zero(qty, precision_rounding=rounding):
                quantities[line] = qty
        return quantities

    def _channel_check_cancel_invoiced(self):
        """Before cancelling: refuse resale orders still billed on a posted
        invoice, unless their company credits them on cancellation.

        Returns {order: {order line: quantity}} of the orders to credit.
        """
        to_credit = {}
        for order in self.filtered(lambda o: o._is_distributor_invoiced()):
            quantities = order._channel_posted_invoiced_quantities()
            if not quantities:
                continue
            if order.company_id.channel_cancel_invoiced == "credit":
                to_credit[order] = quantities
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

    def _channel_posted_invoices(self):
        return self.invoice_ids.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_invoice"
        ).sorted(lambda m: (m.invoice_date or m.date, m.id))

    def _channel_remove_from_shared_drafts(self):
        """Take the orders being cancelled off the draft invoices they share
        with other orders: their sections and lines go, the others stay.

        Draft invoices of these orders alone are cancelled as usual.
        """
        drafts = self.invoice_ids.filtered(lambda m: m.state == "draft")
        for move in drafts.sudo():
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
        """After cancelling: a draft credit note of what each order still
        had billed on posted invoices, linked to its latest invoice."""
        Move = self.env["account.move"].sudo()
        for order, quantities in to_credit.items():
            order = order.with_company(order.company_id)
            invoice = order._channel_posted_invoices()[-1:]
            vals = order._prepare_invoice()
            refs = [
                self.env._("Cancellation of %(order)s", order=order.name),
                order.client_order_ref,
            ]
            vals.update(
                {
                    "move_type": "out_refund",
                    "reversed_entry_id": invoice.id,
                    "invoice_origin": order.name,
                    "ref": ", ".join(ref for ref in refs if ref),
                    "invoice_line_ids": [
                        Command.create(
                            Move._prepare_channel_section_vals(order, sequence=0)
                        )
                    ]
                    + [
                        Command.create(
                            line._prepare_invoice_line(quantity=qty, sequence=seq)
                        )
                        for seq, (line, qty) in enumerate(quantities.items(), start=1)
                    ],
                }
            )
            refund = Move.with_context(default_move_type="out_refund").create(vals)
            link = refund._get_html_link(title=refund.display_name)
            order.message_post(
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
                % {"order": order._get_html_link(title=order.name), "refund": link}
            )

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
        today = fields.Date.context_today(self)
        Partner = self.env["res.partner"]
        due = Partner.search(
            [
                ("is_distributor", "=", True),
                ("channel_invoicing_period", "in", ("weekly", "monthly")),
                ("channel_invoicing_next_date", "<=", today),
                "|",
                ("channel_invoicing_last_date", "=", False),
                ("channel_invoicing_last_date", "<", today),
            ],
            order="id",
        )
        done = 0
        for distributor in due[:batch_limit]:
            self._channel_invoice_scheduled_distributor(distributor, today)
            done += 1
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(due) - done)
            self._channel_invoicing_commit()
        if not due:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
        return done

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
        invoices = self.env["account.move"]
        errors = []
        orders = self._get_distributor_orders_to_invoice(distributor)
        for company in orders.company_id:
            company_orders = orders.filtered(
                lambda o, c=company: o.company_id == c
            ).with_company(company)
            try:
                with self.env.cr.savepoint():
                    moves, __ = company_orders._create_distributor_invoices()
                    moves._channel_post_and_send()
                    invoices |= moves
            except UserError as error:
                errors.append((company, error))
                _logger.info(
                    "Distributor invoicing of %s skipped: %s",
                    distributor.display_name,
                    error,
                )
                distributor.message_post(
                    body=self.env._(
                        "Scheduled invoicing failed: %(error)s",
                        error=str(error),
                    )
                )
        values = {"channel_invoicing_last_date": today}
        if errors:
            distributor._channel_invoicing_alert(errors)
        else:
            values["channel_invoicing_next_date"] = (
                distributor._channel_next_invoicing_date(today)
            )
            distributor.activity_feedback(
                ["channel_distribution.mail_activity_channel_invoicing_failed"],
                feedback=self.env._("Invoiced by the scheduled job."),
            )
        distributor.write(values)
        return invoices
