# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        # Merging moves the merged partners' documents and contacts to the
        # one kept (in SQL, out of reach of res.partner's write): a move as
        # any other. The channel's partners are a channel user's; a partner
        # with a login merged into another is an administrator's.
        self._channel_check_merge(partner_ids, dst_partner)
        return super()._merge(partner_ids, dst_partner, extra_checks=extra_checks)

    def _channel_check_merge(self, partner_ids, dst_partner):
        Partner = self.env["res.partner"]
        partners = Partner.browse(partner_ids).sudo().exists()
        if len(partners) < 2 or self.env.su:
            return
        if not dst_partner or dst_partner not in partners:
            dst_partner = self._get_ordered_partner(partners.ids)[-1]
        merged = partners.filtered(lambda p: p.id != dst_partner.id)
        Partner._channel_check_moves_logins(merged)
        moves = [(partner, dst_partner.sudo()) for partner in merged]
        if Partner._channel_moves_in_channel(moves):
            Partner._check_channel_user()
