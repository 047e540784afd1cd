# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import http
from odoo.addons.channel_distribution.controllers.sale_portal import (
    ChannelPaymentPortal,
)
from odoo.addons.channel_distribution_portal.controllers.portal import (
    ChannelPortal,
)
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request


class ChannelCreditPortal(ChannelPortal):
    def _render_order_form(self, distributor, form, order=None, error=None):
        # New Order says at once that the distributor is on overdue hold.
        if order is None and not error:
            error = distributor._channel_overdue_hold_message()
        return super()._render_order_form(distributor, form, order=order, error=error)


class ChannelCreditPaymentPortal(ChannelPaymentPortal):
    @http.route()
    def portal_order_transaction(self, order_id, access_token, **kwargs):
        """On overdue hold with *Block* an order cannot be confirmed, so it
        is not paid either (``sale.order._has_to_be_paid``): the
        distributor's own users are told why, before any transaction is
        created (others get the channel's answer, without the distributor's
        invoices)."""
        try:
            order_sudo = self._document_check_access(
                "sale.order", order_id, access_token
            )
        except (AccessError, MissingError):
            order_sudo = None  # Odoo's route gives its answer.
        if order_sudo and order_sudo.is_channel_order:
            distributor = order_sudo.distributor_id.commercial_partner_id
            own = request.env.user.partner_id.commercial_partner_id == distributor
            message = own and order_sudo._channel_overdue_blocked_message()
            if message:
                raise ValidationError(message)
        return super().portal_order_transaction(order_id, access_token, **kwargs)
