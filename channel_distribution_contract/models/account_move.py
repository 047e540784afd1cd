# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.addons.channel_distribution.tools import channel_access_first
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    channel_billing_released = fields.Boolean(
        string="Subscriptions Given Back",
        readonly=True,
        copy=False,
        help="Cancelled while it billed subscription periods or prorated "
        "changes: they were given back to their subscriptions and are billed "
        "by the next run.",
    )

    @channel_access_first("write")
    def write(self, vals):
        # Set by the cancellation that gave the periods back; cleared, the
        # invoice could be reset to draft and posted beside the one that
        # billed them again (tenth probe, P10-5: December billed twice).
        if (
            not self.env.su
            and "channel_billing_released" in vals
            and not vals["channel_billing_released"]
            and self.sudo().filtered("channel_billing_released")
        ):
            raise UserError(
                self.env._(
                    "A cancelled invoice whose subscription periods were given "
                    "back stays so: they are billed again by the next run."
                )
            )
        return super().write(vals)

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

    def _channel_credited_in_full(self, contract_line):
        """Whether what this invoice billed of ``contract_line`` is credited
        in full by its credit notes (not cancelled): nothing of it is left
        to credit."""
        self.ensure_one()
        billed = self.invoice_line_ids.filtered(
            lambda line: line.contract_line_id == contract_line
            and line.display_type == "product"
        )
        refunds = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("reversed_entry_id", "=", self.id),
                    ("move_type", "=", "out_refund"),
                    ("state", "!=", "cancel"),
                ]
            )
        )
        credited = refunds.invoice_line_ids.filtered(
            lambda line: line.contract_line_id == contract_line
            and line.display_type == "product"
        )
        net = sum(billed.mapped("price_subtotal")) - sum(
            credited.mapped("price_subtotal")
        )
        return bool(refunds) and self.currency_id.compare_amounts(net, 0.0) <= 0

    def _channel_lines_left_to_reverse(self):
        # a subscription period's line partly credited by posted credit
        # notes of this invoice: its reversal credits what is left of the
        # period's amount (fifteenth probe, P15-10)
        result = super()._channel_lines_left_to_reverse()
        lines = self.invoice_line_ids.filtered(
            lambda line: line.display_type == "product" and line.channel_period_id
        )
        for period in lines.channel_period_id:
            credited = period._channel_posted_credits(self)
            if not credited:
                continue
            billing = lines.filtered(lambda ln, p=period: ln.channel_period_id == p)
            left = sum(billing.mapped("price_subtotal")) - sum(
                credited.mapped("price_subtotal")
            )
            for line in billing.sorted("id"):
                if self.currency_id.compare_amounts(left, line.price_subtotal) >= 0:
                    left -= line.price_subtotal
                    continue
                result[line] = line._channel_prepare_credit_rest(left)
                left = 0.0
        return result

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

    # ------------------------------------------------------------------
    # a cancelled or deleted draft gives its periods and changes back
    # ------------------------------------------------------------------

    @channel_access_first("write")
    def button_cancel(self):
        res = super().button_cancel()
        self.filtered(lambda m: m.state == "cancel")._channel_release_billing()
        return res

    @channel_access_first("unlink")
    def unlink(self):
        self._channel_release_billing()
        return super().unlink()

    @channel_access_first("write")
    def button_draft(self):
        self.filtered(lambda m: m.state == "cancel")._channel_check_restorable()
        return super().button_draft()

    def _channel_release_billing(self):
        """These invoices are cancelled or deleted: the subscription periods
        and prorated changes they billed are to bill again (by the next
        run, at the same amounts: the period keeps its price)."""
        lines = self.sudo().line_ids
        adjustments = lines.channel_adjustment_ids
        periods = lines.channel_period_id
        if not (adjustments or periods):
            return
        lines.move_id.filtered(
            lambda m: m.line_ids.channel_period_id or m.line_ids.channel_adjustment_ids
        ).write({"channel_billing_released": True})
        if adjustments:
            adjustments.write({"move_line_id": False})
        released = periods.filtered(
            lambda p: not p.move_line_ids.filtered(
                lambda aml: aml.move_id not in self and aml.move_id.state != "cancel"
            )
        )
        released._channel_give_back()

    def _channel_check_restorable(self):
        """A cancelled invoice gave its periods and changes back: it cannot
        be reset to draft (they are billed again by the next run)."""
        for move in self:
            if move.channel_billing_released:
                raise UserError(
                    self.env._(
                        "%(move)s billed subscription periods or changes; "
                        "cancelling it gave them back and they are billed "
                        "again by the next run: it cannot be reset to draft.",
                        move=move.display_name,
                    )
                )
