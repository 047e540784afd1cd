# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Found by the third outside probe: who changes a channel partner's credit
terms, who confirms an order past the credit limit, and a held quotation on
the portal."""

from odoo.addons.channel_distribution.tests.common import SIGNATURE
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import RISK_MANAGER, CreditCase

RISK_WIZARD = "partner.risk.exceeded.wiz"


@tagged("post_install", "-at_install")
class TestCreditSecurity(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        contacts = "base.group_user,base.group_partner_manager"
        # Contact Creation: no accounting, no credit group
        cls.contacts = new_test_user(cls.env, "credit_contacts", groups=contacts)
        # Billing (writes Odoo's credit limit), without manager rights
        cls.billing = new_test_user(
            cls.env,
            "credit_billing",
            groups=contacts + ",account.group_account_invoice",
        )
        cls.account_manager = new_test_user(
            cls.env,
            "credit_acc_mgr",
            groups=contacts + ",account.group_account_manager",
        )
        cls.risk_editor = new_test_user(
            cls.env, "credit_risk_mgr", groups=contacts + "," + RISK_MANAGER
        )
        # a salesperson who also is a credit manager
        cls.sales_risk = new_test_user(
            cls.env,
            "credit_sales_risk",
            groups="sales_team.group_sale_salesman_all_leads," + RISK_MANAGER,
            password="credit_sales_risk",
        )
        cls.dist_contact = cls.portal_dist_a.partner_id

    # ------------------------------------------------------------------
    # F5: a channel partner's credit terms are finance's
    # ------------------------------------------------------------------

    def test_credit_terms_refused_to_contacts_sales_and_billing(self):
        """A Contact Creation user took the sales orders out of a
        distributor's risk: its next portal order past the limit was not
        held. Salesmen and billing users without manager rights neither."""
        changes = [
            {"risk_sale_order_include": False},
            {"risk_sale_order_limit": 1e9},
            {"risk_invoice_unpaid_include": True},
            {"risk_channel_subscription_limit": 5.0},
            {"credit_policy": "anything goes"},
            {
                "credit_currency": "manual",
                "manual_credit_currency_id": self.env.ref("base.EUR").id,
            },
        ]
        for user in (self.contacts, self.salesman, self.billing):
            for vals in changes:
                with self.subTest(user=user.login, vals=vals):
                    with self.assertRaisesRegex(UserError, "credit manager"):
                        self.distributor_a.with_user(user).write(vals)
        # Odoo's credit limit: billing writes it elsewhere, not here (nor
        # through Odoo's "Partner Limit" switch, which writes it)
        for vals in ({"credit_limit": 1e9}, {"use_partner_credit_limit": False}):
            with self.assertRaisesRegex(UserError, "credit manager"):
                self.distributor_a.with_user(self.billing).write(vals)
        # the end customer of an agency order is checked on its own credit
        with self.assertRaisesRegex(UserError, "credit manager"):
            self.customer_a.with_user(self.contacts).write(
                {"risk_sale_order_limit": 1e9}
            )
        # a contact of the distributor: its terms follow the distributor's
        with self.assertRaisesRegex(UserError, "credit manager"):
            self.dist_contact.with_user(self.contacts).write(
                {"risk_sale_order_include": True}
            )
        self.distributor_a.invalidate_recordset()
        self.assertTrue(self.distributor_a.risk_sale_order_include)
        self.assertEqual(self.distributor_a.credit_limit, 300.0)
        self.assertFalse(self.distributor_a.credit_policy)
        # the rest of the partner stays theirs, and so does writing a term
        # unchanged (a form saving every field)
        self.distributor_a.with_user(self.contacts).write(
            {"phone": "+32 9 000 00 00", "risk_sale_order_include": True}
        )
        self.distributor_a.with_user(self.billing).write({"credit_limit": 300})
        # the next portal order past the limit is held
        self.company.channel_portal_confirm = True
        order, __ = self.portal_submit(self.portal_dist_a, 2)
        self.assertTrue(order.channel_credit_hold)
        self.assertEqual(order.state, "draft")

    def test_receivable_account_is_a_credit_term(self):
        """The risk reads the open invoices on the partner's receivable
        account: another account moves them out of *Open Invoices*."""
        other = self.env["account.account"].create(
            {
                "name": "T Other Receivable",
                "code": "121099",
                "account_type": "asset_receivable",
                "reconcile": True,
            }
        )
        for user in (self.contacts, self.billing):
            with self.assertRaisesRegex(UserError, "credit manager"):
                self.distributor_a.with_user(user).write(
                    {"property_account_receivable_id": other.id}
                )
        self.distributor_a.with_user(self.account_manager).write(
            {"property_account_receivable_id": other.id}
        )
        self.assertEqual(self.distributor_a.property_account_receivable_id, other)

    def test_credit_terms_on_create_refused(self):
        """A contact or an end customer created with credit terms."""
        Partner = self.env["res.partner"]
        with self.assertRaisesRegex(UserError, "credit manager"):
            Partner.with_user(self.contacts).create(
                {
                    "name": "Credit Contact",
                    "parent_id": self.distributor_a.id,
                    "risk_sale_order_limit": 1e9,
                }
            )
        with self.assertRaisesRegex(UserError, "credit manager"):
            Partner.with_user(self.channel_user).create(
                {
                    "name": "Credit End Customer",
                    "is_company": True,
                    "distributor_id": self.distributor_a.id,
                    "credit_policy": "no limit",
                }
            )
        # nor through the context's defaults
        with self.assertRaisesRegex(UserError, "credit manager"):
            Partner.with_user(self.contacts).with_context(
                default_parent_id=self.distributor_a.id,
                default_risk_sale_order_limit=1e9,
            ).create({"name": "Credit Contact"})
        # without terms (or with what a new partner gets anyway, as a form
        # sends them): created, the distributor's credit limit copied to the
        # contact (Odoo's commercial fields)
        receivable = Partner.default_get(["property_account_receivable_id"])
        contact = Partner.with_user(self.contacts).create(
            {
                "name": "Plain Contact",
                "parent_id": self.distributor_a.id,
                "risk_sale_order_include": False,
                "risk_sale_order_limit": 0.0,
                "credit_currency": "company",
                **receivable,
            }
        )
        self.assertEqual(contact.sudo().credit_limit, 300.0)
        # outside the channel, OCA's rules (the form's) stay
        direct = Partner.with_user(self.contacts).create(
            {"name": "Direct Buyer", "is_company": True, "credit_policy": "cash"}
        )
        direct.with_user(self.contacts).write({"risk_sale_order_include": True})

    def test_credit_terms_by_credit_and_accounting_managers(self):
        """Financial Risk / Manager and the accounting managers set them;
        the contacts of the distributor follow (commercial fields)."""
        self.distributor_a.with_user(self.risk_editor).write(
            {"risk_sale_order_limit": 500.0, "credit_policy": "30 days"}
        )
        self.distributor_a.with_user(self.account_manager).write(
            {"credit_limit": 400.0, "risk_invoice_unpaid_include": True}
        )
        self.assertEqual(self.distributor_a.risk_sale_order_limit, 500.0)
        self.assertEqual(self.distributor_a.credit_policy, "30 days")
        self.assertEqual(self.distributor_a.credit_limit, 400.0)
        self.assertEqual(self.dist_contact.sudo().credit_limit, 400.0)
        contact = (
            self.env["res.partner"]
            .with_user(self.risk_editor)
            .create(
                {
                    "name": "Contact With Terms",
                    "parent_id": self.distributor_a.id,
                    "risk_sale_order_limit": 100.0,
                }
            )
        )
        self.assertEqual(contact.risk_sale_order_limit, 100.0)

    def test_credit_terms_not_laundered_into_the_channel(self):
        """Fourth probe: a salesman set credit terms on a plain partner
        (outside the channel, OCA's rules), then the partner was made a
        distributor or an end customer managed by one: its terms became a
        channel partner's without a credit manager. Making a partner whose
        terms differ from a new partner's part of the channel is a credit
        manager's decision too."""
        Partner = self.env["res.partner"]
        plain = Partner.with_user(self.salesman).create(
            {
                "name": "Launder Ltd",
                "is_company": True,
                "risk_sale_order_limit": 1e9,
                "credit_policy": "no limit",
            }
        )
        person = Partner.with_user(self.salesman).create(
            {"name": "Launder Person", "risk_sale_order_limit": 1e9}
        )
        for user, partner, vals in (
            (self.channel_manager, plain, {"is_distributor": True}),
            (self.channel_user, plain, {"distributor_id": self.distributor_a.id}),
            (self.channel_user, person, {"parent_id": self.distributor_a.id}),
        ):
            with self.subTest(user=user.login, vals=vals):
                with self.assertRaisesRegex(UserError, "credit manager"):
                    partner.with_user(user).write(vals)
        plain.invalidate_recordset()
        self.assertFalse(plain.is_distributor or plain.distributor_id)
        # a partner with a new partner's terms joins the channel as before
        clean = Partner.with_user(self.salesman).create(
            {"name": "Clean Ltd", "is_company": True}
        )
        clean.with_user(self.channel_user).write(
            {"distributor_id": self.distributor_a.id}
        )
        self.assertEqual(clean.distributor_id, self.distributor_a)
        # a credit manager with the channel's rights decides
        chan_risk = new_test_user(
            self.env,
            "credit_chan_risk",
            groups="channel_distribution.group_channel_manager,"
            "base.group_partner_manager," + RISK_MANAGER,
        )
        plain.with_user(chan_risk).write({"is_distributor": True})
        self.assertTrue(plain.is_distributor)

    # ------------------------------------------------------------------
    # F4: confirming past the limit is a credit manager's decision
    # ------------------------------------------------------------------

    def _held_copy(self, quantity=2):
        self.company.channel_portal_confirm = True
        order, __ = self.portal_submit(self.portal_dist_a, quantity)
        self.assertTrue(order.channel_credit_hold)
        copy = order.with_user(self.salesman).copy()
        self.assertFalse(copy.channel_credit_hold)
        return order, copy

    @mute_logger("odoo.http")
    def test_copy_of_held_order_bypass_is_a_credit_managers(self):
        """A salesman copied a held portal order and confirmed the copy past
        the limit with OCA's ``bypass_risk`` over call_kw, or through OCA's
        wizard (its button is hidden to him, the server did not care)."""
        __, copy = self._held_copy()
        # the context key sent over RPC: checked again, OCA's wizard back
        self.login(self.salesman)
        answer = self.call_kw(
            "sale.order",
            "action_confirm",
            [copy.ids],
            {"context": {"bypass_risk": True}},
        )
        copy.invalidate_recordset()
        self.assertEqual(copy.state, "draft")
        self.assertEqual(answer["result"]["res_model"], RISK_WIZARD)
        wizard = self.env[RISK_WIZARD].browse(answer["result"]["res_id"])
        # nor a sales manager's
        action = (
            copy.with_user(self.channel_manager)
            .with_context(bypass_risk=True)
            .action_confirm()
        )
        self.assertEqual(action["res_model"], RISK_WIZARD)
        # the wizard's Continue, over call_kw and in Python
        answer = self.call_kw(RISK_WIZARD, "button_continue", [wizard.ids])
        self.assertIn("credit manager", answer["error"]["data"]["message"])
        with self.assertRaisesRegex(UserError, "credit manager"):
            wizard.with_user(self.channel_manager).button_continue()
        copy.invalidate_recordset()
        self.assertEqual(copy.state, "draft")
        # a credit manager decides
        wizard.with_user(self.sales_risk).button_continue()
        self.assertEqual(copy.state, "sale")

    def test_bypass_key_checks_like_any_order(self):
        """Within the limit the key changes nothing: the order is
        confirmed; a credit manager's key bypasses as in OCA."""
        order, copy = self._held_copy()
        small = self._create_order(
            self.distributor_a,
            self.customer_a,
            [(self.product_service, 1)],
            user_id=self.salesman.id,
        )
        # 160 + 80 <= 300
        small.with_user(self.salesman).with_context(bypass_risk=True).action_confirm()
        self.assertEqual(small.state, "sale")
        copy.with_user(self.sales_risk).with_context(bypass_risk=True).action_confirm()
        self.assertEqual(copy.state, "sale")
        # the held order itself still needs its release
        with self.assertRaisesRegex(UserError, "credit hold"):
            order.with_user(self.sales_risk).with_context(
                bypass_risk=True
            ).action_confirm()

    @mute_logger("odoo.http")
    def test_invoice_past_the_limit_posted_by_credit_managers_only(self):
        """Fourth probe: an accountant posted a distributor's invoice past
        its credit limit with OCA's ``bypass_risk`` key over call_kw, or
        with the wizard's Continue (hidden to it in OCA's view only)."""
        # open invoices count: the invoice would take the risk past 50
        self.distributor_a.write(
            {"credit_limit": 50.0, "risk_invoice_open_include": True}
        )
        invoice = self.order_a._create_invoices()
        self.assertEqual(invoice.partner_id, self.distributor_a)
        # OCA's check stops the accountant's posting: its wizard
        action = invoice.with_user(self.accountant).action_post()
        self.assertEqual(action["res_model"], RISK_WIZARD)
        self.assertEqual(invoice.state, "draft")
        self.login(self.accountant)
        answer = self.call_kw(
            "account.move",
            "action_post",
            [invoice.ids],
            {"context": {"bypass_risk": True}},
        )
        invoice.invalidate_recordset()
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(answer["result"]["res_model"], RISK_WIZARD)
        wizard = self.env[RISK_WIZARD].browse(answer["result"]["res_id"])
        answer = self.call_kw(RISK_WIZARD, "button_continue", [wizard.ids])
        self.assertIn("credit manager", answer["error"]["data"]["message"])
        with self.assertRaisesRegex(UserError, "credit manager"):
            wizard.with_user(self.accountant).button_continue()
        invoice.invalidate_recordset()
        self.assertEqual(invoice.state, "draft")
        # a credit manager (with invoicing rights) decides
        wizard.with_user(self.credit_manager).button_continue()
        self.assertEqual(invoice.state, "posted")

    def test_risk_wizard_calls_public_methods_only(self):
        """OCA's wizard calls the method it is given on the record it is
        given: a private one is never reached through it."""
        direct = self._create_direct_order(self._create_direct_customer())
        wizard = (
            self.env[RISK_WIZARD]
            .with_user(self.sales_risk)
            .create(
                {
                    "origin_reference": f"sale.order,{direct.id}",
                    "continue_method": "_action_cancel",
                }
            )
        )
        with self.assertRaisesRegex(UserError, "cannot continue"):
            wizard.button_continue()
        self.assertNotEqual(direct.state, "cancel")

    # ------------------------------------------------------------------
    # F8: a held quotation is neither sent nor signed
    # ------------------------------------------------------------------

    def test_held_quotation_not_sent(self):
        self.company.channel_portal_confirm = True
        order, __ = self.portal_submit(self.portal_dist_a, 2)
        self.assertTrue(order.channel_credit_hold)
        for method in ("action_quotation_send", "action_quotation_sent"):
            with self.assertRaisesRegex(UserError, "credit hold"):
                getattr(order.with_user(self.salesman), method)()
        with self.assertRaisesRegex(UserError, "credit hold"):
            order.with_user(self.salesman).with_context(
                mark_so_as_sent=True
            ).message_post(body="Your quotation")
        self.assertEqual(order.state, "draft")

    @mute_logger("odoo.http")
    def test_held_quotation_not_signed_on_portal(self):
        """Sent before the hold (or marked sent some other way): no Accept
        button and the route refuses, until a credit manager releases it."""
        self.company.channel_portal_confirm = False
        order, __ = self.portal_submit(self.portal_dist_a, 2)
        self.assertTrue(order.channel_credit_hold)
        order.write({"state": "sent", "require_signature": True})
        self.login(self.portal_dist_a)
        page = self.url_open(f"/my/orders/{order.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_channel_credit_hold", page.text)
        self.assertNotIn('data-bs-target="#modalaccept"', page.text)
        answer = self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {"name": "Nora", "signature": SIGNATURE},
        )
        self.assertIn("error", answer)
        order.invalidate_recordset()
        self.assertFalse(order.signature)
        self.assertEqual(order.state, "sent")
        # nor paid (Odoo's transaction route)
        provider, method = self._payment_provider()
        self.assertFalse(self.pay(order, provider, method))
        # released (and kept a quotation: the setting): signed as usual
        order.with_user(self.credit_manager)._channel_credit_release("prepaid")
        page = self.url_open(f"/my/orders/{order.id}")
        self.assertIn('data-bs-target="#modalaccept"', page.text)

    # ------------------------------------------------------------------
    # Ninth probe, P9-6: the stored credit figures of a channel order
    # ------------------------------------------------------------------

    @mute_logger("odoo.http", "odoo.models")
    def test_salesman_never_writes_the_credit_figures_of_a_channel_order(self):
        """OCA's risk of a channel order's line (what it counts against its
        invoiced party's limit, and whose limit), the credit left the held
        order's page shows and the portal form's replay token: no user
        writes them (a line's risk written 0 took the distributor's
        confirmed orders out of its credit limit)."""
        order = self._create_order(
            self.distributor_b,
            self.customer_b,
            financial_role="distributor",
            user_id=self.salesman.id,
        )
        order.action_confirm()
        line = order.order_line[:1]
        party = order.partner_invoice_id.commercial_partner_id
        risk = party.risk_sale_order
        self.assertTrue(risk)
        rows = [
            (line, "risk_amount", 0.0),
            (line, "risk_partner_id", self.customer_a.id),
            (order, "channel_credit_available", 999999.0),
            (order, "channel_portal_token", "probe-9"),
        ]
        self.login(self.salesman)
        for records, name, value in rows:
            with self.subTest(field=name, path="orm"):
                with self.assertRaises(UserError):
                    records.with_user(self.salesman).write({name: value})
            with self.subTest(field=name, path="rpc"):
                result = self.call_kw(
                    records._name, "write", [records.ids, {name: value}]
                )
                self.assertIn("error", result)
        self.env.invalidate_all()
        self.assertEqual(line.risk_partner_id, party)
        self.assertEqual(party.risk_sale_order, risk)
        self.assertFalse(order.channel_portal_token)
