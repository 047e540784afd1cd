# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _channel_statement_partner(self, move):
        """The distributor whose monthly statement goes with ``move``'s
        e-mail, or an empty record: a posted consolidated (resale) invoice
        of its company's setting, the first e-mailed to that distributor
        this month."""
        partner = move.commercial_partner_id
        if (
            not move.company_id.channel_statement_monthly
            or move.move_type != "out_invoice"
            or move.state != "posted"
            or not move.channel_distributor_id
            or move.channel_distributor_id.commercial_partner_id != partner
        ):
            return partner.browse()
        last = partner.sudo().channel_statement_date
        today = fields.Date.context_today(self)
        if last and (last.year, last.month) == (today.year, today.month):
            return partner.browse()
        return partner

    @api.model
    def _get_mail_params(self, move, move_data):
        params = super()._get_mail_params(move, move_data)
        partner = self._channel_statement_partner(move)
        if params and partner:
            pdf, filename = partner._channel_statement_pdf(move.company_id)
            params["attachments"] = [*params.get("attachments", []), (filename, pdf)]
            partner.sudo().channel_statement_date = fields.Date.context_today(self)
        return params
