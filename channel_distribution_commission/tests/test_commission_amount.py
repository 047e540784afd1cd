# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CommissionCase


@tagged("post_install", "-at_install")
class TestCommissionAmount(CommissionCase):
    """The distributor is the agent of its agency invoice lines, paid the
    price-book difference (the order line's channel commission)."""

    def test_agency_invoice_gets_distributor_with_channel_commission(self):
        order = self._agency_order()
        self.assertEqual(order.channel_commission, 40.0)
        invoice = self._invoice(order)
        self.assertEqual(invoice.partner_id, self.customer_a)
        agent_line = self._agent_lines(invoice)
        self.assertEqual(agent_line.agent_id, self.distributor_a)
        self.assertEqual(agent_line.commission_id, self.commission_channel)
        self.assertEqual(agent_line.amount, 40.0)
        self.assertEqual(invoice.commission_total, 40.0)

    def test_plain_percentage_differs(self):
        """The same line under a plain 10 % commission gives 20: the channel
        type is what makes it 40."""
        plain = self.env["commission"].create(
            {"name": "Plain 10", "commission_type": "fixed", "fix_qty": 10.0}
        )
        invoice = self._invoice(self._agency_order())
        agent_line = self._agent_lines(invoice)
        self.assertEqual(agent_line.amount, 40.0)
        agent_line.commission_id = plain
        self.assertEqual(agent_line.amount, 20.0)

    def test_partial_invoice_and_refund(self):
        order = self._agency_order(qty=3)
        self.assertEqual(order.channel_commission, 60.0)
        first = self._partial_invoice(order, 1)
        self.assertEqual(self._agent_lines(first).amount, 20.0)
        second = self._invoice(order)
        self.assertEqual(self._agent_lines(second).amount, 40.0)
        refund = self._reverse(second)
        refund.action_post()
        agent_line = self._agent_lines(refund)
        self.assertEqual(agent_line.agent_id, self.distributor_a)
        self.assertEqual(agent_line.amount, -40.0)

    def test_agency_price_below_the_book_refused(self):
        """P11-19: an agency line priced under the distributor's price book
        (a salesman's discount: here a free unit) had a negative commission,
        and the settlement charged the distributor for it (a vendor refund
        of the difference). The confirmation refuses it, naming the line
        and the book; at the book or above it confirms."""
        order = self._create_order(
            self.distributor_a,
            self.customer_a,
            [(self.product_service, 1), (self.product_setup, 1)],
            financial_role="end_customer",
        )
        free = order.order_line.filtered(
            lambda line: line.product_id == self.product_service
        )
        free.discount = 100
        self.assertEqual(free.channel_commission, -80.0)
        with self.assertRaisesRegex(UserError, "Test Service") as caught:
            order.action_confirm()
        self.assertIn("Distributor A", str(caught.exception))
        self.assertIn("80.00", str(caught.exception))
        self.assertNotIn("Test Setup", str(caught.exception))
        self.assertEqual(order.state, "draft")
        free.discount = 25  # 75 under a book of 80
        with self.assertRaises(UserError):
            order.action_confirm()
        free.discount = 20  # at the book: nothing earned, nothing charged
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(free.channel_commission, 0.0)

    def test_price_below_the_book_confirmed_where_nothing_is_paid_out(self):
        """The rule is the commission payout's: a distributor whose
        commission is not paid out is never charged, its orders confirm;
        a resale order's price is the distributor's own."""
        order = self._create_order(
            self.distributor_b,
            self.customer_b,
            [(self.product_service, 1)],
            financial_role="end_customer",
        )
        order.order_line.discount = 100
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        resale = self._create_order(
            self.distributor_a, self.customer_a, [(self.product_service, 1)]
        )
        resale.order_line.discount = 50
        resale.action_confirm()
        self.assertEqual(resale.state, "sale")

    def test_refund_keeps_unit_commission(self):
        """A credit note carries the invoice's unit commission, even when
        the order's price changed since: a refund claws back exactly what
        was earned."""
        order = self._agency_order()
        invoice = self._invoice(order)
        refund = self._reverse(invoice, modify=False)
        refund_line = refund.invoice_line_ids.filtered("product_id")
        self.assertEqual(refund_line.channel_commission_unit, 20.0)
        self.assertEqual(self._agent_lines(refund).amount, -40.0)

    def test_resale_and_direct_get_no_agent(self):
        resale = self._create_order(self.distributor_a, self.customer_a)
        resale.action_confirm()
        self.assertEqual(resale.financial_role, "distributor")
        invoice = self._invoice(resale)
        self.assertFalse(self._agent_lines(invoice))
        direct = self._create_direct_order(self._create_direct_customer())
        direct.action_confirm()
        self.assertFalse(self._agent_lines(self._invoice(direct)))

    def test_distributor_not_paid_gets_no_agent(self):
        self.distributor_a.channel_commission_paid = False
        invoice = self._invoice(self._agency_order())
        self.assertFalse(self._agent_lines(invoice))

    def test_one_commission_figure(self):
        """What is paid out is the commission the invoices and the channel
        analysis show: the agent lines of each invoice and credit note sum to
        its channel commission (unsigned on a credit note, as its subtotal),
        and the distributor's figure on its form is their net total."""
        order = self._agency_order(qty=3)
        first = self._partial_invoice(order, 1)
        second = self._invoice(order)
        refund = self._reverse(second)
        refund.action_post()
        for move, sign in ((first, 1), (second, 1), (refund, -1)):
            with self.subTest(move=move.display_name):
                self.assertEqual(
                    sum(self._agent_lines(move).mapped("amount")),
                    sign * move.channel_commission,
                )
        self.assertEqual(
            (first.channel_commission, second.channel_commission),
            (20.0, 40.0),
        )
        self.distributor_a.invalidate_recordset(["distributor_commission"])
        # 20 + 40 - 40: the refund claws back what the second invoice earned
        self.assertEqual(self.distributor_a.distributor_commission, 20.0)

    def test_no_two_fields_share_a_label(self):
        """Odoo warns at install when two fields of a model have one label:
        the channel commission of invoice lines was *Commission*, as OCA's
        commission status of the agent lines' mixin."""
        for model in (
            "account.move",
            "account.move.line",
            "account.invoice.line.agent",
            "sale.order",
            "sale.order.line",
            "res.partner",
            "commission.settlement",
            "commission.settlement.line",
        ):
            labels = {}
            for name, field in self.env[model]._fields.items():
                if field.string in labels:
                    self.fail(
                        f"{model}: {labels[field.string]} and {name} are both "
                        f"labelled {field.string!r}"
                    )
                labels[field.string] = name


