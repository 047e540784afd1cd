# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

# A reminder the distributor was sent (or that is on its way): OCA's draft,
# ignored and "to do" lines are finance's work list, not reminders yet.
REMINDED = ("queued", "sent")


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _channel_dunning_overdue_invoices(self):
        """The posted customer invoices of this distributor (its commercial
        entity) in the user's companies that are unpaid past their due
        date, oldest due first; as superuser: the callers check who asks."""
        self.ensure_one()
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", self.commercial_partner_id.id),
                    ("company_id", "in", self.env.companies.ids),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("invoice_date_due", "<", fields.Date.context_today(self)),
                ],
                order="invoice_date_due, id",
            )
        )

    def _channel_reminder_levels(self, invoices):
        """``{invoice: credit.control.line}``: the highest reminder level
        each invoice has reached (sent or queued to be sent)."""
        lines = (
            self.env["credit.control.line"]
            .sudo()
            .search(
                [("invoice_id", "in", invoices.ids), ("state", "in", REMINDED)],
                order="level desc, date desc, id desc",
            )
        )
        levels = {}
        for line in lines:
            levels.setdefault(line.invoice_id, line)
        return levels

    def _channel_overdue_portal_values(self):
        """What the distributor's portal shows of its overdue invoices: a
        list of dicts ``invoice``, ``orders`` (``[(order, end customer)]``
        of its sections), ``days`` overdue and ``level`` (the last reminder
        level reached, an empty record if none)."""
        self.ensure_one()
        invoices = self._channel_dunning_overdue_invoices()
        levels = self._channel_reminder_levels(invoices)
        today = fields.Date.context_today(self)
        rows = []
        for invoice in invoices:
            orders = invoice._get_channel_section_orders()
            line = levels.get(invoice, self.env["credit.control.line"])
            rows.append(
                {
                    "invoice": invoice,
                    "orders": [(order, order.end_customer_id) for order in orders],
                    "days": (today - invoice.invoice_date_due).days,
                    "level": line.sudo().policy_level_id,
                    "reminded": line.date_sent or line.date,
                }
            )
        return rows
