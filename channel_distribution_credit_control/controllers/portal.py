# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import http
from odoo.addons.channel_distribution_portal.controllers.portal import (
    ChannelPortal,
)
from odoo.http import request


class ChannelDunningPortal(ChannelPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "channel_overdue_count" in counters:
            distributor = self._channel_distributor()
            values["channel_overdue_count"] = (
                len(distributor._channel_dunning_overdue_invoices())
                if distributor
                else 0
            )
        return values

    @http.route(["/my/channel/overdue"], type="http", auth="user", website=True)
    def channel_overdue(self, **kw):
        """What the distributor owes past due: its invoices, their orders and
        end customers, amounts, due dates and the reminder level reached.
        Only a distributor's portal user, for its own commercial entity."""
        distributor = self._channel_acting_distributor()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "channel_overdue",
                "rows": distributor._channel_overdue_portal_values(),
            }
        )
        return request.render(
            "channel_distribution_credit_control.portal_channel_overdue", values
        )
