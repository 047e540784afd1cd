# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    commissioning_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Default Commissioning Team",
        help="Team of the commissioning tickets of products that name none.",
    )
    commissioning_user_id = fields.Many2one(
        "res.users",
        string="Commissioning Alerts To",
        help="User who gets the commissioning activities; the team leader "
        "when empty.",
    )
