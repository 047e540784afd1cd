# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models
from odoo.tools import float_compare


class ChannelContractQuantity(models.TransientModel):
    """A raise by *Change the Quantity* is the same commitment on credit as
    the portal raise (or an order): past the invoiced party's credit limit
    or on its overdue hold, a credit manager's decision."""

    _inherit = "channel.contract.quantity"

    def action_apply(self):
        self.ensure_one()
        line = self.contract_line_id
        rounding = (line.uom_id or line.product_id.uom_id).rounding or 0.01
        if (
            float_compare(self.quantity, line.quantity, precision_rounding=rounding) > 0
            and not self.env.su
            and not self.env.user.has_group(
                "account_financial_risk.group_account_financial_risk_manager"
            )
        ):
            line._channel_credit_check_raise(self.quantity)
        return super().action_apply()
