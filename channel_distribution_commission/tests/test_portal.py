# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from freezegun import freeze_time

from odoo.addons.channel_distribution.tests.common import ChannelPortalCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestCommissionPortal(ChannelPortalCase):
    """Distributor A sees its own commission statements, nobody else's; end
    customers and other distributors see none, by page or by RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.distributor_a.channel_commission_paid = True
        with freeze_time("2026-01-10"):
            order = cls._create_order(
                cls.distributor_a, cls.customer_a, financial_role="end_customer"
            )
            order.action_confirm()
            cls.invoice = order._create_invoices()
            cls.invoice.invoice_date = "2026-01-10"
            cls.invoice.action_post()
            cls.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=cls.invoice.ids
            ).create({"payment_date": "2026-01-20"})._create_payments()
        with freeze_time("2026-02-01"):
            cls.bill = cls.env["account.move"].browse(
                cls.distributor_a.channel_settle_commissions("2026-02-01")
            )
        cls.statement = cls.env["commission.settlement"].search(
            [("agent_id", "=", cls.distributor_a.id)]
        )

    def test_distributor_sees_its_statements(self):
        self.assertEqual(self.statement.total, 40.0)
        self.login(self.portal_dist_a)
        page = self.url_open("/my/channel/commissions")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f"/my/channel/commissions/{self.statement.id}", page.text)
        page = self.url_open(f"/my/channel/commissions/{self.statement.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.customer_a.name, page.text)
        self.assertIn(self.invoice.name, page.text)
        self.assertIn(self.bill.name or "", page.text)
        pdf = self.url_open(
            f"/my/channel/commissions/{self.statement.id}?report_type=pdf"
        )
        self.assertEqual(pdf.status_code, 200)

    def test_others_see_nothing(self):
        url = f"/my/channel/commissions/{self.statement.id}"
        for user in (self.portal_dist_b, self.portal_cust_a, self.portal_cust_b):
            self.login(user)
            self.assertEqual(self.url_open(url).status_code, 404, user.login)
            self.assertEqual(
                self.url_open(f"{url}?report_type=pdf").status_code, 404, user.login
            )
            page = self.url_open("/my/channel/commissions")
            self.assertNotIn(url, page.text, user.login)
        self.login(None)
        page = self.url_open(url, allow_redirects=False)
        self.assertIn(page.status_code, (302, 303, 404))

    def test_rpc_reads_nothing(self):
        """Settlements, their lines, agent lines and the invoice's commission
        figures are internal, for the distributor itself too."""
        for user in (self.portal_dist_a, self.portal_dist_b, self.portal_cust_a):
            self.login(user)
            for model, fields in (
                ("commission.settlement", ["total"]),
                ("commission.settlement.line", ["settled_amount"]),
                ("account.invoice.line.agent", ["amount"]),
            ):
                answer = self.call_kw(model, "search_read", [[], fields])
                self.assertIn("error", answer, (user.login, model))
            answer = self.call_kw(
                "account.move", "read", [self.invoice.ids, ["commission_total"]]
            )
            self.assertIn("error", answer, user.login)
