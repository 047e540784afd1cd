# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class AccountInvoiceLineAgent(models.Model):
    _inherit = "account.invoice.line.agent"

    @api.depends("object_id.quantity", "object_id.channel_commission_unit")
    def _compute_amount(self):
        return super()._compute_amount()

    def _get_channel_commission_amount(self, quantity):
        self.ensure_one()
        line = self.object_id
        return line.currency_id.round(line.channel_commission_unit * quantity)

    def _skip_settlement(self):
        """The channel commission, settled on payment, is paid on invoices
        paid (or in payment); an invoice credited before it was paid is
        never paid out (neither it nor its credit note is settled). A
        credit note is settled as soon as it is posted once the invoice it
        credits was paid out (the clawback), or together with that invoice
        (netted before payout); never on its own payment, which nobody
        makes."""
        self.ensure_one()
        commission = self.commission_id
        if (
            commission.commission_type != "channel"
            or commission.invoice_state != "paid"
        ):
            return super()._skip_settlement()
        move = self.invoice_id
        if move.state != "posted":
            return True
        if move.move_type == "out_refund":
            origins = self._channel_credited_agent_lines()
            return any(
                not origin.settled and origin._skip_settlement() for origin in origins
            )
        return move.payment_state not in ("paid", "in_payment")

    def _channel_credited_agent_lines(self):
        """The agent lines of the same agent on the invoice this credit note
        credits."""
        self.ensure_one()
        origin = self.invoice_id.reversed_entry_id
        return origin.invoice_line_ids.agent_ids.filtered(
            lambda a: a.agent_id == self.agent_id
        )
