# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Subscriptions on the portal: distributors see and change theirs, agency
end customers see their own. Thin: the model holds the rules."""

from odoo import http
from odoo.addons.channel_distribution.controllers.portal import _to_int
from odoo.addons.channel_distribution_portal.controllers.portal import (
    ChannelPortal,
    _to_float,
)
from odoo.addons.contract.controllers.main import PortalContract
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

FORM_ERRORS = (UserError, ValidationError)


class ChannelSubscriptionPortal(ChannelPortal):
    def _channel_subscription_partner(self):
        """The partner whose subscriptions the portal user sees: its
        distributor, or its own company (an agency end customer); empty for
        others."""
        user = request.env.user
        if user._is_public() or not user._is_portal():
            return request.env["res.partner"]
        return user.sudo().partner_id.commercial_partner_id

    def _channel_subscription(self, partner, contract_id):
        contract_id = _to_int(contract_id)
        if not partner or not contract_id:
            return request.env["contract.contract"]
        return request.env["contract.contract"]._channel_portal_subscriptions(
            partner, contract_id
        )

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "channel_subscription_count" in counters:
            partner = self._channel_subscription_partner()
            values["channel_subscription_count"] = (
                len(
                    request.env["contract.contract"]._channel_portal_subscriptions(
                        partner
                    )
                )
                if partner
                else 0
            )
        return values

    @http.route(
        "/my/channel/subscriptions",
        type="http",
        auth="user",
        website=True,
    )
    def channel_subscriptions(self, **kw):
        partner = self._channel_subscription_partner()
        if not partner:
            return request.redirect("/my")
        contracts = request.env["contract.contract"]._channel_portal_subscriptions(
            partner
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_subscriptions",
                "subscriptions": contracts,
                "customers": contracts.end_customer_id,
            }
        )
        return request.render(
            "channel_distribution_contract.portal_channel_subscriptions", values
        )

    def _render_subscription(self, partner, contract, error=None, message=None):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_subscription",
                "subscription": contract,
                "may_change": contract._channel_portal_may_change(partner),
                "error": error,
                "message": message,
            }
        )
        return request.render(
            "channel_distribution_contract.portal_channel_subscription",
            values,
            status=400 if error else 200,
        )

    @http.route(
        "/my/channel/subscriptions/<int:contract_id>",
        type="http",
        auth="user",
        website=True,
    )
    def channel_subscription(self, contract_id, **kw):
        partner = self._channel_subscription_partner()
        contract = self._channel_subscription(partner, contract_id)
        if not contract:
            raise request.not_found()
        return self._render_subscription(partner, contract)

    @http.route(
        "/my/channel/subscriptions/<int:contract_id>/quantity",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def channel_subscription_quantity(self, contract_id, line_id=None, **post):
        partner = self._channel_subscription_partner()
        contract = self._channel_subscription(partner, contract_id)
        if not contract:
            raise request.not_found()
        line = contract._channel_running_lines().filtered(
            lambda x: x.id == _to_int(line_id)
        )
        quantity = _to_float(post.get("quantity"))
        try:
            with request.env.cr.savepoint():
                contract._channel_portal_check_change(partner)
                if not line:
                    raise UserError(
                        request.env._("Choose a line of this subscription.")
                    )
                line._channel_portal_change_quantity(partner, quantity)
        except FORM_ERRORS as error:
            return self._render_subscription(partner, contract, error=str(error))
        return self._render_subscription(
            partner, contract, message=request.env._("The quantity was changed.")
        )

    @http.route(
        "/my/channel/subscriptions/<int:contract_id>/cancel",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def channel_subscription_cancel(self, contract_id, **post):
        partner = self._channel_subscription_partner()
        contract = self._channel_subscription(partner, contract_id)
        if not contract:
            raise request.not_found()
        try:
            with request.env.cr.savepoint():
                contract._channel_portal_check_change(partner)
                end = contract._channel_cancel()[contract]
        except FORM_ERRORS as error:
            return self._render_subscription(partner, contract, error=str(error))
        return self._render_subscription(
            partner,
            contract,
            message=request.env._(
                "Cancelled: the subscription ends on %(end)s.", end=end
            ),
        )


class ChannelContractPortal(PortalContract):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        user = request.env.user
        if values.get("contract_count") and user._is_portal():
            # OCA's *Contracts* card: channel subscriptions show under
            # *Subscriptions*; it counts the other contracts only.
            values["contract_count"] = request.env["contract.contract"].search_count(
                [("distributor_id", "=", False)]
            )
        return values
