# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    channel_portal_confirm = fields.Boolean(
        string="Confirm Distributor Orders",
        help="Orders that distributors submit on the portal are confirmed at "
        "once instead of waiting as quotations for the vendor.",
    )
    channel_portal_user_id = fields.Many2one(
        "res.users",
        string="Default Channel Salesperson",
        domain=[("share", "=", False)],
        help="Salesperson of the orders distributors submit on the portal "
        "when the distributor has none; the default sales team's leader when "
        "empty.",
    )
