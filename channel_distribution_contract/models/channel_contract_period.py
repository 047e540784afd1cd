# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount


class ChannelContractPeriod(models.Model):
    """One billed service period of one subscription line.

    Written before the invoice line that bills it: the unique key on the
    line and the start of the period makes the database refuse a second
    billing of the same period, whatever the number of concurrent runs.
    """

    _name = "channel.contract.period"
    _description = "Billed Subscription Period"
    _order = "date_start desc, id desc"

    contract_line_id = fields.Many2one(
        "contract.line",
        required=True,
        index=True,
        ondelete="cascade",
    )
    contract_id = fields.Many2one(
        related="contract_line_id.contract_id",
        store=True,
        index=True,
    )
    date_start = fields.Date(string="From", required=True)
    date_end = fields.Date(string="To", required=True)
    period_days = fields.Integer(
        string="Days of the Whole Period",
        help="Set when this period is a part of a whole period (a co-termed "
        "subscription's first period, up to the distributor's invoicing "
        "day): the days of that whole period. It is billed quantity x "
        "price x its days / these days, rounded once to the cent.",
    )
    quantity = fields.Float(digits="Product Unit of Measure")
    price_unit = fields.Float(digits="Product Price")
    discount = fields.Float(
        string="Discount (%)",
        digits="Discount",
        help="The order's discount, off the price book's price.",
    )
    commission = fields.Float(
        digits="Product Price",
        help="What the distributor earns on this period: the margin between "
        "the list price and what it pays, discount deducted (resale), or "
        "between what the end customer pays and the price book (agency).",
    )
    move_line_ids = fields.One2many(
        "account.move.line",
        "channel_period_id",
        string="Invoice Lines",
    )

    channel_bill_again = fields.Boolean(
        string="To Bill Again",
        readonly=True,
        copy=False,
        help="Credited by a credit note and asked to be billed again: the "
        "next run bills it again.",
    )

    _sql_constraints = [
        (
            "contract_line_period_unique",
            "UNIQUE(contract_line_id, date_start)",
            "This period of the subscription line is billed already.",
        ),
    ]

    def _channel_share(self):
        """The share of a whole period this period bills: 1, or its days
        over the whole period's (co-termed first period)."""
        self.ensure_one()
        if not self.period_days:
            return 1.0
        return ((self.date_end - self.date_start).days + 1) / self.period_days

    def _channel_amount(self):
        """What this period bills, untaxed: quantity x price (untaxed) x
        share x (1 - discount), rounded once to the cent."""
        self.ensure_one()
        return self.contract_id.currency_id.round(
            self.quantity
            * self.contract_line_id._channel_untaxed_price(self.price_unit)
            * self._channel_share()
            * (1.0 - (self.discount or 0.0) / 100.0)
        )

    def _channel_billed_quantity(self):
        """The quantity of the invoice line that bills this period: its
        units, or 1 for a prorated period (billed as its amount)."""
        self.ensure_one()
        return 1.0 if self.period_days else self.quantity

    def _channel_prorated_label(self):
        """The label of the invoice line of a prorated period."""
        self.ensure_one()
        line = self.contract_line_id
        lang = line.contract_id.partner_id.lang
        return self.with_context(lang=lang).env._(
            "%(product)s: %(quantity)s x %(price)s for %(days)s of the "
            "%(total)s days of the period, %(start)s - %(end)s (aligned to "
            "the invoicing day)",
            product=line.product_id.display_name,
            quantity=format(self.quantity, "g"),
            price=format(self.price_unit, ".2f"),
            days=(self.date_end - self.date_start).days + 1,
            total=self.period_days,
            start=self.date_start,
            end=self.date_end,
        )

    def _channel_live_lines(self):
        """Invoice lines of invoices that are not cancelled billing it."""
        self.ensure_one()
        return self.move_line_ids.filtered(
            lambda line: line.move_id.state != "cancel"
            and line.move_id.move_type == "out_invoice"
        )

    def _channel_credited_in_full(self):
        """Whether every invoice that bills this period had what it billed
        of the line credited in full by a credit note: nothing of the
        period is left to credit."""
        self.ensure_one()
        invoices = self._channel_live_lines().move_id
        return bool(invoices) and all(
            invoice._channel_credited_in_full(self.contract_line_id)
            for invoice in invoices
        )

    def _channel_is_to_bill_again(self):
        """Whether the next run bills this period (again): no invoice bills
        it (cancelled or deleted), or finance asked."""
        self.ensure_one()
        return self.channel_bill_again or not self._channel_live_lines()

    def _channel_give_back(self):
        """The periods are to bill again: their lines' dates go back."""
        for line in self.contract_line_id:
            periods = self.filtered(lambda p, x=line: p.contract_line_id == x)
            line._channel_give_back_from(min(periods.mapped("date_start")))

    def _channel_posted_credits(self, invoice):
        """The lines of the posted credit notes of ``invoice`` that credit
        this period: of its subscription line and service dates, not a
        prorated change's credit (a lowered quantity is its own credit)."""
        self.ensure_one()
        refunds = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("reversed_entry_id", "=", invoice.id),
                    ("move_type", "=", "out_refund"),
                    ("state", "=", "posted"),
                ]
            )
        )
        return refunds.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
            and line.contract_line_id == self.contract_line_id
            and not line.channel_adjustment_ids
            and line.start_date
            and self.date_start <= line.start_date <= self.date_end
        )

    def _channel_check_credited_in_full(self):
        """Bill Again bills the period again at what it was billed: only
        when posted credit notes credit what each invoice billing it billed
        of it, untaxed and taxes included (eleventh probe, P11-12: a credit
        of 0.01 let the whole period be billed twice).

        Returns the lines of the credit notes that credit it in full."""
        self.ensure_one()
        billed_lines = self._channel_live_lines()
        currency = self.contract_id.currency_id
        accepted = self.env["account.move.line"]

        def amount(lines, name):
            return format_amount(self.env, sum(lines.mapped(name)), currency)

        for invoice in billed_lines.move_id.sorted("id") or [None]:
            credits = invoice and self._channel_posted_credits(invoice)
            if not credits:
                raise UserError(
                    self.env._(
                        "The period %(start)s - %(end)s of %(contract)s is "
                        "billed and no posted credit note credits it: there is "
                        "nothing to bill again.",
                        start=self.date_start,
                        end=self.date_end,
                        contract=self.contract_id.display_name,
                    )
                )
            billed = billed_lines.filtered(lambda line, m=invoice: line.move_id == m)
            if all(
                currency.compare_amounts(
                    sum(credits.mapped(name)), sum(billed.mapped(name))
                )
                >= 0
                for name in ("price_subtotal", "price_total")
            ):
                accepted |= credits
                continue
            raise UserError(
                self.env._(
                    "Credit notes %(credits)s credit %(credited)s of the "
                    "%(billed)s %(invoice)s billed for the period %(start)s - "
                    "%(end)s of %(contract)s (taxes included; untaxed "
                    "%(credited_untaxed)s of %(billed_untaxed)s): "
                    "Bill Again bills a period again only once credit notes "
                    "credit it in full, or it would be billed twice. Credit "
                    "the rest first; a partial credit stays a credit (to undo "
                    "it, reset it to draft and cancel it).",
                    credits=", ".join(credits.move_id.mapped("name")),
                    credited=amount(credits, "price_total"),
                    billed=amount(billed, "price_total"),
                    credited_untaxed=amount(credits, "price_subtotal"),
                    billed_untaxed=amount(billed, "price_subtotal"),
                    invoice=invoice.name,
                    start=self.date_start,
                    end=self.date_end,
                    contract=self.contract_id.display_name,
                )
            )
        return accepted

    def _channel_check_not_ended(self):
        """A period of a subscription its order's cancellation ended is not
        billed again: the cancellation credited it, no run bills it, and a
        period marked to bill again there (its line's dates given back) would
        wait for the subscription to be restored (twelfth finance walk,
        W12-3: accepted, noted on the subscription, never billed)."""
        self.ensure_one()
        contract = self.contract_id.sudo()
        order = contract.channel_order_id
        if contract.active and order.state != "cancel":
            return
        raise UserError(
            self.env._(
                "%(contract)s ended (its order %(order)s is cancelled): the "
                "period %(start)s - %(end)s is not billed again. Sell the "
                "service on a new order.",
                contract=contract.display_name,
                order=order.display_name or "-",
                start=self.date_start,
                end=self.date_end,
            )
        )

    def action_channel_bill_again(self):
        """Button (finance): a period credit notes credited in full is billed
        again by the next run. A plain credit note never is on its own."""
        if not (
            self.env.su or self.env.user.has_group("account.group_account_invoice")
        ):
            raise UserError(
                self.env._("Only users with invoicing rights bill a period again.")
            )
        credits = self.env["account.move.line"]
        for period in self:
            period._channel_check_not_ended()
            credits |= period._channel_check_credited_in_full()
        self.sudo().write({"channel_bill_again": True})
        # their credit notes stay posted from now on (see
        # account.move._channel_check_billed_again)
        credits.move_id._channel_mark_billed_again(credits)
        self.sudo()._channel_give_back()
        # finance may bill, not write subscriptions: the note is the
        # product's, in the name of the user who asked
        for period in self:
            period.contract_id.sudo().message_post(
                body=self.env._(
                    "Period %(start)s - %(end)s credited, to bill again.",
                    start=period.date_start,
                    end=period.date_end,
                )
            )
        return True
