# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    is_commissioning = fields.Boolean(
        string="Commissioning",
        readonly=True,
        copy=False,
        index=True,
        help="Raised by the confirmation of a sale order to set up what it sold.",
    )
    commissioning_line_ids = fields.Many2many(
        "sale.order.line",
        "helpdesk_ticket_commissioning_line_rel",
        "ticket_id",
        "line_id",
        string="Lines to Commission",
        readonly=True,
        copy=False,
        help="The order lines this ticket sets up.",
    )
    commissioning_distributor_id = fields.Many2one(
        "res.partner",
        string="Distributor",
        readonly=True,
        copy=False,
        index=True,
        help="The distributor (company) of the order: its portal users see "
        "the ticket.",
    )
