# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What an outside probe of the demo found on subscriptions (one test per
finding), and the default deny list: every public method of the orders and
subscriptions called over JSON-RPC by the users who must not change them."""

import json
import re
from contextlib import closing
from datetime import datetime, time

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import SubscriptionCase, SubscriptionPortalCase

# The channel fields of a subscription: who is invoiced and served, at which
# price book, in which company. A channel manager's decision, as on orders.
CHANNEL_CONTRACT_WRITES = {
    "distributor_id": "distributor_b",
    "end_customer_id": "customer_b",
    "financial_role": "end_customer",
    "business_role": "distributor",
    "partner_id": "distributor_b",
    "invoice_partner_id": "distributor_b",
    "pricelist_id": "book_public",
}
# The terms of a subscription line: its recurrence and its dates.
CHANNEL_LINE_WRITES = {
    "recurring_interval": 12,
    "recurring_rule_type": "yearly",
    "recurring_invoicing_type": "post-paid",
    "recurring_invoicing_offset": 5,
    "date_start": "rewind",
    "last_date_invoiced": False,
    "recurring_next_date": "rewind",
}


# Writes of the channel fields of a subscription and its lines, by role:
# ``Y`` the write is done, ``-`` it is refused (an access or a user error).
# The salesman of "own documents" writes his own subscription; "all
# documents" salesmen, channel managers and accountants any. ``value`` names
# a record of the test, a date (``today``; ``rewind``: six months before the
# start; ``skip``: a month after the next one to bill), ``text``, ``false``, a new
# billed period or prorated change through the one2many (``period``,
# ``adjustment``), or a literal. A line's period length changes for nobody:
# its product's price is the price of one period (issue 25 item 7).
# Every field the product adds to these models must be a row
# (test_write_matrix_covers_the_channel_fields).
# model            field                     value         own all mgr acct
SUBSCRIPTION_WRITE_MATRIX = """
contract.contract  distributor_id            distributor_b  -   -   Y   -
contract.contract  end_customer_id           customer_b     -   -   Y   -
contract.contract  financial_role            end_customer   -   -   Y   -
contract.contract  business_role             distributor    -   -   Y   -
contract.contract  channel_order_id          other_order    -   -   Y   -
contract.contract  channel_cancel_date       today          -   -   Y   -
contract.contract  channel_period_ids        period         -   -   -   -
contract.contract  channel_adjustment_ids    adjustment     -   -   -   -
contract.contract  client_order_ref          text           Y   Y   Y   -
contract.contract  partner_id                distributor_b  -   -   Y   -
contract.contract  invoice_partner_id        distributor_b  -   -   Y   -
contract.contract  pricelist_id              book_public    -   -   Y   -
contract.contract  line_recurrence           false          -   -   Y   -
contract.contract  recurring_interval        12             -   -   Y   -
contract.contract  recurring_rule_type       yearly         -   -   Y   -
contract.contract  date_start                rewind         -   -   Y   -
contract.contract  note                      text           Y   Y   Y   -
contract.contract  active                    false          -   -   Y   -
contract.contract  date_end                  today          -   -   Y   -
contract.contract  payment_term_id           payment_term   -   -   Y   -
contract.contract  commercial_partner_id     distributor_b  -   -   Y   -
contract.contract  last_date_invoiced        rewind         -   -   Y   -
contract.contract  access_token              text           -   -   Y   -
contract.contract  channel_mrr               1              -   -   -   -
contract.contract  is_terminated             1              -   -   Y   -
contract.contract  terminate_date            today          -   -   Y   -
contract.contract  terminate_comment         text           -   -   Y   -
contract.line      quantity                  5              -   -   Y   -
contract.line      price_unit                1              -   -   Y   -
contract.line      discount                  50             -   -   Y   -
contract.line      name                      text           -   -   Y   -
contract.line      channel_price_fixed       1              -   -   Y   -
contract.line      channel_coterm_day        15             -   -   Y   -
contract.line      recurring_interval        12             -   -   -   -
contract.line      recurring_rule_type       yearly         -   -   -   -
contract.line      recurring_invoicing_type  post-paid      -   -   Y   -
contract.line      recurring_invoicing_offset 5             -   -   Y   -
contract.line      date_start                rewind         -   -   Y   -
contract.line      last_date_invoiced        false          -   -   Y   -
contract.line      recurring_next_date       skip           -   -   Y   -
contract.line      channel_period_ids        period         -   -   -   -
contract.line      is_auto_renew             false          Y   Y   Y   -
contract.line      date_end                  far            -   -   Y   -
contract.line      date_end                  skip           -   -   Y   -
contract.line      auto_renew_interval       5              -   -   Y   -
contract.line      auto_renew_rule_type      daily          -   -   Y   -
contract.line      termination_notice_interval 3            -   -   Y   -
contract.line      termination_notice_rule_type daily       -   -   Y   -
contract.line      manual_renew_needed       1              -   -   Y   -
contract.line      display_type              line_note      -   -   Y   -
contract.line      note_invoicing_mode       custom         -   -   Y   -
contract.line      active                    false          -   -   Y   -
contract.line      sale_order_line_id        other_order_line -  -   Y   -
contract.line      channel_distributor_id    distributor_b  -   -   Y   -
contract.line      channel_end_customer_id   customer_b     -   -   Y   -
contract.line      partner_id                distributor_b  -   -   Y   -
contract.line      company_id                company_b      -   -   Y   -
contract.line      termination_notice_date   today          -   -   Y   -
contract.line      monthly_recurring         1              -   -   Y   -
"""
WRITE_ROLES = ("sales_own", "sales_all", "manager", "accountant")

# The links of a confirmed channel order's line to the subscription its
# confirmation started (``contract_id``, ``contract_line_id``), by each path
# and role: ``Y`` done, ``-`` refused. The start sets them (as superuser);
# nobody sets, changes or clears them, nor gives them to a line added to the
# order (ninth probe, P9-1: a salesman cleared the link and started the
# order's subscription again, three subscriptions billed for one order).
# ``clear_*``: the link cleared by the line's ``write``, ``web_save``, the
# order's ``order_line`` update command, ``load``; ``set_line``: the line
# made to follow its own subscription line; ``create_linked`` a new line of
# the order linked to the subscription, ``copy_linked`` a copy of the line
# (its link with it) onto the order.
# path            own all chan acct mgr
CONTRACT_LINK_MATRIX = """
clear_write       -   -   -    -    -
clear_web_save    -   -   -    -    -
clear_order_line  -   -   -    -    -
clear_load        -   -   -    -    -
set_line          -   -   -    -    -
create_linked     -   -   -    -    -
copy_linked       -   -   -    -    -
"""
CONTRACT_LINK_ROLES = (
    "sales_own",
    "sales_all",
    "channel_user",
    "accountant",
    "manager",
)


@tagged("post_install", "-at_install")
class TestSubscriptionProbe(SubscriptionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales_own = new_test_user(
            cls.env, "probe_sales_own", groups="sales_team.group_sale_salesman"
        )
        cls.manager = new_test_user(
            cls.env,
            "probe_chan_mgr",
            groups="sales_team.group_sale_salesman_all_leads,"
            "channel_distribution.group_channel_manager",
        )
        cls.accountant = new_test_user(
            cls.env,
            "probe_acct",
            groups="base.group_user,account.group_account_invoice",
        )
        cls.sales_all = new_test_user(
            cls.env,
            "probe_sales_all",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        cls.own = cls._start_subscription(
            cls.distributor_a, cls.customer_a, user_id=cls.sales_own.id
        )
        cls.distributor_a.channel_invoice_due(fields.Date.today())
        cls.other_order = cls._create_order(cls.distributor_a, cls.customer_a)
        cls.other_order.action_confirm()
        cls.other_order_line = cls.other_order.order_line[:1]
        cls.payment_term = cls.env.ref("account.account_payment_term_30days")
        cls.company_b = cls.env["res.company"].create({"name": "Probe Co B"})

    # the write table ---------------------------------------------------------

    def _matrix_value(self, value, line):
        later = self.start + relativedelta(years=3)
        if value == "period":
            return [
                Command.create(
                    {
                        "contract_line_id": line.id,
                        "date_start": later,
                        "date_end": later + relativedelta(months=1, days=-1),
                        "quantity": 1000,
                        "price_unit": 99.99,
                    }
                )
            ]
        if value == "adjustment":
            return [
                Command.create(
                    {
                        "contract_line_id": line.id,
                        "date": later,
                        "quantity": 1000,
                        "period_start": later,
                        "period_end": later + relativedelta(months=1, days=-1),
                        "ratio": 1.0,
                        "price_unit": 99.99,
                    }
                )
            ]
        if value == "today":
            return fields.Date.today()
        if value == "rewind":
            return self.start - relativedelta(months=6)
        if value == "skip":
            return self.start + relativedelta(months=4)
        if value == "far":
            return self.start + relativedelta(years=10)
        if value == "text":
            return "changed by the table"
        if value == "false":
            return False
        if hasattr(self, value):
            return getattr(self, value).id
        try:
            return int(value)
        except ValueError:
            return value

    def _written(self, model, field, value, role):
        """Whether ``role`` writes ``field`` of the salesman's subscription
        (or its line); undone either way."""
        user = {
            "sales_own": self.sales_own,
            "sales_all": self.sales_all,
            "manager": self.manager,
            "accountant": self.accountant,
        }[role]
        line = self.own.contract_line_ids
        record = self.own if model == "contract.contract" else line
        return self._done_and_undone(
            lambda: record.with_user(user).write(
                {field: self._matrix_value(value, line)}
            )
        )

    def test_write_matrix(self):
        for row in SUBSCRIPTION_WRITE_MATRIX.strip().splitlines():
            model, field, value, *marks = row.split()
            self.assertEqual(len(marks), len(WRITE_ROLES), row)
            for role, mark in zip(WRITE_ROLES, marks, strict=True):
                with self.subTest(model=model, field=field, role=role):
                    self.assertEqual(
                        self._written(model, field, value, role),
                        mark == "Y",
                        f"{role} writes {model}.{field}: expected "
                        f"{'allowed' if mark == 'Y' else 'refused'}",
                    )

    def test_write_matrix_covers_the_channel_fields(self):
        """The next field the product adds to a subscription or its lines
        is refused a place in the code until it is a row of the table: a
        stored computed or related field too (a stored value is written as
        any other over RPC, probe 8)."""
        rows = {
            tuple(row.split()[:2])
            for row in SUBSCRIPTION_WRITE_MATRIX.strip().splitlines()
        }
        for model in ("contract.contract", "contract.line"):
            for name, field in self.env[model]._fields.items():
                if (
                    field._modules
                    and set(field._modules) <= {"channel_distribution_contract"}
                    and field.store
                ):
                    self.assertIn((model, name), rows)

    def _value(self, field, value, line=None):
        if value == "rewind":
            return self.start - relativedelta(months=6)
        if isinstance(value, str) and hasattr(self, value):
            return getattr(self, value).id
        return value

    # 1. a subscription from a quote that nobody confirmed -----------------

    def test_subscription_starts_from_a_confirmed_order_only(self):
        vals = self._order_vals(
            self.distributor_a,
            self.customer_a,
            [(self.product_monthly, 200)],
            user_id=self.sales_own.id,
        )
        vals["order_line"][0][2]["date_start"] = self.start
        quote = self.env["sale.order"].create(vals)
        Contract = self.env["contract.contract"]
        for user in (self.sales_own, self.manager):
            with self.assertRaisesRegex(UserError, "confirmed"):
                quote.with_user(user).action_create_contract()
        with self.assertRaisesRegex(UserError, "confirmed"):
            quote.action_create_contract()
        self.assertFalse(Contract.search([("channel_order_id", "=", quote.id)]))
        self.assertEqual(quote.state, "draft")
        # confirming starts it, once
        quote.with_user(self.sales_own).action_confirm()
        contract = Contract.search([("channel_order_id", "=", quote.id)])
        self.assertEqual(len(contract), 1)
        quote.with_user(self.sales_own).action_create_contract()
        self.assertEqual(
            Contract.search_count([("channel_order_id", "=", quote.id)]), 1
        )
        # a salesman who may not confirm another's order does not start it
        other = self._create_order(
            self.distributor_a, self.customer_a, [(self.product_monthly, 1)]
        )
        other.user_id = self.manager
        other.action_confirm()
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            other.with_user(self.sales_own).action_create_contract()

    # 2. channel fields of a subscription -----------------------------------

    def test_channel_fields_of_a_subscription_are_a_channel_managers(self):
        for field, value in CHANNEL_CONTRACT_WRITES.items():
            with self.subTest(field=field):
                with self.assertRaises(UserError):
                    self.own.with_user(self.sales_own).write(
                        {field: self._value(field, value)}
                    )
        self.assertEqual(self.own.distributor_id, self.distributor_a)
        self.assertEqual(self.own.partner_id, self.distributor_a)
        # rewriting a value unchanged is no change
        self.own.with_user(self.sales_own).write(
            {"distributor_id": self.distributor_a.id, "note": "ok"}
        )
        # a channel manager decides
        self.own.with_user(self.manager).write({"pricelist_id": self.book_silver.id})
        self.assertEqual(self.own.pricelist_id, self.book_silver)

    def test_channel_subscription_only_from_an_order(self):
        vals = {
            "name": "Planted",
            "partner_id": self.distributor_b.id,
            "distributor_id": self.distributor_b.id,
            "end_customer_id": self.customer_b.id,
            "financial_role": "distributor",
            "user_id": self.sales_own.id,
            "contract_line_ids": [
                Command.create(
                    {
                        "product_id": self.product_monthly.id,
                        "name": "free seats",
                        "quantity": 100,
                        "price_unit": 0.0,
                        "discount": 100.0,
                        "date_start": self.start,
                    }
                )
            ],
        }
        Contract = self.env["contract.contract"]
        for user in (self.sales_own, self.manager):
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):
                    Contract.with_user(user).create(dict(vals))
                with self.assertRaises(UserError):
                    self.own.with_user(user).copy()
        self.assertFalse(Contract.search([("name", "=", "Planted")]))
        # a subscription without a distributor is OCA's, as before
        del vals["distributor_id"], vals["end_customer_id"], vals["financial_role"]
        direct = Contract.with_user(self.sales_own).create(vals)
        direct.with_user(self.sales_own).partner_id = self.customer_b
        with self.assertRaises(UserError):
            direct.with_user(self.sales_own).distributor_id = self.distributor_b

    # 3. and 4. the terms and dates of a subscription line --------------------

    def test_line_terms_and_dates_are_a_channel_managers(self):
        line = self.own.contract_line_ids
        before = {name: line[name] for name in CHANNEL_LINE_WRITES}
        for field, value in CHANNEL_LINE_WRITES.items():
            with self.subTest(field=field):
                with self.assertRaisesRegex(UserError, "channel manager"):
                    line.with_user(self.sales_own).write(
                        {field: self._value(field, value)}
                    )
        # the same terms on the subscription (lines that follow it)
        with self.assertRaisesRegex(UserError, "channel manager"):
            self.own.with_user(self.sales_own).write(
                {"line_recurrence": False, "recurring_interval": 12}
            )
        line.invalidate_recordset()
        self.assertEqual({name: line[name] for name in CHANNEL_LINE_WRITES}, before)
        # OCA's flows and a channel manager still move them
        line.with_user(self.manager).write({"recurring_invoicing_offset": 2})
        self.assertEqual(line.recurring_invoicing_offset, 2)
        end = fields.Date.today() + relativedelta(months=2, day=31)
        line.with_user(self.sales_own).stop(end)
        self.assertEqual(line.date_end, end)

    def test_salesman_neither_stretches_nor_revives_a_term(self):
        """Second probe: the end and the renewal of a line are terms; OCA's
        stop (it only ends earlier) and a due renewal still run for the
        salesman, a renewal that is not due and a stop that asks for a
        manual renewal do not."""
        line = self.own.contract_line_ids
        as_sales = line.with_user(self.sales_own)
        end = fields.Date.today() + relativedelta(months=2, day=31)
        as_sales.stop(end)
        self.assertEqual(line.date_end, end)
        for vals in (
            {"date_end": end + relativedelta(years=5)},
            {"date_end": False},
            {"is_auto_renew": True, "auto_renew_interval": 5},
            {"termination_notice_interval": 3},
            {"manual_renew_needed": True},
        ):
            with self.subTest(vals=vals):
                with self.assertRaisesRegex(UserError, "channel manager"):
                    as_sales.write(vals)
        with self.assertRaisesRegex(UserError, "channel manager"):
            as_sales.stop(end - relativedelta(days=1), manual_renew_needed=True)
        # a renewal that is not due stretches the term: refused
        line.write({"is_auto_renew": True, "date_end": end + relativedelta(years=2)})
        with self.assertRaisesRegex(UserError, "channel manager"):
            as_sales.renew()
        self.assertEqual(line.date_end, end + relativedelta(years=2))
        # due (its notice date passed), it renews
        due = self._start_subscription(
            self.distributor_a, self.customer_a, user_id=self.sales_own.id
        ).contract_line_ids
        today = fields.Date.today()
        due.write({"date_end": today})
        self.assertTrue(due.is_auto_renew)
        due.with_user(self.sales_own).renew()
        self.assertTrue(due.date_end > today or due.successor_contract_line_id)

    def test_billing_links_of_invoice_lines_are_the_products(self):
        """Second probe: an accountant unlinks a billed period from its
        invoice line (billed again by the next run) or writes the other
        links of a subscription's invoice lines."""
        line = self.own.contract_line_ids
        billed = self.env["account.move.line"].search(
            [("contract_line_id", "=", line.id), ("channel_period_id", "!=", False)]
        )
        self.assertTrue(billed)
        section = billed.move_id.invoice_line_ids.filtered("channel_contract_id")
        other = self._start_subscription(self.distributor_b, self.customer_b)
        for record, vals in (
            (billed, {"channel_period_id": False}),
            (billed, {"contract_line_id": other.contract_line_ids[:1].id}),
            (billed, {"channel_credit_kept": True}),
            (billed, {"channel_period_start": self.start}),
            (section, {"channel_contract_id": other.id}),
        ):
            for state in ("draft", "posted"):
                move = billed.move_id
                if state == "posted" and move.state == "draft":
                    move.action_post()
                with self.subTest(vals=vals, state=state):
                    if state == "draft" and move.state != "draft":
                        continue
                    if state == "draft" and "channel_period_start" in vals:
                        continue
                    if state == "draft" and "channel_contract_id" in vals:
                        continue
                    with self.assertRaises(UserError):
                        record.with_user(self.accountant).write(vals)
        billed.invalidate_recordset()
        self.assertTrue(billed.channel_period_id)

    def test_period_lines_bill_their_period_on_the_draft(self):
        """Eleventh probe, P11-15: an accountant lowered a period line's
        quantity on the run's draft (50 units billed as 1) and posted it:
        the period counted as billed, the rest never billed nor credited.
        What a period's (or a change's) line of an invoice bills is the
        period's; a part is credited on a credit note, whose draft stays
        editable."""
        line = self.own.contract_line_ids
        billed = self.env["account.move.line"].search(
            [("contract_line_id", "=", line.id), ("channel_period_id", "!=", False)],
            limit=1,
        )
        move = billed.move_id
        self.assertEqual(move.state, "draft")
        quantity, price = billed.quantity, billed.price_unit
        for vals in (
            {"quantity": quantity / 2},
            {"price_unit": price / 2},
            {"discount": 50.0},
            # twelfth probe, P12-6: another product, its price recomputed
            {"product_id": self.product_setup.id},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                billed.with_user(self.accountant).write(vals)
            with self.subTest(vals=vals, path="move"), self.assertRaises(UserError):
                move.with_user(self.accountant).write(
                    {"invoice_line_ids": [Command.update(billed.id, vals)]}
                )
        # unchanged values pass (a form saving what it read)
        billed.with_user(self.accountant).write(
            {"quantity": quantity, "price_unit": price}
        )
        self.assertEqual((billed.quantity, billed.price_unit), (quantity, price))
        move.action_post()
        reversal = (
            self.env["account.move.reversal"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=move.ids)
            .create({"journal_id": move.journal_id.id, "date": move.date})
        )
        credit_note = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        credited = credit_note.invoice_line_ids.filtered("contract_line_id")[:1]
        self.assertTrue(credited)
        credited.with_user(self.accountant).write({"quantity": quantity / 2})
        self.assertEqual(credited.quantity, quantity / 2)

    def test_period_lines_post_what_they_bill(self):
        """Thirteenth probe, P13-8: on the run's draft an accountant wrote a
        period line's booked amount (its ``balance`` or ``amount_currency``,
        its quantity and price untouched) and posted it: the distributor
        owed a few cents for the period, counted as billed. The write goes
        through (Odoo writes these amounts itself); the post is refused,
        naming the line, and the draft posts once it books its period."""
        line = self.own.contract_line_ids
        billed = self.env["account.move.line"].search(
            [("contract_line_id", "=", line.id), ("channel_period_id", "!=", False)],
            limit=1,
        )
        move = billed.move_id
        self.assertEqual(move.state, "draft")
        booked = billed.balance
        self.assertTrue(booked)
        for vals in ({"balance": -0.03}, {"amount_currency": -0.03}):
            with self.subTest(vals=vals), closing(self.env.cr.savepoint()):
                billed.with_user(self.accountant).write(vals)
                self.assertEqual(billed.balance, -0.03)
                with self.assertRaisesRegex(UserError, re.escape(billed.name)):
                    move.with_user(self.accountant).action_post()
            self.env.invalidate_all()
            self.assertEqual(move.state, "draft")
        move.with_user(self.accountant).action_post()
        self.assertEqual(move.state, "posted")
        self.assertEqual(billed.balance, booked)

    def test_period_line_deleted_from_a_draft_is_billed_again(self):
        """Twelfth probe, P12-6: an accountant deleted a period's line from
        the run's draft and posted it: the period kept no invoice line yet
        counted as billed (480.00 never billed). A period line deleted from
        a draft gives its period back, as the deleted draft does: the next
        run bills it again, at its amount (the line deleted, or through its
        invoice's lines)."""
        line = self.own.contract_line_ids
        billed = self.env["account.move.line"].search(
            [("contract_line_id", "=", line.id), ("channel_period_id", "!=", False)],
            limit=1,
        )
        period = billed.channel_period_id
        amount = billed.price_subtotal
        self.assertTrue(amount)
        for path in ("line", "move"):
            with self.subTest(path=path):
                move = billed.move_id
                self.assertEqual(move.state, "draft")
                if path == "line":
                    billed.with_user(self.accountant).unlink()
                else:
                    move.with_user(self.accountant).write(
                        {"invoice_line_ids": [Command.delete(billed.id)]}
                    )
                self.assertFalse(period._channel_live_lines())
                self.assertFalse(
                    line.last_date_invoiced
                    and line.last_date_invoiced >= period.date_start
                )
                self.assertTrue(period._channel_is_to_bill_again())
                self.distributor_a.channel_invoice_due(fields.Date.today())
                billed = period._channel_live_lines()
                self.assertEqual(len(billed), 1)
                self.assertEqual(billed.price_subtotal, amount)
                self.assertGreaterEqual(line.last_date_invoiced, period.date_end)

    # 4. one broken distributor does not stop the scheduled job ---------------

    @mute_logger("odoo.sql_db", "odoo.addons.channel_distribution_invoicing")
    def test_a_broken_distributor_does_not_stop_the_job(self):
        """A database error while billing one distributor (here a check
        the database puts on its invoices; the probe met a unique key on
        rewound periods, which billing now skips): the job notes it on that
        distributor and bills the others."""
        fine = self._start_subscription(self.distributor_b, self.customer_b)
        self.env.cr.execute(
            SQL(
                "ALTER TABLE account_move ADD CONSTRAINT test_channel_broken "
                "CHECK (commercial_partner_id IS DISTINCT FROM %s) NOT VALID",
                self.distributor_a.id,
            )
        )
        # the job's day is the one of its user's time zone
        day = fields.Date.context_today(self.distributor_a)
        (self.distributor_a | self.distributor_b).write(
            {"channel_invoicing_period": "monthly"}
        )
        (self.distributor_a | self.distributor_b).channel_invoicing_next_date = day
        self.env["sale.order"]._cron_create_distributor_invoices()
        # the others are billed
        self.assertTrue(fine.channel_period_ids)
        self.assertGreater(self.distributor_b.channel_invoicing_next_date, day)
        # the broken one keeps its date, with a note and an activity
        self.assertEqual(self.distributor_a.channel_invoicing_next_date, day)
        self.assertEqual(self.distributor_a.channel_invoicing_last_date, day)
        self.assertTrue(self.distributor_a.activity_ids)
        self.assertIn("failed", self.distributor_a.message_ids[0].body)

    # 7. prorated changes and billed periods by hand ---------------------------

    def test_nobody_writes_changes_or_periods_by_hand(self):
        line = self.own.contract_line_ids
        self.own.contract_line_ids._channel_change_quantity(4)
        adjustment = self.own.channel_adjustment_ids
        self.assertTrue(adjustment)
        period_vals = {
            "contract_line_id": line.id,
            "date_start": self.start + relativedelta(years=2),
            "date_end": self.start + relativedelta(years=2, months=1, days=-1),
            "quantity": 1000,
            "price_unit": 99.99,
        }
        adjustment_vals = {
            "contract_line_id": line.id,
            "date": fields.Date.today(),
            "quantity": 1000,
            "period_start": self.start,
            "period_end": self.start + relativedelta(months=1, days=-1),
            "ratio": 1.0,
            "price_unit": 99.99,
        }
        for user in (self.accountant, self.manager, self.sales_own):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError), mute_logger("odoo.models"):
                    self.env["channel.contract.period"].with_user(user).create(
                        period_vals
                    )
                with self.assertRaises(AccessError), mute_logger("odoo.models"):
                    self.env["channel.contract.adjustment"].with_user(user).create(
                        adjustment_vals
                    )
                with self.assertRaises(AccessError), mute_logger("odoo.models"):
                    adjustment.with_user(user).write({"quantity": 1000})
                with self.assertRaises(AccessError), mute_logger("odoo.models"):
                    line.channel_period_ids[:1].with_user(user).write(
                        {"price_unit": 0.0}
                    )

    # 8. billing another company's subscriptions --------------------------------

    def test_billing_stays_in_the_users_companies(self):
        company_2 = self.env["res.company"].create({"name": "Probe Co 2"})
        user_2 = new_test_user(
            self.env,
            "probe_co2_acct",
            groups="base.group_user,account.group_account_invoice",
            company_id=company_2.id,
            company_ids=[Command.set(company_2.ids)],
        )
        # due today (started two months ago, not billed): a user bills up
        # to today (fifth probe, 8)
        due = self._start_subscription(self.distributor_a, self.customer_a)
        today = fields.Date.today()
        Move = self.env["account.move"]
        before = Move.search([])
        ids = self.distributor_a.with_user(user_2).channel_invoice_due(today)
        self.assertEqual(ids, [])
        self.assertEqual(Move.search([]), before)
        self.assertLessEqual(due.recurring_next_date, today)
        # the first company's users bill it
        self.assertTrue(
            self.distributor_a.with_user(self.accountant).channel_invoice_due(today)
        )

    def test_billing_ahead_of_today_is_a_managers(self):
        """Fifth probe, 8: an accountant bills periods months ahead by
        giving the run a future date: billing runs up to today, but for a
        channel manager or an accounting manager."""
        due = self._start_subscription(self.distributor_a, self.customer_a)
        later = fields.Date.today() + relativedelta(months=5)
        Move = self.env["account.move"]
        before = Move.search([])
        with self.assertRaisesRegex(UserError, "today"):
            self.distributor_a.with_user(self.accountant).channel_invoice_due(later)
        self.assertEqual(Move.search([]), before)
        finance = new_test_user(
            self.env,
            "probe5_fin_mgr",
            groups="base.group_user,account.group_account_manager",
        )
        ids = self.distributor_a.with_user(finance).channel_invoice_due(later)
        self.assertTrue(ids)
        self.assertGreater(due.recurring_next_date, later)

    def test_subscriptions_never_billed_ahead_on_any_path(self):
        """Eighth probe, P8-2: subscriptions are billed up to today (the
        user's) whatever the path to their billing, not only through
        channel_invoice_due: a later day is a channel manager's or an
        accounting manager's early closing (the system's too)."""
        due = self._start_subscription(self.distributor_a, self.customer_a)
        later = fields.Date.context_today(due) + relativedelta(months=5)
        next_date = due.recurring_next_date
        Move = self.env["account.move"]
        before = Move.search([])
        for user in (self.accountant, self.sales_all):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(UserError, "today"):
                    due.with_user(user).sudo()._channel_bill(later)
                self.assertEqual(Move.search([]), before)
                self.assertEqual(due.recurring_next_date, next_date)
        finance = new_test_user(
            self.env,
            "probe8_fin_mgr",
            groups="base.group_user,account.group_account_manager",
        )
        self.assertTrue(due.with_user(finance).sudo()._channel_bill(later))
        self.assertGreater(due.recurring_next_date, later)

    # fifth probe -------------------------------------------------------------

    def _order_linked_to(self, user, distributor, customer, contract_line, day):
        """``user``'s quotation of one seat for ``distributor`` and
        ``customer`` whose line follows ``contract_line`` from ``day`` (OCA's
        upsell link), the link written as ``user``."""
        vals = self._order_vals(
            distributor, customer, [(self.product_monthly, 1)], user_id=user.id
        )
        order = self.env["sale.order"].with_user(user).create(vals)
        order.order_line.write(
            {"contract_line_id": contract_line.id, "date_start": day}
        )
        return order

    def test_order_line_never_ends_anothers_subscription(self):
        """Fifth probe, 1: a salesman (or a Channel User) links his new
        order line to a running line of another party's subscription, one
        he cannot even read: confirming the order (OCA's successor flow, as
        superuser) ended that line the day before his line started."""
        victim = self._start_subscription(self.distributor_b, self.customer_b)
        victim_line = victim.contract_line_ids
        end = victim_line.date_end
        channel_user = new_test_user(
            self.env,
            "probe5_chan",
            groups="sales_team.group_sale_salesman,"
            "channel_distribution.group_channel_user",
        )
        day = fields.Date.today() + relativedelta(days=1)
        parties = (
            (self.distributor_b, self.customer_b),
            (self.distributor_a, self.customer_a),
        )
        for user in (self.sales_own, channel_user):
            for distributor, customer in parties:
                with self.subTest(user=user.login, distributor=distributor.name):
                    # written on the line, or given on its creation
                    with self.assertRaises(UserError), mute_logger("odoo.models"):
                        self._order_linked_to(
                            user, distributor, customer, victim_line, day
                        )
                    vals = self._order_vals(
                        distributor,
                        customer,
                        [(self.product_monthly, 1)],
                        user_id=user.id,
                    )
                    vals["order_line"][0][2].update(
                        contract_line_id=victim_line.id, date_start=day
                    )
                    with self.assertRaises(UserError), mute_logger("odoo.models"):
                        self.env["sale.order"].with_user(user).create(vals)
        # set by someone else (an import as superuser): confirming checks it
        # again, inside the product's superuser path
        order = self._create_order(
            self.distributor_b,
            self.customer_b,
            [(self.product_monthly, 1)],
            user_id=self.sales_own.id,
        )
        order.order_line.write({"contract_line_id": victim_line.id, "date_start": day})
        with self.assertRaises(UserError), mute_logger("odoo.models"):
            order.with_user(self.sales_own).action_confirm()
        # a channel manager's order of other parties neither
        with self.assertRaises(UserError), mute_logger("odoo.models"):
            self._order_linked_to(
                self.manager, self.distributor_a, self.customer_a, victim_line, day
            )
        victim_line.invalidate_recordset()
        self.assertEqual(victim_line.date_end, end)
        self.assertFalse(victim_line.successor_contract_line_id)
        self.assertEqual(order.state, "draft")

    def test_order_line_never_adds_to_anothers_subscription(self):
        """Sixth probe, N1: a salesman links his order line to a
        subscription of the order's parties (``contract_id``), then moves
        the order to another distributor and end customer and confirms:
        the order's units became a line of the first distributor's
        subscription, billed to it every month."""
        victim = self._start_subscription(self.distributor_b, self.customer_b)
        lines = victim.contract_line_ids
        for user in (self.sales_all, self.manager):
            with self.subTest(user=user.login):
                order = self._create_order(
                    self.distributor_b,
                    self.customer_b,
                    [(self.product_monthly, 7)],
                    user_id=user.id,
                )
                order.order_line.with_user(user).write({"contract_id": victim.id})
                with self.assertRaises(UserError), mute_logger("odoo.models"):
                    order.with_user(user).write(
                        {
                            "distributor_id": self.distributor_a.id,
                            "end_customer_id": self.customer_a.id,
                        }
                    )
        # a link that predates the check (data written by SQL): confirming
        # checks it against the order's parties of the day
        order = self._create_order(
            self.distributor_a,
            self.customer_a,
            [(self.product_monthly, 7)],
            user_id=self.sales_all.id,
        )
        self.env.cr.execute(
            SQL(
                "UPDATE sale_order_line SET contract_id = %s WHERE order_id = %s",
                victim.id,
                order.id,
            )
        )
        order.order_line.invalidate_recordset(["contract_id"])
        with self.assertRaises(UserError), mute_logger("odoo.models"):
            order.with_user(self.sales_all).action_confirm()
        victim.invalidate_recordset()
        self.assertEqual(victim.contract_line_ids, lines)

    def test_order_line_follows_a_subscription_line_by_the_rules(self):
        """The upsell link still works within the rules: the salesman's own
        subscription from the day its cancellation would end it, the channel
        manager's of the same parties from any day."""
        line = self.own.contract_line_ids
        today = fields.Date.today()
        day = line._channel_cancellation_date(today)
        early = self._order_linked_to(
            self.sales_own,
            self.distributor_a,
            self.customer_a,
            line,
            today + relativedelta(days=1),
        )
        with self.assertRaisesRegex(UserError, "channel manager"):
            early.with_user(self.sales_own).action_confirm()
        order = self._order_linked_to(
            self.sales_own,
            self.distributor_a,
            self.customer_a,
            line,
            day + relativedelta(days=1),
        )
        order.with_user(self.sales_own).action_confirm()
        self.assertEqual(line.date_end, day)
        self.assertEqual(
            line.successor_contract_line_id.sale_order_line_id, order.order_line
        )
        victim = self._start_subscription(self.distributor_b, self.customer_b)
        victim_line = victim.contract_line_ids
        order = self._order_linked_to(
            self.manager, self.distributor_b, self.customer_b, victim_line, today
        )
        order.with_user(self.manager).action_confirm()
        self.assertEqual(victim_line.date_end, today - relativedelta(days=1))

    def _link_path_done(self, path, role):
        """Whether ``role`` does ``path`` to the links of the line of the
        salesman's started order (undone either way)."""
        user = {
            "sales_own": self.sales_own,
            "sales_all": self.sales_all,
            "channel_user": self.channel_user,
            "accountant": self.accountant,
            "manager": self.manager,
        }[role]
        order = self.own.channel_order_id.with_user(user)
        line = order.order_line.filtered("contract_id")
        clear = {"contract_id": False}

        def load():
            result = line.load([".id", "contract_id/.id"], [[str(line.id), ""]])
            if not result["ids"] or any(
                message.get("type") == "error" for message in result["messages"]
            ):
                raise UserError(str(result["messages"]))

        operation = {
            "clear_write": lambda: line.write(clear),
            "clear_web_save": lambda: line.web_save(clear, {}),
            "clear_order_line": lambda: order.write(
                {"order_line": [Command.update(line.id, clear)]}
            ),
            "clear_load": load,
            "set_line": lambda: line.write(
                {"contract_line_id": self.own.contract_line_ids[:1].id}
            ),
            "create_linked": lambda: line.create(
                {
                    "order_id": order.id,
                    "product_id": self.product_monthly.id,
                    "contract_id": self.own.id,
                }
            ),
            "copy_linked": lambda: line.copy({"order_id": order.id}),
        }[path]
        return self._done_and_undone(operation)

    def test_started_order_links_are_the_products(self):
        """Ninth probe, P9-1: the links of a started order's lines to their
        subscription are the start's, for every path and role
        (CONTRACT_LINK_MATRIX); and a line that started a subscription line
        starts nothing again, whatever its link says (cleared as superuser
        here: an import, data written by hand)."""
        self.channel_user = new_test_user(
            self.env,
            "probe9_chan",
            groups="sales_team.group_sale_salesman,"
            "channel_distribution.group_channel_user",
        )
        self.check_path_table(
            CONTRACT_LINK_MATRIX, CONTRACT_LINK_ROLES, self._link_path_done
        )
        order = self.own.channel_order_id
        line = order.order_line.filtered("contract_id")
        self.assertEqual(line.contract_id, self.own)
        Contract = self.env["contract.contract"]
        for user in (self.sales_own, self.sales_all, self.manager):
            with self.subTest(user=user.login):
                line.sudo().write({"contract_id": False})
                order.with_user(user).action_create_contract()
                self.assertEqual(
                    Contract.search([("channel_order_id", "=", order.id)]), self.own
                )
                self.assertEqual(line.contract_id, self.own)
                self.assertEqual(len(self.own.contract_line_ids), 1)
        # nor added to another subscription its link would point to
        other = self._start_subscription(
            self.distributor_a, self.customer_a, user_id=self.sales_own.id
        )
        line.sudo().write({"contract_id": other.id})
        order.with_user(self.sales_own).action_create_contract()
        self.assertEqual(line.contract_id, self.own)
        self.assertEqual(len(other.contract_line_ids), 1)

    def test_subscription_links_of_new_invoice_lines_are_the_products(self):
        """Fifth probe, 7: an accountant creates a credit note (or an
        invoice) whose line links a billed period of a subscription: it then
        counts as crediting (or billing) it, with its commission."""
        line = self.own.contract_line_ids
        billed = self.env["account.move.line"].search(
            [("contract_line_id", "=", line.id), ("channel_period_id", "!=", False)]
        )[:1]
        self.assertTrue(billed)
        invoice = billed.move_id
        if invoice.state == "draft":
            invoice.action_post()
        period = billed.channel_period_id
        before = period.move_line_ids
        base = {
            "product_id": self.product_monthly.id,
            "quantity": billed.quantity,
            "price_unit": billed.price_unit,
            "start_date": billed.start_date,
            "end_date": billed.end_date,
        }
        Move = self.env["account.move"].with_user(self.accountant)
        for links in (
            {"contract_line_id": line.id},
            {"channel_period_id": period.id},
            {"channel_contract_id": self.own.id},
            {
                "contract_line_id": line.id,
                "channel_period_id": period.id,
                "channel_contract_id": self.own.id,
            },
        ):
            for move_type in ("out_refund", "out_invoice"):
                with self.subTest(links=links, move_type=move_type):
                    with self.assertRaises(UserError), mute_logger("odoo.models"):
                        Move.create(
                            {
                                "move_type": move_type,
                                "partner_id": self.distributor_a.id,
                                "invoice_line_ids": [
                                    Command.create(dict(base, **links))
                                ],
                            }
                        )
        # nor added to a draft of his
        draft = Move.create(
            {
                "move_type": "out_refund",
                "partner_id": self.distributor_a.id,
                "invoice_line_ids": [Command.create(dict(base))],
            }
        )
        with self.assertRaises(UserError), mute_logger("odoo.models"):
            draft.write(
                {
                    "invoice_line_ids": [
                        Command.create(dict(base, channel_period_id=period.id))
                    ]
                }
            )
        period.invalidate_recordset()
        self.assertEqual(period.move_line_ids, before)
        # Odoo's credit note of the invoice (and "Reverse and Create
        # Invoice") still carry them: what they correct
        wizard = (
            self.env["account.move.reversal"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "probe", "journal_id": invoice.journal_id.id})
        )
        wizard.modify_moves()
        refund = invoice.reversal_move_ids
        self.assertEqual(refund.invoice_line_ids.contract_line_id, line)
        again = self.env["account.move.line"].search(
            [
                ("channel_period_id", "=", period.id),
                ("move_id.move_type", "=", "out_invoice"),
                ("move_id", "!=", invoice.id),
            ]
        )
        self.assertTrue(again)

    def test_subscription_links_written_on_invoice_lines_are_the_products(self):
        """Sixth probe, N4: the accountant's credit note made without links
        got them by a write of its line (or of the move with a line
        command): then it counted as crediting the billed period, with its
        commission."""
        line = self.own.contract_line_ids
        billed = self.env["account.move.line"].search(
            [("contract_line_id", "=", line.id), ("channel_period_id", "!=", False)]
        )[:1]
        self.assertTrue(billed)
        period = billed.channel_period_id
        before = period.move_line_ids
        Move = self.env["account.move"].with_user(self.accountant)
        draft = Move.create(
            {
                "move_type": "out_refund",
                "partner_id": self.distributor_a.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product_monthly.id,
                            "quantity": billed.quantity,
                            "price_unit": billed.price_unit,
                        }
                    )
                ],
            }
        )
        plain = draft.invoice_line_ids
        for links in (
            {"contract_line_id": line.id},
            {"channel_period_id": period.id},
            {"channel_contract_id": self.own.id},
            {
                "channel_period_start": period.date_start,
                "channel_period_end": period.date_end,
            },
        ):
            with self.subTest(links=links):
                self.assertFalse(
                    self._done_and_undone(lambda links=links: plain.write(links))
                )
                self.assertFalse(
                    self._done_and_undone(
                        lambda links=links: draft.write(
                            {"invoice_line_ids": [Command.update(plain.id, links)]}
                        )
                    )
                )
        period.invalidate_recordset()
        self.assertEqual(period.move_line_ids, before)
        self.assertFalse(plain.contract_line_id)
        # the line's other fields stay the accountant's
        plain.write({"name": "credit by hand", "quantity": 1})
        self.assertEqual(plain.quantity, 1)


