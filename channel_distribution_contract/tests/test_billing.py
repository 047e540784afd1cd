# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import format_date

from .common import SubscriptionCase, noon


@tagged("post_install", "-at_install")
class TestSubscriptionBilling(SubscriptionCase):
    def test_period_in_advance_on_distributor_invoice(self):
        contract = self._start_subscription(
            self.distributor_a, self.customer_a, client_order_ref="PO-1"
        )
        invoices = self._bill(self.distributor_a, self.start)
        self.assertEqual(len(invoices), 1)
        self.assertEqual(invoices.partner_id.commercial_partner_id, self.distributor_a)
        section = self._sections(invoices)
        self.assertEqual(len(section), 1)
        self.assertEqual(section.channel_contract_id, contract)
        self.assertEqual(section.channel_order_id, contract.channel_order_id)
        period_end = self.start + relativedelta(months=1, days=-1)
        self.assertEqual(section.channel_period_start, self.start)
        self.assertEqual(section.channel_period_end, period_end)
        for text in (contract.channel_order_id.name, "End Customer A", "PO-1"):
            self.assertIn(text, section.name)
        self.assertIn(format_date(self.env, self.start), section.name)
        line = self._products(invoices)
        self.assertEqual(line.quantity, 3)
        self.assertAlmostEqual(line.price_unit, 80.0)  # Gold: 20% off
        self.assertEqual(line.end_customer_id, self.customer_a)
        self.assertIn("PO-1", invoices.ref)
        self.assertEqual(contract.channel_period_ids.date_end, period_end)
        # the next period is not due yet; nothing is billed twice
        self.assertFalse(self._bill(self.distributor_a, self.start))
        self.assertEqual(
            contract.recurring_next_date, self.start + relativedelta(months=1)
        )

    def test_period_in_arrears(self):
        contract = self._start_subscription(
            self.distributor_a, self.customer_a, [(self.product_arrears, 2)]
        )
        self.assertFalse(self._bill(self.distributor_a, self.start))
        period_end = self.start + relativedelta(months=1, days=-1)
        self.assertEqual(
            contract.recurring_next_date, period_end + relativedelta(days=1)
        )
        invoice = self._bill(self.distributor_a, period_end + relativedelta(days=1))
        section = self._sections(invoice)
        self.assertEqual(section.channel_period_start, self.start)
        self.assertEqual(section.channel_period_end, period_end)
        self.assertEqual(self._products(invoice).quantity, 2)

    def test_subscription_has_a_reference_of_its_own(self):
        """The section names the subscription by its own reference, then the
        order that started it, with dates as the document's language writes
        them (en_US: 12/01/2026)."""
        contract = self._start_subscription(self.distributor_a, self.customer_a)
        order = contract.channel_order_id
        self.assertTrue(contract.code)
        self.assertNotEqual(contract.code, order.name)
        other = self._start_subscription(self.distributor_a, self.customer_a)
        self.assertNotEqual(other.code, contract.code)
        section = self._sections(self._bill(self.distributor_a, self.start))
        section = section.filtered(lambda s: s.channel_contract_id == contract)
        self.assertTrue(section.name.startswith(f"{contract.code} ({order.name})"))
        self.assertNotIn(f"{order.name} ({order.name})", section.name)
        self.assertIn(self.start.strftime("%m/%d/%Y"), section.name)
        self.assertNotIn(str(self.start), section.name)

    def test_periods_due_each_get_a_section(self):
        contract = self._start_subscription(self.distributor_a, self.customer_a)
        invoice = self._bill(self.distributor_a, self.start + relativedelta(months=1))
        self.assertEqual(len(self._sections(invoice)), 2)
        self.assertEqual(len(contract.channel_period_ids), 2)

    def test_co_terming_with_one_off_orders(self):
        """Running subscriptions and one-off orders of a distributor due at
        the same time share one invoice, each in its own section."""
        first = self._start_subscription(self.distributor_a, self.customer_a)
        second = self._start_subscription(
            self.distributor_a,
            self.customer_a,
            start=self.start - relativedelta(months=1),
        )
        one_off = self._create_order(self.distributor_a, self.customer_a)
        one_off.action_confirm()
        invoices = self._bill(self.distributor_a, self.start)
        self.assertEqual(len(invoices), 1)
        sections = self._sections(invoices)
        self.assertEqual(
            sections.channel_order_id,
            one_off | first.channel_order_id | second.channel_order_id,
        )
        self.assertEqual(sections.channel_contract_id, first | second)
        self.assertEqual(len(sections), 4)  # one-off + 1 + 2 periods
        self.assertEqual(one_off.invoice_status, "invoiced")
        self.assertIn(first.channel_order_id.name, invoices.invoice_origin)

    def test_agency_subscription_invoiced_to_end_customer(self):
        contract = self._start_subscription(self.distributor_b, self.customer_b)
        self.assertEqual(contract.financial_role, "end_customer")
        self.assertEqual(contract.partner_id, self.customer_b)
        invoice = self._bill(self.distributor_b, self.start)
        self.assertEqual(invoice.partner_id.commercial_partner_id, self.customer_b)
        self.assertEqual(self._sections(invoice).channel_contract_id, contract)
        # end customer's own prices; the distributor earns the margin over
        # its price book (Silver: 10% off)
        self.assertAlmostEqual(self._products(invoice).price_unit, 100.0)
        self.assertAlmostEqual(contract.channel_period_ids.commission, 3 * 10.0)

    def test_agency_subscription_invoice_shows_no_distributor_reference(self):
        """The end customer's invoice of an agency subscription names
        neither in its sections nor in its reference the distributor's PO
        (issue 24, item 11); a resale subscription's invoice keeps it."""
        agency = self._start_subscription(
            self.distributor_b, self.customer_b, client_order_ref="PO-B-SECRET"
        )
        self.assertEqual(agency.financial_role, "end_customer")
        invoice = self._bill(self.distributor_b, self.start)
        shown = [invoice.ref or ""] + invoice.invoice_line_ids.mapped("name")
        self.assertFalse([text for text in shown if "SECRET" in text], shown)
        self.assertIn(agency.channel_order_id.name, invoice.invoice_origin)
        self._start_subscription(
            self.distributor_a, self.customer_a, client_order_ref="PO-A-OWN"
        )
        resale = self._bill(self.distributor_a, self.start)
        self.assertIn("PO-A-OWN", resale.ref)
        self.assertIn("PO-A-OWN", self._sections(resale)[0].name)

    def test_resale_commission_per_period(self):
        contract = self._start_subscription(self.distributor_a, self.customer_a)
        self._bill(self.distributor_a, self.start)
        self.assertAlmostEqual(contract.channel_period_ids.commission, 3 * 20.0)

    def test_price_book_change_applies_from_next_period(self):
        contract = self._start_subscription(self.distributor_a, self.customer_a)
        first = self._bill(self.distributor_a, self.start)
        self.assertEqual(contract.channel_next_amount, 3 * 80.0)
        self.distributor_a.distributor_tier_id = self.tier_silver
        # the portal's next amount shows the new book in advance
        self.assertEqual(contract.channel_next_amount, 3 * 90.0)
        second = self._bill(self.distributor_a, self.start + relativedelta(months=1))
        self.assertAlmostEqual(self._products(first).price_unit, 80.0)
        self.assertAlmostEqual(self._products(second).price_unit, 90.0)
        # the subscription line keeps the price last billed (its MRR)
        self.assertAlmostEqual(contract.contract_line_ids.price_unit, 90.0)
        self.assertAlmostEqual(contract.channel_mrr, 3 * 90.0)

    def test_scheduled_job_bills_subscriptions(self):
        contract = self._start_subscription(self.distributor_a, self.customer_a)
        self.distributor_a.write(
            {"channel_invoicing_period": "monthly", "channel_invoicing_monthday": 1}
        )
        self.distributor_a.channel_invoicing_next_date = self.start
        one_off = self._create_order(self.distributor_a, self.customer_a)
        one_off.action_confirm()
        self.env["sale.order"]._cron_create_distributor_invoices()
        invoice = one_off.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertIn(contract, self._sections(invoice).channel_contract_id)
        self.assertTrue(contract.channel_period_ids)
        self.assertGreater(contract.recurring_next_date, self.start)

    def test_scheduled_job_bills_subscriptions_alone(self):
        contract = self._start_subscription(self.distributor_a, self.customer_a)
        self.distributor_a.write({"channel_invoicing_period": "monthly"})
        self.distributor_a.channel_invoicing_next_date = self.start
        self.env["sale.order"]._cron_create_distributor_invoices()
        self.assertEqual(len(contract.channel_period_ids), 3)
        invoice = contract.channel_period_ids.move_line_ids.move_id
        self.assertEqual(len(invoice), 1)

    def test_scheduled_job_bills_archived_parties(self):
        """An archived distributor (a channel manager archives it) still
        has a running subscription and a confirmed order not invoiced, and
        archived end customers are served or invoiced on subscriptions:
        the scheduled job bills them all (it searched active distributors
        only, so an archived one's revenue stopped without a word)."""
        day = self.start + relativedelta(months=2)
        resale = self._start_subscription(self.distributor_a, self.customer_a)
        agency = self._start_subscription(
            self.distributor_b, self.customer_b, financial_role="end_customer"
        )
        self.assertEqual(agency.partner_id, self.customer_b)
        one_off = self._create_order(self.distributor_a, self.customer_a)
        one_off.action_confirm()
        distributors = self.distributor_a | self.distributor_b
        distributors.write(
            {"channel_invoicing_period": "monthly", "channel_invoicing_monthday": 1}
        )
        distributors.channel_invoicing_next_date = day
        (self.distributor_a | self.customer_a | self.customer_b).action_archive()
        with freeze_time(noon(day)):
            self.env["sale.order"]._cron_create_distributor_invoices()
        for contract in (resale, agency):
            self.assertEqual(len(contract.channel_period_ids), 3, contract.partner_id)
        self.assertEqual(one_off.invoice_status, "invoiced")
        billed = resale.channel_period_ids.move_line_ids.move_id
        self.assertEqual(billed, one_off.invoice_ids)
        self.assertEqual(billed.commercial_partner_id, self.distributor_a)
        self.assertEqual(
            agency.channel_period_ids.move_line_ids.move_id.commercial_partner_id,
            self.customer_b,
        )
        for distributor in distributors:
            self.assertGreater(distributor.channel_invoicing_next_date, day)

    def test_scheduled_job_keeps_the_date_when_subscriptions_fail(self):
        """A subscription that cannot be billed (its company has no sales
        journal) keeps the distributor's next invoicing date, as an order
        would: the due periods are retried the next day, finance is alerted
        and the invoices that could be made are kept."""
        no_books = self.env["res.company"].create(
            {"name": "Test Company Without Journals", "currency_id": self.currency.id}
        )
        finance = new_test_user(
            self.env, "t_sub_finance", groups="account.group_account_invoice"
        )
        no_books.channel_invoicing_user_id = finance
        self.book_gold.company_id = False  # the price book of both companies
        self.assertFalse(
            self.env["account.journal"].search(
                [("company_id", "=", no_books.id), ("type", "=", "sale")]
            )
        )
        vals = self._order_vals(
            self.distributor_a,
            self.customer_a,
            [(self.product_monthly, 3)],
            company_id=no_books.id,
        )
        vals["order_line"][0][2]["date_start"] = self.start
        order = self.env["sale.order"].with_company(no_books).create(vals)
        order.action_confirm()
        elsewhere = self.env["contract.contract"].search(
            [("channel_order_id", "=", order.id)]
        )
        self.assertEqual(elsewhere.company_id, no_books)
        self.assertEqual(elsewhere.channel_order_id.invoice_status, "no")
        here = self._start_subscription(self.distributor_a, self.customer_a)
        one_off = self._create_order(self.distributor_a, self.customer_a)
        one_off.action_confirm()
        self.distributor_a.write({"channel_invoicing_period": "monthly"})
        self.distributor_a.channel_invoicing_next_date = self.start
        next_date = elsewhere.recurring_next_date
        self.env["sale.order"]._cron_create_distributor_invoices()
        # what could be billed is kept: the order and the subscription of
        # the company that has its books
        invoice = one_off.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(self._sections(invoice).channel_contract_id, here)
        self.assertEqual(len(here.channel_period_ids), 3)
        # nothing half-written for the other one
        self.assertFalse(elsewhere.channel_period_ids)
        self.assertEqual(elsewhere.recurring_next_date, next_date)
        # retried the next day, finance alerted, the failure in the chatter
        self.assertEqual(self.distributor_a.channel_invoicing_next_date, self.start)
        self.assertEqual(
            self.distributor_a.channel_invoicing_last_date,
            fields.Date.context_today(self.distributor_a),
        )
        activity = self.distributor_a.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, finance)
        self.assertIn(no_books.name, str(activity.note))
        self.assertIn("journal", str(activity.note))
        self.assertIn("journal", self.distributor_a.message_ids[0].body)

    def test_subscriptions_need_the_distributors_invoice_address(self):
        """A distributor billed for its resale subscriptions only needs an
        invoice address (a street or a city), as one billed for its orders:
        the scheduled job bills nothing for it, notes why and keeps its
        next date; *Invoice Due Now* says why (finance walk 14, W14-1: its
        subscriptions were invoiced to a distributor without an address)."""
        contract = self._start_subscription(self.distributor_a, self.customer_a)
        self.distributor_a.write(
            {
                "channel_invoicing_period": "monthly",
                "channel_invoicing_monthday": 1,
                "street": False,
                "city": False,
            }
        )
        self.distributor_a.channel_invoicing_next_date = self.start
        self.env["sale.order"]._cron_create_distributor_invoices()
        self.assertFalse(contract.channel_period_ids)
        self.assertEqual(self.distributor_a.channel_invoicing_next_date, self.start)
        self.assertIn("no invoice address", self.distributor_a.message_ids[0].body)
        self.assertEqual(len(self.distributor_a.activity_ids), 1)
        with self.assertRaisesRegex(UserError, "no invoice address"):
            self.distributor_a.channel_invoice_due()
        self.assertFalse(contract.channel_period_ids)
        # given a city, it is billed: the three periods due
        self.distributor_a.city = "Antwerp"
        self.distributor_a.channel_invoice_due()
        self.assertEqual(len(contract.channel_period_ids), 3)

    def _start_discounted(self, distributor, customer, discount):
        """A subscription of 3 monthly seats whose order line has
        ``discount`` %; return (order, subscription)."""
        vals = self._order_vals(distributor, customer, [(self.product_monthly, 3)])
        vals["order_line"][0][2]["date_start"] = self.start
        order = self.env["sale.order"].create(vals)
        order.order_line.discount = discount
        order.action_confirm()
        contract = self.env["contract.contract"].search(
            [("channel_order_id", "=", order.id)]
        )
        return order, contract

    def test_order_discount_carried_to_every_period(self):
        order, contract = self._start_discounted(
            self.distributor_a, self.customer_a, 10
        )
        order_line = order.order_line
        self.assertAlmostEqual(order_line.price_unit, 80.0)  # Gold: 20% off
        line = contract.contract_line_ids
        self.assertEqual(line.discount, 10)
        self.assertAlmostEqual(contract.channel_mrr, 3 * 72.0)
        self.assertAlmostEqual(contract.channel_next_amount, 3 * 72.0)
        invoice = self._bill(self.distributor_a, self.start + relativedelta(months=1))
        lines = self._products(invoice)
        self.assertEqual(len(lines), 2)
        for invoice_line in lines:
            self.assertAlmostEqual(invoice_line.price_unit, 80.0)
            self.assertEqual(invoice_line.discount, 10)
            self.assertAlmostEqual(invoice_line.price_subtotal, 3 * 72.0)
        # the commission of a period is the order line's: list price minus
        # what the distributor pays, discount deducted
        self.assertAlmostEqual(order_line.channel_commission, 3 * (100.0 - 72.0))
        periods = contract.channel_period_ids
        self.assertEqual(periods.mapped("discount"), [10.0, 10.0])
        self.assertEqual(
            periods.mapped("commission"), [order_line.channel_commission] * 2
        )
        # the discount stays for the periods to come
        self.assertEqual(line.discount, 10)
        contract.invalidate_recordset(["channel_next_amount"])
        self.assertAlmostEqual(contract.channel_mrr, 3 * 72.0)
        self.assertAlmostEqual(contract.channel_next_amount, 3 * 72.0)
        # a change is prorated at the discounted price
        end = self.start + relativedelta(months=2, days=-1)
        adjustment = line._channel_change_quantity(5, end - relativedelta(days=9))
        charge = contract.currency_id.round(2 * 80.0 * adjustment.ratio * 0.9)
        self.assertAlmostEqual(
            contract.channel_next_amount, 5 * 72.0 + charge, places=1
        )
        invoice = self._bill(self.distributor_a, self.start + relativedelta(months=2))
        charge_line = adjustment.move_line_id
        self.assertEqual(charge_line.move_id, invoice)
        self.assertEqual(charge_line.discount, 10)
        self.assertAlmostEqual(invoice.amount_untaxed, 5 * 72.0 + charge, places=1)

    def test_agency_order_discount_lowers_the_commission(self):
        order, contract = self._start_discounted(
            self.distributor_b, self.customer_b, 10
        )
        self._bill(self.distributor_b, self.start)
        line = self._products(contract.channel_period_ids.move_line_ids.move_id)
        self.assertEqual(line.discount, 10)
        self.assertAlmostEqual(line.price_subtotal, 3 * 90.0)
        # the end customer pays 90 net, the distributor's book is 90 (Silver)
        self.assertAlmostEqual(order.order_line.channel_commission, 0.0)
        self.assertAlmostEqual(contract.channel_period_ids.commission, 0.0)

    def test_price_book_shown_as_discount_not_counted_twice(self):
        """With discounts on order lines, Odoo shows a percentage price book
        as the line's discount: the subscription keeps only what the order
        gave on top of it; the price book prices each period."""
        group = self.env.ref("sale.group_discount_per_so_line")
        self.env.ref("base.user_root").groups_id = [Command.link(group.id)]
        order, contract = self._start_discounted(
            self.distributor_a, self.customer_a, 28
        )
        self.assertAlmostEqual(order.order_line.price_unit, 100.0)
        self.assertAlmostEqual(order.order_line.price_subtotal, 3 * 72.0)
        line = contract.contract_line_ids
        self.assertAlmostEqual(line.price_unit, 80.0)
        self.assertAlmostEqual(line.discount, 10.0)
        self.assertAlmostEqual(contract.channel_mrr, 3 * 72.0)
        invoice = self._bill(self.distributor_a, self.start)
        self.assertAlmostEqual(invoice.amount_untaxed, 3 * 72.0)

    def test_invoice_due_needs_invoicing_rights(self):
        self._start_subscription(self.distributor_a, self.customer_a)
        salesman = new_test_user(
            self.env, "t_sub_sales", groups="sales_team.group_sale_salesman"
        )
        with self.assertRaises(AccessError):
            self.distributor_a.with_user(salesman).channel_invoice_due(self.start)
        accountant = new_test_user(
            self.env,
            "t_sub_acct",
            groups="base.group_user,account.group_account_invoice",
        )
        ids = self.distributor_a.with_user(accountant).channel_invoice_due(self.start)
        self.assertEqual(len(ids), 1)

    def test_backend_states_and_mrr(self):
        running = self._start_subscription(self.distributor_a, self.customer_a)
        cancelled = self._start_subscription(self.distributor_a, self.customer_a)
        cancelled._channel_cancel()
        Contract = self.env["contract.contract"]
        mine = [("distributor_id", "=", self.distributor_a.id)]
        self.assertEqual(
            Contract.search(mine + [("channel_state", "=", "running")]), running
        )
        self.assertEqual(
            Contract.search(mine + [("channel_state", "=", "ending")]), cancelled
        )
        self.assertEqual(running.channel_mrr, 3 * 80.0)
        groups = Contract._read_group(
            mine + [("channel_state", "=", "running")],
            ["distributor_id"],
            ["channel_mrr:sum"],
        )
        self.assertEqual(groups, [(self.distributor_a, 240.0)])
        action = self.distributor_a.action_view_channel_subscriptions()
        self.assertEqual(Contract.search(action["domain"]), running | cancelled)
        self.assertEqual(self.distributor_a.channel_subscription_count, 2)
