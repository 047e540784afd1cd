# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class ChannelDistributorTier(models.Model):
    """A level of the distribution channel (Silver, Gold, ...).

    The tier carries the default price book of its distributors: a distributor
    put on a tier is priced with the tier's pricelist unless it has a pricelist
    of its own.
    """

    _name = "channel.distributor.tier"
    _description = "Distributor Tier"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        help="Leave empty to share the tier between companies.",
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Price Book",
        check_company=True,
        help="Default price book of the distributors of this tier.",
    )
    description = fields.Text()
    distributor_ids = fields.One2many(
        "res.partner",
        "distributor_tier_id",
        string="Distributors",
    )
    distributor_count = fields.Integer(compute="_compute_distributor_count")

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A distributor tier with this name already exists.",
        ),
    ]

    @api.depends("distributor_ids")
    def _compute_distributor_count(self):
        data = self.env["res.partner"]._read_group(
            [("distributor_tier_id", "in", self.ids)],
            ["distributor_tier_id"],
            ["__count"],
        )
        counts = {tier.id: count for tier, count in data}
        for tier in self:
            tier.distributor_count = counts.get(tier.id, 0)

    def action_view_distributors(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "channel_distribution.action_channel_distributors"
        )
        action["domain"] = [("distributor_tier_id", "=", self.id)]
        action["context"] = {
            "default_is_distributor": True,
            "default_distributor_tier_id": self.id,
            "default_is_company": True,
        }
        return action
