# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import InvoicingCase


@tagged("post_install", "-at_install")
class TestInvoicingCreditNotes(InvoicingCase):
    """A credit note finance makes of a posted consolidated invoice is never
    undone by the next run: what it credits is billed again only when
    finance asks (issue 25, item 2).

    order_1: 2 services at 80 + 1 setup at 200 = 360; order_2: 3 services
    at 80 = 240 (Gold: 20 % off)."""

    def _to_invoice(self):
        return self.env["sale.order"]._get_distributor_orders_to_invoice(
            self.distributor_a
        )

    def test_plain_credit_note_stays_credited(self):
        invoice = self._post_invoice(self.order_1 | self.order_2)
        self.assertEqual(invoice.amount_untaxed, 600.0)  # 360 + 240
        refund = self._reverse(invoice)
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.amount_untaxed, 600.0)
        refund.action_post()
        # nothing to bill again: not the scheduled job, not the standard
        # "Create Invoice" wizard
        self.assertFalse(self._to_invoice())
        self.assertEqual(self.order_1.order_line.mapped("qty_to_invoice"), [0.0, 0.0])
        self.assertEqual(self.order_1.order_line.mapped("qty_invoiced"), [0.0, 0.0])
        self.assertEqual(
            self.order_1.order_line.mapped("channel_qty_credited"), [2.0, 1.0]
        )
        self.assertNotEqual(self.order_1.invoice_status, "to invoice")
        with self.assertRaises(UserError):
            self.env["sale.advance.payment.inv"].with_context(
                active_model="sale.order", active_ids=self.order_1.ids
            ).create({"advance_payment_method": "delivered"}).create_invoices()
        # a quantity lowered afterwards credits nothing more: 2 services
        # credited already cover the one taken off
        self.order_2.order_line.product_uom_qty = 2
        self.assertEqual(self.order_2.order_line.qty_to_invoice, 0.0)
        self.assertFalse(self._to_invoice())
        # finance asks: order 1 is billed again, 360
        self.order_1.action_channel_bill_again()
        self.assertEqual(self._to_invoice(), self.order_1)
        before = self.env["account.move"].search([])
        self._to_invoice()._create_distributor_invoices()
        again = self.env["account.move"].search([("id", "not in", before.ids)])
        self.assertEqual(again.move_type, "out_invoice")
        self.assertEqual(again.amount_untaxed, 360.0)
        self.assertEqual(self.order_1.invoice_status, "invoiced")
        self.assertEqual(self.order_2.invoice_status, "no")

    def test_bill_again_only_what_was_credited_in_full(self):
        """Eleventh probe, P11-12: a service credited at 0.01 (the credit
        note's draft edited) is not billed again at 80 by *Bill Again*; a
        draft credit note credits nothing. Fifteenth probe, P15-10: a full
        Reverse of the invoice then credits what is left of it (the other
        unit at 159.99, not the whole invoice again), and Bill Again bills
        what the two credited."""
        invoice = self._post_invoice(self.order_1 | self.order_2)
        service = self.order_1.order_line.filtered(
            lambda line: line.product_uom_qty == 2
        )
        draft = self._reverse(invoice)
        with self.assertRaisesRegex(UserError, r"post credit note Draft Credit Note"):
            self.order_1.action_channel_bill_again()
        draft.invoice_line_ids.filtered(
            lambda line: line.sale_line_ids == service
        ).write({"quantity": 1.0, "price_unit": 0.01, "discount": 0.0})
        draft.action_post()
        self.assertEqual(draft.amount_untaxed, 440.01)  # 0.01 + 200 + 240
        self.assertEqual(service.channel_qty_credited, 1.0)
        # the next run bills nothing: the unit stays credited
        lines = self.order_1.order_line
        self.assertEqual(
            [lines.mapped(n) for n in ("qty_invoiced", "qty_to_invoice")],
            [[1.0, 0.0], [0.0, 0.0]],
        )
        self.assertFalse(self._to_invoice())
        with self.assertRaisesRegex(
            UserError, rf"{draft.name} credit 1 x .* at 0\.01, billed at 80\.00"
        ):
            self.order_1.action_channel_bill_again()
        # nothing half-written: the credit stays kept, nothing to bill
        self.assertTrue(
            all(
                draft.invoice_line_ids.filtered("sale_line_ids").mapped(
                    "channel_credit_kept"
                )
            )
        )
        self.assertFalse(self._to_invoice())
        # a full Reverse of the invoice credits what is left: the other
        # service at the rest of what it billed, 159.99 (it credited the
        # whole invoice again before the fifteenth probe: 160.01 of 160.00)
        rest = self._reverse(invoice)
        self.assertEqual(rest.amount_untaxed, 159.99)
        self.assertEqual(rest.invoice_line_ids.sale_line_ids, service)
        rest.action_post()
        self.assertEqual(service.channel_qty_credited, 2.0)
        # credited in full: Bill Again bills what was credited, 360
        self.order_1.action_channel_bill_again()
        before = self.env["account.move"].search([])
        self._to_invoice()._create_distributor_invoices()
        again = self.env["account.move"].search([("id", "not in", before.ids)])
        self.assertEqual(again.amount_untaxed, 360.0)

    def test_credited_units_follow_the_credit_note(self):
        """The units credited for good follow the credit note's lines (not
        stored, issue 26): a draft lowered to credit a part credits that
        part, left to invoice too; cancelled, it credits nothing."""
        invoice = self._post_invoice(self.order_1 | self.order_2)
        service = self.order_1.order_line.filtered(
            lambda line: line.product_uom_qty == 2
        )
        draft = self._reverse(invoice)
        self.assertEqual(service.channel_qty_credited, 2.0)
        self.assertEqual(service.qty_to_invoice, 0.0)
        draft.invoice_line_ids.filtered(
            lambda line: line.sale_line_ids == service
        ).quantity = 1.0
        self.assertEqual(service.channel_qty_credited, 1.0)
        self.assertEqual(service.qty_to_invoice, 0.0)
        self.assertTrue(self.order_1.channel_has_credited)
        draft.button_cancel()
        self.assertEqual(service.channel_qty_credited, 0.0)
        self.assertFalse(self.order_1.channel_has_credited)
        self.assertEqual(service.qty_invoiced, 2.0)

    def test_credit_note_billed_again_stays_posted(self):
        """A credit note whose units were billed again (*Bill Again*, or the
        credit note of "Reverse and Create Invoice") is not reset to draft,
        cancelled or edited: else the units would be billed twice net (360
        billed again, the 360 credit lowered or gone)."""
        invoice = self._post_invoice(self.order_1 | self.order_2)
        refund = self._reverse(invoice)
        refund.action_post()
        self.order_1.action_channel_bill_again()
        for action in (refund.button_draft, refund.button_cancel):
            with self.assertRaisesRegex(
                UserError, rf"{refund.name}.*billed again.*{self.order_1.name}"
            ):
                action()
            self.assertEqual(refund.state, "posted")
        # the units billed again on the next run: 360; the credit stays 600
        before = self.env["account.move"].search([])
        self._to_invoice()._create_distributor_invoices()
        again = self.env["account.move"].search([("id", "not in", before.ids)])
        self.assertEqual(again.amount_untaxed, 360.0)
        with self.assertRaisesRegex(UserError, "billed again"):
            refund.button_draft()
        self.assertEqual(refund.amount_untaxed, 600.0)
        # Reverse and Create Invoice: its credit note is billed again by the
        # new invoice
        second = self._post_invoice(self._order_of_c())
        new = self._reverse(second, modify=True)
        credit = second.reversal_move_ids
        self.assertEqual(credit.state, "posted")
        self.assertEqual(new.state, "draft")
        with self.assertRaisesRegex(UserError, rf"{credit.name}.*billed again"):
            credit.button_draft()
        self.assertEqual(credit.state, "posted")

    def _order_of_c(self):
        order = self._create_order(
            self.distributor_a, self.customer_c, [(self.product_service, 1)]
        )
        order.action_confirm()
        return order

    def test_reverse_and_new_draft_bills_again(self):
        invoice = self._post_invoice(self.order_1 | self.order_2)
        new = self._reverse(invoice, modify=True)
        self.assertEqual(new.move_type, "out_invoice")
        self.assertEqual(new.state, "draft")
        self.assertEqual(new.amount_untaxed, 600.0)
        # the new draft bills the orders: nothing else to bill
        self.assertFalse(self._to_invoice())
        self.assertEqual(
            (self.order_1 | self.order_2).order_line.mapped("channel_qty_credited"),
            [0.0, 0.0, 0.0],
        )
        new.action_post()
        self.assertEqual(
            set((self.order_1 | self.order_2).mapped("invoice_status")), {"invoiced"}
        )


