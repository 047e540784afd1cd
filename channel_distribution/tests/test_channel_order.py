# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import ChannelCase

# Queries of a tiered distributor's pricelist from a cold cache: reading
# the partner and its tier (issue 23: 7, Odoo's default pricelist searched
# too, then replaced by the tier's book).
TIER_BOOK_QUERIES = 4


@tagged("post_install", "-at_install")
class TestChannelOrder(ChannelCase):
    def test_public_names(self):
        partner_fields = self.env["res.partner"]._fields
        for name in (
            "is_distributor",
            "distributor_id",
            "distributor_tier_id",
            "channel_financial_role",
        ):
            self.assertIn(name, partner_fields)
        tier_fields = self.env["channel.distributor.tier"]._fields
        self.assertIn("name", tier_fields)
        self.assertIn("pricelist_id", tier_fields)
        order_fields = self.env["sale.order"]._fields
        for name in (
            "distributor_id",
            "end_customer_id",
            "financial_role",
            "financial_partner_id",
            "business_partner_id",
            "is_channel_order",
            "channel_commission",
        ):
            self.assertIn(name, order_fields)
        for name in ("financial_partner_id", "business_partner_id"):
            self.assertTrue(order_fields[name].store, name)
        self.assertEqual(
            [key for key, __ in order_fields["financial_role"].selection],
            ["distributor", "end_customer"],
        )
        self.assertIn("channel_commission", self.env["sale.order.line"]._fields)

    def test_tier_gives_price_book(self):
        self.assertEqual(self.distributor_a.property_product_pricelist, self.book_gold)
        self.assertEqual(self.distributor_a.channel_pricelist_id, self.book_gold)
        # A pricelist of its own wins over the tier's.
        self.distributor_a.property_product_pricelist = self.book_silver
        self.assertEqual(
            self.distributor_a.property_product_pricelist, self.book_silver
        )
        self.assertEqual(self.distributor_a.channel_pricelist_id, self.book_silver)

    def test_price_book_is_not_a_fallback_pricelist(self):
        # Without any other pricelist, Odoo falls back on the first one it
        # finds; a tier's price book must not be it.
        others = self.env["product.pricelist"].search(
            [("id", "not in", (self.book_gold | self.book_silver).ids)]
        )
        others.active = False
        walk_in = self.env["res.partner"].create({"name": "Walk-in customer"})
        self.assertFalse(walk_in.property_product_pricelist)
        self.assertEqual(self.distributor_a.property_product_pricelist, self.book_gold)

    def test_tier_book_without_default_pricelist_search(self):
        """A distributor on a tier gets its tier's book without Odoo's
        search of a default pricelist by country, which the book replaced
        (issue 23: three searches per portal order)."""
        self.env.invalidate_all()
        with self.assertQueryCount(TIER_BOOK_QUERIES):
            self.assertEqual(
                self.distributor_a.property_product_pricelist, self.book_gold
            )

    def test_analytic_distribution_written_with_the_line(self):
        """A new order line's analytic distribution (Odoo's distribution
        models) is written with the line, not computed again once the line
        is written (issue 23: it was computed twice per line)."""
        plan = self.env["account.analytic.plan"].create({"name": "T Plan"})
        account = self.env["account.analytic.account"].create(
            {"name": "T Account", "plan_id": plan.id}
        )
        self.env["account.analytic.distribution.model"].create(
            {
                "product_id": self.product_service.id,
                "analytic_distribution": {str(account.id): 100},
            }
        )
        order = self._create_order(
            self.distributor_a,
            self.customer_a,
            [(self.product_service, 2), (self.product_setup, 1)],
        )
        field = self.env["sale.order.line"]._fields["analytic_distribution"]
        self.assertFalse(self.env.records_to_compute(field))
        service, setup = order.order_line
        self.assertEqual(service.analytic_distribution, {str(account.id): 100})
        self.assertFalse(setup.analytic_distribution)

    def test_resale_order(self):
        order = self._create_order(
            self.distributor_a,
            self.customer_a,
            [(self.product_service, 2), (self.product_setup, 1)],
        )
        self.assertTrue(order.is_channel_order)
        self.assertEqual(order.financial_role, "distributor")
        self.assertEqual(order.partner_id, self.distributor_a)
        self.assertEqual(order.financial_partner_id, self.distributor_a)
        self.assertEqual(order.business_partner_id, self.customer_a)
        self.assertEqual(order.partner_invoice_id, self.distributor_a)
        self.assertEqual(order.partner_shipping_id, self.customer_a_delivery)
        self.assertEqual(order.pricelist_id, self.book_gold)
        service_line, setup_line = order.order_line
        self.assertAlmostEqual(service_line.price_subtotal, 160.0)
        self.assertAlmostEqual(setup_line.price_subtotal, 200.0)
        # Commission: list price minus the distributor's price.
        self.assertAlmostEqual(service_line.channel_commission, 40.0)
        self.assertAlmostEqual(setup_line.channel_commission, 50.0)
        self.assertAlmostEqual(order.channel_commission, 90.0)

    def test_agency_order(self):
        order = self._create_order(self.distributor_b, self.customer_b)
        self.assertEqual(order.financial_role, "end_customer")
        self.assertEqual(order.partner_id, self.customer_b)
        self.assertEqual(order.financial_partner_id, self.customer_b)
        self.assertEqual(order.business_partner_id, self.customer_b)
        self.assertEqual(order.pricelist_id, self.book_public)
        self.assertAlmostEqual(order.amount_untaxed, 200.0)
        # Commission: end customer's price minus the distributor's price book.
        self.assertAlmostEqual(order.channel_commission, 20.0)

    def test_switch_role_on_draft_reprices(self):
        order = self._create_order(self.distributor_a, self.customer_a)
        self.assertAlmostEqual(order.amount_untaxed, 160.0)
        order.financial_role = "end_customer"
        self.assertEqual(order.partner_id, self.customer_a)
        self.assertEqual(order.pricelist_id, self.book_public)
        self.assertAlmostEqual(order.amount_untaxed, 200.0)
        self.assertAlmostEqual(order.channel_commission, 40.0)
        order.financial_role = "distributor"
        self.assertEqual(order.partner_id, self.distributor_a)
        self.assertAlmostEqual(order.amount_untaxed, 160.0)

    def test_fiscal_position_and_terms_follow_financial_partner(self):
        fpos_distributor = self.env["account.fiscal.position"].create(
            {"name": "Distributor regime"}
        )
        fpos_customer = self.env["account.fiscal.position"].create(
            {"name": "Customer regime"}
        )
        terms = self.env.ref("account.account_payment_term_30days")
        self.distributor_a.property_account_position_id = fpos_distributor
        self.distributor_a.property_payment_term_id = terms
        self.customer_a.property_account_position_id = fpos_customer
        order = self._create_order(self.distributor_a, self.customer_a)
        self.assertEqual(order.fiscal_position_id, fpos_distributor)
        self.assertEqual(order.payment_term_id, terms)
        order.financial_role = "end_customer"
        self.assertEqual(order.fiscal_position_id, fpos_customer)

    def test_distributor_fills_role_and_links_customer(self):
        newcomer = self.env["res.partner"].create(
            {"name": "Newcomer Ltd", "is_company": True}
        )
        order = self._create_order(self.distributor_b, newcomer)
        self.assertEqual(order.financial_role, "end_customer")
        self.assertEqual(newcomer.distributor_id, self.distributor_b)
        # An end customer already managed by someone keeps its distributor.
        order = self._create_order(self.distributor_a, self.customer_b)
        self.assertEqual(self.customer_b.distributor_id, self.distributor_b)

    def test_form_onchange(self):
        with Form(self.env["sale.order"]) as form:
            form.end_customer_id = self.customer_b
            self.assertEqual(form.distributor_id, self.distributor_b)
            self.assertEqual(form.financial_role, "end_customer")
            self.assertEqual(form.partner_id, self.customer_b)
            form.financial_role = "distributor"
            self.assertEqual(form.partner_id, self.distributor_b)
            with form.order_line.new() as line:
                line.product_id = self.product_service
        order = form.save()
        self.assertEqual(order.pricelist_id, self.book_silver)
        self.assertAlmostEqual(order.amount_untaxed, 90.0)

    def test_lock_after_confirmation(self):
        order = self._create_order(self.distributor_a, self.customer_a)
        order.action_confirm()
        other = self.env["res.partner"].create({"name": "Other", "is_company": True})
        for vals in (
            {"distributor_id": self.distributor_b.id},
            {"end_customer_id": other.id},
            {"financial_role": "end_customer"},
        ):
            with self.assertRaises(UserError):
                order.write(vals)
        # Writing the same values is harmless.
        order.write({"distributor_id": self.distributor_a.id})
        order._action_cancel()
        order.action_draft()
        order.write({"financial_role": "end_customer"})
        self.assertEqual(order.partner_id, self.customer_a)

    def test_standard_order_unchanged(self):
        customer = self._create_direct_customer()
        order = self._create_direct_order(customer)
        self.assertFalse(order.is_channel_order)
        self.assertFalse(order.distributor_id)
        self.assertEqual(order.partner_id, customer)
        self.assertEqual(order.financial_partner_id, customer)
        self.assertEqual(order.business_partner_id, customer)
        self.assertEqual(order.partner_shipping_id, customer)
        self.assertEqual(order.pricelist_id, self.book_public)
        self.assertAlmostEqual(order.amount_untaxed, 100.0)
        self.assertEqual(order.channel_commission, 0.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        # The customer can still be changed on a draft direct order.
        other = self.env["res.partner"].create({"name": "Other Direct"})
        quote = order.copy()
        quote.partner_id = other
        self.assertEqual(quote.partner_id, other)

    def _assert_rejected(self, vals, exception=ValidationError):
        count = self.env["sale.order"].search_count([])
        with self.assertRaises(exception), self.env.cr.savepoint():
            self.env["sale.order"].create(vals)
        self.assertEqual(self.env["sale.order"].search_count([]), count)

    def test_bad_input(self):
        contact_of_a = self.env["res.partner"].create(
            {"name": "Employee of A", "parent_id": self.distributor_a.id}
        )
        not_distributor = self.env["res.partner"].create(
            {"name": "Not a distributor", "is_company": True}
        )
        no_book = self.env["res.partner"].create(
            {"name": "No book", "is_company": True, "is_distributor": True}
        )
        cases = {
            "end customer is the distributor": self._order_vals(
                self.distributor_a, self.distributor_a
            ),
            "end customer is a contact of the distributor": self._order_vals(
                self.distributor_a, contact_of_a
            ),
            "not a distributor": self._order_vals(not_distributor, self.customer_a),
            "no price book on resale": self._order_vals(no_book, self.customer_a),
            "only a distributor": {
                "partner_id": self.distributor_a.id,
                "distributor_id": self.distributor_a.id,
            },
            "only an end customer": {
                "partner_id": self.customer_a.id,
                "end_customer_id": self.customer_a.id,
            },
        }
        for label, vals in cases.items():
            with self.subTest(label):
                self._assert_rejected(vals)
        # Agency order of a distributor without price book: allowed, no commission.
        order = self._create_order(
            no_book, self.customer_a, financial_role="end_customer"
        )
        self.assertEqual(order.channel_commission, 0.0)

    def test_partner_rules(self):
        with self.assertRaises(ValidationError):
            self.env["res.partner"].create({"name": "Person", "is_distributor": True})
        with self.assertRaises(ValidationError):
            self.customer_a.distributor_id = self.customer_b
        self.assertEqual(self.distributor_a.end_customer_count, 1)

    def test_sale_report(self):
        order = self._create_order(self.distributor_a, self.customer_a)
        order.action_confirm()
        self.env.flush_all()
        rows = self.env["sale.report"]._read_group(
            [("order_reference", "=", f"sale.order,{order.id}")],
            ["distributor_id", "end_customer_id"],
            ["channel_commission:sum", "price_subtotal:sum"],
        )
        self.assertEqual(rows, [(self.distributor_a, self.customer_a, 40.0, 160.0)])

    def test_channel_analysis_defaults_to_confirmed_orders(self):
        action = self.env.ref("channel_distribution.action_channel_sale_report")
        context = safe_eval(action.context)
        self.assertTrue(context.get("search_default_Sales"))
        search = self.env["sale.report"].get_views([(False, "search")])
        self.assertIn('name="Sales"', search["views"]["search"]["arch"])

    def test_price_book_of_another_company(self):
        """A second company's order for a distributor whose tier book
        belongs to the first company: a clear error, not Odoo's
        "Incompatible companies"."""
        self.book_gold.company_id = self.company
        company_2 = self.env["res.company"].create({"name": "Channel Co 2 Books"})
        env2 = self.env(
            context=dict(self.env.context, allowed_company_ids=company_2.ids)
        )
        with self.assertRaisesRegex(
            ValidationError, r"Test Gold .* belongs to .*, not to Channel Co 2"
        ):
            env2["sale.order"].create(
                self._order_vals(
                    self.distributor_a, self.customer_a, company_id=company_2.id
                )
            )
