# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from .common import InvoicingCase


@tagged("post_install", "-at_install")
class TestInvoicing(InvoicingCase):
    def test_one_invoice_per_distributor_across_end_customers(self):
        other = self._create_order(
            self.distributor_b,
            self.customer_b,
            financial_role="distributor",
            client_order_ref="PO-B-1",
        )
        self.distributor_b.write({"street": "2 Other Street", "city": "Lille"})
        other.action_confirm()
        orders = self.order_1 | self.order_2 | other
        action = orders.action_create_distributor_invoices()
        invoices = self._invoices_of(orders)
        self.assertEqual(len(invoices), 2)
        self.assertEqual(action["type"], "ir.actions.act_window")
        self.assertEqual(action["domain"], [("id", "in", invoices.ids)])
        invoice_a = invoices.filtered(lambda m: m.partner_id == self.distributor_a)
        self._assert_layout(invoice_a, self.order_1 | self.order_2)
        self.assertEqual(invoice_a.end_customer_ids, self.customer_a | self.customer_c)
        self.assertEqual(invoice_a.channel_distributor_id, self.distributor_a)
        self.assertEqual(invoice_a.ref, "PO-A-1, PO-A-2")
        self.assertAlmostEqual(
            invoice_a.amount_untaxed,
            self.order_1.amount_untaxed + self.order_2.amount_untaxed,
        )
        # searchable end customers
        found = self.env["account.move"].search(
            [("end_customer_ids", "in", self.customer_c.ids)]
        )
        self.assertEqual(found, invoice_a)
        invoice_b = invoices - invoice_a
        self.assertEqual(invoice_b.partner_id, self.distributor_b)
        self._assert_layout(invoice_b, other)
        self.assertTrue(
            all(o.invoice_status == "invoiced" for o in orders),
            orders.mapped("invoice_status"),
        )

    def test_agency_order_invoiced_to_end_customer(self):
        self.customer_b.write({"street": "3 Agency Road", "city": "Namur"})
        agency = self._create_order(self.distributor_b, self.customer_b)
        self.assertEqual(agency.financial_role, "end_customer")
        agency.action_confirm()
        (agency | self.order_1).action_create_distributor_invoices()
        invoice = self._invoices_of(agency)
        self.assertEqual(invoice.partner_id, self.customer_b)
        self.assertFalse(invoice.invoice_line_ids.filtered("channel_order_id"))
        self.assertEqual(invoice.invoice_origin, agency.name)
        self.assertEqual(invoice.end_customer_ids, self.customer_b)
        self.assertEqual(invoice.invoice_line_ids.distributor_id, self.distributor_b)
        self._assert_layout(self._invoices_of(self.order_1), self.order_1)

    def test_agency_invoice_shows_no_distributor_reference(self):
        """The distributor's PO numbers belong on the distributor's documents:
        the end customer's invoice of agency orders names none, neither in
        its reference nor in its sections (issue 24, item 11)."""
        self.customer_b.write({"street": "3 Agency Road", "city": "Namur"})
        agency = self._create_order(
            self.distributor_b, self.customer_b, client_order_ref="PO-B-SECRET-1"
        ) | self._create_order(
            self.distributor_b, self.customer_b, client_order_ref="PO-B-SECRET-2"
        )
        self.assertEqual(set(agency.mapped("financial_role")), {"end_customer"})
        agency.action_confirm()
        (agency | self.order_1).action_create_distributor_invoices()
        invoice = self._invoices_of(agency)
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.partner_id, self.customer_b)
        shown = [invoice.ref or "", invoice.payment_reference or ""] + (
            invoice.invoice_line_ids.mapped("name")
        )
        self.assertFalse([text for text in shown if "SECRET" in text], shown)
        self.assertEqual(
            sorted(invoice.invoice_origin.split(", ")), sorted(agency.mapped("name"))
        )
        # The distributor's own invoice keeps its PO numbers.
        self.assertEqual(self._invoices_of(self.order_1).ref, "PO-A-1")

    def test_standard_wizard_gives_same_layout(self):
        orders = self.order_1 | self.order_2
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=orders.ids)
            .create(
                {"advance_payment_method": "delivered", "consolidated_billing": True}
            )
        )
        wizard.create_invoices()
        invoice = self._invoices_of(orders)
        self.assertEqual(len(invoice), 1)
        self._assert_layout(invoice, orders)

    def test_fiscal_position_splits_invoices(self):
        fpos = self.env["account.fiscal.position"].create({"name": "Test Export"})
        self.order_2.fiscal_position_id = fpos
        invoices = (self.order_1 | self.order_2)._create_invoices()
        self.assertEqual(len(invoices), 2)
        self.assertEqual(invoices.partner_id, self.distributor_a)

    def test_credit_note_same_layout(self):
        orders = self.order_1 | self.order_2
        orders.action_create_distributor_invoices()
        self._invoices_of(orders).action_post()
        # decreased after invoicing
        self.order_1.order_line[0].product_uom_qty = 1
        self.order_2.order_line.product_uom_qty = 1
        self.assertEqual(set(orders.mapped("invoice_status")), {"to invoice"})
        action = orders.action_create_distributor_invoices()
        refund = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.partner_id, self.distributor_a)
        self._assert_layout(refund, orders)
        self.assertAlmostEqual(refund.amount_untaxed, 80.0 + 160.0)
        self.assertEqual(set(orders.mapped("invoice_status")), {"invoiced"})

    def test_down_payment_deducted(self):
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=self.order_1.ids)
            .create({"advance_payment_method": "percentage", "amount": 50})
        )
        wizard.create_invoices()
        down_payment = self._invoices_of(self.order_1)
        self.assertEqual(len(down_payment), 1)
        self.assertAlmostEqual(down_payment.amount_untaxed, 180.0)
        self.assertEqual(down_payment.end_customer_ids, self.customer_a)
        down_payment.action_post()
        orders = self.order_1 | self.order_2
        orders.action_create_distributor_invoices()
        final = self._invoices_of(orders) - down_payment
        self.assertEqual(len(final), 1)
        deduction = final.invoice_line_ids.filtered("is_downpayment").filtered(
            lambda line: line.display_type == "product"
        )
        self.assertEqual(deduction.end_customer_id, self.customer_a)
        self.assertAlmostEqual(deduction.price_subtotal, -180.0)
        self.assertAlmostEqual(final.amount_untaxed, 360.0 + 240.0 - 180.0)
        sections = {s["order"]: s for s in final._get_channel_sections()}
        self.assertAlmostEqual(sections[self.order_1]["subtotal"], 180.0)
        self.assertAlmostEqual(sections[self.order_2]["subtotal"], 240.0)

    def test_report_html(self):
        orders = self.order_1 | self.order_2
        orders.action_create_distributor_invoices()
        invoice = self._invoices_of(orders)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )
        for order in orders:
            self.assertIn(order.name, html)
            self.assertIn(order.client_order_ref, html)
            self.assertIn(
                f"Subtotal <span>{order.name}</span> - <span>"
                f"{order.end_customer_id.name}</span>",
                " ".join(html.split()),
            )
        self.assertIn("End Customer A", html)
        self.assertIn("Bruges", html)
        self.assertIn("9 Canal Road", html)
        self.assertEqual(html.count("o_channel_order_subtotal"), 2)
        # One subtotal per order: the standard section subtotal is not repeated.
        self.assertNotIn("is-subtotal", html)
        self.assertIn("360.00", html)
        self.assertIn("240.00", html)

    def test_report_end_customer_address_once(self):
        """Several sections of one end customer: its name and address are
        printed under its first section only."""
        order_3 = self._create_order(
            self.distributor_a, self.customer_c, [(self.product_service, 1)]
        )
        order_3.action_confirm()
        orders = self.order_1 | self.order_2 | order_3
        orders.action_create_distributor_invoices()
        invoice = self._invoices_of(orders)
        self.assertEqual(len(invoice), 1)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", invoice.ids)[0]
            .decode()
        )
        self.assertEqual(html.count("o_channel_order_subtotal"), 3)
        self.assertEqual(html.count("o_channel_end_customer"), 2)
        self.assertEqual(html.count("9 Canal Road"), 1)

    def test_invoice_analysis_by_end_customer_and_distributor(self):
        orders = self.order_1 | self.order_2
        orders.action_create_distributor_invoices()
        invoice = self._invoices_of(orders)
        groups = self.env["account.invoice.report"]._read_group(
            [("move_id", "=", invoice.id)],
            ["distributor_id", "end_customer_id"],
            ["price_subtotal:sum"],
        )
        totals = {
            (distributor, customer): amount for distributor, customer, amount in groups
        }
        self.assertEqual(
            totals,
            {
                (self.distributor_a, self.customer_a): 360.0,
                (self.distributor_a, self.customer_c): 240.0,
            },
        )

    def test_nothing_to_invoice(self):
        Move = self.env["account.move"]
        with self.assertRaisesRegex(UserError, "Select the orders"):
            self.env["sale.order"].action_create_distributor_invoices()
        quotation = self._create_order(self.distributor_a, self.customer_a)
        count = Move.search_count([])
        with self.assertRaisesRegex(UserError, quotation.name):
            quotation.action_create_distributor_invoices()
        self.assertEqual(Move.search_count([]), count)

    def test_already_invoiced_orders_are_skipped_and_named(self):
        self.order_1.action_create_distributor_invoices()
        first = self._invoices_of(self.order_1)
        with self.assertRaisesRegex(UserError, self.order_1.name):
            self.order_1.action_create_distributor_invoices()
        action = (self.order_1 | self.order_2).action_create_distributor_invoices()
        second = self._invoices_of(self.order_2)
        self.assertNotEqual(first, second)
        self.assertEqual(self._invoices_of(self.order_1), first)
        self._assert_layout(second, self.order_2)
        self.assertIn(self.order_1.name, second.message_ids[0].body)
        # The user is told before the invoice opens.
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn(self.order_1.name, action["params"]["message"])
        self.assertNotIn(self.order_2.name, action["params"]["message"])
        self.assertEqual(action["params"]["next"]["res_id"], second.id)

    def _order_in_new_company(self):
        company_2 = self.env["res.company"].create({"name": "Channel Company 2"})
        self.env.user.company_ids |= company_2
        (self.book_gold | self.book_public).company_id = False
        order = self._create_order(
            self.distributor_a, self.customer_c, company_id=company_2.id
        )
        order.with_company(company_2).action_confirm()
        return order

    def test_orders_of_different_companies(self):
        other = self._order_in_new_company()
        Move = self.env["account.move"].sudo()
        count = Move.search_count([])
        with self.assertRaisesRegex(UserError, "one company at a time"):
            (self.order_1 | other).action_create_distributor_invoices()
        self.assertEqual(Move.search_count([]), count)
        self.assertEqual(self.order_1.invoice_status, "to invoice")

    def test_distributor_without_invoice_address(self):
        self.distributor_a.write({"street": False, "city": False})
        count = self.env["account.move"].search_count([])
        with self.assertRaisesRegex(UserError, "no invoice address"):
            (self.order_1 | self.order_2).action_create_distributor_invoices()
        self.assertEqual(self.env["account.move"].search_count([]), count)

    def test_company_without_sales_journal(self):
        # a new company without a chart of accounts has no journal
        order = self._order_in_new_company()
        self.assertFalse(order.journal_id)
        count = self.env["account.move"].sudo().search_count([])
        with self.assertRaisesRegex(UserError, "no sales journal"):
            order.with_company(order.company_id).action_create_distributor_invoices()
        self.assertEqual(self.env["account.move"].sudo().search_count([]), count)

    def test_demo_has_a_posted_consolidated_invoice(self):
        orders = (
            self.env.ref("channel_distribution.order_resale_acme")
            | self.env.ref("channel_distribution.order_resale_greenfield")
            | self.env.ref("channel_distribution.order_resale_harbor")
        )
        invoice = self._invoices_of(orders)
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(
            invoice.partner_id,
            self.env.ref("channel_distribution.distributor_northwind"),
        )
        self._assert_layout(invoice, orders.sorted(lambda o: (o.date_order, o.id)))

    def test_server_action(self):
        action = self.env.ref(
            "channel_distribution_invoicing.action_create_distributor_invoices"
        )
        result = action.with_context(
            active_model="sale.order",
            active_ids=(self.order_1 | self.order_2).ids,
        ).run()
        invoice = self._invoices_of(self.order_1 | self.order_2)
        self.assertEqual(result["res_id"], invoice.id)


