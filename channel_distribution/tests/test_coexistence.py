# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import TransactionCase, new_test_user

from .common import CoexistenceMixin


class TestCoexistence(CoexistenceMixin, TransactionCase):
    """The product's columns on other modules' tables must not break rows
    written without the product's defaults: raw imports, and the tests of
    other modules, which run before the product is loaded in the registry."""

    def test_added_columns_accept_rows_without_the_product(self):
        by_table = self._added_columns_by_table()
        # The check covers the models the product extends.
        for table in (
            "res_partner",
            "sale_order",
            "sale_order_line",
            "product_template",
        ):
            self.assertIn(table, by_table)
        offenders = self._not_null_offenders(by_table)
        self.assertFalse(
            offenders,
            "NOT NULL columns without a database default on tables the "
            "product does not own: a row written without the product's "
            "defaults fails on them",
        )

    def test_raw_partner_user_and_company(self):
        partner = self._raw_insert_partner("Imported Partner")
        self.assertEqual(partner.name, "Imported Partner")
        user = new_test_user(self.env, login="imported_user", partner_id=partner.id)
        self.assertEqual(user.partner_id, partner)
        company = self.env["res.company"].create(
            {
                "name": "Imported Company",
                "partner_id": self._raw_insert_partner("Imported Company").id,
            }
        )
        self.assertEqual(company.partner_id.name, "Imported Company")
