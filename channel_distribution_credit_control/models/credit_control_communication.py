# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import api, models
from odoo.tools.misc import format_amount, format_date

CELL = "padding: 5px; border: 1px solid black;"
TABLE = "border-spacing: 0; border-collapse: collapse; width: 100%;"


class CreditControlCommunication(models.Model):
    _inherit = "credit.control.communication"

    @api.constrains("partner_id", "contact_address_id", "credit_control_line_ids")
    def _check_channel_invoice_partner(self):
        """A reminder of channel invoices goes to their invoiced party,
        whoever sets its partner, its address or its lines (twelfth probe,
        P12-9: a credit controller addressed a distributor's reminder to an
        end customer; P11-6's rule, on the lines, held; thirteenth probe,
        P13-11: its address, to a stranger)."""
        for communication in self.sudo():
            for line in communication.credit_control_line_ids:
                for partner in communication._channel_reminded_partners():
                    line._channel_check_reminded_partner(partner)

    def _channel_reminded_partners(self):
        """Whom this reminder is for: its partner, and its address (whom
        the letter is addressed and e-mailed to) when it has one."""
        self.ensure_one()
        return self.partner_id | self.contact_address_id

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

    def _channel_invoice_summary(self):
        """The summary of the invoices this reminder is about (number and
        reference, payment reference, dates, amounts), every value escaped:
        a reference may be a distributor's PO number typed on the portal.
        Used instead of OCA's summary, which interpolates them as HTML, for
        a reminder of consolidated invoices."""
        env = self.env
        headers = (
            env._("Invoice number"),
            env._("Payment Reference"),
            env._("Invoice date"),
            env._("Due date"),
            env._("Invoice amount"),
            env._("Amount Due"),
        )
        rows = []
        for line in self.credit_control_line_ids:
            invoice = line.invoice_id
            number = invoice.name or ""
            reference = line.move_line_id.ref
            if reference and reference != number:
                number = f"{number} ({reference})"
            rows.append(
                (
                    number,
                    invoice.payment_reference or "",
                    format_date(env, line.date_entry),
                    format_date(env, line.date_due),
                    format_amount(env, line.amount_due, line.currency_id),
                    format_amount(env, line.balance_due, line.currency_id),
                )
            )
        return self._channel_html_table(
            env._("Invoices summary"), headers, rows, TABLE + " text-align: center;"
        )

    @api.model
    def _channel_html_table(self, title, headers, rows, style=TABLE, css_class=""):
        """A titled HTML table of ``headers`` and ``rows`` (tuples of texts),
        escaped."""
        cell = Markup("<td style='{}'>{}</td>")
        head = Markup("").join(
            Markup("<th style='{}'>{}</th>").format(CELL, title) for title in headers
        )
        body = Markup("").join(
            Markup("<tr>{}</tr>").format(
                Markup("").join(cell.format(CELL, value) for value in row)
            )
            for row in rows
        )
        return Markup(
            "<br/><h3>{}</h3><table class='{}' style='{}'><tr>{}</tr>{}</table>"
        ).format(title, css_class, style, head, body)

    def _get_credit_control_communication_table(self):
        """OCA's invoice summary, then the orders and end customers of the
        consolidated invoices it lists. For consolidated invoices the
        summary is the product's, escaped (OCA's takes their references,
        the distributors' PO numbers, as HTML)."""
        rows = self._channel_dunning_sections()
        if not rows:
            return super()._get_credit_control_communication_table()
        env = self.env
        headers = (
            env._("Invoice number"),
            env._("Order"),
            env._("Your reference"),
            env._("End customer"),
            env._("Amount"),
        )
        orders = self._channel_html_table(
            env._("Orders and end customers"),
            headers,
            [
                (
                    row["invoice"].name,
                    row["order"].name,
                    row["reference"],
                    row["end_customer"].display_name,
                    format_amount(env, row["amount"], row["currency"]),
                )
                for row in rows
            ],
            css_class="o_channel_dunning_orders",
        )
        return self._channel_invoice_summary() + orders
