# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.channel_distribution.tools import channel_access_first
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL


class ChannelContractBilling(tuple):
    """``(distributor id, day)`` of a distributor's billing run, in the
    context of its orders' invoicing: their invoices take the subscriptions
    due. A context value of this type cannot come from a JSON-RPC call (a
    caller's list is not trusted to bill anything)."""


# The fields that say whose an order is: its lines' links to running
# subscriptions hold for these parties only.
ORDER_PARTY_FIELDS = frozenset(
    (
        "distributor_id",
        "end_customer_id",
        "partner_id",
        "partner_invoice_id",
        "financial_role",
        "business_role",
        "company_id",
    )
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # start: a channel order's recurring lines start one subscription
    # ------------------------------------------------------------------

    def _prepare_contract_value(self, contract_template):
        vals = super()._prepare_contract_value(contract_template)
        if self.is_channel_order:
            vals.update(self._prepare_channel_contract_value())
        return vals

    def _prepare_channel_contract_value(self):
        """What a subscription keeps of its channel order: the counterparties
        and roles, the PO reference and the order's own pricelist (the price
        book, not the partner's default pricelist)."""
        self.ensure_one()
        return {
            "partner_id": self.financial_partner_id.id,
            "invoice_partner_id": self.partner_invoice_id.id,
            "pricelist_id": self.pricelist_id.id,
            "currency_id": self.currency_id.id,
            "distributor_id": self.distributor_id.id,
            "end_customer_id": self.end_customer_id.id,
            "financial_role": self.financial_role,
            "business_role": self.business_role,
            "client_order_ref": self.client_order_ref,
            "channel_order_id": self.id,
            "code": self.env["ir.sequence"]
            .sudo()
            .with_company(self.company_id)
            .next_by_code("channel.subscription"),
        }

    @channel_access_first("write")
    def write(self, vals):
        res = super().write(vals)
        if ORDER_PARTY_FIELDS & vals.keys():
            # the links of its lines to running subscriptions were checked
            # against the order's parties when written: they hold for the
            # new ones too (or the order would add to another's)
            linked = self.sudo().order_line.filtered(
                lambda line: line._channel_linked_contracts()
            )
            if linked:
                linked._channel_check_contract_link()
        return res

    def action_confirm(self):
        # OCA starts the subscriptions before the orders are confirmed, and
        # the confirmation may still stop short of it (OCA's risk check
        # answers with its wizard, the order stays a quotation): a channel
        # order's subscriptions start once it is confirmed. The orders being
        # confirmed are named in the context, as a set (a value no JSON-RPC
        # caller can send).
        confirming = frozenset(self.ids) | self._channel_confirming_ids()
        res = super(
            SaleOrder, self.with_context(channel_confirming_order_ids=confirming)
        ).action_confirm()
        self._channel_start_confirmed_subscriptions()
        return res

    def _channel_start_confirmed_subscriptions(self):
        """Start the subscriptions of the channel orders just confirmed (in
        state sale: not those a check left quotations)."""
        orders = self.filtered(
            lambda order: order.is_channel_order
            and order.state == "sale"
            and order.company_id.create_contract_at_sale_order_confirmation
        )
        if orders:
            orders.action_create_contract()

    def _channel_confirming_ids(self):
        ids = self.env.context.get("channel_confirming_order_ids")
        return ids if isinstance(ids, frozenset) else frozenset()

    def _channel_check_contract_start(self):
        """A subscription starts from a confirmed order, by its
        confirmation or by a user who may confirm it: an
        internal user who may write the order. A channel subscription is
        billed to the distributor or the end customer: never from a quote
        nobody confirmed, never by a portal user."""
        for order in self.filtered("is_channel_order"):
            if order.state != "sale":
                raise UserError(
                    self.env._(
                        "Order %(order)s is not confirmed: its subscriptions "
                        "start when it is confirmed.",
                        order=order.name,
                    )
                )
        if self.env.su:
            return
        if not self.env.user._is_internal():
            raise AccessError(
                self.env._("Only the vendor's users start subscriptions.")
            )
        self.check_access("write")

    def action_create_contract(self):
        # Called by OCA's confirmation before it confirms: the channel
        # orders being confirmed start theirs once confirmed.
        confirming = self._channel_confirming_ids()
        orders = self.filtered(
            lambda order: not (
                order.is_channel_order
                and order.state != "sale"
                and order.id in confirming
            )
        )
        orders._channel_check_contract_start()
        # Order by order: OCA's method collects the lines without a contract
        # template across all the orders it is given, so that orders
        # confirmed together would share one contract.
        contracts = self.env["contract.contract"]
        for order in orders:
            # A channel subscription's lines come from its order only:
            # written as superuser (a user cannot add lines to one by hand).
            starter = order.sudo() if order.is_channel_order else order
            if order.is_channel_order:
                # a line that started a subscription line starts nothing
                # again, whatever its link says (ninth probe, P9-1)
                started = starter.order_line.filtered("is_contract")
                if started:
                    started._channel_restore_started_links()
            contracts |= super(SaleOrder, starter).action_create_contract()
        # A contract template copied onto the contract may bring its own
        # pricelist or journal currency: the order's price book wins.
        for contract in contracts.filtered("channel_order_id"):
            order = contract.channel_order_id
            if contract.pricelist_id != order.pricelist_id:
                contract.pricelist_id = order.pricelist_id
        return contracts

    # ------------------------------------------------------------------
    # cancellation: the subscriptions an order started end with it
    # ------------------------------------------------------------------

    def _action_cancel(self):
        subscriptions = self._channel_check_cancel_subscriptions()
        res = super()._action_cancel()
        self._channel_end_cancelled_subscriptions(subscriptions)
        return res

    def _channel_started_subscriptions(self):
        self.ensure_one()
        return (
            self.env["contract.contract"]
            .sudo()
            .search([("channel_order_id", "=", self.id)])
        )

    def _channel_check_cancel_subscriptions(self):
        """Before cancelling: refuse orders whose subscriptions are billed
        on posted invoices, unless their company credits them on
        cancellation (naming every invoice holding their periods).

        Returns {order: subscriptions} of the subscriptions to end."""
        result = {}
        for order in self.filtered("is_channel_order"):
            contracts = order._channel_started_subscriptions()
            if not contracts:
                continue
            result[order] = contracts
            if order.company_id.channel_cancel_invoiced == "credit":
                continue
            invoices = (
                self.env["account.move.line"]
                .sudo()
                .search(
                    [
                        ("contract_line_id.contract_id", "in", contracts.ids),
                        ("move_id.state", "=", "posted"),
                        ("move_id.move_type", "=", "out_invoice"),
                    ]
                )
                .move_id
            )
            if not invoices:
                continue
            invoices |= order._channel_posted_invoices().sudo()
            invoices = invoices.sorted(lambda m: (m.invoice_date or m.date, m.id))
            raise UserError(
                self.env._(
                    "Order %(order)s started subscription %(contracts)s, billed "
                    "on posted invoices %(invoices)s: credit them first, then "
                    "cancel it. Or let cancellations credit it: Sales "
                    "settings, Distribution Channel, Cancelling Invoiced "
                    "Orders.",
                    order=order.name,
                    contracts=", ".join(contracts.mapped("display_name")),
                    invoices=", ".join(invoices.mapped("name")),
                )
            )
        return result

    def _channel_end_cancelled_subscriptions(self, subscriptions):
        """After cancelling: credit what each order's subscriptions billed
        and was not credited yet (draft credit notes of the invoices they
        correct), then end them."""
        for order, contracts in subscriptions.items():
            # the order's own cancellation credit notes (its one-off lines):
            # a subscription's credit of the same invoice joins them
            own = (
                self.env["account.move"]
                .sudo()
                .search(
                    [
                        ("move_type", "=", "out_refund"),
                        ("state", "=", "draft"),
                        ("reversed_entry_id", "!=", False),
                        ("invoice_line_ids.sale_line_ids.order_id", "=", order.id),
                    ]
                )
            )
            refunds = contracts.with_company(order.company_id)._channel_credit_billed(
                refunds=own
            )
            contracts._channel_end_now()
            if refunds:
                order.message_post(
                    body=self.env._(
                        "Cancelled: its subscriptions ended; credit notes %(refunds)s "
                        "(draft) credit what they billed.",
                        refunds=", ".join(refunds.mapped("display_name")),
                    )
                )

    # ------------------------------------------------------------------
    # billing: subscriptions on the distributor's invoices
    # ------------------------------------------------------------------

    def _channel_contract_billing(self):
        """(distributor, day) when the invoices being made also take the
        distributor's subscriptions due, else None."""
        billing = self.env.context.get("channel_contract_billing")
        if not isinstance(billing, ChannelContractBilling):
            return None
        distributor_id, day = billing
        return self.env["res.partner"].browse(distributor_id), fields.Date.to_date(day)

    def _create_invoices(self, grouped=False, final=False, date=None):
        moves = super()._create_invoices(grouped=grouped, final=final, date=date)
        billing = self._channel_contract_billing()
        if billing and moves:
            # Once the orders' invoices are complete (their sections made):
            # the distributor's subscriptions due join the invoice of their
            # party, each in sections of its own after the orders.
            distributor, day = billing
            contracts = self.env["contract.contract"]._channel_get_due(distributor, day)
            keys = {
                move._channel_invoice_key()
                for move in moves
                if move.move_type == "out_invoice" and not move.reversed_entry_id
            }
            contracts = contracts.filtered(lambda c: c._channel_invoice_key() in keys)
            # Subscriptions are billed as the system once the caller may
            # invoice: their lines move on, their periods are written. Their
            # credits go on credit notes of the invoices they correct.
            moves |= (
                contracts.sudo()
                ._channel_bill(day, invoices=moves.sudo())
                .with_env(moves.env)
            )
        return moves

    @api.model
    def _channel_bill_subscriptions(self, distributor, day, company=None):
        """New invoices of the distributor's subscriptions due up to ``day``
        (of ``company`` only, when given) that no order invoice took."""
        Contract = self.env["contract.contract"].sudo()
        contracts = Contract._channel_get_due(distributor, day)
        invoices = self.env["account.move"].sudo()
        for each in company or contracts.company_id:
            invoices |= (
                contracts.filtered(lambda c, co=each: c.company_id == co)
                .with_company(each)
                ._channel_bill(day)
            )
        return invoices.with_env(self.env)

    @api.model
    def _channel_lock_distributor(self, distributor):
        """Lock the distributor for this transaction; False when another
        transaction invoices it right now (this one may hold it already)."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE id = %s FOR UPDATE SKIP LOCKED",
                distributor.id,
            )
        )
        return bool(self.env.cr.fetchone())

    @api.model
    def _channel_scheduled_distributor_billing(self, distributor, today):
        # The orders' invoices take the subscriptions due of their party;
        # the others are billed on invoices of their own, company by
        # company. A failure is one more error: the distributor keeps its
        # next invoicing date, as for its orders.
        billing = self.with_context(
            channel_contract_billing=ChannelContractBilling((distributor.id, today))
        )
        invoices, errors = super(
            SaleOrder, billing
        )._channel_scheduled_distributor_billing(distributor, today)
        invoices = invoices.with_env(self.env)
        due = self.env["contract.contract"].sudo()._channel_get_due(distributor, today)
        for company in due.company_id:
            moves, error = self._channel_bill_in_savepoint(
                distributor,
                lambda c=company: self._channel_bill_subscriptions(
                    distributor, today, company=c
                ),
                self.env._("Scheduled billing of subscriptions failed: %(error)s"),
            )
            invoices |= moves
            if error:
                errors.append((company, error))
        return invoices, errors

    @api.model
    def _channel_invoice_distributor_due(self, distributor, day):
        """Bill the distributor's orders to invoice and its subscriptions due
        up to ``day``; post and send as the scheduled job does. Returns the
        new invoices."""
        if not self._channel_lock_distributor(distributor):
            raise UserError(
                self.env._(
                    "%(distributor)s is being invoiced right now: try again in "
                    "a moment.",
                    distributor=distributor.display_name,
                )
            )
        billing = self.with_context(
            channel_contract_billing=ChannelContractBilling((distributor.id, day))
        )
        invoices = self.env["account.move"]
        orders = billing._get_distributor_orders_to_invoice(distributor)
        for company in orders.company_id:
            company_orders = orders.filtered(
                lambda o, c=company: o.company_id == c
            ).with_company(company)
            moves, __ = company_orders._create_distributor_invoices()
            invoices |= moves
        # A user bills in the companies it works in (the subscriptions are
        # searched as superuser); the system in all of them.
        invoices |= self._channel_bill_subscriptions(
            distributor, day, company=None if self.env.su else self.env.companies
        )
        invoices = invoices.with_env(self.env)
        invoices._channel_post_and_send()
        return invoices

    # ------------------------------------------------------------------
    # commissioning: a subscription that grows
    # ------------------------------------------------------------------

    def _channel_subscription_grown(self, contract_line, before):
        """A subscription of this order grew: its commissioning ticket is
        told and its alert user asked to set the new units up. Renewals and
        new periods never come here."""
        self.ensure_one()
        Ticket = self.env.get("helpdesk.ticket")
        if Ticket is None or "commissioning_line_ids" not in Ticket._fields:
            return  # no commissioning (channel_distribution_helpdesk)
        order_line = contract_line.sale_order_line_id
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("is_commissioning", "=", True),
                    ("commissioning_line_ids", "in", order_line.ids),
                ]
            )
        )
        for ticket in tickets:
            ticket.message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Subscription %(contract)s grew: %(product)s %(before)s → "
                    "%(after)s.",
                    contract=contract_line.contract_id.display_name,
                    product=contract_line.product_id.display_name,
                    before=format(before, "g"),
                    after=format(contract_line.quantity, "g"),
                ),
                subtype_xmlid="mail.mt_note",
            )
            self._commissioning_ask_review(
                ticket,
                self.env._(
                    "Set up: subscription %(contract)s grew",
                    contract=contract_line.contract_id.display_name,
                ),
            )
