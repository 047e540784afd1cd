# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class ContractLine(models.Model):
    """A raise of a subscription on the portal is a new commitment on
    credit, as a portal order: refused past the credit limit (the next
    period of the raise and its charges for the periods billed in advance
    included) or on overdue hold. Lowering is always
    allowed."""

    _inherit = "contract.line"

    def _channel_portal_change_quantity(self, partner, quantity):
        self.ensure_one()
        new = self._channel_check_quantity(quantity)
        rounding = (self.uom_id or self.product_id.uom_id).rounding or 0.01
        raising = float_compare(new, self.quantity, precision_rounding=rounding) > 0
        # (an agency subscription is never raised by its distributor: the
        # subscription addon refuses it)
        if raising and self.sudo().contract_id.financial_role != "end_customer":
            self._channel_credit_check_raise(new)
        return super()._channel_portal_change_quantity(partner, quantity)

    def _channel_raise_amount(self, quantity):
        """What raising the line to ``quantity`` today commits (untaxed, in
        the subscription's currency): its next period at the new quantity,
        and what the change bills on the next invoice for the periods
        already billed in advance: the days left of the current one and
        any period billed ahead (fourteenth probe, P14-4: the prorated
        charge of the current period, uncounted, took the distributor past
        its limit)."""
        self.ensure_one()
        line = self.sudo()
        day = fields.Date.context_today(self)
        start = line.next_period_date_start or day
        price = line._channel_period_price(start)
        next_period = (
            (quantity - line.quantity) * price * (1.0 - (line.discount or 0.0) / 100.0)
        )
        return next_period + line._channel_raise_charges(quantity, day)

    def _channel_raise_charges(self, quantity, day):
        """The charges a raise to ``quantity`` on ``day`` makes for the
        periods billed in advance (``_channel_change_quantity``'s
        adjustments of them, not created): the days left of the current
        period and each period billed ahead, at the price and discount they
        were billed at."""
        self.ensure_one()
        before = self.quantity
        common = {
            "contract_line_id": self.id,
            "date": day,
            "quantity_before": before,
            "quantity_after": quantity,
            "quantity": quantity - before,
        }
        vals_list = []
        start, end, billed = self._channel_current_period(day)
        if billed and start and end and day <= end:
            vals_list.append(
                {
                    **common,
                    "period_start": start,
                    "period_end": end,
                    "ratio": ((end - day).days + 1) / ((end - start).days + 1),
                    **self._channel_prorate_vals(start, end, day, billed),
                }
            )
        for period in self.channel_period_ids.filtered(
            lambda period: period.date_start > day
        ):
            vals_list.append({**common, **self._channel_period_ahead_vals(period)})
        Adjustment = self.env["channel.contract.adjustment"].sudo()
        return sum(Adjustment.new(vals).amount for vals in vals_list)

    def _channel_credit_check_raise(self, quantity):
        """Refuse raising the line to ``quantity`` when its invoiced party
        is on overdue hold, or past its credit limit with the raise's next
        period (OCA's limits, as for a portal order)."""
        self.ensure_one()
        contract = self.sudo().contract_id
        company = contract.company_id
        # the invoiced party (a channel manager's field), not its stored
        # commercial copy
        partner = contract.partner_id.commercial_partner_id.with_company(company).sudo()
        message = partner._channel_overdue_hold_message()
        if message:
            raise UserError(message)
        if (
            company.allow_overrisk_sale_confirmation
            or not partner._channel_credit_has_limit()
        ):
            return
        # as a portal order: the credit is locked, read as committed
        partner._channel_credit_lock()
        self.env.flush_all()
        self.env.invalidate_all()
        amount = contract.currency_id._convert(
            self._channel_raise_amount(quantity),
            partner.risk_currency_id,
            company,
            fields.Date.context_today(self),
            round=False,
        )
        available = partner._channel_credit_available()
        over = partner.risk_exception or (
            available is not None
            and partner.risk_currency_id.compare_amounts(amount, available) > 0
        )
        if over:
            raise UserError(
                self.env._(
                    "Raising %(product)s to %(quantity)s adds %(amount)s a "
                    "period to what %(partner)s owes: it would pass its credit "
                    "limit (credit available: %(available)s). Settle your open "
                    "invoices or contact us to raise it.",
                    product=self.sudo().product_id.display_name,
                    quantity=format(quantity, "g"),
                    amount=partner.risk_currency_id.format(amount),
                    partner=partner.display_name,
                    available=partner.risk_currency_id.format(available or 0.0),
                )
            )
