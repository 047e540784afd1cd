# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    @api.depends("channel_adjustment_ids.channel_commission")
    def _compute_channel_commission(self):
        return super()._compute_channel_commission()

    def _channel_subscription_commission(self):
        """A prorated change's line carries its change's commission,
        computed as its amount is (rounded once), on the line's sign: the
        analysis and the payout's unit read the same figure. A line of a
        credit note copying such a line (finance's credit note of the
        invoice) credits what that line carried."""
        self.ensure_one()
        adjustment = self.channel_adjustment_ids[:1]
        if adjustment:
            same = (self.price_subtotal < 0) == (adjustment.amount < 0)
            return adjustment.channel_commission * (1.0 if same else -1.0)
        origin = self._channel_credited_change_line()
        if origin:
            return origin.channel_commission
        copied = self._channel_copied_change()
        if copied:
            return copied.channel_commission
        return super()._channel_subscription_commission()

    def _channel_copied_change(self):
        """The prorated change whose invoice line this line of an invoice
        copies ("Reverse and Create Invoice" copies the lines of the
        invoice it credits, without their change): the billed change of
        the same subscription line, service dates and amount. Its line
        carries the change's commission, as the line it copies did."""
        self.ensure_one()
        Adjustment = self.env["channel.contract.adjustment"]
        if (
            self.move_id.move_type != "out_invoice"
            or not self.contract_line_id
            or self.channel_period_id
            or self.channel_adjustment_ids
            or not self.start_date
        ):
            return Adjustment
        currency = self.currency_id or self.contract_line_id.contract_id.currency_id
        return (
            Adjustment.sudo()
            .search(
                [
                    ("contract_line_id", "=", self.contract_line_id.id),
                    ("move_line_id", "!=", False),
                    ("service_start", "=", self.start_date),
                    ("service_end", "=", self.end_date),
                ]
            )
            .filtered(
                lambda adjustment: not currency.compare_amounts(
                    adjustment.amount, self.price_subtotal
                )
            )[:1]
        )

    def _channel_credited_change_line(self):
        """The prorated change's line this line of a credit note copies (the
        same subscription line, service dates and amount on the invoice it
        credits), if any."""
        self.ensure_one()
        invoice = self.move_id.reversed_entry_id
        if not invoice or self.move_id.move_type != "out_refund":
            return self.browse()
        currency = self.currency_id or invoice.currency_id
        return invoice.invoice_line_ids.filtered(
            lambda line: line.channel_adjustment_ids
            and line.contract_line_id == self.contract_line_id
            and line.start_date == self.start_date
            and line.end_date == self.end_date
            and not currency.compare_amounts(line.price_subtotal, self.price_subtotal)
        )[:1]

    def _channel_commission_unit_lines(self):
        # a subscription's line may earn its period's or its change's
        lines = super()._channel_commission_unit_lines()
        if self.contract_line_id:
            lines |= self.filtered("contract_line_id")
        return lines

    def _channel_commission_unit_source(self):
        """A subscription's line: its period's commission per unit, or its
        prorated change's commission (billed as one unit, negative for a
        credit)."""
        self.ensure_one()
        if self.move_id.move_type not in ("out_invoice", "out_refund"):
            return 0.0
        if self.contract_line_id and self._channel_commission_distributor_contract():
            adjustment = self.channel_adjustment_ids[:1]
            if adjustment:
                sign = -1.0 if adjustment.amount < 0 else 1.0
                return adjustment.channel_commission * sign
            copied = self._channel_copied_change()
            if copied:
                # its copy on an invoice made again earns what it earned
                sign = -1.0 if copied.amount < 0 else 1.0
                return copied.channel_commission * sign
            period = self.channel_period_id
            if period and period.quantity:
                # per unit billed: a prorated period is billed as one unit
                return period.commission / period._channel_billed_quantity()
            return 0.0
        return super()._channel_commission_unit_source()

    def _channel_commission_price_source(self):
        """A subscription's line: the net price of the unit its period
        bills (its amount over the quantity billed), or its prorated
        change's amount (billed as one unit, or -1 for a credit)."""
        self.ensure_one()
        if self.move_id.move_type not in ("out_invoice", "out_refund"):
            return 0.0
        if self.contract_line_id and self._channel_commission_distributor_contract():
            change = self.channel_adjustment_ids[:1] or self._channel_copied_change()
            if change:
                return abs(change.amount)
            period = self.channel_period_id
            if period and period.quantity:
                return period._channel_amount() / period._channel_billed_quantity()
            return 0.0
        return super()._channel_commission_price_source()

    def _channel_commission_units_cap(self):
        # a subscription's line bills its period (its seats may have grown
        # past the order's): its draft is not edited (the period's), its
        # credit note is capped by what the line it credits earned
        if self.contract_line_id:
            return None
        return super()._channel_commission_units_cap()

    def _channel_commission_distributor_contract(self):
        """The agency subscription's distributor paid a commission."""
        contract = self.contract_line_id.contract_id
        if contract.financial_role == "end_customer" and contract.distributor_id:
            return contract.distributor_id._channel_commission_commercial()
        return self.env["res.partner"]

    def _channel_commission_distributor(self):
        self.ensure_one()
        if self.contract_line_id:
            return self._channel_commission_distributor_contract()
        return super()._channel_commission_distributor()

    def _channel_prepare_credit_copy_vals(self):
        # a credit of a billed line credits the commission it carried
        vals = super()._channel_prepare_credit_copy_vals()
        vals["channel_commission_unit"] = self.channel_commission_unit
        vals["channel_commission_price"] = self.channel_commission_price
        return vals
