# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.tests import TransactionCase


class ChannelCase(TransactionCase):
    """A small channel of its own, independent of the demo data.

    Two tiers (Gold 20% and Silver 10% off list price), two distributors on
    them, an end customer for each, and two service products.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.currency = cls.company.currency_id
        Pricelist = cls.env["product.pricelist"]
        cls.book_gold = Pricelist.create(
            {
                "name": "Test Gold",
                "currency_id": cls.currency.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "3_global",
                            "compute_price": "percentage",
                            "percent_price": 20,
                        }
                    )
                ],
            }
        )
        cls.book_silver = Pricelist.create(
            {
                "name": "Test Silver",
                "currency_id": cls.currency.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "3_global",
                            "compute_price": "percentage",
                            "percent_price": 10,
                        }
                    )
                ],
            }
        )
        cls.book_public = Pricelist.create(
            {"name": "Test Public", "currency_id": cls.currency.id}
        )
        Tier = cls.env["channel.distributor.tier"]
        cls.tier_gold = Tier.create(
            {"name": "T Gold", "pricelist_id": cls.book_gold.id}
        )
        cls.tier_silver = Tier.create(
            {"name": "T Silver", "pricelist_id": cls.book_silver.id}
        )
        Partner = cls.env["res.partner"]
        cls.distributor_a = Partner.create(
            {
                "name": "Distributor A",
                "is_company": True,
                "is_distributor": True,
                "distributor_tier_id": cls.tier_gold.id,
            }
        )
        cls.distributor_b = Partner.create(
            {
                "name": "Distributor B",
                "is_company": True,
                "is_distributor": True,
                "distributor_tier_id": cls.tier_silver.id,
                "channel_financial_role": "end_customer",
            }
        )
        cls.customer_a = Partner.create(
            {
                "name": "End Customer A",
                "is_company": True,
                "distributor_id": cls.distributor_a.id,
                "property_product_pricelist": cls.book_public.id,
            }
        )
        cls.customer_a_delivery = Partner.create(
            {
                "name": "A warehouse",
                "type": "delivery",
                "parent_id": cls.customer_a.id,
                "city": "Ghent",
            }
        )
        cls.customer_b = Partner.create(
            {
                "name": "End Customer B",
                "is_company": True,
                "distributor_id": cls.distributor_b.id,
                "property_product_pricelist": cls.book_public.id,
            }
        )
        Product = cls.env["product.product"]
        cls.product_service = Product.create(
            {
                "name": "Test Service",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.product_setup = Product.create(
            {
                "name": "Test Setup",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 250.0,
                "taxes_id": [Command.clear()],
            }
        )

    @classmethod
    def _order_vals(cls, distributor, customer, lines=None, **extra):
        lines = lines or [(cls.product_service, 2)]
        vals = {
            "distributor_id": distributor.id,
            "end_customer_id": customer.id,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": qty})
                for product, qty in lines
            ],
        }
        vals.update(extra)
        return vals

    @classmethod
    def _create_order(cls, distributor, customer, lines=None, **extra):
        return cls.env["sale.order"].create(
            cls._order_vals(distributor, customer, lines, **extra)
        )
