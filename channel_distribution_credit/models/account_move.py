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
        (``price_total``, down payment deductions included). A credit note
        reconciled with the invoice settles first the sections whose lines
        it credits (``_channel_credited_sections``), each up to what it is
        due; the rest of what the invoice has been paid (total minus
        residual: payments, and credit notes crediting no line of it) goes
        to its sections oldest order first (order date, then the section's
        place on the invoice), each up to what is left of its due, then to
        the lines outside any order section. An invoice paid in full pays
        every section (the rounding of taxes on the whole invoice never
        leaves a section a cent short). A section of a subscription period
        is its order's (its originating order).
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
        credited = {}
        for index, amount in self._channel_credited_sections(sections).items():
            due = next(due for __, due, i in dues if i == index)
            credited[index] = currency.round(max(min(due, amount), 0.0))
            left -= credited[index]
        result = []
        for section, due, index in dues:
            settled = credited.get(index, 0.0)
            paid = settled + max(min(due - settled, left), 0.0)
            if fully_paid:
                paid = due
            left -= paid - settled
            result.append(
                {
                    "section": section["section"],
                    "order": section["order"],
                    "due": due,
                    "paid": paid,
                }
            )
        return result

    def _channel_credited_sections(self, sections):
        """What the credit notes reconciled with this invoice credit of its
        order sections (``sections``: ``_get_channel_sections``): ``{index
        of the section: amount}``, in the invoice's currency. A credit note
        line credits the section of this invoice's line that bills the same
        order lines (of the same service dates, when several do); the part
        of a credit note reconciled with this invoice is shared among its
        lines by their taxed totals. A credit note line crediting no line of
        this invoice credits no section (its amount is paid oldest first)."""
        self.ensure_one()
        line_section = {}
        for index, section in enumerate(sections):
            for line in section["lines"]:
                line_section[line] = index
        credited = {}
        partials = self._get_reconciled_invoices_partials()[0]
        for __, amount, counterpart in partials:
            credit = counterpart.move_id
            if credit.move_type != "out_refund" or credit.currency_id.is_zero(
                credit.amount_total
            ):
                continue
            share = amount / credit.amount_total
            for line in credit.invoice_line_ids.filtered(
                lambda x: x.display_type == "product"
            ):
                index = self._channel_credited_section(line, line_section)
                if index is not None:
                    credited[index] = credited.get(index, 0.0) + (
                        line.price_total * share
                    )
        return credited

    def _channel_credited_section(self, credit_line, line_section):
        """The index of the section of this invoice that ``credit_line``
        (a line of a credit note) credits, or None: the section of the line
        billing the same order lines, the one whose service dates hold the
        credited ones when several do."""
        candidates = [
            line
            for line in line_section
            if line.sale_line_ids & credit_line.sale_line_ids
        ]
        if len(candidates) > 1 and "start_date" in credit_line._fields:
            start = credit_line.start_date
            within = [
                line
                for line in candidates
                if start
                and line.start_date
                and line.end_date
                and line.start_date <= start <= line.end_date
            ]
            candidates = within or candidates
        return line_section[candidates[0]] if candidates else None
