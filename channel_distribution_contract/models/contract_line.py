# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import math

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.channel_distribution.tools import (
    channel_access_first,
    channel_field_labels,
)
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round

# What a channel subscription line sells and at what price: these change
# through the quantity change (prorated, in the chatter) or by a channel
# manager, never by a plain write.
CHANNEL_COMMERCIAL_FIELDS = (
    "contract_id",
    "product_id",
    "name",
    "quantity",
    "uom_id",
    "automatic_price",
    "specific_price",
    "price_unit",
    "discount",
    "channel_price_fixed",
    # a line turned into a note (or a section) bills nothing; archived
    # (its subscription's flag) neither
    "display_type",
    "note_invoicing_mode",
    "active",
)
# The terms of a channel subscription line: its recurrence (a period billed at
# one period's price) and where its billing stands (dates moved back bill
# periods again). They change through the product's flows (billing,
# cancellation, OCA's stop and renewal) or by a channel manager.
CHANNEL_TERMS_FIELDS = (
    "recurring_rule_type",
    "recurring_interval",
    "recurring_invoicing_type",
    "recurring_invoicing_offset",
    "date_start",
    "last_date_invoiced",
    "recurring_next_date",
    # the term: its end and its renewal (OCA's stop and a due renewal write
    # them for the salesman, see stop() and renew())
    "date_end",
    "is_auto_renew",
    "auto_renew_interval",
    "auto_renew_rule_type",
    "termination_notice_interval",
    "termination_notice_rule_type",
    "manual_renew_needed",
    # cancelled at once (OCA's cancel) or revived (its uncancel)
    "is_canceled",
    # its periods aligned to the distributor's invoicing day
    "channel_coterm_day",
    # the order line it comes from (its commission, its commissioning)
    "sale_order_line_id",
    # stored copies of its subscription's (parties, company) and of its
    # terms: they follow them, a write would make them say otherwise
    "channel_distributor_id",
    "channel_end_customer_id",
    "partner_id",
    "company_id",
    "termination_notice_date",
    "monthly_recurring",
)

# Terms a salesman may still switch off (not renewing is his cancellation).
CHANNEL_TERMS_SWITCHED_OFF = ("is_auto_renew",)

# The length of a recurrence, in the unit that measures it: a product's
# price is the price of one such period.
RECURRENCE_LENGTH = {
    "daily": ("days", 1),
    "weekly": ("days", 7),
    "monthly": ("months", 1),
    "monthlylastday": ("months", 1),
    "quarterly": ("months", 3),
    "semesterly": ("months", 6),
    "yearly": ("months", 12),
}


def coterm_anchor(date_start, day):
    """The first day on or after ``date_start`` that is the ``day`` of its
    month (the last day of shorter months)."""
    anchor = date_start + relativedelta(day=day)
    if anchor < date_start:
        anchor = date_start + relativedelta(months=1, day=day)
    return anchor


def coterm_period(date_start, day, months, on):
    """``(start, end)`` of the whole aligned period containing ``on`` of a
    line started on ``date_start`` and co-termed on ``day`` every ``months``
    months: periods start on the ``day`` of their month, from the first such
    day on or after ``date_start``; before it, the period that ends the day
    before it (of which the line's first period is the end)."""
    anchor = coterm_anchor(date_start, day)
    if on < anchor:
        return anchor + relativedelta(months=-months, day=day), anchor - relativedelta(
            days=1
        )
    step = ((on.year - anchor.year) * 12 + on.month - anchor.month) // months
    start = anchor + relativedelta(months=step * months, day=day)
    while start > on:
        step -= 1
        start = anchor + relativedelta(months=step * months, day=day)
    end = anchor + relativedelta(months=(step + 1) * months, day=day)
    while end <= on:
        step += 1
        start = end
        end = anchor + relativedelta(months=(step + 1) * months, day=day)
    return start, end - relativedelta(days=1)


