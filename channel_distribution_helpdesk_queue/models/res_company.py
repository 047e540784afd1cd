# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    commissioning_tickets_background = fields.Boolean(
        string="Raise Commissioning Tickets in the Background",
        help="Confirming orders raises their commissioning tickets, followers "
        "and alerts in a queue job, right after the confirmation is saved, "
        "instead of during the confirmation: a mass confirmation returns "
        "sooner and the tickets appear seconds later.",
    )
