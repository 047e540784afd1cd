# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Distributor self-service on the portal: end customers and order entry.

Thin: the routes parse the forms, check who is asking and call the model
methods of res.partner and sale.order, which hold the rules.
"""

import uuid

from odoo import http
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.sale.controllers.portal import CustomerPortal
from odoo.addons.sale.controllers.portal import PaymentPortal as SalePaymentPortal
from odoo.addons.sale_management.controllers.portal import (
    CustomerPortal as QuotationPortal,
)
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.osv import expression

from ..models.res_partner import PORTAL_MAX_TEXT

FORM_ERRORS = (UserError, ValidationError)


def _to_int(value):
    """A record id from a form or JSON value, or None (ids out of
    PostgreSQL's integer range made the queries fail)."""
    try:
        value = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return value if 0 < value < 2**31 else None


def _to_float(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class ChannelPortal(CustomerPortal):
    _channel_customers_per_page = 20

    # ------------------------------------------------------------------
    # who is asking
    # ------------------------------------------------------------------

    def _channel_distributor(self):
        """The distributor of the logged-in portal user, or an empty record."""
        user = request.env.user
        if user._is_public() or not user._is_portal():
            return request.env["res.partner"]
        commercial = user.sudo().partner_id.commercial_partner_id
        return commercial if commercial.is_distributor else commercial.browse()

    def _channel_end_customer(self, distributor, customer_id):
        """One of the distributor's end customers, or an empty record."""
        customer_id = _to_int(customer_id)
        if not distributor or not customer_id:
            return request.env["res.partner"]
        return distributor._channel_portal_end_customers([("id", "=", customer_id)])

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        values["channel_distributor"] = self._channel_distributor()
        return values

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "channel_customer_count" in counters:
            distributor = self._channel_distributor()
            values["channel_customer_count"] = (
                len(distributor._channel_portal_end_customers()) if distributor else 0
            )
        return values

    # ------------------------------------------------------------------
    # /my/orders and /my/quotes: every order of the distributor
    # ------------------------------------------------------------------

    def _channel_orders_domain(self, partner, states):
        distributor = self._channel_distributor()
        if not distributor or partner.commercial_partner_id != distributor:
            return None
        domain = [("distributor_id", "=", distributor.id), ("state", "in", states)]
        customer_id = request.env.context.get("channel_end_customer_id")
        if customer_id:
            domain.append(("end_customer_id", "=", customer_id))
        return domain

    def _prepare_quotations_domain(self, partner):
        domain = super()._prepare_quotations_domain(partner)
        channel = self._channel_orders_domain(partner, ("draft", "sent"))
        if channel is None:
            return domain
        if request.env.context.get("channel_end_customer_id"):
            return channel
        return expression.OR([domain, channel])

    def _prepare_orders_domain(self, partner):
        domain = super()._prepare_orders_domain(partner)
        channel = self._channel_orders_domain(partner, ("sale",))
        if channel is None:
            return domain
        if request.env.context.get("channel_end_customer_id"):
            return channel
        return expression.OR([domain, channel])

    def _prepare_sale_portal_rendering_values(
        self, page=1, date_begin=None, date_end=None, sortby=None, **kwargs
    ):
        distributor = self._channel_distributor()
        if not distributor:
            return super()._prepare_sale_portal_rendering_values(
                page=page,
                date_begin=date_begin,
                date_end=date_end,
                sortby=sortby,
                **kwargs,
            )
        filterby = kwargs.pop("filterby", None) or "all"
        customers = distributor._channel_portal_end_customers()
        filters = {
            "all": {"label": request.env._("All end customers"), "customer": False}
        }
        for customer in customers:
            filters[f"ec{customer.id}"] = {
                "label": customer.name,
                "customer": customer.id,
            }
        if filterby not in filters:
            filterby = "all"
        customer_id = filters[filterby]["customer"]
        if customer_id:
            request.update_context(channel_end_customer_id=customer_id)
        values = super()._prepare_sale_portal_rendering_values(
            page=page, date_begin=date_begin, date_end=date_end, sortby=sortby, **kwargs
        )
        values.update(
            {
                "searchbar_filters": filters,
                "filterby": filterby,
                "channel_show_end_customer": True,
            }
        )
        if customer_id:
            # Keep the filter on the pager's links.
            quotation_page = kwargs.get("quotation_page")
            partner = request.env.user.partner_id
            domain = (
                self._prepare_quotations_domain(partner)
                if quotation_page
                else self._prepare_orders_domain(partner)
            )
            url_args = {"filterby": filterby}
            if sortby:
                url_args["sortby"] = sortby
            values["pager"] = portal_pager(
                url=values["default_url"],
                total=request.env["sale.order"].search_count(domain),
                page=page,
                step=self._items_per_page,
                url_args=url_args,
            )
        if "sortby" not in values:
            values["sortby"] = sortby or "date"
        return values

    def _get_page_view_values(
        self, document, access_token, values, session_history, no_breadcrumbs, **kwargs
    ):
        # The order's page keeps its token from readers who may not hold it
        # (chatter and links): they read the order by the record rules.
        if (
            document._name == "sale.order"
            and not document._channel_portal_may_hold_token()
        ):
            access_token = None
        return super()._get_page_view_values(
            document, access_token, values, session_history, no_breadcrumbs, **kwargs
        )

    # ------------------------------------------------------------------
    # end customers
    # ------------------------------------------------------------------

    @http.route(
        ["/my/channel/customers", "/my/channel/customers/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def channel_customers(self, page=1, search=None, **kw):
        distributor = self._channel_distributor()
        if not distributor:
            return request.redirect("/my")
        domain = []
        search = (search or "").strip()
        if search:
            domain = expression.OR(
                [
                    [("name", "ilike", search)],
                    [("email", "ilike", search)],
                    [("vat", "ilike", search)],
                    [("city", "ilike", search)],
                ]
            )
        customers = distributor._channel_portal_end_customers(domain)
        pager = portal_pager(
            url="/my/channel/customers",
            total=len(customers),
            page=page,
            step=self._channel_customers_per_page,
            url_args={"search": search} if search else None,
        )
        offset = pager["offset"]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_customers",
                "customers": customers[
                    offset : offset + self._channel_customers_per_page
                ],
                "customer_count": len(customers),
                "pager": pager,
                "search": search,
                "default_url": "/my/channel/customers",
            }
        )
        return request.render("channel_distribution.portal_channel_customers", values)

    def _channel_countries(self):
        """The countries an end customer's form offers."""
        return request.env["res.country"].sudo().search([])

    def _channel_customer_form_values(self, post):
        names = request.env["res.partner"]._channel_portal_end_customer_fields()
        values = {name: post.get(name) or "" for name in names}
        values["is_company"] = post.get("is_company") in ("1", "on", "true", True)
        return values

    def _render_customer_form(self, customer, form, error=None, duplicates=None):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_customer_form",
                "customer": customer,
                "form": form,
                "error": error,
                "duplicates": duplicates,
                "countries": self._channel_countries(),
                "next_step": "order" if request.params.get("next") == "order" else "",
            }
        )
        return request.render(
            "channel_distribution.portal_channel_customer_form", values
        )

    @http.route(
        ["/my/channel/customers/new"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def channel_customer_new(self, **post):
        distributor = self._channel_distributor()
        if not distributor:
            return request.redirect("/my")
        customer = request.env["res.partner"]
        if request.httprequest.method != "POST":
            return self._render_customer_form(customer, {"is_company": True})
        form = self._channel_customer_form_values(post)
        try:
            vals = distributor._channel_portal_prepare_end_customer_vals(form)
            duplicates = distributor._channel_portal_find_duplicates(vals)
            if duplicates and not post.get("confirm_duplicate"):
                return self._render_customer_form(
                    customer,
                    form,
                    error=request.env._(
                        "You already have an end customer with this VAT number or "
                        "email. Check the list below, or tick the box to create "
                        "this one anyway."
                    ),
                    duplicates=duplicates,
                )
            customer = distributor._channel_portal_create_end_customer(form)
        except FORM_ERRORS as error:
            return self._render_customer_form(customer, form, error=str(error))
        if post.get("next") == "order":
            return request.redirect(
                f"/my/channel/orders/new?end_customer_id={customer.id}"
            )
        return request.redirect("/my/channel/customers")

    # ------------------------------------------------------------------
    # quick end customer: the dialog of the order form (JSON)
    # ------------------------------------------------------------------

    # The longest text the dialog accepts in a field; the HTML form cuts
    # longer values to this size, the JSON route refuses them.
    _channel_quick_customer_max_length = PORTAL_MAX_TEXT

    def _channel_quick_customer_form(self, params):
        """The dialog's values as the HTML form gives them (texts); raise a
        UserError on a value of the wrong type or too long."""
        Partner = request.env["res.partner"]
        form = {}
        for name in Partner._channel_portal_end_customer_fields():
            value = params.get(name)
            if name == "is_company":
                form[name] = value in (True, 1, "1", "on", "true")
                continue
            if value is None or value is False:
                value = ""
            if name == "country_id" and type(value) is int:
                value = str(value)
            label = Partner._fields[name]._description_string(request.env)
            if not isinstance(value, str):
                raise UserError(
                    request.env._(
                        "%(field)s: enter a text, not a list or a number.", field=label
                    )
                )
            if len(value) > self._channel_quick_customer_max_length:
                raise UserError(
                    request.env._(
                        "%(field)s: at most %(max)s characters.",
                        field=label,
                        max=self._channel_quick_customer_max_length,
                    )
                )
            form[name] = value
        return form

    @http.route(
        ["/my/channel/customers/quick_create"],
        type="json",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def channel_customer_quick_create(self, confirm_duplicate=False, **params):
        """Create an end customer from the order form's dialog.

        Returns ``{"id", "name"}``, or ``{"error"}`` with ``"duplicates"``
        (names) when the distributor already has a customer with this VAT
        number or email and ``confirm_duplicate`` is not set."""
        distributor = self._channel_distributor()
        if not distributor:
            return {"error": request.env._("Only distributors can add end customers.")}
        try:
            form = self._channel_quick_customer_form(params)
            vals = distributor._channel_portal_prepare_end_customer_vals(form)
            duplicates = distributor._channel_portal_find_duplicates(vals)
            if duplicates and confirm_duplicate not in (True, 1, "1", "true"):
                return {
                    "error": request.env._(
                        "You already have an end customer with this VAT number or "
                        "email. Check the names below, or tick the box to create "
                        "this one anyway."
                    ),
                    "duplicates": duplicates.mapped("name"),
                }
            customer = distributor._channel_portal_create_end_customer(form)
        except FORM_ERRORS as error:
            return {"error": str(error)}
        return {"id": customer.id, "name": customer.name}

    @http.route(
        ["/my/channel/customers/<int:customer_id>"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def channel_customer_edit(self, customer_id, **post):
        distributor = self._channel_distributor()
        if not distributor:
            return request.redirect("/my")
        customer = self._channel_end_customer(distributor, customer_id)
        if not customer:
            raise request.not_found()
        if request.httprequest.method != "POST":
            form = {
                name: customer[name].id
                if name == "country_id"
                else (customer[name] or "")
                for name in customer._channel_portal_end_customer_fields()
            }
            error = None
            try:
                distributor._channel_portal_check_editable(customer)
            except FORM_ERRORS as exc:
                error = str(exc)
            return self._render_customer_form(customer, form, error=error)
        form = self._channel_customer_form_values(post)
        try:
            distributor._channel_portal_write_end_customer(customer, form)
        except FORM_ERRORS as error:
            return self._render_customer_form(customer, form, error=str(error))
        return request.redirect("/my/channel/customers")

    # ------------------------------------------------------------------
    # orders
    # ------------------------------------------------------------------

    def _channel_parse_lines(self, product_ids, quantities):
        """Pair the product and quantity lists of the form; skip empty rows."""
        lines = []
        for product_id, quantity in zip(product_ids, quantities, strict=False):
            if not product_id and not quantity:
                continue
            lines.append(
                {"product_id": _to_int(product_id), "quantity": _to_float(quantity)}
            )
        return lines

    def _channel_order_form_values(self, post):
        form = request.httprequest.form
        return {
            "end_customer_id": _to_int(post.get("end_customer_id")),
            "lines": self._channel_parse_lines(
                form.getlist("product_id"), form.getlist("quantity")
            ),
            "client_order_ref": post.get("client_order_ref") or "",
            "note": post.get("note") or "",
            "token": post.get("token") or "",
        }

    def _render_order_form(self, distributor, form, order=None, error=None):
        company = request.env.company
        SaleOrder = request.env["sale.order"]
        summary = None
        if form.get("lines") and form.get("end_customer_id") and not error:
            try:
                summary = SaleOrder._channel_portal_price_lines(
                    distributor, form, company
                )
            except FORM_ERRORS:
                summary = None
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_order_form",
                "order": order,
                "form": form,
                "error": error,
                "summary": summary,
                "customers": distributor._channel_portal_end_customers(),
                "products": SaleOrder._channel_portal_get_products(company),
                "max_quantity": SaleOrder._channel_portal_max_quantity(),
                # for the dialog that adds an end customer
                "countries": self._channel_countries(),
            }
        )
        return request.render("channel_distribution.portal_channel_order_form", values)

    @http.route(
        ["/my/channel/orders/new"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def channel_order_new(self, **post):
        distributor = self._channel_distributor()
        if not distributor:
            return request.redirect("/my")
        if request.httprequest.method != "POST":
            customer = self._channel_end_customer(
                distributor, post.get("end_customer_id")
            )
            form = {
                "end_customer_id": customer.id,
                "lines": [],
                "token": uuid.uuid4().hex,
            }
            return self._render_order_form(distributor, form)
        form = self._channel_order_form_values(post)
        try:
            order = request.env["sale.order"]._channel_portal_create_order(
                distributor,
                form,
                request.env.company,
                author=request.env.user.partner_id,
            )
        except FORM_ERRORS as error:
            return self._render_order_form(distributor, form, error=str(error))
        return request.redirect(order.get_portal_url())

    @http.route(
        ["/my/channel/orders/<int:order_id>/edit"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def channel_order_edit(self, order_id, **post):
        distributor = self._channel_distributor()
        if not distributor:
            return request.redirect("/my")
        order = request.env["sale.order"].sudo().browse(order_id).exists()
        if not order or order.distributor_id != distributor:
            raise request.not_found()
        if not order._channel_portal_is_editable(distributor):
            return request.redirect(order.get_portal_url())
        if request.httprequest.method != "POST":
            form = {
                "end_customer_id": order.end_customer_id.id,
                "lines": [
                    {"product_id": line.product_id.id, "quantity": line.product_uom_qty}
                    for line in order.order_line.filtered(lambda x: not x.display_type)
                ],
                "client_order_ref": order.client_order_ref or "",
                "note": order.channel_portal_note or "",
            }
            return self._render_order_form(distributor, form, order=order)
        form = self._channel_order_form_values(post)
        try:
            order._channel_portal_update_order(
                distributor, form, author=request.env.user.partner_id
            )
        except FORM_ERRORS as error:
            return self._render_order_form(
                distributor, form, order=order, error=str(error)
            )
        return request.redirect(order.get_portal_url())

    @http.route(
        ["/my/channel/orders/price"],
        type="json",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def channel_order_price(self, end_customer_id=None, lines=None, **kw):
        """Price the lines of the new-order form (nothing is written)."""
        distributor = self._channel_distributor()
        if not distributor:
            return {"error": request.env._("Only distributors can enter orders here.")}
        parsed = []
        for line in lines if isinstance(lines, list) else []:
            if not isinstance(line, dict):
                continue
            parsed.append(
                {
                    "product_id": _to_int(line.get("product_id")),
                    "quantity": _to_float(line.get("quantity")),
                }
            )
        values = {"end_customer_id": _to_int(end_customer_id), "lines": parsed}
        try:
            return request.env["sale.order"]._channel_portal_price_lines(
                distributor, values, request.env.company
            )
        except FORM_ERRORS as error:
            return {"error": str(error)}


class ChannelPaymentPortal(SalePaymentPortal):
    @http.route()
    def portal_order_transaction(self, order_id, access_token, **kwargs):
        """Odoo creates a transaction for any order the visitor reads; a
        channel order is paid only where it has to be (sent by the vendor,
        by its financial counterparty), checked before anything is
        written."""
        try:
            order_sudo = self._document_check_access(
                "sale.order", order_id, access_token
            )
        except (AccessError, MissingError):
            order_sudo = None  # Odoo's route gives its answer.
        if (
            order_sudo
            and order_sudo.is_channel_order
            and not order_sudo._has_to_be_paid()
        ):
            raise ValidationError(
                request.env._("This order cannot be paid here: contact the vendor.")
            )
        return super().portal_order_transaction(order_id, access_token, **kwargs)


class ChannelQuotationPortal(QuotationPortal):
    """Options and quantities a customer changes on a quotation: who may
    is ``sale.order._can_be_edited_on_portal``; a change voids the
    signature of a channel order."""

    def _channel_quotation_lines(self, order_id):
        order_sudo = request.env["sale.order"].sudo().browse(order_id).exists()
        return order_sudo._channel_portal_lines() if order_sudo else None

    def _channel_quotation_changed(self, order_id, before):
        order_sudo = request.env["sale.order"].sudo().browse(order_id).exists()
        if not order_sudo:
            return
        order_sudo.invalidate_recordset(["order_line"])
        if order_sudo._channel_portal_lines() != before:
            order_sudo._channel_portal_clear_signature()

    @http.route()
    def portal_quote_option_update(self, order_id, line_id, *args, **kwargs):
        before = self._channel_quotation_lines(order_id)
        result = super().portal_quote_option_update(order_id, line_id, *args, **kwargs)
        self._channel_quotation_changed(order_id, before)
        return result

    @http.route()
    def portal_quote_add_option(self, order_id, option_id, *args, **kwargs):
        before = self._channel_quotation_lines(order_id)
        result = super().portal_quote_add_option(order_id, option_id, *args, **kwargs)
        self._channel_quotation_changed(order_id, before)
        return result
