# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    # Defaults for the products of the category (and of its subcategories);
    # a product's own value wins.
    commissioning_required = fields.Boolean(
        string="Requires Commissioning",
        help="Confirming an order for products of this category raises a "
        "commissioning ticket.",
    )
    commissioning_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        help="Helpdesk team of the commissioning tickets of this category's "
        "products that name none.",
    )
    commissioning_category_id = fields.Many2one(
        "helpdesk.ticket.category",
        string="Commissioning Ticket Category",
    )
    commissioning_lead_days = fields.Integer(
        string="Commissioning Lead Time",
        help="Days operations have to set the product up after confirmation.",
    )
