# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.addons.channel_distribution.tests import test_coexistence
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

# The helpers of the base's coexistence checks, without its tests.
_BASE = test_coexistence.TestCoexistence.__dict__


@tagged("post_install", "-at_install")
class TestInvoicingCoexistence(TransactionCase):
    """The invoicing columns on other modules' tables accept rows written
    without the product's defaults (see the base's TestCoexistence); after
    installation, when this addon counts among the product's."""

    _product_modules = _BASE["_product_modules"]
    _added_columns = _BASE["_added_columns"]
    _not_null_without_default = _BASE["_not_null_without_default"]
    _raw_insert_partner = _BASE["_raw_insert_partner"]

    def test_invoicing_columns_accept_rows_without_the_product(self):
        added = self._added_columns()
        by_table = {}
        for table, column in added:
            by_table.setdefault(table, []).append(column)
        for table in ("account_move", "account_move_line"):
            self.assertIn(table, by_table)
        self.assertIn("channel_invoicing_period", by_table["res_partner"])
        offenders = sorted(
            f"{table}.{column}"
            for table, columns in by_table.items()
            for column in self._not_null_without_default(table, columns)
        )
        self.assertFalse(offenders)

    def test_raw_partner_has_no_schedule(self):
        partner = self._raw_insert_partner("Imported Partner")
        self.assertFalse(partner.channel_invoicing_period)

    def test_empty_invoicing_schedule_is_manual(self):
        distributor = self._raw_insert_partner("Imported Distributor")
        distributor.write({"is_distributor": True, "is_company": True})
        self.assertFalse(distributor.channel_invoicing_period)
        self.assertFalse(distributor.channel_invoicing_next_date)
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET channel_invoicing_next_date = "
                "CURRENT_DATE - 1 WHERE id = %s",
                distributor.id,
            )
        )
        distributor.invalidate_recordset()
        # The scheduled job leaves it alone, as a manual one.
        self.env["res.partner"].search(
            [("is_distributor", "=", True), ("id", "!=", distributor.id)]
        ).channel_invoicing_period = "manual"
        self.assertEqual(self.env["sale.order"]._cron_create_distributor_invoices(), 0)
        self.assertFalse(distributor.channel_invoicing_last_date)
