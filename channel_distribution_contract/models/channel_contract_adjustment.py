# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class ChannelContractAdjustment(models.Model):
    """A quantity change of a subscription line in the middle of a period:
    the difference for the rest of that period, billed (a charge) or
    credited (a negative line) in the subscription's section of the next
    consolidated invoice."""

    _name = "channel.contract.adjustment"
    _description = "Prorated Subscription Change"
    _order = "date, id"

    contract_line_id = fields.Many2one(
        "contract.line",
        required=True,
        index=True,
        ondelete="cascade",
    )
    contract_id = fields.Many2one(
        related="contract_line_id.contract_id",
        store=True,
        index=True,
    )
    date = fields.Date(required=True, help="The day the change takes effect.")
    quantity_before = fields.Float(digits="Product Unit of Measure")
    quantity_after = fields.Float(digits="Product Unit of Measure")
    quantity = fields.Float(
        digits="Product Unit of Measure",
        help="Units charged (positive) or credited (negative).",
    )
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    ratio = fields.Float(
        digits=(16, 6),
        help="Share of the period the change applies to.",
    )
    price_unit = fields.Float(
        digits="Product Price",
        help="The period's price of one unit.",
    )
    discount = fields.Float(
        string="Discount (%)",
        digits="Discount",
        help="The subscription line's discount, off the period's price.",
    )
    currency_id = fields.Many2one(related="contract_id.currency_id")
    amount = fields.Monetary(
        compute="_compute_amount",
        store=True,
        help="What the change bills (negative: credits), untaxed: quantity "
        "x price x share of the period x (1 - discount), rounded once to the "
        "cent. The invoice line bills exactly this amount.",
    )
    service_start = fields.Date(
        string="Service From",
        help="The first day the charge or credit covers.",
    )
    service_end = fields.Date(
        string="Service To",
        help="The last day the charge or credit covers.",
    )
    move_line_id = fields.Many2one(
        "account.move.line",
        string="Billed On",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
    )
    state = fields.Selection(
        [("pending", "To bill"), ("billed", "Billed")],
        compute="_compute_state",
        store=True,
    )

    @api.depends("move_line_id")
    def _compute_state(self):
        for adjustment in self:
            adjustment.state = "billed" if adjustment.move_line_id else "pending"

    @api.depends(
        "quantity",
        "price_unit",
        "ratio",
        "discount",
        "currency_id",
        "period_start",
        "period_end",
        "service_start",
        "service_end",
    )
    def _compute_amount(self):
        for adjustment in self:
            line = adjustment.contract_line_id
            price = adjustment.price_unit
            if line:
                # a price that includes VAT: the amount is untaxed
                price = line._channel_untaxed_price(price)
            adjustment.amount = adjustment.currency_id.round(
                adjustment.quantity
                * price
                * adjustment._channel_share()
                * (1.0 - (adjustment.discount or 0.0) / 100.0)
            )

    def _channel_share(self):
        """The share of the period the change covers, exactly: its days of
        service over the days of the period (the stored ratio, rounded to 6
        decimals, could put the amount a cent off). The ratio when the
        service dates are not known."""
        self.ensure_one()
        start, end = self.period_start, self.period_end
        first, last = self.service_start, self.service_end
        if not (start and end and first and last) or end < start:
            return self.ratio
        if last < first:
            return 0.0
        # a co-termed first period is a part of a whole period: its days
        # are counted against the whole period's, as it was billed
        days = self.contract_line_id._channel_period_days(start, end)
        return ((last - first).days + 1) / days

    def _channel_invoice_price_unit(self):
        """The unit price of the change's invoice line, of quantity 1 (a
        charge) or -1 (a credit): its discount deducted, it gives the
        change's amount to the cent (a unit price of the product's precision
        times the quantity changed could not)."""
        self.ensure_one()
        return self.env["contract.line"]._channel_amount_unit_price(
            self.amount,
            self.discount,
            self.currency_id,
            self.contract_line_id._channel_billing_taxes(),
        )

    def _prepare_invoice_line_vals(self, sequence):
        """The charge or credit line of this change, for its subscription's
        section."""
        self.ensure_one()
        line = self.contract_line_id
        lang = line.contract_id.partner_id.lang
        start = self.service_start or self.period_start
        end = self.service_end or self.period_end
        total = line._channel_period_days(self.period_start, self.period_end)
        name = self.with_context(lang=lang).env._(
            "%(product)s: %(before)s → %(after)s from %(date)s, "
            "%(quantity)s x %(price)s for %(days)s of the %(total)s days of "
            "%(start)s - %(end)s",
            product=line.product_id.display_name,
            before=format(self.quantity_before, "g"),
            after=format(self.quantity_after, "g"),
            date=self.date,
            quantity=format(self.quantity, "+g"),
            price=format(self.price_unit, ".2f"),
            days=round(self._channel_share() * total),
            total=total,
            start=self.period_start,
            end=self.period_end,
        )
        return {
            "display_type": "product",
            "product_id": line.product_id.id,
            "name": name,
            "quantity": -1.0 if self.amount < 0 else 1.0,
            "product_uom_id": line.uom_id.id,
            "price_unit": self._channel_invoice_price_unit(),
            "discount": self.discount,
            "start_date": start,
            "end_date": end,
            "contract_line_id": line.id,
            "sale_line_ids": [fields.Command.set(line.sale_order_line_id.ids)],
            "analytic_distribution": line.analytic_distribution,
            "sequence": sequence,
        }

    def _channel_correction(self):
        """``(how, invoice)``: where this change is billed.

        - ``("invoice", none)``: on the subscription's next invoice (a
          charge, or a credit of a period no invoice bills);
        - ``("refund", invoice)``: a credit on a credit note of the posted
          invoice that bills the period it corrects (the live one: after a
          reverse and create, the new invoice);
        - ``("wait", none)``: a credit of a period billed on a draft
          invoice only: it waits until that invoice is posted (a credit
          note corrects a posted invoice; a credit is never netted into a
          sale);
        - ``("credited", none)``: a credit of a period credited in full
          already (a credit note of its invoice): nothing more to credit.
        """
        self.ensure_one()
        Move = self.env["account.move"]
        if self.quantity >= 0:
            return "invoice", Move
        line = self.contract_line_id
        period = line._channel_known_period(self.period_start)
        invoices = period and period._channel_live_lines().move_id
        if not invoices:
            return "invoice", Move
        open_invoices = invoices.filtered(
            lambda move: not move._channel_credited_in_full(line)
        )
        if not open_invoices:
            return "credited", Move
        posted = open_invoices.filtered(lambda move: move.state == "posted")
        if posted:
            return "refund", posted.sorted("id")[-1]
        return "wait", Move

    def _channel_corrected_invoice(self):
        """The posted invoice that billed the period this credit corrects
        (then credited on a credit note of it), or none (see
        ``_channel_correction``)."""
        self.ensure_one()
        how, invoice = self._channel_correction()
        return invoice if how == "refund" else self.env["account.move"]

    def _channel_drop_credited(self):
        """These credits correct periods credited in full already (a credit
        note of their invoice): crediting them would credit the period
        twice. They are removed, noted in the subscription's chatter."""
        for adjustment in self:
            adjustment.contract_id.message_post(
                body=self.env._(
                    "%(product)s: %(before)s → %(after)s from %(date)s not "
                    "credited: the period %(start)s - %(end)s is credited in "
                    "full already.",
                    product=adjustment.contract_line_id.product_id.display_name,
                    before=format(adjustment.quantity_before, "g"),
                    after=format(adjustment.quantity_after, "g"),
                    date=adjustment.date,
                    start=adjustment.period_start,
                    end=adjustment.period_end,
                )
            )
        self.sudo().unlink()
