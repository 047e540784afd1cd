# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.addons.channel_distribution_portal.controllers.portal import (
    ChannelPortal,
)


class ChannelCreditPortal(ChannelPortal):
    def _render_order_form(self, distributor, form, order=None, error=None):
        # New Order says at once that the distributor is on overdue hold.
        if order is None and not error:
            error = distributor._channel_overdue_hold_message()
        return super()._render_order_form(distributor, form, order=order, error=error)
