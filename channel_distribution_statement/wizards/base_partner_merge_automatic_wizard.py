# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_values(self, src_partners, dst_partner):
        # Odoo writes the kept partner the values it lacks from the merged
        # ones, as the user: the date of the last statement sent is the
        # statement job's (nobody writes it), so the kept distributor takes
        # the latest of the merged ones' here, and Odoo's write leaves it.
        partners = (src_partners | dst_partner).sudo()
        dates = [day for day in partners.mapped("channel_statement_date") if day]
        if dates and not dst_partner.sudo().channel_statement_date:
            dst_partner.sudo().channel_statement_date = max(dates)
        return super()._update_values(src_partners, dst_partner)
