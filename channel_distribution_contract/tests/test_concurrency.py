# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestSubscriptionConcurrency(TransactionCase):
    """Two transactions on separate connections bill the same distributor:
    no period of a subscription is ever billed twice."""

    def _setup_committed_subscriptions(self):
        start = fields.Date.today().replace(day=1)
        with self.registry.cursor() as cr:
            env = self.env(cr=cr)
            env.company.create_contract_at_sale_order_confirmation = True
            northwind = env.ref("channel_distribution.distributor_northwind")
            customer = env.ref("channel_distribution.end_customer_acme")
            product = env["product.product"].create(
                {
                    "name": "T Concurrency Seat",
                    "type": "service",
                    "list_price": 10.0,
                    "is_contract": True,
                    "recurring_rule_type": "monthly",
                    "recurring_invoicing_type": "pre-paid",
                    "recurrence_interval": "yearly",
                }
            )
            orders = env["sale.order"].create(
                [
                    {
                        "distributor_id": northwind.id,
                        "end_customer_id": customer.id,
                        "client_order_ref": "CONCURRENCY-SUB",
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": product.id,
                                    "product_uom_qty": 1,
                                    "date_start": start,
                                }
                            )
                        ],
                    }
                    for __ in range(2)
                ]
            )
            orders.action_confirm()
            contracts = env["contract.contract"].search(
                [("channel_order_id", "in", orders.ids)]
            )
            ids = (northwind.id, contracts.ids, orders.ids, product.id)
        self.addCleanup(self._cleanup, ids)
        return start, ids

    def _cleanup(self, ids):
        __, contract_ids, order_ids, product_id = ids
        with self.registry.cursor() as cr:
            env = self.env(cr=cr)
            contracts = env["contract.contract"].browse(contract_ids).exists()
            moves = contracts.channel_period_ids.move_line_ids.move_id
            moves.filtered(lambda m: m.state == "posted").button_draft()
            moves.with_context(force_delete=True).unlink()
            contracts.contract_line_ids.write(
                {"is_canceled": True, "is_auto_renew": False}
            )
            contracts.unlink()
            orders = env["sale.order"].browse(order_ids).exists()
            orders._action_cancel()
            orders.unlink()
            env["product.product"].browse(product_id).active = False

    def test_two_runs_never_bill_a_period_twice(self):
        start, (distributor_id, contract_ids, __, __) = (
            self._setup_committed_subscriptions()
        )
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            cr_b.execute("SET LOCAL lock_timeout = '10s'")
            env_a, env_b = self.env(cr=cr_a), self.env(cr=cr_b)
            contracts_b = env_b["contract.contract"].browse(contract_ids)
            # run B reads the subscriptions before run A bills them
            self.assertEqual(contracts_b.mapped("recurring_next_date"), [start] * 2)
            # run A bills the distributor and has not committed yet
            ids_a = (
                env_a["res.partner"].browse(distributor_id).channel_invoice_due(start)
            )
            self.assertEqual(len(ids_a), 1)
            # run B asks for the same distributor: it is being invoiced
            with self.assertRaisesRegex(UserError, "being invoiced right now"):
                with cr_b.savepoint():
                    env_b["res.partner"].browse(distributor_id).channel_invoice_due(
                        start
                    )
            # run B goes for the subscriptions themselves: A holds them
            with cr_b.savepoint():
                self.assertFalse(contracts_b._channel_bill(start))
            cr_a.commit()
            # run B, past every lock, with its stale reading of the
            # subscriptions: the database refuses the period billed by A
            # (a unique violation, or a serialization failure when the
            # snapshot of B predates the commit of A)
            with self.assertRaises(psycopg2.Error) as refused:
                with mute_logger("odoo.sql_db"), cr_b.savepoint():
                    contracts_b[0]._channel_prepare_period_lines(start)
            self.assertIn(refused.exception.pgcode, ("23505", "40001"))
            cr_b.rollback()
        with self.registry.cursor() as cr:
            env = self.env(cr=cr)
            contracts = env["contract.contract"].browse(contract_ids)
            for contract in contracts:
                periods = contract.channel_period_ids
                self.assertEqual(
                    len(periods),
                    1,
                    [
                        (
                            p.date_start,
                            p.date_end,
                            p.create_uid.id,
                            p.move_line_ids.move_id.ids,
                        )
                        for p in periods
                    ],
                )
                self.assertEqual(len(contract.channel_period_ids.move_line_ids), 1)
                self.assertEqual(
                    contract.recurring_next_date, start + relativedelta(months=1)
                )
            self.assertEqual(len(contracts.channel_period_ids.move_line_ids.move_id), 1)

    def test_database_refuses_a_period_twice(self):
        start, (__, contract_ids, __, __) = self._setup_committed_subscriptions()
        with self.registry.cursor() as cr:
            env = self.env(cr=cr)
            line = env["contract.contract"].browse(contract_ids[0]).contract_line_ids
            Period = env["channel.contract.period"]
            vals = {
                "contract_line_id": line.id,
                "date_start": start,
                "date_end": start + relativedelta(months=1, days=-1),
            }
            Period.create(vals)
            with self.assertRaises(psycopg2.Error) as refused:
                with mute_logger("odoo.sql_db"), cr.savepoint():
                    Period.create(vals)
            self.assertEqual(refused.exception.pgcode, "23505")
            cr.rollback()
