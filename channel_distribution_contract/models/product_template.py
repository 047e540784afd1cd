# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.addons.channel_distribution.tools import channel_access_first
from odoo.exceptions import UserError

from .contract_line import RECURRENCE_LENGTH


class ProductTemplate(models.Model):
    _inherit = "product.template"

    # Running services renew at the end of their term unless told otherwise.
    is_auto_renew = fields.Boolean(default=True)

    @channel_access_first("write")
    def write(self, vals):
        if "recurring_rule_type" in vals or "recurring_interval" in vals:
            self._channel_check_recurrence_change(vals)
        return super().write(vals)

    def _channel_check_recurrence_change(self, vals):
        """A recurring product's price is the price of its period: the
        period does not change under running channel subscriptions (their
        lines keep theirs and would be billed at the price of the new
        one)."""
        today = fields.Date.context_today(self)
        Line = self.env["contract.line"].sudo()
        for template in self.filtered("is_contract"):
            rule = vals.get("recurring_rule_type", template.recurring_rule_type)
            interval = vals.get("recurring_interval", template.recurring_interval)
            new = RECURRENCE_LENGTH.get(rule)
            new = new and (new[0], new[1] * (interval or 1))
            own = RECURRENCE_LENGTH.get(template.recurring_rule_type)
            own = own and (own[0], own[1] * (template.recurring_interval or 1))
            if new == own:
                continue
            running = Line.search_count(
                [
                    ("product_id.product_tmpl_id", "=", template.id),
                    ("channel_distributor_id", "!=", False),
                    ("display_type", "=", False),
                    ("is_canceled", "=", False),
                    "|",
                    ("date_end", "=", False),
                    ("date_end", ">=", today),
                ],
                limit=1,
            )
            if running:
                raise UserError(
                    self.env._(
                        "%(product)s has running subscriptions sold through "
                        "distributors: its price is the price of its period, "
                        "which cannot change under them. Make a new product "
                        "for the new period.",
                        product=template.display_name,
                    )
                )
