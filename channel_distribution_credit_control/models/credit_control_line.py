# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.exceptions import ValidationError


class CreditControlLine(models.Model):
    _inherit = "credit.control.line"

    @api.constrains("partner_id", "invoice_id", "move_line_id", "communication_id")
    def _check_channel_invoice_partner(self):
        """A reminder of a channel invoice goes to its invoiced party: the
        line's partner is one of its people (eleventh probe, P11-6: a line
        made by hand for an end customer mailed it the distributor's
        invoice, its prices and orders), and so are the partner and the
        address of the communication it is on (twelfth probe, P12-9;
        thirteenth probe, P13-11)."""
        for line in self.sudo():
            line._channel_check_reminded_partner(line.partner_id)
            if line.communication_id:
                for partner in line.communication_id._channel_reminded_partners():
                    line._channel_check_reminded_partner(partner)

    def _channel_check_reminded_partner(self, partner):
        """Refuse ``partner`` as the one reminded of this line when the
        line is about a channel invoice that ``partner`` is not a person of
        the invoiced party of."""
        self.ensure_one()
        for move in self.invoice_id | self.move_line_id.move_id:
            if not move._channel_is_channel_move():
                continue
            if partner.commercial_partner_id != move.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "A reminder of %(invoice)s goes to %(party)s: "
                        "%(partner)s is not one of its people.",
                        invoice=move.display_name,
                        party=move.commercial_partner_id.display_name,
                        partner=partner.display_name,
                    )
                )
