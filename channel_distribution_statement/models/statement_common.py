# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.exceptions import AccessError

STATEMENT_GROUP = "account.group_account_invoice"


class StatementCommon(models.AbstractModel):
    """OCA's statements read the journal items in SQL, without record rules,
    for any partner ids and options the caller gives: through Odoo's
    ``/report/<converter>/<report>/<ids>?options=...`` routes any logged-in
    user (a portal user of any distributor or end customer) could read any
    partner's statement. Only the users OCA gives the statement wizards to
    (invoicing) render them; the distributor's portal renders its own as
    superuser, after checking who asks."""

    _inherit = "statement.common"

    @api.model
    def _get_report_values(self, docids, data=None):
        if not self.env.su and not self.env.user.has_group(STATEMENT_GROUP):
            raise AccessError(
                self.env._("Only invoicing users print partners' statements.")
            )
        return super()._get_report_values(docids, data=data)