@tagged("post_install", "-at_install")
class TestDirectSalesAgents(CommissionCase):
    """Direct sales keep OCA's agents (the invoiced partner's) when they
    are invoiced together with sales of customers without agents, and an
    agency order's invoice its distributor: the agents, the commission-free
    flag and the commission total are only settled at once for invoices
    that have nothing to give (issue 26)."""

    def test_direct_sales_keep_the_partners_agents(self):
        plain = self.env["commission"].create(
            {"name": "Plain 10 %", "commission_type": "fixed", "fix_qty": 10.0}
        )
        agent = self.env["res.partner"].create(
            {"name": "Vendor's Agent", "agent": True, "commission_id": plain.id}
        )
        with_agent = self._create_direct_customer()
        with_agent.agent_ids = [Command.set(agent.ids)]
        without_agent = self._create_direct_customer()
        free = self.env["product.product"].create(
            {
                "name": "Commission-free service",
                "type": "service",
                "invoice_policy": "order",
                "list_price": 50.0,
                "commission_free": True,
            }
        )
        orders = self._create_direct_order(
            with_agent, product_uom_qty=2
        ) | self._create_direct_order(without_agent, product_uom_qty=2)
        orders[0].order_line = [Command.create({"product_id": free.id})]
        orders.action_confirm()
        agency = self._agency_order()
        invoices = (orders | agency)._create_invoices()
        self.assertEqual(len(invoices), 3)
        billed = invoices.filtered(lambda move: move.partner_id == with_agent)
        lines = billed.invoice_line_ids
        paid = lines.filtered(lambda line: line.product_id == self.product_service)
        self.assertEqual(paid.agent_ids.agent_id, agent)
        self.assertAlmostEqual(paid.agent_ids.amount, paid.price_subtotal * 0.1)
        exempt = lines.filtered(lambda line: line.product_id == free)
        self.assertTrue(exempt.commission_free)
        self.assertFalse(exempt.agent_ids)
        self.assertEqual(billed.commission_total, paid.agent_ids.amount)
        other = invoices.filtered(lambda move: move.partner_id == without_agent)
        self.assertFalse(other.invoice_line_ids.agent_ids)
        self.assertFalse(other.commission_total)
        channel = invoices.filtered(lambda move: move.partner_id == self.customer_a)
        self.assertEqual(self._agent_lines(channel).agent_id, self.distributor_a)
        self.assertEqual(channel.commission_total, 40.0)
        # invoiced alone, the direct sale of the customer with an agent
        # still gets it
        alone = self._create_direct_order(with_agent, product_uom_qty=1)
        alone.action_confirm()
        invoice = alone._create_invoices()
        self.assertEqual(invoice.invoice_line_ids.agent_ids.agent_id, agent)
