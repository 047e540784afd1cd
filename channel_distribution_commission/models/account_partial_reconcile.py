# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.addons.channel_distribution_invoicing.models import (
    account_partial_reconcile as invoicing_reconcile,
)
from odoo.exceptions import UserError


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._channel_check_payout_payees(vals_list)
        return super().create(vals_list)

    @api.model
    def _channel_check_payout_payees(self, vals_list):
        """A payout move (holding commission settlements' lines) is settled
        with its agent's entries only: *Register Payment* pays the party
        its form says (sixteenth probe, P16-B4: Bluepeak's commission paid
        to Northwind). An entry of no party (a bank line not yet matched to
        one) by an accounting manager only."""
        manager = self.env.user.has_group("account.group_account_manager")
        for _index, line, other in self._channel_settled_sides(vals_list):
            if line.account_id.account_type not in invoicing_reconcile.RECEIVABLE_TYPES:
                continue
            agents = line.move_id.line_ids.settlement_id.agent_id.commercial_partner_id
            payees = self._channel_payers(other)
            if not agents or payees == agents or (not payees and manager):
                continue
            raise UserError(
                self.env._(
                    "%(move)s pays the commission settlements of %(agents)s: "
                    "it is not settled with %(entry)s of %(payee)s.",
                    move=line.move_id.display_name,
                    agents=", ".join(agents.mapped("display_name")),
                    entry=other.move_id.display_name,
                    payee=", ".join((payees - agents).mapped("display_name"))
                    or self.env._("no partner"),
                )
            )
