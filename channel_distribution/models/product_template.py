# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    channel_available = fields.Boolean(
        string="Sold Through Distributors",
        help="Distributors can order this product on the portal.",
    )
