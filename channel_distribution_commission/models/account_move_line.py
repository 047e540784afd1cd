# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import math

from odoo import api, fields, models
from odoo.addons.channel_distribution.tools import channel_access_first
from odoo.exceptions import AccessError, UserError


class AccountMoveLine(models.Model):
    """Agency invoice lines carry the distributor's commission per unit and
    the distributor as commission agent."""

    _inherit = "account.move.line"

    # OCA's commission figures of a line are the vendor's (end customers
    # read their invoices' lines)
    agent_ids = fields.One2many(groups="base.group_user")
    any_settled = fields.Boolean(groups="base.group_user")
    commission_status = fields.Char(groups="base.group_user")
    settlement_id = fields.Many2one(groups="base.group_user")
    channel_commission_unit = fields.Float(
        string="Channel Commission per Unit",
        readonly=True,
        copy=True,
        groups="base.group_user",
        help="What the distributor earns on one unit of this agency line: the "
        "end customer's net price minus the distributor's price book, as on "
        "the order line (or the subscription period). Set when the line is "
        "created, never recomputed, and copied to its credit notes, so that a "
        "refund claws back exactly what was earned.",
    )
    channel_commission_price = fields.Float(
        string="Channel Commission Net Price",
        readonly=True,
        copy=True,
        groups="base.group_user",
        help="The net unit price (untaxed, in this line's unit and currency) "
        "the unit commission was earned at, set and copied with it: while "
        "the line bills its units at that price, the commission is the unit "
        "commission times its quantity; edited on a draft (quantity, unit, "
        "price, discount), the commission follows what the line bills, in "
        "proportion to its subtotal.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # every new line of every invoice comes here: one sudo recordset,
        # not one per line, and only the lines that may earn a unit are
        # read one by one (none of a direct sale's)
        lines_sudo = lines.sudo()
        earning = set(lines_sudo._channel_commission_unit_lines().ids)
        if not earning and not any(
            "channel_commission_unit" in vals or "channel_commission_price" in vals
            for vals in vals_list
        ):
            return lines  # none earns or is given a unit (direct sales)
        for line, vals in zip(lines_sudo, vals_list, strict=True):
            given = "channel_commission_unit" in vals
            if not (given or "channel_commission_price" in vals) and (
                line.id not in earning
            ):
                continue  # no unit to earn (a direct sale's line)
            if given and self.env.su:
                if "channel_commission_price" not in vals:
                    line.channel_commission_price = (
                        line._channel_commission_price_source()
                    )
                continue  # the product's copy (credit note)
            origin = given and line._channel_commission_unit_credits()
            if origin:
                # a copy (credit note): the unit and price of what it credits
                line.channel_commission_price = origin.channel_commission_price
                continue
            unit = line._channel_commission_unit_source()
            if unit or given or "channel_commission_price" in vals:
                # the product's figures, whoever creates the line (internal
                # users' fields): a unit or price a user gives is not paid
                line.channel_commission_unit = unit
                line.channel_commission_price = (
                    unit and line._channel_commission_price_source()
                )
        return lines

    @api.depends("channel_commission_unit", "channel_commission_price")
    def _compute_channel_commission(self):
        return super()._compute_channel_commission()

    def _channel_get_commission(self):
        """An agency line's commission is what its distributor is paid on
        it (its agent line): its unit commission, read at the book of the
        day the line was made, for the units it bills at the price it was
        earned at; not the order line's, read at the book of the order's
        confirmation (twelfth finance walk, W12-1: the book raised between
        confirmation and invoicing, the invoice showed 60.00 of commission
        and paid 25.00)."""
        self.ensure_one()
        if self.display_type != "product" or not self.sale_line_ids:
            return super()._channel_get_commission()
        if not self._channel_commission_sale_line():
            return super()._channel_get_commission()
        currency = self.currency_id or self.company_currency_id
        units = self._channel_commission_units(self.quantity)
        return currency.round(self.channel_commission_unit * units)

    def _compute_commission_free(self):
        # OCA copies each line's product's flag line by line, on every line
        # of every invoice: when none of their products is commission free
        # (direct sales, mostly), none of the lines is, set at once
        if not any(self.product_id.mapped("commission_free")):
            self.commission_free = False
            return None
        return super()._compute_commission_free()

    def _compute_agent_ids(self):
        # A line whose commission is settled keeps its agent lines: OCA
        # clears and recreates them (*Regenerate agents*, as superuser), the
        # new ones unsettled, and the invoice, no longer "settled", was
        # cancelled, deleted, billed and its commission settled again
        # (sixteenth probe, P16-B6).
        # (not assigned: their stored agent lines stay as they are)
        lines = self.filtered(lambda line: not line.agent_ids.filtered("settled"))
        if not lines:
            return None
        # OCA gives each line of a customer invoice the agents of its
        # invoiced partner (``_prepare_agents_vals_partner``), line by line,
        # on every line of every invoice; the product adds the distributor
        # of an agency line. When the invoiced partners have no agents and
        # no line bills an agency order or subscription, no line gets any:
        # they are cleared at once, as OCA clears them first
        if (
            not lines.move_id.partner_id.agent_ids
            and not lines.sudo()._channel_commission_unit_lines()
        ):
            lines.agent_ids = False
            return None
        return super(AccountMoveLine, lines)._compute_agent_ids()

    @channel_access_first("write")
    def write(self, vals):
        if not self.env.su and "commission_free" in vals:
            self._channel_check_commission_free_write(vals)
        if not self.env.su and "partner_id" in vals:
            self._channel_check_payout_partner_write(vals["partner_id"])
        return super().write(vals)

    @channel_access_first("unlink")
    def unlink(self):
        if not self.env.su:
            self._channel_check_settled_unlink()
        return super().unlink()

    def _channel_check_settled_unlink(self):
        """A line whose distributor's commission is settled is not deleted,
        nor its invoice: its agent line went with it, and the order was
        invoiced and its commission settled again (twelfth probe, P12-7:
        a paid-out invoice reset, deleted, invoiced again, 40.00 paid
        twice). OCA refuses cancelling it; a credit note corrects it."""
        for line in self.sudo().filtered("agent_ids"):
            if any(
                agent.settled and agent._channel_is_channel_agent()
                for agent in line.agent_ids
            ):
                raise UserError(
                    self.env._(
                        "%(move)s has lines whose channel commission is "
                        "settled: they are not deleted. Post it again and "
                        "credit it with a credit note.",
                        move=line.move_id.display_name,
                    )
                )

    def _channel_check_payout_partner_write(self, partner_id):
        """The lines of a posted payout move (holding commission
        settlements' lines) are their agent's: given another party, its
        payable line is paid to it by *Register Payment* (sixteenth probe,
        P16-B4: the accountant gave Bluepeak's payable line to Northwind,
        which was paid Bluepeak's commission). A draft's lines are given the
        bill's partner by Odoo's posting, the agent (P15-6)."""
        partner = self.env["res.partner"].sudo().browse(partner_id)
        for line in self.sudo().filtered(lambda line: line.parent_state == "posted"):
            agents = line.move_id.line_ids.settlement_id.agent_id.commercial_partner_id
            if agents and partner.commercial_partner_id != agents:
                raise self._channel_payout_partner_error(line.move_id, partner)

    @api.model
    def _channel_payout_partner_error(self, move, partner):
        agents = move.sudo().line_ids.settlement_id.agent_id.commercial_partner_id
        return UserError(
            self.env._(
                "%(move)s pays the commission settlements of %(agents)s: its "
                "lines are %(agents)s's, not %(partner)s's (another party is "
                "paid by its own bill).",
                move=move.display_name,
                agents=", ".join(agents.mapped("display_name")),
                partner=partner.display_name or self.env._("no partner"),
            )
        )

    def _channel_check_commission_free_write(self, vals):
        """A channel agency line (its distributor paid a commission) is not
        exempted from commission by users, on a draft either: OCA's
        *Regenerate agents* would drop the distributor's agent line
        (eleventh probe, P11-2). The product's commission of a line (none
        on down payments, resale and direct sales) is the line's own."""
        free = bool(vals["commission_free"])
        for line in self.sudo():
            if line.commission_free != free and line._channel_commission_distributor():
                raise UserError(
                    self.env._(
                        "%(move)s pays its distributor the channel commission "
                        "of its agency lines: they are not exempted from "
                        "commission.",
                        move=line.move_id.display_name,
                    )
                )

    @api.model
    def _channel_link_fields(self):
        return super()._channel_link_fields() + [
            "channel_commission_unit",
            "channel_commission_price",
        ]

    @api.model
    def _channel_billing_link_fields(self):
        return super()._channel_billing_link_fields() + [
            "channel_commission_unit",
            "channel_commission_price",
        ]

    def _channel_commission_unit_credits(self):
        """The line of the same product and unit commission on the invoice
        this new line of a credit note credits (it is a copy), if any."""
        self.ensure_one()
        return self.move_id.reversed_entry_id.invoice_line_ids.filtered(
            lambda origin: origin.product_id == self.product_id
            and origin.channel_commission_unit == self.channel_commission_unit
        )[:1]

    def _channel_commission_unit_lines(self):
        """The lines among these that ``_channel_commission_unit_source()``
        may give a unit (a superset): those billing the lines of an agency
        order, read for all the lines at once. Extend it with those of the
        other sources."""
        orders = self.sale_line_ids.order_id
        if not any(orders.mapped("is_channel_order")):
            return self.browse()  # direct sales: told at once
        agency = orders.filtered(
            lambda order: order.is_channel_order
            and order.financial_role == "end_customer"
        )
        if not agency:
            return self.browse()
        return self.filtered(lambda line: line.sale_line_ids.order_id & agency)

    def _channel_commission_sale_line(self):
        """The agency order line a new line of a customer invoice or credit
        note earns its unit commission on (not a down payment, a quantity
        ordered), as superuser; an empty record if none."""
        self.ensure_one()
        SaleLine = self.env["sale.order.line"]
        if self.move_id.move_type not in ("out_invoice", "out_refund"):
            return SaleLine
        for sale_line in self.sale_line_ids:
            order = sale_line.order_id
            if (
                not sale_line.is_downpayment
                and order.is_channel_order
                and order.financial_role == "end_customer"
                and sale_line.product_uom_qty
            ):
                return sale_line
        return SaleLine

    def _channel_per_line_unit(self, sale_line, amount):
        """``amount`` for one unit of ``sale_line``, in this line's unit of
        measure."""
        per_unit = amount / sale_line.product_uom_qty
        if self.product_uom_id and sale_line.product_uom != self.product_uom_id:
            per_unit = sale_line.product_uom._compute_price(
                per_unit, self.product_uom_id
            )
        return per_unit

    def _channel_commission_units(self, quantity):
        """The units whose commission this line earns for ``quantity``: what
        it bills at the price they were earned at, never more than its
        agency order line sold (twelfth probe, P12-4)."""
        units = self._channel_billed_units(quantity, self.channel_commission_price)
        most = self._channel_commission_units_cap()
        if most is not None and abs(units) > most:
            units = math.copysign(most, units)
        return units

    def _channel_commission_units_cap(self):
        """The most units (in this line's unit of measure) whose commission
        it earns: its agency order line's quantity (a line never earns more
        than its order line, twelfth probe P12-4); None without one."""
        sale_line = self._channel_commission_sale_line()
        if not sale_line:
            return None
        return self._channel_order_units(sale_line, self.product_uom_id)

    def _channel_commission_unit_source(self):
        """The unit commission of a new line, from what it bills: an agency
        order line's net unit price minus its price-book price, in the
        line's unit of measure. Down payments carry none: the final invoice
        carries the order lines' full commission. Extend it for other
        sources (subscription periods)."""
        sale_line = self._channel_commission_sale_line()
        if not sale_line:
            return 0.0
        return self._channel_per_line_unit(
            sale_line,
            sale_line.price_subtotal - sale_line._channel_price_book_subtotal(),
        )

    def _channel_commission_price_source(self):
        """The net unit price (untaxed, in the line's unit) the unit
        commission of a new line is earned at: its agency order line's.
        Extend it with ``_channel_commission_unit_source``."""
        sale_line = self._channel_commission_sale_line()
        if not sale_line:
            return 0.0
        return self._channel_per_line_unit(sale_line, sale_line.price_subtotal)

    def _channel_commission_distributor(self):
        """The distributor paid a commission on this line: that of an
        agency order (or subscription) when its commission is paid out;
        none on resale and direct sales."""
        self.ensure_one()
        for order in self.sale_line_ids.order_id:
            if order.is_channel_order and order.financial_role == "end_customer":
                return order.distributor_id._channel_commission_commercial()
        return self.env["res.partner"]

    def _prepare_agents_vals_partner(self, partner, settlement_type=None):
        """OCA gives a line the agents of the invoiced partner; a
        distributor is an agent only of its own agency lines (paid the
        channel commission): any distributor among the partner's agents is
        dropped, and an agency line gets its own distributor."""
        vals = super()._prepare_agents_vals_partner(
            partner, settlement_type=settlement_type
        )
        distributor = self.env["res.partner"]
        if self._name == "account.move.line" and len(self) == 1:
            distributor = self._channel_commission_distributor()
        if vals:
            Partner = self.env["res.partner"].sudo()
            vals = [
                command
                for command in vals
                if not (
                    command[0] == fields.Command.CREATE
                    and Partner.browse(
                        command[2].get("agent_id")
                    ).commercial_partner_id.is_distributor
                )
            ]
        if distributor:
            vals.append(
                fields.Command.create(
                    {
                        "agent_id": distributor.id,
                        "commission_id": distributor._channel_commission_default().id,
                    }
                )
            )
        return vals

    def recompute_agents(self):
        # OCA's "Regenerate agents": the product's agent lines (as
        # superuser), for the vendor's users who may write the lines
        if not self.env.su:
            if not self.env.user._is_internal():
                raise AccessError(
                    self.env._("Only the vendor's users regenerate agents.")
                )
            self.check_access("write")
        return super(AccountMoveLine, self.sudo()).recompute_agents()
