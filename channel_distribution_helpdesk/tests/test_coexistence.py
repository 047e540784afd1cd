# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.addons.channel_distribution.tests import test_coexistence
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestHelpdeskCoexistence(TransactionCase):
    """channel_distribution's coexistence check, once this addon is
    installed: its columns on helpdesk's and product's tables accept rows
    written without its defaults."""

    # The base's helpers (its module, not its test class, is imported: the
    # base's tests are not run twice).
    _product_modules = test_coexistence.TestCoexistence.__dict__["_product_modules"]
    _added_columns = test_coexistence.TestCoexistence._added_columns
    _not_null_without_default = (
        test_coexistence.TestCoexistence._not_null_without_default
    )

    def test_added_columns_accept_rows_without_the_addon(self):
        self.assertIn("channel_distribution_helpdesk", self._product_modules())
        by_table = {}
        for table, column in self._added_columns():
            by_table.setdefault(table, []).append(column)
        for table in ("product_category", "helpdesk_ticket"):
            self.assertIn(table, by_table)
        self.assertIn("commissioning_state", by_table["sale_order"])
        offenders = sorted(
            f"{table}.{column}"
            for table, columns in by_table.items()
            for column in self._not_null_without_default(table, columns)
        )
        self.assertFalse(offenders)