# The ways a subscription line ends (third probe, F6), by role: ``Y`` done,
# ``-`` refused. A cancellation goes through the product's rule: *Cancel
# Subscription* (the portal's, the salesman's) ends each line at the end of
# its period, or of the first period after the product's notice, and never
# before what was billed; OCA's stop and termination may end a line on that
# day or later. Ending a line earlier, cancelling it at once, reviving,
# suspending or extending it is a channel manager's decision. ``billing``
# manages accounting (OCA's contract manager, its line wizard and
# termination) without a channel group; the channel manager here has those
# rights too.
# path                        sales_own billing chan_mgr
ENDING_MATRIX = """
product_cancel                   Y   Y   Y
line_cancel                      -   -   Y
line_write_is_canceled           -   -   Y
line_uncancel                    -   -   Y
line_stop_now                    -   -   Y
line_stop_before_start           -   -   Y
line_stop_on_cancellation_day    Y   Y   Y
line_stop_now_over_rpc           -   -   Y
line_stop_on_day_over_rpc        Y   Y   Y
line_plan_successor              -   -   Y
line_stop_plan_successor         -   -   Y
wizard_stop_now                  -   -   Y
wizard_stop_on_cancellation_day  -   Y   Y
wizard_uncancel                  -   -   Y
wizard_plan_successor            -   -   Y
wizard_stop_plan_successor       -   -   Y
terminate_now                    -   -   Y
terminate_on_cancellation_day    -   Y   Y
contract_archived                -   -   Y
contract_date_end                -   -   Y
"""
ENDING_ROLES = ("sales_own", "billing", "chan_mgr")


