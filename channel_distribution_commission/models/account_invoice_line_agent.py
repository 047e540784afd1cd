# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import math

from odoo import api, models
from odoo.addons.channel_distribution.tools import channel_access_first
from odoo.exceptions import UserError


class AccountInvoiceLineAgent(models.Model):
    _inherit = "account.invoice.line.agent"

    @api.depends(
        "object_id.quantity",
        "object_id.channel_commission_unit",
        "object_id.channel_commission_price",
    )
    def _compute_amount(self):
        return super()._compute_amount()

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._channel_check_agent_create(vals)
        return super().create(vals_list)

    @channel_access_first("write")
    def write(self, vals):
        self._channel_check_agent_write(vals)
        return super().write(vals)

    @channel_access_first("unlink")
    def unlink(self):
        if not self.env.su and any(
            agent._channel_is_channel_agent() for agent in self.sudo()
        ):
            raise self._channel_agent_error()
        return super().unlink()

    @api.model
    def _channel_agent_fields(self):
        """What makes an agent line the distributor's channel commission:
        set by the product (as superuser, or OCA's computation of a line's
        agents), never written by users."""
        return ["object_id", "agent_id", "commission_id", "amount"]

    def _channel_is_channel_agent(self, agent=None, commission=None):
        """Whether this agent line (or one of ``agent`` under
        ``commission``) pays a distributor or the channel commission."""
        agent = self.agent_id if agent is None else agent
        commission = self.commission_id if commission is None else commission
        return (
            agent.commercial_partner_id.is_distributor
            or commission.commission_type == "channel"
        )

    @api.model
    def _channel_agent_error(self):
        return UserError(
            self.env._(
                "The agent lines of distributors are the channel commission of "
                "the agency lines they belong to: they are not edited."
            )
        )

    @api.model
    def _channel_check_agent_create(self, vals):
        """A user creates no channel agent line but the product's own: the
        distributor of its agency line, under that distributor's channel
        commission, its amount computed."""
        sudo = self.sudo()
        agent = sudo.env["res.partner"].browse(vals.get("agent_id"))
        commission = sudo.env["commission"].browse(vals.get("commission_id"))
        if not sudo._channel_is_channel_agent(agent, commission):
            return
        line = sudo.env["account.move.line"].browse(vals.get("object_id"))
        distributor = line.exists() and line._channel_commission_distributor()
        if (
            not distributor
            or agent != distributor
            or commission != distributor._channel_commission_default()
        ):
            raise self._channel_agent_error()
        vals.pop("amount", None)

    def _channel_check_agent_write(self, vals):
        if self.env.su:
            return
        names = [name for name in self._channel_agent_fields() if name in vals]
        if not names:
            return
        sudo = self.sudo()
        agent = sudo.env["res.partner"].browse(vals.get("agent_id"))
        commission = sudo.env["commission"].browse(vals.get("commission_id"))
        for record in sudo:
            if not (
                record._channel_is_channel_agent()
                or record._channel_is_channel_agent(
                    agent if "agent_id" in vals else None,
                    commission if "commission_id" in vals else None,
                )
            ):
                continue
            for name in names:
                field = record._fields[name]
                if field.convert_to_cache(
                    record[name], record, validate=False
                ) != field.convert_to_cache(vals[name], record, validate=False):
                    raise self._channel_agent_error()

    def _get_channel_commission_amount(self, quantity):
        """The line's unit commission times its quantity while it bills its
        units at the price they were earned at; else times the units what
        it bills pays at that price (a draft edited). Never more units than
        it bills nor than its agency order line sold, and on a credit note
        never more than the line it credits earned (twelfth probe, P12-4: a
        draft's price raised 100 times paid 100 times the commission, a
        credit note's clawed back 100 times what was earned)."""
        self.ensure_one()
        line = self.object_id
        units = line._channel_commission_units(quantity)
        amount = line.currency_id.round(line.channel_commission_unit * units)
        earned = self._channel_credited_earned()
        if earned is not None and abs(amount) > earned:
            amount = math.copysign(earned, amount)
        left = self._channel_clawback_left()
        if left is not None and amount > left:
            amount = left
        return amount

    def _channel_clawback_left(self):
        """On a credit note's line of an agency order line: what is left to
        claw back of what this agent earned on that order line, unsigned:
        what its invoices' lines earned, less what the other credit lines
        of the order line claw back, on this credit note or others (not
        cancelled, drafts counted; thirteenth probe, P13-9: three credit
        lines of one order line each clawed back its 40.00). None
        elsewhere."""
        line = self.object_id
        if line.move_id.move_type != "out_refund":
            return None
        sale_line = line.sudo()._channel_commission_sale_line()
        if not sale_line:
            return None
        others = (
            sale_line.invoice_lines.agent_ids.filtered(
                lambda agent: agent.agent_id == self.agent_id
                and agent.invoice_id.state != "cancel"
            )
            - self
            - self._origin
        )
        earned = clawed = 0.0
        for agent in others:
            if agent.invoice_id.move_type == "out_invoice":
                earned += agent.amount
            elif agent.invoice_id.move_type == "out_refund":
                clawed -= agent.amount
        return max(earned - clawed, 0.0)

    def _channel_credited_earned(self):
        """On a credit note's line: the most a line of the invoice it
        credits (same product and unit commission) earned this agent,
        unsigned; None elsewhere, or when no line of it matches."""
        line = self.object_id
        move = line.move_id
        if move.move_type != "out_refund" or not move.reversed_entry_id:
            return None
        origins = move.reversed_entry_id.invoice_line_ids.filtered(
            lambda origin: origin.product_id == line.product_id
            and origin.channel_commission_unit == line.channel_commission_unit
        )
        amounts = origins.agent_ids.filtered(
            lambda agent: agent.agent_id == self.agent_id
        ).mapped("amount")
        if not amounts:
            return None
        return max(abs(amount) for amount in amounts)

    def _skip_settlement(self):
        """The channel commission, settled on payment, is paid on invoices
        the end customer paid (``account.move._channel_commission_collected``:
        paid or in payment, and the down payments an invoice deducts for
        the line's order paid too); an invoice credited before it was paid
        is never paid out (neither it nor its credit note is settled). A
        credit note is settled as soon as it is posted once the invoice it
        credits was paid out (the clawback), or together with that invoice
        (netted before payout); never on its own payment, which nobody
        makes. A negative commission on an invoice (a line sold under the
        distributor's book) is never settled: the loss is the vendor's."""
        self.ensure_one()
        commission = self.commission_id
        if (
            commission.commission_type != "channel"
            or commission.invoice_state != "paid"
        ):
            return super()._skip_settlement()
        move = self.invoice_id
        if move.state != "posted":
            return True
        if move.move_type == "out_refund":
            origins = self._channel_credited_agent_lines()
            return any(
                not origin.settled and origin._skip_settlement() for origin in origins
            )
        if self.currency_id.compare_amounts(self.amount, 0.0) < 0:
            # a line sold under the book: never charged to the distributor
            return True
        return not move._channel_commission_collected(
            self.object_id.sale_line_ids.order_id
        )

    def _channel_credited_agent_lines(self):
        """The agent lines of the same agent on the line of the invoice this
        credit note's line credits (on the whole invoice when none is
        found): a line of the invoice that is never settled (sold under the
        book) does not hold the clawback of the others (twelfth finance
        walk, W12-2)."""
        self.ensure_one()
        origin = self.object_id._channel_commission_unit_credits()
        if not origin:
            origin = self.invoice_id.reversed_entry_id.invoice_line_ids
        return origin.agent_ids.filtered(lambda a: a.agent_id == self.agent_id)
