# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class ChannelContractQuantity(models.TransientModel):
    _name = "channel.contract.quantity"
    _description = "Change a Subscription's Quantity"

    contract_line_id = fields.Many2one(
        "contract.line",
        required=True,
        ondelete="cascade",
    )
    current_quantity = fields.Float(
        related="contract_line_id.quantity",
        digits="Product Unit of Measure",
    )
    quantity = fields.Float(
        string="New Quantity",
        required=True,
        digits="Product Unit of Measure",
    )
    date = fields.Date(
        string="From",
        required=True,
        default=fields.Date.context_today,
        help="The difference for the rest of the period is prorated onto the "
        "next invoice.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        line = self.env["contract.line"].browse(values.get("contract_line_id"))
        if line and "quantity" in fields_list:
            values["quantity"] = line.quantity
        return values

    def action_apply(self):
        self.ensure_one()
        self.contract_line_id._channel_change_quantity(self.quantity, self.date)
        return {"type": "ir.actions.act_window_close"}
