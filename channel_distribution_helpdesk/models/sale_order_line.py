# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.addons.channel_distribution.tools import channel_access_first
from odoo.tools import float_compare


class SaleOrderLine(models.Model):
    """Commissioning: lines added to a confirmed order (upsell) go to the
    order's open commissioning ticket, or to a new one; quantity changes are
    noted on the tickets."""

    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.filtered(
            lambda line: line.state == "sale"
        ).order_id._commissioning_raise_tickets()
        return lines

    @channel_access_first("write")
    def write(self, vals):
        if "product_uom_qty" not in vals:
            return super().write(vals)
        before = {
            line.id: line.product_uom_qty for line in self if line.state == "sale"
        }
        res = super().write(vals)
        changed = self.filtered(
            lambda line: line.id in before
            and float_compare(
                line.product_uom_qty,
                before[line.id],
                precision_rounding=line.product_uom.rounding or 0.01,
            )
        )
        if changed:
            changed.order_id._commissioning_notify_quantity_changes(changed, before)
        return res
