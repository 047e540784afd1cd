# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The due dates of a posted channel invoice, by every path that posts it
again or replaces it (finance walk 13, W13-1; thirteenth probe, P13-4 and
P13-7): the overdue hold and the dunning follow its earliest unpaid
installment, so an accountant who defers an installment lets an overdue
distributor escape both."""

from contextlib import closing
from datetime import timedelta

from odoo import Command, fields
from odoo.addons.channel_distribution.tests.common import ChannelPortalCase
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestPostedDueDates(ChannelPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the accountant's day (its time zone), the one its postings date
        # their invoices with: the superuser's (Europe/Brussels) is already
        # tomorrow between 23:00 and 24:00 UTC
        cls.today = fields.Date.context_today(
            cls.env["account.move"].with_user(cls.accountant)
        )

        def term(name, first, last):
            return cls.env["account.payment.term"].create(
                {
                    "name": name,
                    "line_ids": [
                        Command.create(
                            {"value": "percent", "value_amount": first, "nb_days": 10}
                        ),
                        Command.create(
                            {"value": "percent", "value_amount": last, "nb_days": 90}
                        ),
                    ],
                }
            )

        cls.term = term("99 % at 10 days, 1 % at 90", 99.0, 1.0)
        cls.term_deferred = term("1 % at 10 days, 99 % at 90", 1.0, 99.0)
        cls.manager = new_test_user(
            cls.env,
            "w13_acct_mgr",
            groups="base.group_user,account.group_account_manager",
        )
        address = {"street": "2 Other Street", "city": "Lille"}
        (cls.distributor_b | cls.customer_b).write(address)
        # B's resale invoice, dated 60 days ago: its first installment
        # (99 %) is 50 days overdue
        cls.order_b_resale.action_create_distributor_invoices()
        cls.invoice = cls.order_b_resale.invoice_ids
        cls.invoice.write(
            {
                "invoice_date": cls.today - timedelta(days=60),
                "invoice_payment_term_id": cls.term.id,
            }
        )
        cls.invoice.action_post()

    def _installments(self, move):
        """The installments of ``move``: (due date, amount in its currency)."""
        return sorted(
            (line.date_maturity, move.currency_id.round(abs(line.amount_currency)))
            for line in move.line_ids
            if line.display_type == "payment_term"
        )

    def _reverse_and_create(self, user, invoice):
        """Odoo's *Reverse and Create Invoice* of ``invoice`` by ``user``,
        dated today: the new invoice (a draft)."""
        wizard = (
            self.env["account.move.reversal"]
            .with_user(user)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "new address", "journal_id": invoice.journal_id.id})
        )
        wizard.modify_moves()
        return wizard.new_move_ids.filtered(lambda m: m.move_type == "out_invoice")

    def _refusal(self, operation):
        """The message of the UserError refusing ``operation()`` ("" when
        done); undone either way."""
        try:
            with closing(self.env.cr.savepoint()), mute_logger("odoo.models"):
                operation()
                self.env.flush_all()
        except UserError as error:
            return str(error)
        finally:
            self.env.invalidate_all()
        return ""

    def _notes(self, move, since, text):
        return (move.message_ids - since).filtered(lambda m: text in (m.body or ""))

    def test_installment_amounts_kept_when_a_reset_invoice_is_posted_again(self):
        """Finance walk 13, W13-1: the kept due dates of a reset invoice
        held its installments' dates, not their amounts: an accountant
        reset an invoice due 99 % / 1 % on two dates, changed its terms to
        1 % / 99 % on the same dates and posted it again, 98 % of it
        deferred by 80 days and the overdue hold lifted. The installments
        are kept with their amounts."""
        invoice = self.invoice
        acct = self.accountant
        kept = self._installments(invoice)
        self.assertEqual(len(kept), 2)
        self.assertTrue(invoice._channel_overdue_on(self.today))
        invoice.with_user(acct).button_draft()
        invoice.with_user(acct).write(
            {"invoice_payment_term_id": self.term_deferred.id}
        )
        deferred = self._installments(invoice)
        # the same dates, the amounts swapped
        self.assertEqual([d for d, __ in deferred], [d for d, __ in kept])
        self.assertNotEqual(deferred, kept)
        self.assertFalse(
            self._done_and_undone(lambda: invoice.with_user(acct).action_post())
        )
        self.assertEqual(invoice.state, "draft")
        # unchanged, the accountant posts it again
        invoice.with_user(acct).write({"invoice_payment_term_id": self.term.id})
        invoice.with_user(acct).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(self._installments(invoice), kept)
        # an accounting manager changes them, noted with the amounts
        invoice.with_user(self.manager).button_draft()
        invoice.with_user(self.manager).write(
            {"invoice_payment_term_id": self.term_deferred.id}
        )
        notes = invoice.message_ids
        invoice.with_user(self.manager).action_post()
        self.assertEqual(self._installments(invoice), deferred)
        noted = self._notes(invoice, notes, self.manager.name)
        self.assertEqual(len(noted), 1)
        amount = invoice.currency_id.round(kept[0][1])
        self.assertIn(f"{amount:.2f}", noted.body)

    def test_autopost_keeps_the_due_dates_of_a_reset_invoice(self):
        """Thirteenth probe, P13-4 (a): the accountant set a reset invoice
        with deferred installments to post itself (``auto_post``): Odoo's
        scheduled posting, as OdooBot, posted it unchecked. The scheduled
        posting moves no due date (OdooBot is an accounting manager by
        Odoo's data, it decides nothing): the invoice stays a draft, the
        reason in its chatter; posted unchanged, or by a manager's button."""
        self.assertTrue(
            self.env.ref("base.user_root").has_group("account.group_account_manager")
        )
        invoice = self.invoice
        acct = self.accountant
        kept = self._installments(invoice)
        invoice.with_user(acct).button_draft()
        invoice.with_user(acct).write(
            {"invoice_payment_term_id": self.term_deferred.id, "auto_post": "at_date"}
        )
        notes = invoice.message_ids
        self.env["account.move"]._autopost_draft_entries()
        self.assertEqual(invoice.state, "draft")
        self.assertTrue(self._notes(invoice, notes, "could not be posted"))
        # unchanged, the scheduled posting posts it
        invoice.with_user(acct).write(
            {"invoice_payment_term_id": self.term.id, "auto_post": "at_date"}
        )
        self.env["account.move"]._autopost_draft_entries()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(self._installments(invoice), kept)

    def test_reverse_and_create_keeps_the_replaced_due_dates(self):
        """Thirteenth probe, P13-4 (b): Reverse and Create of the overdue
        invoice gave a new draft dated today, its terms running from today:
        posted by the accountant, the debt was due 60 days later. The new
        invoice keeps the installments of the one it replaces: the same
        amounts (the same lines, a new date) are posted at the replaced due
        dates, noted; other amounts are posted by an accounting manager."""
        invoice = self.invoice
        acct = self.accountant
        kept = self._installments(invoice)
        new = self._reverse_and_create(acct, invoice)
        self.assertEqual(len(new), 1)
        # cancelled or deleted, the order would be billed again later
        for attempt in (new.with_user(acct).button_cancel, new.with_user(acct).unlink):
            self.assertIn("accounting manager", self._refusal(attempt))
        notes = new.message_ids
        new.with_user(acct).action_post()
        self.assertEqual(new.state, "posted")
        self.assertEqual(new.invoice_date, self.today)
        self.assertEqual(self._installments(new), kept)
        self.assertTrue(new._channel_overdue_on(self.today))
        self.assertTrue(self._notes(new, notes, "replaces"))
        # replaced again, with other amounts: an accounting manager's
        again = self._reverse_and_create(acct, new)
        again.with_user(acct).write({"invoice_payment_term_id": self.term_deferred.id})
        self.assertFalse(
            self._done_and_undone(lambda: again.with_user(acct).action_post())
        )
        self.assertEqual(again.state, "draft")
        again.with_user(self.manager).action_post()
        self.assertEqual(again.state, "posted")
        self.assertNotEqual(self._installments(again), kept)

    def test_posted_channel_invoice_cancelled_by_managers_only(self):
        """Thirteenth probe, P13-4 (c): the accountant reset the overdue
        invoice, cancelled it and invoiced the order again, due in 30 days.
        A channel invoice once posted is cancelled (or deleted) by an
        accounting manager only, others credit it (a linked credit note);
        the drafts of the billing run are cancelled as before."""
        invoice = self.invoice
        acct = self.accountant
        self.assertFalse(
            self._done_and_undone(lambda: invoice.with_user(acct).button_cancel())
        )
        invoice.with_user(acct).button_draft()
        for name, attempt in {
            "cancel": lambda: invoice.with_user(acct).button_cancel(),
            "delete": lambda: invoice.with_user(acct).unlink(),
        }.items():
            with self.subTest(attempt=name):
                self.assertIn("accounting manager", self._refusal(attempt))
                self.assertEqual(invoice.state, "draft")
        # posted again, the accountant credits it
        invoice.with_user(acct).action_post()
        wizard = (
            self.env["account.move.reversal"]
            .with_user(acct)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "wrong", "journal_id": invoice.journal_id.id})
        )
        wizard.refund_moves()
        refund = wizard.new_move_ids
        self.assertEqual(refund.move_type, "out_refund")
        refund.with_user(acct).action_post()
        self.assertEqual(invoice.payment_state, "reversed")
        # a draft of the billing run, never posted, is cancelled as before
        order = self._create_order(
            self.distributor_b, self.customer_b, financial_role="distributor"
        )
        order.action_confirm()
        order.action_create_distributor_invoices()
        draft = order.invoice_ids
        draft.with_user(acct).button_cancel()
        self.assertEqual(draft.state, "cancel")
        # an accounting manager cancels a posted one
        self.order_b.action_create_distributor_invoices()
        other = self.order_b.invoice_ids
        other.action_post()
        other.with_user(self.manager).button_cancel()
        self.assertEqual(other.state, "cancel")

    def test_order_cancellation_keeps_a_reset_invoice(self):
        """P13-4 (c) by the order: its cancellation cancels its draft
        invoices (Odoo's); a channel invoice reset to draft is posted and
        credited instead, unless an accounting manager cancels the order."""
        invoice = self.invoice
        invoice.with_user(self.accountant).button_draft()
        order = self.order_b_resale.with_user(self.channel_manager)
        refusal = self._refusal(
            lambda: order.with_context(disable_cancel_warning=True).action_cancel()
        )
        self.assertIn("accounting manager", refusal)
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(self.order_b_resale.state, "sale")

    def _cancel_order(self, user, path):
        """The cancellation of the resale order by ``user`` (its button, or
        the wizard the button opens), in a request of its own: nothing read
        before it in the cache (each ``_refusal`` ends so too). The
        refusal's message, "" when done."""
        order = self.order_b_resale.with_user(user)
        self.env.invalidate_all()
        if path == "button":
            return self._refusal(
                lambda: order.with_context(disable_cancel_warning=True).action_cancel()
            )
        return self._refusal(
            lambda: self.env["sale.order.cancel"]
            .with_user(user)
            .create({"order_id": order.id})
            .action_cancel()
        )

    def test_order_cancellation_reads_every_invoice_of_the_order(self):
        """The interaction that split P13-4 (c)'s test in two: the channel
        manager's cancellation of the order went through after the
        accountant's refused cancel and delete of its reset invoice, and
        was refused alone. Not the refusals: each ends by dropping the
        cache, and a request starts so. The channel manager, a salesman,
        reads his own invoices only (Odoo's *Personal invoices* rules:
        these are OdooBot's); his read of the order's invoice lines, made
        with nothing in the cache, found none, and the checks' reads as
        superuser were given the same (Odoo's cache holds one value of a
        relation for every user): the order was cancelled, its invoice
        left a draft posted before, billing a cancelled order. An order
        billed on a posted invoice was cancelled so too, neither refused
        nor credited. The checks read every invoice of the order, whoever
        cancels and whatever the cache holds."""
        invoice = self.invoice
        order = self.order_b_resale
        acct = self.accountant
        # the accountant cancels by the button (Odoo's wizard is a salesman's)
        cases = [
            ("accountant", acct, "button"),
            ("channel manager", self.channel_manager, "button"),
            ("channel manager", self.channel_manager, "wizard"),
        ]
        self.env.invalidate_all()
        self.assertFalse(order.with_user(self.channel_manager).invoice_ids)
        # posted: credited first (the company's setting)
        for role, user, path in cases:
            with self.subTest(invoice="posted", user=role, path=path):
                self.assertIn(
                    "billed on posted invoice", self._cancel_order(user, path)
                )
                self.assertEqual(order.state, "sale")
        # reset to draft: the accountant's cancel and delete refused, then
        # the order's cancellation
        invoice.with_user(acct).button_draft()
        mine = invoice.with_user(acct)
        for attempt in (mine.button_cancel, mine.unlink):
            self.assertIn("accounting manager", self._refusal(attempt))
        for role, user, path in cases:
            with self.subTest(invoice="reset", user=role, path=path):
                self.assertIn("accounting manager", self._cancel_order(user, path))
                self.assertEqual(invoice.state, "draft")
                self.assertEqual(order.state, "sale")

    def test_order_cancellation_credits_invoices_its_user_does_not_read(self):
        """The same for a company whose cancellations credit what is
        billed: the channel manager's cancellation of an order billed on a
        posted invoice he does not read credits it (a draft credit note of
        the invoice, as for the accountant)."""
        invoice = self.invoice
        order = self.order_b_resale
        order.company_id.channel_cancel_invoiced = "credit"
        self.env.invalidate_all()
        order.with_user(self.channel_manager).with_context(
            disable_cancel_warning=True
        ).action_cancel()
        self.assertEqual(order.state, "cancel")
        refund = self.env["account.move"].search(
            [("reversed_entry_id", "=", invoice.id), ("move_type", "=", "out_refund")]
        )
        self.assertEqual(len(refund), 1)
        self.assertEqual(refund.state, "draft")
        self.assertEqual(refund.amount_untaxed, invoice.amount_untaxed)

    def test_copy_of_a_posted_channel_invoice_bills_no_order_again(self):
        """Thirteenth probe, P13-4 (d): the accountant copied the overdue
        invoice (a new draft, due from today), to reset and cancel the
        original and post the copy. The original is not cancelled (above);
        the copy bills no order line (Odoo copies no link), and a copy with
        the links bills nothing already invoiced."""
        invoice = self.invoice
        acct = self.accountant
        sale_lines = self.order_b_resale.order_line.filtered("product_id")
        invoiced = sale_lines.mapped("qty_invoiced")
        copy = invoice.with_user(acct).copy()
        self.assertEqual(copy.state, "draft")
        self.assertFalse(copy.invoice_line_ids.sale_line_ids)
        self.assertEqual(sale_lines.mapped("qty_invoiced"), invoiced)
        self.assertFalse(
            self._done_and_undone(
                lambda: invoice.with_user(acct)
                .with_context(include_business_fields=True)
                .copy()
            )
        )
        invoice.with_user(acct).button_draft()
        self.assertFalse(
            self._done_and_undone(lambda: invoice.with_user(acct).button_cancel())
        )

    def test_payment_reference_kept_on_a_reset_invoice(self):
        """Thirteenth probe, P13-7: on a reset channel invoice the accountant
        changed the reference the distributor pays with (guarded on the
        posted invoice only): posted again, the distributor's payment went
        unmatched. Kept as posted on the reset draft too, or an accounting
        manager's; a draft never posted keeps Odoo's rules."""
        invoice = self.invoice
        acct = self.accountant
        reference = invoice.payment_reference
        self.assertTrue(reference)
        receivable = invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        invoice.with_user(acct).button_draft()
        for name, attempt in {
            "reference": lambda: invoice.with_user(acct).write(
                {"payment_reference": "PAY-ELSEWHERE"}
            ),
            "cleared": lambda: invoice.with_user(acct).write(
                {"payment_reference": False}
            ),
            "label": lambda: receivable[:1]
            .with_user(acct)
            .write({"name": "PAY-ELSEWHERE"}),
        }.items():
            with self.subTest(attempt=name):
                self.assertFalse(self._done_and_undone(attempt))
                self.assertEqual(invoice.payment_reference, reference)
        invoice.with_user(acct).write({"payment_reference": reference})
        invoice.with_user(acct).action_post()
        self.assertEqual(invoice.payment_reference, reference)
        # an accounting manager changes it
        invoice.with_user(self.manager).button_draft()
        invoice.with_user(self.manager).write({"payment_reference": "AGREED-REF"})
        invoice.with_user(self.manager).action_post()
        self.assertEqual(invoice.payment_reference, "AGREED-REF")
        # a draft never posted: Odoo's
        self.order_b.action_create_distributor_invoices()
        draft = self.order_b.invoice_ids
        draft.with_user(acct).write({"payment_reference": "MY-REF"})
        self.assertEqual(draft.payment_reference, "MY-REF")
