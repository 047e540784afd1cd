# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The portal's own account form (``/my/account``): an e-mail of another
party is a form error, not a server error (the partner's write refuses it
on every path)."""

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.http import request


class ChannelAccountPortal(CustomerPortal):
    def details_form_validate(self, data, partner_creation=False):
        error, error_message = super().details_form_validate(
            data, partner_creation=partner_creation
        )
        if data.get("email") and not error.get("email") and not partner_creation:
            refusal = request.env.user.partner_id._channel_own_email_refusal(
                data["email"]
            )
            if refusal:
                error["email"] = "error"
                error_message.append(refusal)
        return error, error_message
