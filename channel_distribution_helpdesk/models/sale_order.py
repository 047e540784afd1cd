# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from datetime import timedelta

import psycopg2
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import clean_context, formatLang

_logger = logging.getLogger(__name__)

# Alert e-mails list at most this many tickets; the rest are counted.
COMMISSIONING_DIGEST_MAX_TICKETS = 50
# An alert activity of several tickets lists at most this many in its note.
COMMISSIONING_ALERT_MAX_TICKETS = 200


class CommissioningBatchMemo(dict):
    """What the tickets of a confirmation batch share, built once for the
    batch instead of once per order: the HTML block of a partner (a
    distributor is on many orders), a formatted quantity. Keyed by what it
    depends on, language included; it lives while the batch's values are
    built. A context value of this type cannot come from a JSON-RPC call."""


class SaleOrder(models.Model):
    """Commissioning: on confirmation, one helpdesk ticket per team for the
    lines whose products require commissioning, with an activity for
    operations. Failures never block the confirmation: the order gets an
    exception activity instead."""

    _inherit = "sale.order"

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
        self._commissioning_raise_tickets_on_confirm()
        return res

    def _commissioning_raise_tickets_on_confirm(self):
        """The commissioning tickets of the orders just confirmed (hook):
        raised in the confirming transaction. An addon may raise them later
        for some orders (channel_distribution_helpdesk_queue: in a queue job,
        when the company asks for it)."""
        self._commissioning_raise_tickets()

    def _action_cancel(self):
        res = super()._action_cancel()
        self._commissioning_notify_cancel()
        return res

    def action_commissioning_raise_tickets(self):
        """Button: raise the tickets still missing (after fixing the setup).
        The vendor's users only: the tickets are made as superuser, and
        portal users read their orders."""
        if not (self.env.su or self.env.user._is_internal()):
            raise AccessError(
                self.env._("Only the vendor's users can raise commissioning tickets.")
            )
        self.filtered(lambda o: o.state == "sale")._commissioning_raise_tickets()
        return True

    def _commissioning_raise_tickets(self):
        """Raise or complete the commissioning tickets of confirmed orders.

        Idempotent: lines already on a ticket are skipped; new lines go to the
        open commissioning ticket of their team, or to a new ticket. Runs with
        the rights needed for helpdesk, in each order's company.

        All the orders are handled in one batch (tickets, followers and
        activities made in one go). If the batch fails (a constraint, a
        broken team set-up, an override that raises), it is undone and each
        order is retried on its own, so that one order's failure neither
        costs the others their tickets nor blocks the confirmation: the
        failing order gets an exception activity instead.
        """
        # Orders that sell nothing requiring commissioning have nothing to
        # raise and no problem to report: no savepoint for them (it would
        # write the orders and their lines before they are final, to write
        # them again after the confirmation).
        orders = self._commissioning_orders_to_raise()
        if not orders:
            return
        try:
            with self.env.cr.savepoint():
                problems_by_order = orders._commissioning_raise_tickets_batch()
        except psycopg2.OperationalError:
            raise  # concurrency: let the whole transaction be retried
        except Exception as error:
            self.env.invalidate_all()
            if len(orders) > 1:
                _logger.info(
                    "Commissioning tickets of %s orders failed together, "
                    "retrying order by order",
                    len(orders),
                    exc_info=True,
                )
                for order in orders:
                    order._commissioning_raise_tickets()
                return
            _logger.warning(
                "Commissioning tickets of %s failed", orders.name, exc_info=True
            )
            problems_by_order = {
                orders: [
                    self.env._(
                        "Creating the commissioning tickets failed: %(error)s",
                        error=str(error) or error.__class__.__name__,
                    )
                ]
            }
        for order, problems in problems_by_order.items():
            if problems:
                order.with_company(order.company_id)._commissioning_report_problems(
                    problems
                )

    def _commissioning_raise_tickets_batch(self):
        """Make the tickets of the orders in ``self``; return their problems
        by order (what could not be raised, to report)."""
        templates = self.order_line.product_id.product_tmpl_id
        settings_by_company = {}
        problems_by_order = {}
        new_tickets = []  # (order, team, lines, settings, vals)
        # The values of the batch are built with a memo of what orders share.
        memo_env = self.with_context(
            commissioning_batch_memo=CommissioningBatchMemo()
        ).env
        for order in self:
            problems = problems_by_order.setdefault(order, [])
            order = order.with_env(memo_env).with_company(order.company_id)
            company = order.company_id
            if company not in settings_by_company:
                settings_by_company[company] = templates._get_commissioning_settings(
                    company
                )
            todo = order._get_commissioning_lines_by_team(
                problems, settings=settings_by_company[company]
            )
            if todo:
                for team, lines, settings in order._commissioning_extend_tickets(todo):
                    vals = order._prepare_commissioning_ticket_vals(
                        team, lines, settings
                    )
                    new_tickets.append(
                        (order.with_env(self.env), team, lines, settings, vals)
                    )
        if new_tickets:
            self._commissioning_create_tickets(new_tickets, problems_by_order)
        return problems_by_order

    def _commissioning_orders_to_raise(self):
        """The confirmed orders of ``self`` that sell a product requiring
        commissioning (whether a ticket covers it already or not: raising
        their tickets tells)."""
        orders = self.filtered(lambda order: order.state == "sale")
        templates = orders.order_line.product_id.product_tmpl_id
        result = self.browse()
        for company, company_orders in orders.grouped("company_id").items():
            settings = templates._get_commissioning_settings(company)
            result |= company_orders.filtered(
                lambda order, settings=settings: (
                    order._get_commissioning_required_lines(settings)
                )
            )
        return result

    def _get_commissioning_required_lines(self, settings):
        """The product lines of the order whose product requires
        commissioning, by ``settings`` (``_get_commissioning_settings`` of
        their templates), whether a ticket covers them already or not."""
        self.ensure_one()
        return self.order_line.filtered(
            lambda line: not line.display_type
            and line.product_id
            and settings[line.product_id.product_tmpl_id.id]["required"]
        )

    def _get_commissioning_lines_by_team(self, problems, settings=None):
        """Lines of the order to commission that no ticket covers yet, grouped
        by team: ``{team: (lines, settings)}``; lines without a usable team
        are reported in ``problems``. ``settings`` are those of
        ``_get_commissioning_settings`` when the caller has them already."""
        self.ensure_one()
        lines = self.order_line.filtered(
            lambda line: not line.display_type and line.product_id
        )
        if not lines:
            return {}
        if settings is None:
            settings = lines.product_id.product_tmpl_id._get_commissioning_settings(
                self.company_id
            )
        covered = self.sudo().ticket_ids.filtered("is_commissioning")
        lines = self._get_commissioning_required_lines(settings)
        lines -= covered.commissioning_line_ids
        by_team = {}
        for line in lines:
            line_settings = settings[line.product_id.product_tmpl_id.id]
            by_team.setdefault(line_settings["team"].sudo(), []).append(line)
        result = {}
        for team, team_lines in by_team.items():
            names = ", ".join(line.product_id.display_name for line in team_lines)
            if not team:
                problems.append(
                    self.env._(
                        "No helpdesk team for %(products)s: set one on the "
                        "product, its category or in the Sales settings.",
                        products=names,
                    )
                )
            elif team.company_id and team.company_id != self.company_id:
                # Helpdesk puts a ticket in its team's company; a
                # ticket must stay in the order's company.
                problems.append(
                    self.env._(
                        "Helpdesk team %(team)s belongs to another company: no "
                        "ticket for %(products)s.",
                        team=team.display_name,
                        products=names,
                    )
                )
            elif not team.active:
                problems.append(
                    self.env._(
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

    def _commissioning_extend_tickets(self, todo):
        """Add the lines of ``todo`` to the open commissioning ticket of their
        team, with a note; return ``[(team, lines, settings)]`` for the teams
        that have no open ticket yet."""
        self.ensure_one()
        open_tickets = self.sudo().ticket_ids.filtered(
            lambda t: t.is_commissioning and not t.stage_id.closed
        )
        missing = []
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
                missing.append((team, lines, settings))
        return missing

    @api.model
    def _commissioning_create_tickets(self, new_tickets, problems_by_order):
        """Create the tickets ``[(order, team, lines, settings, vals)]`` of
        several orders: one ``create`` per company (ticket numbers and
        followers made for the batch), the distributors subscribed in one go,
        then every alert activity in one ``create``. Teams
        without anyone to alert are added to ``problems_by_order``."""
        by_company = {}
        for entry in new_tickets:
            by_company.setdefault(entry[0].company_id, []).append(entry)
        tickets_by_entry = []
        for company, entries in by_company.items():
            Ticket = (
                self.env["helpdesk.ticket"]
                .with_context(clean_context(self.env.context))
                .with_company(company)
                .sudo()
            )
            # The first stage of each team once, not once per ticket.
            stages = {}
            vals_list = []
            for _order, team, _lines, _settings, vals in entries:
                if "stage_id" not in vals:
                    if team not in stages:
                        stages[team] = (
                            Ticket.env["helpdesk.ticket.team"]
                            .browse(team.id)
                            ._get_applicable_stages()[:1]
                            .id
                        )
                    vals = dict(vals, stage_id=stages[team])
                vals_list.append(vals)
            # The creation message is written below, in one go for the
            # tickets nobody is to be notified of.
            created = Ticket.with_context(
                mail_create_nolog=True
            )._commissioning_create_batch(vals_list)
            tickets_by_entry += zip(entries, created, strict=True)
        Ticket = self.env["helpdesk.ticket"].sudo()
        tickets = Ticket.browse([ticket.id for _entry, ticket in tickets_by_entry])
        self._commissioning_log_tickets_created(
            [(entry[0], ticket) for entry, ticket in tickets_by_entry]
        )
        # Who is alerted of what: one alert per user, team and due date for
        # all the tickets of the batch (a mass confirmation alerts once, not
        # once per order).
        alerts = {}
        users = {}
        for (order, team, lines, settings, _vals), ticket in tickets_by_entry:
            user = order._get_commissioning_alert_user(team)
            users[ticket.id] = user
            if not user:
                problems_by_order.setdefault(order, []).append(
                    self.env._(
                        "Ticket %(ticket)s: team %(team)s has no leader and no "
                        "commissioning alert user is set in the Sales settings: "
                        "nobody was alerted.",
                        ticket=ticket.display_name,
                        team=team.display_name,
                    )
                )
                continue
            deadline = order._get_commissioning_deadline(lines, settings)
            alerts.setdefault((user, team, deadline), []).append(
                (order, ticket, lines, settings)
            )
        # The alerted users follow the tickets they are alerted of, as the
        # activity of each ticket made them follow it.
        tickets._commissioning_subscribe(
            {
                ticket.id: order._get_commissioning_followers()
                | users[ticket.id].filtered(lambda user: not user.share).partner_id
                for (order, *_entry), ticket in tickets_by_entry
            }
        )
        if alerts:
            activity_type = self.env.ref(
                "channel_distribution_helpdesk.mail_activity_commissioning"
            )
            model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
            activity_vals = []
            alerted = []
            for (user, _team, deadline), entries in alerts.items():
                activity_vals.append(
                    self._prepare_commissioning_alert_vals(
                        entries, user, deadline, activity_type, model_id
                    )
                )
                alerted.append(Ticket.concat(*(entry[1] for entry in entries)))
            # One e-mail per alerted user, not one per activity.
            activities = (
                self.env["mail.activity"]
                .sudo()
                .with_context(mail_activity_quick_update=True)
                .create(activity_vals)
            )
            self._commissioning_notify_alert_users(
                activities, dict(zip(activities.ids, alerted, strict=True))
            )
        return tickets

    @api.model
    def _prepare_commissioning_alert_vals(
        self, entries, user, deadline, activity_type, model_id
    ):
        """Values of the activity alerting ``user`` of new tickets
        ``entries`` (``[(order, ticket, lines, settings)]``, of one team,
        due on ``deadline``): for one ticket, the order's
        ``_prepare_commissioning_activity_vals``; for several, one activity
        on the first ticket listing them all."""
        order, ticket, lines, settings = entries[0]
        vals = order._prepare_commissioning_activity_vals(
            ticket, lines, settings, user, activity_type, model_id
        )
        if len(entries) == 1:
            return vals
        orders = self.browse().concat(*(entry[0] for entry in entries))
        names = ", ".join(orders[:3].mapped("name"))
        if len(orders) > 3:
            names += ", …"
        shown = entries[:COMMISSIONING_ALERT_MAX_TICKETS]
        items = Markup().join(
            Markup('<li><a href="/mail/view?model=%s&amp;res_id=%s">%s</a></li>')
            % (entry[1]._name, entry[1].id, entry[1].display_name)
            for entry in shown
        )
        note = Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._(
                "%(count)s commissioning tickets raised by the confirmation of "
                "their orders:",
                count=len(entries),
            ),
            items,
        )
        if len(entries) > len(shown):
            note += Markup("<p>%s</p>") % self.env._(
                "and %(count)s more: see the commissioning tickets of the team.",
                count=len(entries) - len(shown),
            )
        return dict(
            vals,
            date_deadline=deadline,
            summary=self.env._(
                "Commission %(count)s orders (%(orders)s)",
                count=len(entries),
                orders=names,
            ),
            note=note,
        )

    @api.model
    def _commissioning_log_tickets_created(self, order_tickets):
        """Write the creation message of new tickets ``[(order, ticket)]``.

        The tickets are created with ``mail_create_nolog``: the tickets that
        have followers subscribed to the creation subtype (the followers of
        their team, mostly) get the message posted and notified, as helpdesk
        does; the others get it logged, in one batch, which costs far less
        than one post per ticket when nobody is to be told."""
        Ticket = self.env["helpdesk.ticket"].sudo()
        tickets = Ticket.browse([ticket.id for _order, ticket in order_tickets])
        subtype = tickets[:1]._creation_subtype() if tickets else False
        author = self.env.user.partner_id
        to_notify = set()
        if subtype:
            followers = (
                self.env["mail.followers"]
                .sudo()
                .search_fetch(
                    [
                        ("res_model", "=", Ticket._name),
                        ("res_id", "in", tickets.ids),
                        ("subtype_ids", "in", subtype.ids),
                        ("partner_id", "!=", author.id),
                    ],
                    ["res_id"],
                )
            )
            to_notify = set(followers.mapped("res_id"))
        bodies = {}
        for order, ticket in order_tickets:
            body = Markup("<p>%s</p>") % self.env._(
                "Commissioning ticket raised on the confirmation of %(order)s.",
                order=order._get_html_link(),
            )
            if ticket.id in to_notify:
                ticket.message_post(
                    body=body, subtype_id=subtype.id, author_id=author.id
                )
            else:
                bodies[ticket.id] = body
        if bodies:
            Ticket.browse(list(bodies))._message_log_batch(
                bodies=bodies, author_id=author.id
            )

    @api.model
    def _commissioning_notify_alert_users(self, activities, tickets_by_activity):
        """E-mail each user alerted by ``activities`` (commissioning
        activities made together, of the tickets ``{activity id: tickets}``):
        the standard assignment e-mail for a single ticket, one summary
        listing the tickets for several, so that a mass confirmation does
        not send one e-mail per order."""
        for user, user_activities in activities.grouped("user_id").items():
            if user == self.env.user:
                continue  # nobody is e-mailed about their own assignment
            rows = [
                (ticket, activity)
                for activity in user_activities
                for ticket in tickets_by_activity[activity.id]
            ]
            if len(rows) == 1:
                user_activities.action_notify()
                continue
            lang = user.lang or self.env.lang
            lang_env = self.with_context(lang=lang).env
            shown = rows[:COMMISSIONING_DIGEST_MAX_TICKETS]
            body = lang_env["ir.qweb"]._render(
                "channel_distribution_helpdesk.commissioning_alert_digest",
                {
                    "user": user,
                    "rows": [
                        (
                            ticket.with_context(lang=lang),
                            activity.with_context(lang=lang),
                        )
                        for ticket, activity in shown
                    ],
                    "hidden": len(rows) - len(shown),
                    "base_url": shown[0][0].get_base_url(),
                },
                minimal_qcontext=True,
            )
            lang_env["mail.thread"].message_notify(
                partner_ids=user.partner_id.ids,
                body=body,
                subject=lang_env._(
                    "%(count)s commissioning tickets assigned to you",
                    count=len(rows),
                ),
                email_layout_xmlid="mail.mail_notification_light",
            )

    def _prepare_commissioning_activity_vals(
        self, ticket, lines, settings, user, activity_type, model_id
    ):
        """Values of the activity that alerts ``user`` of ``ticket`` (hook)."""
        self.ensure_one()
        return {
            "res_model_id": model_id,
            "res_id": ticket.id,
            "activity_type_id": activity_type.id,
            "date_deadline": self._get_commissioning_deadline(lines, settings),
            "summary": self.env._(
                "Commission %(order)s for %(customer)s",
                order=self.name,
                customer=self._get_commissioning_site().display_name,
            ),
            "note": self._get_commissioning_lines_html(lines),
            "user_id": user.id,
        }

    def _get_commissioning_deadline(self, lines, settings):
        """When the commissioning of ``lines`` is due: after their largest
        lead time, from today."""
        self.ensure_one()
        lead = max(
            settings[line.product_id.product_tmpl_id.id]["lead_days"] for line in lines
        )
        return fields.Date.context_today(self) + timedelta(days=max(lead, 0))

    def _prepare_commissioning_ticket_vals(self, team, lines, settings):
        """Values of the commissioning ticket of ``lines`` for ``team`` (hook)."""
        self.ensure_one()
        # The contact is the business counterparty: the end customer, or the
        # distributor in white label.
        customer = self.business_partner_id
        category = self.env["helpdesk.ticket.category"]
        for line in lines:
            category = (
                category or settings[line.product_id.product_tmpl_id.id]["category"]
            )
        return {
            "name": self.env._(
                "Commissioning for %(customer)s (%(order)s)",
                customer=self._get_commissioning_site().display_name,
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
        """Partners that follow the tickets (hook): the distributor when it is
        the business counterparty (it is the contact) or the financial one
        (resale). The end customer only ever follows as the contact."""
        self.ensure_one()
        if self.is_channel_order and "distributor" in (
            self.financial_role,
            self.business_role,
        ):
            return self.distributor_id
        return self.env["res.partner"]

    def _get_commissioning_site(self):
        """Whose set-up the tickets are about: the end customer of a channel
        order, whoever the service contact is; the customer of a direct one."""
        self.ensure_one()
        return self.end_customer_id if self.is_channel_order else self.partner_id

    def _get_commissioning_alert_user(self, team):
        """Who gets the commissioning activity: the user set in the settings,
        else the team leader (hook)."""
        self.ensure_one()
        return self.company_id.commissioning_user_id or team.user_id

    def _commissioning_memoized(self, key, compute):
        """``compute()``, once per ``key`` (and language and company) in a
        confirmation batch (``commissioning_batch_memo`` in the context, set
        by ``_commissioning_raise_tickets_batch``); outside a batch, each
        call computes."""
        memo = self.env.context.get("commissioning_batch_memo")
        if not isinstance(memo, CommissioningBatchMemo):
            return compute()
        key = (self.env.context.get("lang"), self.env.company.id, *key)
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    def _commissioning_format_quantity(self, quantity):
        return self._commissioning_memoized(
            ("quantity", quantity),
            lambda: formatLang(self.env, quantity, dp="Product Unit of Measure"),
        )

    def _get_commissioning_lines_html(self, lines):
        items = Markup().join(
            Markup("<li>%s &times; %s</li>")
            % (
                self._commissioning_format_quantity(line.product_uom_qty),
                line.product_id.display_name,
            )
            for line in lines
        )
        return Markup("<ul>%s</ul>") % items

    def _commissioning_hides_reference(self):
        """The PO number of a resale order is the distributor's: a ticket
        whose contact is the end customer does not show it."""
        self.ensure_one()
        return (
            self.is_channel_order
            and self.financial_role == "distributor"
            and self.business_partner_id.commercial_partner_id
            == self.end_customer_id.commercial_partner_id
        )

    def _get_commissioning_partner_html(self, partner):
        """The name, address, phone and e-mail of ``partner``, as HTML."""
        return self._commissioning_memoized(
            ("partner", partner.id),
            lambda: self._commissioning_partner_html(partner),
        )

    def _commissioning_partner_html(self, partner):
        parts = [partner.display_name]
        address = partner._display_address(without_company=True).strip()
        if address:
            parts += [part for part in address.splitlines() if part.strip()]
        parts += [value for value in (partner.phone, partner.email) if value]
        return Markup("<br/>").join(parts)

    def _get_commissioning_description(self, lines):
        """The ticket's description: what to set up, for whom (hook)."""
        self.ensure_one()
        customer = self._get_commissioning_site()
        rows = [
            (self.env._("Set up"), self._get_commissioning_lines_html(lines)),
            (self.env._("For"), self._get_commissioning_partner_html(customer)),
        ]
        if self.business_partner_id != customer:
            # White label: the distributor is the vendor's service contact.
            rows.append(
                (
                    self.env._("Service contact (distributor)"),
                    self._get_commissioning_partner_html(self.business_partner_id),
                )
            )
        if self.partner_shipping_id and self.partner_shipping_id != customer:
            rows.append(
                (
                    self.env._("Delivery address"),
                    self._get_commissioning_partner_html(self.partner_shipping_id),
                )
            )
        if self.distributor_id and self.distributor_id != self.business_partner_id:
            rows.append(
                (
                    self.env._("Distributor"),
                    self._get_commissioning_partner_html(self.distributor_id),
                )
            )
        if self.client_order_ref and not self._commissioning_hides_reference():
            rows.append((self.env._("Customer reference"), self.client_order_ref))
        rows.append((self.env._("Order"), self.name))
        return Markup().join(
            Markup("<p><strong>%s</strong><br/>%s</p>") % row for row in rows
        )

    def _get_commissioning_added_note(self, lines):
        return Markup("<p>%s</p>%s") % (
            self.env._("Lines added to order %(order)s:", order=self.name),
            self._get_commissioning_lines_html(lines),
        )

    def _commissioning_report_problems(self, problems):
        """Put what is missing on the order as an exception activity."""
        self.ensure_one()
        note = Markup("<ul>%s</ul>") % Markup().join(
            Markup("<li>%s</li>") % problem for problem in problems
        )
        exception_type = self.env.ref(
            "channel_distribution_helpdesk.mail_activity_commissioning_exception"
        )
        if any(
            activity.activity_type_id == exception_type and activity.note == note
            for activity in self.sudo().activity_ids
        ):
            return
        self.sudo().activity_schedule(
            "channel_distribution_helpdesk.mail_activity_commissioning_exception",
            summary=self.env._("Commissioning tickets missing"),
            note=note,
            user_id=(self.user_id or self.env.user).id,
        )

    @api.model
    def _commissioning_notify_quantity_changes(self, lines, before):
        """Tell the commissioning tickets of confirmed ``lines`` that their
        quantities changed (``before``: the old quantity by line id). A
        quantity raised after the ticket was closed also asks the alert user
        for a review: the extra units are not set up yet."""
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("is_commissioning", "=", True),
                    ("commissioning_line_ids", "in", lines.ids),
                ]
            )
        )
        for ticket in tickets:
            ticket_lines = lines & ticket.commissioning_line_ids
            items = Markup().join(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(product)s on %(order)s: %(old)s → %(new)s",
                    product=line.product_id.display_name,
                    order=line.order_id.name,
                    old=formatLang(
                        self.env, before[line.id], dp="Product Unit of Measure"
                    ),
                    new=formatLang(
                        self.env, line.product_uom_qty, dp="Product Unit of Measure"
                    ),
                )
                for line in ticket_lines
            )
            ticket.message_post(
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (self.env._("Quantities changed:"), items),
                subtype_xmlid="mail.mt_note",
            )
            raised = ticket_lines.filtered(
                lambda line: line.product_uom_qty > before[line.id]
            )
            if raised and ticket.stage_id.closed:
                order = raised.order_id[:1]
                order._commissioning_ask_review(
                    ticket,
                    self.env._(
                        "Review: quantity raised on %(order)s after commissioning",
                        order=order.name,
                    ),
                )

    def _commissioning_ask_review(self, ticket, summary):
        """Give the order's commissioning alert user (or the current user) a
        Commissioning activity on ``ticket`` to review it."""
        self.ensure_one()
        user = self._get_commissioning_alert_user(ticket.team_id)
        ticket.activity_schedule(
            "channel_distribution_helpdesk.mail_activity_commissioning",
            summary=summary,
            user_id=(user or self.env.user).id,
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
                    body=self.env._(
                        "Order %(order)s was cancelled: review this "
                        "commissioning ticket.",
                        order=order.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                order._commissioning_ask_review(
                    ticket,
                    self.env._("Review: order %(order)s cancelled", order=order.name),
                )