@tagged("post_install", "-at_install")
class TestCancelCreditsWhatIsLeft(InvoicingCase):
    """Cancelling an order under *Credit* after a credit note credited some
    of its units below their price (its draft edited to 0.01 a unit, then
    posted): the cancellation credits, in amounts, what the invoice billed
    and no credit note credited yet, on a credit note of that invoice.

    One posted invoice of order_1 (2 services at 80 = 160.00, 1 setup at
    200.00: 360.00) and order_2 (3 services at 80 = 240.00): 600.00; no tax.
    A service earns 20 (100 - 80), a setup 50 (250 - 200)."""

    def setUp(self):
        super().setUp()
        self.company.channel_cancel_invoiced = "credit"
        self.invoice = self._post_invoice(self.order_1 | self.order_2)
        self.assertEqual(self.invoice.amount_untaxed, 600.0)
        self.service_1 = self.order_1.order_line.filtered(
            lambda line: line.product_id == self.product_service
        )
        self.setup_1 = self.order_1.order_line - self.service_1

    def _credit_at_a_cent(self, order_line, quantity):
        """Finance's credit note of the invoice, its draft edited to
        ``quantity`` units of ``order_line`` at 0.01 (the other lines
        removed), posted."""
        draft = self._reverse(self.invoice)
        products = draft.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        draft.write(
            {
                "invoice_line_ids": [
                    Command.delete(line.id)
                    for line in products
                    if line.sale_line_ids != order_line
                ]
            }
        )
        products.filtered(lambda line: line.sale_line_ids == order_line).write(
            {"quantity": quantity, "price_unit": 0.01, "discount": 0.0}
        )
        draft.action_post()
        return draft

    def _cancel(self, order):
        before = self.env["account.move"].search([])
        order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(order.state, "cancel")
        return self.env["account.move"].search([("id", "not in", before.ids)])

    def _products(self, move):
        return move.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        ).sorted(lambda line: (line.sequence, line.id))

    def test_one_unit_credited_at_a_cent(self):
        credit = self._credit_at_a_cent(self.service_1, 1)
        # 1 x 0.01
        self.assertEqual(credit.amount_untaxed, 0.01)
        refund = self._cancel(self.order_1)
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.reversed_entry_id, self.invoice)
        # services 160.00 - 0.01 = 159.99, setup 200.00: 359.99 (units
        # would credit 2 - 1 = 1 service x 80 + 200 = 280.00, 79.99 short)
        self.assertEqual(refund.amount_untaxed, 359.99)
        lines = self._products(refund)
        self.assertEqual(
            [(x.sale_line_ids, x.quantity, x.price_subtotal) for x in lines],
            [(self.service_1, 1.0, 159.99), (self.setup_1, 1.0, 200.0)],
        )
        refund.action_post()
        # the order nets to nothing: 360.00 - 0.01 - 359.99, in units 2 - 1
        # - 1 services; its commission 40.00 + 50.00 - 0.00 - 90.00
        # (159.99 / 80 = 1.999875 services x 20 = 39.9975 → 40.00)
        moves = self.invoice | credit | refund
        own = moves.invoice_line_ids.filtered(
            lambda line: line.sale_line_ids.order_id == self.order_1
        )
        signed = sum(
            line.price_subtotal * (1 if line.move_type == "out_invoice" else -1)
            for line in own
        )
        self.assertEqual(self.currency.round(signed), 0.0)
        commission = sum(
            line.channel_commission * (1 if line.move_type == "out_invoice" else -1)
            for line in own
        )
        self.assertEqual(self.currency.round(commission), 0.0)
        self.assertEqual(self.service_1.qty_invoiced, 0.0)
        # order_2 untouched: 240.00 still billed
        self.assertEqual(self.order_2.invoice_status, "invoiced")

    def test_one_of_three_units_credited_at_a_cent(self):
        service_2 = self.order_2.order_line
        self._credit_at_a_cent(service_2, 1)
        refund = self._cancel(self.order_2)
        self.assertEqual(refund.reversed_entry_id, self.invoice)
        # 3 x 80 = 240.00 - 0.01 = 239.99, on the 2 units left: 1 at 80.00
        # and 1 at the rest, 159.99 (239.99 / 2 has no price to the cent)
        self.assertEqual(refund.amount_untaxed, 239.99)
        self.assertEqual(
            [(x.quantity, x.price_subtotal) for x in self._products(refund)],
            [(1.0, 80.0), (1.0, 159.99)],
        )
        refund.action_post()
        self.assertEqual(service_2.qty_invoiced, 0.0)

    def test_every_unit_credited_at_a_cent(self):
        self._credit_at_a_cent(self.service_1, 2)
        refund = self._cancel(self.order_1)
        # services 160.00 - 0.02 = 159.98 (no unit left: one line of that
        # amount), setup 200.00: 359.98 (units would credit 200.00)
        self.assertEqual(refund.reversed_entry_id, self.invoice)
        self.assertEqual(refund.amount_untaxed, 359.98)
        self.assertEqual(
            [(x.sale_line_ids, x.price_subtotal) for x in self._products(refund)],
            [(self.service_1, 159.98), (self.setup_1, 200.0)],
        )
