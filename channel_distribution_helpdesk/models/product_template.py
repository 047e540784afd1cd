# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    commissioning_required = fields.Boolean(
        string="Requires Commissioning",
        help="Confirming an order for this product raises a commissioning "
        "ticket for the customer that receives it. Also on when its product "
        "category requires commissioning.",
    )
    commissioning_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        help="Helpdesk team of the commissioning tickets; when empty, the "
        "product category's, then the default of the Sales settings.",
    )
    commissioning_category_id = fields.Many2one(
        "helpdesk.ticket.category",
        string="Commissioning Ticket Category",
        help="When empty, the product category's.",
    )
    commissioning_lead_days = fields.Integer(
        string="Commissioning Lead Time",
        help="Days operations have to set the product up after confirmation; "
        "when zero, the product category's.",
    )

    def _get_commissioning_settings(self, company=None):
        """Effective commissioning settings of the templates.

        The template's own values win, then those of its product category and
        of the category's parents (nearest first), then the company's default
        team. Returns ``{template_id: {"required": bool, "team":
        helpdesk.ticket.team, "category": helpdesk.ticket.category,
        "lead_days": int}}``; no query beyond reading the fields.
        """
        company = company or self.env.company
        Team = self.env["helpdesk.ticket.team"]
        Category = self.env["helpdesk.ticket.category"]
        result = {}
        for template in self:
            settings = {
                "required": template.commissioning_required,
                "team": template.commissioning_team_id,
                "category": template.commissioning_category_id,
                "lead_days": template.commissioning_lead_days,
            }
            categ = template.categ_id
            while categ and not (
                settings["required"]
                and settings["team"]
                and settings["category"]
                and settings["lead_days"]
            ):
                settings["required"] = (
                    settings["required"] or categ.commissioning_required
                )
                settings["team"] = settings["team"] or categ.commissioning_team_id
                settings["category"] = (
                    settings["category"] or categ.commissioning_category_id
                )
                settings["lead_days"] = (
                    settings["lead_days"] or categ.commissioning_lead_days
                )
                categ = categ.parent_id
            settings["team"] = settings["team"] or company.commissioning_team_id or Team
            settings["category"] = settings["category"] or Category
            result[template.id] = settings
        return result
