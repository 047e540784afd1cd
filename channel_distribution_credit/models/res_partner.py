# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.channel_distribution.tools import (
    channel_access_first,
    channel_field_labels,
)
from odoo.exceptions import AccessError, UserError

INTERNAL = "base.group_user"
# Who sets the credit terms of a channel partner: OCA's risk managers (its
# form edits them for them only) and the accounting managers.
CREDIT_TERMS_GROUPS = (
    "account_financial_risk.group_account_financial_risk_manager",
    "account.group_account_manager",
)


class ResPartner(models.Model):
    """A distributor's credit: OCA's financial risk (open and unpaid
    invoices, sales orders not invoiced: confirmed channel orders count for
    their financial counterparty already), plus the next period of the
    running subscriptions it is invoiced for.

    The risk figures are internal: OCA leaves them readable to anyone who can
    read the partner (portal users of its customers and of other
    distributors); they are restricted to internal users here.
    """

    _inherit = "res.partner"

    # OCA's risk figures: internal only.
    risk_invoice_draft = fields.Monetary(groups=INTERNAL)
    risk_invoice_draft_limit = fields.Monetary(groups=INTERNAL)
    risk_invoice_draft_include = fields.Boolean(groups=INTERNAL)
    risk_invoice_open = fields.Monetary(groups=INTERNAL)
    risk_invoice_open_limit = fields.Monetary(groups=INTERNAL)
    risk_invoice_open_include = fields.Boolean(groups=INTERNAL)
    risk_invoice_unpaid = fields.Monetary(groups=INTERNAL)
    risk_invoice_unpaid_limit = fields.Monetary(groups=INTERNAL)
    risk_invoice_unpaid_include = fields.Boolean(groups=INTERNAL)
    risk_account_amount = fields.Monetary(groups=INTERNAL)
    risk_account_amount_limit = fields.Monetary(groups=INTERNAL)
    risk_account_amount_include = fields.Boolean(groups=INTERNAL)
    risk_account_amount_unpaid = fields.Monetary(groups=INTERNAL)
    risk_account_amount_unpaid_limit = fields.Monetary(groups=INTERNAL)
    risk_account_amount_unpaid_include = fields.Boolean(groups=INTERNAL)
    risk_sale_order = fields.Monetary(groups=INTERNAL)
    risk_sale_order_limit = fields.Monetary(groups=INTERNAL)
    risk_sale_order_include = fields.Boolean(groups=INTERNAL)
    risk_total = fields.Monetary(groups=INTERNAL)
    risk_exception = fields.Boolean(groups=INTERNAL)
    risk_amount_exceeded = fields.Monetary(groups=INTERNAL)
    risk_remaining_value = fields.Monetary(groups=INTERNAL)
    risk_remaining_percentage = fields.Float(groups=INTERNAL)
    credit_policy = fields.Char(groups=INTERNAL)
    date_credit_limit = fields.Date(groups=INTERNAL)

    risk_channel_subscription = fields.Monetary(
        string="Next Subscription Periods",
        compute="_compute_risk_channel_subscription",
        compute_sudo=True,
        currency_field="risk_currency_id",
        groups=INTERNAL,
        help="Untaxed amount of the next period of the running subscriptions "
        "the partner is invoiced for (resale subscriptions of a distributor; "
        "agency ones are their end customer's), at today's price book.",
    )
    risk_channel_subscription_limit = fields.Monetary(
        string="Limit Subscription Periods",
        currency_field="risk_currency_id",
        groups=INTERNAL,
        help="Set 0 if it is not locked",
    )
    risk_channel_subscription_include = fields.Boolean(
        string="Include Subscription Periods",
        groups=INTERNAL,
        help="Full risk computation",
    )

    @api.depends_context("company", "allowed_company_ids")
    def _compute_risk_channel_subscription(self):
        amounts = self._channel_credit_subscription_amounts()
        for partner in self:
            partner.risk_channel_subscription = amounts.get(partner.id, 0.0)

    # ------------------------------------------------------------------
    # CRUD: a channel partner's credit terms are finance's
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # what the context's defaults give the new partner counts too
            full = self._channel_credit_with_context_defaults(vals)
            if self._channel_credit_terms_given(full) and self._channel_credit_scope(
                full
            ):
                self._channel_check_credit_terms_user(full)
        return super().create(vals_list)

    @channel_access_first("write")
    def write(self, vals):
        if self._channel_credit_terms_changed(vals) and (
            self.sudo()._channel_credit_scope(vals)
        ):
            self._channel_check_credit_terms_user(vals)
        self._channel_check_credit_terms_entering(vals)
        return super().write(vals)

    @api.model
    def _channel_credit_terms_fields(self):
        """The fields that decide a partner's credit, hence whether a portal
        order of the channel is held: what its risk includes, its limits
        (OCA's, the addon's and Odoo's credit limit), the currency they are
        in, the receivable account its invoices are read on and its credit
        policy."""
        names = {
            name for risk_field in self._risk_field_list() for name in risk_field[1:]
        }
        return names | {
            "credit_limit",
            "credit_policy",
            "credit_currency",
            "manual_credit_currency_id",
            # the open invoices counted are those on this account
            "property_account_receivable_id",
        }

    @api.model
    def _channel_credit_with_context_defaults(self, vals):
        """``vals`` of a new partner with the context's defaults of the
        fields the credit terms' check reads."""
        return self._channel_terms_with_context_defaults(
            vals, self._channel_credit_terms_fields()
        )

    @api.model
    def _channel_credit_terms_given(self, vals):
        """Whether a new partner's ``vals`` set credit terms other than a new
        partner gets anyway (a form sends the defaults too)."""
        return self._channel_terms_given(vals, self._channel_credit_terms_fields())

    def _channel_credit_terms_changed(self, vals):
        """Whether ``vals`` change a credit term of one of these partners (a
        form that saves a term unchanged changes nothing)."""
        return self._channel_terms_changed(vals, self._channel_credit_terms_fields())

    def _channel_credit_scope(self, vals):
        """Whether these partners (or the one ``vals`` creates) are of the
        channel, where a credit term decides whether a portal order is held
        (the application's scope of channel terms)."""
        return self._channel_terms_scope(vals)

    def _channel_check_credit_terms_entering(self, vals):
        """A partner outside the channel keeps OCA's rules: anyone who edits
        it sets its credit terms. Made a distributor, an end customer
        managed by one or a contact of theirs, its terms become a channel
        partner's: when they are not a new partner's, that is a credit
        manager's decision too (else terms set before would be laundered
        into the channel)."""
        if self._channel_credit_may_set_terms():
            return
        entering = self._channel_terms_entering(
            vals, self._channel_credit_terms_fields()
        )
        if entering:
            partner, given = entering
            raise UserError(
                self.env._(
                    "%(partner)s has credit terms of its own (%(fields)s): "
                    "making it part of the channel (a distributor, an end "
                    "customer managed by one or their contact) is a credit "
                    "manager's decision (Financial Risk / Manager, or an "
                    "accounting administrator).",
                    partner=partner.display_name,
                    fields=self._channel_terms_labels(given),
                )
            )

    @api.model
    def _channel_company_terms_fields(self):
        return (
            super()._channel_company_terms_fields()
            | self._channel_credit_terms_fields()
        )

    @api.model
    def _get_channel_term_groups(self, name):
        # the credit terms are the credit managers' (not the channel's)
        if name in self._channel_credit_terms_fields():
            return CREDIT_TERMS_GROUPS
        return super()._get_channel_term_groups(name)

    @api.model
    def _channel_credit_may_set_terms(self):
        """Whether the current user sets the credit terms of channel
        partners."""
        return self._channel_may_set_terms(self._channel_credit_terms_fields())

    def _channel_check_credit_terms_user(self, vals):
        if self._channel_credit_may_set_terms():
            return
        names = sorted(self._channel_credit_terms_fields() & set(vals))
        raise UserError(
            self.env._(
                "The credit terms of a distributor, of its end customers and of "
                "their contacts (%(fields)s) are a credit manager's decision "
                "(Financial Risk / Manager, or an accounting administrator).",
                fields=channel_field_labels(self, names),
            )
        )

    def _channel_credit_subscription_amounts(self):
        """Hook: ``{partner id: amount}`` in each partner's risk currency, of
        the next period of the running subscriptions the partner (a
        commercial partner) is invoiced for.

        Reads ``channel_next_amount`` and ``channel_state`` of
        ``channel_distribution_contract`` when that addon is installed (no
        dependency on it); an addon with another notion of "next period"
        overrides this method.
        """
        Contract = self.env.get("contract.contract")
        partners = self.filtered(lambda p: p == p.commercial_partner_id)
        if (
            Contract is None
            or not partners
            or "channel_next_amount" not in Contract._fields
        ):
            return {}
        contracts = Contract.search(
            self._get_risk_company_domain()
            + [
                ("contract_type", "=", "sale"),
                ("commercial_partner_id", "in", partners.ids),
                ("channel_state", "in", ("running", "ending")),
            ]
        )
        today = fields.Date.context_today(self)
        amounts = {}
        for contract in contracts:
            partner = contract.commercial_partner_id
            amount = contract.currency_id._convert(
                contract.channel_next_amount,
                partner.risk_currency_id,
                contract.company_id,
                today,
                round=False,
            )
            amounts[partner.id] = amounts.get(partner.id, 0.0) + amount
        return amounts

    @api.model
    def _risk_field_list(self):
        res = super()._risk_field_list()
        res.append(
            (
                "risk_channel_subscription",
                "risk_channel_subscription_limit",
                "risk_channel_subscription_include",
            )
        )
        return res

    def _get_financial_risk_lines(self):
        lines = super()._get_financial_risk_lines()
        lines.append(
            (
                self.risk_channel_subscription_include,
                self.risk_channel_subscription,
                self._fields["risk_channel_subscription"].string,
            )
        )
        return lines

    def _channel_credit_has_limit(self):
        """Whether OCA's rule can find this commercial partner over its
        credit: a limit, or a figure included in the credit (with no credit
        limit, OCA then takes the limit as 0)."""
        self.ensure_one()
        partner = self.sudo()
        return bool(
            partner.credit_limit
            or any(
                partner[limit] or partner[include]
                for __, limit, include in self._risk_field_list()
            )
        )

    def _channel_credit_check_internal(self):
        if not self.env.su and not self.env.user._is_internal():
            raise AccessError(
                self.env._("Only internal users search on the credit figures.")
            )

    @api.model
    def _search_risk_exception(self, operator, value):
        # a portal user must not learn by searching what it cannot read
        self._channel_credit_check_internal()
        return super()._search_risk_exception(operator, value)

    @api.model
    def _search_risk_remaining_percentage(self, operator, value):
        self._channel_credit_check_internal()
        return super()._search_risk_remaining_percentage(operator, value)

    def _channel_credit_available(self):
        """What the partner can still take on before a limit is passed (in
        its risk currency, never below 0); None when no limit applies."""
        self.ensure_one()
        partner = self.sudo()
        headrooms = []
        if partner.credit_limit:
            headrooms.append(partner.credit_limit - partner.risk_total)
        if partner.risk_sale_order_limit:
            headrooms.append(partner.risk_sale_order_limit - partner.risk_sale_order)
        if not headrooms:
            return None
        return max(min(headrooms), 0.0)

    def _channel_overdue_invoices(self):
        """The posted customer invoices of this (commercial) partner in the
        current company unpaid more than the company's *Overdue Hold* days
        past a due date (an installment's); none when the hold is off."""
        self.ensure_one()
        company = self.env.company
        days = company.channel_overdue_hold_days
        Move = self.env["account.move"].sudo()
        if days <= 0:
            return Move
        limit = fields.Date.context_today(self) - timedelta(days=days)
        return Move.search(
            [
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                *Move._channel_overdue_invoices_domain(limit, company),
            ],
            order="invoice_date_due, id",
        )

    def _channel_overdue_hold_message(self):
        """Why this distributor cannot enter new orders, or False."""
        self.ensure_one()
        invoices = self._channel_overdue_invoices()
        if not invoices:
            return False
        contact = self.sudo().user_id or self.env.company
        return self.env._(
            "New orders are on hold: invoice %(invoices)s is more than "
            "%(days)s days overdue. Please settle it, or contact %(contact)s "
            "(%(email)s).",
            invoices=", ".join(invoices.mapped("name")),
            days=self.env.company.channel_overdue_hold_days,
            contact=contact.name,
            email=contact.email or "-",
        )

    @api.model
    def _channel_credit_risk_fields(self):
        """The computed figures of a partner's risk (OCA's and the addon's):
        what a credit check reads, none stored."""
        return [risk_field[0] for risk_field in self._risk_field_list()] + [
            "risk_total",
            "risk_exception",
            "risk_amount_exceeded",
            "risk_remaining_value",
            "risk_remaining_percentage",
        ]

    def _channel_credit_invalidate_risk(self):
        """Drop the cached risk figures of these partners, so that the next
        read computes them from the database (their computes do not depend
        on every record they read: the subscription periods, orders invoiced
        to a contact)."""
        self.invalidate_recordset(self._channel_credit_risk_fields())

    def _channel_credit_lock(self):
        """Lock the rows of these (commercial) partners until the end of the
        transaction: a writing lock, so that another transaction checking
        the same credit waits, and then fails to serialise (Odoo runs in
        REPEATABLE READ: a mere ``FOR UPDATE`` would let it go on with its
        snapshot taken before this one committed); the request is retried
        and reads what this one confirmed."""
        if self:
            self.env.cr.execute(
                "UPDATE res_partner SET write_date = write_date WHERE id IN %s",
                (tuple(self.ids),),
            )
