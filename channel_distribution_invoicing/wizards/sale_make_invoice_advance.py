# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class SaleAdvancePaymentInv(models.TransientModel):
    _inherit = "sale.advance.payment.inv"

    def _create_invoices(self, sale_orders):
        # The down payment lines it adds to the order are its own: named in
        # the context (a set, which no JSON-RPC caller can send) for the
        # lines' check of what a user gives a new line of a channel order.
        wizard = self.with_context(
            channel_down_payment_order_ids=frozenset(self.sale_order_ids.ids)
        )
        return super(SaleAdvancePaymentInv, wizard)._create_invoices(sale_orders)

    def _prepare_invoice_values(self, order, so_lines, accounts):
        vals = super()._prepare_invoice_values(order, so_lines, accounts)
        if order._is_distributor_invoiced():
            # The down payment invoice of a resale order names the order and
            # its end customer like its final invoice does.
            vals["invoice_line_ids"] = [
                fields.Command.create(
                    self.env["account.move"]._prepare_channel_section_vals(
                        order, sequence=-1
                    )
                )
            ] + list(vals.get("invoice_line_ids") or [])
        return vals
