# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.http import Request
from odoo.tests import HttpCase, TransactionCase, common, new_test_user

# The roles of the access tables (tests/test_security.py, test_access_paths.py).
# Markup a distributor may type into a name or a reference: pages and
# documents must show it as text (XSS with a value; RAW: what must never
# come back unescaped).
XSS = '<script>alert("{}")</script><b onmouseover=x>'
RAW = '<script>alert("'

ROLES = (
    "salesman",
    "channel_user",
    "channel_manager",
    "accountant",
    "portal_distributor",
    "portal_customer",
    "public",
)


class ChannelCase(TransactionCase):
    """A small channel of its own, independent of the demo data.

    Two tiers (Gold 20% and Silver 10% off list price), two distributors on
    them, an end customer for each, and two service products.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.currency = cls.company.currency_id
        Pricelist = cls.env["product.pricelist"]
        cls.book_gold = cls._create_price_book("Test Gold", 20)
        cls.book_silver = cls._create_price_book("Test Silver", 10)
        cls.book_public = Pricelist.create(
            {"name": "Test Public", "currency_id": cls.currency.id}
        )
        Tier = cls.env["channel.distributor.tier"]
        cls.tier_gold = Tier.create(
            {"name": "T Gold", "pricelist_id": cls.book_gold.id}
        )
        cls.tier_silver = Tier.create(
            {"name": "T Silver", "pricelist_id": cls.book_silver.id}
        )
        Partner = cls.env["res.partner"]
        cls.distributor_a = Partner.create(
            {
                "name": "Distributor A",
                "is_company": True,
                "is_distributor": True,
                "distributor_tier_id": cls.tier_gold.id,
            }
        )
        cls.distributor_b = Partner.create(
            {
                "name": "Distributor B",
                "is_company": True,
                "is_distributor": True,
                "distributor_tier_id": cls.tier_silver.id,
                "channel_financial_role": "end_customer",
            }
        )
        cls.customer_a = Partner.create(
            {
                "name": "End Customer A",
                "is_company": True,
                "distributor_id": cls.distributor_a.id,
                "property_product_pricelist": cls.book_public.id,
            }
        )
        cls.customer_a_delivery = Partner.create(
            {
                "name": "A warehouse",
                "type": "delivery",
                "parent_id": cls.customer_a.id,
                "city": "Ghent",
            }
        )
        cls.customer_b = Partner.create(
            {
                "name": "End Customer B",
                "is_company": True,
                "distributor_id": cls.distributor_b.id,
                "property_product_pricelist": cls.book_public.id,
            }
        )
        Product = cls.env["product.product"]
        cls.product_service = Product.create(
            {
                "name": "Test Service",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.product_setup = Product.create(
            {
                "name": "Test Setup",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 250.0,
                "taxes_id": [Command.clear()],
            }
        )

    @classmethod
    def _create_price_book(cls, name, percent):
        """A pricelist of ``percent`` % off everything."""
        return cls.env["product.pricelist"].create(
            {
                "name": name,
                "currency_id": cls.currency.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "3_global",
                            "compute_price": "percentage",
                            "percent_price": percent,
                        }
                    )
                ],
            }
        )

    @classmethod
    def _order_vals(cls, distributor, customer, lines=None, **extra):
        lines = lines or [(cls.product_service, 2)]
        vals = {
            "distributor_id": distributor.id,
            "end_customer_id": customer.id,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": qty})
                for product, qty in lines
            ],
        }
        vals.update(extra)
        return vals

    @classmethod
    def _create_order(cls, distributor, customer, lines=None, **extra):
        return cls.env["sale.order"].create(
            cls._order_vals(distributor, customer, lines, **extra)
        )


class ChannelPortalCase(HttpCase, ChannelCase):
    """The channel of ChannelCase with people on every side.

    Portal users of distributor A and B and of their end customers, internal
    users of each role, three confirmed orders:
    ``order_a`` (A resale to customer A), ``order_b`` (B agency: customer B
    is invoiced) and ``order_b_resale`` (B resale to customer B). Every
    user's password is its login.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.product_service | cls.product_setup).channel_available = True
        Partner = cls.env["res.partner"]

        def user(login, groups, parent=None):
            partner = Partner.create(
                {
                    "name": login.replace("_", " ").title(),
                    "email": f"{login}@example.com",
                    "parent_id": parent.id if parent else False,
                }
            )
            return new_test_user(
                cls.env, login, groups=groups, partner_id=partner.id, password=login
            )

        portal = "base.group_portal"
        cls.portal_dist_a = user("sec_dist_a", portal, cls.distributor_a)
        cls.portal_dist_b = user("sec_dist_b", portal, cls.distributor_b)
        cls.portal_cust_a = user("sec_cust_a", portal, cls.customer_a)
        cls.portal_cust_b = user("sec_cust_b", portal, cls.customer_b)
        partner_manager = ",base.group_partner_manager"
        cls.salesman = user(
            "sec_sales", "sales_team.group_sale_salesman" + partner_manager
        )
        cls.channel_user = user(
            "sec_chan", "channel_distribution.group_channel_user" + partner_manager
        )
        cls.channel_manager = user(
            "sec_chan_mgr",
            "channel_distribution.group_channel_manager" + partner_manager,
        )
        cls.accountant = user(
            "sec_acct", "base.group_user,account.group_account_invoice"
        )
        cls.order_a = cls._create_order(cls.distributor_a, cls.customer_a)
        cls.order_b = cls._create_order(cls.distributor_b, cls.customer_b)
        cls.order_b_resale = cls._create_order(
            cls.distributor_b, cls.customer_b, financial_role="distributor"
        )
        (cls.order_a | cls.order_b | cls.order_b_resale).action_confirm()

    def _payment_provider(self):
        """An enabled provider without an implementation, as Odoo's tests
        use, and its payment method."""
        method = self.env.ref("payment.payment_method_unknown")
        provider = self.env["payment.provider"].create(
            {
                "name": "T Provider",
                "code": "none",
                "state": "test",
                "is_published": True,
                "payment_method_ids": [Command.set(method.ids)],
            }
        )
        method.active = True
        return provider, method

    def login(self, user):
        """Log in as ``user`` (a res.users record), or log out with None."""
        if user:
            self.authenticate(user.login, user.login)
        else:
            self.authenticate(None, None)

    def post_form(self, url, data, csrf=True, **kw):
        data = list(data.items()) if isinstance(data, dict) else list(data)
        if csrf:
            data.append(("csrf_token", Request.csrf_token(self)))
        return self.url_open(url, data=data, **kw)


class ChannelTourCase(HttpCase):
    """HttpCase for the portal tours.

    Odoo gives Chrome 10 s to start, then skips the tour; on a loaded 2-core
    machine that is not always enough. Give it a minute: a tour that does not
    run is a failure for bin/test, not a skip."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        iterations = common.CHECK_BROWSER_ITERATIONS
        common.CHECK_BROWSER_ITERATIONS = 600
        cls.addClassCleanup(setattr, common, "CHECK_BROWSER_ITERATIONS", iterations)