class ContractLine(models.Model):
    _inherit = "contract.line"

    channel_distributor_id = fields.Many2one(
        related="contract_id.distributor_id",
        string="Distributor",
        store=True,
        index="btree_not_null",
    )
    channel_end_customer_id = fields.Many2one(
        related="contract_id.end_customer_id",
        string="End Customer",
        store=True,
    )
    channel_period_ids = fields.One2many(
        "channel.contract.period",
        "contract_line_id",
        string="Billed Periods",
    )
    channel_coterm_day = fields.Integer(
        string="Co-termed On",
        readonly=True,
        help="The distributor's invoicing day this line's periods start on "
        "(co-terming): its first period runs to the day before it and is "
        "prorated. 0: the periods run from the line's start.",
    )
    channel_price_fixed = fields.Boolean(
        string="Negotiated Price",
        help="Set when the order sold the line at a price of its own: every "
        "period is billed at the line's unit price until a channel manager "
        "changes it. Otherwise the line follows the price book: each period "
        "is billed at the book's price when it is billed.",
    )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        contract_ids = {vals.get("contract_id") for vals in vals_list}
        self.env["contract.contract"].browse(
            [cid for cid in contract_ids if cid]
        )._channel_check_lines_editable()
        return super().create(vals_list)

    @channel_access_first("write")
    def write(self, vals):
        self._channel_check_terms_write(vals)
        if "price_unit" in vals and "channel_price_fixed" not in vals:
            vals = self._channel_price_written(vals)
        if "recurring_rule_type" in vals or "recurring_interval" in vals:
            self._channel_check_recurrence(
                vals.get("recurring_rule_type"), vals.get("recurring_interval")
            )
        changing = [name for name in CHANNEL_COMMERCIAL_FIELDS if name in vals]
        if changing:
            changed = self.filtered(
                lambda line: any(
                    line._fields[name].convert_to_write(line[name], line) != vals[name]
                    for name in changing
                )
            )
            contracts = changed.contract_id
            if "contract_id" in vals and changed:
                contracts |= contracts.browse(vals["contract_id"])
            contracts._channel_check_lines_editable()
        return super().write(vals)

    def _channel_check_terms_write(self, vals):
        """Refuse a change of the recurrence or the billing dates of a
        channel subscription's lines, but by a channel manager or the
        product's flows (as superuser)."""
        if self.env.su or self.env.user.has_group(
            "channel_distribution.group_channel_manager"
        ):
            return
        channel = self.filtered("contract_id.distributor_id")
        changed = [
            name
            for name in CHANNEL_TERMS_FIELDS
            if name in vals
            and not (name in CHANNEL_TERMS_SWITCHED_OFF and not vals[name])
            and any(
                line._fields[name].convert_to_cache(line[name], line, validate=False)
                != line._fields[name].convert_to_cache(vals[name], line, validate=False)
                for line in channel
            )
        ]
        if changed:
            raise UserError(
                self.env._(
                    "The recurrence and billing dates of subscription "
                    "%(contract)s (%(fields)s) are a channel manager's decision: "
                    "they change through billing, cancellation and renewal.",
                    contract=channel[0].contract_id.display_name,
                    fields=channel_field_labels(self, changed),
                )
            )

    def _channel_runs_terms_flow(self):
        """Whether OCA's flows that move the terms (stop, renewal) run as
        superuser for this user: one who may write these lines but not
        their terms."""
        if self.env.su or self.env.user.has_group(
            "channel_distribution.group_channel_manager"
        ):
            return False
        self.check_access("write")
        return True

    def _channel_is_manager_flow(self):
        """Whether the current user runs OCA's line flows on channel
        subscriptions without the product's rules: the product's own flows
        (as superuser) and channel managers."""
        return self.env.su or self.env.user.has_group(
            "channel_distribution.group_channel_manager"
        )

    def _channel_check_line_flow(self):
        """OCA's flows that cancel a line at once, revive it, suspend it or
        plan its successor (a new line, created as superuser) bypass the
        product's cancellation (its notice, the running period billed) and
        its lines (only an order makes them): on a channel subscription, a
        channel manager's decision."""
        if self._channel_is_manager_flow():
            return
        channel = self.sudo().filtered("contract_id.distributor_id")
        if channel:
            # the reason names the subscription: Odoo's own refusal for a
            # line the caller does not read (probe 14, P14-6)
            self.check_access("read")
            raise UserError(
                self.env._(
                    "Subscription %(contract)s is sold through %(distributor)s: "
                    "cancel it with Cancel Subscription (it runs to the end of "
                    "its period, or of the product's notice, and bills it). "
                    "Cancelling a line at once, reviving, suspending or "
                    "extending it is a channel manager's decision.",
                    contract=channel[0].contract_id.display_name,
                    distributor=channel[0].contract_id.distributor_id.display_name,
                )
            )

    def _channel_check_stop(self, date_end):
        """OCA's stop (its wizard, contract termination) ends a channel
        subscription's line no earlier than a cancellation asked today would
        (the end of its period, or of the first period after the product's
        notice, never before what was billed); earlier is a channel
        manager's decision. A stop that leaves the line's end as it is only
        turns its renewal off."""
        if self._channel_is_manager_flow():
            return
        today = fields.Date.context_today(self)
        for line in self.sudo().filtered("contract_id.distributor_id"):
            if line.date_end and line.date_end <= date_end:
                continue
            earliest = line._channel_cancellation_date(today)
            if date_end < earliest:
                self.check_access("read")
                raise UserError(
                    self.env._(
                        "Subscription %(contract)s is sold through "
                        "%(distributor)s: %(product)s cancelled today runs to "
                        "%(day)s (the end of its period, or of the product's "
                        "notice, and what was billed). Ending it earlier is a "
                        "channel manager's decision.",
                        contract=line.contract_id.display_name,
                        distributor=line.contract_id.distributor_id.display_name,
                        product=line.product_id.display_name,
                        day=earliest,
                    )
                )

    def cancel(self):
        self._channel_check_line_flow()
        return super().cancel()

    def uncancel(self, recurring_next_date):
        self._channel_check_line_flow()
        return super().uncancel(recurring_next_date)

    def plan_successor(
        self,
        date_start,
        date_end,
        is_auto_renew,
        recurring_next_date=False,
        post_message=True,
    ):
        self._channel_check_line_flow()
        return super().plan_successor(
            date_start,
            date_end,
            is_auto_renew,
            recurring_next_date=recurring_next_date,
            post_message=post_message,
        )

    def stop_plan_successor(self, date_start, date_end, is_auto_renew):
        self._channel_check_line_flow()
        return super().stop_plan_successor(date_start, date_end, is_auto_renew)

    def stop(self, date_end, manual_renew_needed=False, post_message=True):
        # OCA's stop ends a line earlier, never later: a salesman's
        # cancellation, from the day the product's cancellation would end
        # it. It writes the guarded end as superuser once the user may write
        # the lines; asking for a manual renewal stays a term. A call over
        # RPC gives the date as text.
        date_end = fields.Date.to_date(date_end)
        self._channel_check_stop(date_end)
        if manual_renew_needed or not self._channel_runs_terms_flow():
            return super().stop(
                date_end,
                manual_renew_needed=manual_renew_needed,
                post_message=post_message,
            )
        return super(ContractLine, self.sudo()).stop(
            date_end, manual_renew_needed=False, post_message=post_message
        )

    def renew(self):
        # A renewal that is due (its notice date passed) is OCA's flow; one
        # that is not stretches the term: the terms' guard refuses it.
        due = self.filtered_domain(self._contract_line_to_renew_domain())
        if due != self or not self._channel_runs_terms_flow():
            return super().renew()
        return super(ContractLine, self.sudo()).renew().with_env(self.env)

    def _channel_price_written(self, vals):
        """A unit price written on a channel subscription line (by a channel
        manager) is a negotiated price: the price book no longer reprices
        the line. Billing writes the book's price with the flag off."""
        changed = self.filtered(
            lambda line: line.contract_id.distributor_id
            and line.contract_id.currency_id.compare_amounts(
                line.price_unit, vals["price_unit"] or 0.0
            )
        )
        if changed:
            return dict(vals, channel_price_fixed=True)
        return vals

    # ------------------------------------------------------------------
    # co-terming: periods aligned to the distributor's invoicing day
    # ------------------------------------------------------------------

    @api.model
    def _channel_coterm_months(self, day, rule_type, interval):
        """The months of a period of ``rule_type`` x ``interval`` co-termed
        on ``day``; 0 when it is not co-termed (no day, or a period counted
        in days or weeks: it keeps its own start)."""
        length = RECURRENCE_LENGTH.get(rule_type)
        if not day or not length or length[0] != "months":
            return 0
        return length[1] * (interval or 1)

    def _channel_own_periods(self):
        """Whether this line's periods follow its start (or its co-terming),
        whatever OCA's next invoice date says: a channel subscription's line.
        A next invoice date written by hand says when a period is due, not
        how long it is (a month stretched to a written date would bill more
        than a month at one month's price, or less)."""
        self.ensure_one()
        return bool(self.contract_id.distributor_id and self.date_start)

    def _channel_coterm(self):
        """``(day, months)`` of this co-termed line, or None."""
        self.ensure_one()
        months = self._channel_coterm_months(
            self.channel_coterm_day, self.recurring_rule_type, self.recurring_interval
        )
        if not months or not self.date_start:
            return None
        return self.channel_coterm_day, months

    def _channel_period_end(self, start):
        """The last day of the period of this line starting on ``start``
        (its end date aside): co-termed, the day before the next invoicing
        day it is aligned to; else the day before the next period counted
        from the line's start, or one period after ``start``."""
        self.ensure_one()
        coterm = self._channel_coterm()
        if coterm:
            return coterm_period(self.date_start, *coterm, start)[1]
        anchored = self._channel_anchored_period_end(start)
        if anchored:
            return anchored
        return start + self._channel_period_length() - relativedelta(days=1)

    def _channel_anchored_period_end(self, start):
        """The end of the period starting on ``start`` of a line billed by
        the month or longer, counted in months from the line's start (not
        from the previous period): started on Jan 31st, its periods start
        on Feb 28th, Mar 31st, Apr 30th..., never drifting to the 28th (12
        periods a year, none cut short at the end of the term). False when
        ``start`` is not one of those days (dates reset by hand, periods
        billed before this rule): one period from ``start``."""
        self.ensure_one()
        unit, count = RECURRENCE_LENGTH.get(self.recurring_rule_type, (None, 0))
        first = self.date_start
        if (
            unit != "months"
            or self.recurring_rule_type == "monthlylastday"
            or not first
            or start < first
        ):
            return False
        months = count * (self.recurring_interval or 1)
        step = ((start.year - first.year) * 12 + start.month - first.month) // months
        if first + relativedelta(months=step * months) != start:
            return False
        return first + relativedelta(months=(step + 1) * months, days=-1)

    def _channel_same_run_amount(self, start, end):
        """The untaxed amount, at today's book, of the periods after the
        one from ``start`` to ``end`` that the run billing it bills too (a
        pre-paid period starting before the distributor's next run: a
        co-termed first period and the first whole one, billed together):
        the next invoice's amount is all it bills."""
        self.ensure_one()
        distributor = self.contract_id.distributor_id.commercial_partner_id
        if self.recurring_invoicing_type != "pre-paid" or not distributor:
            return 0.0
        run = distributor._channel_billing_day(start, True)
        amount = 0.0
        for __ in range(60):
            start = end + relativedelta(days=1)
            if (self.date_end and start > self.date_end) or (
                distributor._channel_billing_day(start, True) != run
            ):
                break
            end = self._channel_period_end(start)
            if self.date_end and end > self.date_end:
                break  # a period cut by the end: not a whole one
            # an invoice line of its own, rounded as its line
            amount += self.contract_id.currency_id.round(
                self.quantity
                * self._channel_untaxed_price(self._channel_period_price(start))
                * (1.0 - (self.discount or 0.0) / 100.0)
            )
        return amount

    def _channel_period_days(self, start, end):
        """The days of the whole period that ``start`` - ``end`` is part of:
        its own, but for a co-termed line, whose first (and a last one cut
        by its end) is part of an aligned period."""
        self.ensure_one()
        coterm = self._channel_coterm()
        if coterm and start:
            first, last = coterm_period(self.date_start, *coterm, start)
            return (last - first).days + 1
        return (end - start).days + 1

    @api.model
    def _channel_coterm_line_vals(self, vals, day):
        """``vals`` of a new subscription line co-termed on ``day``: its
        periods aligned, its end moved to the end of the aligned period it
        falls in, its first invoice date on its first period."""
        date_start = fields.Date.to_date(vals.get("date_start"))
        months = self._channel_coterm_months(
            day, vals.get("recurring_rule_type"), vals.get("recurring_interval")
        )
        if not (months and date_start):
            return vals
        vals = dict(vals, channel_coterm_day=day)
        date_end = fields.Date.to_date(vals.get("date_end"))
        if date_end:
            date_end = coterm_period(date_start, day, months, date_end)[1]
            vals["date_end"] = date_end
        first_end = coterm_period(date_start, day, months, date_start)[1]
        if date_end and first_end > date_end:
            first_end = date_end
        if vals.get("recurring_invoicing_type") == "post-paid":
            offset = self._get_default_recurring_invoicing_offset(
                "post-paid", vals.get("recurring_rule_type")
            )
            vals["recurring_next_date"] = first_end + relativedelta(days=offset)
        else:
            vals["recurring_next_date"] = date_start
        return vals

    @api.depends("channel_coterm_day", "date_start", "contract_id.distributor_id")
    def _compute_next_period_date_end(self):
        res = super()._compute_next_period_date_end()
        for line in self:
            start = line.next_period_date_start
            if not start or not line._channel_own_periods():
                continue
            end = line._channel_period_end(start)
            if line.date_end and end > line.date_end:
                end = line.date_end
            line.next_period_date_end = end
        return res

    @api.depends("channel_coterm_day", "date_start")
    def _compute_recurring_next_date(self):
        res = super()._compute_recurring_next_date()
        for line in self:
            start = line.next_period_date_start
            if (
                not line.recurring_next_date
                or not start
                or line.recurring_invoicing_type != "post-paid"
                or not line._channel_own_periods()
            ):
                continue
            # in arrears: after its period (aligned, or counted from its
            # start)
            end = line._channel_period_end(start)
            if line.date_end and end > line.date_end:
                end = line.date_end
            line.recurring_next_date = end + relativedelta(
                days=line.recurring_invoicing_offset
            )
        return res

    def _compute_monthly_recurring(self):
        res = super()._compute_monthly_recurring()
        # untaxed, as the revenue it is compared with: a price that
        # includes VAT counts without it
        for line in self.filtered(
            lambda x: x.contract_id.distributor_id
            and not x.display_type
            and x.price_unit
        ):
            untaxed = line._channel_untaxed_price(line.price_unit)
            if untaxed != line.price_unit:
                line.monthly_recurring *= untaxed / line.price_unit
        return res

    def _get_period_to_invoice(
        self, last_date_invoiced, recurring_next_date, stop_at_date_end=True
    ):
        first, last, next_date = super()._get_period_to_invoice(
            last_date_invoiced, recurring_next_date, stop_at_date_end=stop_at_date_end
        )
        if first and self._channel_own_periods():
            last = self._channel_period_end(first)
            if stop_at_date_end and self.date_end and last > self.date_end:
                last = self.date_end
        return first, last, next_date

    @api.model
    def _channel_amount_unit_price(self, amount, discount, currency, taxes=None):
        """The unit price of a line of quantity 1 (or -1) that bills
        ``amount`` (see ``account.move.line._channel_amount_unit_price``)."""
        return self.env["account.move.line"]._channel_amount_unit_price(
            amount, discount, currency, taxes
        )

    def _channel_billing_taxes(self):
        """The taxes of this line's invoice lines: its product's, mapped by
        the fiscal position the subscription is billed with."""
        self.ensure_one()
        contract = self.contract_id
        taxes = self.product_id.taxes_id._filter_taxes_by_company(contract.company_id)
        position = contract._channel_billing_fiscal_position()
        return position.map_tax(taxes) if position else taxes

    def _channel_untaxed_price(self, price, taxes=None):
        """``price``, a unit price of this line, without the taxes included
        in it (``taxes``, by default those it is billed with): with a 21 %
        VAT included, 96.80 is 80 untaxed. Not rounded: the amounts made of
        it are rounded once."""
        self.ensure_one()
        if taxes is None:
            taxes = self._channel_billing_taxes()
        if not any(taxes.mapped("price_include")):
            return price
        # ``round_base``: compute_all rounds its totals to the cent unless
        # told not to (88.00 with 21 % VAT would be 72.73, and 3 units
        # 218.19 where Odoo bills 218.18)
        return taxes.with_context(round_base=False).compute_all(
            price,
            currency=self.contract_id.currency_id,
            product=self.product_id,
            partner=self.contract_id.partner_id,
            rounding_method="round_globally",
        )["total_excluded"]

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    def action_channel_change_quantity(self):
        """Button: the wizard that changes the quantity, prorated."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change the Quantity"),
            "res_model": "channel.contract.quantity",
            "view_mode": "form",
            "target": "new",
            "context": {"default_contract_line_id": self.id},
        }

    # ------------------------------------------------------------------
    # periods and prices
    # ------------------------------------------------------------------

    def _channel_period_price(self, day):
        """The unit price of a period starting on ``day``: the line's own
        when it was negotiated, else the price book as it stands (a change
        of the book applies from the next period billed)."""
        self.ensure_one()
        if self.channel_price_fixed:
            return self.price_unit
        contract = self.contract_id
        book = contract._channel_price_book()
        if not book or not self.product_id:
            return self.price_unit
        product = self.product_id
        price = book._get_product_price(
            product,
            self.quantity or 1.0,
            currency=contract.currency_id,
            uom=self.uom_id,
            date=day,
        )
        # as Odoo prices an order: a VAT included in the book's price that
        # the billing fiscal position maps to a tax not included comes off
        return product._get_tax_included_unit_price_from_price(
            price,
            product_taxes=product.taxes_id._filter_taxes_by_company(
                contract.company_id
            ),
            fiscal_position=contract._channel_billing_fiscal_position(),
        )

    def _channel_period_commission(self, price, day):
        """What the distributor earns on one unit of a period billed at the
        net ``price`` (the line's discount deducted), as on an order line:
        the list price minus what it pays (resale), or what the end customer
        pays minus its price book (agency), in the subscription's currency
        (the list price converted at the rate of ``day``, as an order
        converts it at its date)."""
        self.ensure_one()
        contract = self.contract_id
        if contract.financial_role == "end_customer":
            book = contract.distributor_id.commercial_partner_id.with_company(
                contract.company_id
            ).channel_pricelist_id
            if not book:
                return 0.0
            cost = book._get_product_price(
                self.product_id,
                self.quantity or 1.0,
                currency=contract.currency_id,
                uom=self.uom_id,
                date=day,
            )
            return self._channel_untaxed_price(price) - self._channel_untaxed_price(
                cost,
                self.product_id.taxes_id._filter_taxes_by_company(contract.company_id),
            )
        product = self.product_id.with_company(contract.company_id)
        list_price = product.currency_id._convert(
            product.uom_id._compute_price(product.lst_price, self.uom_id),
            contract.currency_id,
            contract.company_id,
            day,
            round=False,
        )
        # untaxed: a list price includes the product's taxes included in
        # the price, ``price`` those the line is billed with
        listed = product.taxes_id._filter_taxes_by_company(contract.company_id)
        return self._channel_untaxed_price(
            list_price, listed
        ) - self._channel_untaxed_price(price)

    def _channel_prepare_period_vals(self, date_start, date_end):
        """A billed period: its quantity, price and discount, and, for a
        part of a whole period (a co-termed line's first period), the days
        of that whole period: it is billed and earns in proportion."""
        self.ensure_one()
        price = self._channel_period_price(date_start)
        net = price * (1.0 - (self.discount or 0.0) / 100.0)
        days = self._channel_period_days(date_start, date_end)
        own = (date_end - date_start).days + 1
        share = own / days if days > own else 1.0
        return {
            "contract_line_id": self.id,
            "date_start": date_start,
            "date_end": date_end,
            "period_days": days if days > own else 0,
            "quantity": self.quantity,
            "price_unit": price,
            "discount": self.discount,
            "commission": self.contract_id.currency_id.round(
                self._channel_period_commission(net, date_start) * self.quantity * share
            ),
        }

    def _channel_prepare_period_line_vals(self, period):
        """The invoice line of one billed period: OCA's line at the period's
        price (the price book's) and discount (the order's)."""
        self.ensure_one()
        vals = self._prepare_invoice_line()
        for key in ("company_id", "company_currency_id"):
            vals.pop(key, None)
        vals.update(
            {
                "price_unit": period.price_unit,
                "discount": period.discount,
                "channel_period_id": period.id,
                "start_date": period.date_start,
                "end_date": period.date_end,
            }
        )
        if period.period_days:
            # a part of a whole period (co-termed): one unit billing its
            # prorated amount to the cent, the label saying how
            vals.update(
                {
                    "quantity": 1.0,
                    "price_unit": self._channel_amount_unit_price(
                        period._channel_amount(),
                        period.discount,
                        self.contract_id.currency_id,
                        self._channel_billing_taxes(),
                    ),
                    "name": period._channel_prorated_label(),
                }
            )
        return vals

    def _channel_known_period(self, date_start):
        """The period row of this line starting on ``date_start``, if any."""
        self.ensure_one()
        return self.channel_period_ids.filtered(lambda p: p.date_start == date_start)[
            :1
        ]

    def _channel_prepare_given_back_line_vals(self, period):
        """The invoice line of a period billed again (its invoice was
        cancelled or deleted, or finance asked): at the amounts it was
        billed at."""
        self.ensure_one()
        vals = self._channel_prepare_period_line_vals(period)
        if not period.period_days:
            vals["quantity"] = period.quantity
        period.channel_bill_again = False
        return vals

    def _channel_give_back_from(self, date_start):
        """The periods of this line from ``date_start`` on are to bill
        again: its dates go back to the day before."""
        self.ensure_one()
        if self.last_date_invoiced and self.last_date_invoiced >= date_start:
            last = date_start - relativedelta(days=1)
            self.sudo().write(
                {"last_date_invoiced": last if last >= self.date_start else False}
            )

    def _channel_keep_period_price(self, period):
        """A line that follows the price book shows the book's price last
        billed (its recurring revenue follows the book); its discount stays.
        A negotiated price is never rewritten."""
        self.ensure_one()
        if self.automatic_price or self.channel_price_fixed:
            return
        currency = self.contract_id.currency_id
        if currency.compare_amounts(self.price_unit, period.price_unit):
            self.write({"price_unit": period.price_unit, "channel_price_fixed": False})

    def _channel_check_recurrence(self, rule_type=None, interval=None):
        """Refuse a recurrence of a channel subscription line other than its
        product's (see ``_channel_check_product_recurrence``). ``rule_type``
        and ``interval`` are the new values (None: unchanged)."""
        for line in self.filtered(
            lambda line: line.contract_id.distributor_id and not line.display_type
        ):
            self._channel_check_product_recurrence(
                line.product_id,
                rule_type or line.recurring_rule_type,
                interval or line.recurring_interval,
            )

    @api.model
    def _channel_check_product_recurrence(self, product, rule_type, interval):
        """Refuse to bill ``product`` every ``interval`` ``rule_type`` on a
        channel subscription when that is not the product's own period: the
        price book prices the product's period (a monthly product's price is
        a month's), so that a line billed every 12 months of a monthly
        product would bill a year at a month's price. The same length
        written otherwise (monthly, monthly last day) is the same period."""
        if not product.is_contract:
            return
        new = RECURRENCE_LENGTH.get(rule_type)
        new = new and (new[0], new[1] * (interval or 1))
        own = RECURRENCE_LENGTH.get(product.recurring_rule_type)
        own = own and (own[0], own[1] * (product.recurring_interval or 1))
        if new == own:
            return
        labels = dict(
            product._fields["recurring_rule_type"].get_description(self.env)[
                "selection"
            ]
        )
        raise UserError(
            self.env._(
                "%(product)s is priced for a period of every %(interval)s "
                "%(unit)s: a subscription line of it is billed on that "
                "period, not another (a longer period would be billed at the "
                "price of a shorter one). To bill on another period, sell a "
                "product priced for it.",
                product=product.display_name,
                interval=product.recurring_interval,
                unit=labels.get(product.recurring_rule_type),
            )
        )

    def _channel_billed_period(self, day):
        """The billed period of this line that contains ``day`` (empty when
        none is billed)."""
        self.ensure_one()
        return self.channel_period_ids.filtered(
            lambda period: period.date_start <= day <= period.date_end
        )[:1]

    def _channel_prorate_vals(self, start, end, day, billed):
        """The price, discount and service dates of a change on ``day`` of
        the period ``start`` - ``end``: a billed period's change is priced
        at what the period was billed at (the price book may have changed
        since) and covers ``day`` to the end; an unbilled one (in arrears)
        at the period's price today and covers the days before ``day``."""
        self.ensure_one()
        period = billed and self._channel_billed_period(day)
        if period:
            return {
                "price_unit": period.price_unit,
                "discount": period.discount,
                "service_start": day,
                "service_end": end,
            }
        return {
            "price_unit": self._channel_period_price(start),
            "discount": self.discount,
            "service_start": start,
            "service_end": day - relativedelta(days=1),
        }

    def _channel_renewal_start(self):
        """The first day of the next term of this line, billed in advance
        and billed to the end of its term, when the term renews
        automatically (the subscription not cancelled), else False."""
        self.ensure_one()
        if not (
            self.is_auto_renew
            and not self.is_canceled
            and self.date_end
            and self.recurring_invoicing_type == "pre-paid"
            and self.last_date_invoiced
            and self.last_date_invoiced >= self.date_end
            and not self.contract_id.channel_cancel_date
        ):
            return False
        return self.date_end + relativedelta(days=1)

    def _channel_period_length(self):
        self.ensure_one()
        return self.get_relative_delta(
            self.recurring_rule_type, self.recurring_interval
        )

    def _channel_current_period(self, day):
        """``(start, end, billed)`` of the period of this line that contains
        ``day``: the billed one, or else the next one to bill."""
        self.ensure_one()
        for period in self.channel_period_ids:
            if period.date_start <= day <= period.date_end:
                return period.date_start, period.date_end, True
        start = self.next_period_date_start
        end = self.next_period_date_end
        if not start:
            return False, False, False
        while end and end < day:
            start = end + relativedelta(days=1)
            end = self._channel_period_end(start)
        return start, end, False

    def _channel_cancellation_date(self, day):
        """The last day of a cancellation asked on ``day``: the end of the
        current period, or of the first period ending after the product's
        notice, and never before the end of the last period billed (in
        advance: paid for)."""
        self.ensure_one()
        __, end, __ = self._channel_current_period(day)
        end = end or day
        notice_end = day + self.get_relative_delta(
            self.termination_notice_rule_type or "monthly",
            self.termination_notice_interval or 0,
        )
        while end < notice_end:
            end = self._channel_period_end(end + relativedelta(days=1))
        # a period billed in advance is served: the service runs to its end
        billed_end = max(self.channel_period_ids.mapped("date_end"), default=None)
        if billed_end and billed_end > end:
            end = billed_end
        if self.date_end and not self.is_auto_renew:
            end = min(end, self.date_end)
        return max(end, self.date_start)

    # ------------------------------------------------------------------
    # quantity changes
    # ------------------------------------------------------------------

    def _channel_check_quantity(self, quantity):
        """Return ``quantity`` rounded to the line's unit, or raise why it
        cannot be the line's new quantity (what rounds to nothing is no
        quantity)."""
        self.ensure_one()
        maximum = self.env["sale.order"]._channel_portal_max_quantity()
        if quantity is None or not math.isfinite(quantity):  # NaN, infinities
            raise UserError(self.env._("Give the new quantity as a number."))
        if quantity > maximum:
            raise UserError(
                self.env._(
                    "The quantity of %(product)s cannot exceed %(max)s.",
                    product=self.product_id.display_name,
                    max=maximum,
                )
            )
        uom = self.uom_id or self.product_id.uom_id
        if uom:
            quantity = float_round(quantity, precision_rounding=uom.rounding)
        if quantity <= 0:
            raise UserError(
                self.env._(
                    "The quantity of %(product)s must be above zero; to stop "
                    "the subscription, cancel it.",
                    product=self.product_id.display_name,
                )
            )
        if self.is_canceled or self.contract_id.channel_cancel_date:
            raise UserError(
                self.env._(
                    "Subscription %(contract)s is cancelled: its quantities "
                    "cannot change.",
                    contract=self.contract_id.display_name,
                )
            )
        return quantity

    def _channel_check_change_date(self, day):
        """A change takes effect today or later, and not before the line's
        last prorated change: a change dated back would credit (or charge)
        periods already billed. A channel manager may date one back (a
        correction)."""
        self.ensure_one()
        if self.env.user.has_group("channel_distribution.group_channel_manager"):
            return
        if day < fields.Date.context_today(self):
            raise UserError(
                self.env._(
                    "A change of %(product)s takes effect today or later: "
                    "%(day)s is before today.",
                    product=self.product_id.display_name,
                    day=day,
                )
            )
        changes = self.sudo().contract_id.channel_adjustment_ids.filtered(
            lambda adjustment: adjustment.contract_line_id == self
        )
        last = max(changes.mapped("date"), default=None)
        if last and day < last:
            raise UserError(
                self.env._(
                    "The last change of %(product)s takes effect on %(last)s: "
                    "a new one cannot take effect before it.",
                    product=self.product_id.display_name,
                    last=last,
                )
            )

    def _channel_portal_change_quantity(self, partner, quantity):
        """The quantity change of the portal, by ``partner``: its
        distributor's. On agency the end customer is invoiced and signs for
        what it buys: the distributor lowers the quantity, never raises it
        (more is a new quotation for the end customer to sign)."""
        self.ensure_one()
        contract = self.contract_id
        contract._channel_portal_check_change(partner)
        quantity = self._channel_check_quantity(quantity)
        if contract.financial_role == "end_customer" and (
            float_compare(
                quantity,
                self.quantity,
                precision_rounding=(self.uom_id or self.product_id.uom_id).rounding
                or 0.01,
            )
            > 0
        ):
            raise UserError(
                self.env._(
                    "%(customer)s is invoiced for subscription %(contract)s: "
                    "you may lower its quantities or cancel it; for more, "
                    "send the end customer a new quotation to sign.",
                    customer=contract.end_customer_id.display_name,
                    contract=contract.display_name,
                )
            )
        return self._channel_change_quantity(quantity)

    def _channel_prorate_periods_ahead(self, day, before, quantity):
        """The corrections of the periods billed in advance that start after
        ``day`` (a pre-paid period is billed before it starts): each was
        billed at ``before``, all of it is now at ``quantity``, at the price
        and discount it was billed at. Written as superuser, after the
        checks of the quantity change."""
        self.ensure_one()
        Adjustment = self.env["channel.contract.adjustment"].sudo()
        periods = self.channel_period_ids.filtered(
            lambda period: period.date_start > day
            # a period credited in full is not credited twice
            and not (quantity < before and period._channel_credited_in_full())
        ).sorted("date_start")
        if not periods:
            return Adjustment
        return Adjustment.create(
            [
                {
                    "contract_line_id": self.id,
                    "date": day,
                    "quantity_before": before,
                    "quantity_after": quantity,
                    "quantity": quantity - before,
                    **self._channel_period_ahead_vals(period),
                }
                for period in periods
            ]
        )

    @api.model
    def _channel_period_ahead_vals(self, period):
        """What a quantity change bills of ``period``, a period billed in
        advance that starts after the change: all of it, at the price and
        discount it was billed at."""
        return {
            "period_start": period.date_start,
            "period_end": period.date_end,
            "ratio": 1.0,
            "price_unit": period.price_unit,
            "discount": period.discount,
            "service_start": period.date_start,
            "service_end": period.date_end,
        }

    def _channel_prorate_periods_ended(self, day, before, quantity):
        """The corrections of the periods not billed yet that ended before
        ``day`` (billed in arrears, or late): billing bills a period at the
        line's quantity then, each ran at ``before`` all along: the
        difference for all of it, at its price today. A period given back
        (billed again) keeps the quantity it was billed at. Written as
        superuser, after the checks of the quantity change."""
        self.ensure_one()
        Adjustment = self.env["channel.contract.adjustment"].sudo()
        start = self.next_period_date_start
        end = self.next_period_date_end
        vals_list = []
        while start and end and end < day:
            if not self._channel_known_period(start):
                vals_list.append(
                    {
                        "contract_line_id": self.id,
                        "date": day,
                        "quantity_before": before,
                        "quantity_after": quantity,
                        "quantity": before - quantity,
                        "period_start": start,
                        "period_end": end,
                        "ratio": 1.0,
                        "price_unit": self._channel_period_price(start),
                        "discount": self.discount,
                        "service_start": start,
                        "service_end": end,
                    }
                )
            start = end + relativedelta(days=1)
            if self.date_end and start > self.date_end:
                break
            end = self._channel_period_end(start)
        return Adjustment.create(vals_list)

    def _channel_change_quantity(self, quantity, day=None):
        """Set the line's quantity from ``day`` (today by default).

        The difference for the rest of the period is prorated onto the next
        invoice: a charge or a credit for the days left of a period billed
        in advance, or, for a period billed in arrears at the new quantity,
        the days before the change at the old one; a period billed in
        advance that starts after ``day`` is corrected in full, and so is a
        period not billed yet that ended before ``day`` (billed at the new
        quantity, it ran at the old one). A period credited in full by a
        credit note is not credited again. Returns the
        adjustments, the current period's first (empty when nothing is to
        prorate).

        The only way a channel subscription's quantity changes: after its
        checks, the line and its adjustment are written as superuser."""
        self.ensure_one()
        day = day or fields.Date.context_today(self)
        self.check_access("write")
        self.contract_id._channel_check_changeable(day)
        quantity = self._channel_check_quantity(quantity)
        self._channel_check_change_date(day)
        before = self.quantity
        Adjustment = self.env["channel.contract.adjustment"]
        if quantity == before:
            return Adjustment
        start, end, billed = self._channel_current_period(day)
        # the periods ended before the change, not billed yet, ran at the
        # old quantity
        ended = self._channel_prorate_periods_ended(day, before, quantity)
        adjustment = Adjustment
        if start and end and day <= end:
            total = (end - start).days + 1
            if billed:
                ratio = ((end - day).days + 1) / total
                delta = quantity - before
            else:
                ratio = (day - start).days / total if day > start else 0.0
                delta = before - quantity
            credited = (
                billed
                and delta < 0
                and self._channel_billed_period(day)._channel_credited_in_full()
            )
            if ratio and not credited:
                adjustment = Adjustment.sudo().create(
                    {
                        "contract_line_id": self.id,
                        "date": day,
                        "quantity_before": before,
                        "quantity_after": quantity,
                        "quantity": delta,
                        "period_start": start,
                        "period_end": end,
                        "ratio": ratio,
                        **self._channel_prorate_vals(start, end, day, billed),
                    }
                )
        adjustment |= ended
        adjustment |= self._channel_prorate_periods_ahead(day, before, quantity)
        self.sudo().quantity = quantity
        self.contract_id.message_post(
            body=self.env._(
                "%(product)s: quantity %(before)s → %(after)s from %(day)s.",
                product=self.product_id.display_name,
                before=format(before, "g"),
                after=format(quantity, "g"),
                day=day,
            )
        )
        if quantity > before and self.sale_order_line_id:
            self.sale_order_line_id.order_id._channel_subscription_grown(self, before)
        return adjustment.with_env(self.env)
