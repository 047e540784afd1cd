# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    channel_statement_monthly = fields.Boolean(
        string="Monthly Statement With the Invoice",
        help="The first consolidated invoice e-mailed to a distributor in a "
        "month carries its statement of account (OCA's outstanding "
        "statement, with aging) as a second PDF.",
    )
