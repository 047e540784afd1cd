# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who reads and changes subscriptions, through the ORM, JSON-RPC and the
portal."""

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import SubscriptionCase, SubscriptionPortalCase


@tagged("post_install", "-at_install")
class TestSubscriptionAccess(SubscriptionCase):
    """Backend users: salesmen of their own documents, of all documents,
    channel managers, accountants."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales_own = new_test_user(
            cls.env, "sub_sales_own", groups="sales_team.group_sale_salesman"
        )
        cls.sales_all = new_test_user(
            cls.env,
            "sub_sales_all",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        cls.manager = new_test_user(
            cls.env,
            "sub_chan_mgr",
            groups="sales_team.group_sale_salesman_all_leads,"
            "channel_distribution.group_channel_manager",
        )
        cls.accountant = new_test_user(
            cls.env, "sub_acct", groups="base.group_user,account.group_account_invoice"
        )
        # someone else's subscription, billed and changed once
        cls.other = cls._start_subscription(cls.distributor_a, cls.customer_a)
        cls.other.user_id = cls.env.ref("base.user_admin")
        cls.env["account.move"].browse(cls.distributor_a.channel_invoice_due(cls.start))
        cls.other.contract_line_ids._channel_change_quantity(
            4, cls.start + relativedelta(days=3)
        )
        # the own-documents salesman's subscription
        cls.own = cls._start_subscription(
            cls.distributor_b, cls.customer_b, user_id=cls.sales_own.id
        )
        cls.distributor_b.channel_invoice_due(fields.Date.today())

    def _change(self, user, line, quantity, day=None):
        wizard = (
            self.env["channel.contract.quantity"]
            .with_user(user)
            .create(
                {
                    "contract_line_id": line.id,
                    "quantity": quantity,
                    "date": day or fields.Date.today(),
                }
            )
        )
        return wizard.action_apply()

    # adjustments are made by the quantity change only ----------------------

    def test_salesman_cannot_make_adjustments(self):
        line = self.own.contract_line_ids
        vals = {
            "contract_line_id": line.id,
            "date": fields.Date.today(),
            "quantity": -1000,
            "quantity_before": 3,
            "quantity_after": 3,
            "period_start": self.start,
            "period_end": self.start + relativedelta(months=1, days=-1),
            "ratio": 1.0,
            "price_unit": 100.0,
        }
        Adjustment = self.env["channel.contract.adjustment"]
        for user in (self.sales_own, self.sales_all, self.manager):
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                Adjustment.with_user(user).create(vals)
        adjustment = self.other.channel_adjustment_ids
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            adjustment.with_user(self.sales_all).write({"quantity": -1000})
        # the salesman's own change makes one, through its checks
        self._change(self.sales_own, line, 5)
        self.assertEqual(line.quantity, 5)
        self.assertEqual(self.own.channel_adjustment_ids.quantity_after, 5)

    # lines change through the quantity change only --------------------------

    def test_salesman_cannot_write_another_salesmans_lines(self):
        line = self.other.contract_line_ids.with_user(self.sales_own)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            line.write({"quantity": 1})
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            line.read(["price_unit"])
        lines = self.env["contract.line"].with_user(self.sales_own).search([])
        self.assertNotIn(self.other.contract_line_ids, lines)
        self.assertIn(self.own.contract_line_ids, lines)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self._change(self.sales_own, self.other.contract_line_ids, 1)
        self.assertEqual(self.other.contract_line_ids.quantity, 4)

    def test_commercial_fields_only_through_the_quantity_change(self):
        line = self.own.contract_line_ids
        for vals in (
            {"quantity": 1},
            {"price_unit": 0.01},
            {"name": "pwned"},
            {"discount": 100.0},
        ):
            for user in (self.sales_own, self.sales_all):
                with self.assertRaisesRegex(UserError, "Change the Quantity"):
                    line.with_user(user).write(vals)
        for user in (self.sales_own, self.sales_all):
            with self.assertRaisesRegex(UserError, "Change the Quantity"):
                self.env["contract.line"].with_user(user).create(
                    {
                        "contract_id": self.own.id,
                        "product_id": self.product_monthly.id,
                        "name": "extra",
                        "quantity": 100,
                        "price_unit": 1.0,
                        "date_start": self.start,
                        "recurring_next_date": self.start,
                    }
                )
        self.assertEqual(line.quantity, 3)
        self.assertEqual(len(self.own.contract_line_ids), 1)
        # the rest of the line is OCA's to change (its flows: stop, renew...)
        line.with_user(self.sales_own).write({"is_auto_renew": False})
        # a channel manager decides
        line.with_user(self.manager).write({"price_unit": 70.0})
        self.assertEqual(line.price_unit, 70.0)
        # a subscription that is no channel one is not concerned
        direct = self.env["contract.contract"].create(
            {
                "name": "Direct",
                "partner_id": self.customer_a.id,
                "user_id": self.sales_own.id,
                "contract_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product_monthly.id,
                            "name": "Direct seat",
                            "quantity": 3,
                            "price_unit": 100.0,
                            "date_start": self.start,
                        }
                    )
                ],
            }
        )
        direct.contract_line_ids.with_user(self.sales_own).write({"quantity": 7})
        self.assertEqual(direct.contract_line_ids.quantity, 7)

    def test_stop_and_successor_still_work(self):
        line = self.own.contract_line_ids
        end = fields.Date.today() + relativedelta(months=2, day=31)
        line.with_user(self.sales_own).stop(end)
        self.assertEqual(line.date_end, end)
        # a successor extends a channel subscription (a new line): a
        # channel manager's (third probe, test_probe.ENDING_MATRIX)
        with self.assertRaisesRegex(UserError, "channel manager"):
            line.with_user(self.sales_own).plan_successor(
                end + relativedelta(days=1), end + relativedelta(years=1), False
            )
        self.assertFalse(line.successor_contract_line_id)
        manager = new_test_user(
            self.env,
            "sub_succ_mgr",
            groups="sales_team.group_sale_salesman_all_leads,"
            "channel_distribution.group_channel_manager",
        )
        successor = line.with_user(manager).plan_successor(
            end + relativedelta(days=1),
            end + relativedelta(years=1),
            False,
        )
        self.assertEqual(successor.contract_id, self.own)
        self.assertEqual(successor.quantity, 3)

    # the day of a change ------------------------------------------------------

    def test_change_in_the_past_refused(self):
        line = self.own.contract_line_ids
        yesterday = fields.Date.today() - relativedelta(days=1)
        with self.assertRaisesRegex(UserError, "before today"):
            self._change(self.sales_own, line, 1, yesterday)
        with self.assertRaisesRegex(UserError, "before today"):
            self._change(self.sales_own, line, 1, self.start)
        self.assertEqual(line.quantity, 3)
        self.assertFalse(self.own.channel_adjustment_ids)
        # a channel manager may date a change back (a correction)
        self._change(self.manager, self.other.contract_line_ids, 5, yesterday)
        self.assertEqual(self.other.contract_line_ids.quantity, 5)

    def test_change_before_the_last_change_refused(self):
        line = self.other.contract_line_ids
        later = fields.Date.today() + relativedelta(days=10)
        self._change(self.manager, line, 6, later)
        with self.assertRaisesRegex(UserError, "last change"):
            self._change(self.sales_all, line, 7)
        self.assertEqual(line.quantity, 6)

    def test_quantity_rounded_to_the_unit(self):
        line = self.own.contract_line_ids
        line.uom_id.rounding = 1.0  # whole units
        with self.assertRaisesRegex(UserError, "above zero"):
            self._change(self.sales_own, line, 0.4)
        self.assertEqual(line.quantity, 3)
        self._change(self.sales_own, line, 4.4)
        self.assertEqual(line.quantity, 4.0)

    # who reads periods and adjustments ---------------------------------------

    def test_salesman_reads_periods_and_changes_of_own_subscriptions(self):
        Period = self.env["channel.contract.period"]
        Adjustment = self.env["channel.contract.adjustment"]
        self.assertTrue(self.other.channel_period_ids)
        self.assertTrue(self.other.channel_adjustment_ids)
        self._change(self.sales_own, self.own.contract_line_ids, 5)
        own_periods = Period.with_user(self.sales_own).search([])
        own_changes = Adjustment.with_user(self.sales_own).search([])
        self.assertFalse(own_periods & self.other.channel_period_ids)
        self.assertFalse(own_changes & self.other.channel_adjustment_ids)
        self.assertTrue(own_changes & self.own.channel_adjustment_ids)
        for user in (self.sales_all, self.accountant):
            self.assertTrue(
                Period.with_user(user).search([]) >= self.other.channel_period_ids
            )
            self.assertTrue(
                Adjustment.with_user(user).search([])
                >= self.other.channel_adjustment_ids
            )


