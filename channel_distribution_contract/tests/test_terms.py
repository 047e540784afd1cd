# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import SubscriptionCase


@tagged("post_install", "-at_install")
class TestBillingTerms(SubscriptionCase):
    """Payment terms and fiscal position of a subscription's invoice are
    the distributor's at billing, as its price book is (issue 25)."""

    def test_terms_follow_the_distributor_at_billing(self):
        Tax = self.env["account.tax"]
        tax_21 = Tax.create(
            {"name": "T Sale 21", "amount": 21.0, "type_tax_use": "sale"}
        )
        tax_0 = Tax.create({"name": "T Sale 0", "amount": 0.0, "type_tax_use": "sale"})
        self.product_monthly.taxes_id = tax_21
        export = self.env["account.fiscal.position"].create(
            {
                "name": "T Export",
                "tax_ids": [
                    Command.create({"tax_src_id": tax_21.id, "tax_dest_id": tax_0.id})
                ],
            }
        )
        term_30 = self.env.ref("account.account_payment_term_30days")
        term_15 = self.env.ref("account.account_payment_term_15days")
        self.distributor_a.property_payment_term_id = term_30
        with freeze_time("2027-04-01"):
            contract = self._start_subscription(
                self.distributor_a, self.customer_a, start=date(2027, 4, 1)
            )
            april = self._bill(self.distributor_a, date(2027, 4, 1))
        # 3 x 80 = 240, 21 % VAT, 30 days
        self.assertEqual(april.invoice_payment_term_id, term_30)
        self.assertFalse(april.fiscal_position_id)
        self.assertEqual((april.amount_untaxed, april.amount_tax), (240.0, 50.4))
        with freeze_time("2027-04-20"):
            self.distributor_a.write(
                {
                    "property_payment_term_id": term_15.id,
                    "property_account_position_id": export.id,
                }
            )
        with freeze_time("2027-05-01"):
            may = self._bill(self.distributor_a, date(2027, 5, 1))
        # the distributor's terms today: 15 days, export (no VAT)
        self.assertEqual(len(may), 1)
        self.assertEqual(may.invoice_payment_term_id, term_15)
        self.assertEqual(may.fiscal_position_id, export)
        self.assertEqual((may.amount_untaxed, may.amount_tax), (240.0, 0.0))
        self.assertEqual(
            may.invoice_line_ids.filtered("contract_line_id").tax_ids, tax_0
        )
        # the subscription's own terms stay as sold (a channel manager's)
        self.assertTrue(contract.exists())
