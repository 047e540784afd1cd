# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.addons.channel_distribution_portal.controllers.portal import (
    ChannelPortal,
)
from odoo.http import content_disposition, request


class ChannelStatementPortal(ChannelPortal):
    def _channel_statement_distributor(self):
        """The distributor whose statement the user may see: its own
        commercial entity, for a distributor's portal user; a 404 for anyone
        else (end customers, internal users, visitors). No id is taken."""
        distributor = self._channel_distributor()
        if not distributor:
            raise NotFound()
        return distributor

    @http.route(["/my/channel/statement"], type="http", auth="public", website=True)
    def channel_statement(self, **kw):
        distributor = self._channel_statement_distributor()
        values = self._prepare_portal_layout_values()
        values.update(distributor._channel_statement_values(request.env.company))
        values["page_name"] = "channel_statement"
        return request.render(
            "channel_distribution_statement.portal_channel_statement", values
        )

    @http.route(["/my/channel/statement/pdf"], type="http", auth="public", website=True)
    def channel_statement_pdf(self, **kw):
        distributor = self._channel_statement_distributor()
        pdf, filename = distributor._channel_statement_pdf(request.env.company)
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
