# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        """A payment that reaches the amount confirming a channel quotation
        confirms it unless a hold stops it (``sale.order._channel_payment_hold``:
        the overdue hold with *Block*, a credit hold, or what is left unpaid
        past the credit available). A stopped order stays a quotation and
        the transaction's post-processing goes on: its payment is registered
        all the same, nothing raises in the provider's notification or the
        post-processing cron."""
        stopped = self.browse()
        for tx in self:
            # Odoo confirms by payment the one quotation of a transaction
            if len(tx.sale_order_ids) != 1:
                continue
            quotation = tx.sale_order_ids.filtered(
                lambda order: order.state in ("draft", "sent")
            )
            if (
                quotation
                and quotation._is_confirmation_amount_reached()
                and quotation._channel_payment_hold(tx)
            ):
                stopped |= tx
        return super(
            PaymentTransaction, self - stopped
        )._check_amount_and_confirm_order()
