# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.osv import expression


class ProductPricelist(models.Model):
    _inherit = "product.pricelist"

    channel_tier_ids = fields.One2many(
        "channel.distributor.tier",
        "pricelist_id",
        string="Distributor Tiers",
    )

    @api.model
    def _get_partner_pricelist_multi_search_domain_hook(self, company_id):
        # A tier's price book is never the fallback pricelist of customers
        # that have none: it would give them a distributor's discount.
        domain = super()._get_partner_pricelist_multi_search_domain_hook(company_id)
        books = (
            self.env["channel.distributor.tier"]
            .sudo()
            .with_context(active_test=False)
            .search([("pricelist_id", "!=", False)])
            .pricelist_id
        )
        if books:
            domain = expression.AND([domain, [("id", "not in", books.ids)]])
        return domain
