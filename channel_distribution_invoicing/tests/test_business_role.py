# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.addons.channel_distribution.tests.common import ChannelCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestBusinessRoleInvoicing(ChannelCase):
    """Invoicing of the four combinations of financial and business
    counterparty (the orders of the base's TestBusinessRole)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.orders = cls._create_combination_orders()

    def test_invoices(self):
        self.distributor_a.city = "Antwerp"  # an invoice address
        resale = self.orders["resale"] | self.orders["white_label"]
        invoices, __ = resale._create_distributor_invoices()
        self.assertEqual(len(invoices), 1)
        self.assertEqual(invoices.partner_id, self.distributor_a)
        self.assertAlmostEqual(invoices.amount_untaxed, 320.0)
        self.assertEqual(invoices.invoice_line_ids.end_customer_id, self.customer_a)
        for name in ("agency", "agency_msp"):
            with self.subTest(combination=name):
                invoice = self.orders[name]._create_invoices()
                self.assertEqual(invoice.partner_id, self.customer_a)
                self.assertAlmostEqual(invoice.amount_untaxed, 200.0)
