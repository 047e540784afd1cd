# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.tests import tagged

from .common import ChannelCase


class PriceBookLeakCase(ChannelCase):
    """A distributor with a price book of its own (20 % off, no tier), on a
    database where that book is the only pricelist Odoo could fall back on,
    as on a fresh database without demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Pricelist = cls.env["product.pricelist"]
        cls.book_own = cls._create_price_book("Test Own Book", 20)
        # Every other pricelist that is no price book is out of the way.
        Pricelist.search(
            [
                (
                    "id",
                    "not in",
                    (cls.book_own | cls.book_gold | cls.book_silver).ids,
                )
            ]
        ).active = False
        cls.distributor_own = cls.env["res.partner"].create(
            {
                "name": "Distributor Own Book",
                "is_company": True,
                "is_distributor": True,
                "channel_financial_role": "end_customer",
                "property_product_pricelist": cls.book_own.id,
            }
        )

    def _new_customer(self, **vals):
        return self.env["res.partner"].create(
            dict({"name": "New Company Customer", "is_company": True}, **vals)
        )


@tagged("post_install", "-at_install")
class TestPriceBookLeak(PriceBookLeakCase):
    def test_price_book_flag(self):
        self.assertTrue(self.book_own.is_channel_price_book)
        self.assertTrue(self.book_gold.is_channel_price_book)
        self.assertFalse(self.book_public.is_channel_price_book)
        found = self.env["product.pricelist"].search(
            [("is_channel_price_book", "=", True)]
        )
        self.assertIn(self.book_own, found)
        self.assertNotIn(self.book_public, found)

    def test_partner_default(self):
        customer = self._new_customer()
        self.assertNotEqual(customer.property_product_pricelist, self.book_own)
        self.assertFalse(customer.property_product_pricelist.is_channel_price_book)
        # A contact of the customer follows it.
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": customer.id}
        )
        self.assertNotEqual(contact.property_product_pricelist, self.book_own)
        # The distributor keeps its book.
        self.assertEqual(self.distributor_own.property_product_pricelist, self.book_own)

    def test_direct_order(self):
        customer = self._new_customer()
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [Command.create({"product_id": self.product_service.id})],
            }
        )
        self.assertNotEqual(order.pricelist_id, self.book_own)
        self.assertEqual(order.order_line.price_unit, 100.0)
        self.assertEqual(order.amount_untaxed, 100.0)

    def test_agency_order_new_end_customer(self):
        customer = self._new_customer(distributor_id=self.distributor_own.id)
        order = self._create_order(
            self.distributor_own, customer, [(self.product_service, 1)]
        )
        self.assertEqual(order.financial_role, "end_customer")
        self.assertEqual(order.partner_id, customer)
        self.assertNotEqual(order.pricelist_id, self.book_own)
        self.assertEqual(order.amount_untaxed, 100.0)
        self.assertEqual(order.channel_commission, 20.0)

    def test_country_group_path(self):
        # Odoo first looks for a pricelist of the customer's country group.
        belgium = self.env.ref("base.be")
        group = self.env["res.country.group"].create(
            {"name": "T Benelux", "country_ids": [Command.set(belgium.ids)]}
        )
        self.book_own.country_group_ids = group
        customer = self._new_customer(country_id=belgium.id)
        self.assertNotEqual(customer.property_product_pricelist, self.book_own)

    def test_configured_fallback(self):
        # The fallback pricelist of the settings (ir.config_parameter) is the
        # last resort of Odoo; a price book there does not leak either.
        params = self.env["ir.config_parameter"].sudo()
        for key in (
            f"res.partner.property_product_pricelist_{self.company.id}",
            "res.partner.property_product_pricelist",
        ):
            params.set_param(key, self.book_own.id)
        customer = self._new_customer()
        self.assertNotEqual(customer.property_product_pricelist, self.book_own)
        self.assertFalse(customer.property_product_pricelist.is_channel_price_book)

    def test_becomes_price_book_later(self):
        plain = self.env["product.pricelist"].create(
            {"name": "Test Plain", "currency_id": self.currency.id, "sequence": 1}
        )
        customer = self._new_customer()
        self.assertEqual(customer.property_product_pricelist, plain)
        self.assertFalse(plain.is_channel_price_book)
        # Set on a distributor: it is a price book from now on.
        other = self.env["res.partner"].create(
            {"name": "Late Distributor", "is_company": True, "is_distributor": True}
        )
        other.property_product_pricelist = plain
        self.assertTrue(plain.is_channel_price_book)
        self.env.invalidate_all()
        self.assertNotEqual(customer.property_product_pricelist, plain)
        # No longer on any distributor: an ordinary pricelist again. (Odoo
        # keeps a partner's pricelist when the field is emptied: the
        # partner's own pricelist is cleared instead.)
        other.specific_property_product_pricelist = False
        self.assertFalse(plain.is_channel_price_book)
        # Through a tier as well.
        self.tier_silver.pricelist_id = plain
        self.assertTrue(plain.is_channel_price_book)
        self.assertFalse(self.book_silver.is_channel_price_book)
        # A company flagged distributor later, with its pricelist already set.
        self.tier_silver.pricelist_id = self.book_silver
        self.assertFalse(plain.is_channel_price_book)
        late = self._new_customer(property_product_pricelist=plain.id)
        self.assertFalse(plain.is_channel_price_book)
        late.is_distributor = True
        self.assertTrue(plain.is_channel_price_book)
        late.is_distributor = False
        self.assertFalse(plain.is_channel_price_book)

    def test_price_book_of_another_company(self):
        plain = self.env["product.pricelist"].create(
            {"name": "Test Shared", "currency_id": self.currency.id, "sequence": 1}
        )
        company_2 = self.env["res.company"].create({"name": "Book Co 2"})
        other = self.env["res.partner"].create(
            {
                "name": "Co 2 Distributor",
                "is_company": True,
                "is_distributor": True,
                "company_id": False,
            }
        )
        other.with_company(company_2).property_product_pricelist = plain
        self.assertTrue(plain.is_channel_price_book)
        customer = self._new_customer()
        self.assertNotEqual(customer.property_product_pricelist, plain)
        self.assertEqual(other.property_product_pricelist.is_channel_price_book, False)

    def test_warning_on_customer(self):
        customer = self._new_customer()
        customer.property_product_pricelist = self.book_own
        result = customer._onchange_channel_price_book_warning()
        self.assertIn("warning", result)
        self.assertIn(self.book_own.name, result["warning"]["message"])
        # On a distributor, or with an ordinary pricelist: no warning.
        self.assertFalse(self.distributor_own._onchange_channel_price_book_warning())
        customer.property_product_pricelist = False
        self.assertFalse(customer._onchange_channel_price_book_warning())
