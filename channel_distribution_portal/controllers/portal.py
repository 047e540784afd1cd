# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Distributor self-service on the portal: end customers and order entry.

Thin: every route first asks ``_channel_acting_distributor`` who the user
acts for, then parses the form and calls the model methods of res.partner
and sale.order, which hold the rules.
"""

import uuid

import werkzeug.exceptions

from odoo import http
from odoo.addons.channel_distribution.controllers.portal import _to_int
from odoo.addons.channel_distribution.controllers.sale_portal import (
    ChannelQuotationPortal,
)
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.sale.controllers.portal import CustomerPortal
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.osv import expression

FORM_ERRORS = (UserError, ValidationError)


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

    def _channel_acting_distributor(self):
        """The distributor the logged-in user acts for: every distributor
        route starts here. Anyone else (an end customer's user, an internal
        user, a visitor of a JSON route) is sent back to /my from a page,
        and gets a UserError from a JSON route, which answers it as
        ``{"error"}``; nothing is read or written for them."""
        distributor = self._channel_distributor()
        if distributor:
            return distributor
        if request.dispatcher.routing_type == "json":
            raise UserError(
                request.env._("Only distributors can do this on the portal.")
            )
        werkzeug.exceptions.abort(request.redirect("/my"))

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
                distributor._channel_portal_end_customer_count() if distributor else 0
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
        distributor = self._channel_acting_distributor()
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
        count = distributor._channel_portal_end_customer_count(domain)
        pager = portal_pager(
            url="/my/channel/customers",
            total=count,
            page=page,
            step=self._channel_customers_per_page,
            url_args={"search": search} if search else None,
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_customers",
                "customers": distributor._channel_portal_end_customers(
                    domain,
                    limit=self._channel_customers_per_page,
                    offset=pager["offset"],
                ),
                "customer_count": count,
                "pager": pager,
                "search": search,
                "default_url": "/my/channel/customers",
            }
        )
        return request.render(
            "channel_distribution_portal.portal_channel_customers", values
        )

    def _channel_countries(self):
        """The countries an end customer's form offers, with the names the
        form shows read by the same query (the order form renders them for
        its dialog at every visit)."""
        return request.env["res.country"].sudo().search_fetch([], ["name"])

    def _channel_end_customer_fields_values(self):
        """What the end customer's fields (the page's form and the order
        form's dialog: one template) are rendered with."""
        return {
            "countries": self._channel_countries(),
            "limits": request.env["res.partner"]._channel_portal_end_customer_limits(),
        }

    def _channel_customer_form_values(self, post):
        names = request.env["res.partner"]._channel_portal_end_customer_fields()
        values = {name: post.get(name) or "" for name in names}
        # without the box, the partner stays what it is
        if "is_company" in post:
            values["is_company"] = post["is_company"] in ("1", "on", "true", True)
        else:
            values.pop("is_company", None)
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
                **self._channel_end_customer_fields_values(),
                "next_step": "order" if request.params.get("next") == "order" else "",
            }
        )
        return request.render(
            "channel_distribution_portal.portal_channel_customer_form", values
        )

    @http.route(
        ["/my/channel/customers/new"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def channel_customer_new(self, **post):
        distributor = self._channel_acting_distributor()
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

    def _channel_quick_customer_form(self, params):
        """The dialog's values as the HTML form gives them (texts); raise a
        UserError on a value of the wrong type. Their length is checked by
        ``res.partner._channel_portal_prepare_end_customer_vals``, as the
        page's."""
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
        try:
            distributor = self._channel_acting_distributor()
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
        distributor = self._channel_acting_distributor()
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
                **self._channel_end_customer_fields_values(),
            }
        )
        return request.render(
            "channel_distribution_portal.portal_channel_order_form", values
        )

    @http.route(
        ["/my/channel/orders/new"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
    )
    def channel_order_new(self, **post):
        distributor = self._channel_acting_distributor()
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
        distributor = self._channel_acting_distributor()
        try:
            order = self._document_check_access("sale.order", order_id)
        except (AccessError, MissingError) as error:
            raise request.not_found() from error
        if order.distributor_id != distributor:
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
        try:
            distributor = self._channel_acting_distributor()
        except FORM_ERRORS as error:
            return {"error": str(error)}
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


class ChannelPortalQuotation(ChannelQuotationPortal):
    """The quantities a customer gives an option of a channel quotation
    (sale_management's route) follow the portal's rules: a number more than
    0 (0 or less removes the option, as in Odoo) and at most the portal's
    maximum, else a clear refusal."""

    @http.route()
    def portal_quote_option_update(
        self,
        order_id,
        line_id,
        access_token=None,
        remove=False,
        unlink=False,
        input_quantity=False,
        **kwargs,
    ):
        try:
            order_sudo = self._document_check_access(
                "sale.order", order_id, access_token=access_token
            )
        except (AccessError, MissingError):
            order_sudo = None  # Odoo's route gives its answer.
        line = (
            order_sudo.order_line.filtered(lambda line: line.id == _to_int(line_id))
            if order_sudo and order_sudo.is_channel_order and not unlink
            else None
        )
        if (
            line
            and order_sudo._can_be_edited_on_portal()
            and line._can_be_edited_on_portal()
        ):
            if input_quantity is not False:
                quantity = input_quantity
            else:
                quantity = line.product_uom_qty + (-1 if remove else 1)
            if not (
                isinstance(quantity, int | float)
                and not isinstance(quantity, bool)
                and quantity <= 0
            ):
                order_sudo._channel_portal_check_quantity(line.product_id, quantity)
        return super().portal_quote_option_update(
            order_id,
            line_id,
            access_token=access_token,
            remove=remove,
            unlink=unlink,
            input_quantity=input_quantity,
            **kwargs,
        )
