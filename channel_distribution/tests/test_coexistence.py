# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.tests import TransactionCase, new_test_user
from odoo.tools import SQL


class TestCoexistence(TransactionCase):
    """The product's columns on other modules' tables must not break rows
    written without the product's defaults: raw imports, and the tests of
    other modules, which run before the product is loaded in the registry."""

    @classmethod
    def _product_modules(cls):
        """This addon and the installed addons that depend on it."""
        Module = cls.env["ir.module.module"]
        modules = Module.search([("name", "=", "channel_distribution")])
        while True:
            dependents = Module.search(
                [
                    ("state", "=", "installed"),
                    ("dependencies_id.name", "in", modules.mapped("name")),
                ]
            )
            if dependents <= modules:
                return set(modules.mapped("name"))
            modules |= dependents

    def _added_columns(self):
        """(table, column) of the stored fields that the product adds to the
        models it does not own."""
        product = self._product_modules()
        added = []
        for model in self.env.registry.values():
            if model._abstract or not model._auto or model._original_module in product:
                continue
            for field in model._fields.values():
                if (
                    field.store
                    and field.column_type
                    and field._modules
                    and set(field._modules) <= product
                ):
                    added.append((model._table, field.name))
        return added

    def _not_null_without_default(self, table, columns):
        self.env.cr.execute(
            SQL(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema() AND table_name = %s"
                " AND column_name IN %s"
                " AND is_nullable = 'NO' AND column_default IS NULL",
                table,
                tuple(columns),
            )
        )
        return {name for (name,) in self.env.cr.fetchall()}

    def test_added_columns_accept_rows_without_the_product(self):
        added = self._added_columns()
        by_table = {}
        for table, column in added:
            by_table.setdefault(table, []).append(column)
        # The check covers the models the product extends.
        for table in (
            "res_partner",
            "sale_order",
            "sale_order_line",
            "product_template",
        ):
            self.assertIn(table, by_table)
        offenders = sorted(
            f"{table}.{column}"
            for table, columns in by_table.items()
            for column in self._not_null_without_default(table, columns)
        )
        self.assertFalse(
            offenders,
            "NOT NULL columns without a database default on tables the "
            "product does not own: a row written without the product's "
            "defaults fails on them",
        )

    def _raw_insert_partner(self, name):
        """Insert a partner as an import script would: its name, and the
        columns other modules declare NOT NULL copied from the company's
        partner (standard Odoo has such columns, e.g. account's
        autopost_bills); the product's columns are left out."""
        Partner = self.env["res.partner"]
        product = self._product_modules()
        self.env.cr.execute(
            SQL(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = current_schema()"
                " AND table_name = 'res_partner'"
                " AND is_nullable = 'NO' AND column_default IS NULL"
            )
        )
        others = [
            name_
            for (name_,) in self.env.cr.fetchall()
            if name_ not in ("id", "name")
            and name_ in Partner._fields
            and not set(Partner._fields[name_]._modules) <= product
        ]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "INSERT INTO res_partner (name, active%s) "
                "SELECT %s, true%s FROM res_partner WHERE id = %s RETURNING id",
                SQL("").join(SQL(", %s", SQL.identifier(col)) for col in others),
                name,
                SQL("").join(SQL(", %s", SQL.identifier(col)) for col in others),
                self.env.company.partner_id.id,
            )
        )
        partner_id = self.env.cr.fetchone()[0]
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET commercial_partner_id = id WHERE id = %s",
                partner_id,
            )
        )
        return Partner.browse(partner_id)

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
