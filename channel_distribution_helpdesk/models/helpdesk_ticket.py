# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, api, fields, models
from odoo.addons.channel_distribution.tools import (
    channel_access_first,
    channel_subscribe_kept,
    channel_thread_by_pid,
)
from odoo.exceptions import UserError
from odoo.tools import SQL

# What makes a ticket a commissioning one and whose it is: set by the
# confirmation (as superuser); the portal rules and the followers' limits
# read them. No user writes them, nor gives them to a new ticket or a copy.
COMMISSIONING_FIELDS = (
    "is_commissioning",
    "commissioning_line_ids",
    "commissioning_distributor_id",
)


class CommissioningDeferredSubscriptions(list):
    """The auto-subscriptions of tickets being created together, deferred
    to be made for the batch: ``[(tickets, values, policy)]``. A context
    value of this type cannot come from a JSON-RPC call."""


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    is_commissioning = fields.Boolean(
        string="Commissioning",
        readonly=True,
        copy=False,
        index=True,
        help="Raised by the confirmation of a sale order to set up what it sold.",
    )
    commissioning_line_ids = fields.Many2many(
        "sale.order.line",
        "helpdesk_ticket_commissioning_line_rel",
        "ticket_id",
        "line_id",
        string="Lines to Commission",
        readonly=True,
        copy=False,
        help="The order lines this ticket sets up.",
    )
    commissioning_distributor_id = fields.Many2one(
        "res.partner",
        string="Distributor",
        readonly=True,
        copy=False,
        index=True,
        help="The distributor (company) of the order: its portal users see "
        "the ticket.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            vals.get(name) for vals in vals_list for name in COMMISSIONING_FIELDS
        ):
            self._channel_refuse_commissioning_write()
        tickets = super().create(vals_list)
        if not self.env.su:
            tickets._channel_check_order_audience()
        return tickets

    @channel_access_first("write")
    def write(self, vals):
        if not self.env.su:
            if self._channel_commissioning_changed(vals):
                self._channel_refuse_commissioning_write()
            self._channel_check_audience_write(vals)
        result = super().write(vals)
        if not self.env.su and {"partner_id", "sale_order_ids"} & vals.keys():
            self._channel_check_order_audience()
        return result

    def copy_data(self, default=None):
        # A copy of a commissioning ticket is a plain ticket with its name
        # and description (the order, its end customer's address): its
        # contact stays one of the audience (eleventh probe, P11-8: a copy
        # for another distributor's contact handed them to its portal).
        vals_list = super().copy_data(default=default)
        if not self.env.su:
            for ticket, vals in zip(self, vals_list, strict=True):
                if ticket.sudo().is_commissioning and vals.get("partner_id"):
                    ticket._channel_check_contact(vals["partner_id"])
        return vals_list

    def _channel_check_contact(self, partner_id):
        """Refuse ``partner_id`` as the contact of this commissioning ticket
        (or of its copy) unless one of its audience."""
        self.ensure_one()
        partner = self.env["res.partner"].sudo().browse(partner_id)
        if partner.commercial_partner_id not in self._channel_audience():
            raise UserError(
                self.env._(
                    "The contact of commissioning ticket %(ticket)s is one of "
                    "its end customer's or its distributor's people: "
                    "%(partner)s is neither.",
                    ticket=self.display_name,
                    partner=partner.display_name,
                )
            )

    def _channel_check_order_audience(self):
        """A ticket about a channel order (``sale_order_ids``) is for the
        people of its end customer or its distributor: helpdesk's portal
        rule reads the contact, so another company's contact would read
        the order through the ticket (eleventh probe, P11-8)."""
        for ticket in self.sudo():
            orders = ticket.sale_order_ids.filtered("is_channel_order")
            partner = ticket.partner_id
            if (
                not orders
                or not partner
                or partner.user_ids.filtered(lambda user: not user.share)
            ):
                continue
            for order in orders:
                audience = (
                    order.end_customer_id | order.distributor_id
                ).commercial_partner_id
                if partner.commercial_partner_id not in audience:
                    raise UserError(
                        self.env._(
                            "Ticket %(ticket)s about order %(order)s is for its "
                            "end customer's or its distributor's people: "
                            "%(partner)s is neither.",
                            ticket=ticket.display_name,
                            order=order.name,
                            partner=partner.display_name,
                        )
                    )

    def _channel_check_audience_write(self, vals):
        """A commissioning ticket's contact stays one of its audience (the
        end customer's or the distributor's people): helpdesk's portal rule
        reads the contact, so another company's contact would hand the
        ticket to that company (tenth probe, P10-6). The orders it was
        raised for (``sale_order_ids``) are the confirmation's too."""
        commissioning = self.sudo().filtered("is_commissioning")
        if not commissioning:
            return
        if vals.get("sale_order_ids"):
            self._channel_refuse_commissioning_write()
        if vals.get("partner_id"):
            for ticket in commissioning:
                ticket._channel_check_contact(vals["partner_id"])
        if "company_id" in vals:
            commissioning._channel_check_company(vals["company_id"])

    def _channel_check_company(self, company_id):
        """A commissioning ticket stays in its order's company: moved to
        another, that company's helpdesk reads its end customer's address and
        the order (sixteenth probe, P16-B8)."""
        for ticket in self:
            company = ticket.commissioning_line_ids.order_id.company_id
            if company and company.id != company_id:
                raise UserError(
                    self.env._(
                        "Commissioning ticket %(ticket)s stays in the company "
                        "of its order, %(company)s.",
                        ticket=ticket.display_name,
                        company=company.display_name,
                    )
                )

    def _channel_commissioning_changed(self, vals):
        """Whether ``vals`` changes the commissioning fields of one of these
        tickets (any command on its lines does)."""
        for name in COMMISSIONING_FIELDS:
            if name not in vals:
                continue
            field = self._fields[name]
            if field.type == "many2many":
                if vals[name]:
                    return True
                continue
            new = field.convert_to_cache(vals[name], self, validate=False)
            if any(
                field.convert_to_cache(ticket[name], ticket, validate=False) != new
                for ticket in self.sudo()
            ):
                return True
        return False

    def _channel_refuse_commissioning_write(self):
        raise UserError(
            self.env._(
                "Commissioning tickets are raised by the confirmation of their "
                "order: whether a ticket commissions an order, which lines and "
                "which distributor sees it are not edited."
            )
        )

    def _channel_portal_closing_stages(self):
        """The stages this ticket may be closed to from its portal page, by
        the user of its environment (call it as that user, not as
        superuser): the closing stages of its team offered on the portal.
        None unless the user may write the ticket, or it is the user's own
        ticket (its contact is of the user's company) and not a
        commissioning ticket: commissioning trusts the stage of those, so
        only the vendor closes them."""
        self.ensure_one()
        Stage = self.env["helpdesk.ticket.stage"]
        if not self.has_access("write") and not self._channel_portal_is_own():
            return Stage
        return (
            self.sudo()
            .team_id._get_applicable_stages()
            .filtered(lambda stage: stage.closed and stage.close_from_portal)
            .with_env(self.env)
        )

    def _channel_portal_is_own(self):
        """Whether the user of the environment reads this ticket as its
        contact (helpdesk's own portal case) and it is no commissioning
        ticket."""
        self.ensure_one()
        if self.sudo().is_commissioning or not self.has_access("read"):
            return False
        commercial = self.env.user.partner_id.commercial_partner_id
        return self.sudo().partner_id.commercial_partner_id == commercial

    def _channel_is_outsider(self, partner):
        """Whether ``partner`` is outside the audience of this commissioning
        ticket: neither a person of its contact's company nor of the
        order's distributor, nor an internal user. Other tickets keep
        helpdesk's rules."""
        self.ensure_one()
        if not self.sudo().is_commissioning:
            return False
        partner = partner.sudo()
        return partner.commercial_partner_id not in self._channel_audience() and not (
            partner.user_ids.filtered(lambda user: not user.share)
        )

    def _channel_audience(self):
        """The companies whose people a commissioning ticket serves (besides
        internal users): its contact's and the order's distributor's."""
        self.ensure_one()
        ticket = self.sudo()
        return (
            ticket.partner_id.commercial_partner_id
            | ticket.commissioning_distributor_id.commercial_partner_id
        )

    def _channel_keeps_recipients(self):
        # a portal user's message on any ticket goes to its followers only,
        # as on the portal's own route (fourteenth probe, P14-2)
        return True

    def _channel_keeps_messages(self):
        # the chatter of a commissioning ticket is its audit trail; other
        # tickets keep Odoo's rules (sixteenth probe, P16-B9)
        return any(self.sudo().mapped("is_commissioning"))

    def _message_subscribe(self, partner_ids=None, subtype_ids=None, customer_ids=None):
        # helpdesk_mgmt subscribes the author, To and Cc of a mail replying to
        # a ticket, and its portal rule lets followers read: on a
        # commissioning ticket only its audience and internal users follow,
        # whatever the path (mail gateway, Add Followers, a recipient).
        commissioning = self.sudo().filtered("is_commissioning")
        if not partner_ids or not commissioning:
            return super()._message_subscribe(
                partner_ids, subtype_ids, customer_ids=customer_ids
            )
        partners = self.env["res.partner"].sudo().browse(partner_ids)
        internal = partners.filtered(
            lambda partner: partner.user_ids.filtered(lambda user: not user.share)
        )
        audiences = {ticket: ticket._channel_audience() for ticket in commissioning}
        return channel_subscribe_kept(
            self,
            partner_ids,
            lambda ticket, partner: (
                ticket not in audiences
                or partner in internal
                or partner.commercial_partner_id in audiences[ticket]
            ),
            lambda tickets, kept_ids: super(HelpdeskTicket, tickets)._message_subscribe(
                kept_ids, subtype_ids, customer_ids=customer_ids
            ),
        )

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        # A pid/hash pair of a ticket's mail posts in its chatter as its
        # partner: on a commissioning ticket, judged when it is used (as on
        # orders, invoices and subscriptions).
        thread = super()._get_thread_with_access(thread_id, mode=mode, **kwargs)
        return channel_thread_by_pid(self, thread, thread_id, mode, kwargs)

    # ------------------------------------------------------------------
    # Commissioning tickets created in batches
    # ------------------------------------------------------------------

    def _message_auto_subscribe(self, updated_values, followers_existing_policy="skip"):
        # While commissioning tickets are created together, mail's creation
        # subscribes each ticket on its own (one query per ticket for its
        # team's followers); they are subscribed for the batch afterwards.
        deferred = self.env.context.get("commissioning_deferred_subscriptions")
        if isinstance(deferred, CommissioningDeferredSubscriptions):
            deferred.append((self, updated_values, followers_existing_policy))
            return True
        return super()._message_auto_subscribe(
            updated_values, followers_existing_policy=followers_existing_policy
        )

    @api.model
    def _commissioning_create_batch(self, vals_list):
        """Create tickets as ``create`` does, with the per-ticket work of mail
        and helpdesk done for the batch: the ticket numbers drawn together,
        the tickets subscribed to their team's followers (and their
        assignee) by groups of tickets with the same team and assignee."""
        numbers = self._commissioning_ticket_numbers(
            [vals for vals in vals_list if vals.get("number", "/") == "/"]
        )
        if numbers:
            numbers = iter(numbers)
            vals_list = [
                dict(vals, number=next(numbers))
                if vals.get("number", "/") == "/"
                else vals
                for vals in vals_list
            ]
        deferred = CommissioningDeferredSubscriptions()
        tickets = self.with_context(
            commissioning_deferred_subscriptions=deferred
        ).create(vals_list)
        self.browse()._commissioning_auto_subscribe(deferred)
        return tickets.with_env(self.env)

    @api.model
    def _commissioning_auto_subscribe(self, deferred):
        """Run the deferred auto-subscriptions, once per group of tickets
        whose values drive it alike (the fields of the subtypes' relations,
        the team, and the assignee)."""
        relations = self.env["mail.message.subtype"]._get_auto_subscription_subtypes(
            self._name
        )[4]
        keys = sorted({"user_id"}.union(*relations.values()))
        groups = {}
        for tickets, values, policy in deferred:
            key = (policy, tuple(str(values.get(fname)) for fname in keys))
            if key in groups:
                groups[key][0] |= tickets
            else:
                groups[key] = [tickets, values, policy]
        for tickets, values, policy in groups.values():
            tickets.with_context(
                commissioning_deferred_subscriptions=None
            )._message_auto_subscribe(values, followers_existing_policy=policy)

    @api.model
    def _commissioning_ticket_numbers(self, vals_list):
        """Numbers for new tickets of ``vals_list`` (one company), drawn from
        helpdesk's sequence in one query; None when an addon numbers tickets
        its own way (it extends ``_prepare_ticket_number``): each ticket then
        draws its own."""
        if not vals_list:
            return None
        owners = {
            getattr(cls, "_module", None)
            for cls in type(self).mro()
            if "_prepare_ticket_number" in vars(cls)
        }
        if owners != {"helpdesk_mgmt"}:
            return None
        company = vals_list[0].get("company_id") or self.env.company.id
        if any((vals.get("company_id") or company) != company for vals in vals_list):
            return None
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [
                    ("code", "=", "helpdesk.ticket.sequence"),
                    ("company_id", "in", [company, False]),
                ],
                order="company_id",
                limit=1,
            )
        )
        if not sequence:
            return None
        if sequence.implementation != "standard" or sequence.use_date_range:
            return [sequence._next() for _vals in vals_list]
        # What ir.sequence's standard implementation draws, for all at once.
        self.env.cr.execute(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                f"ir_sequence_{sequence.id:03d}",
                len(vals_list),
            )
        )
        return [
            sequence.get_next_char(value)
            for value in sorted(row[0] for row in self.env.cr.fetchall())
        ]

    def _commissioning_subscribe(self, partners_by_ticket):
        """Subscribe ``{ticket id: partners}`` with the default subtypes, as
        ``message_subscribe`` does (active partners only, existing followers
        kept), for all the tickets at once (it costs five queries a call)."""
        partners = self.env["res.partner"].sudo().union(*partners_by_ticket.values())
        if not partners:
            return
        Followers = self.env["mail.followers"].sudo()
        existing = {
            (res_id, partner_id)
            for _fol, res_id, partner_id, _subtypes in Followers._get_subscription_data(
                [(self._name, list(partners_by_ticket))], partners.ids
            )
        }
        default, _internal, external = self.env[
            "mail.message.subtype"
        ].default_subtypes(self._name)
        vals_list = [
            {
                "res_model": self._name,
                "res_id": ticket_id,
                "partner_id": partner.id,
                "subtype_ids": [
                    Command.set((external if partner.partner_share else default).ids)
                ],
            }
            for ticket_id, ticket_partners in partners_by_ticket.items()
            for partner in ticket_partners.sudo()
            if partner.active and (ticket_id, partner.id) not in existing
        ]
        if vals_list:
            Followers.with_context(default_partner_id=False).create(vals_list)
