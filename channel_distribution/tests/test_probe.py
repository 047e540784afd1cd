# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What an outside probe of the portal found, one test per finding.

The classes of hole are also rows of the access tables
(test_access_paths.py): partners with users,
sign and decline in every state, the channel fields over RPC and on pages.
"""

import contextlib

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import SIGNATURE, ChannelPortalCase


@tagged("post_install", "-at_install")
class TestProbe(ChannelPortalCase):
    # 1. a distributor takes over an end customer's login --------------------

    def test_linking_never_grabs_users_or_the_vendor(self):
        internal = self.salesman.partner_id
        company = self.env.company.partner_id
        for customer in (internal, company, self.portal_cust_a.partner_id):
            customer.parent_id = False
            customer.distributor_id = False
            with self.subTest(customer=customer.name):
                order = self._create_order(self.distributor_a, customer)
                self.assertEqual(order.end_customer_id, customer)
                self.assertFalse(customer.distributor_id)
        # A partner without users is linked, and the vendor has the last
        # word: a channel user changes or detaches its distributor.
        fresh = self.env["res.partner"].create({"name": "Fresh Customer"})
        self._create_order(self.distributor_a, fresh)
        self.assertEqual(fresh.distributor_id, self.distributor_a)
        fresh.with_user(self.channel_user).distributor_id = self.distributor_b
        self.assertEqual(fresh.distributor_id, self.distributor_b)
        fresh.with_user(self.channel_user).distributor_id = False
        self.assertFalse(fresh.distributor_id)

    # 3. sign and decline ---------------------------------------------------

    # 4. the end customer sees the distributor's margin -----------------------

    # 5. a quantity that rounds to nothing ----------------------------------

    # 6. another distributor's end customer -----------------------------------

    def test_other_distributors_customer_takes_a_channel_manager(self):
        vals = self._order_vals(self.distributor_b, self.customer_a)
        for user in (self.salesman, self.channel_user):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(UserError, "only a channel manager"):
                    self.env["sale.order"].with_user(user).create(dict(vals))
        order = self._create_order(self.distributor_b, self.customer_b)
        with self.assertRaisesRegex(UserError, "only a channel manager"):
            order.with_user(self.channel_user).end_customer_id = self.customer_a
        order = self.env["sale.order"].with_user(self.channel_manager).create(vals)
        self.assertEqual(order.end_customer_id, self.customer_a)
        self.assertEqual(self.customer_a.distributor_id, self.distributor_a)
        notes = order.message_ids.filtered(lambda m: "managed by" in (m.body or ""))
        self.assertIn(self.channel_manager.name, notes.body)

    # 7. the salesperson of a portal order ------------------------------------

    # 9. paying and changing a quotation on the portal -------------------------

    @mute_logger("odoo.http")
    def test_distributor_cannot_pay_an_agency_order(self):
        provider, method = self._payment_provider()
        order = self._create_order(
            self.distributor_b,
            self.customer_b,
            financial_role="end_customer",
            require_signature=False,
            require_payment=True,
        )
        order.action_quotation_sent()
        self.login(self.portal_dist_b)
        self.assertFalse(self.pay(order, provider, method))
        self.login(self.portal_cust_b)
        self.assertTrue(self.pay(order, provider, method))

    def edit(self, order, route, params):
        """A quotation edit (sale_management's JSON routes) as the
        logged-in user."""
        with contextlib.suppress(JsonRpcException):
            self.make_jsonrpc_request(f"/my/orders/{order.id}/{route}", params)
        order.invalidate_recordset()

    @mute_logger("odoo.http")
    def test_only_the_invoiced_party_changes_a_sent_quotation(self):
        order = self._create_order(
            self.distributor_b,
            self.customer_b,
            [(self.product_service, 1)],
            financial_role="end_customer",
            require_payment=True,
        )
        Option = self.env["sale.order.option"]
        option, extra = (
            Option.create(
                {
                    "order_id": order.id,
                    "product_id": self.product_setup.id,
                    "name": name,
                    "quantity": 1,
                }
            )
            for name in ("Chosen option", "Other option")
        )
        line = option.add_option_to_order()
        # The vendor's draft: nobody changes it on the portal.
        for user in (self.portal_dist_b, self.portal_cust_b):
            self.login(user)
            self.edit(order, f"add_option/{extra.id}", {})
            self.edit(
                order, "update_line_dict", {"line_id": line.id, "input_quantity": 5}
            )
            self.assertEqual(len(order.order_line), 2)
            self.assertEqual(line.product_uom_qty, 1)
        order.action_quotation_sent()
        order.write(
            {"signature": SIGNATURE, "signed_by": "Lea", "signed_on": "2026-11-01"}
        )
        # Sent and signed by the end customer: the distributor only reads it.
        self.login(self.portal_dist_b)
        self.edit(order, f"add_option/{extra.id}", {})
        self.edit(order, "update_line_dict", {"line_id": line.id, "input_quantity": 20})
        self.assertEqual(len(order.order_line), 2)
        self.assertEqual(line.product_uom_qty, 1)
        self.assertEqual(order.signed_by, "Lea")
        # The end customer changes it: the signature was for the old order.
        self.login(self.portal_cust_b)
        self.edit(order, "update_line_dict", {"line_id": line.id, "input_quantity": 3})
        self.assertEqual(line.product_uom_qty, 3)
        self.assertFalse(order.signature)
        self.assertFalse(order.signed_by)
        self.assertFalse(order.signed_on)
        order.write({"signature": SIGNATURE, "signed_by": "Lea"})
        self.edit(order, f"add_option/{extra.id}", {})
        self.assertEqual(len(order.order_line), 3)
        self.assertFalse(order.signature)
        self.assertFalse(order.signed_by)
