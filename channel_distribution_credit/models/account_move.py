# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models

from .sale_order import RISK_MANAGER


class AccountMove(models.Model):
    _inherit = "account.move"

    def _first_invoice_exception_msg(self):
        # OCA's risk bypass (its wizard's Continue) posts an invoice of a
        # channel partner past its credit for a credit manager or the
        # superuser only: sent over RPC by anyone else, the key is dropped
        # and OCA's check runs (as on channel orders).
        if (
            self.env.context.get("bypass_risk")
            and not self._channel_credit_may_bypass()
            and any(move._channel_credit_is_channel_move() for move in self)
        ):
            return super(
                AccountMove, self.with_context(bypass_risk=False)
            )._first_invoice_exception_msg()
        return super()._first_invoice_exception_msg()

    def _channel_credit_may_bypass(self):
        """Whether the current user posts past a credit limit."""
        return self.env.su or self.env.user.has_group(RISK_MANAGER)

    def _channel_credit_is_channel_move(self):
        """Whether this invoice is the channel's: a distributor's invoice,
        or one of a partner of the channel (a distributor, a managed end
        customer)."""
        self.ensure_one()
        move = self.sudo()
        partner = move.commercial_partner_id
        return bool(
            move.channel_distributor_id
            or partner.is_distributor
            or partner.distributor_id
        )

    def _channel_section_payments(self):
        """How much of each order section of this posted customer invoice is
        paid: ``[(order, due, paid)]``, in the invoice's currency (the rule:
        ``_channel_section_allocation``)."""
        return [
            (section["order"], section["due"], section["paid"])
            for section in self._channel_section_allocation()
        ]

    def _channel_section_allocation(self):
        """How much of each order section of this posted customer invoice is
        paid: a list of dicts ``section`` (its section line), ``order``,
        ``due`` and ``paid``, in the invoice's currency.

        The rule: a section is due the taxed total of its lines
        (``price_total``, down payment deductions included); what the
        invoice has been paid (total minus residual: payments and credit
        notes reconciled with it) goes to its sections oldest order first
        (order date, then the section's place on the invoice), each up to
        what it is due, then to the lines outside any order section. An
        invoice paid in full pays every section (the rounding of taxes on
        the whole invoice never leaves a section a cent short). A section of
        a subscription period is its order's (its originating order).
        """
        self.ensure_one()
        if self.state != "posted" or self.move_type != "out_invoice":
            return []
        sections = self._get_channel_sections()
        currency = self.currency_id
        dues = [
            (
                section,
                currency.round(sum(section["lines"].mapped("price_total"))),
                index,
            )
            for index, section in enumerate(sections)
        ]
        dues.sort(key=lambda due: (due[0]["order"].date_order, due[2]))
        fully_paid = currency.is_zero(self.amount_residual)
        left = self.amount_total - self.amount_residual
        result = []
        for section, due, __ in dues:
            paid = due if fully_paid else max(min(due, left), 0.0)
            left -= paid
            result.append(
                {
                    "section": section["section"],
                    "order": section["order"],
                    "due": due,
                    "paid": paid,
                }
            )
        return result
