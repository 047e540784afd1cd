# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import CreditCase

# Queries of one credit check of a portal order (the overdue hold, the lock
# of the distributor's row, its risk computed from the database), whatever
# the number of its open invoices.
CREDIT_CHECK_QUERIES = 13


@tagged("post_install", "-at_install")
class TestCreditCheckQueries(CreditCase):
    """The credit check of a portal order reads the distributor's open
    invoices through aggregates: as many queries with 50 open invoices as
    with 1 (issue 23: the portal bench at 200 distributors)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "channel_overdue_hold_days": 30,
                "allow_overrisk_sale_confirmation": False,
            }
        )
        cls.distributor_a.write(
            {
                "credit_limit": 100000.0,
                "risk_invoice_open_include": True,
                "risk_invoice_unpaid_include": True,
            }
        )
        cls.order = cls._create_order(cls.distributor_a, cls.customer_a)

    def _open_invoices(self, count):
        """``count`` posted unpaid invoices of distributor A of 10 each, half
        not yet due, half due 10 days ago (unpaid, not on overdue hold)."""
        today = fields.Date.context_today(self.distributor_a)
        invoices = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": self.distributor_a.id,
                    "invoice_date": today - timedelta(days=20),
                    "invoice_date_due": today
                    + timedelta(days=10 if index % 2 else -10),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product_service.id,
                                "quantity": 1,
                                "price_unit": 10.0,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
                for index in range(count)
            ]
        )
        invoices.action_post()
        return invoices

    def _check(self, open_total):
        """One credit check from a cold cache, its query count asserted."""
        self.env.invalidate_all()
        with self.assertQueryCount(CREDIT_CHECK_QUERIES):
            self.assertFalse(self.distributor_a._channel_overdue_hold_message())
            self.assertFalse(self.order._channel_credit_check())
        self.assertFalse(self.order.channel_credit_hold)
        distributor = self.distributor_a.sudo()
        self.assertAlmostEqual(
            distributor.risk_invoice_open + distributor.risk_invoice_unpaid,
            open_total,
        )

    def test_credit_check_queries_flat_in_open_invoices(self):
        self._open_invoices(1)
        # caches of the registry (fields, groups, rates) filled once
        self.order._channel_credit_check()
        self._check(10.0)
        self._open_invoices(49)
        self._check(500.0)
