# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    channel_credit_policy_id = fields.Many2one(
        "credit.control.policy",
        string="Distributors' Credit Control Policy",
        help="The credit control policy of distributors without a policy of "
        "their own (their contact form) and of their invoices without one; "
        "OCA's company policy when empty.",
    )