@tagged("post_install", "-at_install")
class TestInvoicingSchedule(InvoicingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_schedule(email="billing@distributor-c.example.com")

    def test_next_dates(self):
        partner = self.distributor_a
        partner.write({"channel_invoicing_period": "weekly"})
        partner.channel_invoicing_weekday = "2"  # Wednesday
        self.assertEqual(
            partner._channel_next_invoicing_date(date(2026, 3, 2)), date(2026, 3, 4)
        )
        self.assertEqual(
            partner._channel_next_invoicing_date(date(2026, 3, 4)), date(2026, 3, 11)
        )
        self.assertGreaterEqual(partner.channel_invoicing_next_date, self.today)
        self.assertLess(
            partner.channel_invoicing_next_date, self.today + timedelta(days=7)
        )
        partner.write({"channel_invoicing_period": "monthly"})
        partner.channel_invoicing_monthday = 31
        self.assertEqual(
            partner._channel_next_invoicing_date(date(2026, 2, 10)), date(2026, 2, 28)
        )
        self.assertEqual(
            partner._channel_next_invoicing_date(date(2026, 2, 28)), date(2026, 3, 31)
        )
        self.assertEqual(
            partner._channel_next_invoicing_date(date(2026, 12, 31)), date(2027, 1, 31)
        )
        partner.channel_invoicing_period = "manual"
        self.assertFalse(partner.channel_invoicing_next_date)

    def test_interrupted_run_resumes(self):
        SaleOrder = self.env["sale.order"]
        # A run that stops after its first batch (one distributor)...
        self.assertEqual(SaleOrder._cron_create_distributor_invoices(batch_limit=1), 1)
        first = self._invoices_of(self.order_1 | self.order_2)
        self.assertEqual(len(first), 1)
        self._assert_layout(first, self.order_1 | self.order_2)
        self.assertFalse(self._invoices_of(self.order_3))
        self.assertGreater(self.distributor_a.channel_invoicing_next_date, self.today)
        self.assertEqual(self.distributor_a.channel_invoicing_last_date, self.today)
        # ...is resumed by the next one, which invoices the rest only.
        self.assertEqual(SaleOrder._cron_create_distributor_invoices(), 1)
        self.assertEqual(self._invoices_of(self.order_1 | self.order_2), first)
        self.assertEqual(len(self._invoices_of(self.order_3)), 1)
        self.assertEqual(SaleOrder._cron_create_distributor_invoices(), 0)
        self.assertEqual(
            len(self._invoices_of(self.order_1 | self.order_2 | self.order_3)), 2
        )

    def test_manual_distributors_are_left_alone(self):
        self.distributor_c.channel_invoicing_period = "manual"
        self.env["sale.order"]._cron_create_distributor_invoices()
        self.assertFalse(self._invoices_of(self.order_3))
        self.assertTrue(self._invoices_of(self.order_1))

    def test_progress_reported(self):
        cron = self.env.ref(
            "channel_distribution_invoicing.ir_cron_distributor_invoicing"
        )
        __, progress = cron._add_progress()
        self.env["sale.order"].with_context(
            ir_cron_progress_id=progress.id
        )._cron_create_distributor_invoices(batch_limit=1)
        self.assertEqual((progress.done, progress.remaining), (1, 1))

    def test_failing_distributor_does_not_block_the_others(self):
        self.distributor_a.write({"street": False, "city": False})
        SaleOrder = self.env["sale.order"]
        SaleOrder._cron_create_distributor_invoices()
        self.assertFalse(self._invoices_of(self.order_1))
        self.assertTrue(self._invoices_of(self.order_3))
        self.assertIn("no invoice address", self.distributor_a.message_ids[0].body)
        # Not moved on: retried by the next run, and finance is alerted (no
        # user in the settings: the company's first billing administrator).
        self.assertEqual(self.distributor_a.channel_invoicing_next_date, self.today)
        activity = self.distributor_a.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertTrue(
            activity.user_id.has_group("account.group_account_manager"),
            activity.user_id.name,
        )
        self.assertIn("no invoice address", str(activity.note))
        # The same day's further batches leave it for the next run...
        self.assertEqual(SaleOrder._cron_create_distributor_invoices(), 0)
        self.assertEqual(len(self.distributor_a.activity_ids), 1)
        # ...which invoices it once the address is fixed and closes the alert.
        self.distributor_a.write({"street": "1 Channel Street", "city": "Rotterdam"})
        self.distributor_a.channel_invoicing_last_date = self.today - timedelta(days=1)
        self.assertEqual(SaleOrder._cron_create_distributor_invoices(), 1)
        self._assert_layout(
            self._invoices_of(self.order_1 | self.order_2), self.order_1 | self.order_2
        )
        self.assertGreater(self.distributor_a.channel_invoicing_next_date, self.today)
        self.assertFalse(self.distributor_a.activity_ids)

    def test_failure_alerts_the_user_of_the_settings(self):
        finance = new_test_user(
            self.env, "channel_finance", groups="account.group_account_invoice"
        )
        self.company.channel_invoicing_user_id = finance
        self.distributor_a.write({"street": False, "city": False})
        self.env["sale.order"]._cron_create_distributor_invoices()
        self.assertEqual(self.distributor_a.activity_ids.user_id, finance)

    def test_agency_orders_one_invoice_per_end_customer(self):
        """Agency orders of a scheduled distributor are invoiced by the job
        too, each to its end customer: one invoice per end customer."""
        self.distributor_b.write(
            {
                "street": "2 Other Street",
                "city": "Lille",
                "channel_invoicing_period": "weekly",
            }
        )
        self.distributor_b.channel_invoicing_next_date = self.today
        customer_e = self.env["res.partner"].create(
            {"name": "End Customer E", "is_company": True, "city": "Mons"}
        )
        self.customer_b.write({"street": "3 Agency Road", "city": "Namur"})
        agency = (
            self._create_order(self.distributor_b, self.customer_b)
            | self._create_order(self.distributor_b, self.customer_b)
            | self._create_order(self.distributor_b, customer_e)
        )
        resale = self._create_order(
            self.distributor_b, self.customer_b, financial_role="distributor"
        )
        self.assertEqual(set(agency.mapped("financial_role")), {"end_customer"})
        (agency | resale).action_confirm()
        self.env["sale.order"]._cron_create_distributor_invoices()
        self.assertEqual(set(agency.mapped("invoice_status")), {"invoiced"})
        invoices = self._invoices_of(agency)
        self.assertEqual(len(invoices), 2)
        self.assertEqual(invoices.partner_id, self.customer_b | customer_e)
        self.assertEqual(
            self._invoices_of(agency[:2]).partner_id, self.customer_b, "one invoice"
        )
        self.assertEqual(self._invoices_of(resale).partner_id, self.distributor_b)
        self.assertGreater(self.distributor_b.channel_invoicing_next_date, self.today)
        # The schedule's help says so.
        self.assertIn(
            "agency orders on one invoice per end customer",
            self.env["res.partner"]._fields["channel_invoicing_period"].help,
        )

    def test_post_and_send(self):
        self.company.write(
            {"channel_invoice_auto_post": True, "channel_invoice_auto_send": True}
        )
        self.env["sale.order"]._cron_create_distributor_invoices()
        invoice = self._invoices_of(self.order_1)
        self.assertEqual(invoice.state, "posted")
        sent = invoice.message_ids.filtered(
            lambda m: self.distributor_a in m.partner_ids
        )
        self.assertTrue(sent, invoice.message_ids.mapped("body"))
        self.assertTrue(invoice.is_move_sent)


@tagged("post_install", "-at_install")
class TestInvoicingConcurrency(TransactionCase):
    """Two transactions on separate connections: nothing is invoiced twice."""

    def _setup_committed_orders(self):
        with self.registry.cursor() as cr:
            env = self.env(cr=cr)
            northwind = env.ref("channel_distribution.distributor_northwind")
            customers = [
                env.ref("channel_distribution.end_customer_acme"),
                env.ref("channel_distribution.end_customer_greenfield"),
                env.ref("channel_distribution.end_customer_harbor"),
            ]
            product = env.ref("channel_distribution.product_mail")
            orders = env["sale.order"].create(
                [
                    {
                        "distributor_id": northwind.id,
                        "end_customer_id": customer.id,
                        "client_order_ref": "CONCURRENCY-TEST",
                        "order_line": [
                            Command.create(
                                {"product_id": product.id, "product_uom_qty": 1}
                            )
                        ],
                    }
                    for customer in customers
                ]
            )
            orders.action_confirm()
            ids = orders.ids
        self.addCleanup(self._cleanup, ids)
        return ids

    def _cleanup(self, order_ids):
        with self.registry.cursor() as cr:
            env = self.env(cr=cr)
            orders = env["sale.order"].browse(order_ids).exists()
            moves = orders.order_line.invoice_lines.move_id
            moves.filtered(lambda m: m.state == "posted").button_draft()
            moves.with_context(force_delete=True).unlink()
            orders._action_cancel()
            orders.unlink()

    def test_two_transactions_never_invoice_an_order_twice(self):
        ids = self._setup_committed_orders()
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            cr_b.execute("SET LOCAL lock_timeout = '10s'")
            env_a, env_b = self.env(cr=cr_a), self.env(cr=cr_b)
            # worker A takes the first two orders and has not committed yet
            env_a["sale.order"].browse(ids[:2]).action_create_distributor_invoices()
            # worker B, at the same time, is asked for all three
            env_b["sale.order"].browse(ids).action_create_distributor_invoices()
            # and when it is asked for the two taken ones only, gets nothing
            with self.assertRaisesRegex(UserError, "Nothing to invoice"):
                with cr_b.savepoint():
                    env_b["sale.order"].browse(ids[:2])._create_distributor_invoices()
            cr_a.commit()
            cr_b.commit()
        with self.registry.cursor() as cr:
            env = self.env(cr=cr)
            orders = env["sale.order"].browse(ids)
            for order in orders:
                self.assertEqual(len(order.order_line.invoice_lines.move_id), 1)
                self.assertEqual(order.order_line.qty_invoiced, 1)
            self.assertEqual(len(orders.order_line.invoice_lines.move_id), 2)


@tagged("post_install", "-at_install")
class TestInvoicingPortal(HttpCase):
    def test_distributor_sees_its_consolidated_invoice_only(self):
        Partner = self.env["res.partner"]
        distributor = self.env.ref("channel_distribution.distributor_northwind")
        other = self.env.ref("channel_distribution.distributor_cedar")
        users = {}
        for company in (distributor, other):
            contact = Partner.create(
                {"name": f"Accountant {company.name}", "parent_id": company.id}
            )
            login = f"billing-{company.id}"
            users[company] = self.env["res.users"].create(
                {
                    "login": login,
                    "password": login + "-pw",
                    "partner_id": contact.id,
                    "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
                }
            )
        product = self.env.ref("channel_distribution.product_backup")
        orders = self.env["sale.order"].create(
            [
                {
                    "distributor_id": distributor.id,
                    "end_customer_id": self.env.ref(
                        f"channel_distribution.end_customer_{name}"
                    ).id,
                    "order_line": [Command.create({"product_id": product.id})],
                }
                for name in ("acme", "greenfield")
            ]
        )
        orders.action_confirm()
        action = orders.action_create_distributor_invoices()
        invoice = self.env["account.move"].browse(action["res_id"])
        invoice.action_post()
        self.assertEqual(invoice.partner_id, distributor)

        login = users[distributor].login
        self.authenticate(login, login + "-pw")
        response = self.url_open(f"/my/invoices/{invoice.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(invoice.name, response.text)
        listing = self.url_open("/my/invoices")
        self.assertIn(invoice.name, listing.text)

        login = users[other].login
        self.authenticate(login, login + "-pw")
        response = self.url_open(f"/my/invoices/{invoice.id}")
        self.assertNotIn(invoice.name, response.text)
        self.assertNotIn(f"/my/invoices/{invoice.id}", response.url)
        listing = self.url_open("/my/invoices")
        self.assertNotIn(invoice.name, listing.text)


@tagged("post_install", "-at_install")
class TestInvoicingCorrections(InvoicingCase):
    """Corrections and cancellations of invoiced channel orders."""

    def _new_moves(self, before):
        return self.env["account.move"].search([("id", "not in", before.ids)])

    def _cancel(self, order):
        return order.with_context(disable_cancel_warning=True).action_cancel()

    def test_reduction_and_new_sale_are_not_netted(self):
        """New sales go on an invoice, each correction on a credit note of
        the invoice it corrects; nothing is netted across orders."""
        invoice_1 = self._post_invoice(self.order_1)
        invoice_2 = self._post_invoice(self.order_2)
        # Both decreased after invoicing, and a new, smaller sale.
        self.order_1.order_line.filtered(
            lambda line: line.product_id == self.product_setup
        ).product_uom_qty = 0
        self.order_2.order_line.product_uom_qty = 2
        new = self._create_order(
            self.distributor_a,
            self.customer_c,
            [(self.product_service, 1)],
            client_order_ref="PO-A-3",
        )
        new.action_confirm()
        orders = self.order_1 | self.order_2 | new
        before = self.env["account.move"].search([])
        orders.action_create_distributor_invoices()
        moves = self._new_moves(before)
        self.assertEqual(len(moves), 3)
        sale = moves.filtered(lambda m: m.move_type == "out_invoice")
        self.assertEqual(len(sale), 1)
        self._assert_layout(sale, new)
        self.assertAlmostEqual(sale.amount_untaxed, 80.0)
        self.assertEqual(sale.ref, "PO-A-3")
        self.assertFalse(sale.reversed_entry_id)
        refunds = moves - sale
        self.assertEqual(set(refunds.mapped("move_type")), {"out_refund"})
        refund_1 = refunds.filtered(lambda m: m.reversed_entry_id == invoice_1)
        refund_2 = refunds.filtered(lambda m: m.reversed_entry_id == invoice_2)
        self._assert_layout(refund_1, self.order_1)
        self._assert_layout(refund_2, self.order_2)
        self.assertAlmostEqual(refund_1.amount_untaxed, 200.0)
        self.assertAlmostEqual(refund_2.amount_untaxed, 80.0)
        self.assertEqual(refund_1.partner_id, self.distributor_a)
        self.assertEqual(set(orders.mapped("invoice_status")), {"invoiced"})

    def test_cancel_posted_order_refused_by_default(self):
        invoice = self._post_invoice(self.order_1 | self.order_2)
        self.assertEqual(self.company.channel_cancel_invoiced, "refuse")
        with self.assertRaisesRegex(UserError, "credit it first") as caught:
            self._cancel(self.order_1)
        self.assertIn(invoice.name, str(caught.exception))
        self.assertEqual(self.order_1.state, "sale")
        self.assertEqual(invoice.state, "posted")
        # Credited first, it can be cancelled.
        self.company.channel_cancel_invoiced = "credit"
        self._cancel(self.order_1)
        self.assertEqual(self.order_1.state, "cancel")

    def test_cancel_posted_order_credits_its_section(self):
        self.company.channel_cancel_invoiced = "credit"
        invoice = self._post_invoice(self.order_1 | self.order_2)
        before = self.env["account.move"].search([])
        self._cancel(self.order_1)
        self.assertEqual(self.order_1.state, "cancel")
        refund = self._new_moves(before)
        self.assertEqual(len(refund), 1)
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.reversed_entry_id, invoice)
        self.assertEqual(refund.partner_id, self.distributor_a)
        self._assert_layout(refund, self.order_1)
        self.assertAlmostEqual(refund.amount_untaxed, 360.0)
        self.assertEqual(refund.invoice_origin, self.order_1.name)
        self.assertIn("PO-A-1", refund.ref)
        self.assertNotIn("PO-A-2", refund.ref)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(self.order_2.invoice_status, "invoiced")
        # Both chatters say what happened.
        order_note = self.order_1.message_ids[0].body
        self.assertIn(invoice.name, order_note)
        link = rf"data-oe-model=.account\.move. data-oe-id=.{refund.id}."
        self.assertRegex(order_note, link)
        invoice_note = invoice.message_ids[0].body
        self.assertIn(self.order_1.name, invoice_note)
        self.assertRegex(invoice_note, link)
        self.assertIn("credit note", invoice_note)

    def test_cancel_keeps_other_orders_on_shared_draft(self):
        orders = self.order_1 | self.order_2
        orders.action_create_distributor_invoices()
        invoice = self._invoices_of(orders)
        self._cancel(self.order_1)
        self.assertEqual(self.order_1.state, "cancel")
        self.assertEqual(invoice.state, "draft")
        self._assert_layout(invoice, self.order_2)
        self.assertAlmostEqual(invoice.amount_untaxed, 240.0)
        self.assertEqual(invoice.ref, "PO-A-2")
        self.assertFalse(self._invoices_of(self.order_1))
        self.assertEqual(self.order_2.invoice_status, "invoiced")
        self.assertIn(self.order_1.name, invoice.message_ids[0].body)
        self.assertIn(invoice.display_name, self.order_1.message_ids[0].body)
        # An invoice of that order alone is cancelled as usual.
        self._cancel(self.order_2)
        self.assertEqual(invoice.state, "cancel")

    def test_cancel_by_a_user_who_does_not_read_the_draft(self):
        """A channel manager (a salesman, who reads his own invoices only:
        Odoo's *Personal invoices*) cancels a confirmed order whose draft
        of the billing run (the superuser's, never posted) he does not
        read: the order was cancelled and the draft stayed, still billing
        it. The cancelled order is taken off the shared draft, and a draft
        of that order alone is cancelled, whoever cancels it."""
        manager = new_test_user(
            self.env,
            "c16_chan_mgr",
            groups="channel_distribution.group_channel_manager",
        )
        orders = self.order_1 | self.order_2
        orders.action_create_distributor_invoices()
        invoice = self._invoices_of(orders)
        self.assertEqual(invoice.state, "draft")
        self.env.invalidate_all()
        readable = self.env["account.move"].with_user(manager)
        self.assertFalse(readable.search([("id", "=", invoice.id)]))
        self._cancel(self.order_1.with_user(manager))
        self.env.invalidate_all()
        self.assertEqual(self.order_1.state, "cancel")
        self.assertEqual(invoice.state, "draft")
        self._assert_layout(invoice, self.order_2)
        self.assertAlmostEqual(invoice.amount_untaxed, 240.0)
        self.assertFalse(self._invoices_of(self.order_1))
        self.assertIn(self.order_1.name, invoice.message_ids[0].body)
        # the draft of that order alone: cancelled
        self._cancel(self.order_2.with_user(manager))
        self.env.invalidate_all()
        self.assertEqual(self.order_2.state, "cancel")
        self.assertEqual(invoice.state, "cancel")

    def test_cancel_of_an_order_the_user_may_not_cancel_touches_no_draft(self):
        """The drafts are changed as superuser after the user's own right
        to cancel the order: an order he may not write is refused, its
        draft as it was."""
        salesman = new_test_user(
            self.env, "c16_sales", groups="sales_team.group_sale_salesman"
        )
        orders = self.order_1 | self.order_2
        orders.action_create_distributor_invoices()
        invoice = self._invoices_of(orders)
        lines = invoice.invoice_line_ids
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            self.order_1.with_user(salesman)._action_cancel()
        self.env.invalidate_all()
        self.assertEqual(self.order_1.state, "sale")
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.invoice_line_ids, lines)

    def test_partial_reversal_keeps_its_orders_origin_and_references(self):
        invoice = self._post_invoice(self.order_1 | self.order_2)
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "price error", "journal_id": invoice.journal_id.id})
        )
        refund = self.env["account.move"].browse(reversal.reverse_moves()["res_id"])
        self.assertIn("PO-A-1", refund.ref)
        self.assertIn("PO-A-2", refund.ref)
        # Only order 1 is credited: the other section is removed.
        section_2 = [
            s for s in refund._get_channel_sections() if s["order"] == self.order_2
        ]
        lines = refund.invoice_line_ids.filtered(
            lambda line: line == section_2[0]["section"]
            or line in section_2[0]["lines"]
        )
        refund.write({"invoice_line_ids": [Command.unlink(line.id) for line in lines]})
        self._assert_layout(refund, self.order_1)
        self.assertEqual(refund.invoice_origin, self.order_1.name)
        self.assertIn("PO-A-1", refund.ref)
        self.assertIn("price error", refund.ref)
        self.assertNotIn("PO-A-2", refund.ref)

    def _down_payment(self, order, percent=50):
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "percentage", "amount": percent})
        )
        wizard.create_invoices()
        return self._invoices_of(order)

    def test_down_payment_invoice_has_the_order_section(self):
        down_payment = self._down_payment(self.order_1)
        self._assert_layout(down_payment, self.order_1)
        self.assertEqual(down_payment.partner_id, self.distributor_a)

    def test_report_one_subtotal_per_order_with_down_payment(self):
        self._down_payment(self.order_1).action_post()
        orders = self.order_1 | self.order_2
        orders.action_create_distributor_invoices()
        final = self._invoices_of(orders).filtered(lambda m: m.state == "draft")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", final.ids)[0]
            .decode()
        )
        self.assertEqual(html.count("o_channel_order_subtotal"), 2)
        self.assertNotIn("is-subtotal", html)
