# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, api, fields, models
from odoo.addons.channel_distribution.tools import (
    channel_access_first,
    channel_field_labels,
)
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round

# What the line of a subscription's period or change bills on an invoice: the
# period's, not edited on the draft (a part is credited on a credit note);
# nor its product, whose price Odoo would recompute (twelfth probe, P12-6).
PERIOD_BILLED_FIELDS = (
    "quantity",
    "price_unit",
    "discount",
    "product_uom_id",
    "product_id",
)


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    channel_contract_id = fields.Many2one(
        "contract.contract",
        string="Subscription Section",
        readonly=True,
        index="btree_not_null",
        copy=True,
        help="Set on the section line that opens a period of a subscription "
        "on a consolidated invoice.",
    )
    channel_period_start = fields.Date(string="Service From", readonly=True)
    channel_period_end = fields.Date(string="Service To", readonly=True)
    channel_period_id = fields.Many2one(
        "channel.contract.period",
        string="Billed Period",
        readonly=True,
        index="btree_not_null",
        copy=False,
        ondelete="set null",
    )
    channel_adjustment_ids = fields.One2many(
        "channel.contract.adjustment",
        "move_line_id",
        string="Prorated Changes",
        readonly=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._channel_check_subscription_links_given(vals)
        return super().create(vals_list)

    @channel_access_first("write")
    def write(self, vals):
        if not self.env.su:
            self._channel_check_subscription_links_written(vals)
        return super().write(vals)

    @channel_access_first("unlink")
    def unlink(self):
        self._channel_release_deleted_periods()
        return super().unlink()

    def _channel_release_deleted_periods(self):
        """A period's line deleted from a draft gives the period back, as
        the deleted draft does (``account.move._channel_release_billing``):
        the next run bills it again at its amount (twelfth probe, P12-6:
        the line deleted, the period counted as billed with no invoice
        line). A prorated change's line gives its change back by itself
        (its link is cleared)."""
        lines = self.sudo().filtered(
            lambda line: line.channel_period_id and line.parent_state == "draft"
        )
        if not lines:
            return
        lines.channel_period_id.filtered(
            lambda period: not (period._channel_live_lines() - lines)
        )._channel_give_back()

    def _channel_check_subscription_links_written(self, vals):
        """A user's write gives a line the subscription links it did not
        have (or others) on the terms of a user's create: on any line, not
        only on lines that already bill a subscription (a hand-made credit
        note would get them by a write)."""
        names = [
            name for name in self._channel_subscription_link_fields() if name in vals
        ]
        if not names:
            return
        if vals.get("channel_adjustment_ids"):
            # prorated changes are billed by the product only
            self._channel_check_subscription_links_given(
                {"channel_adjustment_ids": vals["channel_adjustment_ids"]}
            )
        names = [name for name in names if name != "channel_adjustment_ids"]
        names_all = [
            name
            for name in self._channel_subscription_link_fields()
            if name != "channel_adjustment_ids"
        ]
        for line in self.sudo():
            changed = [
                name
                for name in names
                if line._fields[name].convert_to_cache(line[name], line, validate=False)
                != line._fields[name].convert_to_cache(vals[name], line, validate=False)
            ]
            if not changed:
                continue
            # the links the line would have, as a create would give them
            links = {}
            for name in names_all:
                if name in vals:
                    links[name] = vals[name]
                elif line._fields[name].type == "many2one":
                    links[name] = line[name].id
                else:
                    links[name] = line[name]
            links["move_id"] = line.move_id.id
            self._channel_check_subscription_links_given(links)

    def _channel_check_subscription_links_given(self, vals):
        """A line created by a user links a subscription (its line, its
        billed period, its section) only as Odoo's correction of an invoice
        billing it: the credit note of that invoice (the *Credit Note*
        button) or the invoice made again in its place (*Reverse and Create
        Invoice*, once credited). The product's flows (billing, its credits)
        link them as superuser. Else a hand-made credit note would count as
        crediting a billed period (billed again, its commission clawed
        back)."""
        given = {
            name: vals[name]
            for name in self._channel_subscription_link_fields()
            if vals.get(name)
        }
        contract_line = (
            self.env["contract.line"].sudo().browse(given.get("contract_line_id"))
        )
        if contract_line and not contract_line.contract_id.distributor_id:
            # a line of a subscription outside the channel: OCA's
            del given["contract_line_id"]
        if not given:
            return
        names = list(given)
        # prorated changes are billed by the product only
        adjustments = given.pop("channel_adjustment_ids", None)
        if not adjustments and self._channel_subscription_links_corrected(
            vals.get("move_id"), given
        ):
            return
        raise UserError(
            self.env._(
                "The subscription links of an invoice line (%(fields)s) come "
                "from billing: a credit of a billed period is a credit note "
                "of the invoice that billed it.",
                fields=channel_field_labels(self, names),
            )
        )

    @api.model
    def _channel_subscription_link_fields(self):
        return [
            "contract_line_id",
            "channel_period_id",
            "channel_contract_id",
            "channel_adjustment_ids",
            "channel_period_start",
            "channel_period_end",
        ]

    @api.model
    def _channel_subscription_links_corrected(self, move_id, given):
        """Whether a line of the move ``move_id`` with the links ``given``
        corrects an invoice line with the same links: on the credit note of
        its invoice, or on an invoice made again of a credited one."""
        move = self.env["account.move"].sudo().browse(move_id)
        if not move:
            return False
        domain = [("move_id.move_type", "=", "out_invoice")]
        if move.move_type == "out_refund":
            if not move.reversed_entry_id:
                return False
            domain.append(("move_id", "=", move.reversed_entry_id.id))
        elif move.move_type == "out_invoice":
            domain.append(("move_id.reversal_move_ids", "!=", False))
        else:
            return False
        for name, value in given.items():
            field = self._fields[name]
            if field.type == "many2one":
                value = value.id if isinstance(value, models.BaseModel) else value
            else:
                value = field.convert_to_cache(value, self)
            domain.append((name, "=", value))
        return bool(self.sudo().search_count(domain, limit=1))

    @api.depends(
        "contract_line_id",
        "channel_period_id",
        "start_date",
        "price_subtotal",
    )
    def _compute_channel_commission(self):
        if not self.contract_line_id:
            # no subscription's line among them (direct sales' invoices)
            return super()._compute_channel_commission()
        lines = self.filtered(
            lambda line: line.contract_line_id and line.display_type == "product"
        )
        for line in lines:
            line.channel_commission = line._channel_subscription_commission()
        return super(AccountMoveLine, self - lines)._compute_channel_commission()

    def _channel_billed_period(self):
        """The billed period this line bills or credits: its own, or the
        period of its subscription line covering its service start."""
        self.ensure_one()
        period = self.channel_period_id
        if not period and self.start_date:
            period = self.contract_line_id.channel_period_ids.filtered(
                lambda p: p.date_start <= self.start_date <= p.date_end
            )[:1]
        return period

    def _channel_subscription_commission(self):
        """The commission of a line billing or crediting a subscription
        line: the commission of the period it bills, or its share of it for
        a part of the period (a prorated change, a credit of what is left):
        the period's commission times the line's amount over the period's.
        None when no billed period covers its service dates."""
        self.ensure_one()
        period = self._channel_billed_period()
        if not period:
            return 0.0
        currency = self.currency_id or self.contract_line_id.contract_id.currency_id
        if (
            float_compare(self.quantity, period.quantity, precision_digits=6) == 0
            and float_compare(self.price_unit, period.price_unit, precision_digits=6)
            == 0
            and float_compare(self.discount, period.discount, precision_digits=6) == 0
        ):
            # the period's line, or its copy (a credit note, a new invoice)
            return period.commission
        if period.period_days and not currency.compare_amounts(
            self.price_subtotal, period._channel_amount()
        ):
            # a prorated period's line (one unit of its amount), or its copy
            return period.commission
        net = (
            period.quantity
            * period.contract_line_id._channel_untaxed_price(period.price_unit)
            * period._channel_share()
            * (1.0 - period.discount / 100.0)
        )
        if not net:
            return 0.0
        return currency.round(self.price_subtotal * period.commission / net)

    @api.model
    def _channel_link_fields(self):
        return (
            super()._channel_link_fields()
            + [
                "channel_contract_id",
                "channel_period_start",
                "channel_period_end",
            ]
            + self._channel_subscription_billing_fields()
        )

    @api.model
    def _channel_billing_link_fields(self):
        # a period or a change unlinked from a draft is billed again
        return (
            super()._channel_billing_link_fields()
            + self._channel_subscription_billing_fields()
        )

    @api.model
    def _channel_write_guards(self):
        guards = super()._channel_write_guards()
        guards[PERIOD_BILLED_FIELDS] = (
            self._channel_period_billed_refused,
            self._channel_period_billed_message,
        )
        return guards

    @api.model
    def _channel_period_billed_refused(self, line, name, value):
        """A user's edit of what the line of a subscription's period or
        prorated change bills on an invoice (eleventh probe, P11-15: a
        period of 50 units posted as 1, counted as billed, the rest never
        billed). A credit note's line stays editable: it credits a part."""
        return (
            line.move_id.move_type == "out_invoice"
            and bool(line.channel_period_id or line.channel_adjustment_ids)
            and line._channel_link_changed(name, value)
        )

    def _channel_period_billed_message(self, line, names):
        return self.env._(
            "%(move)s bills subscription periods as they are (%(fields)s): "
            "credit a part of a period with a credit note instead.",
            move=line.move_id.display_name,
            fields=channel_field_labels(self, names),
        )

    @api.model
    def _channel_subscription_billing_fields(self):
        return ["channel_period_id", "channel_adjustment_ids", "contract_line_id"]

    def _channel_billed_again_names(self):
        # a period's credit is billed again on its subscription
        return super()._channel_billed_again_names() + self.contract_line_id.mapped(
            "contract_id.display_name"
        )

    def _channel_bills_order_quantity(self):
        # A subscription's period or change refers to the order line that
        # started it; it bills the subscription, not units of the order.
        return super()._channel_bills_order_quantity() and not self.contract_line_id

    def _channel_credit_targets(self):
        # a line of a subscription credits its billed period: with its
        # other lines dated in the period (the period's, its prorated
        # changes' and their credits), at most what they billed, in amount
        # (a period is billed again by its dates, not by units invoiced)
        if not self.contract_line_id:
            return super()._channel_credit_targets()
        period = self.display_type == "product" and self._channel_billed_period()
        if not period:
            return {}
        lines = period.move_line_ids | self.search(
            [
                ("contract_line_id", "=", period.contract_line_id.id),
                ("display_type", "=", "product"),
                ("start_date", ">=", period.date_start),
                ("start_date", "<=", period.date_end),
            ]
        )
        label = self.env._(
            "the period %(start)s - %(end)s of %(contract)s",
            start=period.date_start,
            end=period.date_end,
            contract=period.contract_id.display_name,
        )
        return {period: (lines, None, None, label)}

    def _channel_prepare_credit_rest(self, amount):
        """Values of the lines crediting ``amount`` (untaxed) of what this
        line of a subscription's period billed (none when it is not above
        zero): its quantity lowered to the units that make ``amount`` at
        its price, else one unit of the amount."""
        self.ensure_one()
        currency = self.currency_id or self.company_currency_id
        if currency.compare_amounts(amount, 0.0) <= 0:
            return []
        vals = self.with_context(include_business_fields=True).copy_data()[0]
        rounding = self.product_uom_id.rounding or 0.01
        per_unit = self.price_subtotal / self.quantity if self.quantity else 0.0
        units = 0.0
        if per_unit:
            units = float_round(amount / per_unit, precision_rounding=rounding)
        if units > 0 and not currency.compare_amounts(units * per_unit, amount):
            vals["quantity"] = units
            return [vals]
        vals.update(
            {
                "quantity": 1.0,
                "price_unit": self._channel_amount_unit_price(
                    amount, 0.0, currency, self.tax_ids
                ),
                "discount": 0.0,
            }
        )
        return [vals]

    def _channel_books_what_it_bills(self):
        # a line of a channel subscription (its period, a prorated change,
        # their credits) books what it bills too (thirteenth probe, P13-8)
        return super()._channel_books_what_it_bills() or bool(
            self.display_type == "product"
            and (
                self.channel_period_id
                or self.channel_adjustment_ids
                or self.contract_line_id.contract_id.distributor_id
            )
        )

    def _copy_data_extend_business_fields(self, values):
        # "Reverse and Create Invoice" copies the invoice it credits into a
        # new one: its lines bill the same periods (a later credit of a
        # period then corrects the new invoice, not the reversed one). A
        # credit note (Odoo's reversal, also a copy with business fields:
        # told by its context) credits them, it does not bill them.
        res = super()._copy_data_extend_business_fields(values)
        if (
            self.channel_period_id
            and self.move_id.move_type == "out_invoice"
            and "move_reverse_cancel" not in self.env.context
        ):
            values["channel_period_id"] = self.channel_period_id.id
        return res

    def _channel_credited_period(self):
        """``(start, end)`` of the period this billed line belongs to: its
        billed period's, its change's period, else its service dates."""
        self.ensure_one()
        if self.channel_period_id:
            return self.channel_period_id.date_start, self.channel_period_id.date_end
        adjustment = self.channel_adjustment_ids[:1]
        if adjustment:
            return adjustment.period_start, adjustment.period_end
        return self.start_date, self.end_date

    def _channel_prepare_credit_copy_vals(self):
        """This billed line as a line of a credit note crediting it."""
        self.ensure_one()
        return {
            "display_type": "product",
            "product_id": self.product_id.id,
            "name": self.name,
            "quantity": self.quantity,
            "product_uom_id": self.product_uom_id.id,
            "price_unit": self.price_unit,
            "discount": self.discount,
            "tax_ids": [Command.set(self.tax_ids.ids)],
            "account_id": self.account_id.id,
            "contract_line_id": self.contract_line_id.id,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "sale_line_ids": [Command.set(self.sale_line_ids.ids)],
            "analytic_distribution": self.analytic_distribution,
        }
