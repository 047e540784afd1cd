# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import uuid

import psycopg2

from odoo import Command
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestCreditConcurrency(TransactionCase):
    """Two portal orders of one distributor submitted at once, on separate
    connections, each fitting its credit alone but not both: only one is
    confirmed, the other is held."""

    def _setup_committed_channel(self):
        with self.registry.cursor() as cr:
            env = self.env(cr=cr)
            company = env.company
            confirm = company.channel_portal_confirm
            company.channel_portal_confirm = True
            product = env["product.product"].create(
                {
                    "name": "T Credit Race",
                    "type": "service",
                    "invoice_policy": "order",
                    "list_price": 100.0,
                    "taxes_id": [Command.clear()],
                    "channel_available": True,
                }
            )
            book = env["product.pricelist"].create(
                {"name": "T Credit Race Book", "currency_id": company.currency_id.id}
            )
            distributor = env["res.partner"].create(
                {
                    "name": "T Credit Race Distributor",
                    "property_product_pricelist": book.id,
                    "is_company": True,
                    "is_distributor": True,
                    "credit_limit": 150.0,
                    "risk_sale_order_include": True,
                }
            )
            customer = env["res.partner"].create(
                {
                    "name": "T Credit Race Customer",
                    "is_company": True,
                    "distributor_id": distributor.id,
                }
            )
            ids = (company.id, confirm, product.id, distributor.id, customer.id)
            self.addCleanup(self._cleanup_book, book.id)
        self.addCleanup(self._cleanup, ids)
        return ids

    def _cleanup_book(self, book_id):
        with self.registry.cursor() as cr:
            self.env(cr=cr)["product.pricelist"].browse(book_id).active = False

    def _cleanup(self, ids):
        company_id, confirm, product_id, distributor_id, customer_id = ids
        with self.registry.cursor() as cr:
            env = self.env(cr=cr)
            env["res.company"].browse(company_id).channel_portal_confirm = confirm
            orders = env["sale.order"].search([("distributor_id", "=", distributor_id)])
            orders._action_cancel()
            orders.unlink()
            env["product.product"].browse(product_id).active = False
            env["res.partner"].browse([customer_id, distributor_id]).active = False

    def _submit(self, env, ids):
        company_id, __, product_id, distributor_id, customer_id = ids
        values = {
            "end_customer_id": customer_id,
            "lines": [{"product_id": product_id, "quantity": 1.0}],
            "token": uuid.uuid4().hex,
        }
        return env["sale.order"]._channel_portal_create_order(
            env["res.partner"].browse(distributor_id),
            values,
            env["res.company"].browse(company_id),
        )

    def test_two_submissions_one_limit(self):
        ids = self._setup_committed_channel()
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            cr_b.execute("SET LOCAL lock_timeout = '2s'")
            # B's snapshot predates A's commit
            cr_b.execute("SELECT 1 FROM res_partner WHERE id = %s", (ids[3],))
            env_a, env_b = self.env(cr=cr_a), self.env(cr=cr_b)
            # A: 100 of 150, confirmed, not committed yet
            order_a = self._submit(env_a, ids)
            self.assertEqual(order_a.state, "sale")
            # B waits on A's lock of the distributor (here: gives up)
            with self.assertRaises(psycopg2.Error) as waited:
                with mute_logger("odoo.sql_db"), cr_b.savepoint():
                    self._submit(env_b, ids)
            self.assertEqual(waited.exception.pgcode, "55P03")
            cr_a.commit()
            # B past the lock, with its snapshot from before A's order: the
            # database refuses it (serialization failure: the HTTP request
            # is retried)
            with self.assertRaises(psycopg2.Error) as refused:
                with mute_logger("odoo.sql_db"), cr_b.savepoint():
                    self._submit(env_b, ids)
            self.assertEqual(refused.exception.pgcode, "40001")
            cr_b.rollback()
            env_b.invalidate_all()
            # the retry reads A's order: 200 > 150, held
            order_b = self._submit(env_b, ids)
            self.assertEqual(order_b.state, "draft")
            self.assertTrue(order_b.channel_credit_hold)
            cr_b.commit()
        with self.registry.cursor() as cr:
            env = self.env(cr=cr)
            orders = env["sale.order"].search([("distributor_id", "=", ids[3])])
            self.assertEqual(sorted(orders.mapped("state")), ["draft", "sale"])
