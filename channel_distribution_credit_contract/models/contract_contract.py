# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class ContractContract(models.Model):
    """The paid status of a subscription, as ``channel_paid_state`` of an
    order (``channel.paid.status.mixin``): its period sections on posted
    customer invoices, each paid by the credit addon's rule
    (``account.move._channel_section_allocation``)."""

    _name = "contract.contract"
    _inherit = ["contract.contract", "channel.paid.status.mixin"]

    channel_paid_state = fields.Selection(
        help="Whether the periods the subscription billed are paid: its "
        "sections on posted customer invoices, the payments of a "
        "consolidated invoice going to its sections oldest order first.",
    )
    channel_overdue = fields.Boolean(
        help="Part of what the subscription billed is unpaid past its "
        "invoice's due date.",
    )

    @api.model
    def _channel_paid_line_field(self):
        return "channel_contract_id"

    @api.model
    def _channel_paid_section_domain(self, unpaid_only=False, overdue_only=False):
        # a subscription's period is billed in a section of its own
        return super()._channel_paid_section_domain(unpaid_only, overdue_only) + [
            ("display_type", "=", "line_section")
        ]

    def _channel_paid_sections(self):
        sections = (
            self.env["account.move.line"]
            .sudo()
            .search(
                self._channel_paid_section_domain()
                + [("channel_contract_id", "in", self.ids)]
            )
        )
        for move in sections.move_id:
            for section in move._channel_section_allocation():
                contract = section["section"].channel_contract_id
                if contract in self:
                    yield contract, move, section["due"], section["paid"]

    @api.model
    def _channel_paid_overdue_search_error(self):
        return self.env._("Unsupported search on overdue subscriptions.")
