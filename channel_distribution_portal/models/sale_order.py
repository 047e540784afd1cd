# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import uuid

import psycopg2

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round, plaintext2html

# Portal order entry: the largest quantity and number of lines accepted.
PORTAL_MAX_QUANTITY = 10000
PORTAL_MAX_LINES = 100
# The distributor's note is free text; bound it like the other fields.
PORTAL_MAX_NOTE = 4000
# The cursor's cache (out of reach of RPC, unlike the context): the default
# sales team a portal submission looked up for its salesperson, by (user,
# companies, company), while the submission runs: the new order, whose team
# Odoo would search again by the same rule, takes it.
DEFAULT_TEAM = "channel_portal_default_team"
# The cursor's cache, while a portal submission creates its order: what the
# computes of the new lines search once for all of them instead of once per
# line (``sale.order.line`` of this addon), for the time of each compute.
NEW_LINES = "channel_portal_new_lines"


class SaleOrder(models.Model):
    """Order entry by a distributor's portal users. The controller only
    parses the form; every rule lives here."""

    _inherit = "sale.order"

    channel_portal_token = fields.Char(
        copy=False,
        readonly=True,
        help="Token of the portal form that created this order: a second "
        "submission of the same form finds this order instead of creating one.",
    )
    channel_portal_note = fields.Text(
        string="Distributor Note",
        copy=False,
        groups="base.group_user",
        help="The note the distributor typed on the portal (plain text).",
    )

    _sql_constraints = [
        (
            "channel_portal_token_uniq",
            "unique(distributor_id, channel_portal_token)",
            "This portal form was already submitted.",
        ),
    ]

    @api.model
    def _channel_stored_kept(self):
        # the portal form's replay token: set with the order it created
        return (*super()._channel_stored_kept(), "channel_portal_token")

    def _channel_portal_shows_internal(self):
        """Whether the current user may see the order's channel data that
        is internal to the vendor and the distributor (the distributor's
        note, commission): the vendor's users and the order's distributor."""
        self.ensure_one()
        user = self._channel_portal_user()
        if user._is_internal():
            return True
        return (
            user._is_portal()
            and user.partner_id.commercial_partner_id == self.sudo().distributor_id
        )

    @api.model
    def _channel_portal_max_quantity(self):
        return PORTAL_MAX_QUANTITY

    @api.model
    def _channel_portal_check_quantity(self, product, quantity):
        """The quantity of ``product`` a portal user gives, as the order
        will hold it (rounded to the product's unit): a number more than 0
        and at most the portal's maximum, else a UserError."""
        maximum = self._channel_portal_max_quantity()
        valid = isinstance(quantity, int | float) and not isinstance(quantity, bool)
        if valid and 0 < quantity <= maximum:
            # a quantity that rounds to nothing in the product's unit is no
            # quantity
            quantity = float_round(quantity, precision_rounding=product.uom_id.rounding)
        if not valid or not 0 < quantity <= maximum:
            raise UserError(
                self.env._(
                    "The quantity of %(product)s must be more than 0 and at "
                    "most %(max)s.",
                    product=product.display_name,
                    max=maximum,
                )
            )
        return float(quantity)

    @api.model
    def _channel_portal_products_domain(self, company):
        return [
            ("channel_available", "=", True),
            ("sale_ok", "=", True),
            ("active", "=", True),
            ("company_id", "in", [False, company.id]),
        ]

    @api.model
    def _channel_portal_get_products(self, company, product_ids=None):
        """The products a distributor may order on the portal; with
        ``product_ids``, those of them only (what a submission names: the
        rest of the catalogue is not read)."""
        domain = self._channel_portal_products_domain(company)
        order = "name"
        if product_ids is not None:
            domain = [*domain, ("id", "in", list(product_ids))]
            order = "id"
        return (
            self.env["product.product"]
            .sudo()
            .with_company(company)
            .search(domain, order=order)
        )

    @api.model
    def _channel_portal_check_values(self, distributor, values, company):
        """Validate the portal form against the server's data.

        :param distributor: the commercial partner of the logged-in user
        :param values: dict with ``end_customer_id`` (int), ``lines`` (list of
            ``{"product_id": int, "quantity": float}``), ``client_order_ref``
            and ``note`` (str)
        :return: (end customer, [(product, quantity)])
        :raise UserError: with a message fit for the portal form
        """
        if not distributor.is_distributor:
            raise UserError(self.env._("Only distributors can enter orders here."))
        customer = self.env["res.partner"]
        if values.get("end_customer_id"):
            customer = distributor._channel_portal_end_customers(
                [("id", "=", values["end_customer_id"])]
            )
        if not customer:
            raise UserError(self.env._("Choose one of your end customers."))
        if len(values.get("note") or "") > PORTAL_MAX_NOTE:
            raise UserError(
                self.env._(
                    "The note has at most %(count)s characters.", count=PORTAL_MAX_NOTE
                )
            )
        lines = values.get("lines") or []
        if not lines:
            raise UserError(self.env._("Add at least one product."))
        if len(lines) > PORTAL_MAX_LINES:
            raise UserError(
                self.env._(
                    "An order has at most %(count)s lines.", count=PORTAL_MAX_LINES
                )
            )
        # the products the lines name (ids of records only), if the portal
        # offers them
        named = [line.get("product_id") for line in lines]
        products = self._channel_portal_get_products(
            company,
            product_ids={
                product_id
                for product_id in named
                if type(product_id) is int and 0 < product_id < 2**31
            },
        )
        checked = []
        by_id = {product.id: product for product in products}
        for line in lines:
            product = by_id.get(line.get("product_id"))
            if not product:
                raise UserError(self.env._("Choose the products from the list."))
            quantity = self._channel_portal_check_quantity(
                product, line.get("quantity")
            )
            checked.append((product, quantity))
        return customer, checked

    @api.model
    def _channel_portal_prepare_order_vals(self, distributor, customer, lines, values):
        """Values of the order; prices, taxes and role are left to the server."""
        vals = {
            "distributor_id": distributor.id,
            "end_customer_id": customer.id,
            # The distributor's defaults: the portal cannot choose.
            "financial_role": distributor.channel_financial_role or "distributor",
            "business_role": distributor.channel_business_role or "end_customer",
            "client_order_ref": (values.get("client_order_ref") or "").strip()[:64]
            or False,
            "channel_portal_note": (values.get("note") or "").strip() or False,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": quantity})
                for product, quantity in lines
            ],
        }
        salesperson = self._channel_portal_salesperson(distributor)
        if salesperson:
            vals["user_id"] = salesperson.id
        return vals

    @api.model
    def _channel_portal_salesperson(self, distributor):
        """The salesperson of a portal order: the distributor's, else the
        channel's default one of the settings, else the leader of the
        default sales team; an order without one is seen by every salesman
        whose rights are "own documents"."""
        company = self.env.company
        if distributor.user_id:
            return distributor.user_id
        if company.channel_portal_user_id:
            return company.channel_portal_user_id
        Team = self.env["crm.team"].sudo().with_company(company)
        team = Team._get_default_team_id(
            domain=self.env["crm.team"]._check_company_domain(company)
        )
        known = self.env.cr.cache.get(DEFAULT_TEAM)
        if known is not None:
            known[self._channel_portal_team_key(Team.env, company)] = team.id
        return team.user_id

    @api.model
    def _channel_portal_team_key(self, env, company):
        """What Odoo's default team depends on besides the teams: the user,
        the companies of the environment and the order's company."""
        return (env.uid, tuple(env.companies.ids), company.id)

    def _compute_team_id(self):
        # A portal submission looked the default team up for the order's
        # salesperson: an order left without salesperson nor team gets the
        # team Odoo's compute would search again with the same user,
        # companies and company (``_get_default_team_id`` without a user).
        known = self.env.cr.cache.get(DEFAULT_TEAM)
        if not known or self.env.context.get("default_team_id"):
            return super()._compute_team_id()
        done = self.browse()
        for order in self:
            key = self._channel_portal_team_key(self.env, order.company_id)
            if key in known and not order.user_id and not order.team_id:
                order.team_id = self.env["crm.team"].browse(known[key])
                done |= order
        return super(SaleOrder, self - done)._compute_team_id()

    @api.model
    def _channel_portal_price_lines(self, distributor, values, company):
        """Price the draft lines of the portal form without writing anything.

        :return: dict with a ``lines`` list (product, quantity, list price,
            unit price, discount against the list price, taxes, subtotal) and
            the order's totals, amounts as numbers and formatted strings
        """
        customer, lines = self._channel_portal_check_values(
            distributor, values, company
        )
        vals = self._channel_portal_prepare_order_vals(
            distributor, customer, lines, values
        )
        vals["company_id"] = company.id
        order = self.sudo().with_company(company).new(vals)
        return order._channel_portal_summary()

    def _channel_portal_summary(self):
        self.ensure_one()
        currency = self.currency_id

        def fmt(amount):
            return currency.format(amount) if currency else str(amount)

        lines = []
        for line in self.order_line.filtered(lambda x: not x.display_type):
            list_price = line._channel_list_subtotal() / (line.product_uom_qty or 1.0)
            net = line.price_unit * (1 - (line.discount or 0.0) / 100.0)
            discount = (1 - net / list_price) * 100 if list_price else 0.0
            lines.append(
                {
                    "product_id": line.product_id.id,
                    "product": line.product_id.display_name,
                    "quantity": line.product_uom_qty,
                    "list_price": list_price,
                    "list_price_fmt": fmt(list_price),
                    "price_unit": net,
                    "price_unit_fmt": fmt(net),
                    "discount": round(discount, 2),
                    "taxes": ", ".join(line.tax_id.mapped("name")),
                    "price_subtotal": line.price_subtotal,
                    "price_subtotal_fmt": fmt(line.price_subtotal),
                }
            )
        return {
            "currency": currency.name,
            "lines": lines,
            "amount_untaxed": self.amount_untaxed,
            "amount_untaxed_fmt": fmt(self.amount_untaxed),
            "amount_tax": self.amount_tax,
            "amount_tax_fmt": fmt(self.amount_tax),
            "amount_total": self.amount_total,
            "amount_total_fmt": fmt(self.amount_total),
        }

    @api.model
    def _channel_portal_create_order(self, distributor, values, company, author=None):
        """Create (and maybe confirm) the order a distributor submitted.

        Runs as superuser once every check passed. A second submission of the
        same form (same ``token``) returns the order of the first one.
        """
        token = (values.get("token") or "").strip()[:64]
        if not token:
            raise UserError(
                self.env._("The form expired: reload the page and try again.")
            )
        Order = self.sudo().with_company(company)
        existing = Order.search(
            [
                ("distributor_id", "=", distributor.id),
                ("channel_portal_token", "=", token),
            ],
            limit=1,
        )
        if existing:
            return existing
        customer, lines = self._channel_portal_check_values(
            distributor, values, company
        )
        # The default team looked up for the salesperson is told to the
        # order's creation, and its new lines' computes search once for all
        # the lines (``NEW_LINES``), for the time of the creation only.
        self.env.cr.cache[DEFAULT_TEAM] = {}
        self.env.cr.cache[NEW_LINES] = {}
        try:
            vals = Order._channel_portal_prepare_order_vals(
                distributor, customer, lines, values
            )
            vals.update(
                {
                    "channel_source": "portal",
                    "channel_portal_token": token,
                    "company_id": company.id,
                    # The page the submission leads to needs the order's
                    # access token (``get_portal_url``): made with the order,
                    # not written by a second UPDATE after it.
                    "access_token": str(uuid.uuid4()),
                }
            )
            with self.env.cr.savepoint():
                # Its creation is logged with the distributor's note
                # (``_channel_portal_notify``): one message, not two.
                order = (
                    Order.with_context(mail_create_nolog=True)
                    .create(vals)
                    .with_env(Order.env)
                )
                self.env.cr.cache.pop(DEFAULT_TEAM, None)
                self.env.cr.cache.pop(NEW_LINES, None)
                if order._channel_portal_confirms():
                    order.action_confirm()
        except psycopg2.IntegrityError as error:
            raise UserError(self.env._("This order was already submitted.")) from error
        finally:
            self.env.cr.cache.pop(DEFAULT_TEAM, None)
            self.env.cr.cache.pop(NEW_LINES, None)
        order._channel_portal_notify(author, created=True)
        return order

    def _channel_portal_confirms(self):
        """Whether the distributor's submission confirms this order: with
        *Confirm Distributor Orders*, an order invoiced to the distributor
        (resale). One invoiced to its end customer (agency) commits that
        customer: it stays a quotation the vendor sends and the end
        customer signs, as it signs for more on a running subscription
        (sixteenth probe, P16-5: an agency distributor's submission billed
        its end customer for an order it never signed)."""
        self.ensure_one()
        return bool(
            self.company_id.channel_portal_confirm
            and self.financial_role == "distributor"
        )

    def _channel_portal_is_editable(self, distributor):
        self.ensure_one()
        return (
            self.distributor_id == distributor
            and self.channel_source == "portal"
            and self.state == "draft"
        )

    def _channel_portal_update_order(self, distributor, values, author=None):
        """Replace the lines and texts of a portal quotation still in draft."""
        self.ensure_one()
        if not self._channel_portal_is_editable(distributor):
            raise UserError(
                self.env._("This order cannot be changed any more: contact the vendor.")
            )
        customer, lines = self._channel_portal_check_values(
            distributor, values, self.company_id
        )
        vals = self._channel_portal_prepare_order_vals(
            distributor, customer, lines, values
        )
        vals.pop("user_id", None)
        # A signature was given for what the order said before.
        vals.update({"signature": False, "signed_by": False, "signed_on": False})
        vals["order_line"] = [
            Command.delete(line.id) for line in self.order_line
        ] + vals["order_line"]
        with self.env.cr.savepoint():
            self.sudo().write(vals)
        self._channel_portal_notify(author, created=False)
        return True

    def _channel_portal_notify(self, author=None, created=True):
        """Tell sales: a note in the chatter and an activity. A new order's
        note is its creation message (made without one): logged, as a
        creation is, in one message."""
        self.ensure_one()
        order = self.sudo()
        if created:
            body = plaintext2html(order._creation_message()) + plaintext2html(
                self.env._(
                    "Entered by the distributor on the portal (reference: %(ref)s).",
                    ref=order.client_order_ref or "-",
                )
            )
        else:
            body = plaintext2html(
                self.env._("Changed by the distributor on the portal.")
            )
        if order.channel_portal_note:
            body += plaintext2html(order.channel_portal_note)
        author_id = author.id if author else None
        if created:
            order._message_log(body=body, author_id=author_id, message_type="comment")
        else:
            order.message_post(
                body=body,
                author_id=author_id,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        responsible = order.user_id or order.distributor_id.user_id
        if responsible and created:
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=responsible.id,
                summary=self.env._("Check the distributor's portal order"),
            )
