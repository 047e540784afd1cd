# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import psycopg2
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request
from odoo.tools import (
    clean_context,
    float_round,
    formatLang,
    plaintext2html,
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
# Portal order entry: the largest quantity and number of lines accepted.
PORTAL_MAX_QUANTITY = 10000
PORTAL_MAX_LINES = 100
# The distributor's note is free text; bound it like the other fields.
PORTAL_MAX_NOTE = 4000
# Alert e-mails list at most this many tickets; the rest are counted.
COMMISSIONING_DIGEST_MAX_TICKETS = 50


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
        help="End customer: the vendor serves the end customer (tickets, "
        "service contact). Distributor (white label): the distributor runs "
        "first-line service; the vendor's tickets and service contact are the "
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
        help="The party that receives the service: tickets, delivery, contact.",
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
        """The party served by this channel order: tickets, service contact
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
    # Distributor portal: order entry by a distributor's portal
    # users. The controller only parses the form; every rule lives here.
    # ------------------------------------------------------------------

    channel_portal_token = fields.Char(
        copy=False,
        readonly=True,
        help="Token of the portal form that created this order: a second "
        "submission of the same form finds this order instead of creating one.",
    )
    channel_portal_note = fields.Text(
        string="Distributor Note",
        copy=False,
        groups="base.group_user",
        help="The note the distributor typed on the portal (plain text).",
    )
    # The token signs, declines and pays the order: portal users get it in
    # their links only when they may (``get_portal_url``), never by RPC.
    access_token = fields.Char(groups="base.group_user")

    _sql_constraints = [
        (
            "channel_portal_token_uniq",
            "unique(distributor_id, channel_portal_token)",
            "This portal form was already submitted.",
        ),
    ]

    def _channel_portal_shows_internal(self):
        """Whether the current user may see the order's channel data that
        is internal to the vendor and the distributor (the distributor's
        note, commission): the vendor's users and the order's distributor."""
        self.ensure_one()
        user = self._channel_portal_user()
        if user._is_internal():
            return True
        return (
            user._is_portal()
            and user.partner_id.commercial_partner_id == self.sudo().distributor_id
        )

    @api.model
    def _channel_portal_max_quantity(self):
        return PORTAL_MAX_QUANTITY

    @api.model
    def _channel_portal_products_domain(self, company):
        return [
            ("channel_available", "=", True),
            ("sale_ok", "=", True),
            ("active", "=", True),
            ("company_id", "in", [False, company.id]),
        ]

    @api.model
    def _channel_portal_get_products(self, company):
        """The products a distributor may order on the portal."""
        return (
            self.env["product.product"]
            .sudo()
            .with_company(company)
            .search(self._channel_portal_products_domain(company), order="name")
        )

    @api.model
    def _channel_portal_check_values(self, distributor, values, company):
        """Validate the portal form against the server's data.

        :param distributor: the commercial partner of the logged-in user
        :param values: dict with ``end_customer_id`` (int), ``lines`` (list of
            ``{"product_id": int, "quantity": float}``), ``client_order_ref``
            and ``note`` (str)
        :return: (end customer, [(product, quantity)])
        :raise UserError: with a message fit for the portal form
        """
        if not distributor.is_distributor:
            raise UserError(self.env._("Only distributors can enter orders here."))
        customer = self.env["res.partner"]
        if values.get("end_customer_id"):
            customer = distributor._channel_portal_end_customers(
                [("id", "=", values["end_customer_id"])]
            )
        if not customer:
            raise UserError(self.env._("Choose one of your end customers."))
        if len(values.get("note") or "") > PORTAL_MAX_NOTE:
            raise UserError(
                self.env._(
                    "The note has at most %(count)s characters.", count=PORTAL_MAX_NOTE
                )
            )
        lines = values.get("lines") or []
        if not lines:
            raise UserError(self.env._("Add at least one product."))
        if len(lines) > PORTAL_MAX_LINES:
            raise UserError(
                self.env._(
                    "An order has at most %(count)s lines.", count=PORTAL_MAX_LINES
                )
            )
        products = self._channel_portal_get_products(company)
        maximum = self._channel_portal_max_quantity()
        checked = []
        by_id = {product.id: product for product in products}
        for line in lines:
            product = by_id.get(line.get("product_id"))
            if not product:
                raise UserError(self.env._("Choose the products from the list."))
            quantity = line.get("quantity")
            if isinstance(quantity, int | float) and 0 < quantity <= maximum:
                # What the order will hold: a quantity that rounds to nothing
                # in the product's unit is no quantity.
                quantity = float_round(
                    quantity, precision_rounding=product.uom_id.rounding
                )
            if not isinstance(quantity, int | float) or not 0 < quantity <= maximum:
                raise UserError(
                    self.env._(
                        "The quantity of %(product)s must be more than 0 and at "
                        "most %(max)s.",
                        product=product.display_name,
                        max=maximum,
                    )
                )
            checked.append((product, float(quantity)))
        return customer, checked

    @api.model
    def _channel_portal_prepare_order_vals(self, distributor, customer, lines, values):
        """Values of the order; prices, taxes and role are left to the server."""
        vals = {
            "distributor_id": distributor.id,
            "end_customer_id": customer.id,
            # The distributor's defaults: the portal cannot choose.
            "financial_role": distributor.channel_financial_role or "distributor",
            "business_role": distributor.channel_business_role or "end_customer",
            "client_order_ref": (values.get("client_order_ref") or "").strip()[:64]
            or False,
            "channel_portal_note": (values.get("note") or "").strip() or False,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": quantity})
                for product, quantity in lines
            ],
        }
        salesperson = self._channel_portal_salesperson(distributor)
        if salesperson:
            vals["user_id"] = salesperson.id
        return vals

    @api.model
    def _channel_portal_salesperson(self, distributor):
        """The salesperson of a portal order: the distributor's, else the
        channel's default one of the settings, else the leader of the
        default sales team; an order without one is seen by every salesman
        whose rights are "own documents"."""
        company = self.env.company
        if distributor.user_id:
            return distributor.user_id
        if company.channel_portal_user_id:
            return company.channel_portal_user_id
        team = (
            self.env["crm.team"]
            .sudo()
            .with_company(company)
            ._get_default_team_id(
                domain=self.env["crm.team"]._check_company_domain(company)
            )
        )
        return team.user_id

    @api.model
    def _channel_portal_price_lines(self, distributor, values, company):
        """Price the draft lines of the portal form without writing anything.

        :return: dict with a ``lines`` list (product, quantity, list price,
            unit price, discount against the list price, taxes, subtotal) and
            the order's totals, amounts as numbers and formatted strings
        """
        customer, lines = self._channel_portal_check_values(
            distributor, values, company
        )
        vals = self._channel_portal_prepare_order_vals(
            distributor, customer, lines, values
        )
        vals["company_id"] = company.id
        order = self.sudo().with_company(company).new(vals)
        return order._channel_portal_summary()

    def _channel_portal_summary(self):
        self.ensure_one()
        currency = self.currency_id

        def fmt(amount):
            return currency.format(amount) if currency else str(amount)

        lines = []
        for line in self.order_line.filtered(lambda x: not x.display_type):
            list_price = line._channel_list_subtotal() / (line.product_uom_qty or 1.0)
            net = line.price_unit * (1 - (line.discount or 0.0) / 100.0)
            discount = (1 - net / list_price) * 100 if list_price else 0.0
            lines.append(
                {
                    "product_id": line.product_id.id,
                    "product": line.product_id.display_name,
                    "quantity": line.product_uom_qty,
                    "list_price": list_price,
                    "list_price_fmt": fmt(list_price),
                    "price_unit": net,
                    "price_unit_fmt": fmt(net),
                    "discount": round(discount, 2),
                    "taxes": ", ".join(line.tax_id.mapped("name")),
                    "price_subtotal": line.price_subtotal,
                    "price_subtotal_fmt": fmt(line.price_subtotal),
                }
            )
        return {
            "currency": currency.name,
            "lines": lines,
            "amount_untaxed": self.amount_untaxed,
            "amount_untaxed_fmt": fmt(self.amount_untaxed),
            "amount_tax": self.amount_tax,
            "amount_tax_fmt": fmt(self.amount_tax),
            "amount_total": self.amount_total,
            "amount_total_fmt": fmt(self.amount_total),
        }

    @api.model
    def _channel_portal_create_order(self, distributor, values, company, author=None):
        """Create (and maybe confirm) the order a distributor submitted.

        Runs as superuser once every check passed. A second submission of the
        same form (same ``token``) returns the order of the first one.
        """
        token = (values.get("token") or "").strip()[:64]
        if not token:
            raise UserError(
                self.env._("The form expired: reload the page and try again.")
            )
        Order = self.sudo().with_company(company)
        existing = Order.search(
            [
                ("distributor_id", "=", distributor.id),
                ("channel_portal_token", "=", token),
            ],
            limit=1,
        )
        if existing:
            return existing
        customer, lines = self._channel_portal_check_values(
            distributor, values, company
        )
        vals = Order._channel_portal_prepare_order_vals(
            distributor, customer, lines, values
        )
        vals.update(
            {
                "channel_source": "portal",
                "channel_portal_token": token,
                "company_id": company.id,
            }
        )
        try:
            with self.env.cr.savepoint():
                order = Order.create(vals)
                if company.channel_portal_confirm:
                    order.action_confirm()
        except psycopg2.IntegrityError as error:
            raise UserError(self.env._("This order was already submitted.")) from error
        order._channel_portal_notify(author, created=True)
        return order

    def _channel_portal_is_editable(self, distributor):
        self.ensure_one()
        return (
            self.distributor_id == distributor
            and self.channel_source == "portal"
            and self.state == "draft"
        )

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
        """Who is looking at or acting on the order: the portal routes hand
        the order over as superuser (``_document_check_access``), so the
        request's user when there is a request, else the environment's."""
        return request.env.user if request else self.env.user

    def _channel_portal_update_order(self, distributor, values, author=None):
        """Replace the lines and texts of a portal quotation still in draft."""
        self.ensure_one()
        if not self._channel_portal_is_editable(distributor):
            raise UserError(
                self.env._("This order cannot be changed any more: contact the vendor.")
            )
        customer, lines = self._channel_portal_check_values(
            distributor, values, self.company_id
        )
        vals = self._channel_portal_prepare_order_vals(
            distributor, customer, lines, values
        )
        vals.pop("user_id", None)
        # A signature was given for what the order said before.
        vals.update({"signature": False, "signed_by": False, "signed_on": False})
        vals["order_line"] = [
            Command.delete(line.id) for line in self.order_line
        ] + vals["order_line"]
        with self.env.cr.savepoint():
            self.sudo().write(vals)
        self._channel_portal_notify(author, created=False)
        return True

    def _channel_portal_notify(self, author=None, created=True):
        """Tell sales: a note in the chatter and an activity."""
        self.ensure_one()
        order = self.sudo()
        if created:
            body = self.env._(
                "Entered by the distributor on the portal (reference: %(ref)s).",
                ref=order.client_order_ref or "-",
            )
        else:
            body = self.env._("Changed by the distributor on the portal.")
        body = plaintext2html(body)
        if order.channel_portal_note:
            body += plaintext2html(order.channel_portal_note)
        order.message_post(
            body=body,
            author_id=author.id if author else None,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        responsible = order.user_id or order.distributor_id.user_id
        if responsible and created:
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=responsible.id,
                summary=self.env._("Check the distributor's portal order"),
            )

    # Commissioning: on confirmation, one helpdesk ticket per team
    # for the lines whose products require commissioning, with an activity
    # for operations. Failures never block the confirmation: the order gets
    # an exception activity instead.
    # ------------------------------------------------------------------
    commissioning_state = fields.Selection(
        [("none", "None"), ("pending", "Pending"), ("done", "Done")],
        string="Commissioning",
        compute="_compute_commissioning_state",
        store=True,
        index=True,
        help="Pending while a commissioning ticket of the order is open; done "
        "when all of them are closed.",
    )

    @api.depends("ticket_ids.is_commissioning", "ticket_ids.stage_id.closed")
    def _compute_commissioning_state(self):
        for order in self:
            tickets = order.sudo().ticket_ids.filtered("is_commissioning")
            if not tickets:
                order.commissioning_state = "none"
            elif all(ticket.stage_id.closed for ticket in tickets):
                order.commissioning_state = "done"
            else:
                order.commissioning_state = "pending"

    def _action_confirm(self):
        res = super()._action_confirm()
        self._commissioning_raise_tickets()
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        self._commissioning_notify_cancel()
        return res

    def action_commissioning_raise_tickets(self):
        """Button: raise the tickets still missing (after fixing the setup).
        The vendor's users only: the tickets are made as superuser, and
        portal users read their orders."""
        if not (self.env.su or self.env.user._is_internal()):
            raise AccessError(
                self.env._("Only the vendor's users can raise commissioning tickets.")
            )
        self.filtered(lambda o: o.state == "sale")._commissioning_raise_tickets()
        return True

    def _commissioning_raise_tickets(self):
        """Raise or complete the commissioning tickets of confirmed orders.

        Idempotent: lines already on a ticket are skipped; new lines go to the
        open commissioning ticket of their team, or to a new ticket. Runs with
        the rights needed for helpdesk, in each order's company.

        All the orders are handled in one batch (tickets, followers and
        activities made in one go). If the batch fails (a constraint, a
        broken team set-up, an override that raises), it is undone and each
        order is retried on its own, so that one order's failure neither
        costs the others their tickets nor blocks the confirmation: the
        failing order gets an exception activity instead.
        """
        orders = self.filtered(lambda o: o.state == "sale")
        if not orders:
            return
        try:
            with self.env.cr.savepoint():
                problems_by_order = orders._commissioning_raise_tickets_batch()
        except psycopg2.OperationalError:
            raise  # concurrency: let the whole transaction be retried
        except Exception as error:
            self.env.invalidate_all()
            if len(orders) > 1:
                _logger.info(
                    "Commissioning tickets of %s orders failed together, "
                    "retrying order by order",
                    len(orders),
                    exc_info=True,
                )
                for order in orders:
                    order._commissioning_raise_tickets()
                return
            _logger.warning(
                "Commissioning tickets of %s failed", orders.name, exc_info=True
            )
            problems_by_order = {
                orders: [
                    self.env._(
                        "Creating the commissioning tickets failed: %(error)s",
                        error=str(error) or error.__class__.__name__,
                    )
                ]
            }
        for order, problems in problems_by_order.items():
            if problems:
                order.with_company(order.company_id)._commissioning_report_problems(
                    problems
                )

    def _commissioning_raise_tickets_batch(self):
        """Make the tickets of the orders in ``self``; return their problems
        by order (what could not be raised, to report)."""
        templates = self.order_line.product_id.product_tmpl_id
        settings_by_company = {}
        problems_by_order = {}
        new_tickets = []  # (order, team, lines, settings, vals)
        for order in self:
            order = order.with_company(order.company_id)
            company = order.company_id
            if company not in settings_by_company:
                settings_by_company[company] = templates._get_commissioning_settings(
                    company
                )
            problems = problems_by_order.setdefault(order, [])
            todo = order._get_commissioning_lines_by_team(
                problems, settings=settings_by_company[company]
            )
            if todo:
                for team, lines, settings in order._commissioning_extend_tickets(todo):
                    vals = order._prepare_commissioning_ticket_vals(
                        team, lines, settings
                    )
                    new_tickets.append((order, team, lines, settings, vals))
        if new_tickets:
            self._commissioning_create_tickets(new_tickets, problems_by_order)
        return problems_by_order

    def _get_commissioning_lines_by_team(self, problems, settings=None):
        """Lines of the order to commission that no ticket covers yet, grouped
        by team: ``{team: (lines, settings)}``; lines without a usable team
        are reported in ``problems``. ``settings`` are those of
        ``_get_commissioning_settings`` when the caller has them already."""
        self.ensure_one()
        lines = self.order_line.filtered(
            lambda line: not line.display_type and line.product_id
        )
        if not lines:
            return {}
        if settings is None:
            settings = lines.product_id.product_tmpl_id._get_commissioning_settings(
                self.company_id
            )
        covered = self.sudo().ticket_ids.filtered("is_commissioning")
        lines -= covered.commissioning_line_ids
        by_team = {}
        for line in lines:
            line_settings = settings[line.product_id.product_tmpl_id.id]
            if line_settings["required"]:
                by_team.setdefault(line_settings["team"].sudo(), []).append(line)
        result = {}
        for team, team_lines in by_team.items():
            names = ", ".join(line.product_id.display_name for line in team_lines)
            if not team:
                problems.append(
                    self.env._(
                        "No helpdesk team for %(products)s: set one on the "
                        "product, its category or in the Sales settings.",
                        products=names,
                    )
                )
            elif team.company_id and team.company_id != self.company_id:
                # Helpdesk puts a ticket in its team's company; a
                # ticket must stay in the order's company.
                problems.append(
                    self.env._(
                        "Helpdesk team %(team)s belongs to another company: no "
                        "ticket for %(products)s.",
                        team=team.display_name,
                        products=names,
                    )
                )
            elif not team.active:
                problems.append(
                    self.env._(
                        "Helpdesk team %(team)s is archived: no ticket for "
                        "%(products)s.",
                        team=team.display_name,
                        products=names,
                    )
                )
            else:
                result[team] = (
                    self.env["sale.order.line"].concat(*team_lines),
                    settings,
                )
        return result

    def _commissioning_extend_tickets(self, todo):
        """Add the lines of ``todo`` to the open commissioning ticket of their
        team, with a note; return ``[(team, lines, settings)]`` for the teams
        that have no open ticket yet."""
        self.ensure_one()
        open_tickets = self.sudo().ticket_ids.filtered(
            lambda t: t.is_commissioning and not t.stage_id.closed
        )
        missing = []
        for team, (lines, settings) in todo.items():
            ticket = open_tickets.filtered(lambda t, team=team: t.team_id == team)[:1]
            if ticket:
                ticket.commissioning_line_ids = [
                    Command.link(line_id) for line_id in lines.ids
                ]
                ticket.message_post(
                    body=self._get_commissioning_added_note(lines),
                    subtype_xmlid="mail.mt_note",
                )
            else:
                missing.append((team, lines, settings))
        return missing

    @api.model
    def _commissioning_create_tickets(self, new_tickets, problems_by_order):
        """Create the tickets ``[(order, team, lines, settings, vals)]`` of
        several orders: one ``create`` per company, followers subscribed per
        set of partners, then every alert activity in one ``create``. Teams
        without anyone to alert are added to ``problems_by_order``."""
        by_company = {}
        for entry in new_tickets:
            by_company.setdefault(entry[0].company_id, []).append(entry)
        tickets_by_entry = []
        for company, entries in by_company.items():
            Ticket = (
                self.env["helpdesk.ticket"]
                .with_context(clean_context(self.env.context))
                .with_company(company)
                .sudo()
            )
            # The first stage of each team once, not once per ticket.
            stages = {}
            vals_list = []
            for _order, team, _lines, _settings, vals in entries:
                if "stage_id" not in vals:
                    if team not in stages:
                        stages[team] = (
                            Ticket.env["helpdesk.ticket.team"]
                            .browse(team.id)
                            ._get_applicable_stages()[:1]
                            .id
                        )
                    vals = dict(vals, stage_id=stages[team])
                vals_list.append(vals)
            # The creation message is written below, in one go for the
            # tickets nobody is to be notified of.
            created = Ticket.with_context(mail_create_nolog=True).create(vals_list)
            tickets_by_entry += zip(entries, created, strict=True)
        Ticket = self.env["helpdesk.ticket"].sudo()
        tickets = Ticket.browse([ticket.id for _entry, ticket in tickets_by_entry])
        self._commissioning_log_tickets_created(
            [(entry[0], ticket) for entry, ticket in tickets_by_entry]
        )
        to_follow = {}
        for (order, *_entry), ticket in tickets_by_entry:
            followers = order._get_commissioning_followers()
            if followers:
                to_follow.setdefault(followers, []).append(ticket.id)
        for followers, ticket_ids in to_follow.items():
            Ticket.browse(ticket_ids).message_subscribe(partner_ids=followers.ids)
        activity_type = self.env.ref("channel_distribution.mail_activity_commissioning")
        model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
        activity_vals = []
        for (order, team, lines, settings, _vals), ticket in tickets_by_entry:
            user = order._get_commissioning_alert_user(team)
            if not user:
                problems_by_order.setdefault(order, []).append(
                    self.env._(
                        "Ticket %(ticket)s: team %(team)s has no leader and no "
                        "commissioning alert user is set in the Sales settings: "
                        "nobody was alerted.",
                        ticket=ticket.display_name,
                        team=team.display_name,
                    )
                )
                continue
            activity_vals.append(
                order._prepare_commissioning_activity_vals(
                    ticket, lines, settings, user, activity_type, model_id
                )
            )
        if activity_vals:
            # One e-mail per alerted user, not one per activity.
            activities = (
                self.env["mail.activity"]
                .sudo()
                .with_context(mail_activity_quick_update=True)
                .create(activity_vals)
            )
            self._commissioning_notify_alert_users(activities)
        return tickets

    @api.model
    def _commissioning_log_tickets_created(self, order_tickets):
        """Write the creation message of new tickets ``[(order, ticket)]``.

        The tickets are created with ``mail_create_nolog``: the tickets that
        have followers subscribed to the creation subtype (the followers of
        their team, mostly) get the message posted and notified, as helpdesk
        does; the others get it logged, in one batch, which costs far less
        than one post per ticket when nobody is to be told."""
        Ticket = self.env["helpdesk.ticket"].sudo()
        tickets = Ticket.browse([ticket.id for _order, ticket in order_tickets])
        subtype = tickets[:1]._creation_subtype() if tickets else False
        author = self.env.user.partner_id
        to_notify = set()
        if subtype:
            followers = (
                self.env["mail.followers"]
                .sudo()
                .search_fetch(
                    [
                        ("res_model", "=", Ticket._name),
                        ("res_id", "in", tickets.ids),
                        ("subtype_ids", "in", subtype.ids),
                        ("partner_id", "!=", author.id),
                    ],
                    ["res_id"],
                )
            )
            to_notify = set(followers.mapped("res_id"))
        bodies = {}
        for order, ticket in order_tickets:
            body = Markup("<p>%s</p>") % self.env._(
                "Commissioning ticket raised on the confirmation of %(order)s.",
                order=order._get_html_link(),
            )
            if ticket.id in to_notify:
                ticket.message_post(
                    body=body, subtype_id=subtype.id, author_id=author.id
                )
            else:
                bodies[ticket.id] = body
        if bodies:
            Ticket.browse(list(bodies))._message_log_batch(
                bodies=bodies, author_id=author.id
            )

    @api.model
    def _commissioning_notify_alert_users(self, activities):
        """E-mail each user alerted by ``activities`` (commissioning
        activities made together): the standard assignment e-mail for a single
        activity, one summary listing the tickets for several, so that a mass
        confirmation does not send one e-mail per order."""
        for user, user_activities in activities.grouped("user_id").items():
            if user == self.env.user:
                continue  # nobody is e-mailed about their own assignment
            if len(user_activities) == 1:
                user_activities.action_notify()
                continue
            lang_env = self.with_context(lang=user.lang or self.env.lang).env
            tickets = lang_env["helpdesk.ticket"].browse(
                user_activities.mapped("res_id")
            )
            shown = user_activities[:COMMISSIONING_DIGEST_MAX_TICKETS]
            body = lang_env["ir.qweb"]._render(
                "channel_distribution.commissioning_alert_digest",
                {
                    "user": user,
                    "activities": shown.with_env(lang_env),
                    "tickets": {ticket.id: ticket for ticket in tickets},
                    "hidden": len(user_activities) - len(shown),
                    "base_url": tickets[:1].get_base_url(),
                },
                minimal_qcontext=True,
            )
            lang_env["mail.thread"].message_notify(
                partner_ids=user.partner_id.ids,
                body=body,
                subject=lang_env._(
                    "%(count)s commissioning tickets assigned to you",
                    count=len(user_activities),
                ),
                email_layout_xmlid="mail.mail_notification_light",
            )

    def _prepare_commissioning_activity_vals(
        self, ticket, lines, settings, user, activity_type, model_id
    ):
        """Values of the activity that alerts ``user`` of ``ticket`` (hook)."""
        self.ensure_one()
        lead = max(
            settings[line.product_id.product_tmpl_id.id]["lead_days"] for line in lines
        )
        today = fields.Date.context_today(self)
        return {
            "res_model_id": model_id,
            "res_id": ticket.id,
            "activity_type_id": activity_type.id,
            "date_deadline": today + timedelta(days=max(lead, 0)),
            "summary": self.env._(
                "Commission %(order)s for %(customer)s",
                order=self.name,
                customer=self._get_commissioning_site().display_name,
            ),
            "note": self._get_commissioning_lines_html(lines),
            "user_id": user.id,
        }

    def _prepare_commissioning_ticket_vals(self, team, lines, settings):
        """Values of the commissioning ticket of ``lines`` for ``team`` (hook)."""
        self.ensure_one()
        # The contact is the business counterparty: the end customer, or the
        # distributor in white label.
        customer = self.business_partner_id
        category = self.env["helpdesk.ticket.category"]
        for line in lines:
            category = (
                category or settings[line.product_id.product_tmpl_id.id]["category"]
            )
        return {
            "name": self.env._(
                "Commissioning for %(customer)s (%(order)s)",
                customer=self._get_commissioning_site().display_name,
                order=self.name,
            ),
            "description": self._get_commissioning_description(lines),
            "partner_id": customer.id,
            "partner_name": customer.name,
            "partner_email": customer.email,
            "team_id": team.id,
            "category_id": category.id,
            "company_id": self.company_id.id,
            "is_commissioning": True,
            "commissioning_line_ids": [Command.set(lines.ids)],
            "commissioning_distributor_id": (
                self.distributor_id.commercial_partner_id.id or False
            ),
            "sale_order_ids": [Command.link(self.id)],
        }

    def _get_commissioning_followers(self):
        """Partners that follow the tickets (hook): the distributor when it is
        the business counterparty (it is the contact) or the financial one
        (resale). The end customer only ever follows as the contact."""
        self.ensure_one()
        if self.is_channel_order and "distributor" in (
            self.financial_role,
            self.business_role,
        ):
            return self.distributor_id
        return self.env["res.partner"]

    def _get_commissioning_site(self):
        """Whose set-up the tickets are about: the end customer of a channel
        order, whoever the service contact is; the customer of a direct one."""
        self.ensure_one()
        return self.end_customer_id if self.is_channel_order else self.partner_id

    def _get_commissioning_alert_user(self, team):
        """Who gets the commissioning activity: the user set in the settings,
        else the team leader (hook)."""
        self.ensure_one()
        return self.company_id.commissioning_user_id or team.user_id

    def _get_commissioning_lines_html(self, lines):
        items = Markup().join(
            Markup("<li>%s &times; %s</li>")
            % (
                formatLang(
                    self.env, line.product_uom_qty, dp="Product Unit of Measure"
                ),
                line.product_id.display_name,
            )
            for line in lines
        )
        return Markup("<ul>%s</ul>") % items

    def _get_commissioning_partner_html(self, partner):
        parts = [partner.display_name]
        address = partner._display_address(without_company=True).strip()
        if address:
            parts += [part for part in address.splitlines() if part.strip()]
        parts += [value for value in (partner.phone, partner.email) if value]
        return Markup("<br/>").join(parts)

    def _get_commissioning_description(self, lines):
        """The ticket's description: what to set up, for whom (hook)."""
        self.ensure_one()
        customer = self._get_commissioning_site()
        rows = [
            (self.env._("Set up"), self._get_commissioning_lines_html(lines)),
            (self.env._("For"), self._get_commissioning_partner_html(customer)),
        ]
        if self.business_partner_id != customer:
            # White label: the distributor is the vendor's service contact.
            rows.append(
                (
                    self.env._("Service contact (distributor)"),
                    self._get_commissioning_partner_html(self.business_partner_id),
                )
            )
        if self.partner_shipping_id and self.partner_shipping_id != customer:
            rows.append(
                (
                    self.env._("Delivery address"),
                    self._get_commissioning_partner_html(self.partner_shipping_id),
                )
            )
        if self.distributor_id and self.distributor_id != self.business_partner_id:
            rows.append(
                (
                    self.env._("Distributor"),
                    self._get_commissioning_partner_html(self.distributor_id),
                )
            )
        if self.client_order_ref:
            rows.append((self.env._("Customer reference"), self.client_order_ref))
        rows.append((self.env._("Order"), self.name))
        return Markup().join(
            Markup("<p><strong>%s</strong><br/>%s</p>") % row for row in rows
        )

    def _get_commissioning_added_note(self, lines):
        return Markup("<p>%s</p>%s") % (
            self.env._("Lines added to order %(order)s:", order=self.name),
            self._get_commissioning_lines_html(lines),
        )

    def _commissioning_report_problems(self, problems):
        """Put what is missing on the order as an exception activity."""
        self.ensure_one()
        note = Markup("<ul>%s</ul>") % Markup().join(
            Markup("<li>%s</li>") % problem for problem in problems
        )
        exception_type = self.env.ref(
            "channel_distribution.mail_activity_commissioning_exception"
        )
        if any(
            activity.activity_type_id == exception_type and activity.note == note
            for activity in self.sudo().activity_ids
        ):
            return
        self.sudo().activity_schedule(
            "channel_distribution.mail_activity_commissioning_exception",
            summary=self.env._("Commissioning tickets missing"),
            note=note,
            user_id=(self.user_id or self.env.user).id,
        )

    @api.model
    def _commissioning_notify_quantity_changes(self, lines, before):
        """Tell the commissioning tickets of confirmed ``lines`` that their
        quantities changed (``before``: the old quantity by line id). A
        quantity raised after the ticket was closed also asks the alert user
        for a review: the extra units are not set up yet."""
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("is_commissioning", "=", True),
                    ("commissioning_line_ids", "in", lines.ids),
                ]
            )
        )
        for ticket in tickets:
            ticket_lines = lines & ticket.commissioning_line_ids
            items = Markup().join(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(product)s on %(order)s: %(old)s → %(new)s",
                    product=line.product_id.display_name,
                    order=line.order_id.name,
                    old=formatLang(
                        self.env, before[line.id], dp="Product Unit of Measure"
                    ),
                    new=formatLang(
                        self.env, line.product_uom_qty, dp="Product Unit of Measure"
                    ),
                )
                for line in ticket_lines
            )
            ticket.message_post(
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (self.env._("Quantities changed:"), items),
                subtype_xmlid="mail.mt_note",
            )
            raised = ticket_lines.filtered(
                lambda line: line.product_uom_qty > before[line.id]
            )
            if raised and ticket.stage_id.closed:
                order = raised.order_id[:1]
                order._commissioning_ask_review(
                    ticket,
                    self.env._(
                        "Review: quantity raised on %(order)s after commissioning",
                        order=order.name,
                    ),
                )

    def _commissioning_ask_review(self, ticket, summary):
        """Give the order's commissioning alert user (or the current user) a
        Commissioning activity on ``ticket`` to review it."""
        self.ensure_one()
        user = self._get_commissioning_alert_user(ticket.team_id)
        ticket.activity_schedule(
            "channel_distribution.mail_activity_commissioning",
            summary=summary,
            user_id=(user or self.env.user).id,
        )

    def _commissioning_notify_cancel(self):
        """Note the cancellation on the open tickets and ask for a review;
        the tickets themselves stay."""
        for order in self:
            tickets = order.sudo().ticket_ids.filtered(
                lambda t: t.is_commissioning and not t.stage_id.closed
            )
            for ticket in tickets:
                ticket.message_post(
                    body=self.env._(
                        "Order %(order)s was cancelled: review this "
                        "commissioning ticket.",
                        order=order.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                order._commissioning_ask_review(
                    ticket,
                    self.env._("Review: order %(order)s cancelled", order=order.name),
                )
