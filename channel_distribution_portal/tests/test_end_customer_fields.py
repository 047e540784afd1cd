# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The end customer's fields: one template for the page's form and the
order form's dialog, with the limits of the model, which the server
enforces on both paths."""

from lxml import html

from odoo.addons.channel_distribution.tests.common import ChannelPortalCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestEndCustomerFields(ChannelPortalCase):
    def setUp(self):
        super().setUp()
        self.login(self.portal_dist_b)
        self.limits = self.env["res.partner"]._channel_portal_end_customer_limits()

    def rendered_limits(self, url, form_class):
        page = html.fromstring(self.url_open(url).content)
        (form,) = page.xpath(f"//form[contains(@class, '{form_class}')]")
        return {
            field.get("name"): int(field.get("maxlength"))
            for field in form.xpath(".//input[@maxlength]")
        }

    def test_limits_come_from_the_model(self):
        self.assertEqual(
            set(self.limits),
            {"name", "street", "street2", "zip", "city", "email", "phone", "vat"},
        )
        page = self.rendered_limits(
            "/my/channel/customers/new", "o_channel_customer_form"
        )
        dialog = self.rendered_limits(
            "/my/channel/orders/new", "o_channel_quick_customer_form"
        )
        self.assertEqual(page, self.limits)
        self.assertEqual(dialog, self.limits)
        # The edit page renders them too.
        edit = self.rendered_limits(
            f"/my/channel/customers/{self.customer_b.id}", "o_channel_customer_form"
        )
        self.assertEqual(edit, self.limits)

    def test_too_long_is_refused_on_both_paths(self):
        Partner = self.env["res.partner"]
        count = Partner.search_count([])
        for name, limit in self.limits.items():
            value = "x" * (limit + 1)
            values = {"name": f"Too long {name}", name: value}
            if name == "email":
                value = "x" * (limit - 11) + "@example.com"
                values[name] = value
            with self.subTest(field=name, path="page"):
                response = self.post_form("/my/channel/customers/new", values)
                self.assertIn(f"at most {limit} characters", response.text)
            with self.subTest(field=name, path="dialog"):
                result = self.make_jsonrpc_request(
                    "/my/channel/customers/quick_create", values
                )
                self.assertEqual(list(result), ["error"])
                self.assertIn(f"at most {limit} characters", result["error"])
        self.assertEqual(Partner.search_count([]), count)
        # At the limit, both paths take the value whole.
        for url in ("/my/channel/customers/new", "/my/channel/customers/quick_create"):
            name = ("P" if "new" in url else "D") + "x" * (self.limits["name"] - 1)
            if url.endswith("new"):
                self.post_form(url, {"name": name, "city": "c" * self.limits["city"]})
            else:
                self.make_jsonrpc_request(url, {"name": name})
            customer = Partner.search([("name", "=", name)])
            self.assertEqual(len(customer), 1, url)
            self.assertEqual(customer.distributor_id, self.distributor_b)
