# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Odoo's standard portal routes over channel orders (/my/orders: the
order's page, sign, decline, pay, options): who may act on a channel order
and who is handed its access token. They exist wherever sale does, with or
without the distributor's self-service."""

from odoo import http
from odoo.addons.sale.controllers.portal import CustomerPortal
from odoo.addons.sale.controllers.portal import PaymentPortal as SalePaymentPortal
from odoo.addons.sale_management.controllers.portal import (
    CustomerPortal as QuotationPortal,
)
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request

from ..models.sale_order import ChannelPortalVisitor


class ChannelSalePortal(CustomerPortal):
    def _document_check_access(self, model_name, document_id, access_token=None):
        """The order comes back as superuser: it carries the visitor, whom
        its channel rules ask about (``sale.order._channel_portal_user``)."""
        document_sudo = super()._document_check_access(
            model_name, document_id, access_token=access_token
        )
        if model_name == "sale.order":
            document_sudo = document_sudo.with_context(
                channel_portal_uid=ChannelPortalVisitor(request.env.uid)
            )
        return document_sudo

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

    def _get_extra_payment_form_values(
        self, sale_order_id=None, access_token=None, **kwargs
    ):
        """A payment link's token proves a partner and an amount, not the
        right to an order, yet Odoo's payment page (``/payment/pay``) hands
        its holder the order's own access token (eleventh probe, P11-3: a
        link minted for the distributor opened and signed its orders). On a
        channel order the page serves only a visitor who reads the order
        and may hold its token."""
        order_id = self._cast_as_int(sale_order_id)
        order_sudo = request.env["sale.order"].sudo().browse(order_id).exists()
        if order_id and order_sudo.is_channel_order:
            try:
                order_sudo = self._document_check_access(
                    "sale.order", order_id, access_token
                ).with_context(channel_portal_uid=ChannelPortalVisitor(request.env.uid))
            except (AccessError, MissingError):
                order_sudo = None
            if not order_sudo or not order_sudo._channel_portal_may_hold_token():
                raise AccessError(
                    request.env._(
                        "This order is paid from its own page: log in or open "
                        "the link the vendor sent."
                    )
                )
        return super()._get_extra_payment_form_values(
            sale_order_id=sale_order_id, access_token=access_token, **kwargs
        )


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
