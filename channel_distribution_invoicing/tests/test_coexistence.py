# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.addons.channel_distribution.tests.common import CoexistenceMixin
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL


@tagged("post_install", "-at_install")
class TestInvoicingCoexistence(CoexistenceMixin, TransactionCase):
    """The invoicing columns on other modules' tables accept rows written
    without the product's defaults (see the base's TestCoexistence); after
    installation, when this addon counts among the product's."""

    def test_invoicing_columns_accept_rows_without_the_product(self):
        by_table = self._added_columns_by_table()
        for table in ("account_move", "account_move_line"):
            self.assertIn(table, by_table)
        self.assertIn("channel_invoicing_period", by_table["res_partner"])
        self.assertFalse(self._not_null_offenders(by_table))

    def test_section_addon_columns_accept_rows_without_it(self):
        """account_invoice_section_sale_order, which a vendor may install
        with this addon (the test database has it): its columns on other
        modules' tables take rows written without it too (sale's at_install
        tests create companies before it is loaded)."""
        section_addon = {"account_invoice_section_sale_order"}
        by_table = {}
        for model in self.env.registry.values():
            if model._abstract or not model._auto:
                continue
            for field in model._fields.values():
                if field.store and field.column_type and field._modules:
                    if set(field._modules) <= section_addon:
                        by_table.setdefault(model._table, []).append(field.name)
        self.assertIn("invoice_section_grouping", by_table["res_company"])
        self.assertFalse(self._not_null_offenders(by_table))

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
