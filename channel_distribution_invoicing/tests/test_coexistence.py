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
    _raw_insert_partner = _BASE["_raw_insert_partner"]

    def test_invoicing_columns_are_checked(self):
        added = self._added_columns()
        tables = {table for table, __ in added}
        self.assertIn(("res_partner", "channel_invoicing_period"), added)
        self.assertIn("account_move", tables)
        self.assertIn("account_move_line", tables)

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
