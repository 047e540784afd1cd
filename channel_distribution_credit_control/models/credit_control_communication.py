# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import models
from odoo.tools.misc import format_amount

CELL = "padding: 5px; border: 1px solid black;"
TABLE = "border-spacing: 0; border-collapse: collapse; width: 100%;"


class CreditControlCommunication(models.Model):
    _inherit = "credit.control.communication"

    def _channel_dunning_sections(self):
        """The order sections of the consolidated invoices this reminder is
        about, in the order of its lines and of each invoice's sections: a
        list of dicts ``invoice``, ``order``, ``reference`` (the
        distributor's PO number), ``end_customer`` and ``amount`` (the taxed
        total of the section's lines), read as superuser (a reminder is sent
        by credit control users, who may not read the orders)."""
        self.ensure_one()
        rows = []
        invoices = self.credit_control_line_ids.invoice_id
        for invoice in invoices.sudo():
            for section in invoice._get_channel_sections():
                order = section["order"]
                rows.append(
                    {
                        "invoice": invoice,
                        "order": order,
                        "reference": order.client_order_ref or "",
                        "end_customer": section["end_customer"],
                        "amount": sum(section["lines"].mapped("price_total")),
                        "currency": invoice.currency_id,
                    }
                )
        return rows

    def _get_credit_control_communication_table(self):
        """OCA's invoice summary, then the orders and end customers of the
        consolidated invoices it lists."""
        table = super()._get_credit_control_communication_table()
        rows = self._channel_dunning_sections()
        if not rows:
            return table
        env = self.env
        headers = (
            env._("Invoice number"),
            env._("Order"),
            env._("Your reference"),
            env._("End customer"),
            env._("Amount"),
        )
        cell = Markup("<td style='{}'>{}</td>")
        head = Markup("").join(
            Markup("<th style='{}'>{}</th>").format(CELL, title) for title in headers
        )
        body = Markup("").join(
            Markup("<tr>{}</tr>").format(
                Markup("").join(
                    cell.format(CELL, value)
                    for value in (
                        row["invoice"].name,
                        row["order"].name,
                        row["reference"],
                        row["end_customer"].display_name,
                        format_amount(env, row["amount"], row["currency"]),
                    )
                )
            )
            for row in rows
        )
        orders = Markup(
            "<br/><h3>{}</h3><table class='o_channel_dunning_orders' "
            "style='{}'><tr>{}</tr>{}</table>"
        ).format(env._("Orders and end customers"), TABLE, head, body)
        return Markup(table) + orders
