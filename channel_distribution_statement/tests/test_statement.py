# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import tagged

from .common import StatementCase


@tagged("post_install", "-at_install")
class TestStatement(StatementCase):
    def test_statement_values_from_oca(self):
        """OCA's outstanding statement of the distributor: the invoice's
        open 310 in 31-60 days, the credit note's -30 and the unmatched
        payment's -20 (current or 1-30 days, by their due dates), 260
        due."""
        values = self.distributor_a._channel_statement_values(self.company)
        self.assertEqual(values["partner"], self.distributor_a)
        currency = values["statement"]["currencies"][self.currency.id]
        lines = {line["move_id"]: line["open_amount"] for line in currency["lines"]}
        self.assertAlmostEqual(lines[self.invoice.name], 310.0)
        self.assertAlmostEqual(lines[self.refund.name], -30.0)
        self.assertAlmostEqual(lines[self.unmatched.move_id.name], -20.0)
        self.assertEqual(len(lines), 3)
        self.assertAlmostEqual(currency["amount_due"], 260.0)
        buckets = currency["buckets"]
        self.assertAlmostEqual(buckets["b_30_60"], 310.0)
        self.assertAlmostEqual(buckets["current"] + buckets["b_1_30"], -50.0)
        self.assertAlmostEqual(buckets["balance"], 260.0)
        # a contact of the distributor gets its company's statement
        contact = self.portal_dist_a.partner_id
        self.assertEqual(
            contact._channel_statement_values(self.company)["partner"],
            self.distributor_a,
        )

    def test_portal_page_and_pdf(self):
        self.login(self.portal_dist_a)
        response = self.url_open("/my/channel/statement")
        self.assertEqual(response.status_code, 200)
        for text in (
            self.invoice.name,
            self.refund.name,
            self.unmatched.move_id.name,
            "Ending Balance",
            "31 - 60 Days",
            "260.00",
            "310.00",
            "/my/channel/statement/pdf",
        ):
            self.assertIn(text, response.text)
        response = self.url_open("/my/channel/statement/pdf")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        # under test Odoo renders the PDF as its HTML
        self.assertIn(self.invoice.name, response.text)
        self.assertIn("Statement of Account", response.text)

    def test_nothing_open(self):
        self.login(self.portal_dist_b)
        response = self.url_open("/my/channel/statement")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_channel_statement_empty", response.text)

    def test_accountant_still_prints_statements(self):
        wizard = (
            self.env["outstanding.statement.wizard"]
            .with_user(self.accountant)
            .with_context(active_ids=self.distributor_a.ids)
            .create({})
        )
        html = (
            self.env["ir.actions.report"]
            .with_user(self.accountant)
            ._render_qweb_html(
                "partner_statement.outstanding_statement",
                self.distributor_a.ids,
                data=wizard._prepare_statement(),
            )[0]
            .decode()
        )
        self.assertIn(self.invoice.name, html)
