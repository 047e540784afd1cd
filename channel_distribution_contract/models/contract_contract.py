# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from odoo import Command, api, fields, models
from odoo.addons.channel_distribution.models.res_partner import (
    BUSINESS_ROLES,
    FINANCIAL_ROLES,
)
from odoo.addons.channel_distribution.tools import (
    channel_access_first,
    channel_field_labels,
    channel_subscribe_audience,
    channel_thread_by_pid,
)
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL, format_date

# A run bills at most this many periods of one subscription (a subscription
# left unbilled for years is billed over several runs rather than at once).
MAX_PERIODS_PER_RUN = 60

# What makes a subscription a channel one: set from its order only (a
# subscription created with them is refused), changed by a channel manager.
CHANNEL_CONTRACT_FIELDS = (
    "distributor_id",
    "end_customer_id",
    "financial_role",
    "business_role",
    "channel_order_id",
    "channel_cancel_date",
)
# The terms of a channel subscription: who is invoiced, at which price book,
# in which company, its recurrence (the lines follow it unless they have
# their own). A channel manager's decision, as on orders.
CHANNEL_CONTRACT_TERMS = (
    "partner_id",
    "invoice_partner_id",
    "pricelist_id",
    "company_id",
    "currency_id",
    "manual_currency_id",
    "fiscal_position_id",
    "payment_term_id",
    "journal_id",
    "contract_type",
    "contract_template_id",
    "line_recurrence",
    "recurring_rule_type",
    "recurring_interval",
    "recurring_invoicing_type",
    "recurring_invoicing_offset",
    "date_start",
    "recurring_next_date",
    # its end: archived, it is billed no more; its end date ends it
    "active",
    "date_end",
    # stored copies and billing state: the invoiced party's commercial
    # entity follows the invoiced party (credit checks read it), the last
    # billed day is billing's, the access token the portal's
    "commercial_partner_id",
    "last_date_invoiced",
    "access_token",
)
# Stored and computed from the lines: the subscription list's and the
# analysis' monthly figures trust them. Nobody writes them (probe 9).
CHANNEL_CONTRACT_COMPUTED = ("channel_mrr",)
# What the next period's amount is read from (``channel_next_amount``, not
# stored): declared so that a change of any of them drops the amount read
# before in the transaction. The lines billed and how, the changes to bill,
# the invoices that billed a period (a credit of a period billed on a draft
# waits for its posting), and the price books a period is priced at (the
# distributor's own or its tier's on resale, the subscription's own) with
# their rules.
CHANNEL_NEXT_AMOUNT_LINE_FIELDS = (
    "display_type",
    "is_canceled",
    "product_id",
    "uom_id",
    "quantity",
    "price_unit",
    "discount",
    "channel_price_fixed",
    "date_start",
    "next_period_date_start",
    "next_period_date_end",
    "recurring_rule_type",
    "recurring_interval",
    "channel_coterm_day",
    "channel_period_ids.date_start",
    "channel_period_ids.move_line_ids.parent_state",
    # a term billed to its end that renews: the renewed term's first period
    "is_auto_renew",
    "date_end",
    "last_date_invoiced",
    "recurring_invoicing_type",
)
CHANNEL_PRICE_BOOKS = (
    "pricelist_id",
    "distributor_id.commercial_partner_id.specific_property_product_pricelist",
    "distributor_id.commercial_partner_id.distributor_tier_id.pricelist_id",
)
CHANNEL_PRICE_RULE_FIELDS = (
    "applied_on",
    "product_tmpl_id",
    "product_id",
    "categ_id",
    "min_quantity",
    "date_start",
    "date_end",
    "compute_price",
    "fixed_price",
    "percent_price",
    "base",
    "base_pricelist_id",
    "price_discount",
    "price_surcharge",
    "price_markup",
    "price_round",
    "price_min_margin",
    "price_max_margin",
)
CHANNEL_NEXT_AMOUNT_DEPENDS = (
    "company_id",
    "currency_id",
    "financial_role",
    "channel_cancel_date",
    "distributor_id.commercial_partner_id.channel_pricelist_id",
    *(f"contract_line_ids.{name}" for name in CHANNEL_NEXT_AMOUNT_LINE_FIELDS),
    "distributor_id.commercial_partner_id.channel_invoicing_next_date",
    "channel_adjustment_ids.state",
    "channel_adjustment_ids.quantity",
    "channel_adjustment_ids.period_start",
    "channel_adjustment_ids.amount",
    *(
        f"{book}.item_ids.{name}"
        for book in CHANNEL_PRICE_BOOKS
        for name in CHANNEL_PRICE_RULE_FIELDS
    ),
)

# The termination of a channel subscription: written by OCA's termination
# (its wizard, which ends the lines by the product's stop rule) only.
CHANNEL_CONTRACT_TERMINATION = (
    "is_terminated",
    "terminate_date",
    "terminate_reason_id",
    "terminate_comment",
)


