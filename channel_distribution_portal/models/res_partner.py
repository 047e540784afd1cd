# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import email_normalize

# The longest text an end customer's field takes from the portal.
PORTAL_MAX_TEXT = 128


class ResPartner(models.Model):
    """A distributor's portal users manage their end customers. ``self`` is
    the distributor (commercial partner)."""

    _inherit = "res.partner"

    @api.model
    def _channel_portal_end_customer_fields(self):
        """The fields a distributor may fill on its end customers."""
        return [
            "name",
            "is_company",
            "street",
            "street2",
            "zip",
            "city",
            "country_id",
            "email",
            "phone",
            "vat",
        ]

    @api.model
    def _channel_portal_end_customer_limits(self):
        """The longest text each text field of an end customer takes on the
        portal: the page's form and the order form's dialog render these as
        ``maxlength`` and the server refuses longer values on every path."""
        return {
            name: PORTAL_MAX_TEXT
            for name in self._channel_portal_end_customer_fields()
            if name not in ("is_company", "country_id")
        }

    def _channel_portal_end_customers_domain(self, domain=None):
        self.ensure_one()
        return [("distributor_id", "=", self.id), ("parent_id", "=", False)] + (
            domain or []
        )

    def _channel_portal_end_customers(self, domain=None, limit=None, offset=0):
        """The end customers this distributor manages (companies and persons
        without a parent), as superuser: callers have checked the user."""
        return (
            self.env["res.partner"]
            .sudo()
            .search(
                self._channel_portal_end_customers_domain(domain),
                order="name",
                limit=limit,
                offset=offset,
            )
        )

    def _channel_portal_end_customer_count(self, domain=None):
        """How many end customers ``_channel_portal_end_customers`` gives,
        counted in the database."""
        return (
            self.env["res.partner"]
            .sudo()
            .search_count(self._channel_portal_end_customers_domain(domain))
        )

    def _channel_portal_prepare_end_customer_vals(self, values):
        """Clean the portal form; raise a UserError on bad input."""
        self.ensure_one()
        if not self.is_distributor:
            raise UserError(self.env._("Only distributors can manage end customers."))
        limits = self._channel_portal_end_customer_limits()
        vals = {}
        for name in self._channel_portal_end_customer_fields():
            if name not in values:
                continue
            value = values[name]
            if name == "is_company":
                vals[name] = bool(value)
            elif name == "country_id":
                country = False
                if value:
                    # A malformed id is a form error, not a crash.
                    text = str(value)
                    country_id = int(text) if text.isdigit() and len(text) < 10 else 0
                    country = self.env["res.country"].sudo().browse(country_id).exists()
                    if not country:
                        raise UserError(self.env._("Choose a country from the list."))
                vals[name] = country.id if country else False
            else:
                value = (value or "").strip()
                if len(value) > limits[name]:
                    raise UserError(
                        self.env._(
                            "%(field)s: at most %(max)s characters.",
                            field=self._fields[name]._description_string(self.env),
                            max=limits[name],
                        )
                    )
                vals[name] = value or False
        if not vals.get("name"):
            raise UserError(self.env._("The name of the end customer is required."))
        email = vals.get("email")
        if email and not email_normalize(email):
            raise UserError(
                self.env._("%(email)s is not a valid email address.", email=email)
            )
        return vals

    def _channel_portal_find_duplicates(self, vals, exclude=None):
        """End customers of this distributor with the same VAT or email."""
        self.ensure_one()
        domain = []
        if vals.get("vat"):
            domain.append([("vat", "=ilike", vals["vat"])])
        if vals.get("email"):
            domain.append([("email", "=ilike", vals["email"])])
        if not domain:
            return self.env["res.partner"]
        extra = expression.OR(domain)
        if exclude:
            extra = expression.AND([extra, [("id", "not in", exclude.ids)]])
        return self._channel_portal_end_customers(extra)

    def _channel_portal_create_end_customer(self, values):
        """Create an end customer managed by this distributor."""
        self.ensure_one()
        vals = self._channel_portal_prepare_end_customer_vals(values)
        # In the distributor's company (none for a distributor shared by the
        # companies): the other companies' users do not read it.
        vals.update({"distributor_id": self.id, "company_id": self.company_id.id})
        with self.env.cr.savepoint():
            return self.env["res.partner"].sudo().create(vals)

    def _channel_portal_check_editable(self, customer):
        """Raise a UserError unless this distributor may change ``customer``
        from the portal: one of its end customers, without a user."""
        self.ensure_one()
        if customer not in self._channel_portal_end_customers():
            raise UserError(self.env._("This end customer is not one of yours."))
        if customer._channel_is_protected():
            raise UserError(
                self.env._(
                    "%(customer)s has a user account: only the vendor can change "
                    "it. Contact the vendor.",
                    customer=customer.name,
                )
            )

    def _channel_portal_write_end_customer(self, customer, values):
        """Update one of this distributor's end customers."""
        self.ensure_one()
        self._channel_portal_check_editable(customer)
        vals = self._channel_portal_prepare_end_customer_vals(values)
        if "is_company" in vals and not vals["is_company"]:
            customer._channel_refuse_made_person(vals)
        with self.env.cr.savepoint():
            customer.sudo().write(vals)
        return True
