# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A distributor's commission statements on the portal: its settlements,
their lines per end customer and invoice, the bill or credit note, the PDF.
Thin: the model says which settlements a partner sees."""

from odoo import http
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.http import request


class ChannelCommissionPortal(CustomerPortal):
    def _channel_commission_partner(self):
        """The distributor whose statements the portal user sees (its
        company, paid a commission); empty for anyone else."""
        user = request.env.user
        if user._is_public() or not user._is_portal():
            return request.env["res.partner"]
        partner = user.sudo().partner_id.commercial_partner_id
        if not partner.is_distributor:
            return request.env["res.partner"]
        return partner

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "channel_commission_count" in counters:
            partner = self._channel_commission_partner()
            values["channel_commission_count"] = (
                len(
                    request.env["commission.settlement"]._channel_portal_statements(
                        partner
                    )
                )
                if partner
                else 0
            )
        return values

    @http.route("/my/channel/commissions", type="http", auth="user", website=True)
    def channel_commissions(self, **kw):
        partner = self._channel_commission_partner()
        if not partner:
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_commissions",
                "statements": request.env[
                    "commission.settlement"
                ]._channel_portal_statements(partner),
            }
        )
        return request.render(
            "channel_distribution_commission.portal_channel_commissions", values
        )

    @http.route(
        "/my/channel/commissions/<int:settlement_id>",
        type="http",
        auth="user",
        website=True,
    )
    def channel_commission(self, settlement_id, report_type=None, **kw):
        partner = self._channel_commission_partner()
        statement = (
            request.env["commission.settlement"]._channel_portal_statements(
                partner, settlement_id
            )
            if partner
            else None
        )
        if not statement:
            raise request.not_found()
        if report_type == "pdf":
            pdf, __ = (
                request.env["ir.actions.report"]
                .sudo()
                ._render_qweb_pdf(
                    "commission_oca.action_report_settlement", statement.ids
                )
            )
            return request.make_response(
                pdf,
                headers=[
                    ("Content-Type", "application/pdf"),
                    ("Content-Length", len(pdf)),
                ],
            )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_commission",
                "statement": statement,
                "groups": statement._channel_portal_lines_by_customer(),
            }
        )
        return request.render(
            "channel_distribution_commission.portal_channel_commission", values
        )
