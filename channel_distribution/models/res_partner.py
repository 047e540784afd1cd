# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import clean_context, email_normalize_all

from ..tools import (
    channel_access_first,
    channel_field_labels,
    channel_url_without_token,
)


def _channel_name_key(name):
    """``name`` as a reader takes it: case and spaces aside."""
    return " ".join((name or "").split()).casefold()


# Fields that decide a distributor's terms: only channel managers change them.
CHANNEL_MANAGER_FIELDS = [
    "is_distributor",
    "distributor_tier_id",
    "channel_financial_role",
    "channel_business_role",
]
# Fields of a distributor itself that only channel managers change (the same
# fields of other partners stay Odoo's): its salesperson, who gets its portal
# orders (the portal's _channel_portal_salesperson), and whether it is
# archived.
DISTRIBUTOR_MANAGER_FIELDS = ["user_id", "active"]
# A distributor's price book: its own pricelist, checked against the tier's
# (ResPartner._channel_changes_price_book).
PRICE_BOOK_FIELDS = (
    "property_product_pricelist",
    "specific_property_product_pricelist",
)

# A channel partner's financial terms: its channel orders and consolidated
# invoices take them (taxes, due dates, prices). Set by channel managers and
# accounting managers (a distributor's price book: by channel managers,
# ResPartner._channel_changes_price_book).
FINANCIAL_TERMS_FIELDS = (
    "property_account_position_id",
    "property_payment_term_id",
    # the terms of its vendor bills (a distributor's commission payout)
    "property_supplier_payment_term_id",
    # the accounting of its vendor bills and payments: the account they
    # owe it on, the payment method its payments take and whether its bills
    # are posted unreviewed (twelfth probe, P12-8: an asset account as
    # payable stopped the commission settlement)
    "property_account_payable_id",
    "property_inbound_payment_method_line_id",
    "property_outbound_payment_method_line_id",
    "autopost_bills",
    *PRICE_BOOK_FIELDS,
)
FINANCIAL_TERMS_GROUPS = (
    "channel_distribution.group_channel_manager",
    "account.group_account_manager",
)

