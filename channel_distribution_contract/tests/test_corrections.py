# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import format_amount

from .common import SubscriptionCase


@tagged("post_install", "-at_install")
class TestSubscriptionCorrections(SubscriptionCase):
    """What a cancelled or deleted draft, a credit note and a cancelled
    order do to subscription billing (issue 25, items 1, 2, 3, 10, 11).

    Dates are fixed (April has 30 days, so that prorations are exact
    whatever the rounding rule): a subscription of 3 monthly seats in
    advance from April 1st, billed at 80 (Gold: 20 % off 100)."""

    APRIL = date(2027, 4, 1)
    MAY = date(2027, 5, 1)
    JUNE = date(2027, 6, 1)

    def _april_may(self):
        """April billed and posted (3 x 80 = 240), 3 → 5 seats from April
        16th (+2 x 80 x 15/30 = 80.00), then the May 1st run: a draft of
        May, 5 x 80 = 400, and the change, 80.00: 480.00."""
        contract = self._start_subscription(
            self.distributor_a, self.customer_a, start=self.APRIL
        )
        april = self._bill(self.distributor_a, self.APRIL)
        self.assertEqual(april.amount_total, 240.0)
        april.action_post()
        line = contract.contract_line_ids
        adjustment = line._channel_change_quantity(5, date(2027, 4, 16))
        may = self._bill(self.distributor_a, self.MAY)
        self.assertEqual(may.state, "draft")
        self.assertEqual(may.amount_total, 480.0)
        return contract, april, may, adjustment

    def _assert_may_billed_on(self, contract, adjustment, invoice):
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.move_type, "out_invoice")
        # the same amounts: 5 x 80 = 400 for May and 2 x 80 x 15/30 = 80.00
        self.assertEqual(invoice.amount_total, 480.0)
        self.assertEqual(adjustment.state, "billed")
        self.assertEqual(adjustment.move_line_id.move_id, invoice)
        self.assertEqual(adjustment.move_line_id.price_subtotal, 80.0)
        may = contract.channel_period_ids.filtered(lambda p: p.date_start == self.MAY)
        self.assertEqual(len(may), 1)
        live = may.move_line_ids.filtered(lambda aml: aml.move_id.state != "cancel")
        self.assertEqual(live.move_id, invoice)
        self.assertEqual(live.price_subtotal, 400.0)
        self.assertEqual(contract.recurring_next_date, self.JUNE)

    # ------------------------------------------------------------------
    # item 1: a cancelled or deleted draft gives its periods back
    # ------------------------------------------------------------------

    @freeze_time("2027-05-01")
    def test_cancelled_draft_gives_periods_and_changes_back(self):
        contract, __, may, adjustment = self._april_may()
        # the book changes after the draft was made: the period given back
        # is billed again at the price it was billed at (80, not 90)
        self.distributor_a.distributor_tier_id = self.tier_silver
        may.button_cancel()
        self.assertEqual(adjustment.state, "pending")
        self.assertEqual(contract.recurring_next_date, self.MAY)
        again = self._bill(self.distributor_a, self.MAY)
        self._assert_may_billed_on(contract, adjustment, again)
        # the cancelled draft cannot come back: its periods are billed again
        with self.assertRaisesRegex(UserError, "billed again"):
            may.button_draft()
        self.assertEqual(may.state, "cancel")
        # nor by clearing its flag first (tenth probe, P10-5: reset and
        # posted beside the invoice that billed May again)
        accountant = new_test_user(
            self.env,
            "corrections_acct",
            groups="base.group_user,account.group_account_invoice",
        )
        self.assertTrue(may.channel_billing_released)
        with self.assertRaisesRegex(UserError, "billed again"):
            may.with_user(accountant).write({"channel_billing_released": False})
        self.assertTrue(may.channel_billing_released)

    @freeze_time("2027-05-01")
    def test_deleted_draft_gives_periods_and_changes_back(self):
        contract, __, may, adjustment = self._april_may()
        may.unlink()
        self.assertEqual(adjustment.state, "pending")
        self.assertEqual(contract.recurring_next_date, self.MAY)
        again = self._bill(self.distributor_a, self.MAY)
        self._assert_may_billed_on(contract, adjustment, again)
        # billed once: nothing more on the same day
        self.assertFalse(self._bill(self.distributor_a, self.MAY))

    @freeze_time("2027-06-01")
    def test_dates_reset_the_oca_way_bill_nothing_twice(self):
        contract = self._start_subscription(
            self.distributor_a, self.customer_a, start=self.APRIL
        )
        self._bill(self.distributor_a, self.MAY).action_post()  # April and May
        line = contract.contract_line_ids
        # OCA's way to bill again from the start: the last date invoiced
        # emptied; April and May are billed already
        line.sudo().write({"last_date_invoiced": False})
        self.assertEqual(line.recurring_next_date, self.APRIL)
        june = self._bill(self.distributor_a, self.JUNE)
        # June only: 3 x 80 = 240
        self.assertEqual(june.amount_total, 240.0)
        self.assertEqual(
            self._sections(june).mapped("channel_period_start"), [self.JUNE]
        )
        self.assertEqual(len(contract.channel_period_ids), 3)
        self.assertEqual(line.last_date_invoiced, date(2027, 6, 30))

    # ------------------------------------------------------------------
    # item 2: a credit note finance makes is never undone by the next run
    # ------------------------------------------------------------------

    @freeze_time("2027-05-01")
    def test_plain_credit_note_of_a_period_stays_credited(self):
        contract = self._start_subscription(
            self.distributor_a, self.customer_a, start=self.APRIL
        )
        april = self._bill(self.distributor_a, self.APRIL)
        april.action_post()
        refund = self._reverse(april)
        self.assertEqual(refund.amount_total, 240.0)
        refund.action_post()
        # the May run bills May only (3 x 80 = 240), April stays credited;
        # the order's recurring line is not billed as an order either
        may = self._bill(self.distributor_a, self.MAY)
        self.assertEqual(may.amount_total, 240.0)
        self.assertEqual(self._sections(may).mapped("channel_period_start"), [self.MAY])
        self.assertEqual(contract.channel_order_id.invoice_status, "no")
        # finance asks: April is billed again by the next run, 240
        period = contract.channel_period_ids.filtered(
            lambda p: p.date_start == self.APRIL
        )
        period.action_channel_bill_again()
        again = self._bill(self.distributor_a, self.MAY)
        self.assertEqual(again.amount_total, 240.0)
        self.assertEqual(
            self._sections(again).mapped("channel_period_start"), [self.APRIL]
        )
        self.assertEqual(contract.recurring_next_date, self.JUNE)
        # a period not credited is not billed again on demand
        with self.assertRaisesRegex(UserError, "credit"):
            contract.channel_period_ids.filtered(
                lambda p: p.date_start == self.MAY
            ).action_channel_bill_again()

    @freeze_time("2027-05-01")
    def test_bill_again_only_of_a_period_credited_in_full(self):
        """Eleventh probe, P11-12: a credit note that credits a period in
        part (its draft edited to 0.01) does not let *Bill Again* bill the
        whole period a second time; a draft credit note credits nothing."""
        contract = self._start_subscription(
            self.distributor_a, self.customer_a, start=self.APRIL
        )
        april = self._bill(self.distributor_a, self.APRIL)
        april.action_post()
        period = contract.channel_period_ids
        draft = self._reverse(april)
        self.assertEqual(draft.amount_total, 240.0)
        # not posted yet: nothing is credited
        with self.assertRaisesRegex(UserError, "no posted credit note"):
            period.action_channel_bill_again()
        self._products(draft).write({"price_unit": 0.01, "discount": 0.0})
        draft.action_post()
        self.assertEqual(draft.amount_total, 0.03)
        currency = april.currency_id
        with self.assertRaisesRegex(
            UserError,
            rf"{draft.name} credit {re.escape(format_amount(self.env, 0.03, currency))}"
            rf" of the {re.escape(format_amount(self.env, 240.0, currency))}"
            rf" {april.name}",
        ):
            period.action_channel_bill_again()
        self.assertFalse(period.channel_bill_again)
        # the next run does not bill April either: May only
        may = self._bill(self.distributor_a, self.MAY)
        self.assertEqual(self._sections(may).mapped("channel_period_start"), [self.MAY])
        may.action_post()
        # a full Reverse on top credits what is left of the period (since
        # the fifteenth probe, P15-10: 239.97, not 240.00 more): credited
        # in full by the two credit notes, billed again, once
        rest = self._reverse(april)
        self.assertEqual(rest.amount_total, 239.97)
        rest.action_post()
        period.action_channel_bill_again()
        again = self._bill(self.distributor_a, self.MAY)
        self.assertEqual(again.amount_total, 240.0)
        self.assertEqual(
            self._sections(again).mapped("channel_period_start"), [self.APRIL]
        )

    @freeze_time("2027-05-01")
    def test_bill_again_refusal_shows_amounts_in_currency(self):
        """The refusal of *Bill Again* names the amounts as the company's
        currency shows them (Odoo's format_amount): 0.03 of 240.00."""
        contract = self._start_subscription(
            self.distributor_a, self.customer_a, start=self.APRIL
        )
        april = self._bill(self.distributor_a, self.APRIL)
        april.action_post()
        draft = self._reverse(april)
        self._products(draft).write({"price_unit": 0.01, "discount": 0.0})
        draft.action_post()
        with self.assertRaises(UserError) as caught:
            contract.channel_period_ids.action_channel_bill_again()
        message = str(caught.exception)
        currency = april.currency_id
        for amount in (0.03, 240.0):
            self.assertIn(format_amount(self.env, amount, currency), message)

    @freeze_time("2027-05-01")
    def test_credit_note_of_a_period_billed_again_stays_posted(self):
        """Once *Bill Again* accepted its credit note, the period is billed
        again: the credit note is not reset to draft, cancelled or edited
        (the period would be billed twice net)."""
        contract = self._start_subscription(
            self.distributor_a, self.customer_a, start=self.APRIL
        )
        april = self._bill(self.distributor_a, self.APRIL)
        april.action_post()
        credit = self._reverse(april)
        credit.action_post()
        contract.channel_period_ids.action_channel_bill_again()
        for action in (credit.button_draft, credit.button_cancel):
            with self.assertRaisesRegex(UserError, rf"{credit.name}.*billed again"):
                action()
            self.assertEqual(credit.state, "posted")
        # the next run bills April again (and May): 240 + 240, the credit
        # stays 240
        again = self._bill(self.distributor_a, self.MAY)
        self.assertEqual(
            self._sections(again).mapped("channel_period_start"),
            [self.APRIL, self.MAY],
        )
        self.assertEqual(again.amount_total, 480.0)
        with self.assertRaisesRegex(UserError, "billed again"):
            credit.button_draft()
        self.assertEqual(credit.amount_total, 240.0)

    @freeze_time("2027-05-01")
    def test_reverse_and_new_draft_of_a_period_bills_it_once(self):
        contract = self._start_subscription(
            self.distributor_a, self.customer_a, start=self.APRIL
        )
        april = self._bill(self.distributor_a, self.APRIL)
        april.action_post()
        new = self._reverse(april, modify=True)
        # the new draft bills April again: 3 x 80 = 240
        self.assertEqual(new.move_type, "out_invoice")
        self.assertEqual(new.amount_total, 240.0)
        new.action_post()
        # the May run bills May only, 240
        may = self._bill(self.distributor_a, self.MAY)
        self.assertEqual(may.amount_total, 240.0)
        self.assertEqual(self._sections(may).mapped("channel_period_start"), [self.MAY])
        self.assertEqual(contract.channel_order_id.invoice_status, "no")

    # ------------------------------------------------------------------
    # item 3: credits never net against new sales
    # ------------------------------------------------------------------

    def test_seat_credit_on_credit_note_of_its_invoice_sale_on_invoice(self):
        """The issue's scenario: 10 seats billed on January 1st (800), on
        January 10th down to 1 seat, on January 11th cancelled, on January
        28th a one-off order of 400; the February 1st run."""
        self.company.channel_invoice_auto_post = True
        with freeze_time("2027-01-01"):
            contract = self._start_subscription(
                self.distributor_a,
                self.customer_a,
                [(self.product_monthly, 10)],
                start=date(2027, 1, 1),
            )
            january = self._bill(self.distributor_a, date(2027, 1, 1))
            self.assertEqual(january.amount_total, 800.0)  # 10 x 80
            self.assertEqual(january.state, "posted")
        with freeze_time("2027-01-10"):
            adjustment = contract.contract_line_ids._channel_change_quantity(1)
            # -9 seats for January 10th to 31st: 22 of 31 days
            self.assertEqual(adjustment.quantity, -9)
            # the next invoice bills February, 1 x 80; the credit is not on it
            self.assertEqual(contract.channel_next_amount, 80.0)
        with freeze_time("2027-01-11"):
            contract._channel_cancel()
        with freeze_time("2027-01-28"):
            one_off = self._create_order(
                self.distributor_a, self.customer_a, [(self.product_service, 5)]
            )
            one_off.action_confirm()
            self.assertEqual(one_off.amount_untaxed, 400.0)  # 5 x 80
        with freeze_time("2027-02-01"):
            moves = self._bill(self.distributor_a, date(2027, 2, 1))
        self.assertEqual(len(moves), 2)
        sale = moves.filtered(lambda m: m.move_type == "out_invoice")
        refund = moves - sale
        # the new order alone on an invoice: 400
        self.assertEqual(sale.amount_total, 400.0)
        self.assertFalse(sale.reversed_entry_id)
        self.assertEqual(self._sections(sale).channel_order_id, one_off)
        self.assertFalse(self._sections(sale).channel_contract_id)
        # the seat credit on a credit note of January's invoice, in the
        # subscription's section: 9 x 80 x 22/31 = 510.967… → 510.97,
        # rounded once (one unit of the change's amount)
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.reversed_entry_id, january)
        self.assertEqual(refund.amount_total, 510.97)
        self.assertEqual(self._sections(refund).channel_contract_id, contract)
        credit = self._products(refund)
        self.assertEqual(credit, adjustment.move_line_id)
        self.assertEqual(credit.quantity, 1)
        self.assertEqual(adjustment.state, "billed")
        self.assertEqual(refund.state, "posted")

    def test_seat_credit_joins_the_orders_credit_note_of_the_same_invoice(self):
        """A subscription's credit and an order's correction of the same
        invoice share its one credit note, each in its own section; the new
        sale of the same run goes on an invoice."""
        self.company.channel_invoice_auto_post = True
        with freeze_time("2027-01-01"):
            contract = self._start_subscription(
                self.distributor_a,
                self.customer_a,
                [(self.product_monthly, 10)],
                start=date(2027, 1, 1),
            )
            one_off = self._create_order(
                self.distributor_a, self.customer_a, [(self.product_service, 5)]
            )
            one_off.action_confirm()
            january = self._bill(self.distributor_a, date(2027, 1, 1))
            # 10 seats x 80 + 5 services x 80 = 1,200
            self.assertEqual(january.amount_total, 1200.0)
        with freeze_time("2027-01-10"):
            contract.contract_line_ids._channel_change_quantity(1)
            one_off.order_line.product_uom_qty = 3
        with freeze_time("2027-01-28"):
            new = self._create_order(
                self.distributor_a, self.customer_a, [(self.product_service, 1)]
            )
            new.action_confirm()
        with freeze_time("2027-02-01"):
            moves = self._bill(self.distributor_a, date(2027, 2, 1))
        sale = moves.filtered(lambda m: m.move_type == "out_invoice")
        refund = moves - sale
        # the new sale: 1 x 80; the seats' February: 1 x 80
        self.assertEqual(sale.amount_total, 160.0)
        self.assertEqual(len(refund), 1)
        self.assertEqual(refund.reversed_entry_id, january)
        # 2 services x 80 = 160 and 9 x 80 x 22/31 = 510.967… → 510.97
        self.assertEqual(refund.amount_total, 670.97)
        sections = self._sections(refund)
        self.assertEqual(sections.channel_order_id, one_off | contract.channel_order_id)
        self.assertEqual(sections.channel_contract_id, contract)

    # ------------------------------------------------------------------
    # item 10: cancelling the order that started a subscription
    # ------------------------------------------------------------------

    def _billed_and_changed(self):
        """April and May billed and posted on two invoices: April 240,
        May 5 x 80 + 80.00 (3 → 5 seats from April 16th) = 480; a plain
        credit note of 80.00 on May's invoice already."""
        self.company.channel_invoice_auto_post = True
        contract = self._start_subscription(
            self.distributor_a, self.customer_a, start=self.APRIL
        )
        order = contract.channel_order_id
        april = self._bill(self.distributor_a, self.APRIL)
        contract.contract_line_ids._channel_change_quantity(5, date(2027, 4, 16))
        may = self._bill(self.distributor_a, self.MAY)
        self.assertEqual((april.amount_total, may.amount_total), (240.0, 480.0))
        refund = self._reverse(may)
        refund.write(
            {
                "invoice_line_ids": [
                    (2, line.id)
                    for line in refund.invoice_line_ids
                    if line.display_type == "product" and line.price_subtotal == 400.0
                ]
            }
        )
        self.assertEqual(refund.amount_total, 80.0)
        refund.action_post()
        return contract, order, april, may

    @freeze_time("2027-05-10")
    def test_cancel_order_credits_what_its_subscription_billed(self):
        contract, order, april, may = self._billed_and_changed()
        self.company.channel_cancel_invoiced = "credit"
        before = self.env["account.move"].search([])
        order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(order.state, "cancel")
        refunds = self.env["account.move"].search([("id", "not in", before.ids)])
        # one credit note per invoice it corrects, of what it billed and
        # was not credited yet: April 240; May 480 - 80 credited = 400
        self.assertEqual(len(refunds), 2)
        self.assertEqual(set(refunds.mapped("move_type")), {"out_refund"})
        by_invoice = {refund.reversed_entry_id: refund for refund in refunds}
        self.assertEqual(by_invoice[april].amount_total, 240.0)
        self.assertEqual(by_invoice[may].amount_total, 400.0)
        for refund in refunds:
            self.assertEqual(self._sections(refund).channel_contract_id, contract)
        # the subscription ends: nothing more is billed, no next invoice
        self.assertEqual(contract.channel_state, "ended")
        self.assertFalse(contract.recurring_next_date)
        self.assertFalse(self._bill(self.distributor_a, self.JUNE))

    @freeze_time("2027-05-10")
    def test_cancel_order_refused_names_every_invoice_of_its_periods(self):
        contract, order, april, may = self._billed_and_changed()
        self.assertEqual(self.company.channel_cancel_invoiced, "refuse")
        with self.assertRaises(UserError) as caught:
            order.with_context(disable_cancel_warning=True).action_cancel()
        for invoice in april | may:
            self.assertIn(invoice.name, str(caught.exception))
        self.assertEqual(order.state, "sale")
        self.assertEqual(contract.channel_state, "running")

    # ------------------------------------------------------------------
    # item 11: no next invoice for a cancelled or ended subscription
    # ------------------------------------------------------------------

    @freeze_time("2027-06-15")
    def test_cancelled_subscription_fully_billed_has_no_next_invoice(self):
        contract = self._start_subscription(
            self.distributor_a, self.customer_a, start=self.APRIL
        )
        self._bill(self.distributor_a, self.JUNE)
        contract._channel_cancel(date(2027, 6, 15))  # ends June 30th, billed
        self.assertFalse(contract.recurring_next_date)
        with freeze_time("2027-07-05"):
            contract.invalidate_recordset()
            self.assertEqual(contract.channel_state, "ended")
            self.assertFalse(contract.recurring_next_date)


