# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    # Running services renew at the end of their term unless told otherwise.
    is_auto_renew = fields.Boolean(default=True)
