# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from dateutil.relativedelta import relativedelta

from odoo.addons.channel_distribution_contract.tests.common import SubscriptionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestSubscriptionCommission(SubscriptionCase):
    """An agency subscription of 3 seats at 100 (the distributor's book: 80)
    earns the distributor 60 a period; a prorated change its own share."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.distributor_a.channel_commission_paid = True
        cls.contract = cls._start_subscription(
            cls.distributor_a, cls.customer_a, financial_role="end_customer"
        )

    def _agency_invoice(self, day):
        moves = self._bill(self.distributor_a, day)
        return moves.filtered(lambda m: m.partner_id == self.customer_a)

    def test_period_carries_its_commission(self):
        invoice = self._agency_invoice(self.start)
        line = self._products(invoice)
        period = line.channel_period_id
        self.assertEqual(period.commission, 60.0)
        self.assertEqual(line.agent_ids.agent_id, self.distributor_a)
        self.assertEqual(line.agent_ids.amount, 60.0)
        invoice.action_post()
        refund = self._reverse(invoice)
        self.assertEqual(refund.invoice_line_ids.agent_ids.amount, -60.0)

    def test_resale_subscription_gets_no_agent(self):
        resale = self._start_subscription(self.distributor_a, self.customer_b)
        self.assertEqual(resale.financial_role, "distributor")
        moves = self._bill(self.distributor_a, self.start)
        lines = moves.invoice_line_ids.filtered(
            lambda x: x.contract_line_id.contract_id == resale
        )
        self.assertTrue(lines)
        self.assertFalse(lines.agent_ids)

    def test_prorated_change_carries_its_commission(self):
        self._agency_invoice(self.start).action_post()
        line = self.contract.contract_line_ids
        end = self.start + relativedelta(months=1, days=-1)
        day = end - relativedelta(days=9)
        adjustment = line._channel_change_quantity(5, day)
        days = (end - self.start).days + 1
        self.assertAlmostEqual(
            adjustment.channel_commission, round(2 * 20.0 * 10 / days, 2)
        )
        invoice = self._agency_invoice(self.start + relativedelta(months=1))
        charge = self._products(invoice).filtered("channel_adjustment_ids")
        self.assertEqual(charge.agent_ids.amount, adjustment.channel_commission)
        period = self._products(invoice) - charge
        self.assertEqual(period.agent_ids.amount, 100.0)  # 5 x 20

    def test_prorated_decrease_claws_back(self):
        self._agency_invoice(self.start).action_post()
        line = self.contract.contract_line_ids
        end = self.start + relativedelta(months=1, days=-1)
        day = end - relativedelta(days=9)
        adjustment = line._channel_change_quantity(1, day)
        self.assertLess(adjustment.channel_commission, 0.0)
        moves = self._bill(self.distributor_a, self.start + relativedelta(months=1))
        refund = moves.filtered(lambda m: m.move_type == "out_refund")
        credit = refund.invoice_line_ids.filtered("channel_adjustment_ids")
        self.assertEqual(credit.agent_ids.amount, adjustment.channel_commission)

    def test_draft_edits_of_a_period_line_follow_what_it_bills(self):
        """Eleventh probe, P11-1, on a subscription: the period's line of 3 x
        100.00 (unit 20.00) edited on its draft (and its credit note's)
        earns the share of what it bills, as its Channel Commission."""
        invoice = self._agency_invoice(self.start)
        line = self._products(invoice)
        self.assertEqual(line.channel_commission_unit, 20.0)
        for vals, commission in (
            ({"quantity": 100.0, "price_unit": 3.0}, 60.0),
            ({"quantity": 3.0, "price_unit": 50.0}, 30.0),
            ({"price_unit": 100.0, "discount": 90.0}, 6.0),
            ({"discount": 0.0}, 60.0),
        ):
            with self.subTest(vals=vals):
                line.write(vals)
                self.assertEqual(line.agent_ids.amount, commission)
                self.assertEqual(line.channel_commission, commission)
        invoice.action_post()
        refund = self._reverse(invoice)
        line = refund.invoice_line_ids.filtered("agent_ids")
        self.assertEqual(line.agent_ids.amount, -60.0)
        line.write({"quantity": 50.0, "price_unit": 0.2})
        self.assertEqual(line.agent_ids.amount, -2.0)
