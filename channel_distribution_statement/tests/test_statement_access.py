# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
from urllib.parse import quote

from odoo import fields
from odoo.addons.channel_distribution.tests.common import parse
from odoo.tests import tagged

from .common import StatementCase

ROLES = (
    "dist_a",
    "dist_b",
    "cust_a",
    "cust_b",
    "public",
    "salesman",
    "accountant",
)

# Who reads distributor A's statement (its consolidated invoice's number)
# by each path: only A's own portal users on the portal, only invoicing
# users through Odoo's report routes (OCA's statement reads the journal
# items without record rules, for any partner id it is given).
STATEMENT_ACCESS = """
/my/channel/statement               Y - - - - - -
/my/channel/statement/pdf           Y - - - - - -
report_html                         - - - - - - Y
report_pdf                          - - - - - - Y
report_xlsx                         - - - - - - Y
"""
# Who gets the portal page at all (200): a distributor's portal users.
STATEMENT_PAGE = """
/my/channel/statement               Y Y - - - - -
/my/channel/statement/pdf           Y Y - - - - -
"""


@tagged("post_install", "-at_install")
class TestStatementAccess(StatementCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.role_users = {
            "dist_a": cls.portal_dist_a,
            "dist_b": cls.portal_dist_b,
            "cust_a": cls.portal_cust_a,
            "cust_b": cls.portal_cust_b,
            "public": None,
            "salesman": cls.salesman,
            "accountant": cls.accountant,
        }

    def _url(self, path):
        if path.startswith("/my/"):
            return path
        options = {
            "company_id": self.company.id,
            "partner_ids": self.distributor_a.ids,
            "date_end": fields.Date.to_string(fields.Date.today()),
            "account_type": "asset_receivable",
            "aging_type": "days",
            "show_aging_buckets": True,
            "show_only_overdue": False,
            "filter_non_due_partners": False,
            "filter_negative_balances": False,
            "excluded_accounts_ids": [],
            "is_outstanding": True,
        }
        report = {
            "report_html": "html/partner_statement.outstanding_statement",
            "report_pdf": "pdf/partner_statement.outstanding_statement",
            "report_xlsx": "xlsx/p_s.report_outstanding_statement_xlsx",
        }[path]
        return (
            f"/report/{report}/{self.distributor_a.id}"
            f"?options={quote(json.dumps(options))}"
        )

    def _served(self, response):
        """Whether A's statement came back: its invoice's number in the
        page, the PDF (rendered as HTML under test) or the XLSX file."""
        if response.status_code != 200:
            return False
        if response.content.startswith(b"PK"):  # an XLSX workbook (zip)
            return True
        return self.invoice.name in response.content.decode("utf-8", "replace")

    def test_statement_access_table(self):
        cells = parse(STATEMENT_ACCESS, 1, ROLES)
        for role in ROLES:
            self.login(self.role_users[role])
            for (path, cell_role), expected in cells.items():
                if cell_role != role:
                    continue
                with self.subTest(role=role, path=path):
                    response = self.url_open(self._url(path), allow_redirects=False)
                    self.assertEqual(self._served(response), expected)

    def test_statement_page_status(self):
        cells = parse(STATEMENT_PAGE, 1, ROLES)
        for role in ROLES:
            self.login(self.role_users[role])
            for (path, cell_role), expected in cells.items():
                if cell_role != role:
                    continue
                with self.subTest(role=role, path=path):
                    response = self.url_open(path, allow_redirects=False)
                    self.assertEqual(response.status_code, 200 if expected else 404)
