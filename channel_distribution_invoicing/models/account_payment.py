# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models
from odoo.addons.channel_distribution.tools import channel_access_first
from odoo.exceptions import AccessError


class AccountPayment(models.Model):
    _inherit = "account.payment"

    @channel_access_first("write")
    def write(self, vals):
        if "partner_id" in vals and not self.env.su:
            self._channel_check_party_write(vals["partner_id"])
        return super().write(vals)

    def _channel_check_party_write(self, partner_id):
        """Whose money a posted payment is (its partner, which Odoo copies to
        its journal items and the reconciliation of a channel invoice reads)
        is changed by an accounting manager only when it or the new partner
        is a channel party (thirteenth probe, P13-6: an accountant wrote a
        distributor's payment over to another distributor, and paid that
        one's channel invoice with it). A draft payment is Odoo's."""
        if self.env.user.has_group("account.group_account_manager"):
            return
        new = self.env["res.partner"].sudo().browse(partner_id or [])
        for payment in self.sudo():
            old = payment.partner_id
            if payment.move_id.state != "posted" or old == new:
                continue
            if (old | new)._channel_is_party():
                raise AccessError(
                    self.env._(
                        "%(payment)s is a posted payment of %(party)s: only "
                        "an accounting manager makes it a payment of "
                        "%(partner)s, as one of them is a party of the "
                        "distribution channel.",
                        payment=payment.display_name,
                        party=old.display_name or self.env._("no partner"),
                        partner=new.display_name or self.env._("no partner"),
                    )
                )
