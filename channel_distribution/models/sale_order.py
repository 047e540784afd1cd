# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import clean_context, formatLang

from .res_partner import FINANCIAL_ROLES

# Fields that decide who is invoiced and who is served: locked once confirmed.
CHANNEL_FIELDS = ("distributor_id", "end_customer_id", "financial_role")


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
        help="The party that receives the service: tickets, delivery, contact.",
    )
    # Redefined as a computed field so that the channel decides the customer;
    # editable and unchanged for orders without a distributor.
    partner_id = fields.Many2one(
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    channel_commission = fields.Monetary(
        string="Commission",
        compute="_compute_channel_commission",
        store=True,
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

    @api.depends("distributor_id")
    def _compute_financial_role(self):
        for order in self:
            if order.distributor_id:
                order.financial_role = (
                    order.distributor_id.channel_financial_role or "distributor"
                )
            elif not order.financial_role:
                order.financial_role = "distributor"

    @api.depends("distributor_id", "end_customer_id", "financial_role", "partner_id")
    def _compute_channel_partners(self):
        for order in self:
            channel = bool(order.distributor_id and order.end_customer_id)
            order.is_channel_order = channel
            if not channel:
                order.financial_partner_id = order.partner_id
                order.business_partner_id = order.partner_id
            elif order.financial_role == "end_customer":
                order.financial_partner_id = order.end_customer_id
                order.business_partner_id = order.end_customer_id
            else:
                order.financial_partner_id = order.distributor_id
                order.business_partner_id = order.end_customer_id

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
                _(
                    "Order %(order)s: a channel order needs both a distributor and "
                    "an end customer.",
                    order=self.name,
                )
            )
        if not distributor.is_distributor:
            raise ValidationError(
                _(
                    "%(partner)s is not a distributor: flag it as one on its "
                    "contact form first.",
                    partner=distributor.display_name,
                )
            )
        if customer.commercial_partner_id == distributor.commercial_partner_id:
            raise ValidationError(
                _(
                    "Order %(order)s: the end customer %(customer)s belongs to the "
                    "distributor itself.",
                    order=self.name,
                    customer=customer.display_name,
                )
            )
        financial = self._get_channel_financial_partner()
        if self.partner_id.commercial_partner_id != financial.commercial_partner_id:
            raise ValidationError(
                _(
                    "Order %(order)s: the customer must be the invoiced party, "
                    "%(partner)s.",
                    order=self.name,
                    partner=financial.display_name,
                )
            )
        if (
            self.financial_role == "distributor"
            and not distributor.with_company(self.company_id).channel_pricelist_id
        ):
            raise ValidationError(
                _(
                    "Distributor %(partner)s has no price book: give it a pricelist "
                    "or put it on a tier that has one.",
                    partner=distributor.display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._link_end_customers()
        return orders

    def write(self, vals):
        changing = [f for f in CHANNEL_FIELDS if f in vals]
        if not changing:
            return super().write(vals)
        self._check_channel_fields_editable(vals, changing)
        pricelists = {order.id: order.pricelist_id for order in self}
        res = super().write(vals)
        self._link_end_customers()
        self.filtered(
            lambda o: o.state in ("draft", "sent")
            and o.pricelist_id != pricelists[o.id]
        )._recompute_prices()
        return res

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
                    _(
                        "Order %(order)s is confirmed: its distributor, end customer "
                        "and invoiced party cannot change. Cancel it and set it back "
                        "to quotation first.",
                        order=order.name,
                    )
                )

    def _link_end_customers(self):
        """Give end customers without a distributor the one of their order."""
        for order in self.filtered(
            lambda o: o.distributor_id
            and o.end_customer_id
            and not o.end_customer_id.distributor_id
        ):
            order.end_customer_id.commercial_partner_id.distributor_id = (
                order.distributor_id
            )

    @api.onchange("distributor_id")
    def _onchange_distributor_id_end_customer(self):
        if (
            self.distributor_id
            and self.end_customer_id.distributor_id
            and self.end_customer_id.distributor_id != self.distributor_id
        ):
            return {
                "warning": {
                    "title": _("Another distributor's customer"),
                    "message": _(
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
    # Commissioning (issue 5): on confirmation, one helpdesk ticket per team
    # for the lines whose products require commissioning, with an activity
    # for operations. Failures never block the confirmation: the order gets
    # an exception activity instead.
    # ------------------------------------------------------------------
    commissioning_state = fields.Selection(
        [("none", "None"), ("pending", "Pending"), ("done", "Done")],
        string="Commissioning",
        compute="_compute_commissioning_state",
        store=True,
        index=True,
        help="Pending while a commissioning ticket of the order is open; done "
        "when all of them are closed.",
    )

    @api.depends("ticket_ids.is_commissioning", "ticket_ids.stage_id.closed")
    def _compute_commissioning_state(self):
        for order in self:
            tickets = order.sudo().ticket_ids.filtered("is_commissioning")
            if not tickets:
                order.commissioning_state = "none"
            elif all(ticket.stage_id.closed for ticket in tickets):
                order.commissioning_state = "done"
            else:
                order.commissioning_state = "pending"

    def _action_confirm(self):
        res = super()._action_confirm()
        self._commissioning_raise_tickets()
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        self._commissioning_notify_cancel()
        return res

    def action_commissioning_raise_tickets(self):
        """Button: raise the tickets still missing (after fixing the setup)."""
        self.filtered(lambda o: o.state == "sale")._commissioning_raise_tickets()
        return True

    def _commissioning_raise_tickets(self):
        """Raise or complete the commissioning tickets of confirmed orders.

        Idempotent: lines already on a ticket are skipped; new lines go to the
        open commissioning ticket of their team, or to a new ticket. Runs with
        the rights needed for helpdesk, in each order's company.
        """
        for order in self.filtered(lambda o: o.state == "sale"):
            order = order.with_company(order.company_id)
            problems = []
            todo = order._get_commissioning_lines_by_team(problems)
            if todo:
                order._commissioning_create_or_extend(todo, problems)
            if problems:
                order._commissioning_report_problems(problems)

    def _get_commissioning_lines_by_team(self, problems):
        """Lines of the order to commission that no ticket covers yet, grouped
        by team: ``{team: (lines, settings)}``; lines without a usable team
        are reported in ``problems``."""
        self.ensure_one()
        lines = self.order_line.filtered(
            lambda line: not line.display_type and line.product_id
        )
        if not lines:
            return {}
        settings = lines.product_id.product_tmpl_id._get_commissioning_settings(
            self.company_id
        )
        covered = self.sudo().ticket_ids.filtered("is_commissioning")
        lines -= covered.commissioning_line_ids
        by_team = {}
        for line in lines:
            line_settings = settings[line.product_id.product_tmpl_id.id]
            if line_settings["required"]:
                by_team.setdefault(line_settings["team"].sudo(), []).append(line)
        result = {}
        for team, team_lines in by_team.items():
            names = ", ".join(line.product_id.display_name for line in team_lines)
            if not team:
                problems.append(
                    _(
                        "No helpdesk team for %(products)s: set one on the "
                        "product, its category or in the Sales settings.",
                        products=names,
                    )
                )
            elif not team.active:
                problems.append(
                    _(
                        "Helpdesk team %(team)s is archived: no ticket for "
                        "%(products)s.",
                        team=team.display_name,
                        products=names,
                    )
                )
            else:
                result[team] = (
                    self.env["sale.order.line"].concat(*team_lines),
                    settings,
                )
        return result

    def _commissioning_create_or_extend(self, todo, problems):
        self.ensure_one()
        Ticket = (
            self.env["helpdesk.ticket"]
            .with_context(clean_context(self.env.context))
            .with_company(self.company_id)
            .sudo()
        )
        open_tickets = self.sudo().ticket_ids.filtered(
            lambda t: t.is_commissioning and not t.stage_id.closed
        )
        vals_list, new_teams = [], []
        for team, (lines, settings) in todo.items():
            ticket = open_tickets.filtered(lambda t, team=team: t.team_id == team)[:1]
            if ticket:
                ticket.commissioning_line_ids = [
                    Command.link(line_id) for line_id in lines.ids
                ]
                ticket.message_post(
                    body=self._get_commissioning_added_note(lines),
                    subtype_xmlid="mail.mt_note",
                )
            else:
                vals_list.append(
                    self._prepare_commissioning_ticket_vals(team, lines, settings)
                )
                new_teams.append((team, lines, settings))
        if not vals_list:
            return Ticket
        tickets = Ticket.create(vals_list)
        followers = self._get_commissioning_followers()
        if followers:
            tickets.message_subscribe(partner_ids=followers.ids)
        activity_type = self.env.ref("channel_distribution.mail_activity_commissioning")
        model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
        today = fields.Date.context_today(self)
        activity_vals = []
        for ticket, (team, lines, settings) in zip(tickets, new_teams, strict=True):
            user = self._get_commissioning_alert_user(team)
            if not user:
                problems.append(
                    _(
                        "Ticket %(ticket)s: team %(team)s has no leader and no "
                        "commissioning alert user is set in the Sales settings: "
                        "nobody was alerted.",
                        ticket=ticket.display_name,
                        team=team.display_name,
                    )
                )
                continue
            lead = max(
                settings[line.product_id.product_tmpl_id.id]["lead_days"]
                for line in lines
            )
            activity_vals.append(
                {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "activity_type_id": activity_type.id,
                    "date_deadline": today + timedelta(days=max(lead, 0)),
                    "summary": _(
                        "Commission %(order)s for %(customer)s",
                        order=self.name,
                        customer=self.business_partner_id.display_name,
                    ),
                    "note": self._get_commissioning_lines_html(lines),
                    "user_id": user.id,
                }
            )
        if activity_vals:
            self.env["mail.activity"].sudo().create(activity_vals)
        return tickets

    def _prepare_commissioning_ticket_vals(self, team, lines, settings):
        """Values of the commissioning ticket of ``lines`` for ``team`` (hook)."""
        self.ensure_one()
        customer = self.business_partner_id
        category = self.env["helpdesk.ticket.category"]
        for line in lines:
            category = (
                category or settings[line.product_id.product_tmpl_id.id]["category"]
            )
        return {
            "name": _(
                "Commissioning for %(customer)s (%(order)s)",
                customer=customer.display_name,
                order=self.name,
            ),
            "description": self._get_commissioning_description(lines),
            "partner_id": customer.id,
            "partner_name": customer.name,
            "partner_email": customer.email,
            "team_id": team.id,
            "category_id": category.id,
            "company_id": self.company_id.id,
            "is_commissioning": True,
            "commissioning_line_ids": [Command.set(lines.ids)],
            "commissioning_distributor_id": (
                self.distributor_id.commercial_partner_id.id or False
            ),
            "sale_order_ids": [Command.link(self.id)],
        }

    def _get_commissioning_followers(self):
        """Partners that follow the tickets besides the contact (hook): the
        distributor when it is the financial counterparty (resale)."""
        self.ensure_one()
        if self.is_channel_order and self.financial_role == "distributor":
            return self.distributor_id
        return self.env["res.partner"]

    def _get_commissioning_alert_user(self, team):
        """Who gets the commissioning activity: the user set in the settings,
        else the team leader (hook)."""
        self.ensure_one()
        return self.company_id.commissioning_user_id or team.user_id

    def _get_commissioning_lines_html(self, lines):
        items = Markup().join(
            Markup("<li>%s &times; %s</li>")
            % (
                formatLang(
                    self.env, line.product_uom_qty, dp="Product Unit of Measure"
                ),
                line.product_id.display_name,
            )
            for line in lines
        )
        return Markup("<ul>%s</ul>") % items

    def _get_commissioning_partner_html(self, partner):
        parts = [partner.display_name]
        address = partner._display_address(without_company=True).strip()
        if address:
            parts += [part for part in address.splitlines() if part.strip()]
        parts += [value for value in (partner.phone, partner.email) if value]
        return Markup("<br/>").join(parts)

    def _get_commissioning_description(self, lines):
        """The ticket's description: what to set up, for whom (hook)."""
        self.ensure_one()
        customer = self.business_partner_id
        rows = [
            (_("Set up"), self._get_commissioning_lines_html(lines)),
            (_("For"), self._get_commissioning_partner_html(customer)),
        ]
        if self.partner_shipping_id and self.partner_shipping_id != customer:
            rows.append(
                (
                    _("Delivery address"),
                    self._get_commissioning_partner_html(self.partner_shipping_id),
                )
            )
        if self.distributor_id:
            rows.append(
                (
                    _("Distributor"),
                    self._get_commissioning_partner_html(self.distributor_id),
                )
            )
        if self.client_order_ref:
            rows.append((_("Customer reference"), self.client_order_ref))
        rows.append((_("Order"), self.name))
        return Markup().join(
            Markup("<p><strong>%s</strong><br/>%s</p>") % row for row in rows
        )

    def _get_commissioning_added_note(self, lines):
        return Markup("<p>%s</p>%s") % (
            _("Lines added to order %(order)s:", order=self.name),
            self._get_commissioning_lines_html(lines),
        )

    def _commissioning_report_problems(self, problems):
        """Put what is missing on the order as an exception activity."""
        self.ensure_one()
        note = Markup("<ul>%s</ul>") % Markup().join(
            Markup("<li>%s</li>") % problem for problem in problems
        )
        exception_type = self.env.ref(
            "channel_distribution.mail_activity_commissioning_exception"
        )
        if any(
            activity.activity_type_id == exception_type and activity.note == note
            for activity in self.sudo().activity_ids
        ):
            return
        self.sudo().activity_schedule(
            "channel_distribution.mail_activity_commissioning_exception",
            summary=_("Commissioning tickets missing"),
            note=note,
            user_id=(self.user_id or self.env.user).id,
        )

    def _commissioning_notify_cancel(self):
        """Note the cancellation on the open tickets and ask for a review;
        the tickets themselves stay."""
        for order in self:
            tickets = order.sudo().ticket_ids.filtered(
                lambda t: t.is_commissioning and not t.stage_id.closed
            )
            for ticket in tickets:
                ticket.message_post(
                    body=_(
                        "Order %(order)s was cancelled: review this "
                        "commissioning ticket.",
                        order=order.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                user = order._get_commissioning_alert_user(ticket.team_id)
                ticket.activity_schedule(
                    "channel_distribution.mail_activity_commissioning",
                    summary=_("Review: order %(order)s cancelled", order=order.name),
                    user_id=(user or self.env.user).id,
                )
