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

    def _prepare_invoice_line_vals(self, sequence):
        """The charge or credit line of this change, for its subscription's
        section."""
        self.ensure_one()
        line = self.contract_line_id
        lang = line.contract_id.partner_id.lang
        name = self.with_context(lang=lang).env._(
            "%(product)s: %(before)s → %(after)s from %(date)s, "
            "prorated for %(start)s - %(end)s",
            product=line.product_id.display_name,
            before=f"{self.quantity_before:g}",
            after=f"{self.quantity_after:g}",
            date=self.date,
            start=self.period_start,
            end=self.period_end,
        )
        return {
            "display_type": "product",
            "product_id": line.product_id.id,
            "name": name,
            "quantity": self.quantity,
            "product_uom_id": line.uom_id.id,
            "price_unit": self.price_unit * self.ratio,
            "discount": self.discount,
            "contract_line_id": line.id,
            "sale_line_ids": [fields.Command.set(line.sale_order_line_id.ids)],
            "analytic_distribution": line.analytic_distribution,
            "sequence": sequence,
        }

    def _channel_corrected_invoice(self):
        """The invoice that billed the period this credit corrects (then
        credited on a credit note of it), or none (a charge, or a period
        no invoice bills: the credit goes on the next invoice)."""
        self.ensure_one()
        Move = self.env["account.move"]
        if self.quantity >= 0:
            return Move
        period = self.contract_line_id._channel_known_period(self.period_start)
        if not period:
            return Move
        return period._channel_live_lines().move_id.sorted("id")[-1:]
