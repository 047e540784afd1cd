# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Odoo's payment page over channel invoices: who is handed an invoice's
access token."""

from odoo.addons.account_payment.controllers.payment import PaymentPortal
from odoo.exceptions import AccessError, MissingError
from odoo.http import request


class ChannelInvoicePaymentPortal(PaymentPortal):
    def _get_extra_payment_form_values(
        self, invoice_id=None, access_token=None, **kwargs
    ):
        """A payment link's token proves a partner and an amount, not the
        right to an invoice, yet Odoo's payment page (``/payment/pay``)
        hands its holder the invoice's own access token (eleventh probe,
        P11-3: a link minted for the distributor opened its consolidated
        invoice). On a channel invoice the page serves only a visitor who
        reads it (the invoiced party's users, the vendor's), or who came
        with its token."""
        move_id = self._cast_as_int(invoice_id)
        move_sudo = request.env["account.move"].sudo().browse(move_id).exists()
        if move_id and move_sudo and move_sudo._channel_is_channel_move():
            try:
                self._document_check_access("account.move", move_id, access_token)
            except (AccessError, MissingError) as error:
                raise AccessError(
                    request.env._(
                        "This invoice is paid from its own page: log in or "
                        "open the link the vendor sent."
                    )
                ) from error
        return super()._get_extra_payment_form_values(
            invoice_id=invoice_id, access_token=access_token, **kwargs
        )
