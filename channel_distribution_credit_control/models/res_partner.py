# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.addons.channel_distribution.tools import channel_access_first
from odoo.exceptions import AccessError, UserError

# A reminder the distributor was sent (or that is on its way): OCA's draft,
# ignored and "to do" lines are finance's work list, not reminders yet.
REMINDED = ("queued", "sent")

# Whether and by whom a channel partner is reminded: OCA's credit control
# terms of a partner, credit control's decision (probe 11, P11-16).
DUNNING_TERMS_FIELDS = ("credit_policy_id", "payment_responsible_id")
DUNNING_TERMS_GROUP = "account_credit_control.group_account_credit_control_manager"


class ResPartner(models.Model):
    _inherit = "res.partner"

    channel_distributor_overdue = fields.Boolean(
        string="Served While Distributor Overdue",
        compute="_compute_channel_distributor_overdue",
        search="_search_channel_distributor_overdue",
        groups="base.group_user",
        help="An end customer with a confirmed channel order of a "
        "distributor that has a customer invoice unpaid past its due date.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.browse()._channel_check_dunning_terms(vals)
        return super().create(vals_list)

    @channel_access_first("write")
    def write(self, vals):
        self._channel_check_dunning_terms(vals)
        return super().write(vals)

    @api.model
    def _channel_company_terms_fields(self):
        return super()._channel_company_terms_fields() | set(DUNNING_TERMS_FIELDS)

    @api.model
    def _get_channel_term_groups(self, name):
        groups = super()._get_channel_term_groups(name)
        if name in DUNNING_TERMS_FIELDS:
            return (*groups, DUNNING_TERMS_GROUP)
        return groups

    def _channel_check_dunning_terms(self, vals):
        """A channel partner's credit control policy and follow-up
        responsible are set by credit control, channel and accounting
        managers: anyone else who changes them (or gives them to a new
        channel partner) is refused before anything is written. Partners
        outside the channel keep OCA's rules."""
        names = [name for name in DUNNING_TERMS_FIELDS if name in vals]
        if not names or self._channel_may_set_terms(names):
            return
        if self:
            touched = self._channel_terms_changed(vals, names) and (
                self.sudo()._channel_terms_scope(vals)
            )
        else:
            touched = self._channel_terms_given(vals, names) and (
                self._channel_terms_scope(vals)
            )
        if touched:
            raise AccessError(
                self.env._(
                    "How a distributor, its end customers and their contacts "
                    "are reminded of overdue invoices (%(fields)s) is decided "
                    "by credit control, channel and accounting managers.",
                    fields=self._channel_terms_labels(names),
                )
            )

    @api.model
    def _channel_overdue_distributors(self):
        """The distributors (commercial entities) with a posted customer
        invoice unpaid past its due date in the user's companies (an
        invoice in installments: past any installment's due date)."""
        Move = self.env["account.move"].sudo()
        groups = Move._read_group(
            [
                *Move._channel_overdue_invoices_domain(
                    fields.Date.context_today(self), self.env.companies
                ),
                ("commercial_partner_id.is_distributor", "=", True),
            ],
            ["commercial_partner_id"],
        )
        return self.browse([partner.id for (partner,) in groups])

    @api.model
    def _channel_served_while_overdue(self):
        """The end customers (commercial entities) of the confirmed channel
        orders of overdue distributors."""
        distributors = self._channel_overdue_distributors()
        if not distributors:
            return self.browse()
        groups = (
            self.env["sale.order"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "in", self.env.companies.ids),
                    ("state", "=", "sale"),
                    ("distributor_id", "in", distributors.ids),
                    ("end_customer_id", "!=", False),
                ],
                ["end_customer_id"],
            )
        )
        customers = self.browse([partner.id for (partner,) in groups])
        return customers.commercial_partner_id

    def _compute_channel_distributor_overdue(self):
        served = self._channel_served_while_overdue()
        for partner in self:
            partner.channel_distributor_overdue = (
                partner.commercial_partner_id in served
            )

    def _search_channel_distributor_overdue(self, operator, value):
        # a portal user must not learn by searching what it cannot read
        if not self.env.su and not self.env.user._is_internal():
            raise AccessError(
                self.env._("Only internal users search on overdue distributors.")
            )
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._("Unsupported search on end customers served while overdue.")
            )
        served = self._channel_served_while_overdue()
        domain = [("commercial_partner_id", "in", served.ids)]
        if (operator == "=") != value:
            domain = ["!", *domain]
        return domain

    def _channel_dunning_overdue_invoices(self):
        """The posted customer invoices of this distributor (its commercial
        entity) in the user's companies that are unpaid past their due date
        (an invoice in installments: past its earliest unpaid installment's,
        a receivable line's, as OCA's reminders read them), oldest due
        first; as superuser: the callers check who asks."""
        self.ensure_one()
        Move = self.env["account.move"].sudo()
        today = fields.Date.context_today(self)
        invoices = Move.search(
            [
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                *Move._channel_overdue_invoices_domain(today, self.env.companies),
            ]
        )
        return invoices.sorted(lambda m: (m._channel_overdue_since(today), m.id))

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
        of its sections), ``due`` (its earliest unpaid installment's due
        date past today), ``days`` overdue since then and ``level`` (the
        last reminder level reached, an empty record if none)."""
        self.ensure_one()
        invoices = self._channel_dunning_overdue_invoices()
        levels = self._channel_reminder_levels(invoices)
        today = fields.Date.context_today(self)
        rows = []
        for invoice in invoices:
            orders = invoice._get_channel_section_orders()
            line = levels.get(invoice, self.env["credit.control.line"])
            due = invoice._channel_overdue_since(today)
            rows.append(
                {
                    "invoice": invoice,
                    "orders": [(order, order.end_customer_id) for order in orders],
                    "due": due,
                    "days": (today - due).days,
                    "level": line.sudo().policy_level_id,
                    "reminded": line.date_sent or line.date,
                }
            )
        return rows