FINANCIAL_ROLES = [
    ("distributor", "Distributor (resale)"),
    ("end_customer", "End customer (agency)"),
]
BUSINESS_ROLES = [
    ("end_customer", "End customer"),
    ("distributor", "Distributor (white label)"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_distributor = fields.Boolean(
        index=True,
        help="This company resells the vendor's products to end customers.",
    )
    distributor_tier_id = fields.Many2one(
        "channel.distributor.tier",
        index=True,
        tracking=True,
        help="The tier gives its price book to distributors that have none of "
        "their own.",
    )
    channel_financial_role = fields.Selection(
        FINANCIAL_ROLES,
        string="Invoiced Party",
        default="distributor",
        help="Default financial counterparty of the orders this distributor "
        "raises: the distributor itself (resale) or the end customer (agency).",
    )
    # Not required: an empty value (rows older than the field) means the end
    # customer, the default.
    channel_business_role = fields.Selection(
        BUSINESS_ROLES,
        string="Served Party",
        default="end_customer",
        help="Default business counterparty of the orders this distributor "
        "raises: the end customer, served by the vendor, or the distributor "
        "itself, which runs first-line service (white label): the vendor's "
        "set-up and service contact are then the distributor.",
    )
    distributor_id = fields.Many2one(
        "res.partner",
        string="Managing Distributor",
        domain=[("is_distributor", "=", True)],
        index=True,
        tracking=True,
        help="The distributor that manages this end customer.",
    )
    end_customer_ids = fields.One2many(
        "res.partner",
        "distributor_id",
        string="End Customers",
        domain=[("parent_id", "=", False)],
    )
    channel_pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Price Book",
        compute="_compute_channel_pricelist_id",
        help="The distributor's own pricelist, or else the one of its tier.",
    )
    end_customer_count = fields.Integer(compute="_compute_channel_counts")
    distributor_order_count = fields.Integer(compute="_compute_channel_counts")
    distributor_commission = fields.Monetary(
        string="Channel Commission",
        compute="_compute_channel_counts",
        currency_field="currency_id",
        help="Commission earned on the confirmed orders of this distributor.",
    )

    @api.depends(
        "is_distributor",
        "distributor_tier_id.pricelist_id",
        "specific_property_product_pricelist",
    )
    @api.depends_context("company")
    def _compute_product_pricelist(self):
        # A distributor on a tier without a pricelist of its own gets its
        # tier's book: Odoo's default (searched by country) is not looked up
        # for it.
        tiered = self.filtered(
            lambda partner: partner.is_distributor
            and partner.distributor_tier_id.pricelist_id
            and not partner.specific_property_product_pricelist
        )
        res = super(ResPartner, self - tiered)._compute_product_pricelist()
        for partner in tiered:
            partner.property_product_pricelist = (
                partner.distributor_tier_id.pricelist_id
            )
        return res

    @api.depends(
        "is_distributor",
        "distributor_tier_id.pricelist_id",
        "specific_property_product_pricelist",
    )
    @api.depends_context("company")
    def _compute_channel_pricelist_id(self):
        for partner in self:
            commercial = partner.commercial_partner_id
            partner.channel_pricelist_id = (
                commercial.specific_property_product_pricelist
                or commercial.distributor_tier_id.pricelist_id
            )

    def _compute_channel_counts(self):
        distributors = self.filtered("is_distributor")
        (self - distributors).update(
            {
                "end_customer_count": 0,
                "distributor_order_count": 0,
                "distributor_commission": 0.0,
            }
        )
        if not distributors:
            return
        customers = dict(
            self.env["res.partner"]._read_group(
                [("distributor_id", "in", distributors.ids), ("parent_id", "=", False)],
                ["distributor_id"],
                ["__count"],
            )
        )
        orders = {
            distributor: (count, commission)
            for distributor, count, commission in self.env["sale.order"]._read_group(
                [("distributor_id", "in", distributors.ids)],
                ["distributor_id"],
                ["__count", "channel_commission:sum"],
            )
        }
        confirmed = dict(
            self.env["sale.order"]._read_group(
                [("distributor_id", "in", distributors.ids), ("state", "=", "sale")],
                ["distributor_id"],
                ["channel_commission:sum"],
            )
        )
        for partner in distributors:
            partner.end_customer_count = customers.get(partner, 0)
            partner.distributor_order_count = orders.get(partner, (0, 0.0))[0]
            partner.distributor_commission = confirmed.get(partner, 0.0)

    @api.constrains("is_distributor", "is_company")
    def _check_distributor_is_company(self):
        for partner in self:
            if partner.is_distributor and not partner.is_company:
                raise ValidationError(
                    self.env._(
                        "%(partner)s cannot be a distributor: only companies can "
                        "be distributors.",
                        partner=partner.display_name,
                    )
                )

    @api.constrains("distributor_id")
    def _check_distributor_id(self):
        for partner in self.filtered("distributor_id"):
            distributor = partner.distributor_id
            if not distributor.is_distributor:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is not flagged as a distributor.",
                        partner=distributor.display_name,
                    )
                )
            if distributor.commercial_partner_id == partner.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "%(partner)s cannot be its own managing distributor.",
                        partner=partner.display_name,
                    )
                )

    @api.constrains("name")
    def _check_channel_portal_user_name(self):
        """A portal user's name is none of the vendor's users' (case and
        spaces aside): a distributor's user renamed itself as the vendor's
        admin (``res.users.write``; *My Account* writes the partner as
        superuser) and wrote in a commissioning ticket's chatter, which its
        end customer reads, under the admin's name (sixteenth probe,
        P16-3). The vendor's users, and partners without a portal login,
        keep any name."""
        portal = self.sudo().filtered(
            lambda partner: partner.user_ids and all(partner.user_ids.mapped("share"))
        )
        if not portal:
            return
        internal = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("share", "=", False)])
        )
        taken = {_channel_name_key(name) for name in internal.mapped("name")}
        for partner in portal:
            if _channel_name_key(partner.name) in taken - {""}:
                raise ValidationError(
                    self.env._(
                        "%(name)s is the name of one of the vendor's users: "
                        "a portal user goes by its own name.",
                        name=partner.name,
                    )
                )

    @api.onchange("property_product_pricelist", "is_distributor", "parent_id")
    def _onchange_channel_price_book_warning(self):
        pricelist = self.property_product_pricelist
        if (
            pricelist.is_channel_price_book
            and not self.is_distributor
            and not self.parent_id.commercial_partner_id.is_distributor
        ):
            return {
                "warning": {
                    "title": self.env._("A distributor's price book"),
                    "message": self.env._(
                        "%(pricelist)s is a price book of the distribution "
                        "channel, and %(partner)s is not a distributor: its "
                        "orders will get a distributor's prices.",
                        pricelist=pricelist.display_name,
                        partner=self.display_name or self.env._("this contact"),
                    ),
                }
            }

    @api.model_create_multi
    def create(self, vals_list):
        # the context's defaults are values of the new partners too
        checked = [self._channel_with_context_defaults(vals) for vals in vals_list]
        if any(
            vals.get("is_distributor") or vals.get("distributor_tier_id")
            for vals in checked
        ):
            self._check_channel_manager()
        if any(self._channel_sets_managing_distributor(vals) for vals in checked):
            self._check_channel_user()
        financial = self._channel_financial_terms_fields()
        for vals in vals_list:
            full = self._channel_terms_with_context_defaults(vals, financial)
            if self._channel_terms_given(full, financial) and self._channel_terms_scope(
                full
            ):
                self._channel_check_financial_terms_user(full)
        # existing partners put under the new ones (their own write checks
        # the channel; a login is refused here, before anything is created)
        self._channel_check_moves_logins(
            self.browse(
                [
                    partner_id
                    for vals in vals_list
                    for partner_id in self._channel_linked_child_ids(vals)
                ]
            )
        )
        partners = super().create(vals_list)
        partners._channel_check_commercial_entity_given(checked)
        distributors = partners.filtered("is_distributor")
        if distributors:
            Pricelist = self.env["product.pricelist"]
            Pricelist._channel_refresh_price_books(
                Pricelist._get_channel_distributor_pricelist_ids(distributors)
            )
        return partners

    @channel_access_first("write")
    def write(self, vals):
        # the partners whose channel terms the write changes: the user must
        # work in the companies of their channel business
        terms_of = self.browse()
        changing = [name for name in self._channel_manager_fields() if name in vals]
        if changing and any(
            partner._fields[name].convert_to_write(partner[name], partner) != vals[name]
            for partner in self
            for name in changing
        ):
            self._check_channel_manager()
            terms_of |= self
        if self._channel_changes_price_book(vals):
            self._check_channel_manager()
        own = [n for n in self._channel_distributor_manager_fields() if n in vals]
        distributors = self.sudo().filtered("is_distributor")
        if own and distributors._channel_terms_changed(vals, own):
            self._check_channel_manager()
            terms_of |= self.browse(distributors.ids)
        self._channel_check_financial_terms_write(vals)
        if "tz" in vals and not self.env.su:
            self._channel_check_company_tz_write(vals["tz"])
        if "commercial_partner_id" in vals:
            self._channel_check_commercial_entity_write(vals)
        # its normalized copy too: incoming mail is matched to the partner by it
        for name in ("email", "email_normalized"):
            if name in vals:
                self._channel_check_login_email_write(vals[name], name)
                self._channel_check_own_email_write(vals[name])
                terms_of |= self._channel_check_company_email_write(vals[name], name)
        moves = self._channel_moves(vals)
        self._channel_check_moves_logins(
            self.browse([partner.id for partner, __ in moves])
        )
        changes_distributor = self._channel_changes_managing_distributor(vals)
        moves_in_channel = self._channel_moves_in_channel(moves)
        if changes_distributor or moves_in_channel:
            self._check_channel_user()
        if moves_in_channel:
            terms_of |= self._channel_moved_parties(moves)
        if "company_id" in vals:
            self._channel_check_company_write(vals["company_id"])
        terms_of |= self._channel_terms_changed_of(vals)
        if changes_distributor:
            terms_of |= self
            self._channel_check_distributor_companies(vals["distributor_id"])
        terms_of._channel_check_user_companies()
        if "is_company" in vals and not vals["is_company"]:
            self._channel_check_stays_company(vals)
        books_before = self._channel_price_books_before_write(vals)
        res = super().write(vals)
        if books_before is not None:
            Pricelist = self.env["product.pricelist"]
            Pricelist._channel_refresh_price_books(
                books_before | Pricelist._get_channel_distributor_pricelist_ids(self)
            )
        return res

    def _channel_price_books_before_write(self, vals):
        """The pricelists of these partners (every company) before a write
        that may make them price books or ordinary pricelists again; None
        when the write changes nothing of the kind."""
        if "is_distributor" not in vals and not (
            {"property_product_pricelist", "specific_property_product_pricelist"}
            & set(vals)
            and any(self.mapped("is_distributor"))
        ):
            return None
        return self.env["product.pricelist"]._get_channel_distributor_pricelist_ids(
            self
        )

    @api.model
    def _channel_manager_fields(self):
        """Fields of a distributor's terms, writable by channel managers only."""
        return list(CHANNEL_MANAGER_FIELDS)

    @api.model
    def _channel_company_terms_fields(self):
        """Hook: every channel term of a partner (a field), whoever sets it:
        on a partner of the channel (a distributor, an end customer managed
        by one, their contacts) it is changed by a user working in every
        company of its channel business (``_channel_check_user_companies``),
        stored per company or not (fifteenth probe, P15-4: the second
        company's channel manager set the first's distributor's vendor bills
        to post unreviewed). Here the channel manager's fields, the
        financial terms and the partner's company; an addon adds its own
        terms (super() and more)."""
        return (
            set(self._channel_manager_fields())
            | set(self._channel_financial_terms_fields())
            | {"company_id"}
        )

    def _channel_terms_changed_of(self, vals):
        """These partners of the channel whose channel terms (the hook's)
        ``vals`` changes."""
        names = self._channel_company_terms_fields() & set(vals)
        if not names:
            return self.browse()
        changed = self.sudo().filtered(
            lambda partner: partner._channel_terms_scope(vals)
            and partner._channel_terms_changed(vals, names)
        )
        return self.browse(changed.ids)

    @api.model
    def _channel_distributor_manager_fields(self):
        """Fields that only channel managers change on a distributor (on
        other partners, whoever edits contacts): its salesperson and its
        archiving. A new distributor is a channel manager's already."""
        return list(DISTRIBUTOR_MANAGER_FIELDS)

    def _channel_changes_price_book(self, vals):
        """Whether ``vals`` gives one of these distributors another price
        book: its own pricelist (the pricelist field of the form, or the
        company's one underneath), else its tier's. Making a partner a
        distributor is a channel manager's already."""
        names = [name for name in PRICE_BOOK_FIELDS if name in vals]
        if not names:
            return False
        Pricelist = self.env["product.pricelist"].sudo()
        for partner in self.sudo().filtered("is_distributor"):
            tier_book = partner.distributor_tier_id.pricelist_id
            book = partner.specific_property_product_pricelist or tier_book
            for name in names:
                if (Pricelist.browse(vals[name] or []) or tier_book) != book:
                    return True
        return False

    # ------------------------------------------------------------------
    # Terms of channel partners: the financial ones here (fiscal position,
    # payment terms, price book), the credit ones in _credit
    # ------------------------------------------------------------------

    @api.model
    def _channel_financial_terms_fields(self):
        """The financial terms of a channel partner (hook): what its
        channel orders, consolidated invoices and subscriptions take from
        it: the fiscal position (taxes), the payment terms (due dates) and
        the price book."""
        return set(FINANCIAL_TERMS_FIELDS)

    @api.model
    def _get_channel_term_groups(self, name):
        """Hook: the groups whose users set the term ``name`` (a field) of
        the channel's partners: channel and accounting managers (the
        financial terms'). An addon extends it for its own terms (super()
        and more groups, or groups of their own)."""
        return FINANCIAL_TERMS_GROUPS

    @api.model
    def _channel_may_set_terms(self, names):
        """Whether the current user sets each of the terms ``names`` of the
        channel's partners (the superuser every one): the one rule of who
        changes a channel partner's terms."""
        if self.env.su:
            return True
        user = self.env.user
        return all(
            any(user.has_group(group) for group in self._get_channel_term_groups(name))
            for name in names
        )

    @api.model
    def _channel_may_set_financial_terms(self):
        """Whether the current user sets the financial terms of channel
        partners."""
        return self._channel_may_set_terms(self._channel_financial_terms_fields())

    def _channel_check_financial_terms_user(self, vals):
        if self._channel_may_set_financial_terms():
            return
        names = sorted(self._channel_financial_terms_fields() & set(vals))
        raise AccessError(
            self.env._(
                "The financial terms of a distributor, of its end customers and "
                "of their contacts (%(fields)s) are a channel manager's or an "
                "accounting manager's decision.",
                fields=self._channel_terms_labels(names),
            )
        )

    def _channel_check_bank_accounts_user(self):
        """The bank accounts of a channel partner (a distributor, an end
        customer managed by one, their contacts) are created, changed,
        trusted and deleted by those who set its financial terms: Odoo pays
        its vendor bills (a distributor's commission payout) and refunds to
        them (thirteenth probe, P13-10: a Contact Creation user added one to
        a distributor, its commission was paid there). Partners outside the
        channel keep Odoo's rules."""
        if self.env.su:
            return
        channel = self.sudo().filtered(lambda partner: partner._channel_is_party())
        if not channel:
            return
        if not self._channel_may_set_terms(["bank_ids"]):
            raise AccessError(
                self.env._(
                    "The bank accounts of a distributor, of its end customers "
                    "and of their contacts (%(partner)s) are a channel "
                    "manager's or an accounting manager's decision: its "
                    "commission payout and refunds are paid to them.",
                    partner=channel[0].display_name,
                )
            )
        # by a user of its companies (fifteenth probe, P15-4: the second
        # company's manager gave the first's distributor the account its
        # commission payout was paid to)
        self.browse(channel.ids)._channel_check_user_companies()

    def _channel_check_financial_terms_write(self, vals):
        """Financial terms written on a channel partner, or a partner with
        terms of its own made part of the channel (else terms set on a
        plain partner by whoever edits contacts would be laundered into the
        channel)."""
        financial = self._channel_financial_terms_fields()
        if self._channel_terms_changed(vals, financial) and (
            self.sudo()._channel_terms_scope(vals)
        ):
            self._channel_check_financial_terms_user(vals)
        refusal = self._channel_terms_entering_refusal(vals)
        if refusal:
            raise AccessError(refusal)

    def _channel_terms_entering_refusal(self, vals):
        """Why ``vals`` may not make one of these partners part of the
        channel (a distributor, an end customer managed by one, or their
        contact) for the current user: it has financial terms of its own.
        False when it may."""
        if self._channel_may_set_financial_terms():
            return False
        entering = self._channel_terms_entering(
            vals, self._channel_financial_terms_fields()
        )
        if not entering:
            return False
        partner, names = entering
        return self.env._(
            "%(partner)s has financial terms of its own (%(fields)s): making it "
            "part of the channel (a distributor, an end customer managed by one "
            "or their contact) is a channel manager's or an accounting "
            "manager's decision.",
            partner=partner.display_name,
            fields=self._channel_terms_labels(names),
        )

    @api.model
    def _channel_terms_labels(self, names):
        return channel_field_labels(self, sorted(names))

    @api.model
    def _channel_terms_with_context_defaults(self, vals, names):
        """``vals`` of a new partner with the context's defaults of
        ``names`` and of the fields that decide whether it is of the
        channel."""
        names = set(names) | {"is_distributor", "distributor_id", "parent_id"}
        context = self.env.context
        full = {
            name: context[f"default_{name}"]
            for name in names
            if f"default_{name}" in context
        }
        full.update(vals)
        return full

    @api.model
    def _channel_terms_anyway(self, names, vals=None):
        """What a new partner (of ``vals``: its country) gets anyway for
        each of ``names``, as a form sends it: the defaults without the
        context's, and the pricelist it computes (its country's, else the
        company's default)."""
        clean = self.with_context(clean_context(self.env.context))
        defaults = clean.default_get(list(names))
        anyway = {
            name: self._fields[name].convert_to_cache(
                defaults.get(name, False), self, validate=False
            )
            or False
            for name in names
        }
        if set(PRICE_BOOK_FIELDS) & set(names):
            country = (vals or {}).get("country_id") or False
            pricelist = clean.new({"country_id": country}).property_product_pricelist
            for name in PRICE_BOOK_FIELDS:
                anyway[name] = pricelist.id or False
        return anyway

    @api.model
    def _channel_term_is_own(self, name, value, anyway):
        """Whether ``value`` (as cached) of the term ``name`` is other than
        what a new partner gets anyway (``anyway``); no pricelist of its own
        is none either."""
        if name in PRICE_BOOK_FIELDS and not value:
            return False
        return (value or False) != anyway[name]

    @api.model
    def _channel_terms_given(self, vals, names):
        """Whether a new partner's ``vals`` set terms among ``names`` other
        than a new partner gets anyway (a form sends those too)."""
        names = set(names) & set(vals)
        if not names:
            return False
        anyway = self._channel_terms_anyway(names, vals)
        return any(
            self._channel_term_is_own(
                name,
                self._fields[name].convert_to_cache(vals[name], self, validate=False),
                anyway,
            )
            for name in names
        )

    def _channel_terms_changed(self, vals, names):
        """Whether ``vals`` change a term among ``names`` of one of these
        partners (a form that saves a term unchanged changes nothing)."""
        names = set(names) & set(vals)
        if not names:
            return False
        return any(
            partner._channel_term_changed(name, vals[name])
            for partner in self.sudo()
            for name in names
        )

    def _channel_term_changed(self, name, value):
        """Whether writing ``value`` (as written) to the term ``name``
        changes it on this partner (the related records of a many2many or
        one2many, whatever their order)."""
        self.ensure_one()
        field = self._fields[name]
        new = field.convert_to_cache(value, self, validate=False)
        if name in PRICE_BOOK_FIELDS:
            # the pricelist the partner gets: Odoo's inverse writes the one
            # it has as its own (a new partner's too)
            if new and new != self.property_product_pricelist.id:
                return True
            return bool(not new and self.specific_property_product_pricelist)
        old = field.convert_to_cache(self[name], self, validate=False)
        if field.type in ("many2many", "one2many"):
            return set(new or ()) != set(old or ())
        return (new or False) != (old or False)

    def _channel_terms_scope(self, vals):
        """Whether these partners (or the one ``vals`` creates) are of the
        channel, whose terms its orders and invoices take: a distributor or
        an end customer managed by one (the invoiced party of an agency
        order), their contacts, or what ``vals`` makes so."""
        if vals.get("is_distributor") or vals.get("distributor_id"):
            return True
        partners = self | self.browse(vals.get("parent_id") or []).sudo()
        return partners._channel_is_party()

    def _channel_is_party(self):
        """Whether one of these partners is a party of the channel: a
        distributor or an end customer managed by one (their commercial
        entity), or a contact of theirs."""
        return any(
            partner.commercial_partner_id.is_distributor
            or partner.commercial_partner_id.distributor_id
            for partner in self
        )

    def _channel_terms_entering(self, vals, names):
        """The first of these partners that ``vals`` makes part of the
        channel while it has terms among ``names`` of its own (other than a
        new partner gets): ``(partner, [names])``, or None."""
        if not (
            vals.get("is_distributor")
            or vals.get("distributor_id")
            or vals.get("parent_id")
        ):
            return None
        partners = self.sudo()
        entering = partners.filtered(lambda partner: not partner._channel_is_party())
        if not entering or not partners.browse()._channel_terms_scope(vals):
            return None
        for partner in entering:
            anyway = self._channel_terms_anyway(
                names, {"country_id": partner.country_id.id}
            )
            given = [
                name
                for name in sorted(names)
                if self._channel_term_is_own(
                    name,
                    partner._fields[name].convert_to_cache(
                        partner[name], partner, validate=False
                    ),
                    anyway,
                )
            ]
            if given:
                return partner, given
        return None

    def _channel_changes_managing_distributor(self, vals):
        """Whether ``vals`` gives an end customer a managing distributor
        (where it had none, or another one) or takes it away: the
        distributor then sees the customer and, on its portal, edits its
        contact data. A contact that takes its company's distributor only
        follows its company."""
        if "distributor_id" not in vals:
            return False
        new = vals["distributor_id"] or False
        return any(
            partner.distributor_id.id != new
            and not (
                partner.commercial_partner_id != partner
                and partner.commercial_partner_id.distributor_id.id == new
            )
            for partner in self.sudo()
        )

    # ------------------------------------------------------------------
    # Contact Creation: managing distributors and partners with a login
    # ------------------------------------------------------------------

    def _channel_moves(self, vals):
        """``[(partner, new parent)]``: the existing partners (as superuser)
        whose place ``vals`` changes: their parent (these partners', or the
        contacts it links or sets under them: One2many commands write the
        contact's parent, which checks it again) or their commercial entity
        (``is_company``)."""
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        moves = []
        if self:
            linked = Partner.browse(self._channel_linked_child_ids(vals))
            moves += [
                (child, Partner.browse(self[-1].id))
                for child in linked
                if child.parent_id.id not in self.ids
            ]
        if "parent_id" not in vals and "is_company" not in vals:
            return moves
        for partner in Partner.browse(self.ids):
            parent = (
                Partner.browse(vals["parent_id"] or [])
                if "parent_id" in vals
                else partner.parent_id
            )
            is_company = (
                vals["is_company"] if "is_company" in vals else partner.is_company
            )
            entity = (
                partner if is_company or not parent else parent.commercial_partner_id
            )
            if parent != partner.parent_id or entity != partner.commercial_partner_id:
                moves.append((partner, parent))
        return moves

    @api.model
    def _channel_moves_in_channel(self, moves):
        """Whether one of ``moves`` (``[(partner, new parent)]``) takes a
        partner into, out of or between the channel's companies: the
        partner or one of its contacts (at any depth), its company before
        or after (at any depth) is a distributor or has a managing
        distributor. The portal users of a company read what is under it
        (Odoo's ``child_of`` rules on partners, tickets, orders), and a
        contact takes its company's distributor: a channel user decides. A
        partner whose company changes between companies outside the channel
        moves as in Odoo."""
        if not moves:
            return False
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        moved = Partner.browse([partner.id for partner, __ in moves])
        involved = Partner.search([("id", "child_of", moved.ids)])
        companies = Partner.browse()
        for partner, parent in moves:
            companies |= partner.parent_id | parent
        if companies:
            involved |= Partner.search([("id", "parent_of", companies.ids)])
        return any(p.is_distributor or p.distributor_id for p in involved)

    @api.model
    def _channel_moved_parties(self, moves):
        """The parties of ``moves`` (``[(partner, new parent)]``): the moved
        partners, their commercial entities before, and their companies'
        after. A move between the channel's companies is decided by a user
        of the companies of their channel business (fifteenth probe, P15-3:
        the second company's channel user moved the first's end customer
        under its own distributor, whose portal then read it)."""
        parties = self.browse()
        for partner, parent in moves:
            parties |= self.browse(
                (
                    partner
                    | partner.commercial_partner_id
                    | parent.commercial_partner_id
                ).ids
            )
        return parties

    def _channel_check_company_write(self, company_id):
        """The company of a partner of the channel (a distributor, an end
        customer managed by one, their contacts) is a channel user's
        decision (fifteenth probe, P15-3: the second company's employees
        gave the first company's distributors its own company, whose users
        then read them no more). It is one the user works in, and one its
        channel business is all in (or none: shared by the companies)."""
        if self.env.su:
            return
        company = self.env["res.company"].sudo().browse(company_id or [])
        partners = self.sudo().filtered(
            lambda partner: partner.company_id != company
            and partner._channel_is_party()
        )
        if not partners:
            return
        self._check_channel_user()
        if company and company not in self.env.user.company_ids:
            raise UserError(
                self.env._(
                    "%(partner)s is a partner of the distribution channel: "
                    "only a user of %(company)s gives it that company.",
                    partner=partners[0].display_name,
                    company=company.display_name,
                )
            )
        if not company:
            return
        for partner in partners:
            # its own company is the one written; its company's stays
            entity = partner.commercial_partner_id
            others = partner._channel_companies() - partner.company_id - company
            if entity != partner:
                others |= entity.company_id - company
            if others:
                raise UserError(
                    self.env._(
                        "%(partner)s does business in %(companies)s: it belongs "
                        "to that company, or to none (shared by the companies).",
                        partner=partner.display_name,
                        companies=", ".join(others.mapped("name")),
                    )
                )

    def _channel_check_commercial_entity_write(self, vals):
        """A partner's commercial entity follows its company (``parent_id``,
        ``is_company``): written, it would give the partner (and the users
        of it and its contacts) another company's documents."""
        if self.env.su:
            return
        new = vals["commercial_partner_id"] or False
        if any(
            partner.commercial_partner_id.id != new
            for partner in self.sudo().with_context(active_test=False)
        ):
            raise UserError(
                self.env._(
                    "The commercial entity of a contact follows its company: "
                    "change its company instead."
                )
            )

    def _channel_check_commercial_entity_given(self, vals_list):
        """The same for new partners: a commercial entity given on create
        must be the one the partner's company gives it."""
        if self.env.su:
            return
        for partner, vals in zip(self.sudo(), vals_list, strict=True):
            if "commercial_partner_id" not in vals:
                continue
            expected = (
                partner
                if partner.is_company or not partner.parent_id
                else partner.parent_id.commercial_partner_id
            )
            if (vals["commercial_partner_id"] or False) not in (False, expected.id):
                raise UserError(
                    self.env._(
                        "The commercial entity of a contact follows its "
                        "company: give it a company instead."
                    )
                )

    @api.model
    @api.model
    def _channel_with_context_defaults(self, vals):
        """``vals`` with the ``default_*`` values of the context for the
        fields the channel's create checks read."""
        names = (
            "is_distributor",
            "distributor_tier_id",
            "distributor_id",
            "parent_id",
            "commercial_partner_id",
        )
        defaults = {
            name: self.env.context[f"default_{name}"]
            for name in names
            if name not in vals and self.env.context.get(f"default_{name}")
        }
        return dict(vals, **defaults) if defaults else vals

    def _channel_sets_managing_distributor(self, vals):
        """Whether a new partner of ``vals`` gets a managing distributor of
        its own (a contact that takes its company's only follows it)."""
        distributor_id = vals.get("distributor_id")
        if not distributor_id:
            return False
        parent = self.browse(vals.get("parent_id") or []).sudo()
        return parent.commercial_partner_id.distributor_id.id != distributor_id

    @api.model
    def _channel_linked_child_ids(self, vals):
        """Existing partners that ``vals`` puts under a company through its
        contacts (``child_ids`` links and sets)."""
        ids = []
        for command in vals.get("child_ids") or []:
            if not isinstance(command, list | tuple) or not command:
                continue
            if command[0] == Command.LINK:
                ids.append(command[1])
            elif command[0] == Command.SET:
                ids.extend(command[2] or [])
        return ids

    def _channel_check_login_email_write(self, email, field_name="email"):
        """The e-mail of a partner with a login (internal or portal,
        archived too) is its user's: a password reset goes there. Another
        e-mail is given by the administrators of users or the user itself,
        not by whoever edits contacts (the login would be taken over)."""
        if self.env.su or self.env.user.has_group("base.group_erp_manager"):
            return
        for partner in self.sudo().with_context(active_test=False):
            if (partner[field_name] or False) == (email or False):
                continue
            if partner.user_ids - self.env.user:
                raise UserError(
                    self.env._(
                        "%(partner)s has a login: only an administrator or its "
                        "user changes its e-mail (a password reset goes there).",
                        partner=partner.display_name,
                    )
                )

    def _channel_check_company_email_write(self, email, field_name="email"):
        """The e-mail of a company partner of the channel (a distributor, a
        managed end customer) is where the mails to the invoiced party go,
        with its invoices' access tokens: those who set the channel's terms
        change it (``_channel_may_set_terms``: channel and accounting
        managers), not whoever edits contacts (fifteenth probe, P15-8: an
        employee with Contact Creation pointed a distributor's e-mail at its
        own mailbox and opened its invoices). Its people's e-mails (its
        contacts, its portal users' own) keep their rules. The partners it
        changes: their companies' users decide (``terms_of``)."""
        if self.env.su:
            return self.browse()
        changed = self._channel_signup_companies().filtered(
            lambda partner: (partner[field_name] or False) != (email or False)
        )
        if changed and not self._channel_may_set_terms(["email"]):
            raise AccessError(
                self.env._(
                    "%(partner)s is a company of the distribution channel: its "
                    "e-mail, where its invoices are sent, is changed by a "
                    "channel manager or an accounting manager.",
                    partner=changed[0].display_name,
                )
            )
        return self.browse(changed.ids)

    def _channel_own_email_refusal(self, email):
        """Why the portal user of the environment may not give its own
        partner (among these partners) the e-mail ``email``: one of its
        addresses (normalized) is the address of a partner of another
        commercial entity (archived ones too). The mail gateway gives a
        sender's mail to the partner with a login first: it would make that
        party's mail (a helpdesk request) the portal user's, and a password
        reset by that address would find two accounts (fourteenth probe,
        P14-1). Internal users, administrators and the product's flows
        (signup, the vendor's forms) keep Odoo's rules. False when it may."""
        user = self.env.user
        own = user.partner_id
        if not user.share or own not in self:
            return False
        own = own.sudo().with_context(active_test=False)
        new = set(email_normalize_all(email or "")) - set(
            email_normalize_all(own.email or "")
        )
        if not new:
            return False
        taken = own.search_count(
            [
                ("email_normalized", "in", sorted(new)),
                ("commercial_partner_id", "!=", own.commercial_partner_id.id),
            ],
            limit=1,
        )
        if not taken:
            return False
        return self.env._(
            "%(email)s is the address of another party: ask the vendor to "
            "change your e-mail if it is yours.",
            email=email,
        )

    def _channel_check_own_email_write(self, email):
        refusal = self._channel_own_email_refusal(email)
        if refusal:
            raise UserError(refusal)

    def _channel_companies(self):
        """The companies of the channel business of these partners (their
        commercial entities): their own company, their tier's, and the
        companies of their sales orders (as customer, distributor or end
        customer; ``_channel_business_domains``: the addons add their
        invoices and subscriptions).
        A partner shared by the companies (no company of its own) has the
        companies it does business in."""
        partners = self.sudo().with_context(active_test=False)
        entities = partners.search(
            [("id", "child_of", partners.commercial_partner_id.ids)]
        )
        companies = (
            partners.company_id
            | partners.commercial_partner_id.company_id
            | partners.commercial_partner_id.distributor_tier_id.company_id
        )
        for model, domain in self._channel_business_domains(entities.ids):
            groups = (
                self.env[model]
                .sudo()
                .with_context(active_test=False)
                ._read_group(domain, ["company_id"])
            )
            companies = companies.union(*(company for (company,) in groups))
        return companies

    @api.model
    def _channel_business_domains(self, partner_ids):
        """Hook: ``[(model, domain)]``, the documents of the channel business
        of the partners ``partner_ids`` (commercial entities and their
        contacts), whose companies are theirs: here their sales orders (as
        customer, distributor or end customer)."""
        if not partner_ids:
            return []
        return [
            self._channel_business_domain(
                "sale.order",
                ["partner_id", "distributor_id", "end_customer_id"],
                partner_ids,
            )
        ]

    @api.model
    def _channel_business_domain(self, model, names, partner_ids):
        """``(model, domain)`` for ``_channel_business_domains``: the
        documents of ``model`` whose fields ``names`` (a party each) name
        one of the partners ``partner_ids``."""
        domain = ["|"] * (len(names) - 1)
        domain += [(name, "in", partner_ids) for name in names]
        return (model, domain)

    def _channel_check_user_companies(self):
        """The channel terms of a partner (a distributor's role, tier,
        salesperson, archiving, an end customer's managing distributor) are
        decided by a user working in every company of its channel business
        (fourteenth probe, P14-3: a channel manager of the second company
        rewrote the terms of a distributor shared by the companies, whose
        orders and invoices are the first's)."""
        if self.env.su or not self:
            return
        allowed = self.env.user.company_ids
        for partner in self:
            foreign = partner._channel_companies() - allowed
            if foreign:
                raise UserError(
                    self.env._(
                        "%(partner)s does business in %(companies)s: its "
                        "channel terms are decided by a user of that company.",
                        partner=partner.display_name,
                        companies=", ".join(foreign.mapped("name")),
                    )
                )

    def _channel_check_distributor_companies(self, distributor_id):
        """An end customer is managed by a distributor of a company it does
        business in (fourteenth probe, P14-3: the first company's end
        customer given to the second company's distributor, whose portal
        then listed it and took orders for it)."""
        distributor = self.browse(distributor_id or []).sudo()
        if self.env.su or not distributor:
            return
        theirs = distributor._channel_companies()
        if not theirs:
            return
        for partner in self:
            companies = partner._channel_companies()
            if companies and not companies & theirs:
                raise UserError(
                    self.env._(
                        "%(partner)s does business in %(companies)s, "
                        "%(distributor)s in %(theirs)s: a distributor of "
                        "another company does not manage it.",
                        partner=partner.display_name,
                        companies=", ".join(companies.mapped("name")),
                        distributor=distributor.display_name,
                        theirs=", ".join(theirs.mapped("name")),
                    )
                )

    @api.model
    def _channel_check_moves_logins(self, partners):
        """A partner with a login (internal or portal, archived too), or
        whose contacts (at any depth) have one, is not moved under another
        company, nor given another commercial entity: its user would read
        and act for that company on the portal. The administrators of users
        decide."""
        if (
            not partners
            or self.env.su
            or self.env.user.has_group("base.group_erp_manager")
        ):
            return
        # the partners moved and their contacts: a company's contacts move
        # with it (their commercial entity, hence what their users read)
        partners = (
            self.sudo()
            .with_context(active_test=False)
            .search([("id", "child_of", partners.ids)])
        )
        with_login = partners.filtered("user_ids")
        if with_login:
            raise UserError(
                self.env._(
                    "%(partner)s has a login: only an administrator moves it "
                    "to another company.",
                    partner=with_login[0].display_name,
                )
            )

    def _check_channel_manager(self):
        if self.env.su or self.env.user.has_group(
            "channel_distribution.group_channel_manager"
        ):
            return
        raise AccessError(
            self.env._(
                "Only channel managers can make a company a distributor, change "
                "a distributor's tier, price book, invoicing terms or "
                "salesperson, or archive it."
            )
        )

    def _check_channel_user(self):
        if self.env.su or self.env.user.has_group(
            "channel_distribution.group_channel_user"
        ):
            return
        raise AccessError(
            self.env._(
                "Only channel users can give a customer a managing distributor, "
                "change or clear it, or move a partner into, out of or between "
                "the companies of the channel (distributors, their customers "
                "and their contacts)."
            )
        )

    @api.model
    def _channel_check_run_day(self, day, what):
        """A run that bills or pays (``what``) by hand runs up to today (the
        run's, ``_channel_run_today``): a later day bills periods before they
        start, or pays a commission period before it ends. Channel managers
        and accounting managers may run it ahead (an early closing)."""
        if (
            self.env.su
            or self.env.user.has_group("channel_distribution.group_channel_manager")
            or self.env.user.has_group("account.group_account_manager")
        ):
            return
        today = self._channel_run_today()
        if day > today:
            raise UserError(
                self.env._(
                    "%(what)s runs up to today (%(today)s), not %(day)s: "
                    "running it ahead is a channel manager's or an accounting "
                    "manager's decision.",
                    what=what,
                    today=today,
                    day=day,
                )
            )

    def _channel_check_company_tz_write(self, tz):
        """The time zone of a company's partner gives the company's day, the
        day of the runs by hand (billing, settlement: ``_channel_run_today``)
        and the dates they bill: set by an administrator (Settings, ERP
        managers), not by whoever edits contacts (P10-2's follow-up: a
        salesman with Contact Creation moved the billing day over RPC)."""
        user = self.env.user
        if user.has_group("base.group_erp_manager") or user.has_group(
            "base.group_system"
        ):
            return
        changed = self.sudo().filtered(lambda p: (p.tz or False) != (tz or False))
        if not changed:
            return
        company = (
            self.env["res.company"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", changed.ids)], limit=1)
        )
        if company:
            raise AccessError(
                self.env._(
                    "The time zone of %(company)s gives its day, the day its "
                    "billing and settlements run: it is set by an "
                    "administrator (Settings).",
                    company=company.display_name,
                )
            )

    @api.model
    def _channel_run_today(self):
        """Today for a run by hand (a billing, a settlement): the day in the
        time zone of the companies it runs in (the call's, each its
        partner's, else UTC), the earliest of them. Never a time zone the
        caller chooses: a ``tz`` in the context, which a JSON-RPC caller
        sends, nor the user's own, a preference every user sets himself (a
        day ahead from UTC+14: probes 9 and 10, P9-11 and P10-2)."""
        return min(
            fields.Date.context_today(
                self.with_context(tz=company.partner_id.tz or "UTC")
            )
            for company in self.env.companies.sudo()
        )

    # ------------------------------------------------------------------
    # Signup tokens: the channel's portal logins are the vendor's to give
    # ------------------------------------------------------------------

    def _channel_signup_partners(self):
        """The partners of ``self`` in the channel (a distributor, an end
        customer managed by one, their contacts) without a login (archived
        ones count): a signup token would bind a new login to them."""
        return (
            self.sudo()
            .with_context(active_test=False)
            .filtered(
                lambda partner: not partner.user_ids and partner._channel_is_party()
            )
        )

    def _channel_signup_companies(self):
        """The company partners of the channel in ``self`` (a distributor,
        an end customer managed by one), whatever their logins: none has a
        login (it would read and act for the whole company; its people log
        in as its contacts), no signup token binds one to it, whoever
        prepared it, and the links to it carry none (probes 9 and 14, P9-8
        and P14-7). A partner of its own with contacts under it is a company
        whatever its ``is_company`` (P15-2: a company made a person first)."""
        return (
            self.sudo()
            .with_context(active_test=False)
            .filtered(
                lambda partner: partner._channel_is_company()
                and partner._channel_is_party()
            )
        )

    def _channel_is_company(self):
        """Whether this partner is a company: flagged so, or a partner of
        its own (no company above it) with contacts (people, not addresses)
        under it."""
        self.ensure_one()
        return self.is_company or bool(
            not self.parent_id
            and self.child_ids.filtered(lambda child: child.type == "contact")
        )

    def _channel_check_stays_company(self, vals):
        """A company partner of the channel is not made a person of its own
        (``is_company`` off, no company above it): Odoo's portal wizard
        would then give it a login that reads and acts for the whole company
        (fifteenth probe, P15-2). Made a contact of another company, it
        moves (``_channel_moves_in_channel``); taken out of the channel by a
        channel user first, it is a partner as any other."""
        if self.env.su:
            return
        self._channel_refuse_made_person(vals)

    def _channel_refuse_made_person(self, vals):
        """Refuse ``vals`` making one of these company partners of the
        channel a person of its own, whoever writes them (the portal's end
        customer form, which writes as superuser, too: P16-6)."""
        for partner in self._channel_signup_companies():
            parent = vals["parent_id"] if "parent_id" in vals else partner.parent_id
            if partner.is_company and not parent:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is a company of the distribution channel: "
                        "it stays a company (its people are its contacts).",
                        partner=partner.display_name,
                    )
                )

    def _channel_check_no_login(self):
        """Refuse a login of a company partner of the channel in ``self``."""
        companies = self._channel_signup_companies()
        if companies:
            raise ValidationError(
                self.env._(
                    "%(partner)s is a company of the distribution channel: it "
                    "gets no login (the login would read and act for the whole "
                    "company). Give the portal access to a contact of it.",
                    partner=companies[0].display_name,
                )
            )

    @api.constrains("is_company", "is_distributor", "distributor_id")
    def _check_channel_company_login(self):
        """A partner with a login is not made a company of the channel: a
        contact of it gets the login."""
        self.filtered(
            lambda partner: partner.sudo().user_ids.filtered("active")
        )._channel_check_no_login()

    def _channel_may_give_login(self):
        """Whether the user gives these partners of the channel (a
        distributor's or a managed end customer's contacts) a portal login
        or an invitation to sign up: a channel user working in every
        company of their channel business (``_channel_companies``, their
        commercial entities'), a channel manager, an administrator of users
        (*Access Rights*), or Odoo's own flows as superuser. Not Contact
        Creation, which Odoo's default user template gives every employee
        (fifteenth probe, P15-9: an employee of the second company made a
        contact under the first company's distributor and gave it the
        portal; the login read the distributor's statement, end customers
        and order form)."""
        user = self.env.user
        if self.env.su or any(
            user.has_group(group)
            for group in (
                "base.group_erp_manager",
                "channel_distribution.group_channel_manager",
            )
        ):
            return True
        if not user.has_group("channel_distribution.group_channel_user"):
            return False
        return not self._channel_companies() - user.company_ids

    def _channel_check_login_giver(self, partners):
        """Refuse the user a portal login or an invitation of ``partners``
        (of the channel, among these partners) he may not give
        (``_channel_may_give_login``). The reason names the partner: Odoo's
        own refusal comes first for one the caller does not read (probe 14,
        P14-6)."""
        if not partners or self.browse(partners.ids)._channel_may_give_login():
            return
        self.check_access("read")
        raise AccessError(
            self.env._(
                "%(partner)s is a partner of the distribution channel: its "
                "portal access (a login, an invitation to sign up) is given by "
                "a channel user of its companies, a channel manager or an "
                "administrator.",
                partner=partners[0].display_name,
            )
        )

    def _channel_check_portal_access(self):
        """Portal access (a login, the portal wizard's invitation) of these
        partners: the channel's are given by those who may
        (``_channel_may_give_login``), with or without a login already."""
        self._channel_check_login_giver(
            self.sudo()
            .with_context(active_test=False)
            .filtered(lambda partner: partner._channel_is_party())
        )

    def _channel_check_signup(self):
        """A signup token of these partners: the channel's without a login
        are invited by those who may give them one."""
        self._channel_check_login_giver(self._channel_signup_partners())

    def signup_get_auth_param(self):
        self._channel_check_signup()
        res = super().signup_get_auth_param()
        # Odoo's mails to an order's customer carry the token (as
        # superuser): never a company partner's of the channel
        for partner in self._channel_signup_companies():
            res[partner.id].pop("auth_signup_token", None)
        return res

    def signup_prepare(self, signup_type="signup"):
        self._channel_check_signup()
        return super().signup_prepare(signup_type=signup_type)

    def _get_signup_url_for_action(
        self,
        url=None,
        action=None,
        view_type=None,
        menu_id=None,
        res_id=None,
        model=None,
    ):
        res = super()._get_signup_url_for_action(
            url=url,
            action=action,
            view_type=view_type,
            menu_id=menu_id,
            res_id=res_id,
            model=model,
        )
        # the links to a company partner of the channel carry no token,
        # whatever its logins (probe 14, P14-7)
        for partner in self._channel_signup_companies():
            if res.get(partner.id):
                res[partner.id] = channel_url_without_token(res[partner.id])
        return res

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + ["distributor_id"]

    def _channel_action(self, xmlid, domain, context=None):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = domain
        action["context"] = context or {}
        return action

    def action_view_end_customers(self):
        return self._channel_action(
            "channel_distribution.action_channel_end_customers",
            [("distributor_id", "=", self.id), ("parent_id", "=", False)],
            {"default_distributor_id": self.id},
        )

    def action_view_distributor_orders(self):
        return self._channel_action(
            "sale.action_orders",
            [("distributor_id", "=", self.id)],
            {"default_distributor_id": self.id},
        )

    # ------------------------------------------------------------------
    # Partners a distributor must leave alone (the end customers it
    # links, and its self-service when installed).
    # ------------------------------------------------------------------

    def _channel_is_protected(self):
        """Whether a distributor must leave this partner alone: a partner of
        its commercial entity (archived ones too; Odoo copies a company's
        address and commercial fields to its contacts) has a user (internal
        or portal, archived ones too), whose e-mail and login follow the
        partner's, or is the partner of one of the vendor's companies."""
        self.ensure_one()
        partner = self.sudo().with_context(active_test=False)
        entity = partner.search([("id", "child_of", partner.commercial_partner_id.id)])
        return bool(entity.user_ids) or bool(
            self.env["res.company"]
            .sudo()
            .with_context(active_test=False)
            .search_count([("partner_id", "in", entity.ids)], limit=1)
        )
