# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import calendar
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import plaintext2html

# A distributor's invoicing terms: only channel managers change them (the
# scheduled job moves the dates, as superuser).
INVOICING_TERMS_FIELDS = [
    "channel_invoicing_period",
    "channel_invoicing_weekday",
    "channel_invoicing_monthday",
    "channel_invoicing_next_date",
    "channel_invoicing_last_date",
]


class ResPartner(models.Model):
    """Invoicing schedule of a distributor.

    The scheduled job invoices a distributor when its next invoicing date has
    come and then moves that date on: the date is the job's bookmark.
    """

    _inherit = "res.partner"

    # Not required: res_partner rows are also written without this module's
    # defaults (raw imports, other modules' tests run before this module is
    # loaded), so the column must accept NULL; an empty schedule is manual.
    channel_invoicing_period = fields.Selection(
        [("manual", "Manual"), ("weekly", "Weekly"), ("monthly", "Monthly")],
        string="Invoicing Schedule",
        default="manual",
        help="Manual: finance invoices the orders with the 'Create distributor "
        "invoices' action. Weekly or monthly: on that day the scheduled job "
        "invoices all the distributor's orders to invoice: its resale orders on "
        "one invoice to the distributor, its agency orders on one invoice per end "
        "customer. If it fails, the job tries again the next day. Empty counts "
        "as manual.",
    )
    channel_invoicing_weekday = fields.Selection(
        [
            ("0", "Monday"),
            ("1", "Tuesday"),
            ("2", "Wednesday"),
            ("3", "Thursday"),
            ("4", "Friday"),
            ("5", "Saturday"),
            ("6", "Sunday"),
        ],
        string="Invoicing Weekday",
        default="0",
    )
    channel_invoicing_monthday = fields.Integer(
        string="Invoicing Day of Month",
        default=1,
        help="1 to 31; the last day of shorter months.",
    )
    channel_invoicing_next_date = fields.Date(
        string="Next Invoicing Date",
        compute="_compute_channel_invoicing_next_date",
        store=True,
        readonly=False,
        copy=False,
    )
    channel_invoicing_last_date = fields.Date(
        string="Last Scheduled Invoicing",
        readonly=True,
        copy=False,
        help="Last day the scheduled job invoiced this distributor or tried "
        "to; after a failure it tries again the next day.",
    )
    distributor_commission = fields.Monetary(
        help="Commission earned on the posted invoices of this distributor's "
        "channel orders and subscriptions, less that of their posted credit "
        "notes: the figure of the channel analysis."
    )

    def _compute_channel_counts(self):
        res = super()._compute_channel_counts()
        distributors = self.filtered("is_distributor")
        Report = self.env["sale.report"]
        if not distributors or not Report.has_access("read"):
            return res
        # the channel analysis's own figure: its invoiced rows (orders' and
        # subscriptions' lines of posted invoices less credit notes), in the
        # company's currency
        earned = dict(
            Report._read_group(
                [
                    ("distributor_id", "in", distributors.ids),
                    ("channel_source", "!=", "order"),
                ],
                ["distributor_id"],
                ["channel_commission:sum"],
            )
        )
        for distributor in distributors:
            distributor.distributor_commission = earned.get(distributor, 0.0)
        return res

    @api.depends(
        "channel_invoicing_period",
        "channel_invoicing_weekday",
        "channel_invoicing_monthday",
    )
    def _compute_channel_invoicing_next_date(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.channel_invoicing_next_date = partner._channel_next_invoicing_date(
                today - timedelta(days=1)
            )

    def _channel_next_invoicing_date(self, after):
        """The first invoicing day of the schedule strictly after ``after``;
        False for a manual schedule."""
        self.ensure_one()
        if self.channel_invoicing_period == "weekly":
            weekday = int(self.channel_invoicing_weekday or 0)
            return after + timedelta(days=(weekday - after.weekday() - 1) % 7 + 1)
        if self.channel_invoicing_period == "monthly":
            year, month = after.year, after.month
            for __ in range(2):
                last = calendar.monthrange(year, month)[1]
                day = after.replace(
                    year=year,
                    month=month,
                    day=min(max(self.channel_invoicing_monthday, 1), last),
                )
                if day > after:
                    return day
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return False

    @api.constrains("channel_invoicing_monthday")
    def _check_channel_invoicing_monthday(self):
        for partner in self:
            if not 1 <= partner.channel_invoicing_monthday <= 31:
                raise ValidationError(
                    self.env._(
                        "%(partner)s: the invoicing day of the month must be "
                        "between 1 and 31.",
                        partner=partner.display_name,
                    )
                )

    @api.model
    def _channel_manager_fields(self):
        return super()._channel_manager_fields() + INVOICING_TERMS_FIELDS

    @api.model
    def _channel_business_domains(self, partner_ids):
        # their invoices and credit notes (as invoiced party, distributor or
        # end customer)
        domains = super()._channel_business_domains(partner_ids)
        if partner_ids:
            domains.append(
                self._channel_business_domain(
                    "account.move",
                    ["partner_id", "channel_distributor_id", "end_customer_ids"],
                    partner_ids,
                )
            )
        return domains

    def _channel_invoicing_alert(self, errors):
        """Scheduled invoicing failed: an activity for finance (one open at a
        time) besides the note on the distributor.

        ``errors``: list of (company, UserError).
        """
        self.ensure_one()
        xmlid = "channel_distribution_invoicing.mail_activity_channel_invoicing_failed"
        activity_type = self.env.ref(xmlid)
        if self.activity_ids.filtered(lambda a: a.activity_type_id == activity_type):
            return
        user = errors[0][0]._channel_invoicing_alert_user()
        if not user:
            return
        note = "\n".join(
            self.env._("%(company)s: %(error)s", company=company.name, error=str(error))
            for company, error in errors
        )
        self.activity_schedule(
            xmlid,
            user_id=user.id,
            summary=self.env._("Scheduled invoicing failed"),
            note=plaintext2html(note),
        )
