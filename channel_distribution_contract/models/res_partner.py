# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    channel_subscription_count = fields.Integer(
        string="Subscriptions",
        compute="_compute_channel_subscription_count",
    )

    channel_coterm = fields.Boolean(
        string="Co-term Subscriptions",
        help="New subscriptions of this distributor are aligned to its "
        "invoicing day: the first period runs from the start to the day "
        "before the next invoicing day and is prorated, then whole periods "
        "start on the invoicing day, so that each invoice covers one "
        "calendar period for all its subscriptions. For a monthly schedule "
        "and products billed by the month or longer; subscriptions started "
        "before keep their periods.",
    )

    @api.constrains("channel_coterm", "channel_invoicing_period")
    def _check_channel_coterm(self):
        for partner in self:
            if partner.channel_coterm and partner.channel_invoicing_period != "monthly":
                raise ValidationError(
                    self.env._(
                        "%(partner)s: co-terming aligns subscriptions to a "
                        "monthly invoicing day; give it a monthly invoicing "
                        "schedule or turn co-terming off.",
                        partner=partner.display_name,
                    )
                )

    @api.model
    def _channel_manager_fields(self):
        return super()._channel_manager_fields() + ["channel_coterm"]

    @api.model
    def _channel_business_domains(self, partner_ids):
        # their subscriptions (as invoiced party, distributor or end
        # customer)
        domains = super()._channel_business_domains(partner_ids)
        if partner_ids:
            domains.append(
                self._channel_business_domain(
                    "contract.contract",
                    ["partner_id", "distributor_id", "end_customer_id"],
                    partner_ids,
                )
            )
        return domains

    def _channel_coterm_day(self):
        """The day of the month new subscriptions of this distributor align
        to (its invoicing day), or 0 when they are not co-termed."""
        self.ensure_one()
        distributor = self.commercial_partner_id
        if distributor.channel_coterm and (
            distributor.channel_invoicing_period == "monthly"
        ):
            return min(max(distributor.channel_invoicing_monthday or 1, 1), 31)
        return 0

    def _compute_channel_subscription_count(self):
        Contract = self.env["contract.contract"]
        distributors = self.filtered("is_distributor")
        counts = {}
        if distributors and Contract.has_access("read"):
            groups = Contract._read_group(
                [("distributor_id", "in", distributors.ids)],
                ["distributor_id"],
                ["__count"],
            )
            counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.channel_subscription_count = counts.get(partner.id, 0)

    def _channel_prepaid_horizon(self, day):
        """The last day a pre-paid period may start for a run of this
        distributor on ``day`` to bill it: the day before its next scheduled
        run (pre-paid is billed before it starts), or ``day`` itself without
        a schedule."""
        self.ensure_one()
        following = self._channel_next_invoicing_date(day)
        if not following:
            return day
        return max(day, following - timedelta(days=1))

    def _channel_billing_day(self, due, prepaid):
        """The day a run of this distributor bills a period due on ``due``
        (a pre-paid period's start, a post-paid one's invoice date): with a
        schedule, the run whose next run comes after the pre-paid period's
        start, or the first run on or after the post-paid date; ``due``
        itself without one."""
        self.ensure_one()
        run = self.channel_invoicing_next_date
        if not (due and run and self.channel_invoicing_period in ("weekly", "monthly")):
            return due
        for __ in range(1000):  # weekly runs of a period up to 19 years long
            following = self._channel_next_invoicing_date(run)
            if (due < following) if prepaid else (due <= run):
                return run
            run = following
        return due

    def action_view_channel_subscriptions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "channel_distribution_contract.action_channel_subscriptions"
        )
        action["domain"] = [("distributor_id", "=", self.id)]
        action["context"] = {"search_default_filter_running": 1}
        return action

    def action_channel_invoice_due(self):
        """Button: bill what the distributor has due today and show it."""
        ids = self.channel_invoice_due()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", ids)]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        return action

    def channel_invoice_due(self, date=None):
        """Bill everything of these distributors due up to ``date`` (today
        by default): their orders to invoice and their subscriptions' periods
        and changes, one invoice per party, a section per order or period.
        For users with invoicing rights. Returns the new invoices' ids."""
        if not (
            self.env.su or self.env.user.has_group("account.group_account_invoice")
        ):
            raise AccessError(
                self.env._("Only users with invoicing rights can bill distributors.")
            )
        day = fields.Date.to_date(date) if date else self._channel_run_today()
        self._channel_check_run_day(day, self.env._("Billing"))
        not_distributors = self.filtered(lambda p: not p.is_distributor)
        if not_distributors:
            raise UserError(
                self.env._(
                    "%(partners)s: not a distributor.",
                    partners=", ".join(not_distributors.mapped("display_name")),
                )
            )
        SaleOrder = self.env["sale.order"]
        invoices = self.env["account.move"]
        for distributor in self:
            invoices |= SaleOrder._channel_invoice_distributor_due(distributor, day)
        return invoices.ids
