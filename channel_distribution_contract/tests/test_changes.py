# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from dateutil.relativedelta import relativedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SubscriptionCase


@tagged("post_install", "-at_install")
class TestSubscriptionChanges(SubscriptionCase):
    def _month_end(self, start):
        return start + relativedelta(months=1, days=-1)

    def test_prorated_increase_charged_on_next_invoice(self):
        contract = self._start_subscription(self.distributor_a, self.customer_a)
        self._bill(self.distributor_a, self.start)
        line = contract.contract_line_ids
        end = self._month_end(self.start)
        day = end - relativedelta(days=9)  # the last 10 days of the period
        adjustment = line._channel_change_quantity(5, day)
        days = (end - self.start).days + 1
        self.assertAlmostEqual(adjustment.ratio, 10 / days, places=5)
        self.assertEqual(adjustment.quantity, 2)
        self.assertEqual(line.quantity, 5)
        invoice = self._bill(self.distributor_a, self.start + relativedelta(months=1))
        section = self._sections(invoice)
        self.assertEqual(section.channel_contract_id, contract)
        lines = self._products(invoice)
        charge = lines.filtered("channel_adjustment_ids")
        # one line of the prorated amount, rounded once: 2 x 80 x 10/days
        self.assertEqual(charge.quantity, 1)
        self.assertAlmostEqual(charge.price_subtotal, round(2 * 80.0 * 10 / days, 2))
        period = lines - charge
        self.assertEqual(period.quantity, 5)
        self.assertEqual(adjustment.state, "billed")
        # billed once
        self.assertFalse(
            self._bill(self.distributor_a, self.start + relativedelta(months=1))
        )

    def test_prorated_decrease_credited_on_a_credit_note_of_its_invoice(self):
        contract = self._start_subscription(self.distributor_a, self.customer_a)
        first = self._bill(self.distributor_a, self.start)
        # a credit corrects a posted invoice (of a draft, it waits)
        first.action_post()
        line = contract.contract_line_ids
        end = self._month_end(self.start)
        day = end - relativedelta(days=9)
        line._channel_change_quantity(1, day)
        days = (end - self.start).days + 1
        moves = self._bill(self.distributor_a, self.start + relativedelta(months=1))
        invoice = moves.filtered(lambda m: m.move_type == "out_invoice")
        refund = moves - invoice
        # the next period on an invoice: 1 x 80
        self.assertAlmostEqual(invoice.amount_total, 80.0)
        # the credit on a credit note of the invoice that billed the period,
        # never netted into the next invoice
        credit = self._products(refund)
        self.assertEqual(credit.channel_adjustment_ids, contract.channel_adjustment_ids)
        self.assertEqual(credit.quantity, 1)
        self.assertAlmostEqual(credit.price_subtotal, round(2 * 80.0 * 10 / days, 2))
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.reversed_entry_id, first)
        self.assertEqual(self._sections(refund).channel_contract_id, contract)

    def _credit_most_of_a_period(self):
        """10 seats billed for the first period, 1 from its second day:
        a credit of 9 seats for all but one day, far above the 1 seat of
        the next period. Invoices are posted as the scheduled job does."""
        self.company.channel_invoice_auto_post = True
        contract = self._start_subscription(
            self.distributor_a, self.customer_a, [(self.product_monthly, 10)]
        )
        first = self._bill(self.distributor_a, self.start)
        self.assertEqual(first.amount_total, 800.0)
        adjustment = contract.contract_line_ids._channel_change_quantity(
            1, self.start + relativedelta(days=1)
        )
        self.assertEqual(adjustment.quantity, -9)
        days = (self._month_end(self.start) - self.start).days + 1
        return contract, adjustment, first, round(9 * 80.0 * (days - 1) / days, 2)

    def _assert_credit_note_once(self, contract, adjustment, moves, first, amounts):
        """``moves``: a posted invoice of ``amounts[0]`` (the next period
        and sales) and a posted credit note of ``first`` of ``amounts[1]``
        (the credit); the change and the period are billed once."""
        self.assertEqual(len(moves), 2)
        invoice = moves.filtered(lambda m: m.move_type == "out_invoice")
        refund = moves - invoice
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.reversed_entry_id, first)
        self.assertEqual(set(moves.mapped("state")), {"posted"})
        self.assertEqual(moves.partner_id, self.distributor_a)
        self.assertAlmostEqual(invoice.amount_total, amounts[0])
        self.assertAlmostEqual(refund.amount_total, amounts[1])
        credit = adjustment.move_line_id
        self.assertEqual(credit.move_id, refund)
        self.assertEqual(credit.quantity, 1)
        self.assertEqual(adjustment.state, "billed")
        period = contract.channel_period_ids.filtered(
            lambda p: p.date_start == self.start + relativedelta(months=1)
        )
        self.assertEqual(period.move_line_ids.move_id, invoice)
        self.assertEqual(period.move_line_ids.quantity, 1)
        # nothing billed twice: the change is on one line, the next run
        # finds nothing more to bill
        self.assertEqual(
            self.env["account.move.line"].search(
                [("channel_adjustment_ids", "in", adjustment.ids)]
            ),
            credit,
        )
        self.assertFalse(
            self._bill(self.distributor_a, self.start + relativedelta(months=1))
        )
        self.assertEqual(len(contract.channel_period_ids), 2)
        return invoice

    def test_credit_above_the_invoice_never_nets_the_next_period(self):
        """A credit above what the next invoice bills is no reason to net:
        the next period on an invoice, the credit on a credit note of the
        invoice it corrects."""
        contract, adjustment, first, credit = self._credit_most_of_a_period()
        moves = self._bill(self.distributor_a, self.start + relativedelta(months=1))
        self._assert_credit_note_once(
            contract, adjustment, moves, first, (80.0, credit)
        )

    def test_credit_above_an_invoice_shared_with_orders(self):
        contract, adjustment, first, credit = self._credit_most_of_a_period()
        one_off = self._create_order(self.distributor_a, self.customer_a)
        one_off.action_confirm()
        self.assertAlmostEqual(one_off.amount_untaxed, 160.0)
        moves = self._bill(self.distributor_a, self.start + relativedelta(months=1))
        invoice = self._assert_credit_note_once(
            contract, adjustment, moves, first, (80.0 + 160.0, credit)
        )
        self.assertEqual(one_off.invoice_ids, invoice)
        self.assertEqual(one_off.invoice_status, "invoiced")
        self.assertEqual(one_off.order_line.qty_invoiced, 2)

    def test_change_in_arrears_prorates_days_before(self):
        contract = self._start_subscription(
            self.distributor_a, self.customer_a, [(self.product_arrears, 4)]
        )
        line = contract.contract_line_ids
        day = self.start + relativedelta(days=10)
        adjustment = line._channel_change_quantity(2, day)
        days = (self._month_end(self.start) - self.start).days + 1
        # the period is billed at 2 in arrears; the 10 first days at 4
        self.assertEqual(adjustment.quantity, 2)
        self.assertAlmostEqual(adjustment.ratio, 10 / days, places=5)

    def test_bad_quantities_write_nothing(self):
        contract = self._start_subscription(self.distributor_a, self.customer_a)
        line = contract.contract_line_ids
        for bad in (-1, 0, 10**9, None, float("nan"), float("-inf"), float("inf")):
            with self.assertRaises(UserError):
                line._channel_change_quantity(bad, self.start)
        self.assertEqual(line.quantity, 3)
        self.assertFalse(contract.channel_adjustment_ids)

    def test_cancel_at_end_of_period(self):
        contract = self._start_subscription(self.distributor_a, self.customer_a)
        self._bill(self.distributor_a, self.start)
        day = self.start + relativedelta(days=5)
        ends = contract._channel_cancel(day)
        self.assertEqual(ends[contract], self._month_end(self.start))
        self.assertEqual(
            contract.contract_line_ids.date_end, self._month_end(self.start)
        )
        self.assertFalse(contract.contract_line_ids.is_auto_renew)
        self.assertEqual(contract.channel_cancel_date, day)
        # nothing more to bill after the end
        self.assertFalse(
            self._bill(self.distributor_a, self.start + relativedelta(months=3))
        )
        with self.assertRaisesRegex(UserError, "cancelled"):
            contract._channel_cancel(day)
        with self.assertRaisesRegex(UserError, "cancelled"):
            contract.contract_line_ids._channel_change_quantity(5, day)

    def test_cancel_after_notice(self):
        self.product_monthly.termination_notice_interval = 1
        contract = self._start_subscription(self.distributor_a, self.customer_a)
        self._bill(self.distributor_a, self.start)
        day = self.start + relativedelta(days=5)
        ends = contract._channel_cancel(day)
        # a month's notice from day 6 runs into the next period: it ends there
        self.assertEqual(
            ends[contract], self._month_end(self.start + relativedelta(months=1))
        )
        invoice = self._bill(self.distributor_a, self.start + relativedelta(months=3))
        self.assertEqual(len(self._sections(invoice)), 1)

    def _need_commissioning(self):
        if "commissioning_required" not in self.env["product.template"]._fields:
            self.skipTest("commissioning is channel_distribution_helpdesk's")

    def test_renewal_follows_product_and_raises_no_ticket(self):
        self._need_commissioning()
        team = self.env["helpdesk.ticket.team"].create({"name": "T Sub Ops"})
        self.company.write(
            {"commissioning_team_id": team.id, "commissioning_user_id": False}
        )
        self.product_monthly.commissioning_required = True
        contract = self._start_subscription(self.distributor_a, self.customer_a)
        order = contract.channel_order_id
        self.assertEqual(len(order.ticket_ids), 1)  # raised at the start
        line = contract.contract_line_ids
        self.assertTrue(line.is_auto_renew)
        end = line.date_end
        self.assertEqual(end, self.start + relativedelta(years=1, days=-1))
        line.renew()
        renewed = contract.contract_line_ids.filtered(lambda x: not x.is_canceled)
        self.assertEqual(max(renewed.mapped("date_end")), end + relativedelta(years=1))
        # periods and renewals raise no ticket
        self._bill(self.distributor_a, self.start + relativedelta(months=2))
        order.invalidate_recordset(["ticket_ids"])
        tickets = order.ticket_ids.filtered("is_commissioning")
        self.assertEqual(len(tickets), 1)
        self.assertEqual(
            len(tickets.message_ids.filtered(lambda m: "grew" in (m.body or ""))), 0
        )

    def test_product_without_auto_renew_ends_at_term(self):
        self.product_monthly.is_auto_renew = False
        contract = self._start_subscription(self.distributor_a, self.customer_a)
        self.assertFalse(contract.contract_line_ids.is_auto_renew)
        self.assertEqual(contract.channel_state, "ending")

    def test_growth_asks_commissioning(self):
        self._need_commissioning()
        team = self.env["helpdesk.ticket.team"].create({"name": "T Sub Ops"})
        self.company.write(
            {"commissioning_team_id": team.id, "commissioning_user_id": False}
        )
        self.product_monthly.commissioning_required = True
        contract = self._start_subscription(self.distributor_a, self.customer_a)
        ticket = contract.channel_order_id.ticket_ids
        before = len(ticket.message_ids)
        contract.contract_line_ids._channel_change_quantity(2, self.start)
        self.assertEqual(len(ticket.message_ids), before)  # a decrease: nothing
        contract.contract_line_ids._channel_change_quantity(6, self.start)
        self.assertTrue(ticket.message_ids.filtered(lambda m: "grew" in (m.body or "")))
        self.assertTrue(ticket.activity_ids)
        self.assertEqual(len(contract.channel_order_id.ticket_ids), 1)

    def test_backend_wizard_changes_quantity(self):
        contract = self._start_subscription(self.distributor_a, self.customer_a)
        self._bill(self.distributor_a, self.start)
        line = contract.contract_line_ids
        action = line.action_channel_change_quantity()
        wizard = (
            self.env[action["res_model"]]
            .with_context(**action["context"])
            .create({"quantity": 4, "date": self.start + relativedelta(days=3)})
        )
        wizard.action_apply()
        self.assertEqual(line.quantity, 4)
        self.assertEqual(contract.channel_adjustment_ids.quantity, 1)