@tagged("post_install", "-at_install")
class TestSubscriptionProbe15(SubscriptionCase):
    """Fifteenth probe: a subscription's credit notes credit at most what
    its periods billed (P15-10); a billed subscription is not deleted
    (P15-7)."""

    APRIL = date(2027, 4, 1)
    MAY = date(2027, 5, 1)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env,
            "p15_sub_acct",
            groups="base.group_user,account.group_account_invoice",
        )
        cls.acc_manager = new_test_user(
            cls.env,
            "p15_sub_mgr",
            groups="base.group_user,account.group_account_manager",
        )

    def _written_and_posted(self, line, vals):
        """``vals`` written on ``line`` (as superuser: past the write's
        check), then its move posted by the accountant."""
        line.sudo().write(vals)
        line.move_id.with_user(self.accountant).action_post()

    def _april(self):
        contract = self._start_subscription(
            self.distributor_a, self.customer_a, start=self.APRIL
        )
        april = self._bill(self.distributor_a, self.APRIL)
        april.action_post()
        return contract, april

    @freeze_time("2027-05-01")
    def test_credit_note_of_a_period_credits_at_most_what_it_billed(self):
        """P15-10: a credit note of a subscription invoice (607.20) posted
        at 60,720.00 by the accountant, its quantities and prices x10."""
        acct = self.accountant
        _contract, april = self._april()
        refund = self._reverse(april)
        line = refund.invoice_line_ids.filtered(
            lambda ln: ln.contract_line_id and ln.display_type == "product"
        )[:1]
        self.assertTrue(line)
        for vals in (
            {"quantity": line.quantity * 10},
            {"price_unit": line.price_unit * 10},
        ):
            with self.subTest(vals=vals):
                self.assertFalse(
                    self._done_and_undone(lambda v=vals: line.with_user(acct).write(v))
                )

                self.assertFalse(
                    self._done_and_undone(
                        lambda v=vals: self._written_and_posted(line, v)
                    )
                )
        # the credit note as Odoo made it posts; nothing is left to credit
        # after it: another Reverse is refused
        refund.with_user(acct).action_post()
        self.assertEqual(refund.amount_total, april.amount_total)
        with self.assertRaisesRegex(UserError, re.escape(april.name)):
            self._reverse(april)

    @freeze_time("2027-05-01")
    def test_billed_subscription_is_not_deleted(self):
        """P15-7: an accounting manager deleted a running subscription with
        a billed period (posted) and a pending charge: periods, charge and
        links of the posted invoice's lines gone."""
        contract, april = self._april()
        periods = contract.channel_period_ids
        self.assertTrue(periods)
        for user in (self.acc_manager, self.env.user):
            with self.subTest(user=user.login):
                self.assertFalse(
                    self._done_and_undone(lambda u=user: contract.with_user(u).unlink())
                )
                self.assertTrue(contract.exists())
                self.assertEqual(contract.channel_period_ids, periods)
        with self.assertRaisesRegex(UserError, re.escape(contract.name)):
            with self.env.cr.savepoint():
                contract.with_user(self.acc_manager).unlink()
        # a subscription never billed is deleted as OCA lets its managers
        fresh = self._start_subscription(
            self.distributor_b, self.customer_b, start=date(2027, 6, 1)
        )
        self.assertFalse(fresh.channel_period_ids)
        fresh.with_user(self.acc_manager).unlink()
        self.assertFalse(fresh.exists())
