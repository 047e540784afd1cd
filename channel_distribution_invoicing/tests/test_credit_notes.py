# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

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
        """Eleventh probe, P11-12: the 2 services credited at 0.01 each
        (the credit note's draft edited) are not billed again at 80 each by
        *Bill Again*; a draft credit note credits nothing."""
        invoice = self._post_invoice(self.order_1 | self.order_2)
        service = self.order_1.order_line.filtered(
            lambda line: line.product_uom_qty == 2
        )
        draft = self._reverse(invoice)
        with self.assertRaisesRegex(UserError, r"post credit note Draft Credit Note"):
            self.order_1.action_channel_bill_again()
        draft.invoice_line_ids.filtered(
            lambda line: line.sale_line_ids == service
        ).write({"price_unit": 0.01, "discount": 0.0})
        draft.action_post()
        self.assertEqual(draft.amount_untaxed, 440.02)  # 0.02 + 200 + 240
        self.assertEqual(service.channel_qty_credited, 2.0)
        # the next run bills nothing: the units stay credited
        lines = self.order_1.order_line
        self.assertEqual(
            [lines.mapped(n) for n in ("qty_invoiced", "qty_to_invoice")],
            [[0.0, 0.0], [0.0, 0.0]],
        )
        self.assertEqual(lines.mapped("invoice_status"), ["no", "no"])
        self.assertFalse(self._to_invoice())
        with self.assertRaisesRegex(
            UserError, rf"{draft.name} credit 2 x .* at 0\.02, billed at 160\.00"
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
        # a credit note of the whole invoice credits the rest in full: 4
        # services credited at 160.02, billed again at 320 would be more
        rest = self._reverse(invoice)
        rest.action_post()
        self.assertEqual(service.channel_qty_credited, 4.0)
        with self.assertRaisesRegex(UserError, r"at 160\.02, billed at 320\.00"):
            self.order_1.action_channel_bill_again()
        # the partial credit cancelled: the whole one is billed again, 360
        draft.button_draft()
        draft.button_cancel()
        self.order_1.action_channel_bill_again()
        before = self.env["account.move"].search([])
        self._to_invoice()._create_distributor_invoices()
        again = self.env["account.move"].search([("id", "not in", before.ids)])
        self.assertEqual(again.amount_untaxed, 360.0)

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
