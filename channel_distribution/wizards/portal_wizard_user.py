# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class PortalWizardUser(models.TransientModel):
    _inherit = "portal.wizard.user"

    def action_grant_access(self):
        # Odoo makes the login as superuser: a company partner of the
        # channel gets none, its contacts do (fourteenth probe, P14-7)
        self.partner_id._channel_check_login_partner()
        return super().action_grant_access()
