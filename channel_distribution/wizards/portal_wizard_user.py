# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class PortalWizardUser(models.TransientModel):
    _inherit = "portal.wizard.user"

    def action_grant_access(self):
        # Odoo's portal wizard makes the login, then mails its signup link:
        # never for a company partner of the channel (probe 14, P14-7), its
        # contacts get theirs.
        self.partner_id._channel_check_no_login()
        return super().action_grant_access()
