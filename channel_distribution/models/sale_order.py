# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from urllib.parse import parse_qsl, urlencode, urlsplit

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import (
    channel_access_first,
    channel_field_labels,
    channel_share_url_args,
    channel_stored_computes,
    channel_subscribe_audience,
    channel_thread_by_pid,
)
from .res_partner import BUSINESS_ROLES, FINANCIAL_ROLES

_logger = logging.getLogger(__name__)

# Fields that decide who is invoiced and who is served: locked once confirmed.
CHANNEL_FIELDS = (
    "distributor_id",
    "end_customer_id",
    "financial_role",
    "business_role",
)

# Stored and computed (or set by the portal's form): they say whether an
# order is a channel order at all, whose it is (the portal rules, its token)
# and what the distributor earns. No user writes them, on a new order
# either: the state guard, the billing and the rules trust them.
CHANNEL_COMPUTED_FIELDS = frozenset(
    (
        "is_channel_order",
        "financial_partner_id",
        "business_partner_id",
        "channel_commission",
        "channel_source",
    )
)


class ChannelPortalVisitor(int):
    """The id of the portal routes' visitor, put in the context of the
    order they hand over as superuser (``channel_portal_uid``). A context
    value of this type cannot come from a JSON-RPC call."""


class SaleOrder(models.Model):
    _inherit = "sale.order"

    distributor_id = fields.Many2one(
        "res.partner",
        domain=[("is_distributor", "=", True)],
        index=True,
        tracking=True,
        check_company=True,
        help="The distribution partner that raised this order.",
    )
    end_customer_id = fields.Many2one(
        "res.partner",
        index=True,
        tracking=True,
        check_company=True,
        help="The customer that receives the products and services.",
    )
    financial_role = fields.Selection(
        FINANCIAL_ROLES,
        string="Invoiced Party",
        compute="_compute_financial_role",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Resale: the distributor is invoiced at its price book and earns "
        "the margin. Agency: the end customer is invoiced at its own prices and "
        "the distributor earns a commission.",
    )
    business_role = fields.Selection(
        BUSINESS_ROLES,
        string="Served Party",
        compute="_compute_business_role",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="End customer: the vendor serves the end customer (set-up, "
        "service contact). Distributor (white label): the distributor runs "
        "first-line service; the vendor's set-up and service contact are the "
        "distributor and the end customer is not contacted. Delivery always "
        "goes to the end customer.",
    )
    is_channel_order = fields.Boolean(
        compute="_compute_channel_partners",
        store=True,
        index=True,
    )
    financial_partner_id = fields.Many2one(
        "res.partner",
        string="Financial Counterparty",
        compute="_compute_channel_partners",
        store=True,
        index=True,
        help="The party that is invoiced.",
    )
    business_partner_id = fields.Many2one(
        "res.partner",
        string="Business Counterparty",
        compute="_compute_channel_partners",
        store=True,
        index=True,
        help="The party that receives the service: set-up, delivery, contact.",
    )
    # Redefined as a computed field so that the channel decides the customer;
    # editable and unchanged for orders without a distributor.
    partner_id = fields.Many2one(
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    # The distributor's margin: for the vendor's users. Portal pages that
    # show it to the distributor read it as superuser after their checks.
    channel_commission = fields.Monetary(
        string="Commission",
        compute="_compute_channel_commission",
        store=True,
        groups="base.group_user",
        help="What the distributor earns on this order: the margin between "
        "the list price and its price book (resale), or between the end "
        "customer's price and the price book (agency).",
    )
    channel_source = fields.Selection(
        [("backend", "Backend"), ("portal", "Distributor portal")],
        string="Entered From",
        default="backend",
        copy=False,
        readonly=True,
    )

    # The token signs, declines and pays the order: portal users get it in
    # their links only when they may (``get_portal_url``), never by RPC.
    access_token = fields.Char(groups="base.group_user")

    @api.depends("distributor_id")
    def _compute_financial_role(self):
        for order in self:
            if order.distributor_id:
                order.financial_role = (
                    order.distributor_id.channel_financial_role or "distributor"
                )
            elif not order.financial_role:
                order.financial_role = "distributor"

    @api.depends("distributor_id")
    def _compute_business_role(self):
        for order in self:
            if order.distributor_id:
                order.business_role = (
                    order.distributor_id.channel_business_role or "end_customer"
                )
            elif not order.business_role:
                order.business_role = "end_customer"

    @api.depends(
        "distributor_id",
        "end_customer_id",
        "financial_role",
        "business_role",
        "partner_id",
    )
    def _compute_channel_partners(self):
        for order in self:
            channel = bool(order.distributor_id and order.end_customer_id)
            order.is_channel_order = channel
            if not channel:
                order.financial_partner_id = order.partner_id
                order.business_partner_id = order.partner_id
            else:
                order.financial_partner_id = order._get_channel_financial_partner()
                order.business_partner_id = order._get_channel_business_partner()

    @api.depends("distributor_id", "end_customer_id", "financial_role")
    def _compute_partner_id(self):
        for order in self:
            if order.distributor_id and order.end_customer_id:
                order.partner_id = order._get_channel_financial_partner()

    def _get_channel_financial_partner(self):
        """The party invoiced by this channel order (hook)."""
        self.ensure_one()
        if self.financial_role == "end_customer":
            return self.end_customer_id
        return self.distributor_id

    def _get_channel_business_partner(self):
        """The party served by this channel order: set-up, service contact
        (hook). Delivery goes to the end customer whatever it is."""
        self.ensure_one()
        if self.business_role == "distributor":
            return self.distributor_id
        return self.end_customer_id

    @api.depends("partner_id", "end_customer_id")
    def _compute_partner_shipping_id(self):
        channel = self.filtered(lambda o: o.distributor_id and o.end_customer_id)
        for order in channel:
            order.partner_shipping_id = order.end_customer_id.address_get(["delivery"])[
                "delivery"
            ]
        return super(SaleOrder, self - channel)._compute_partner_shipping_id()

    @api.depends("partner_shipping_id", "partner_id", "company_id", "end_customer_id")
    def _compute_fiscal_position_id(self):
        # The financial counterparty's fiscal position applies, whatever the
        # end customer's delivery address is.
        channel = self.filtered(lambda o: o.distributor_id and o.end_customer_id)
        for order in channel:
            before = order.fiscal_position_id
            fpos = (
                self.env["account.fiscal.position"]
                .with_company(order.company_id)
                ._get_fiscal_position(order.partner_id, order.partner_id)
            )
            if before != fpos and order.order_line:
                order.show_update_fpos = True
            order.fiscal_position_id = fpos
        return super(SaleOrder, self - channel)._compute_fiscal_position_id()

    @api.depends("order_line.channel_commission")
    def _compute_channel_commission(self):
        for order in self:
            order.channel_commission = sum(
                order.order_line.mapped("channel_commission")
            )

    @api.constrains("distributor_id", "end_customer_id", "financial_role", "partner_id")
    def _check_channel_counterparties(self):
        for order in self:
            if not order.distributor_id and not order.end_customer_id:
                continue
            order._check_channel_order()

    def _check_channel_order(self):
        """Raise a ValidationError when the channel data of the order is wrong."""
        self.ensure_one()
        distributor, customer = self.distributor_id, self.end_customer_id
        if not (distributor and customer):
            raise ValidationError(
                self.env._(
                    "Order %(order)s: a channel order needs both a distributor and "
                    "an end customer.",
                    order=self.name,
                )
            )
        if not distributor.is_distributor:
            raise ValidationError(
                self.env._(
                    "%(partner)s is not a distributor: flag it as one on its "
                    "contact form first.",
                    partner=distributor.display_name,
                )
            )
        if customer.commercial_partner_id == distributor.commercial_partner_id:
            raise ValidationError(
                self.env._(
                    "Order %(order)s: the end customer %(customer)s belongs to the "
                    "distributor itself.",
                    order=self.name,
                    customer=customer.display_name,
                )
            )
        financial = self._get_channel_financial_partner()
        if self.partner_id.commercial_partner_id != financial.commercial_partner_id:
            raise ValidationError(
                self.env._(
                    "Order %(order)s: the customer must be the invoiced party, "
                    "%(partner)s.",
                    order=self.name,
                    partner=financial.display_name,
                )
            )
        if self.financial_role != "distributor":
            return
        book = distributor.with_company(self.company_id).channel_pricelist_id
        if not book:
            raise ValidationError(
                self.env._(
                    "Distributor %(partner)s has no price book: give it a pricelist "
                    "or put it on a tier that has one.",
                    partner=distributor.display_name,
                )
            )
        if book.company_id and book.company_id != self.company_id:
            raise ValidationError(
                self.env._(
                    "The price book %(book)s of distributor %(partner)s belongs to "
                    "%(book_company)s, not to %(company)s of order %(order)s: give "
                    "the distributor a pricelist in %(company)s, or a tier whose "
                    "pricelist is shared by all companies.",
                    book=book.display_name,
                    partner=distributor.display_name,
                    book_company=book.company_id.name,
                    company=self.company_id.name,
                    order=self.name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._channel_check_computed_write(vals)
        orders = super().create(vals_list)
        if not self.env.su:
            orders._channel_check_stored_created(vals_list)
        orders._channel_check_created_state()
        orders._check_end_customer_distributor()
        orders._link_end_customers()
        return orders

    @channel_access_first("write")
    def write(self, vals):
        if not self.env.su:
            self._channel_check_computed_write(vals)
            self._channel_check_stored_write(vals)
        self._channel_check_state_write(vals)
        changing = [f for f in CHANNEL_FIELDS if f in vals]
        if not changing:
            return super().write(vals)
        self._check_channel_fields_editable(vals, changing)
        pricelists = {order.id: order.pricelist_id for order in self}
        res = super().write(vals)
        if "distributor_id" in vals or "end_customer_id" in vals:
            self._check_end_customer_distributor()
        self._link_end_customers()
        self.filtered(
            lambda o: o.state in ("draft", "sent")
            and o.pricelist_id != pricelists[o.id]
        )._recompute_prices()
        if {"distributor_id", "financial_role", "end_customer_id"} & set(vals):
            self._channel_unfollow_hidden_customer()
        return res

    def _channel_check_created_state(self):
        """A channel order starts as a quotation: created confirmed or
        locked (over RPC), it would skip the confirmation and its checks
        (credit hold, Confirm Distributor Orders, commissioning,
        subscriptions). The product's flows run as superuser."""
        if self.env.su:
            return
        wrong = self.sudo().filtered(
            lambda o: o.is_channel_order
            and (o.state not in ("draft", "sent") or o.locked)
        )
        if wrong:
            raise UserError(
                self.env._(
                    "Order %(order)s is a channel order: it is created as a "
                    "quotation and confirmed with Confirm.",
                    order=wrong[0].name,
                )
            )

    def _channel_state_moving(self, state):
        """Let ``write()`` move these orders to ``state``: called by the
        actions that move it, after their checks (Odoo's and the product's
        overrides above this one). A private method: no RPC call marks an
        order."""
        moves = self.env.cr.cache.setdefault("channel_state_moves", {})
        moves.setdefault(state, set()).update(self.ids)

    def _prepare_confirmation_values(self):
        # The confirmation writes the state (Odoo's action_confirm, after
        # its checks and the product's).
        self._channel_state_moving("sale")
        return super()._prepare_confirmation_values()

    def action_quotation_sent(self):
        # Marked sent by the button, after the checks of the product's
        # overrides (a held quotation) and Odoo's (a draft only).
        self._channel_state_moving("sent")
        return super().action_quotation_sent()

    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        # The send wizard marks a draft quotation sent (after the checks of
        # the product's overrides: a held quotation is not sent).
        if self.env.context.get("mark_so_as_sent"):
            self.filtered(lambda order: order.state == "draft")._channel_state_moving(
                "sent"
            )
        return super().message_post(**kwargs)

    def _action_cancel(self):
        # Reached through action_cancel (Odoo refuses a locked order there),
        # its wizard, or a wizard calling it directly (Odoo's *Cancel
        # quotations* of a list: tenth probe, P10-8, a locked confirmed
        # channel order cancelled by its salesman): a locked channel order
        # is refused on every path. After the product's checks (what is
        # invoiced, the subscriptions and the cancellation setting).
        self._channel_check_cancel_locked()
        self._channel_state_moving("cancel")
        return super()._action_cancel()

    def _channel_check_cancel_locked(self):
        locked = self.filtered(lambda order: order.is_channel_order and order.locked)
        if locked:
            raise UserError(
                self.env._(
                    "%(orders)s: a locked channel order is not cancelled; "
                    "unlock it first.",
                    orders=", ".join(locked.mapped("display_name")),
                )
            )

    def action_draft(self):
        self.filtered(
            lambda order: order.state in ("cancel", "sent")
        )._channel_state_moving("draft")
        return super().action_draft()

    def onchange(self, values, field_names, fields_spec):
        # The web client's onchange prices a new order at any distributor's
        # book (the order's computes run as superuser): portal users order
        # through the product's forms, which check the distributor first
        # (tenth probe, P10-4: an end customer priced baskets at its
        # distributor's buy prices over RPC).
        if self.env.user.share:
            raise AccessError(
                self.env._("Orders are entered through the portal's forms.")
            )
        # Nor to employees who may not enter the order (eleventh probe,
        # P11-11: a plain employee priced baskets at a distributor's book).
        self.check_access("write" if self else "create")
        return super().onchange(values, field_names, fields_spec)

    def _channel_check_computed_write(self, vals):
        """The channel's stored computed fields (CHANNEL_COMPUTED_FIELDS)
        come from the distributor, the end customer and the roles: a user
        (over RPC) writes none of them, nor gives them to a new order. Called
        by ``create`` and ``write`` unless as superuser: an addon extends it
        for its own such fields."""
        names = sorted(CHANNEL_COMPUTED_FIELDS & vals.keys())
        if names:
            raise UserError(
                self.env._(
                    "%(fields)s of an order follow its distributor, end "
                    "customer and roles: they are not written.",
                    fields=channel_field_labels(self, names),
                )
            )

    @api.model
    def _channel_stored_writable(self):
        """The stored computes of an order that users write all the same
        (Odoo's flows as the user): none."""
        return ()

    @api.model
    def _channel_stored_kept(self):
        """Stored fields of a channel order that are not computes but set
        by the product's flows only (as superuser): the addons add theirs."""
        return ()

    @tools.ormcache()
    def _channel_stored_guarded(self):
        """The stored fields no user writes on a channel order: its stored
        computes (without inverse, not ``readonly=False``) and the fields of
        ``_channel_stored_kept``."""
        return channel_stored_computes(
            self, self._channel_stored_writable()
        ) | frozenset(self._channel_stored_kept())

    def _channel_check_stored_write(self, vals):
        """A channel order's stored computes (its totals, currency rate,
        commission, invoicing and commissioning status...) follow what they
        are computed from, and what the product's flows set stays theirs: a
        user writes none of them (ninth probe, P9-5, P9-9). No query when
        none is written."""
        names = self._channel_stored_guarded() & vals.keys()
        if not names:
            return
        channel = self.sudo().filtered("is_channel_order")
        if channel:
            raise UserError(
                self.env._(
                    "%(fields)s of channel order %(order)s are computed (or "
                    "set by its flows): they are not written.",
                    fields=channel_field_labels(self, sorted(names)),
                    order=channel[0].name,
                )
            )

    def _channel_check_stored_created(self, vals_list):
        """The same for a new channel order given those fields."""
        for order, vals in zip(self, vals_list, strict=True):
            if self._channel_stored_guarded() & vals.keys():
                order._channel_check_stored_write(vals)

    def _channel_check_state_write(self, vals):
        """A channel order's state moves through the actions only:
        confirmed by Confirm, marked sent by sending it, cancelled by
        Cancel, set back to quotation by its button. Written over RPC (to
        ``sale``, ``sent``, ``cancel`` or ``draft``), it would skip their
        checks (credit hold, Confirm Distributor Orders, commissioning,
        subscriptions, what is invoiced, the cancellation setting)."""
        if self.env.su or "state" not in vals:
            return
        state = vals["state"]
        moves = self.env.cr.cache.get("channel_state_moves", {}).get(state, set())
        wrong = self.sudo().filtered(
            lambda o: o.is_channel_order and o.state != state and o.id not in moves
        )
        moves.difference_update(self.ids)
        if wrong:
            raise UserError(
                self.env._(
                    "Order %(order)s is a channel order: it is confirmed with "
                    "Confirm, marked sent by sending it, cancelled with Cancel "
                    "and set back to quotation with its button; its state is "
                    "not written.",
                    order=wrong[0].name,
                )
            )

    def _channel_unfollow_hidden_customer(self):
        """An order that became resale (its distributor set, or invoiced to
        the distributor) drops the followers its end customer had: they
        would keep getting the mail of the distributor's order."""
        for order in self.sudo():
            customer = order._channel_hidden_customer()
            if not customer:
                continue
            followers = order.message_partner_ids.filtered(
                lambda p, c=customer: p.commercial_partner_id == c
            )
            if followers:
                order.message_unsubscribe(partner_ids=followers.ids)

    def _check_channel_fields_editable(self, vals, fields_):
        for order in self.filtered(lambda o: o.state not in ("draft", "sent")):
            changed = [
                name
                for name in fields_
                if order._fields[name].convert_to_write(order[name], order)
                != vals[name]
            ]
            if changed:
                raise UserError(
                    self.env._(
                        "Order %(order)s is confirmed: its distributor, end "
                        "customer, invoiced and served parties cannot change. "
                        "Cancel it and set it back to quotation first.",
                        order=order.name,
                    )
                )

    def _check_end_customer_distributor(self):
        """An end customer managed by one distributor goes on another
        distributor's order only by a channel manager's decision, noted in
        the order's chatter: that distributor sees the customer's name and
        address on the order."""
        foreign = self.filtered(
            lambda o: o.distributor_id
            and o.end_customer_id.distributor_id
            and o.end_customer_id.distributor_id != o.distributor_id
        )
        if not foreign:
            return
        if not (
            self.env.su
            or self.env.user.has_group("channel_distribution.group_channel_manager")
        ):
            order = foreign[0]
            raise UserError(
                self.env._(
                    "%(customer)s is managed by %(managing)s: only a channel "
                    "manager can put it on an order of %(distributor)s.",
                    customer=order.end_customer_id.display_name,
                    managing=order.end_customer_id.distributor_id.display_name,
                    distributor=order.distributor_id.display_name,
                )
            )
        for order in foreign:
            order.message_post(
                body=self.env._(
                    "%(customer)s, managed by %(managing)s, was put on this order "
                    "of %(distributor)s by %(user)s.",
                    customer=order.end_customer_id.display_name,
                    managing=order.end_customer_id.distributor_id.display_name,
                    distributor=order.distributor_id.display_name,
                    user=self.env.user.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _link_end_customers(self):
        """Give end customers without a distributor the one of their order;
        never a partner with users or one of the vendor's companies (the
        distributor would then manage, and could edit, a login's partner).
        Giving a customer a distributor is a channel user's decision: the
        order of a salesman without channel rights leaves it to them; a
        customer with financial terms of its own (fiscal position, payment
        terms, pricelist) is left to a channel manager or an accounting
        manager."""
        if not (
            self.env.su
            or self.env.user.has_group("channel_distribution.group_channel_user")
        ):
            return
        for order in self.filtered(
            lambda o: o.distributor_id
            and o.end_customer_id
            and not o.end_customer_id.distributor_id
        ):
            customer = order.end_customer_id.commercial_partner_id
            if customer._channel_is_protected():
                continue
            link = {"distributor_id": order.distributor_id.id}
            # a customer with financial terms of its own: a channel
            # manager's decision (the link is left to one)
            if not customer._channel_terms_entering_refusal(link):
                customer.write(link)

    @api.onchange("distributor_id")
    def _onchange_distributor_id_end_customer(self):
        if (
            self.distributor_id
            and self.end_customer_id.distributor_id
            and self.end_customer_id.distributor_id != self.distributor_id
        ):
            return {
                "warning": {
                    "title": self.env._("Another distributor's customer"),
                    "message": self.env._(
                        "%(customer)s is managed by %(distributor)s.",
                        customer=self.end_customer_id.display_name,
                        distributor=self.end_customer_id.distributor_id.display_name,
                    ),
                }
            }

    @api.onchange("end_customer_id")
    def _onchange_end_customer_id_distributor(self):
        if self.end_customer_id.distributor_id and not self.distributor_id:
            self.distributor_id = self.end_customer_id.distributor_id

    # ------------------------------------------------------------------
    # Followers: the end customer of a resale order never follows it
    # ------------------------------------------------------------------

    def _message_subscribe(self, partner_ids=None, subtype_ids=None, customer_ids=None):
        # A channel order's followers are its audience (its invoiced party's
        # and its distributor's people, internal users): a recipient of its
        # chatter reads its prices, and Odoo's portal rules let followers
        # read. The end customer of a resale order, priced at the
        # distributor's book, never follows it; nor another distributor's
        # people (fourteenth probe, P14-5). The record rules refuse them the
        # order anyway; this keeps its mail out of their boxes.
        return channel_subscribe_audience(
            self,
            partner_ids,
            lambda records, partners: super(SaleOrder, records)._message_subscribe(
                partners, subtype_ids, customer_ids=customer_ids
            ),
        )

    def _channel_keeps_recipients(self):
        return any(self.sudo().mapped("is_channel_order"))

    def _channel_may_follow(self, partner):
        """Whether ``partner`` may follow this channel order: one of the
        people of its financial counterparty or of its distributor (who
        reads the orders it raised), never the end customer of a resale
        order, or an internal user."""
        self.ensure_one()
        order = self.sudo()
        partner = partner.sudo()
        # the order's own parties first (its confirmation subscribes its
        # customer): no read of partners or users for them
        if partner in (order.financial_partner_id | order.distributor_id):
            return True
        commercial = partner.commercial_partner_id
        if commercial != order._channel_hidden_customer() and commercial in (
            order.financial_partner_id.commercial_partner_id
            | order.distributor_id.commercial_partner_id
        ):
            return True
        return bool(partner.user_ids.filtered(lambda user: not user.share))

    def _channel_hidden_customer(self):
        """The commercial partner whose people must not follow this order:
        the end customer of a channel order that invoices the distributor
        (unless it is the distributor itself)."""
        self.ensure_one()
        order = self.sudo()
        customer = order.end_customer_id.commercial_partner_id
        if (
            not order.is_channel_order
            or order.financial_role != "distributor"
            or customer == order.distributor_id.commercial_partner_id
        ):
            return self.env["res.partner"]
        return customer

    # ------------------------------------------------------------------
    # The counterparties on Odoo's standard portal pages of an order (sign,
    # decline, pay, access tokens); distributor self-service is its own addon.
    # ------------------------------------------------------------------

    def _has_to_be_signed(self):
        return super()._has_to_be_signed() and self._channel_portal_may_accept()

    def _has_to_be_paid(self):
        return super()._has_to_be_paid() and self._channel_portal_may_accept()

    def _channel_portal_may_accept(self):
        """Whether the current user may sign, decline or pay this order on
        the portal. A channel order must have been sent by the vendor (a
        draft is the vendor's, or the distributor's to edit, and the
        setting decides whether portal submissions are confirmed); a portal
        user must belong to its financial counterparty (on an agency order
        the distributor only reads it). Internal users and the holders of
        the order's access token, checked by the portal routes, as in
        Odoo."""
        self.ensure_one()
        if not self.is_channel_order:
            return True
        return self.state == "sent" and self._channel_portal_may_hold_token()

    def _channel_portal_may_hold_token(self):
        """Whether the current user may be handed the order's access token.
        Whoever holds it signs, declines and pays the order without logging
        in, so on a channel order a portal user gets it only when its
        company is the financial counterparty: the distributor of an agency
        order reads the order by the record rules, without the token."""
        self.ensure_one()
        if not self.is_channel_order:
            return True
        user = self._channel_portal_user()
        if not user._is_portal():
            return True
        counterparty = self.sudo().financial_partner_id.commercial_partner_id
        return user.partner_id.commercial_partner_id == counterparty

    def _portal_ensure_token(self):
        # The field is the vendor's: read and create it as superuser, for a
        # user who reads the order (``get_portal_url`` and the preview are
        # public methods: any employee took any order's token with them,
        # then signed it anonymously; eleventh probe, P11-7). The token is
        # its invoiced party's: theirs without a rule check (a portal page
        # asks for it once per link).
        if not self.env.su and not self._channel_user_is_invoiced_party():
            self.check_access("read")
        return super(SaleOrder, self.sudo())._portal_ensure_token()

    def _channel_user_is_invoiced_party(self):
        """Whether the current user is one of the invoiced party of each of
        these orders: the financial counterparty of a channel order, the
        customer of another (whom the token is made for)."""
        partner = self.env.user.partner_id.commercial_partner_id
        return all(
            (
                order.financial_partner_id
                if order.is_channel_order
                else order.partner_id
            ).commercial_partner_id
            == partner
            for order in self.sudo()
        )

    def get_portal_url(
        self,
        suffix=None,
        report_type=None,
        download=None,
        query_string=None,
        anchor=None,
    ):
        url = super().get_portal_url(
            suffix=suffix,
            report_type=report_type,
            download=download,
            query_string=query_string,
            anchor=anchor,
        )
        if self._channel_portal_may_hold_token():
            return url
        parts = urlsplit(url)
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "access_token"]
        return parts._replace(query=urlencode(query)).geturl()

    def _channel_is_outsider(self, partner):
        """Whether ``partner`` is outside the financial counterparty of this
        channel order: neither one of its people nor an internal user. An
        outsider gets neither the order's access token (it signs, declines,
        pays and opens the order) nor a pid/hash (it posts in the order's
        chatter as that partner)."""
        self.ensure_one()
        order = self.sudo()
        if not order.is_channel_order:
            return False
        partner = partner.sudo()
        counterparty = order.financial_partner_id.commercial_partner_id
        return partner.commercial_partner_id != counterparty and not (
            partner.user_ids.filtered(lambda user: not user.share)
        )

    def _get_share_url(
        self, redirect=False, signup_partner=False, pid=None, share_token=True
    ):
        # The link made for a recipient (the Share action) is judged by the
        # recipient, not by the user who sends it; the token only for a
        # reader who may hold it.
        args = channel_share_url_args(self, signup_partner, pid, share_token)
        args["share_token"] = (
            args["share_token"] and self._channel_portal_may_hold_token()
        )
        return super()._get_share_url(redirect=redirect, **args)

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        # A pid/hash pair (portal's signed link of a mail) opens the chatter
        # and posts in it as its partner, for as long as the order exists:
        # on a channel order it serves only a partner who may still have it
        # (the financial counterparty's people, internal users), judged when
        # it is used. The user's own rights and the order's token keep
        # Odoo's rules.
        thread = super()._get_thread_with_access(thread_id, mode=mode, **kwargs)
        return channel_thread_by_pid(self, thread, thread_id, mode, kwargs)

    def _channel_payment_link_party(self):
        """Whom a payment link of this order is for (``payment.link.wizard``):
        its invoiced address on a channel order, None on another order."""
        self.ensure_one()
        return self.partner_invoice_id if self.is_channel_order else None

    def _channel_portal_token(self):
        """The access token for the order's portal page, or False for a
        reader who may not hold it."""
        self.ensure_one()
        return self._channel_portal_may_hold_token() and self._portal_ensure_token()

    def _channel_portal_invoices(self, invoices):
        """The invoices of the order's portal page: those the reader may
        not receive the order's token for are limited to the ones it reads
        as itself."""
        self.ensure_one()
        if self._channel_portal_may_hold_token():
            return invoices
        user = self._channel_portal_user()
        return invoices.with_user(user)._filtered_access("read").sudo()

    def _channel_portal_invoice_url(self, invoice):
        """The invoice's link on the order's portal page: without its token
        for a reader who may not hold the order's."""
        self.ensure_one()
        if self._channel_portal_may_hold_token():
            return invoice.get_portal_url()
        return invoice.access_url

    def _can_be_edited_on_portal(self):
        """Options and quantities of a channel order change on the portal
        under the rule of signing: once the vendor sent it, by its
        financial counterparty. The vendor's users change their quotations
        (the backend's "add to order" of an option asks here too)."""
        if not super()._can_be_edited_on_portal():
            return False
        if self._channel_portal_user()._is_internal():
            return True
        return self._channel_portal_may_accept()

    def _channel_portal_lines(self):
        """What a portal edit of the quotation changes: lines, quantities."""
        self.ensure_one()
        return [(line.id, line.product_uom_qty) for line in self.sudo().order_line]

    def _channel_portal_clear_signature(self):
        """A signature was given for what the order said before."""
        signed = self.filtered(
            lambda order: order.is_channel_order
            and (order.signature or order.signed_by or order.signed_on)
        )
        signed.sudo().write(
            {"signature": False, "signed_by": False, "signed_on": False}
        )

    def _channel_portal_user(self):
        """Who is looking at or acting on the order: the user the portal
        routes put in the context (``channel_portal_uid``) when they hand
        the order over as superuser (``_document_check_access``), else the
        environment's."""
        uid = self.env.context.get("channel_portal_uid")
        if not isinstance(uid, ChannelPortalVisitor):
            # a JSON-RPC caller's key names nobody
            return self.env.user
        return self.env["res.users"].sudo().browse(int(uid))
