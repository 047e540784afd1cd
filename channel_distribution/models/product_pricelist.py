# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL


class ProductPricelist(models.Model):
    _inherit = "product.pricelist"

    channel_tier_ids = fields.One2many(
        "channel.distributor.tier",
        "pricelist_id",
        string="Distributor Tiers",
    )
    is_channel_price_book = fields.Boolean(
        string="Price Book",
        compute="_compute_is_channel_price_book",
        store=True,
        index=True,
        help="The pricelist of a distributor tier or of a distributor (in any "
        "company). A price book is never the pricelist of a customer that has "
        "none of its own.",
    )

    @api.depends("channel_tier_ids")
    def _compute_is_channel_price_book(self):
        books = self._get_channel_price_book_ids()
        for pricelist in self:
            pricelist.is_channel_price_book = pricelist.id in books

    @api.model
    def _get_channel_price_book_ids(self):
        """Ids of the pricelists that serve as price books: those of the
        tiers (archived ones too) and those set on a distributor, in any
        company."""
        tier_books = (
            self.env["channel.distributor.tier"]
            .sudo()
            .with_context(active_test=False)
            .search([("pricelist_id", "!=", False)])
            .pricelist_id
        )
        return set(tier_books.ids) | self._get_channel_distributor_pricelist_ids()

    @api.model
    def _get_channel_distributor_pricelist_ids(self, partners=None):
        """Ids of the pricelists set on distributors (``partners``, else all
        the distributors), in every company: the company-dependent column
        holds one value per company."""
        Partner = self.env["res.partner"]
        Partner.flush_model(["is_distributor", "specific_property_product_pricelist"])
        condition = SQL("p.is_distributor")
        if partners is not None:
            if not partners.ids:
                return set()
            condition = SQL("p.id IN %s", tuple(partners.ids))
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT value.value::int
                  FROM res_partner p,
                       jsonb_each_text(p.specific_property_product_pricelist) value
                 WHERE %s
                   AND p.specific_property_product_pricelist IS NOT NULL
                   AND value.value IS NOT NULL
                """,
                condition,
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _channel_refresh_price_books(self, pricelist_ids):
        """Have the price book flag of ``pricelist_ids`` computed again (after
        a distributor's pricelist or flag changed)."""
        pricelists = self.browse(pricelist_ids).exists()
        if pricelists:
            self.env.add_to_compute(self._fields["is_channel_price_book"], pricelists)

    @api.model
    def _get_partner_pricelist_multi_search_domain_hook(self, company_id):
        # A price book is never the fallback pricelist of customers that have
        # none: it would give them a distributor's discount.
        domain = super()._get_partner_pricelist_multi_search_domain_hook(company_id)
        return expression.AND([domain, [("is_channel_price_book", "=", False)]])

    @api.model
    def _get_partner_pricelist_multi(self, partner_ids):
        result = super()._get_partner_pricelist_multi(partner_ids)
        # The searches above skip price books; the fallback of the settings
        # (ir.config_parameter) does not: take the next one instead.
        leaked = [
            partner_id
            for partner_id, pricelist in result.items()
            if pricelist.sudo().is_channel_price_book
        ]
        if leaked:
            partners = (
                self.env["res.partner"].with_context(active_test=False).browse(leaked)
            )
            fallback = None
            for partner in partners:
                if partner.specific_property_product_pricelist == result[partner.id]:
                    continue  # chosen on the partner itself
                if fallback is None:
                    fallback = self.search(
                        self._get_partner_pricelist_multi_search_domain_hook(
                            self.env.company.id
                        ),
                        limit=1,
                    )
                result[partner.id] = fallback
        return result
