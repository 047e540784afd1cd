# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.addons.channel_distribution.tests.common import CoexistenceMixin
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestHelpdeskCoexistence(CoexistenceMixin, TransactionCase):
    """channel_distribution's coexistence check, once this addon is
    installed: its columns on helpdesk's and product's tables accept rows
    written without its defaults."""

    def test_added_columns_accept_rows_without_the_addon(self):
        self.assertIn("channel_distribution_helpdesk", self._product_modules())
        by_table = self._added_columns_by_table()
        for table in ("product_category", "helpdesk_ticket"):
            self.assertIn(table, by_table)
        self.assertIn("commissioning_state", by_table["sale_order"])
        self.assertFalse(self._not_null_offenders(by_table))
