# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _channel_invoice_key(self):
        """Invoices and subscriptions with the same key share an invoice
        (see contract.contract._channel_invoice_key)."""
        self.ensure_one()
        return (
            self.company_id.id,
            self.partner_id.id,
            self.currency_id.id,
            self.fiscal_position_id.id,
        )

    def _get_channel_section_contracts(self):
        """The subscriptions billed on this invoice, in printing order."""
        self.ensure_one()
        sections = self.invoice_line_ids.filtered("channel_contract_id").sorted(
            key=lambda line: (line.sequence, line.id)
        )
        return self.env["contract.contract"].browse(
            list(dict.fromkeys(sections.channel_contract_id.ids))
        )

    @api.model
    def _channel_subscription_refs_vals(self, contracts, origin=None, ref=None):
        """The origin and reference of an invoice that lists these
        subscriptions' orders and their PO numbers, as for orders."""
        origins = [part for part in (origin or "").split(", ") if part]
        refs = [part for part in (ref or "").split(", ") if part]
        for contract in contracts:
            origins.append(contract.channel_order_id.name or contract.display_name)
            if contract.client_order_ref and contract.financial_role == "distributor":
                # an agency end customer's invoice shows no distributor's PO
                refs.append(contract.client_order_ref)
        return {
            "invoice_origin": ", ".join(dict.fromkeys(origins)) or False,
            "ref": ", ".join(dict.fromkeys(refs))[:2000] or False,
        }

    def _channel_add_subscription_refs(self, contracts):
        self.ensure_one()
        self.write(
            self._channel_subscription_refs_vals(
                contracts, self.invoice_origin, self.ref
            )
        )

    def _channel_refund_if_negative(self):
        """Draft invoices whose credits (prorated quantity decreases) exceed
        their charges become credit notes of the same lines, their signs
        turned, as Odoo's sales do: never a negative invoice. Returns them."""
        negative = self.filtered(
            lambda m: m.move_type == "out_invoice"
            and m.state == "draft"
            and m.currency_id.compare_amounts(m.amount_total, 0.0) < 0
        )
        if not negative:
            return negative
        negative.action_switch_move_type()
        for move in negative:
            move.message_post(
                body=self.env._(
                    "The credits for lowered subscriptions exceed what is "
                    "billed: this is a credit note."
                )
            )
        return negative
