# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.addons.channel_distribution.tools import channel_access_first
from odoo.exceptions import AccessError

STATEMENT_REPORT = "partner_statement.outstanding_statement"


class ResPartner(models.Model):
    _inherit = "res.partner"

    # The statement job's own bookmark (account.move.send, as superuser):
    # written by no user, else a month's statement would not go.
    channel_statement_date = fields.Date(
        string="Last Statement Sent",
        copy=False,
        readonly=True,
        groups="base.group_user",
        help="When the distributor's statement was last e-mailed with its "
        "consolidated invoice (once a month at most).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.context.get("default_channel_statement_date") or any(
            vals.get("channel_statement_date") for vals in vals_list
        ):
            self._channel_check_statement_date_write()
        return super().create(vals_list)

    @channel_access_first("write")
    def write(self, vals):
        if self._channel_terms_changed(vals, ["channel_statement_date"]):
            self._channel_check_statement_date_write()
        return super().write(vals)

    @api.model
    def _channel_check_statement_date_write(self):
        """The date of the last statement sent is set when a statement goes
        with an invoice's e-mail (as superuser): a user who wrote it would
        keep the month's statement from going (or send a second one)."""
        if self.env.su:
            return
        raise AccessError(
            self.env._(
                "The date of a distributor's last statement is set when the "
                "statement is e-mailed with an invoice; nobody writes it."
            )
        )

    def _channel_statement_data(self, company, date_end=None):
        """OCA's outstanding statement options for this distributor (its
        commercial entity) in ``company`` at ``date_end`` (today): every
        open item of its receivable, credit notes and unreconciled payments
        included, aged by days. Made by OCA's wizard, as superuser: the
        callers check who asks."""
        self.ensure_one()
        partner = self.commercial_partner_id
        wizard = (
            self.env["outstanding.statement.wizard"]
            .sudo()
            .with_context(active_ids=partner.ids)
            .create(self._channel_prepare_statement_wizard(company, date_end))
        )
        return wizard._prepare_statement()

    def _channel_prepare_statement_wizard(self, company, date_end=None):
        """Hook: the values of OCA's outstanding statement wizard."""
        return {
            "company_id": company.id,
            "date_end": date_end or fields.Date.context_today(self),
            "account_type": "asset_receivable",
            "aging_type": "days",
            "show_aging_buckets": True,
            "show_only_overdue": False,
            "filter_partners_non_due": False,
            "filter_negative_balances": False,
        }

    def _channel_statement_values(self, company, date_end=None):
        """The values of OCA's outstanding statement report (as its QWeb
        templates take them) for this distributor."""
        data = self._channel_statement_data(company, date_end)
        report = self.env["report.partner_statement.outstanding_statement"].sudo()
        values = report._get_report_values(data["partner_ids"], data=data)
        values["partner"] = values["docs"][:1]
        values["statement"] = values["data"].get(values["partner"].id)
        return values

    def _channel_statement_pdf(self, company, date_end=None):
        """The distributor's statement as OCA prints it: ``(pdf, filename)``."""
        data = self._channel_statement_data(company, date_end)
        pdf, __ = (
            self.env["ir.actions.report"]
            .sudo()
            ._render_qweb_pdf(STATEMENT_REPORT, data["partner_ids"], data=data)
        )
        partner = self.commercial_partner_id
        filename = self.env._(
            "Statement %(partner)s %(date)s.pdf",
            partner=partner.name,
            date=data["date_end"],
        )
        return pdf, filename.replace("/", "-")
