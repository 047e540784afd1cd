# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.exceptions import UserError


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.constrains("partner_id", "active")
    def _check_channel_company_login(self):
        """No login of a company partner of the channel (a distributor, an
        end customer managed by one), whoever makes it, administrators too:
        it would read and act for the whole company (probe 14, P14-7). Its
        people log in as its contacts."""
        self.filtered("active").partner_id._channel_check_no_login()

    @api.model
    def signup(self, values, token=None):
        # A token binds the new login to its partner: never to a company
        # partner of the channel (its login would be the distributor's or
        # the end customer's whole company), whoever prepared the token,
        # whatever its logins (a reset of one made before they were refused).
        if token:
            partner = self.env["res.partner"].sudo()._get_partner_from_token(token)
            if partner and partner._channel_signup_companies():
                raise UserError(
                    self.env._(
                        "This invitation is no longer valid: ask the vendor for "
                        "a portal login."
                    )
                )
        return super().signup(values, token=token)

    def action_reset_password(self):
        # the reset (or signup) link mailed to a login of the channel's
        # contacts: given by those who give their logins (probe 15, P15-9);
        # a user's own, and Odoo's *Forgot password* (as superuser), as
        # before
        (self - self.env.user).partner_id._channel_check_portal_access()
        return super().action_reset_password()
