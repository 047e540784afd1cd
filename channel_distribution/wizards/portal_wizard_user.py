# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class PortalWizardUser(models.TransientModel):
    _inherit = "portal.wizard.user"

    def action_grant_access(self):
        # Odoo's portal wizard makes the login, then mails its signup link:
        # never for a company partner of the channel (probe 14, P14-7), its
        # contacts get theirs, from those who give the channel's logins
        # (probe 15, P15-9); both before Odoo makes the login as superuser
        self.partner_id._channel_check_no_login()
        self.partner_id._channel_check_portal_access()
        return super().action_grant_access()

    def action_invite_again(self):
        # a new signup link, mailed as superuser to the partner's address
        self.partner_id._channel_check_portal_access()
        return super().action_invite_again()