@tagged("post_install", "-at_install")
class TestSubscriptionPortalAccess(SubscriptionPortalCase):
    """Portal users through JSON-RPC and the portal pages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sub_a = cls._subscribe(cls.distributor_a, cls.customer_a)
        cls.sub_b = cls._subscribe(cls.distributor_b, cls.customer_b)  # agency
        cls.sub_b_resale = cls._subscribe(
            cls.distributor_b, cls.customer_b, financial_role="distributor"
        )
        cls.subs = cls.sub_a | cls.sub_b | cls.sub_b_resale

    def _rpc_contracts(self, model, user):
        """The subscriptions whose ``model`` records ``user`` reads by
        JSON-RPC."""
        self.login(user)
        result = self.call_kw(model, "search_read", [[]], {"fields": ["contract_id"]})
        self.assertNotIn("error", result)
        return {row["contract_id"][0] for row in result["result"]}

    def _follow(self, contract, user):
        contract.message_subscribe(partner_ids=user.partner_id.ids)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_portal_reads_lines_of_its_subscriptions_only(self):
        # a distributor's user following its subscription, an end customer's
        # following both of B's: each reads what OCA's portal shows it
        self._follow(self.sub_a, self.portal_dist_a)
        self._follow(self.sub_b | self.sub_b_resale, self.portal_cust_b)
        expected = {
            self.portal_dist_a: self.sub_a,
            self.portal_dist_b: self.env["contract.contract"],
            # never the distributor's lines of a resale subscription (its
            # buy price)
            self.portal_cust_b: self.sub_b,
            self.portal_cust_a: self.env["contract.contract"],
        }
        for user, contracts in expected.items():
            for model in ("contract.line", "contract.modification"):
                seen = self._rpc_contracts(model, user) & set(self.subs.ids)
                self.assertEqual(seen, set(contracts.ids), (user.login, model))
        self.login(self.portal_dist_b)
        result = self.call_kw(
            "contract.line",
            "read",
            [self.sub_a.contract_line_ids.ids, ["price_unit"]],
        )
        self.assertIn("error", result)
        result = self.call_kw(
            "contract.line",
            "read_group",
            [[], ["quantity:sum"], ["channel_distributor_id"]],
        )
        distributors = {
            row["channel_distributor_id"][0]
            for row in result["result"]
            if row["channel_distributor_id"]
        }
        self.assertNotIn(self.distributor_a.id, distributors)

    def test_legit_parties_still_see_their_pages(self):
        self._follow(self.sub_a, self.portal_dist_a)
        self.login(self.portal_dist_a)
        page = self.url_open(f"/my/contracts/{self.sub_a.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Test Portal Seat", page.text)
        page = self.url_open(f"/my/channel/subscriptions/{self.sub_a.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Test Portal Seat", page.text)
        self.login(self.portal_cust_b)
        page = self.url_open(f"/my/channel/subscriptions/{self.sub_b.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Test Portal Seat", page.text)

    def _post_quantity(self, contract, quantity):
        return self.post_form(
            f"/my/channel/subscriptions/{contract.id}/quantity",
            {"line_id": contract.contract_line_ids.id, "quantity": quantity},
        )

    def test_agency_distributor_never_raises_the_quantity(self):
        self.login(self.portal_dist_b)
        line = self.sub_b.contract_line_ids
        response = self._post_quantity(self.sub_b, 10000)
        self.assertEqual(response.status_code, 400)
        self.assertIn("end customer", response.text)
        self.env.invalidate_all()
        self.assertEqual(line.quantity, 3)
        self.assertFalse(self.sub_b.channel_adjustment_ids)
        # lowering it is the distributor's
        response = self._post_quantity(self.sub_b, 2)
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(line.quantity, 2)
        # a resale subscription grows
        response = self._post_quantity(self.sub_b_resale, 8)
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(self.sub_b_resale.contract_line_ids.quantity, 8)

    def test_portal_quantity_rounded_to_the_unit(self):
        self.login(self.portal_dist_a)
        line = self.sub_a.contract_line_ids
        response = self._post_quantity(self.sub_a, "0.0001")
        self.assertEqual(response.status_code, 400)
        self.assertIn("o_channel_subscription_error", response.text)
        self.env.invalidate_all()
        self.assertEqual(line.quantity, 3)
        response = self._post_quantity(self.sub_a, "5.0001")
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(line.quantity, 5.0)
