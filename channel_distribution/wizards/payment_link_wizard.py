# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.exceptions import ValidationError


class PaymentLinkWizard(models.TransientModel):
    _inherit = "payment.link.wizard"

    @api.constrains("res_model", "res_id", "partner_id", "currency_id")
    def _check_channel_document(self):
        """A payment link of a channel order or invoice is made by a user
        who reads the document (its company's), for its invoiced party in
        its currency: its token is the invoiced party's (eleventh probe,
        P11-3: any salesman minted one for any partner and amount)."""
        for wizard in self:
            if wizard.res_model not in self.env:
                continue
            document = self.env[wizard.res_model].browse(wizard.res_id).exists()
            if not document or not hasattr(document, "_channel_payment_link_party"):
                continue
            party = document.sudo()._channel_payment_link_party()
            if party is None:
                continue
            document.check_access("read")
            currency = document.sudo().currency_id
            if wizard.partner_id != party or wizard.currency_id != currency:
                raise ValidationError(
                    self.env._(
                        "A payment link of %(document)s is for %(party)s in "
                        "%(currency)s only.",
                        document=document.sudo().display_name,
                        party=party.display_name,
                        currency=currency.name,
                    )
                )
