# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from datetime import datetime

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CommissionCase

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestSettlement(CommissionCase):
    """Settled per period on paid invoices, paid by a bill from the
    distributor (or a credit note to it), clawed back on refunds."""

    def _january_invoice(self, qty=2, paid=True):
        with freeze_time("2026-01-10"):
            invoice = self._invoice(self._agency_order(qty=qty), date="2026-01-10")
            if paid:
                self._pay(invoice, date="2026-01-20")
        return invoice

    def _settle(self, day, distributors=None):
        with freeze_time(day):
            ids = (distributors or self.distributor_a).channel_settle_commissions(day)
        return self.env["account.move"].browse(ids)

    def _settlements(self):
        return self.env["commission.settlement"].search(
            [("agent_id", "=", self.distributor_a.id)], order="date_from, id"
        )

    def test_paid_invoice_settled_and_billed(self):
        invoice = self._january_invoice()
        self.assertEqual(invoice.payment_state, "paid")
        # the period is not over: nothing yet
        self.assertFalse(self._settle("2026-01-31"))
        bill = self._settle("2026-02-01")
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(bill.partner_id, self.distributor_a)
        self.assertEqual(bill.amount_untaxed, 40.0)
        self.assertEqual(bill.invoice_line_ids.product_id, self.product_commission)
        settlement = self._settlements()
        self.assertEqual(settlement.total, 40.0)
        self.assertEqual(str(settlement.date_from), "2026-01-01")
        self.assertEqual(str(settlement.date_to), "2026-01-31")
        self.assertEqual(settlement.state, "invoiced")
        self.assertEqual(settlement.invoice_id, bill)
        # nothing twice
        self.assertFalse(self._settle("2026-02-02"))
        self.assertFalse(self._settle("2026-03-01"))

    def test_unpaid_not_settled_partly_paid_waits(self):
        invoice = self._january_invoice(paid=False)
        self.assertFalse(self._settle("2026-02-01"))
        self.assertFalse(self._settlements())
        with freeze_time("2026-02-05"):
            self._pay(invoice, amount=100.0, date="2026-02-05")
        self.assertEqual(invoice.payment_state, "partial")
        self.assertFalse(self._settle("2026-02-10"))
        with freeze_time("2026-02-20"):
            self._pay(invoice, date="2026-02-20")
        # paid in February: its January commission goes on the next run
        bill = self._settle("2026-03-01")
        self.assertEqual(bill.amount_untaxed, 40.0)
        self.assertEqual(str(self._settlements().date_from), "2026-01-01")

    def test_resale_and_direct_not_settled(self):
        with freeze_time("2026-01-10"):
            resale = self._create_order(self.distributor_a, self.customer_a)
            resale.action_confirm()
            invoice = self._invoice(resale, date="2026-01-10")
            self._pay(invoice)
        self.assertFalse(self._settle("2026-02-01"))
        self.assertFalse(self._settlements())

    def test_refund_after_payout_clawed_back(self):
        invoice = self._january_invoice()
        self.assertEqual(self._settle("2026-02-01").amount_untaxed, 40.0)
        with freeze_time("2026-02-10"):
            refund = self._reverse(invoice)
            refund.invoice_date = "2026-02-10"
            refund.action_post()
        # not paid by anybody: settled as soon as posted, on the next run
        self.assertFalse(self._settle("2026-02-28"))
        clawback = self._settle("2026-03-01")
        self.assertEqual(clawback.move_type, "in_refund")
        self.assertEqual(clawback.partner_id, self.distributor_a)
        self.assertEqual(clawback.amount_untaxed, 40.0)
        february = self._settlements()[-1]
        self.assertEqual(february.total, -40.0)
        self.assertEqual(
            february.line_ids.invoice_line_id.move_id.reversed_entry_id, invoice
        )

    def test_refund_before_payout_netted(self):
        invoice = self._january_invoice(qty=3)
        with freeze_time("2026-01-25"):
            refund = self._reverse(invoice)
            refund.write(
                {
                    "invoice_date": "2026-01-25",
                    "invoice_line_ids": [
                        (
                            1,
                            refund.invoice_line_ids.filtered("product_id").id,
                            {"quantity": 1},
                        )
                    ],
                }
            )
            refund.action_post()
        bill = self._settle("2026-02-01")
        self.assertEqual(bill.amount_untaxed, 40.0)  # 60 earned, 20 credited
        self.assertEqual(self._settlements().total, 40.0)

    def test_full_refund_before_payout_nothing_to_pay(self):
        invoice = self._january_invoice()
        with freeze_time("2026-01-25"):
            refund = self._reverse(invoice)
            refund.invoice_date = "2026-01-25"
            refund.action_post()
        self.assertFalse(self._settle("2026-02-01"))

    def test_unpaid_invoice_credited_never_paid_out(self):
        invoice = self._january_invoice(paid=False)
        with freeze_time("2026-01-25"):
            refund = self._reverse(invoice)
            refund.invoice_date = "2026-01-25"
            refund.action_post()
        # the credit note settles the invoice it reverses
        self.assertEqual(invoice.payment_state, "reversed")
        self.assertFalse(self._settle("2026-02-01"))
        self.assertFalse(self._settle("2026-03-01"))
        self.assertFalse(self._settlements().line_ids)

    # ------------------------------------------------------------------
    # Paid for commission: what the end customer paid (probe 11, P11-18)
    # ------------------------------------------------------------------

    def _down_payment(self, order, percent):
        """A posted down payment invoice of ``percent`` % of ``order``."""
        before = order.invoice_ids
        self.env["sale.advance.payment.inv"].with_context(
            active_model="sale.order", active_ids=order.ids
        ).create(
            {"advance_payment_method": "percentage", "amount": percent}
        ).create_invoices()
        down_payment = order.invoice_ids - before
        down_payment.invoice_date = "2026-01-10"
        down_payment.action_post()
        return down_payment

    def _final_invoice(self, order):
        final = order._create_invoices(final=True)
        final.invoice_date = "2026-01-10"
        final.action_post()
        return final

    def test_final_invoice_of_unpaid_down_payment_waits(self):
        """P11-18: a 100 % down payment invoice (unpaid), then the final
        invoice: 200 - 200 = 0.00, *paid* at posting, carrying the order's
        40 of commission; it was settled and billed while the end customer
        had paid nothing. It waits for the down payment it deducts."""
        with freeze_time("2026-01-10"):
            order = self._agency_order()
            down_payment = self._down_payment(order, 100)
            final = self._final_invoice(order)
        self.assertEqual(down_payment.payment_state, "not_paid")
        self.assertEqual(final.amount_total, 0.0)
        self.assertEqual(final.payment_state, "paid")
        self.assertEqual(self._agent_lines(final).amount, 40.0)
        self.assertFalse(self._agent_lines(down_payment))
        self.assertFalse(self._settle("2026-02-01"))
        self.assertFalse(self._settlements())
        # the end customer pays the down payment: earned, settled under the
        # final invoice's period
        with freeze_time("2026-02-10"):
            self._pay(down_payment, date="2026-02-10")
        bill = self._settle("2026-03-01")
        self.assertEqual(bill.amount_untaxed, 40.0)
        self.assertEqual(str(self._settlements().date_from), "2026-01-01")
        self.assertFalse(self._settle("2026-04-01"))

    def test_final_invoice_waits_for_every_down_payment(self):
        """A 50 % down payment, then the final invoice of the rest: the
        final invoice paid is not enough while the down payment it deducts
        is unpaid; a credited down payment is never collected."""
        with freeze_time("2026-01-10"):
            order = self._agency_order()
            down_payment = self._down_payment(order, 50)
            final = self._final_invoice(order)
            self._pay(final, date="2026-01-20")
        self.assertEqual(final.amount_untaxed, 100.0)
        self.assertEqual(final.payment_state, "paid")
        self.assertFalse(self._settle("2026-02-01"))
        with freeze_time("2026-02-05"):
            refund = self._reverse(down_payment)
            refund.invoice_date = "2026-02-05"
            refund.action_post()
        self.assertEqual(down_payment.payment_state, "reversed")
        self.assertFalse(self._settle("2026-03-01"))
        self.assertFalse(self._settlements())

    def test_final_invoice_with_paid_down_payment_settled(self):
        """Down payment and final invoice both paid: the order's full
        commission on the final invoice, once."""
        with freeze_time("2026-01-10"):
            order = self._agency_order()
            down_payment = self._down_payment(order, 50)
            self._pay(down_payment, date="2026-01-12")
            final = self._final_invoice(order)
            self._pay(final, date="2026-01-20")
        bill = self._settle("2026-02-01")
        self.assertEqual(bill.amount_untaxed, 40.0)
        self.assertEqual(self._settlements().line_ids.invoice_line_id.move_id, final)

    def test_payment_without_entry_collects_nothing(self):
        """Twelfth probe, P12-1: a payment of 1.00 without a journal entry
        linked to the agency invoice (its outstanding account cleared) made
        Odoo call the invoice paid, and its 40.00 commission was paid out.
        Nothing was collected: the residual is whole, nothing is settled;
        the real payment is."""
        invoice = self._january_invoice(paid=False)
        with freeze_time("2026-01-20"):
            self._pay_without_entry(invoice, 1.0)
        self.assertFalse(self._settle("2026-02-01"))
        self.assertFalse(self._settlements())
        with freeze_time("2026-02-05"):
            self._pay(invoice, date="2026-02-05")
        self.assertEqual(self._settle("2026-03-01").amount_untaxed, 40.0)

    def test_receivable_moved_to_a_receivable_collects_nothing(self):
        """Thirteenth probe, P13-5: an accountant posted an entry debiting
        and crediting the end customer's receivable and reconciled it with
        the agency invoice: the residual 0.00 with nothing received, the
        commission paid out. The invoice is not settled by it; the real
        payment is."""
        accountant = new_test_user(
            self.env,
            "p13_acct",
            groups="base.group_user,account.group_account_invoice",
        )
        invoice = self._january_invoice(paid=False)
        with freeze_time("2026-01-20"):
            moved = self._receivable_moved(invoice, accountant, date="2026-01-20")
            refusal = self._attempted(
                lambda: invoice.with_user(accountant).js_assign_outstanding_line(
                    moved.id
                )
            )
        self.assertFalse(self._settle("2026-02-01"))
        self.assertFalse(self._settlements())
        self.assertEqual(invoice.amount_residual, invoice.amount_total)
        self.assertIn("no money", str(refusal))
        with freeze_time("2026-02-05"):
            self._pay(invoice, date="2026-02-05")
        self.assertEqual(self._settle("2026-03-01").amount_untaxed, 40.0)

    def test_negative_commission_never_charged(self):
        """P11-19, after confirmation: the price book raised over the agreed
        price (85, book 80 -> 90) before the invoice: its line carries a
        negative commission (-10), shown, but never settled: the
        distributor is not charged for the vendor's price; its credit note
        pays nothing back either."""
        with freeze_time("2026-01-10"):
            order = self._create_order(
                self.distributor_a,
                self.customer_a,
                financial_role="end_customer",
            )
            order.order_line.discount = 15
            order.action_confirm()
            self.book_gold.item_ids.percent_price = 10
            invoice = self._invoice(order, date="2026-01-10")
            self._pay(invoice, date="2026-01-20")
        self.assertEqual(self._agent_lines(invoice).amount, -10.0)
        self.assertFalse(self._settle("2026-02-01"))
        self.assertFalse(self._settlements())
        with freeze_time("2026-02-10"):
            refund = self._reverse(invoice)
            refund.invoice_date = "2026-02-10"
            refund.action_post()
        self.assertEqual(self._agent_lines(refund).amount, 10.0)
        self.assertFalse(self._settle("2026-03-01"))
        self.assertFalse(self._settlements())

    def test_payment_undone_after_payout_credit_note_claws_back(self):
        """P11-20 (documented, README *A payment undone after payout*): the
        payment of a paid-out invoice cancelled (a bounced cheque): the
        invoice is unpaid again and the next settlement claws nothing back
        by itself; the finance step, a credit note of the invoice, claws
        the commission back on the next settlement."""
        invoice = self._january_invoice()
        self.assertEqual(self._settle("2026-02-01").amount_untaxed, 40.0)
        payment = invoice._get_reconciled_payments()
        self.assertEqual(len(payment), 1)
        with freeze_time("2026-02-05"):
            payment.action_draft()
            payment.action_cancel()
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertFalse(self._settle("2026-03-01"))
        with freeze_time("2026-03-10"):
            refund = self._reverse(invoice)
            refund.invoice_date = "2026-03-10"
            refund.action_post()
        clawback = self._settle("2026-04-01")
        self.assertEqual(clawback.move_type, "in_refund")
        self.assertEqual(clawback.amount_untaxed, 40.0)

    def test_paid_out_invoice_is_not_deleted(self):
        """Twelfth probe, P12-7: an accountant reset a paid and paid-out
        agency invoice to draft, deleted its line (the settled agent line
        went with it) and the invoice, invoiced the order again and matched
        the old payment: the distributor was paid its 40.00 twice. A line
        whose commission is settled is not deleted, nor its invoice; the
        order is not invoiced again, nothing is settled twice."""
        accountant = new_test_user(
            self.env, "p12_acct", groups="base.group_user,account.group_account_invoice"
        )
        invoice = self._january_invoice()
        self.assertEqual(self._settle("2026-02-01").amount_untaxed, 40.0)
        invoice.with_user(accountant).button_draft()
        line = invoice.invoice_line_ids.filtered("sale_line_ids")
        order = line.sale_line_ids.order_id
        for attempt in (
            lambda: line.with_user(accountant).unlink(),
            lambda: invoice.with_user(accountant).unlink(),
            lambda: invoice.with_user(accountant).write(
                {"invoice_line_ids": [Command.delete(line.id)]}
            ),
        ):
            self.assertFalse(self._done_and_undone(attempt))
        self.assertEqual(order.invoice_status, "invoiced")
        invoice.with_user(accountant).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(self._settle("2026-03-01"))
        self.assertEqual(len(self._settlements()), 1)

    def test_credit_note_payout_nets_receivable(self):
        self.distributor_a.channel_commission_payout = "out_refund"
        # the distributor owes a consolidated (resale) invoice of 160
        with freeze_time("2026-01-10"):
            resale = self._create_order(self.distributor_a, self.customer_a)
            resale.action_confirm()
            owed = self._invoice(resale, date="2026-01-10")
        self.assertEqual(owed.amount_total, 160.0)
        self._january_invoice()
        credit = self._settle("2026-02-01")
        self.assertEqual(credit.move_type, "out_refund")
        self.assertEqual(credit.state, "posted")
        self.assertEqual(credit.partner_id, self.distributor_a)
        self.assertEqual(credit.amount_total, 40.0)
        receivable = self.env["account.move.line"].search(
            [
                ("partner_id", "=", self.distributor_a.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
            ]
        )
        self.assertEqual(sum(receivable.mapped("balance")), 120.0)

    def test_scheduled_job_settles_archived_distributors(self):
        """An archived distributor is still paid the commission it earned:
        the job searched active distributors only, and an archived one's
        settlements stopped without a word. Settling it settles it alone:
        OCA's wizard reads no archived agent and then settles every active
        one (here distributor B, not due)."""
        self.distributor_b.write({"channel_commission_paid": True})
        with freeze_time(datetime(2026, 1, 10, 12)):
            self.distributor_a._channel_commission_schedule()
            self.distributor_b.channel_commission_next_date = "2026-06-01"
            inv_b = self._invoice(
                self._agency_order(
                    customer=self.customer_b, distributor=self.distributor_b
                ),
                date="2026-01-10",
            )
            self._pay(inv_b)
        self._january_invoice()
        self.distributor_a.action_archive()
        with freeze_time(datetime(2026, 2, 1, 12)):
            self.assertEqual(
                self.env["res.partner"]._cron_channel_settle_commissions(), 1
            )
        bill = self.env["account.move"].search(
            [
                ("move_type", "=", "in_invoice"),
                ("partner_id", "=", self.distributor_a.id),
            ]
        )
        self.assertEqual(bill.amount_untaxed, 40.0)
        self.assertEqual(
            str(self.distributor_a.channel_commission_next_date), "2026-03-01"
        )
        settled = self.env["commission.settlement"].search([])
        self.assertEqual(settled.agent_id, self.distributor_a)

    def test_scheduled_job_resumes(self):
        """One distributor per batch: a run stopped after the first batch
        resumes with the others, and settles nothing twice."""
        self.distributor_b.write({"channel_commission_paid": True})
        with freeze_time("2026-01-10"):
            self.distributor_a._channel_commission_schedule()
            self.distributor_b._channel_commission_schedule()
            inv_b = self._invoice(
                self._agency_order(
                    customer=self.customer_b, distributor=self.distributor_b
                ),
                date="2026-01-10",
            )
            self._pay(inv_b)
        self._january_invoice()
        self.assertEqual(
            str(self.distributor_a.channel_commission_next_date), "2026-02-01"
        )
        Partner = self.env["res.partner"]
        with freeze_time("2026-02-01"):
            # the first batch, then the job is killed
            self.assertEqual(Partner._cron_channel_settle_commissions(batch_limit=1), 1)
            self.assertEqual(Partner._cron_channel_settle_commissions(), 1)
            self.assertEqual(Partner._cron_channel_settle_commissions(), 0)
        bills = self.env["account.move"].search(
            [
                ("move_type", "=", "in_invoice"),
                ("partner_id", "in", (self.distributor_a | self.distributor_b).ids),
            ]
        )
        self.assertEqual(len(bills), 2)
        self.assertEqual(sorted(bills.mapped("amount_untaxed")), [20.0, 40.0])
        self.assertEqual(
            str(self.distributor_a.channel_commission_next_date), "2026-03-01"
        )

    def test_scheduled_job_killed_resumes_nothing_settled_twice(self):
        """A run killed in the middle: the distributors committed before the
        kill stay paid, the one in flight is lost whole (its settlement and
        bill rolled back with its date), and the rerun pays the others:
        each paid line settled exactly once, one settlement and one bill per
        distributor and period."""
        distributor_c = self.env["res.partner"].create(
            {
                "name": "Distributor C",
                "is_company": True,
                "is_distributor": True,
                "distributor_tier_id": self.tier_gold.id,
                "channel_commission_paid": True,
                "settlement": "monthly",
            }
        )
        customer_c = self.env["res.partner"].create(
            {
                "name": "End Customer C",
                "is_company": True,
                "distributor_id": distributor_c.id,
                "property_product_pricelist": self.book_public.id,
            }
        )
        self.distributor_b.write(
            {"channel_commission_paid": True, "settlement": "monthly"}
        )
        distributors = self.distributor_a | self.distributor_b | distributor_c
        customers = self.customer_a | self.customer_b | customer_c
        invoices = self.env["account.move"]
        with freeze_time("2026-01-10"):
            distributors._channel_commission_schedule()
            for distributor, customer in zip(distributors, customers, strict=True):
                for qty in (1, 2):
                    order = self._agency_order(
                        qty=qty, customer=customer, distributor=distributor
                    )
                    invoices |= self._pay(self._invoice(order, date="2026-01-10"))
        agent_lines = self._agent_lines(invoices)
        self.assertEqual(agent_lines.agent_id, distributors)
        self.assertEqual(len(agent_lines), 6)
        expected = {
            distributor: sum(
                agent_lines.filtered(lambda a, d=distributor: a.agent_id == d).mapped(
                    "amount"
                )
            )
            for distributor in distributors
        }
        self.assertTrue(all(expected.values()))

        class Killed(Exception):
            """The worker killed before it committed its batch."""

        Partner = self.env["res.partner"]
        with freeze_time("2026-02-01"):
            # the first batch (distributor A) committed
            self.assertEqual(Partner._cron_channel_settle_commissions(batch_limit=1), 1)
            # the next batch (distributor B) settled and billed, then the
            # worker dies before the commit: its transaction is lost whole
            with self.assertRaises(Killed), self.env.cr.savepoint():
                self.assertTrue(
                    self.distributor_b._channel_settle_scheduled_safely(
                        fields.Date.context_today(self.distributor_b)
                    )
                )
                self.assertTrue(agent_lines.filtered("settled"))
                raise Killed()
            self.assertEqual(
                str(self.distributor_b.channel_commission_next_date), "2026-02-01"
            )
            self.assertEqual(
                agent_lines.filtered("settled").agent_id, self.distributor_a
            )
            # the job runs again: B and C, nothing of A again
            self.assertEqual(Partner._cron_channel_settle_commissions(), 2)
            self.assertEqual(Partner._cron_channel_settle_commissions(), 0)
        with freeze_time("2026-02-02"):
            self.assertEqual(Partner._cron_channel_settle_commissions(), 0)
        settlement_lines = self.env["commission.settlement.line"].search(
            [("invoice_agent_line_id", "in", agent_lines.ids)]
        )
        self.assertEqual(
            sorted(settlement_lines.invoice_agent_line_id.ids), sorted(agent_lines.ids)
        )
        self.assertEqual(len(settlement_lines), len(agent_lines))
        self.assertTrue(all(agent_lines.mapped("settled")))
        settlements = self.env["commission.settlement"].search(
            [("agent_id", "in", distributors.ids)]
        )
        self.assertEqual(len(settlements), 3)
        self.assertEqual(settlements.agent_id, distributors)
        self.assertEqual(set(settlements.mapped("state")), {"invoiced"})
        self.assertEqual(
            {str(d) for d in settlements.mapped("date_from")}, {"2026-01-01"}
        )
        bills = self.env["account.move"].search(
            [("move_type", "=", "in_invoice"), ("partner_id", "in", distributors.ids)]
        )
        self.assertEqual(len(bills), 3)
        self.assertEqual(bills.partner_id, distributors)
        for distributor in distributors:
            bill = bills.filtered(lambda b, d=distributor: b.partner_id == d)
            self.assertAlmostEqual(bill.amount_untaxed, expected[distributor])
            self.assertEqual(
                str(distributor.channel_commission_next_date), "2026-03-01"
            )

    def _paid_distributor(self, name, payout="in_invoice"):
        """A new distributor paid out by ``payout``, with one paid January
        agency invoice of 2 x 100 to a customer of its own (40 earned)."""
        Partner = self.env["res.partner"]
        distributor = Partner.create(
            {
                "name": name,
                "is_company": True,
                "is_distributor": True,
                "distributor_tier_id": self.tier_gold.id,
                "channel_commission_paid": True,
                "channel_commission_payout": payout,
                "settlement": "monthly",
            }
        )
        customer = Partner.create(
            {
                "name": f"{name} customer",
                "is_company": True,
                "distributor_id": distributor.id,
                "property_product_pricelist": self.book_public.id,
            }
        )
        with freeze_time("2026-01-10"):
            order = self._agency_order(customer=customer, distributor=distributor)
            self._pay(self._invoice(order, date="2026-01-10"), date="2026-01-20")
        return distributor

    def test_many_distributors_settled_together(self):
        """Distributors settled in one call (one settlement wizard, their
        bills and credit notes made together) are paid as one by one: each
        its own move of its payout mode and of its commission."""
        by_bill = self._paid_distributor("D bill")
        by_credit = self._paid_distributor("D credit", payout="out_refund")
        other_bill = self._paid_distributor("D bill 2")
        moves = self._settle("2026-02-01", by_bill | by_credit | other_bill)
        self.assertEqual(len(moves), 3)
        self.assertEqual(moves.partner_id, by_bill | by_credit | other_bill)
        for distributor, move_type, state in (
            (by_bill, "in_invoice", "draft"),
            (by_credit, "out_refund", "posted"),
            (other_bill, "in_invoice", "draft"),
        ):
            move = moves.filtered(lambda m, d=distributor: m.partner_id == d)
            self.assertEqual((move.move_type, move.state), (move_type, state))
            self.assertEqual(move.amount_untaxed, 40.0)
            self.assertEqual(move.invoice_line_ids.settlement_id.agent_id, distributor)
            self.assertEqual(move.invoice_line_ids.settlement_id.state, "invoiced")
        self.assertFalse(self._settle("2026-02-02", by_bill | by_credit | other_bill))

    def test_settling_together_costs_less_than_one_by_one(self):
        """Settling three distributors at once makes fewer queries than
        settling three others one by one, each call cold as a separate run
        is (one settlement wizard and one creation of the bills, not one per
        distributor). OCA's searches per agent and period stay per
        distributor, so the saving in queries is modest; it is the single
        creation of the bills that saves most of the time (README,
        Benchmarks)."""
        # warm the registry's caches (wizard, journals, product) first
        self._settle("2026-02-01", self._paid_distributor("D warm"))
        alone = [self._paid_distributor(f"D alone {i}") for i in range(3)]
        together = [self._paid_distributor(f"D together {i}") for i in range(3)]
        self.env.flush_all()
        cr = self.env.cr
        one_by_one = 0
        for distributor in alone:
            self.env.invalidate_all()
            start = cr.sql_log_count
            self.assertEqual(len(self._settle("2026-02-01", distributor)), 1)
            one_by_one += cr.sql_log_count - start
        self.env.invalidate_all()
        start = cr.sql_log_count
        distributors = together[0] | together[1] | together[2]
        self.assertEqual(len(self._settle("2026-02-01", distributors)), 3)
        at_once = cr.sql_log_count - start
        _logger.info(
            "settlement queries: one by one %s, at once %s", one_by_one, at_once
        )
        self.assertLess(at_once, one_by_one)

    def test_scheduled_job_failure_noted(self):
        """A distributor whose payout fails (no purchase journal) keeps its
        date, gets a note and an activity; the others are paid."""
        self._january_invoice()
        with freeze_time("2026-01-10"):
            self.distributor_a._channel_commission_schedule()
        journals = self.env["account.journal"].search(
            [("type", "=", "purchase"), ("company_id", "=", self.company.id)]
        )
        journals.write({"type": "general"})
        with freeze_time("2026-02-01"):
            self.env["res.partner"]._cron_channel_settle_commissions()
        self.assertEqual(
            str(self.distributor_a.channel_commission_next_date), "2026-02-01"
        )
        self.assertTrue(
            self.distributor_a.activity_ids.filtered(
                lambda a: a.activity_type_id
                == self.env.ref(
                    "channel_distribution_commission.mail_activity_channel_commission_failed"
                )
            )
        )
        self.assertFalse(self._settlements())
        journals.write({"type": "purchase"})
        with freeze_time("2026-02-02"):
            self.env["res.partner"]._cron_channel_settle_commissions()
        self.assertEqual(self._settlements().total, 40.0)
        self.assertFalse(self.distributor_a.activity_ids)


@tagged("post_install", "-at_install")
class TestCommissionSecurity(CommissionCase):
    def test_terms_channel_managers_only(self):
        salesman = new_test_user(
            self.env,
            "comm_salesman",
            groups="sales_team.group_sale_salesman_all_leads,base.group_partner_manager",
        )
        for vals in (
            {"channel_commission_paid": False},
            {"channel_commission_payout": "out_refund"},
            {"settlement": "quaterly"},
        ):
            with self.assertRaises(AccessError):
                self.distributor_a.with_user(salesman).write(vals)
        manager = new_test_user(
            self.env,
            "comm_manager",
            groups="channel_distribution.group_channel_manager,"
            "base.group_partner_manager",
        )
        self.distributor_a.with_user(manager).write({"settlement": "quaterly"})

    def test_settle_needs_invoicing_rights(self):
        salesman = new_test_user(
            self.env, "comm_salesman2", groups="sales_team.group_sale_salesman"
        )
        with self.assertRaises(AccessError):
            self.distributor_a.with_user(salesman).channel_settle_commissions()

    def test_end_customer_reads_no_commission(self):
        order = self._agency_order()
        invoice = self._invoice(order)
        # a contact of the end customer: its company gets no login (probe
        # 14, P14-7)
        portal = new_test_user(
            self.env,
            "comm_portal_cust",
            groups="base.group_portal",
            partner_id=self.env["res.partner"]
            .create({"name": "Comm Buyer", "parent_id": self.customer_a.id})
            .id,
        )
        self.assertTrue(invoice.with_user(portal).read(["amount_total"]))
        for field in ("commission_total", "partner_agent_ids", "settlement_ids"):
            with self.assertRaises(AccessError):
                invoice.with_user(portal).read([field])
        line = invoice.invoice_line_ids[:1]
        for field in ("agent_ids", "channel_commission_unit"):
            with self.assertRaises(AccessError):
                line.with_user(portal).read([field])
