# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import uuid
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import CreditCase

# Queries of one credit check of a portal order (the overdue hold, the lock
# of the distributor's row, its risk computed from the database), whatever
# the number of its open invoices.
CREDIT_CHECK_QUERIES = 13
# Queries of one portal submission confirmed at once, as the new-order form
# makes it (the overdue hold, the order, its confirmation with the credit
# check, the chatter note, the salesperson's activity) and the address of
# the page it leads to, from a cold cache (issue 23: 134, then 132 once the
# overdue hold was searched once and the access token made with the order;
# 117 without the credit check's flush of everything, the commissioning
# savepoint of an order without commissioning lines, the analytic
# distribution computed a second time, Odoo's default pricelist searched
# for a tiered distributor, and with the creation and the note one message).
PORTAL_SUBMISSION_QUERIES = 117
# The same submission of a distributor without salesperson, the channel
# without a default one: the salesperson is the leader of Odoo's default
# sales team, here none (the bench's case). The default team is searched
# once, not again by the new order (76 before).
PORTAL_SUBMISSION_DEFAULT_TEAM_QUERIES = 74
# The submission of PORTAL_SUBMISSION_QUERIES with three products instead of
# one: the price book's rules and the analytic distribution models are
# searched once for the order, not once per line.
PORTAL_SUBMISSION_THREE_LINES_QUERIES = PORTAL_SUBMISSION_QUERIES


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
        cls.product_extra = cls.env["product.product"].create(
            {
                "name": "Test Extra",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 40.0,
                "taxes_id": [Command.clear()],
                "channel_available": True,
            }
        )

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

    def test_credit_check_counts_pending_writes(self):
        """The credit check reads what this transaction wrote and has not
        written to the database yet (the ORM writes what a query reads
        before running it): an order confirmed earlier in the transaction,
        its quantity raised since, counts at its new amount."""
        self.distributor_a.credit_limit = 1000.0
        self.env.flush_all()
        self.assertFalse(self.order._channel_credit_check())
        self.order_a.order_line.product_uom_qty = 20
        self.assertTrue(self.order._channel_credit_check())
        self.assertTrue(self.order.channel_credit_hold)

    def _portal_submit(self, ref, products=None):
        """One submission of distributor A's portal user, as the new-order
        form's route makes it (a line of each of ``products``, the service
        by default): the order and the address it redirects to."""
        user = self.portal_dist_a
        products = products or self.product_service
        values = {
            "end_customer_id": self.customer_a.id,
            "lines": [
                {"product_id": product.id, "quantity": 1.0} for product in products
            ],
            "client_order_ref": ref,
            "note": "",
            "token": uuid.uuid4().hex,
        }
        order = (
            self.env["sale.order"]
            .with_user(user)
            ._channel_portal_create_order(
                self.distributor_a.with_user(user),
                values,
                self.company,
                author=user.partner_id,
            )
        )
        url = order.get_portal_url()
        self.env.flush_all()
        return order, url

    def test_portal_submission_queries(self):
        self.company.channel_portal_confirm = True
        self._open_invoices(1)
        # caches of the registry (fields, groups, templates) filled once
        self._portal_submit("PO-WARM")
        self.env.invalidate_all()
        with self.assertQueryCount(PORTAL_SUBMISSION_QUERIES):
            order, url = self._portal_submit("PO-COUNTED")
        order = order.sudo()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.channel_credit_hold)
        self.assertTrue(order.access_token)
        self.assertEqual(order.get_portal_url(), url)
        # the overdue hold's note of the submission is gone with it: a later
        # confirmation in the transaction checks the hold again
        self.assertFalse(self.env.cr.cache.get("channel_overdue_checked"))

    def test_portal_submission_queries_default_team(self):
        self.company.write(
            {"channel_portal_confirm": True, "channel_portal_user_id": False}
        )
        self.distributor_a.user_id = False
        team = self.env["crm.team"].create({"name": "T Portal", "sequence": -100})
        self._open_invoices(1)
        self._portal_submit("PO-WARM")
        self.env.invalidate_all()
        with self.assertQueryCount(PORTAL_SUBMISSION_DEFAULT_TEAM_QUERIES):
            order, __ = self._portal_submit("PO-COUNTED")
        order = order.sudo()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.user_id)
        self.assertEqual(order.team_id, team)
        self.assertNotIn("channel_portal_default_team", self.env.cr.cache)

    def test_portal_submission_queries_three_lines(self):
        """Three products cost the queries of one: the rules of the
        distributor's price book and the analytic distribution models are
        searched once for the order's lines. Each line still gets the rule
        and the price its own search gives."""
        self.company.channel_portal_confirm = True
        self._open_invoices(1)
        book = self.distributor_a.property_product_pricelist
        fixed = self.env["product.pricelist.item"].create(
            {
                "pricelist_id": book.id,
                "applied_on": "0_product_variant",
                "product_id": self.product_setup.id,
                "compute_price": "fixed",
                "fixed_price": 123.0,
            }
        )
        products = self.product_service | self.product_setup | self.product_extra
        self._portal_submit("PO-WARM", products)
        self.env.invalidate_all()
        with self.assertQueryCount(PORTAL_SUBMISSION_THREE_LINES_QUERIES):
            order, __ = self._portal_submit("PO-COUNTED", products)
        lines = order.sudo().order_line
        self.assertEqual(lines.product_id, products)
        self.assertEqual(order.sudo().state, "sale")
        for line in lines:
            rule = book._get_product_rule(
                line.product_id, quantity=1.0, date=line.order_id.date_order
            )
            self.assertEqual(line.pricelist_item_id.id, rule)
        by_product = {line.product_id: line for line in lines}
        self.assertEqual(by_product[self.product_setup].pricelist_item_id, fixed)
        self.assertEqual(by_product[self.product_setup].price_unit, 123.0)
        # the book's 20 % off everything for the others
        self.assertEqual(by_product[self.product_service].price_unit, 80.0)
        self.assertEqual(by_product[self.product_extra].price_unit, 32.0)