class ContractContract(models.Model):
    _inherit = "contract.contract"

    distributor_id = fields.Many2one(
        "res.partner",
        index="btree_not_null",
        readonly=True,
        tracking=True,
        help="The distributor that sold this subscription.",
    )
    end_customer_id = fields.Many2one(
        "res.partner",
        index="btree_not_null",
        readonly=True,
        tracking=True,
        help="The customer that uses the service.",
    )
    financial_role = fields.Selection(
        FINANCIAL_ROLES,
        string="Invoiced Party",
        readonly=True,
    )
    business_role = fields.Selection(
        BUSINESS_ROLES,
        string="Served Party",
        readonly=True,
    )
    client_order_ref = fields.Char(
        string="Customer Reference",
        readonly=True,
        help="The distributor's purchase order reference, repeated on every "
        "period's section of its invoice.",
    )
    channel_order_id = fields.Many2one(
        "sale.order",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The order that started this subscription.",
    )
    channel_period_ids = fields.One2many(
        "channel.contract.period",
        "contract_id",
        string="Billed Periods",
    )
    channel_adjustment_ids = fields.One2many(
        "channel.contract.adjustment",
        "contract_id",
        string="Prorated Changes",
    )
    channel_cancel_date = fields.Date(
        string="Cancelled On",
        readonly=True,
        copy=False,
        help="The day the subscription was cancelled; it runs to the end of "
        "its period (or of the notice).",
    )
    channel_mrr = fields.Monetary(
        string="Monthly Recurring Revenue",
        compute="_compute_channel_mrr",
        store=True,
        help="What the running lines bring each month, at their current price.",
    )
    channel_state = fields.Selection(
        [
            ("running", "Running"),
            ("ending", "Ending"),
            ("ended", "Ended"),
        ],
        string="Subscription State",
        compute="_compute_channel_state",
        search="_search_channel_state",
    )
    channel_next_amount = fields.Monetary(
        string="Next Period Amount",
        compute="_compute_channel_next_amount",
        help="The untaxed amount the next invoice bills of this subscription "
        "(every period it bills, e.g. a co-termed first period and the first "
        "whole one) at today's price book, discounts deducted, changes to bill "
        "included.",
    )

    channel_next_invoice_date = fields.Date(
        string="Next Invoice",
        compute="_compute_channel_next_invoice_date",
        help="The day the distributor's invoicing bills this subscription's "
        "next period: with a schedule, the run before a pre-paid period "
        "starts, the first run after a post-paid period ends.",
    )

    @api.depends(
        "contract_line_ids.monthly_recurring",
        "contract_line_ids.is_canceled",
        "contract_line_ids.date_end",
    )
    def _compute_channel_mrr(self):
        for contract in self:
            lines = contract.contract_line_ids.filtered(
                lambda line: not line.is_canceled and not line.display_type
            )
            contract.channel_mrr = sum(lines.mapped("monthly_recurring"))

    @api.depends(
        "active",
        "date_end",
        "channel_cancel_date",
        "contract_line_ids.display_type",
        "contract_line_ids.is_canceled",
        "contract_line_ids.is_auto_renew",
    )
    def _compute_channel_state(self):
        today = fields.Date.context_today(self)
        for contract in self:
            contract.channel_state = contract._channel_state_on(today)

    def _channel_state_on(self, day):
        self.ensure_one()
        lines = self.contract_line_ids.filtered(
            lambda line: not line.is_canceled and not line.display_type
        )
        if not self.active or not lines:
            return "ended"
        if self.date_end and self.date_end < day:
            return "ended"
        if self.channel_cancel_date or (
            self.date_end and not any(lines.mapped("is_auto_renew"))
        ):
            return "ending"
        return "running"

    def _search_channel_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on the state."))
        today = fields.Date.context_today(self)
        values = [value] if isinstance(value, str) else list(value)
        domains = {
            "ended": [
                "|",
                ("active", "=", False),
                "&",
                ("date_end", "!=", False),
                ("date_end", "<", today),
            ],
            "running": [
                ("active", "=", True),
                ("channel_cancel_date", "=", False),
                "|",
                ("date_end", "=", False),
                "&",
                ("date_end", ">=", today),
                ("contract_line_ids.is_auto_renew", "=", True),
            ],
            "ending": [
                ("active", "=", True),
                ("date_end", ">=", today),
                "|",
                ("channel_cancel_date", "!=", False),
                ("contract_line_ids.is_auto_renew", "=", False),
            ],
        }
        domain = expression.OR([domains[v] for v in values if v in domains] or [[]])
        if operator in ("!=", "not in"):
            domain = ["!", *domain]
        return domain

    @api.depends(*CHANNEL_NEXT_AMOUNT_DEPENDS)
    @api.depends_context("company")
    def _compute_channel_next_amount(self):
        for contract in self:
            amount = 0.0
            for line in contract._channel_running_lines():
                start = line.next_period_date_start
                end = line.next_period_date_end
                if not start:
                    # billed to the end of a term that renews: the renewed
                    # term's first period, when the next invoice (*Next
                    # Invoice*) is the run that bills it
                    start = line._channel_renewal_start()
                    distributor = contract.distributor_id.commercial_partner_id
                    # a renewed period is billed in advance
                    run = (
                        distributor._channel_billing_day(start, True)
                        if start and distributor
                        else start
                    )
                    if run != contract.channel_next_invoice_date:
                        start = False
                    end = start and line._channel_period_end(start)
                if not start:
                    continue
                net = (
                    line.quantity
                    * line._channel_untaxed_price(line._channel_period_price(start))
                    * (1.0 - (line.discount or 0.0) / 100.0)
                )
                days = end and line._channel_period_days(start, end)
                own = end and (end - start).days + 1
                if end and days > own:
                    # a co-termed first period: prorated, rounded once, as
                    # it is billed
                    net = net * own / days
                # each period billed is an invoice line of its own: the
                # amount is the sum of what the lines bill, each rounded
                # (two lines of 72.7272… are 145.46, not 145.45)
                amount += contract.currency_id.round(
                    net
                ) + line._channel_same_run_amount(start, end)
            # credits of billed periods go on credit notes, not on it
            pending = contract._channel_adjustments_to_invoice()
            amount += sum(pending.mapped("amount"))
            contract.channel_next_amount = contract.currency_id.round(amount)

    @api.depends("active", "distributor_id")
    def _compute_recurring_next_date(self):
        res = super()._compute_recurring_next_date()
        # A channel subscription with nothing left to bill (cancelled and
        # billed to its end, ended, or ended by its order's cancellation)
        # has no next invoice, never a date of the past.
        for contract in self.filtered("distributor_id"):
            lines = contract.contract_line_ids.filtered(
                lambda line: line.recurring_next_date
                and not line.is_canceled
                and not line.display_type
            )
            if not contract.active or not lines:
                contract.recurring_next_date = False
        return res

    @api.depends(
        "active",
        "recurring_next_date",
        "contract_line_ids.recurring_next_date",
        "distributor_id.channel_invoicing_next_date",
    )
    def _compute_channel_next_invoice_date(self):
        for contract in self:
            if not contract.active:
                contract.channel_next_invoice_date = False
                continue
            distributor = contract.distributor_id.commercial_partner_id
            dues = [
                (line.recurring_next_date, line.recurring_invoicing_type == "pre-paid")
                for line in contract._channel_running_lines()
                if line.recurring_next_date and contract.recurring_next_date
            ]
            # a term renewed automatically: its next period is billed as any
            # other, before the renewal itself
            dues += [
                (line._channel_renewal_start(), True)
                for line in contract._channel_running_lines()
                if line._channel_renewal_start()
            ]
            days = [
                distributor._channel_billing_day(due, prepaid) if distributor else due
                for due, prepaid in dues
            ]
            # nothing left to bill: none (see _compute_recurring_next_date)
            contract.channel_next_invoice_date = min(days, default=False)

    @api.depends("contract_line_ids.create_invoice_visibility", "distributor_id")
    def _compute_create_invoice_visibility(self):
        res = super()._compute_create_invoice_visibility()
        # Channel subscriptions are billed on their distributor's invoice.
        self.filtered("distributor_id").create_invoice_visibility = False
        return res

    # ------------------------------------------------------------------
    # security: who makes and changes a channel subscription
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._channel_check_create(vals_list)
        return super().create(vals_list)

    @channel_access_first("write")
    def write(self, vals):
        self._channel_check_write(vals)
        return super().write(vals)

    @channel_access_first("unlink")
    def unlink(self):
        self._channel_check_unlink()
        return super().unlink()

    def _terminate_contract(self, *args, **kwargs):
        # OCA's termination writes the termination fields as the user (its
        # group decides who terminates); a plain write of them is refused.
        # The flag lives on the cursor: a client cannot set it.
        cache = self.env.cr.cache
        before = cache.get("channel_terminating")
        cache["channel_terminating"] = True
        try:
            return super()._terminate_contract(*args, **kwargs)
        finally:
            cache["channel_terminating"] = before

    def action_cancel_contract_termination(self):
        cache = self.env.cr.cache
        before = cache.get("channel_terminating")
        cache["channel_terminating"] = True
        try:
            return super().action_cancel_contract_termination()
        finally:
            cache["channel_terminating"] = before

    @api.onchange("contract_template_id")
    def _onchange_contract_template_id(self):
        # A channel subscription is billed its order: its lines, recurrence
        # and terms are the order's, never a template's (OCA copies the
        # template of the order's products onto the new contract, and
        # salesmen write templates).
        if self.channel_order_id:
            return None
        return super()._onchange_contract_template_id()

    def _channel_check_create(self, vals_list):
        """A channel subscription comes from its order (which creates it as
        superuser): nobody creates one, or copies one, by hand."""
        if self.env.su:
            return
        self._channel_refuse_computed(
            [
                name
                for name in CHANNEL_CONTRACT_COMPUTED
                if any(name in vals for vals in vals_list)
            ]
        )
        if any(
            vals.get(name) for vals in vals_list for name in CHANNEL_CONTRACT_FIELDS
        ):
            raise AccessError(
                self.env._(
                    "A subscription sold through a distributor starts from its "
                    "confirmed order only."
                )
            )

    def _channel_refuse_computed(self, names):
        """Refuse a value given to the stored computed fields ``names``."""
        if names:
            raise UserError(
                self.env._(
                    "%(fields)s of a subscription follow its lines: they are "
                    "not written.",
                    fields=channel_field_labels(self, names),
                )
            )

    def _channel_changed(self, vals, names):
        """The names of ``names`` that ``vals`` changes on one of these
        subscriptions."""
        changed = []
        for name in names:
            if name not in vals:
                continue
            field = self._fields[name]
            new = field.convert_to_cache(vals[name], self, validate=False)
            if any(
                field.convert_to_cache(record[name], record, validate=False) != new
                for record in self
            ):
                changed.append(name)
        return changed

    def _channel_check_write(self, vals):
        """The channel fields of any subscription, and the terms of a
        channel subscription, change by a channel manager only (the
        product's own flows write them as superuser)."""
        if self.env.su:
            return
        self._channel_refuse_computed(
            self._channel_changed(vals, CHANNEL_CONTRACT_COMPUTED)
        )
        if self.env.user.has_group("channel_distribution.group_channel_manager"):
            return
        changed = self._channel_changed(vals, CHANNEL_CONTRACT_FIELDS)
        channel = self.filtered("distributor_id")
        if channel:
            changed += channel._channel_changed(vals, CHANNEL_CONTRACT_TERMS)
            if not self.env.cr.cache.get("channel_terminating"):
                changed += channel._channel_changed(vals, CHANNEL_CONTRACT_TERMINATION)
        if changed:
            raise UserError(
                self.env._(
                    "The distributor, end customer, invoiced and served parties, "
                    "price book, company, recurrence and end of a subscription "
                    "sold through a distributor are a channel manager's "
                    "decision (%(fields)s).",
                    fields=channel_field_labels(self, changed),
                )
            )

    def _channel_check_unlink(self):
        """A subscription that billed (a period on an invoice not
        cancelled, a line of a posted invoice) is not deleted, by anyone:
        its periods, its pending changes and the links of its invoices'
        lines would go (fifteenth probe, P15-7: an accounting manager
        deleted a running, billed subscription). It is ended (*Cancel
        Subscription*) or archived. A period whose invoice was deleted
        (a test's clean-up of what it committed) billed nothing."""
        contracts = self.sudo()
        posted_lines = self.env["account.move.line"].sudo()
        if contracts.contract_line_ids:
            posted_lines = posted_lines.search(
                [
                    ("contract_line_id", "in", contracts.contract_line_ids.ids),
                    ("parent_state", "=", "posted"),
                ]
            )
        posted_by_contract = {}
        for line in posted_lines:
            contract = line.contract_line_id.contract_id
            posted_by_contract[contract] = posted_by_contract.get(contract, line) | line
        for contract in contracts:
            posted = posted_by_contract.get(contract, posted_lines.browse())
            billed = contract.channel_period_ids.move_line_ids.filtered(
                lambda line: line.parent_state != "cancel"
            )
            if billed or posted:
                invoices = (billed | posted).move_id
                raise UserError(
                    self.env._(
                        "%(contract)s billed (%(invoices)s): a subscription "
                        "that billed is not deleted. End it (Cancel "
                        "Subscription), or have a channel manager archive it.",
                        contract=contract.display_name,
                        invoices=", ".join(invoices.mapped("display_name")) or "-",
                    )
                )

    def _channel_is_outsider(self, partner):
        """Whether ``partner`` is outside the invoiced party of this channel
        subscription: neither one of its people nor an internal user."""
        self.ensure_one()
        contract = self.sudo()
        if not contract.distributor_id:
            return False
        partner = partner.sudo()
        invoiced = contract.partner_id.commercial_partner_id
        return partner.commercial_partner_id != invoiced and not (
            partner.user_ids.filtered(lambda user: not user.share)
        )

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        # A subscription has no access token: a partner's pid/hash pair is
        # the same for every subscription. On a channel subscription it
        # serves only the invoiced party's people and internal users (as
        # on orders and invoices); the user's own rights keep Odoo's rules.
        thread = super()._get_thread_with_access(thread_id, mode=mode, **kwargs)
        return channel_thread_by_pid(self, thread, thread_id, mode, kwargs)

    def _message_subscribe(self, partner_ids=None, subtype_ids=None, customer_ids=None):
        # A channel subscription's followers are its audience (its invoiced
        # party's and its distributor's people, internal users). The end
        # customer of a resale subscription never follows it (a recipient of
        # its chatter would): it carries the distributor's buy price; nor
        # another distributor's people (fourteenth probe, P14-5). The record
        # rules refuse them the subscription anyway.
        return channel_subscribe_audience(
            self,
            partner_ids,
            lambda records, partners: super(
                ContractContract, records
            )._message_subscribe(partners, subtype_ids, customer_ids=customer_ids),
        )

    def _channel_keeps_recipients(self):
        return any(self.sudo().mapped("distributor_id"))

    def _channel_may_follow(self, partner):
        """Whether ``partner`` may follow this channel subscription: one of
        the people of its invoiced party or of its distributor (whose portal
        reads its subscriptions), never the end customer of a resale one,
        or an internal user."""
        self.ensure_one()
        contract = self.sudo()
        partner = partner.sudo()
        if partner.user_ids.filtered(lambda user: not user.share):
            return True
        commercial = partner.commercial_partner_id
        if commercial == contract._channel_hidden_customer():
            return False
        return commercial in (
            contract.partner_id.commercial_partner_id
            | contract.distributor_id.commercial_partner_id
        )

    def _channel_hidden_customer(self):
        """The commercial partner whose people must not follow this
        subscription: the end customer of a resale one (unless it is the
        distributor itself)."""
        self.ensure_one()
        contract = self.sudo()
        customer = contract.end_customer_id.commercial_partner_id
        if (
            not contract.distributor_id
            or contract.financial_role != "distributor"
            or customer == contract.distributor_id.commercial_partner_id
        ):
            return self.env["res.partner"]
        return customer

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    def recurring_create_invoice(self):
        if self.filtered("distributor_id"):
            raise UserError(
                self.env._(
                    "Subscription %(contract)s is billed with the other running "
                    "subscriptions of %(distributor)s: invoice the distributor "
                    "(its scheduled invoicing, or Invoice Due Now on it).",
                    contract=self[:1].display_name,
                    distributor=self.filtered("distributor_id")[
                        :1
                    ].distributor_id.display_name,
                )
            )
        return super().recurring_create_invoice()

    def action_channel_cancel(self):
        """Button: cancel at the end of the period (or after the notice)."""
        self._channel_cancel()
        return True

    # ------------------------------------------------------------------
    # OCA's recurring invoicing leaves channel subscriptions alone
    # ------------------------------------------------------------------

    @api.model
    def _get_contracts_to_invoice_domain(self, date_ref=None):
        domain = super()._get_contracts_to_invoice_domain(date_ref)
        return expression.AND([domain, [("distributor_id", "=", False)]])

    # ------------------------------------------------------------------
    # prices
    # ------------------------------------------------------------------

    def _channel_price_book(self):
        """The pricelist that prices a period: the distributor's price book
        as it stands (resale), else the subscription's own pricelist (the
        order's: the end customer's prices, agency)."""
        self.ensure_one()
        if self.financial_role == "distributor" and self.distributor_id:
            distributor = self.distributor_id.commercial_partner_id.with_company(
                self.company_id
            )
            return distributor.channel_pricelist_id or self.pricelist_id
        return self.pricelist_id

    def _channel_running_lines(self):
        self.ensure_one()
        return self.contract_line_ids.filtered(
            lambda line: not line.display_type and not line.is_canceled
        )

    # ------------------------------------------------------------------
    # billing
    # ------------------------------------------------------------------

    @api.model
    def _channel_due_domain(self, distributor, date_ref):
        """The channel subscriptions of ``distributor`` with a period or a
        change to bill up to ``date_ref``."""
        horizon = distributor._channel_prepaid_horizon(date_ref)
        return [
            ("distributor_id", "child_of", distributor.id),
            ("contract_type", "=", "sale"),
            "|",
            "|",
            ("recurring_next_date", "<=", horizon),
            ("channel_adjustment_ids.state", "=", "pending"),
            # a term renewed automatically whose next period (pre-paid)
            # starts before the horizon: renewed and billed by this run
            "&",
            ("channel_cancel_date", "=", False),
            (
                "contract_line_ids",
                "any",
                [
                    ("is_auto_renew", "=", True),
                    ("is_canceled", "=", False),
                    ("recurring_invoicing_type", "=", "pre-paid"),
                    ("date_end", "<", horizon),
                ],
            ),
        ]

    @api.model
    def _channel_get_due(self, distributor, date_ref):
        return self.search(self._channel_due_domain(distributor, date_ref), order="id")

    def _channel_lock_for_billing(self):
        """Lock the subscriptions for this transaction; those another
        transaction is billing are left out, not waited for."""
        if not self:
            return self
        self.env.cr.execute(
            SQL(
                "SELECT id FROM contract_contract WHERE id IN %s ORDER BY id "
                "FOR UPDATE SKIP LOCKED",
                tuple(self.ids),
            )
        )
        locked = {row[0] for row in self.env.cr.fetchall()}
        todo = self.filtered(lambda c: c.id in locked)
        todo.invalidate_recordset()
        todo.contract_line_ids.invalidate_recordset()
        return todo

    def _channel_invoice_key(self):
        """Subscriptions and orders with the same key share an invoice."""
        self.ensure_one()
        return (
            self.company_id.id,
            self.invoice_partner_id.id,
            self.currency_id.id,
            self._channel_billing_fiscal_position().id,
        )

    def _channel_billing_fiscal_position(self):
        """The fiscal position of this subscription's next invoice: its
        invoiced party's today, as for an order of that party (the
        subscription's own is the one it was sold with)."""
        self.ensure_one()
        return (
            self.env["account.fiscal.position"]
            .with_company(self.company_id)
            ._get_fiscal_position(self.partner_id, self.partner_id)
        )

    def _channel_billing_payment_term(self):
        """The payment terms of this subscription's next invoice: its
        invoiced party's today, or the subscription's own where the party
        has none."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id.with_company(self.company_id)
        return partner.property_payment_term_id or self.payment_term_id

    def _channel_prepare_section_vals(self, date_start, date_end):
        """The section that opens one period of this subscription on an
        invoice: subscription, order, end customer, PO reference and the
        service period."""
        self.ensure_one()
        lang = self.invoice_partner_id.lang or self.partner_id.lang
        env = self.with_context(lang=lang).env
        values = {
            "contract": self.code or self.name,
            "order": self.channel_order_id.name or "",
            "customer": self.end_customer_id.display_name,
            "start": format_date(env, date_start, lang_code=lang),
            "end": format_date(env, date_end, lang_code=lang),
        }
        if self.client_order_ref and self.financial_role == "distributor":
            # The distributor's PO belongs on the distributor's documents,
            # not on an agency end customer's invoice.
            name = env._(
                "%(contract)s (%(order)s) - %(customer)s - your reference "
                "%(ref)s - service %(start)s to %(end)s",
                ref=self.client_order_ref,
                **values,
            )
        else:
            name = env._(
                "%(contract)s (%(order)s) - %(customer)s - service %(start)s "
                "to %(end)s",
                **values,
            )
        return self.env["account.move"]._channel_section_line_vals(
            {
                "name": name,
                "channel_order_id": self.channel_order_id.id,
                "channel_contract_id": self.id,
                "channel_period_start": date_start,
                "channel_period_end": date_end,
                "end_customer_id": self.end_customer_id.id,
                "distributor_id": self.distributor_id.id,
            }
        )

    def _channel_lines_due(self, date_ref):
        """The lines with a period to bill on a run of ``date_ref``: a
        pre-paid period that starts before the distributor's next scheduled
        run (billed in advance), a post-paid one due by ``date_ref``."""
        self.ensure_one()
        distributor = self.distributor_id.commercial_partner_id
        horizon = (
            distributor._channel_prepaid_horizon(date_ref) if distributor else date_ref
        )
        return self._get_lines_to_invoice(horizon).filtered(
            lambda line: not line.display_type
            and (
                line.recurring_invoicing_type == "pre-paid"
                or line.recurring_next_date <= date_ref
            )
        )

    def _channel_renew_ahead(self, date_ref):
        """Renew (OCA's renewal) the lines of this subscription whose term
        renews automatically and whose next period, billed in advance,
        starts before the distributor's next run after ``date_ref``: that
        period is billed by this run, as any other, not one run late (the
        renewal job renews on the term's last day)."""
        self.ensure_one()
        distributor = self.distributor_id.commercial_partner_id
        horizon = (
            distributor._channel_prepaid_horizon(date_ref) if distributor else date_ref
        )
        lines = self._channel_running_lines().filtered(
            lambda line: line._channel_renewal_start()
            and line._channel_renewal_start() <= horizon
        )
        if lines:
            lines.sudo().renew()
            self.invalidate_recordset()
            self.contract_line_ids.invalidate_recordset()

    def _channel_prepare_period_lines(self, date_ref):
        """Invoice line values of the periods of this subscription due up to
        ``date_ref`` and of its changes to bill, a section per period: the
        lines of one period (and its changes) under the section of its
        dates, never under another period's.

        Writes the billed periods first: a period billed already (by another
        run) makes the database refuse this one. Moves the lines' next
        invoice date on.
        """
        self.ensure_one()
        Period = self.env["channel.contract.period"]
        self._channel_renew_ahead(date_ref)
        blocks = {}
        for __ in range(MAX_PERIODS_PER_RUN):
            lines = self._channel_lines_due(date_ref)
            if not lines:
                break
            period_vals = []
            to_bill = lines.browse()
            given_back = {}
            for line in lines:
                first, last, __ = line._get_period_to_invoice(
                    line.last_date_invoiced, line.recurring_next_date
                )
                known = line._channel_known_period(first)
                if known and not known._channel_is_to_bill_again():
                    continue  # billed already (the line's dates were reset)
                to_bill |= line
                if known:
                    given_back[line] = known
                else:
                    period_vals.append(line._channel_prepare_period_vals(first, last))
            new_periods = iter(Period.create(period_vals))
            for line in to_bill:
                period = given_back.get(line) or next(new_periods)
                block = blocks.setdefault((period.date_start, period.date_end), [])
                if line in given_back:
                    block.append(line._channel_prepare_given_back_line_vals(period))
                    continue
                block.append(line._channel_prepare_period_line_vals(period))
                line._channel_keep_period_price(period)
            lines._update_last_date_invoiced()
        for adjustment in self._channel_adjustments_to_invoice():
            vals = adjustment._prepare_invoice_line_vals(0)
            vals["channel_adjustment_ids"] = [Command.link(adjustment.id)]
            blocks.setdefault(
                (adjustment.period_start, adjustment.period_end), []
            ).append(vals)
        return self._channel_sectioned_vals(blocks)

    def _channel_sectioned_vals(self, blocks):
        """``blocks`` ({(start, end): line values}) as invoice line values:
        each period's section, then its lines, periods in date order."""
        vals_list = []
        for (start, end), items in sorted(blocks.items(), key=lambda kv: kv[0]):
            vals_list.append(self._channel_prepare_section_vals(start, end))
            vals_list += items
        return vals_list

    def _channel_adjustments_to_invoice(self):
        """The changes to bill on the subscription's next invoice: charges,
        and credits of periods no invoice bills (a credit of a billed
        period goes on a credit note of its invoice)."""
        self.ensure_one()
        return self.channel_adjustment_ids.filtered(
            lambda a: a.state == "pending" and a._channel_correction()[0] == "invoice"
        )

    def _channel_prepare_credit_lines(self):
        """{invoice: invoice line values}: the credits of this subscription
        to bill on credit notes of the invoices that billed the periods they
        correct, in its section."""
        self.ensure_one()
        by_invoice = {}
        for adjustment in self.channel_adjustment_ids.filtered(
            lambda a: a.state == "pending"
        ):
            how, invoice = adjustment._channel_correction()
            if how == "credited":
                adjustment._channel_drop_credited()
            elif invoice:
                by_invoice.setdefault(invoice, self.env["channel.contract.adjustment"])
                by_invoice[invoice] |= adjustment
        result = {}
        for invoice, adjustments in by_invoice.items():
            blocks = {}
            for adjustment in adjustments:
                vals = adjustment._prepare_invoice_line_vals(0)
                # a credit note's line credits a positive quantity
                vals["quantity"] = -vals["quantity"]
                vals["channel_adjustment_ids"] = [Command.link(adjustment.id)]
                blocks.setdefault(
                    (adjustment.period_start, adjustment.period_end), []
                ).append(vals)
            result[invoice] = self._channel_sectioned_vals(blocks)
        return result

    def _channel_prepare_credit_note(self, invoice, date_ref, vals_list):
        """Values of the credit note of ``invoice`` carrying ``vals_list``
        (sections and credit lines of subscriptions)."""
        self.ensure_one()
        vals = self._channel_prepare_invoice(date_ref)
        vals.update(
            {
                "move_type": "out_refund",
                "reversed_entry_id": invoice.id,
                "partner_id": invoice.partner_id.id,
                "fiscal_position_id": invoice.fiscal_position_id.id,
                "journal_id": invoice.journal_id.id,
                "currency_id": invoice.currency_id.id,
                "invoice_line_ids": [
                    Command.create(dict(line_vals, sequence=sequence))
                    for sequence, line_vals in enumerate(vals_list, start=1)
                ],
            }
        )
        vals.pop("invoice_payment_term_id", None)
        return vals

    @api.model
    def _channel_create_credit_notes(self, credits, date_ref, refunds=None):
        """Credit notes of ``credits`` ({invoice: [(subscription, line
        values)]}), one per invoice they correct: the draft credit note of
        that invoice among ``refunds`` (the orders' corrections of the same
        run), else a new one. Returns the new ones."""
        Move = self.env["account.move"]
        vals_list = []
        for invoice, items in credits.items():
            contracts = self.browse([contract.id for contract, __ in items])
            lines = [vals for __, item_vals in items for vals in item_vals]
            target = (refunds or Move).filtered(
                lambda m, i=invoice: m.state == "draft"
                and m.move_type == "out_refund"
                and m.reversed_entry_id == i
            )[:1]
            if target:
                sequence = max(target.invoice_line_ids.mapped("sequence") or [0])
                target.write(
                    {
                        "invoice_line_ids": [
                            Command.create(dict(line_vals, sequence=sequence + step))
                            for step, line_vals in enumerate(lines, start=1)
                        ]
                    }
                )
                target._channel_add_subscription_refs(contracts)
                continue
            vals = contracts[0]._channel_prepare_credit_note(invoice, date_ref, lines)
            vals.update(Move._channel_subscription_refs_vals(contracts))
            vals_list.append(vals)
        if not vals_list:
            return Move
        return Move.with_context(default_move_type="out_refund").create(vals_list)

    def _channel_prepare_invoice(self, date_ref):
        """Values of a new invoice for subscriptions (none of the party's
        orders to share it with)."""
        self.ensure_one()
        vals = self._prepare_invoice(date_ref)
        vals.pop("ref", None)
        vals["invoice_origin"] = False
        # the party's terms at billing, as its price book's prices
        vals["fiscal_position_id"] = self._channel_billing_fiscal_position().id
        term = self._channel_billing_payment_term()
        if term:
            vals["invoice_payment_term_id"] = term.id
        else:
            vals.pop("invoice_payment_term_id", None)
        return vals

    def _channel_check_invoice_address(self):
        """A resale subscription is billed to its distributor's invoice
        address, which needs a street or a city, as for its orders
        (``sale.order._check_distributor_invoicing``): a clear error, before
        anything is billed."""
        for contract in self.filtered(
            lambda c: c.distributor_id and c.financial_role == "distributor"
        ):
            address = contract.invoice_partner_id or contract.partner_id
            if not (address.street or address.city):
                raise UserError(
                    self.env._(
                        "Distributor %(distributor)s has no invoice address: give "
                        "%(address)s a street or a city (subscription "
                        "%(contract)s).",
                        distributor=contract.distributor_id.display_name,
                        address=address.display_name,
                        contract=contract.display_name,
                    )
                )

    def _channel_bill(self, date_ref, invoices=None):
        """Bill the subscriptions in ``self``: their periods due up to
        ``date_ref`` and their changes to bill, each subscription in
        sections of its own.

        A subscription goes on the invoice of ``invoices`` (draft invoices
        being made for the same party: the distributor's orders) with its
        key, or on a new invoice per key. Subscriptions another run is
        billing are skipped. A credit of a billed period goes on a credit
        note of the invoice that billed it (the draft one of ``invoices``
        correcting that invoice, else a new one). An invoice that their
        credits make negative becomes a credit note. Returns the new
        invoices and credit notes.
        """
        # Up to today on every path (a later day bills periods before they
        # start): an early closing is the decision of the run's user, asked
        # as itself (the billing runs as superuser).
        self.env(su=False)["res.partner"]._channel_check_run_day(
            date_ref, self.env._("Billing")
        )
        self._channel_check_invoice_address()
        Move = self.env["account.move"]
        refunds = invoices or Move
        invoices = (invoices or Move).filtered(
            lambda m: m.state == "draft"
            and m.move_type == "out_invoice"
            and not m.reversed_entry_id
        )
        by_key = {}
        credits = {}
        for contract in self._channel_lock_for_billing():
            for (
                invoice,
                credit_vals,
            ) in contract._channel_prepare_credit_lines().items():
                credits.setdefault(invoice, []).append((contract, credit_vals))
            vals_list = contract._channel_prepare_period_lines(date_ref)
            if vals_list:
                by_key.setdefault(contract._channel_invoice_key(), []).append(
                    (contract, vals_list)
                )
        new_vals = []
        extended = Move
        for key, items in by_key.items():
            contracts = self.browse([contract.id for contract, __ in items])
            target = invoices.filtered(lambda m, k=key: m._channel_invoice_key() == k)[
                :1
            ]
            sequence = (
                max(target.invoice_line_ids.mapped("sequence") or [0]) + 1
                if target
                else 1
            )
            commands = []
            for __, vals_list in items:
                for vals in vals_list:
                    vals["sequence"] = sequence
                    sequence += 1
                    commands.append(Command.create(vals))
            if target:
                target.write({"invoice_line_ids": commands})
                target._channel_add_subscription_refs(contracts)
                extended |= target
                continue
            vals = contracts[0]._channel_prepare_invoice(date_ref)
            vals["invoice_line_ids"] = commands
            vals.update(Move._channel_subscription_refs_vals(contracts))
            new_vals.append(vals)
        # One create for all the new invoices (they are of one company).
        new = Move.create(new_vals) if new_vals else Move
        (extended | new)._channel_refund_if_negative()
        return new | self._channel_create_credit_notes(credits, date_ref, refunds)

    # ------------------------------------------------------------------
    # changes
    # ------------------------------------------------------------------

    def _channel_check_lines_editable(self):
        """The products, quantities and prices of a channel subscription
        change through the quantity change (prorated onto the distributor's
        invoice, noted in the chatter) or by a channel manager; the
        product's own flows write them as superuser after their checks."""
        channel = self.filtered("distributor_id")
        if (
            not channel
            or self.env.su
            or self.env.user.has_group("channel_distribution.group_channel_manager")
        ):
            return
        raise UserError(
            self.env._(
                "Subscription %(contract)s is sold through %(distributor)s: "
                "change its quantities with Change the Quantity on its lines "
                "(prorated onto the next invoice); its products and prices "
                "are a channel manager's decision.",
                contract=channel[0].display_name,
                distributor=channel[0].distributor_id.display_name,
            )
        )

    def _channel_check_changeable(self, day):
        for contract in self:
            if contract._channel_state_on(day) == "ended":
                raise UserError(
                    self.env._(
                        "Subscription %(contract)s has ended: it cannot be changed.",
                        contract=contract.display_name,
                    )
                )

    def _channel_cancel(self, day=None):
        """Cancel the subscriptions: each line ends at the end of its current
        period, or later if the product's notice asks for it. Returns
        ``{contract: last day}``."""
        day = day or fields.Date.context_today(self)
        self._channel_check_changeable(day)
        ends = {}
        for contract in self:
            lines = contract._channel_running_lines().filtered(
                lambda line, d=day: not line.date_end or line.date_end >= d
            )
            if contract.channel_cancel_date or not lines:
                raise UserError(
                    self.env._(
                        "Subscription %(contract)s is cancelled already.",
                        contract=contract.display_name,
                    )
                )
            last_days = []
            for line in lines:
                end = line._channel_cancellation_date(day)
                line.stop(end, post_message=False)
                last_days.append(end)
            ends[contract] = max(last_days)
            contract.sudo().channel_cancel_date = day
            contract.message_post(
                body=self.env._(
                    "Cancelled on %(day)s: the subscription ends on %(end)s.",
                    day=day,
                    end=ends[contract],
                ),
            )
        return ends

    def _channel_end_now(self):
        """End the subscriptions now (their order was cancelled): no line
        runs past what it billed, nothing more is billed."""
        day = fields.Date.context_today(self)
        for contract in self:
            for line in contract._channel_running_lines():
                end = max(line.last_date_invoiced or line.date_start, line.date_start)
                if not line.date_end or line.date_end > end:
                    line.stop(end, post_message=False)
            contract.write(
                {
                    "channel_cancel_date": contract.channel_cancel_date or day,
                    "active": False,
                }
            )
            contract.message_post(
                body=self.env._(
                    "Ended on %(day)s: its order %(order)s was cancelled.",
                    day=day,
                    order=contract.channel_order_id.name,
                )
            )

    def _channel_billed_not_credited(self):
        """{posted invoice: line values}: what the subscription billed on
        each posted invoice and no credit note of it credited yet, as the
        lines of a credit note (the billed lines themselves, or their net
        amount where part of them was credited)."""
        self.ensure_one()
        Line = self.env["account.move.line"].sudo()
        lines = Line.search(
            [
                (
                    "contract_line_id",
                    "in",
                    self.with_context(active_test=False).contract_line_ids.ids,
                ),
                ("display_type", "=", "product"),
                ("move_id.state", "!=", "cancel"),
                ("move_id.move_type", "in", ("out_invoice", "out_refund")),
            ],
            order="id",
        )
        billed = {}
        credited = {}
        for line in lines:
            move = line.move_id
            if move.move_type == "out_invoice":
                if move.state == "posted":
                    billed.setdefault(move, Line)
                    billed[move] |= line
            elif move.reversed_entry_id:
                credited.setdefault(move.reversed_entry_id, Line)
                credited[move.reversed_entry_id] |= line
        result = {}
        for invoice, invoice_lines in billed.items():
            done = credited.get(invoice, Line)
            vals_list = []
            for contract_line in invoice_lines.contract_line_id:
                own = invoice_lines.filtered(
                    lambda x, c=contract_line: x.contract_line_id == c
                )
                credit = done.filtered(
                    lambda x, c=contract_line: x.contract_line_id == c
                )
                if not credit and all(x.price_subtotal > 0 for x in own):
                    vals_list += [
                        (
                            x._channel_credited_period(),
                            x._channel_prepare_credit_copy_vals(),
                        )
                        for x in own
                    ]
                    continue
                net = sum(own.mapped("price_subtotal")) - sum(
                    credit.mapped("price_subtotal")
                )
                if self.currency_id.compare_amounts(net, 0.0) > 0:
                    vals = own[:1]._channel_prepare_credit_copy_vals()
                    vals.update(
                        {
                            "start_date": min(
                                own.filtered("start_date").mapped("start_date"),
                                default=False,
                            ),
                            "end_date": max(
                                own.filtered("end_date").mapped("end_date"),
                                default=False,
                            ),
                            "name": self.env._(
                                "%(product)s: billed on %(invoice)s, not credited yet",
                                product=contract_line.product_id.display_name,
                                invoice=invoice.name,
                            ),
                            "quantity": 1.0,
                            # what is left, untaxed: with a VAT included in
                            # the line's price, the price with that VAT
                            "price_unit": contract_line._channel_amount_unit_price(
                                net, 0.0, self.currency_id, own[:1].tax_ids
                            ),
                            "discount": 0.0,
                        }
                    )
                    # what is left of several periods: a section of them all
                    vals_list.append(((vals["start_date"], vals["end_date"]), vals))
            if vals_list:
                # a section per period credited, as the invoice billed them
                blocks = {}
                for (start, end), vals in vals_list:
                    key = (
                        start or invoice.invoice_date,
                        end or start or invoice.invoice_date,
                    )
                    blocks.setdefault(key, []).append(vals)
                result[invoice] = self._channel_sectioned_vals(blocks)
        return result

    def _channel_credit_billed(self, refunds=None):
        """Credit notes of what these subscriptions billed and was not
        credited yet, one per invoice they correct: the draft credit note of
        that invoice among ``refunds`` (their order's cancellation), else a
        new one. Returns the new ones."""
        credits = {}
        for contract in self:
            for invoice, vals_list in contract._channel_billed_not_credited().items():
                credits.setdefault(invoice, []).append((contract, vals_list))
        return self.browse()._channel_create_credit_notes(
            credits, fields.Date.context_today(self), refunds
        )

    # ------------------------------------------------------------------
    # portal
    # ------------------------------------------------------------------

    @api.model
    def _channel_portal_domain(self, partner):
        """The subscriptions a portal partner sees: all those of its
        distributor, or, for an end customer, those it is invoiced for
        (agency). None when it sees none."""
        commercial = partner.commercial_partner_id
        if commercial.is_distributor:
            return [("distributor_id", "=", commercial.id)]
        return [
            ("distributor_id", "!=", False),
            ("financial_role", "=", "end_customer"),
            ("end_customer_id", "=", commercial.id),
        ]

    @api.model
    def _channel_portal_subscriptions(self, partner, contract_id=None):
        """As superuser, after the caller identified ``partner``: its
        subscriptions still running or ending (one of them with
        ``contract_id``), by end customer."""
        domain = self._channel_portal_domain(partner) + [
            ("channel_state", "in", ("running", "ending"))
        ]
        if contract_id is not None:
            domain = [("id", "=", contract_id)] + domain[:-1]
        return (
            self.sudo()
            .search(domain, order="end_customer_id, id")
            .with_context(lang=self.env.lang)
        )

    def _channel_portal_may_change(self, partner):
        """Only the distributor changes or cancels its subscriptions."""
        self.ensure_one()
        return (
            partner.commercial_partner_id == self.distributor_id
            and self._channel_state_on(fields.Date.context_today(self)) != "ended"
            and not self.channel_cancel_date
        )

    def _channel_portal_check_change(self, partner):
        self.ensure_one()
        if partner.commercial_partner_id != self.distributor_id:
            raise UserError(
                self.env._("Only the distributor changes this subscription.")
            )
        self._channel_check_changeable(fields.Date.context_today(self))
        if self.channel_cancel_date:
            raise UserError(
                self.env._(
                    "Subscription %(contract)s is cancelled: it cannot be changed.",
                    contract=self.display_name,
                )
            )
