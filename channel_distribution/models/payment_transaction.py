# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.exceptions import ValidationError


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    @api.constrains("sale_order_ids")
    def _check_channel_sale_orders(self):
        """A channel quotation is paid once the vendor sent it: a draft is
        the vendor's, or the distributor's to edit, and a payment would
        send it (pending) or confirm it (done), bypassing the setting that
        decides whether portal submissions are confirmed."""
        drafts = self.sale_order_ids.filtered(
            lambda order: order.is_channel_order and order.state == "draft"
        )
        if drafts:
            raise ValidationError(
                self.env._(
                    "The quotation %(orders)s must be sent by the vendor before "
                    "it can be paid.",
                    orders=", ".join(drafts.mapped("name")),
                )
            )

    def _log_message_on_linked_documents(self, message):
        # Odoo's payment flows note a transaction on its orders and
        # invoices by the paying partner (a distributor) unless run by the
        # superuser; run by a user (an accountant capturing or voiding a
        # payment), that message is a flow's, which the product lets write
        # as a channel party when run as superuser only (P16-B3)
        return super(PaymentTransaction, self.sudo())._log_message_on_linked_documents(
            message
        )
