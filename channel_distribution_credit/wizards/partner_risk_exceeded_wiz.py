# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models
from odoo.exceptions import UserError


class PartnerRiskExceededWiz(models.TransientModel):
    """OCA's *Partner risk exceeded* wizard: its Continue (hidden to all but
    the risk managers in OCA's view) calls the method it holds with the risk
    bypassed. Any internal user creates it over RPC: the server decides."""

    _inherit = "partner.risk.exceeded.wiz"

    def button_continue(self):
        self.ensure_one()
        method = self.continue_method or ""
        if not method or method.startswith("_"):
            # what RPC cannot call, the wizard does not either
            raise UserError(
                self.env._(
                    "The risk exception cannot continue with %(method)s.",
                    method=method or "-",
                )
            )
        origin = self.origin_reference
        if (
            origin
            and origin._name == "sale.order"
            and any(origin.sudo().mapped("is_channel_order"))
            and not origin._channel_credit_may_bypass()
        ):
            raise UserError(
                self.env._(
                    "%(order)s exceeds the credit of %(partner)s: only a credit "
                    "manager (Financial Risk / Manager) confirms it past the "
                    "limit.",
                    order=origin.sudo().display_name,
                    partner=self.partner_id.sudo().display_name,
                )
            )
        if (
            origin
            and origin._name == "account.move"
            and any(move._channel_credit_is_channel_move() for move in origin)
            and not origin._channel_credit_may_bypass()
        ):
            raise UserError(
                self.env._(
                    "%(invoice)s exceeds the credit of %(partner)s: only a "
                    "credit manager (Financial Risk / Manager) posts it past "
                    "the limit.",
                    invoice=origin.sudo().display_name,
                    partner=self.partner_id.sudo().display_name,
                )
            )
        return super().button_continue()
