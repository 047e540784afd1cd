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

    def _channel_portal_closing_stages(self):
        """The stages this ticket may be closed to from its portal page, by
        the user of its environment (call it as that user, not as
        superuser): the closing stages of its team offered on the portal.
        None unless the user may write the ticket, or it is the user's own
        ticket (its contact is of the user's company) and not a
        commissioning ticket: commissioning trusts the stage of those, so
        only the vendor closes them."""
        self.ensure_one()
        Stage = self.env["helpdesk.ticket.stage"]
        if not self.has_access("write") and not self._channel_portal_is_own():
            return Stage
        return (
            self.sudo()
            .team_id._get_applicable_stages()
            .filtered(lambda stage: stage.closed and stage.close_from_portal)
            .with_env(self.env)
        )

    def _channel_portal_is_own(self):
        """Whether the user of the environment reads this ticket as its
        contact (helpdesk's own portal case) and it is no commissioning
        ticket."""
        self.ensure_one()
        if self.sudo().is_commissioning or not self.has_access("read"):
            return False
        commercial = self.env.user.partner_id.commercial_partner_id
        return self.sudo().partner_id.commercial_partner_id == commercial
