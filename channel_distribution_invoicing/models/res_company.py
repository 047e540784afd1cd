# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.tools import SQL


class ResCompany(models.Model):
    _inherit = "res.company"

    channel_invoice_auto_post = fields.Boolean(
        string="Post Scheduled Distributor Invoices",
    )
    channel_invoice_auto_send = fields.Boolean(
        string="Email Scheduled Distributor Invoices",
    )
    channel_invoicing_user_id = fields.Many2one(
        "res.users",
        string="Invoicing Alerts To",
        help="User who gets an activity when the scheduled invoicing of a "
        "distributor fails; the first billing administrator of the company "
        "when empty.",
    )
    channel_cancel_invoiced = fields.Selection(
        [
            ("refuse", "Refuse: credit the invoice first"),
            ("credit", "Credit the order's section"),
        ],
        string="Cancelling Invoiced Channel Orders",
        default="refuse",
        help="When a channel order (resale or agency) billed on a posted "
        "invoice is cancelled: refuse the cancellation until it is credited, or "
        "create the draft credit note of its section at once.",
    )

    def _auto_init(self):
        res = super()._auto_init()
        if "invoice_section_grouping" in self._fields:
            # OCA account_invoice_section_sale_order, when a vendor installs
            # it, requires invoice_section_grouping with no default in the
            # database: companies written before its Python is loaded (other
            # modules' at_install tests, imports) would break on NOT NULL.
            # The column gets its default in the database as well.
            self.env.cr.execute(
                SQL(
                    "ALTER TABLE res_company ALTER COLUMN invoice_section_grouping "
                    "SET DEFAULT %s",
                    "sale_order",
                )
            )
        return res

    def _channel_invoicing_alert_user(self):
        """Who is alerted when the scheduled invoicing of a distributor
        fails: the user of the settings, else the company's first billing
        administrator."""
        self.ensure_one()
        if self.channel_invoicing_user_id:
            return self.channel_invoicing_user_id
        return self.env["res.users"].search(
            [
                ("groups_id", "in", self.env.ref("account.group_account_manager").id),
                ("company_ids", "in", self.id),
                ("share", "=", False),
            ],
            order="id",
            limit=1,
        )