@tagged("post_install", "-at_install")
class TestSubscriptionEnding(SubscriptionCase):
    """Third probe (issue 24, F6): an own-documents salesman called OCA's
    ``contract.line.cancel()`` on a channel subscription's line: it ended at
    once, without the notice or the running period the product bills when
    a subscription is cancelled through its own flows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ending_users = {
            "sales_own": new_test_user(
                cls.env, "end_sales_own", groups="sales_team.group_sale_salesman"
            ),
            "billing": new_test_user(
                cls.env,
                "end_billing",
                groups="account.group_account_manager,"
                "contract_termination.can_terminate_contract",
            ),
            "chan_mgr": new_test_user(
                cls.env,
                "end_chan_mgr",
                groups="sales_team.group_sale_salesman_all_leads,"
                "channel_distribution.group_channel_manager,"
                "account.group_account_manager,"
                "contract_termination.can_terminate_contract",
            ),
        }
        # a yearly term renewed automatically, with a month's notice; not
        # billed yet
        cls.product_monthly.termination_notice_interval = 1
        cls.sub = cls._start_subscription(
            cls.distributor_a,
            cls.customer_a,
            user_id=cls.ending_users["sales_own"].id,
        )
        cls.reason = cls.env["contract.terminate.reason"].create(
            {"name": "Probe reason"}
        )

    def _cancellation_day(self):
        line = self.sub.contract_line_ids
        return line._channel_cancellation_date(fields.Date.today())

    def _wizard(self, line, **vals):
        return (
            self.env["contract.line.wizard"]
            .with_env(line.env)
            .create(dict(vals, contract_line_id=line.id))
        )

    def _end(self, path, user):
        """Run ``path`` on the subscription as ``user``."""
        contract = self.sub.with_user(user)
        line = contract.contract_line_ids
        today = fields.Date.today()
        day = self._cancellation_day()
        self.assertGreater(day, today)
        if path in ("line_uncancel", "wizard_uncancel"):
            self.sub.contract_line_ids.cancel()
        if path in ("line_plan_successor", "wizard_plan_successor"):
            self.sub.contract_line_ids.write({"is_auto_renew": False, "date_end": day})
        after = day + relativedelta(days=1)
        suspension = (today + relativedelta(days=1), day + relativedelta(months=1))
        ops = {
            "product_cancel": lambda: contract.action_channel_cancel(),
            "line_cancel": lambda: line.cancel(),
            "line_write_is_canceled": lambda: line.write(
                {"is_canceled": True, "is_auto_renew": False}
            ),
            "line_uncancel": lambda: line.uncancel(today),
            "line_stop_now": lambda: line.stop(today),
            "line_stop_before_start": lambda: line.stop(
                line.date_start - relativedelta(days=1)
            ),
            "line_stop_on_cancellation_day": lambda: line.stop(day),
            # JSON-RPC gives the date as a string
            "line_stop_now_over_rpc": lambda: line.stop(fields.Date.to_string(today)),
            "line_stop_on_day_over_rpc": lambda: line.stop(fields.Date.to_string(day)),
            "line_plan_successor": lambda: line.plan_successor(
                after, after + relativedelta(years=1), False
            ),
            "line_stop_plan_successor": lambda: line.stop_plan_successor(
                *suspension, False
            ),
            "wizard_stop_now": lambda: self._wizard(line, date_end=today).stop(),
            "wizard_stop_on_cancellation_day": lambda: self._wizard(
                line, date_end=day
            ).stop(),
            "wizard_uncancel": lambda: self._wizard(
                line, recurring_next_date=today
            ).uncancel(),
            "wizard_plan_successor": lambda: self._wizard(
                line, date_start=after, date_end=after + relativedelta(years=1)
            ).plan_successor(),
            "wizard_stop_plan_successor": lambda: self._wizard(
                line, date_start=suspension[0], date_end=suspension[1]
            ).stop_plan_successor(),
            "terminate_now": lambda: self.env["contract.contract.terminate"]
            .with_user(user)
            .create(
                {
                    "contract_id": contract.id,
                    "terminate_reason_id": self.reason.id,
                    "terminate_date": today,
                }
            )
            .terminate_contract(),
            "terminate_on_cancellation_day": lambda: self.env[
                "contract.contract.terminate"
            ]
            .with_user(user)
            .create(
                {
                    "contract_id": contract.id,
                    "terminate_reason_id": self.reason.id,
                    "terminate_date": day,
                }
            )
            .terminate_contract(),
            "contract_archived": lambda: contract.write({"active": False}),
            "contract_date_end": lambda: contract.write({"date_end": today}),
        }
        ops[path]()

    def _ended(self, path, role):
        """Whether ``role`` runs ``path``; undone either way."""
        return self._done_and_undone(lambda: self._end(path, self.ending_users[role]))

    def test_ending_matrix(self):
        self.check_path_table(ENDING_MATRIX, ENDING_ROLES, self._ended)

    def test_salesman_cancels_through_the_products_rule(self):
        line = self.sub.contract_line_ids
        as_sales = line.with_user(self.ending_users["sales_own"])
        day = self._cancellation_day()
        with self.assertRaisesRegex(UserError, "Cancel Subscription"):
            as_sales.cancel()
        with self.assertRaisesRegex(UserError, str(day)):
            as_sales.stop(fields.Date.today())
        line.invalidate_recordset()
        self.assertFalse(line.is_canceled)
        self.assertNotEqual(line.date_end, fields.Date.today())
        # the product's cancellation: the period and the notice run, billed
        ends = as_sales.contract_id.action_channel_cancel()
        self.assertTrue(ends)
        self.assertEqual(line.date_end, day)
        self.assertEqual(self.sub.channel_cancel_date, fields.Date.today())
        invoices = self._bill(self.distributor_a, day)
        billed = invoices.invoice_line_ids.filtered(
            lambda aml: aml.contract_line_id == line
        )
        self.assertEqual(max(billed.mapped("end_date")), day)


# The deny list: public methods of these models, called over JSON-RPC with
# the ids of a record as their only argument, by users who must not change
# channel orders or subscriptions beyond their own flows.
DENY_MODELS = ("sale.order", "contract.contract", "contract.line")

# What a salesman does with his own documents (his draft, his subscription):
# his job, through the product's and OCA's flows.
SALESMAN_OWN_FLOWS = {
    "sale.order": {
        "action_confirm",
        "action_cancel",
        "action_lock",
        "action_unlock",
        "action_quotation_sent",
        "action_draft",
        "action_update_prices",
        "action_update_taxes",
        "action_recompute_shipping",
    },
    "contract.contract": {"action_channel_cancel"},
    "contract.line": {"renew"},
}


@tagged("post_install", "-at_install")
class TestSubscriptionProbePortal(SubscriptionPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sub_a = cls._subscribe(cls.distributor_a, cls.customer_a)
        cls.sub_b = cls._subscribe(cls.distributor_b, cls.customer_b)  # agency
        cls.sub_b_resale = cls._subscribe(
            cls.distributor_b, cls.customer_b, financial_role="distributor"
        )
        cls.sub_s = cls._subscribe(
            cls.distributor_b,
            cls.customer_b,
            financial_role="distributor",
            user_id=cls.salesman.id,
        )
        cls.sub_b.message_subscribe(partner_ids=cls.portal_cust_b.partner_id.ids)
        cls.sub_a.message_subscribe(partner_ids=cls.portal_dist_a.partner_id.ids)

        def quote(distributor, customer, **extra):
            order = cls._create_order(
                distributor, customer, [(cls.product_seat, 200)], **extra
            )
            order.order_line.date_start = cls.start
            return order

        cls.quote_a = quote(cls.distributor_a, cls.customer_a)
        cls.quote_b = quote(cls.distributor_b, cls.customer_b)  # agency
        cls.quote_s = quote(
            cls.distributor_b,
            cls.customer_b,
            financial_role="distributor",
            user_id=cls.salesman.id,
        )

    # 1. over JSON-RPC -------------------------------------------------------

    @mute_logger("odoo.http")
    def test_portal_never_starts_a_subscription(self):
        Contract = self.env["contract.contract"]
        for user, quote in (
            (self.portal_dist_a, self.quote_a),
            (self.portal_dist_b, self.quote_b),
            (self.portal_cust_b, self.quote_b),
            (self.portal_dist_b, self.quote_a),
        ):
            self.login(user)
            with self.subTest(user=user.login, quote=quote.name):
                result = self.call_kw(
                    "sale.order", "action_create_contract", [quote.ids]
                )
                self.assertIn("error", result)
                self.assertFalse(Contract.search([("channel_order_id", "=", quote.id)]))
                self.assertEqual(quote.state, "draft")

    # 6. an end customer following a resale subscription ----------------------

    def _page(self, url):
        return self.url_open(url, allow_redirects=False)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_end_customer_never_reads_a_resale_subscription(self):
        contract = self.sub_b_resale
        customer = self.portal_cust_b.partner_id
        # a vendor user writes to the end customer: it receives the message
        # but does not become a follower of the distributor's subscription
        contract.with_context(mail_post_autofollow=True).message_post(
            body="Hello end customer", partner_ids=customer.ids
        )
        contract.message_subscribe(partner_ids=customer.ids)
        self.assertNotIn(customer, contract.message_partner_ids)
        self.assertIn(customer, self.sub_b.message_partner_ids)  # agency: its own
        # a follower from before (or put there by hand) reads nothing either
        self.env["mail.followers"]._insert_followers(
            "contract.contract", contract.ids, customer.ids
        )
        self.assertIn(customer, contract.message_partner_ids)
        self.login(self.portal_cust_b)
        price = f"{contract.contract_line_ids.price_unit:.2f}"
        for url in (
            f"/my/contracts/{contract.id}",
            f"/my/contracts/{contract.id}?report_type=html",
            f"/my/contracts/{contract.id}?report_type=pdf",
            f"/report/html/contract.report_contract_document/{contract.id}",
            "/my/contracts",
            f"/my/channel/subscriptions/{contract.id}",
        ):
            with self.subTest(url=url):
                page = self._page(url)
                self.assertNotIn(contract.name, page.text)
                self.assertNotIn(price, page.text)
        for method, args in (
            ("read", [contract.ids, ["pricelist_id", "channel_mrr"]]),
            ("search_read", [[("id", "=", contract.id)], ["pricelist_id"]]),
            ("read_group", [[], ["channel_mrr:sum"], ["pricelist_id"]]),
        ):
            with self.subTest(method=method):
                result = self.call_kw("contract.contract", method, args)
                text = json.dumps(result)
                self.assertNotIn(contract.pricelist_id.name, text)
                if method == "read":
                    self.assertIn("error", result)
        # the agency subscription it is invoiced for stays its own
        page = self._page(f"/my/contracts/{self.sub_b.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.sub_b.name, page.text)

    # eighth probe ----------------------------------------------------------

    @mute_logger("odoo.http")
    def test_rpc_context_never_bills_subscriptions(self):
        """Eighth probe, P8-2: a salesman without invoicing rights, or an
        accountant, invoices a channel order over JSON-RPC with the context
        key of the distributor's billing run, (distributor, a day 11 months
        ahead): the order's invoice took the distributor's subscription for
        every month up to that day. A caller's context bills the order
        only."""
        self.distributor_a.street = "Rue A 1"
        sales_all = new_test_user(
            self.env,
            "probe8_sales_all",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        later = fields.Date.to_string(self.start + relativedelta(months=11))
        contract = self.sub_a
        next_date = contract.recurring_next_date
        self.assertLessEqual(next_date, fields.Date.context_today(contract))
        for user in (sales_all, self.accountant):
            order = self._create_order(self.distributor_a, self.customer_a)
            order.action_confirm()
            self.login(user)
            with self.subTest(user=user.login):
                result = self.call_kw(
                    "sale.order",
                    "action_create_distributor_invoices",
                    [order.ids],
                    {
                        "context": {
                            "channel_contract_billing": [self.distributor_a.id, later]
                        }
                    },
                )
                self.assertNotIn("error", result)
                invoice = order.invoice_ids
                self.assertEqual(len(invoice), 1)
                self.assertEqual(invoice.amount_untaxed, order.amount_untaxed)
                self.assertFalse(invoice.invoice_line_ids.contract_line_id)
                contract.invalidate_recordset()
                self.assertEqual(contract.recurring_next_date, next_date)

    # the default deny list -------------------------------------------------

    def _fingerprint(self):
        """What must not change: the counts of subscriptions, their lines,
        billed periods, changes and invoices; the state, lines and parties
        of the quotes; the parties, terms and dates of the subscriptions."""
        self.env.invalidate_all()
        env = self.env
        counts = tuple(
            env[model].sudo().with_context(active_test=False).search_count([])
            for model in (
                "contract.contract",
                "contract.line",
                "channel.contract.period",
                "channel.contract.adjustment",
                "account.move",
            )
        )
        quotes = tuple(
            (
                order.state,
                order.distributor_id.id,
                order.end_customer_id.id,
                order.financial_role,
                order.partner_id.id,
                order.pricelist_id.id,
                tuple(order.order_line.mapped("product_uom_qty")),
                tuple(order.order_line.mapped("price_unit")),
            )
            for order in self.quotes
        )
        contracts = tuple(
            (
                contract.active,
                contract.partner_id.id,
                contract.pricelist_id.id,
                contract.distributor_id.id,
                contract.end_customer_id.id,
                contract.financial_role,
                contract.company_id.id,
                contract.channel_cancel_date,
                tuple(
                    (
                        line.quantity,
                        line.price_unit,
                        line.discount,
                        line.recurring_rule_type,
                        line.recurring_interval,
                        line.date_start,
                        line.date_end,
                        line.last_date_invoiced,
                        line.recurring_next_date,
                        line.is_canceled,
                    )
                    for line in contract.contract_line_ids
                ),
            )
            for contract in self.contracts
        )
        return counts, quotes, contracts

    def _public_methods(self, model):
        """The methods of ``model`` that JSON-RPC lets a user call, beyond
        the ORM's own API (read, write, create... are the access tables')."""
        cls = type(self.env[model])
        orm = set(dir(models.BaseModel))
        names = []
        for name in sorted(set(dir(cls)) - orm):
            if name.startswith("_"):
                continue
            method = getattr(cls, name, None)
            if not callable(method):
                continue
            names.append(name)
        return names

    @mute_logger(
        "odoo.http",
        "odoo.models",
        "odoo.addons.base.models.ir_rule",
        "odoo.addons.mail.models.mail_mail",
        "odoo.sql_db",
    )
    def test_default_deny_list(self):
        """Each public method of sale.order, contract.contract and
        contract.line, on a user's own records and on others', is refused or
        leaves the channel as it was (the salesman's own flows aside)."""
        self.quotes = self.quote_a | self.quote_b | self.quote_s
        self.contracts = self.sub_a | self.sub_b | self.sub_s
        records = {
            # user: (own records, others' records)
            self.portal_dist_a: (
                {"sale.order": self.quote_a, "contract.contract": self.sub_a},
                {"sale.order": self.quote_b, "contract.contract": self.sub_b},
            ),
            self.portal_cust_b: (
                {"sale.order": self.quote_b, "contract.contract": self.sub_b},
                {"sale.order": self.quote_a, "contract.contract": self.sub_a},
            ),
            self.salesman: (
                {"sale.order": self.quote_s, "contract.contract": self.sub_s},
                {"sale.order": self.quote_a, "contract.contract": self.sub_a},
            ),
        }
        methods = {model: self._public_methods(model) for model in DENY_MODELS}
        self.assertIn("action_create_contract", methods["sale.order"])
        self.assertIn("action_channel_cancel", methods["contract.contract"])
        self.env.flush_all()
        reference = self._fingerprint()
        failures = []
        for user, (own, others) in records.items():
            self.login(user)
            for whose, targets in (("own", own), ("others", others)):
                targets = dict(targets)
                targets["contract.line"] = targets[
                    "contract.contract"
                ].contract_line_ids
                for model in DENY_MODELS:
                    for method in methods[model]:
                        if (
                            user == self.salesman
                            and whose == "own"
                            and method in SALESMAN_OWN_FLOWS[model]
                        ):
                            continue
                        with closing(self.env.cr.savepoint()):
                            result = self.call_kw(model, method, [targets[model].ids])
                            changed = self._fingerprint() != reference
                        self.env.invalidate_all()
                        if changed and "error" not in result:
                            failures.append(f"{user.login} {whose} {model}.{method}")
        self.assertEqual(failures, [])


@tagged("post_install", "-at_install")
class TestSubscriptionProbe9(SubscriptionCase):
    """Ninth outside probe (issue 24) on subscriptions."""

    def test_contract_template_adds_nothing_to_a_channel_subscription(self):
        """P9-12: a salesman wrote the contract template of a subscription
        product (an extra line of 50 units, yearly): every channel
        subscription started from an order of the product took the
        template's lines and recurrence, and the distributor was billed
        for 50 units it never ordered. It is billed its order."""
        salesman = new_test_user(
            self.env, "p9_sown", groups="sales_team.group_sale_salesman"
        )
        template = (
            self.env["contract.template"]
            .with_user(salesman)
            .create({"name": "P9 template", "recurring_rule_type": "yearly"})
        )
        self.env["contract.template.line"].with_user(salesman).create(
            {
                "contract_id": template.id,
                "product_id": self.product_monthly.id,
                "name": "P9 extra fee",
                "quantity": 50,
                "price_unit": 500.0,
                "recurring_rule_type": "yearly",
            }
        )
        self.product_monthly.property_contract_template_id = template
        contract = self._start_subscription(
            self.distributor_a, self.customer_a, [(self.product_monthly, 1)]
        )
        order = contract.channel_order_id
        self.assertEqual(len(contract), 1)
        self.assertEqual(
            contract.contract_line_ids.sale_order_line_id, order.order_line
        )
        self.assertEqual(contract.contract_line_ids.mapped("quantity"), [1.0])
        self.assertEqual(contract.recurring_rule_type, "monthly")
        self.assertEqual(contract.contract_line_ids.recurring_rule_type, "monthly")
        self.assertEqual(contract.pricelist_id, order.pricelist_id)
        invoice = self._bill(self.distributor_a, self.start)
        lines = self._products(invoice)
        self.assertEqual(lines.mapped("quantity"), [1.0])
        self.assertEqual(lines.product_id, self.product_monthly)
        self.assertEqual(
            invoice.amount_untaxed, order.order_line.price_subtotal, invoice.name
        )

    def test_run_day_is_the_users_not_the_rpc_contexts(self):
        """P9-11: the run's day was read in the caller's ``tz`` context: at
        20:00 UTC a caller naming Pacific/Kiritimati (UTC+14, already the
        next day there) billed tomorrow. The day is the run's companies'
        (P10-2, below), never the context's."""
        self.env.company.partner_id.tz = "UTC"
        accountant = new_test_user(
            self.env,
            "p9_acct",
            groups="base.group_user,account.group_account_invoice",
            tz="UTC",
        )
        due = self._start_subscription(self.distributor_a, self.customer_a)
        day = fields.Date.today()
        tomorrow = day + relativedelta(days=1)
        ahead = {"tz": "Pacific/Kiritimati"}
        Move = self.env["account.move"]
        with freeze_time(datetime.combine(day, time(20))):
            next_date = due.recurring_next_date
            before = Move.search([])
            Partner = self.env["res.partner"].with_user(accountant)
            with self.assertRaisesRegex(UserError, "today"):
                Partner.with_context(**ahead)._channel_check_run_day(
                    tomorrow, "Billing"
                )
            with self.assertRaisesRegex(UserError, "today"):
                due.with_user(accountant).with_context(**ahead).sudo()._channel_bill(
                    tomorrow
                )
            with self.assertRaisesRegex(UserError, "today"):
                self.distributor_a.with_user(accountant).with_context(
                    **ahead
                ).channel_invoice_due(tomorrow)
            self.assertEqual(Move.search([]), before)
            self.assertEqual(due.recurring_next_date, next_date)
            # today (the company's) runs as before
            Partner.with_context(**ahead)._channel_check_run_day(day, "Billing")

    def test_run_day_is_the_companys_not_the_users_own_tz(self):
        """P10-2: the run's day was the user's time zone, a preference every
        user sets himself: an accountant who set his own to
        Pacific/Kiritimati (UTC+14) billed tomorrow from 10:00 UTC. The day
        of a run by hand is its companies' (their partners' time zone, else
        UTC; the earliest of the companies of the call): no caller chooses
        it, by date, by default, or by its own time zone."""
        company = self.env.company
        company.partner_id.tz = "UTC"
        accountant = new_test_user(
            self.env,
            "p10_acct",
            groups="base.group_user,account.group_account_invoice",
            tz="UTC",
        )
        accountant.with_user(accountant).write({"tz": "Pacific/Kiritimati"})
        self.assertEqual(accountant.tz, "Pacific/Kiritimati")
        company_2 = self.env["res.company"].create({"name": "P10 Co 2"})
        company_2.partner_id.tz = "Pacific/Kiritimati"
        accountant.company_ids |= company_2
        due = self._start_subscription(self.distributor_a, self.customer_a)
        day = fields.Date.today()
        tomorrow = day + relativedelta(days=1)
        Move = self.env["account.move"]
        Partner = self.env["res.partner"].with_user(accountant)
        with freeze_time(datetime.combine(day, time(10))):
            next_date = due.recurring_next_date
            before = Move.search([])
            with self.assertRaisesRegex(UserError, "today"):
                self.distributor_a.with_user(accountant).channel_invoice_due(tomorrow)
            with self.assertRaisesRegex(UserError, "today"):
                due.with_user(accountant).sudo()._channel_bill(tomorrow)
            # a second company of the user, a day ahead (its settings), does
            # not move the day of a run that bills the first one too
            both = {"allowed_company_ids": [company_2.id, company.id]}
            with self.assertRaisesRegex(UserError, "today"):
                self.distributor_a.with_user(accountant).with_context(
                    **both
                ).channel_invoice_due(tomorrow)
            self.assertEqual(Move.search([]), before)
            self.assertEqual(due.recurring_next_date, next_date)
            # by default the run bills up to the companies' today: it runs
            self.distributor_a.with_user(accountant).channel_invoice_due()
            # the company's own time zone (its settings) decides, a day ahead
            # too: the user's (back to UTC) does not hold it back
            accountant.with_user(accountant).write({"tz": "UTC"})
            company.partner_id.tz = "Pacific/Kiritimati"
            Partner._channel_check_run_day(tomorrow, "Billing")


@tagged("post_install", "-at_install")
class TestSubscriptionProbe14(SubscriptionPortalCase):
    """Fourteenth outside probe, P14-6: the guard of OCA's line flows
    answered before any access check, naming the subscription, its
    distributor, product and period end to any logged-in user who named
    a line id."""

    @mute_logger("odoo.http")
    def test_line_flows_name_nothing_to_those_who_do_not_read_it(self):
        sub = self._subscribe(self.distributor_a, self.customer_a)
        line = sub.contract_line_ids
        calls = {
            "stop": ["2030-01-31"],
            "cancel": [],
            "uncancel": ["2030-01-01"],
            "plan_successor": ["2030-01-01", "2030-12-31", False],
            "stop_plan_successor": ["2030-01-01", "2030-12-31", False],
        }
        employee = new_test_user(self.env, "p14_sub_emp", groups="base.group_user")
        for user in (self.portal_dist_b, self.portal_cust_a, employee):
            self.login(user)
            for method, args in calls.items():
                with self.subTest(user=user.login, method=method):
                    result = self.call_kw("contract.line", method, [line.ids, *args])
                    self.assertIn("error", result)
                    message = result["error"]["data"]["message"]
                    for leak in (sub.name, "Distributor A", line.name):
                        self.assertNotIn(leak, message)
        self.assertFalse(line.is_canceled)
