# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class CreditControlPolicy(models.Model):
    _inherit = "credit.control.policy"

    def _channel_distributor_lines(self, credit_control_run):
        """The due receivable lines (OCA's domain for this policy) of
        distributors without a policy of their own."""
        self.ensure_one()
        return self.env["account.move.line"].search(
            self._move_lines_domain(credit_control_run)
            + [
                ("partner_id.commercial_partner_id.is_distributor", "=", True),
                ("partner_id.credit_policy_id", "=", False),
            ]
        )

    def _get_partner_related_lines(self, credit_control_run):
        """Distributors without a policy of their own follow the company's
        *Distributors' Credit Control Policy*: their lines join that policy
        and leave the others (OCA's company policy among them). A policy set
        on the partner, or on the invoice, still wins (OCA applies the
        invoice's after this)."""
        to_add, to_remove = super()._get_partner_related_lines(credit_control_run)
        distributors_policy = credit_control_run.company_id.channel_credit_policy_id
        if not distributors_policy:
            return to_add, to_remove
        lines = self._channel_distributor_lines(credit_control_run)
        if self == distributors_policy:
            return to_add | lines, to_remove
        return to_add, to_remove | lines
