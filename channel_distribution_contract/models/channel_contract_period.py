# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ChannelContractPeriod(models.Model):
    """One billed service period of one subscription line.

    Written before the invoice line that bills it: the unique key on the
    line and the start of the period makes the database refuse a second
    billing of the same period, whatever the number of concurrent runs.
    """

    _name = "channel.contract.period"
    _description = "Billed Subscription Period"
    _order = "date_start desc, id desc"

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
    date_start = fields.Date(string="From", required=True)
    date_end = fields.Date(string="To", required=True)
    quantity = fields.Float(digits="Product Unit of Measure")
    price_unit = fields.Float(digits="Product Price")
    discount = fields.Float(
        string="Discount (%)",
        digits="Discount",
        help="The order's discount, off the price book's price.",
    )
    commission = fields.Float(
        digits="Product Price",
        help="What the distributor earns on this period: the margin between "
        "the list price and what it pays, discount deducted (resale), or "
        "between what the end customer pays and the price book (agency).",
    )
    move_line_ids = fields.One2many(
        "account.move.line",
        "channel_period_id",
        string="Invoice Lines",
    )

    _sql_constraints = [
        (
            "contract_line_period_unique",
            "UNIQUE(contract_line_id, date_start)",
            "This period of the subscription line is billed already.",
        ),
    ]
