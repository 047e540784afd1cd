# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.addons.channel_distribution.tests.common import RAW, XSS, ChannelCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestInvoiceAbuse(ChannelCase):
    def test_invoice_escapes_end_customer_and_reference(self):
        """The distributor's consolidated invoice names the end customer and
        the PO reference of each order: escaped."""
        customer = self.env["res.partner"].create(
            {
                "name": XSS.format("name"),
                "is_company": True,
                "distributor_id": self.distributor_b.id,
            }
        )
        resale = self._create_order(
            self.distributor_b,
            customer,
            financial_role="distributor",
            client_order_ref=XSS.format("client_order_ref"),
        )
        resale.action_confirm()
        self.distributor_b.write({"street": "Quay 1", "city": "Ghent"})
        invoice = resale._create_distributor_invoices()[0]
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )
        self.assertNotIn(RAW, html)
        self.assertNotIn("<b onmouseover", html)
        for name in ("name", "client_order_ref"):
            self.assertIn(f"&lt;script&gt;alert(&#34;{name}&#34;)", html, name)
