# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class CommissionMakeSettle(models.TransientModel):
    _inherit = "commission.make.settle"

    def _get_account_settle_domain(self, agent, date_to_agent):
        # A user settles the invoices of the companies it works in
        # (res.partner.channel_settle_commissions runs this as superuser):
        # the companies come in the context, which only narrows the search.
        domain = super()._get_account_settle_domain(agent, date_to_agent)
        company_ids = self.env.context.get("channel_settle_company_ids")
        if company_ids is not None:
            domain = domain + [("company_id", "in", list(company_ids))]
        return domain
