# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    channel_subscription_count = fields.Integer(
        string="Subscriptions",
        compute="_compute_channel_subscription_count",
    )

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
        day = fields.Date.to_date(date) if date else fields.Date.context_today(self)
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
