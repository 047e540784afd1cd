# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.addons.channel_distribution.tools import channel_access_first
from odoo.exceptions import UserError, ValidationError
from odoo.tools import plaintext2html

RISK_MANAGER = "account_financial_risk.group_account_financial_risk_manager"
HOLD_ACTIVITY = "channel_distribution_credit.mail_activity_credit_hold"
# The cursor's cache (out of reach of RPC, unlike the context): the
# (distributor, company) pairs whose overdue hold a portal submission checked
# in this transaction, while it runs.
OVERDUE_CHECKED = "channel_overdue_checked"


class SaleOrder(models.Model):
    """Credit holds of portal orders. The rule is OCA's
    (``evaluate_risk_message``: the financial counterparty's credit limit and
    risk); a portal order that does not fit is kept as a quotation on hold
    instead of confirmed, and only a credit manager releases it."""

    _name = "sale.order"
    _inherit = ["sale.order", "channel.paid.status.mixin"]

    channel_credit_hold = fields.Boolean(
        string="Credit Hold",
        copy=False,
        readonly=True,
        tracking=True,
        help="Submitted on the portal past the credit limit of the invoiced "
        "party: kept as a quotation until a credit manager releases it.",
    )
    channel_credit_available = fields.Monetary(
        string="Credit Available at Hold",
        copy=False,
        readonly=True,
        currency_field="channel_credit_currency_id",
        groups="base.group_user",
    )
    channel_credit_currency_id = fields.Many2one(
        "res.currency", copy=False, readonly=True, groups="base.group_user"
    )
    channel_overdue_warning = fields.Char(
        compute="_compute_channel_overdue_warning",
        groups="base.group_user",
        help="The distributor is on overdue hold (the setting Overdue Hold).",
    )
    channel_paid_state = fields.Selection(
        help="Whether what the order billed is paid: its sections on posted "
        "customer invoices, the payments of a consolidated invoice going to "
        "its sections oldest order first.",
    )
    channel_overdue = fields.Boolean(
        help="Part of what the order billed is unpaid past its invoice's due " "date.",
    )

    @api.depends("distributor_id", "state", "company_id")
    @api.depends_context("uid")
    def _compute_channel_overdue_warning(self):
        for order in self:
            distributor = order.distributor_id.commercial_partner_id
            warning = False
            if distributor and order.state in ("draft", "sent"):
                warning = distributor.with_company(
                    order.company_id
                )._channel_overdue_hold_message()
            order.channel_overdue_warning = warning

    # ------------------------------------------------------------------
    # paid status
    # ------------------------------------------------------------------

    @api.model
    def _channel_paid_line_field(self):
        return "channel_order_id"

    def _channel_paid_sections(self):
        # the sections of the order on its invoices
        for order in self:
            for move in order.invoice_ids:
                for section_order, due, paid in move._channel_section_payments():
                    if section_order == order:
                        yield order, move, due, paid

    @api.model
    def _channel_paid_overdue_search_error(self):
        return self.env._("Unsupported search on overdue orders.")

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @channel_access_first("write")
    def write(self, vals):
        if "channel_credit_hold" in vals and not (
            self.env.su or self.env.user.has_group(RISK_MANAGER)
        ):
            # the release (as superuser, with its reason) is the way
            raise UserError(
                self.env._(
                    "Only a credit manager puts an order on credit hold or "
                    "lifts it: release it with a reason."
                )
            )
        if vals.get("state") in ("sale", "done") and not self.env.su:
            self._channel_credit_check_state_write()
        return super().write(vals)

    def _channel_credit_check_state_write(self):
        """A quotation's state written to confirmed (Odoo's confirmation
        does so, and so does a write sent over RPC): a held order only
        through its release (as superuser), and for a user who is no credit
        manager, OCA's credit check again: a raw write passes neither
        action_confirm's hold nor its risk check."""
        quotations = self.filtered(lambda o: o.state not in ("sale", "done"))
        quotations._channel_credit_check_released()
        if self._channel_credit_may_bypass():
            return
        for order in quotations.sudo().filtered("is_channel_order"):
            if order.company_id.allow_overrisk_sale_confirmation:
                continue
            partner = order._channel_credit_partner()
            message = order.evaluate_risk_message(partner)
            if message:
                raise UserError(
                    self.env._(
                        "Order %(order)s cannot be confirmed: %(message)s "
                        "Only a credit manager confirms it past the credit "
                        "limit of %(partner)s.",
                        order=order.name,
                        message=message.strip(),
                        partner=partner.display_name,
                    )
                )

    @api.constrains(
        "partner_invoice_id",
        "partner_id",
        "distributor_id",
        "end_customer_id",
        "financial_role",
    )
    def _check_channel_invoice_address(self):
        """A channel order is invoiced to its financial counterparty: an
        invoice address of another company would take the order out of the
        counterparty's credit check (and its risk)."""
        for order in self.sudo().filtered("is_channel_order"):
            counterparty = order.financial_partner_id.commercial_partner_id
            address = order.partner_invoice_id
            if address and address.commercial_partner_id != counterparty:
                raise ValidationError(
                    self.env._(
                        "The invoice address of %(order)s must be %(partner)s "
                        "or one of its contacts (its financial counterparty), "
                        "not %(address)s.",
                        order=order.name,
                        partner=counterparty.display_name,
                        address=address.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # confirmation
    # ------------------------------------------------------------------

    def action_confirm(self):
        orders = self
        # OCA's risk bypass (its wizard's Continue, the payment of an order)
        # confirms a channel order past the credit limit for a credit manager
        # or the superuser only: sent over RPC by anyone else, the key is
        # dropped and OCA's check runs as for any order (a copy of a held
        # order too).
        if (
            self.env.context.get("bypass_risk")
            and not self._channel_credit_may_bypass()
            and any(self.mapped("is_channel_order"))
        ):
            orders = self.with_context(bypass_risk=False)
        # The release confirms as superuser; a context key sent over RPC by
        # anyone else releases nothing.
        releasing = self.env.context.get("channel_credit_release") and (
            self.env.su or self.env.user.has_group(RISK_MANAGER)
        )
        if not releasing:
            orders._channel_credit_check_released()
        orders._channel_overdue_check_confirm()
        if self.env.context.get("channel_credit_portal"):
            held = orders.filtered(lambda order: order._channel_credit_check())
            rest = orders - held
            if not rest:
                return True
            return super(SaleOrder, rest).action_confirm()
        return super(SaleOrder, orders).action_confirm()

    def _channel_credit_check_released(self):
        """No order on credit hold is confirmed: a credit manager releases
        it first."""
        held = self.filtered("channel_credit_hold")
        if held:
            raise UserError(
                self.env._(
                    "Order %(order)s is on credit hold: a credit manager "
                    "must release it first.",
                    order=held[0].name,
                )
            )

    @api.model
    def _channel_credit_may_bypass(self):
        """Whether the current user confirms past a credit limit."""
        return self.env.su or self.env.user.has_group(RISK_MANAGER)

    def _channel_overdue_check_confirm(self):
        """Confirming orders of a distributor on overdue hold: refused, or
        noted in the chatter (the setting). A distributor a portal
        submission has just checked (``_channel_portal_create_order``, in
        this transaction) is not searched again."""
        checked = self.env.cr.cache.get(OVERDUE_CHECKED, ())
        for order in self.filtered("distributor_id"):
            distributor = order.distributor_id.commercial_partner_id
            if (distributor.id, order.company_id.id) in checked:
                continue
            message = distributor.with_company(
                order.company_id
            )._channel_overdue_hold_message()
            if not message:
                continue
            if order.company_id.channel_overdue_hold_confirm == "block":
                raise UserError(
                    self.env._(
                        "%(order)s cannot be confirmed: %(distributor)s is on "
                        "overdue hold. %(message)s",
                        order=order.name,
                        distributor=distributor.display_name,
                        message=message,
                    )
                )
            order._channel_note(
                self.env._(
                    "Confirmed while the distributor is on overdue hold: "
                    "%(message)s",
                    message=message,
                )
            )

    def _channel_overdue_blocked_message(self):
        """The overdue hold's message when it refuses confirming this order
        (its distributor on overdue hold, the setting *Block*), else
        False."""
        self.ensure_one()
        order = self.sudo()
        distributor = order.distributor_id.commercial_partner_id
        if not distributor or order.company_id.channel_overdue_hold_confirm != "block":
            return False
        return distributor.with_company(
            order.company_id
        )._channel_overdue_hold_message()

    @api.model
    def _channel_portal_check_overdue_hold(self, distributor, company):
        """A portal submission (a new order or an edit) of a distributor on
        overdue hold in ``company``: refused with the hold's message."""
        message = distributor.with_company(company)._channel_overdue_hold_message()
        if message:
            raise UserError(message)

    @api.model
    def _channel_portal_create_order(self, distributor, values, company, author=None):
        self._channel_portal_check_overdue_hold(distributor, company)
        # The confirmation of the order checks the hold again: the same
        # distributor, company and transaction give the same answer, so it
        # is told that this one passed, for the time of this call only.
        checked = self.env.cr.cache.setdefault(OVERDUE_CHECKED, set())
        key = (distributor.commercial_partner_id.id, company.id)
        marked = key not in checked
        checked.add(key)
        try:
            order = super(
                SaleOrder, self.with_context(channel_credit_portal=True)
            )._channel_portal_create_order(distributor, values, company, author=author)
        finally:
            if marked:
                checked.discard(key)
        # Not confirmed at once (the setting): the quotation is checked all
        # the same, so that sales and finance see the hold before confirming.
        if order.state == "draft" and not order.channel_credit_hold:
            order._channel_credit_check()
        return order.with_env(self.env)

    def _channel_portal_is_editable(self, distributor):
        # A held quotation waits for a credit manager's decision on what it
        # says: a portal edit would change what is released.
        return super()._channel_portal_is_editable(distributor) and not (
            self.sudo().channel_credit_hold
        )

    def _channel_portal_update_order(self, distributor, values, author=None):
        # An edit submits new content: on overdue hold it is refused as a
        # new order is, and the quotation's credit is checked again.
        self._channel_portal_check_overdue_hold(distributor, self.company_id)
        res = super()._channel_portal_update_order(distributor, values, author=author)
        if self.state == "draft" and not self.sudo().channel_credit_hold:
            self.sudo()._channel_credit_check()
        return res

    def _channel_credit_partner(self):
        """The partner whose credit the order uses: OCA's, the commercial
        partner of the invoice address; of a channel order, its financial
        counterparty's (the distributor on resale), which its invoice
        address belongs to (``_check_channel_invoice_address``)."""
        self.ensure_one()
        if self.is_channel_order:
            return self.financial_partner_id.commercial_partner_id
        return self.partner_invoice_id.commercial_partner_id

    def _channel_credit_check(self):
        """Lock the invoiced party's credit, check the order against it with
        OCA's rule and put it on hold when it does not fit.

        :return: whether the order was put on hold
        """
        self.ensure_one()
        order = self.sudo()
        partner = order._channel_credit_partner()
        if not order._channel_credit_lock_checked(partner):
            return False
        exception = order.evaluate_risk_message(partner.sudo())
        if not exception:
            return False
        order._channel_credit_hold(partner, exception)
        return True

    def _channel_credit_lock_checked(self, partner):
        """Whether this order's credit is checked against ``partner`` (a
        limit is set and the company does not allow sales over the risk);
        if so, lock the partner's credit and drop its cached risk figures.

        The risk is then computed from this transaction's writes (with what
        other transactions committed before the lock: a commit after this
        transaction's snapshot fails the lock). OCA's figures are ORM
        searches and aggregates, and the ORM writes the pending values a
        query reads before running it: no flush of everything here, which
        wrote a new order and its lines before their confirmation, to write
        them again after it. Only the partner's risk figures are computed
        again: the rest of the cache is this transaction's own."""
        self.ensure_one()
        if (
            self.sudo().company_id.allow_overrisk_sale_confirmation
            or not partner._channel_credit_has_limit()
        ):
            return False
        partner._channel_credit_lock()
        partner._channel_credit_invalidate_risk()
        return True

    @api.model
    def _channel_stored_kept(self):
        # the credit left at the hold, shown on the held order's page: set
        # by the hold (as superuser)
        return (
            *super()._channel_stored_kept(),
            "channel_credit_available",
            "channel_credit_currency_id",
        )

    def _channel_credit_hold(self, partner, reason):
        self.ensure_one()
        order = self.sudo()
        available = partner._channel_credit_available() or 0.0
        currency = partner.sudo().risk_currency_id
        order.write(
            {
                "channel_credit_hold": True,
                "channel_credit_available": available,
                "channel_credit_currency_id": currency.id,
            }
        )
        body = self.env._(
            "Credit hold: %(reason)s Order total %(amount)s, credit available "
            "to %(partner)s %(available)s. A credit manager releases it "
            "(Release Credit Hold).",
            reason=reason.strip(),
            amount=order.currency_id.format(order.amount_total),
            partner=partner.display_name,
            available=currency.format(available),
        )
        order._channel_note(body)
        summary = self.env._("Distributor order on credit hold")
        for user in order._channel_credit_hold_users():
            order.activity_schedule(
                HOLD_ACTIVITY, user_id=user.id, summary=summary, note=body
            )

    def _channel_credit_hold_users(self):
        """Who is told of a hold: the salesperson and finance."""
        self.ensure_one()
        return (self.user_id | self._channel_credit_finance_user()).filtered("active")

    def _channel_credit_finance_user(self):
        """Finance, told of holds: the user of the setting *Credit Holds
        To*, else the company's first financial risk manager."""
        self.ensure_one()
        finance = self.company_id.channel_credit_user_id
        if not finance:
            group = self.env.ref(RISK_MANAGER, raise_if_not_found=False)
            finance = (
                group.sudo()
                .users.filtered(
                    lambda u: not u.share and self.company_id in u.company_ids
                )
                .sorted("id")[:1]
                if group
                else finance
            )
        return finance.filtered("active")

    def _channel_credit_release(self, reason):
        """Release the hold (credit managers only), the reason in the
        chatter; confirm the order when portal orders are confirmed at once
        (the setting *Confirm Distributor Orders*) or when the payment
        asked for is received (held by its payment's post-processing), past
        the limit: the manager decided so."""
        if not self.env.user.has_group(RISK_MANAGER):
            raise UserError(self.env._("Only a credit manager releases a credit hold."))
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason of the release."))
        for order in self.sudo():
            if not order.channel_credit_hold:
                raise UserError(
                    self.env._(
                        "Order %(order)s is not on credit hold.", order=order.name
                    )
                )
            order.channel_credit_hold = False
            order._channel_note(
                self.env._(
                    "Credit hold released by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                )
            )
            order.activity_feedback([HOLD_ACTIVITY], feedback=reason)
            if (
                order.state == "draft" and order._channel_portal_confirms()
            ) or order._channel_payment_confirms():
                order.with_context(
                    channel_credit_release=True, bypass_risk=True
                ).action_confirm()
        return True

    # ------------------------------------------------------------------
    # online payment (Odoo's portal payment and its post-processing)
    # ------------------------------------------------------------------

    def _channel_payment_confirms(self):
        """Whether the payments received confirm this quotation (Odoo's
        rule: the prepayment asked for is paid)."""
        self.ensure_one()
        order = self.sudo()
        return bool(
            order.state in ("draft", "sent")
            and order.require_payment
            and order.amount_paid
            and order._is_confirmation_amount_reached()
        )

    def _channel_payment_hold(self, transaction):
        """``transaction`` (done or authorized) reached the amount that
        confirms this quotation: whether a hold keeps it a quotation
        instead. Called by the transaction's post-processing, which goes
        on (the payment is registered): nothing here raises.

        - on credit hold: a credit manager releases it (which confirms it);
        - the distributor on overdue hold with *Block*: finance gets an
          activity; confirmed once the overdue invoices are settled;
        - past the credit limit (OCA's payment bypass, as superuser): only
          when what is left unpaid fits the credit available, else the
          order goes on credit hold, as a portal submission does.

        :return: whether the order is kept a quotation
        """
        self.ensure_one()
        order = self.sudo()
        if not order.is_channel_order:
            return False
        amount = transaction.currency_id.format(transaction.amount)
        if order.channel_credit_hold:
            order._channel_note(
                self.env._(
                    "Payment %(reference)s of %(amount)s received while the "
                    "order is on credit hold: it is confirmed when a credit "
                    "manager releases it.",
                    reference=transaction.reference,
                    amount=amount,
                )
            )
            return True
        message = order._channel_overdue_blocked_message()
        if message:
            body = self.env._(
                "Payment %(reference)s of %(amount)s received; the order is "
                "not confirmed: %(distributor)s is on overdue hold. %(message)s "
                "A channel or credit manager confirms it once the overdue "
                "invoices are settled.",
                reference=transaction.reference,
                amount=amount,
                distributor=order.distributor_id.commercial_partner_id.display_name,
                message=message,
            )
            order._channel_note(body)
            summary = self.env._("Paid order of a distributor on overdue hold")
            for user in order._channel_credit_finance_user():
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=summary,
                    note=plaintext2html(body),
                )
            return True
        partner = order._channel_credit_partner()
        unpaid = order.amount_total - order.amount_paid
        if order._channel_credit_fits(partner, unpaid):
            return False
        order._channel_credit_hold(
            partner,
            self.env._(
                "Payment %(reference)s of %(amount)s leaves %(unpaid)s unpaid, "
                "past the credit available.",
                reference=transaction.reference,
                amount=amount,
                unpaid=order.currency_id.format(unpaid),
            ),
        )
        return True

    def _channel_credit_fits(self, partner, amount):
        """Whether ``amount`` (in the order's currency) of this order fits
        the credit ``partner`` still has (OCA's rule: its risk not
        exceeded, the amount within what is left under its limits), read
        under the partner's lock."""
        self.ensure_one()
        order = self.sudo()
        if order.currency_id.compare_amounts(
            amount, 0.0
        ) <= 0 or not order._channel_credit_lock_checked(partner):
            return True
        partner = partner.sudo()
        if partner.risk_exception:
            return False
        available = partner._channel_credit_available()
        if available is None:
            # no limit on the total nor on sales orders: OCA checks an
            # order only when sales orders count (against a limit of 0)
            if not partner.risk_sale_order_include:
                return True
            available = 0.0
        currency = partner.risk_currency_id
        amount = order.currency_id._convert(
            amount,
            currency,
            order.company_id,
            fields.Date.context_today(order),
            round=False,
        )
        return currency.compare_amounts(amount, available) <= 0

    def _channel_credit_check_raised(self, before):
        """These confirmed channel orders' lines were raised (``before``:
        {order: its total before}): past the credit limit of the invoiced
        party, refused as at confirmation, naming the credit that was
        available; a credit manager raises them (as he confirms past it)."""
        for order in self:
            increase = order.amount_total - before[order]
            if order.currency_id.compare_amounts(increase, 0.0) <= 0:
                continue
            partner = order._channel_credit_partner()
            if not order._channel_credit_lock_checked(partner):
                continue
            partner = partner.sudo()
            if not partner.risk_exception:
                continue
            currency = partner.risk_currency_id
            raised = order.currency_id._convert(
                increase,
                currency,
                order.company_id,
                fields.Date.context_today(order),
            )
            # what was left before the raise (the risk counts it now)
            headrooms = []
            if partner.credit_limit:
                headrooms.append(partner.credit_limit - partner.risk_total)
            if partner.risk_sale_order_limit:
                headrooms.append(
                    partner.risk_sale_order_limit - partner.risk_sale_order
                )
            available = min(headrooms, default=-raised) + raised
            raise UserError(
                self.env._(
                    "Order %(order)s is confirmed: its lines raised from "
                    "%(before)s to %(after)s pass the credit limit of "
                    "%(partner)s (credit available %(available)s). Only a "
                    "credit manager raises it past the limit.",
                    order=order.name,
                    before=order.currency_id.format(before[order]),
                    after=order.currency_id.format(order.amount_total),
                    partner=partner.display_name,
                    available=currency.format(max(available, 0.0)),
                )
            )

    def _channel_note(self, body):
        """An internal note of ``body`` (plain text) in the order's chatter."""
        self.ensure_one()
        self.sudo().message_post(
            body=plaintext2html(body),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    # ------------------------------------------------------------------
    # a held quotation is neither sent nor signed
    # ------------------------------------------------------------------

    def _channel_credit_check_not_held(self):
        held = self.filtered("channel_credit_hold")
        if held:
            raise UserError(
                self.env._(
                    "Quotation %(order)s is on credit hold: it is sent to the "
                    "customer once a credit manager has released it.",
                    order=held[0].name,
                )
            )

    def action_quotation_send(self):
        self._channel_credit_check_not_held()
        return super().action_quotation_send()

    def action_quotation_sent(self):
        self._channel_credit_check_not_held()
        return super().action_quotation_sent()

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        # the send wizard of a quotation marks it sent
        if self.env.context.get("mark_so_as_sent"):
            self._channel_credit_check_not_held()
        return super().message_post(**kwargs)

    def _has_to_be_signed(self):
        # no Accept & Sign on the portal, and its route refuses
        return super()._has_to_be_signed() and not self.channel_credit_hold

    def _has_to_be_paid(self):
        # no Pay on the portal, and the transaction route refuses: a held
        # order, or one the overdue hold refuses to confirm (the payment
        # would be taken for an order that cannot be confirmed)
        return (
            super()._has_to_be_paid()
            and not self.channel_credit_hold
            and not self._channel_overdue_blocked_message()
        )

    def action_channel_credit_release(self):
        """Button: the release wizard."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Release Credit Hold"),
            "res_model": "channel.credit.release",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_ids": self.ids},
        }

    def _channel_credit_portal_values(self, user):
        """What the order page tells a portal user about a hold: the credit
        available only to the invoiced party's own users."""
        self.ensure_one()
        order = self.sudo()
        if not order.channel_credit_hold:
            return {}
        contact = order.user_id
        own = user.partner_id.commercial_partner_id == order._channel_credit_partner()
        return {
            "own": own,
            "available": order.channel_credit_currency_id.format(
                order.channel_credit_available
            )
            if own
            else False,
            "contact": contact.name,
            "contact_email": contact.email,
        }
