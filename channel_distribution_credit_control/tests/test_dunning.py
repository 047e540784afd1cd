# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestDunning(DunningCase):
    def test_distributors_policy_by_default(self):
        self.assertEqual(self.company.channel_credit_policy_id, self.policy)
        self.assertEqual(
            self.policy.level_ids.mapped("delay_days"), [7, 21, 45], "7, 21, 45 days"
        )
        self.assertEqual(set(self.policy.level_ids.mapped("channel")), {"email"})
        receivable = self.invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).account_id
        self.assertIn(receivable, self.policy.account_ids)
        self.assertFalse(self.distributor_a.credit_policy_id)

    def test_levels_on_freezegun_dates(self):
        """7, 21 and 45 days past the due date, each run reaches the next
        level once the previous reminder went out, never before its day."""
        levels = self.policy.level_ids.sorted("level")
        seen = []
        for days, expected in (
            (6, None),
            (7, levels[0]),
            (20, None),
            (21, levels[1]),
            (44, None),
            (45, levels[2]),
            (60, None),
        ):
            with freeze_time(self.due + timedelta(days=days)):
                run, lines = self.run_credit_control()
                if expected is None:
                    self.assertFalse(lines, f"nothing new {days} days overdue")
                    continue
                self.assertEqual(len(lines), 1, f"{days} days overdue")
                self.assertEqual(lines.policy_level_id, expected)
                self.assertEqual(lines.policy_id, self.policy)
                self.assertEqual(lines.partner_id, self.distributor_a)
                self.assertEqual(lines.channel, "email")
                self.assertAlmostEqual(lines.balance_due, self.invoice.amount_total)
                self.send_reminders(run)
                self.assertIn(lines.state, ("queued", "sent"))
                seen.append(lines.level)
        self.assertEqual(seen, [1, 2, 3])

    def test_paid_invoice_not_reminded(self):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.invoice.ids
        ).create({})._create_payments()
        with freeze_time(self.due + timedelta(days=7)):
            __, lines = self.run_credit_control()
        self.assertFalse(lines)

    def test_own_policy_wins(self):
        """A distributor given a policy of its own leaves the Distributors
        policy."""
        own = self.policy.copy({"name": "Strict distributors"})
        own.level_ids.filtered(lambda level: level.level == 1).delay_days = 3
        self.distributor_a.credit_policy_id = own
        with freeze_time(self.due + timedelta(days=3)):
            run = self.env["credit.control.run"].create(
                {"date": self.due + timedelta(days=3)}
            )
            run.generate_credit_lines()
        lines = run.line_ids.filtered(lambda line: line.invoice_id == self.invoice)
        self.assertEqual(lines.policy_id, own)

    def test_email_names_orders_and_end_customers(self):
        with freeze_time(self.due + timedelta(days=7)):
            run, lines = self.run_credit_control()
            communication = self.send_reminders(run).filtered(
                lambda comm: lines in comm.credit_control_line_ids
            )
        self.assertEqual(len(communication), 1)
        message = communication.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("account_credit_control.mt_request")
        )
        self.assertEqual(len(message), 1)
        body = message.body
        for text in (
            self.invoice.name,
            self.order_a.name,
            self.order_a2.name,
            "PO-A-1",
            "PO-A-2",
            self.customer_a.name,
            self.customer_a2.name,
            "Orders and end customers",
        ):
            self.assertIn(text, body)
        # to the distributor, never to its end customers
        self.assertEqual(message.partner_ids, self.distributor_a)
        end_customers = self.customer_a | self.customer_a2
        self.assertFalse(message.partner_ids & end_customers)
        self.assertFalse(communication.message_partner_ids & end_customers)
        # the letter (PDF) names them too
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "account_credit_control.report_credit_control_summary",
                communication.ids,
            )[0]
            .decode()
        )
        self.assertIn(self.order_a2.name, html)
        self.assertIn(self.customer_a2.name, html)

    def test_end_customer_reads_no_reminder(self):
        with freeze_time(self.due + timedelta(days=7)):
            run, lines = self.run_credit_control()
            communication = self.send_reminders(run)
        for user in (self.portal_cust_a, self.portal_dist_b, self.portal_dist_a):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                communication.with_user(user).read(["partner_id"])
            with self.assertRaises(AccessError):
                lines.with_user(user).read(["amount_due"])
        # the README's word: billing reads the lines (OCA's access rules),
        # not the communications; salespeople neither
        lines.with_user(self.accountant).read(["amount_due"])
        with self.assertRaises(AccessError):
            communication.with_user(self.accountant).read(["partner_id"])
        for model_records in (lines, communication):
            with self.assertRaises(AccessError):
                model_records.with_user(self.salesman).read(["partner_id"])

    def test_reminder_line_only_for_the_invoiced_party(self):
        """P11-6 (eleventh probe): a credit control line made by hand for
        the consolidated invoice with an end customer as its partner mailed
        the end customer the distributor's reminder (its prices, orders and
        POs). A line of a channel invoice is for its invoiced party."""
        receivable = self.invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        level = self.policy.level_ids.sorted("level")[0]
        values = {
            "date": fields.Date.today(),
            "date_due": self.due,
            "channel": "email",
            "state": "to_be_sent",
            "invoice_id": self.invoice.id,
            "move_line_id": receivable.id,
            "amount_due": self.invoice.amount_total,
            "balance_due": self.invoice.amount_residual,
            "policy_level_id": level.id,
        }
        Line = self.env["credit.control.line"]
        for partner in (self.customer_a, self.customer_a2):
            with self.subTest(partner=partner.name):
                with self.assertRaisesRegex(ValidationError, "goes to"):
                    Line.create({**values, "partner_id": partner.id})
        line = Line.create({**values, "partner_id": self.distributor_a.id})
        with self.assertRaisesRegex(ValidationError, "goes to"):
            line.partner_id = self.customer_a

    def test_reminder_communication_only_for_the_invoiced_party(self):
        """P12-9 (twelfth probe): a credit controller wrote the end
        customer as the partner of the distributor's reminder (the
        communication: its letter and chatter), or created one for the end
        customer with the distributor's lines. The rule of P11-6 holds for
        the communication too: a reminder of a channel invoice is for its
        invoiced party, however its partner or lines are set."""
        with freeze_time(self.due + timedelta(days=7)):
            run, lines = self.run_credit_control()
            communication = self.send_reminders(run).filtered(
                lambda comm: lines <= comm.credit_control_line_ids
            )
        self.assertEqual(len(communication), 1)
        controller = new_test_user(
            self.env,
            "dun_controller",
            groups="base.group_user,"
            "account_credit_control.group_account_credit_control_user",
        )
        comm = communication.with_user(controller)
        Communication = self.env["credit.control.communication"].with_user(controller)
        values = {
            "policy_level_id": communication.policy_level_id.id,
            "currency_id": communication.currency_id.id,
            "company_id": communication.company_id.id,
        }
        for partner in (self.customer_a, self.customer_a2):
            with self.subTest(partner=partner.name):
                with self.assertRaises(ValidationError):
                    comm.write({"partner_id": partner.id})
                with self.assertRaises(ValidationError):
                    Communication.create(
                        {
                            **values,
                            "partner_id": partner.id,
                            "credit_control_line_ids": [Command.set(lines.ids)],
                        }
                    )
        # a line linked to another partner's communication from its side
        other = Communication.create({**values, "partner_id": self.customer_a.id})
        with self.assertRaises(ValidationError):
            lines[0].with_user(controller).communication_id = other
        with self.assertRaises(ValidationError):
            other.credit_control_line_ids = [Command.link(lines[0].id)]
        self.assertEqual(communication.partner_id, self.distributor_a)
        self.assertEqual(lines.communication_id, communication)
        # the invoiced party's people stay possible
        comm.write({"partner_id": self.distributor_a.id})

    def test_reminder_contact_address_of_the_invoiced_party(self):
        """P13-11 (thirteenth probe): a credit controller set the address
        of a distributor's reminder (``contact_address_id``, whom the letter
        is addressed and e-mailed to) to a partner outside the
        distributor's company: the reminder, naming its invoices, orders
        and end customers, went to a stranger. As P12-9 for its partner, a
        reminder of a channel invoice goes to an address of the invoiced
        party's company, however its address or lines are set."""
        with freeze_time(self.due + timedelta(days=7)):
            run, lines = self.run_credit_control()
            communication = self.send_reminders(run).filtered(
                lambda comm: lines <= comm.credit_control_line_ids
            )
        self.assertEqual(len(communication), 1)
        address = communication.contact_address_id
        self.assertEqual(address.commercial_partner_id, self.distributor_a)
        controller = new_test_user(
            self.env,
            "dun_address_controller",
            groups="base.group_user,"
            "account_credit_control.group_account_credit_control_user",
        )
        comm = communication.with_user(controller)
        Communication = self.env["credit.control.communication"].with_user(controller)
        values = {
            "partner_id": self.distributor_a.id,
            "policy_level_id": communication.policy_level_id.id,
            "currency_id": communication.currency_id.id,
            "company_id": communication.company_id.id,
        }
        stranger = self.env["res.partner"].create(
            {"name": "T Stranger", "email": "stranger@example.com"}
        )
        strangers = (stranger, self.customer_a, self.customer_a2)
        for partner in strangers:
            with self.subTest(partner=partner.name):
                with self.assertRaises(ValidationError) as refused:
                    comm.write({"contact_address_id": partner.id})
                self.assertIn("goes to", str(refused.exception))
        # a new reminder of its lines addressed to them
        for partner in strangers:
            with self.subTest(partner=partner.name, new=True):
                with self.assertRaises(ValidationError):
                    Communication.create(
                        {
                            **values,
                            "contact_address_id": partner.id,
                            "credit_control_line_ids": [Command.set(lines.ids)],
                        }
                    )
        # a line put on a reminder addressed to a stranger, from its side
        other = Communication.create({**values, "contact_address_id": stranger.id})
        with self.assertRaises(ValidationError):
            lines[0].with_user(controller).communication_id = other
        with self.assertRaises(ValidationError):
            other.credit_control_line_ids = [Command.link(lines[0].id)]
        self.assertEqual(communication.contact_address_id, address)
        self.assertEqual(lines.communication_id, communication)
        # an address of the distributor's company stays possible
        accounts = self.env["res.partner"].create(
            {
                "name": "T Accounts Payable",
                "parent_id": self.distributor_a.id,
                "type": "invoice",
                "email": "ap@example.com",
            }
        )
        comm.write({"contact_address_id": accounts.id})
        self.assertEqual(communication.get_emailing_contact(), accounts)


@tagged("post_install", "-at_install")
class TestDunningEscapes(DunningCase):
    """Probe 11, P11-14: a distributor's PO number typed on the portal
    with HTML stays text in the vendor's reminder (OCA's invoice summary
    interpolates the invoice's reference raw)."""

    EVIL = '<a href="https://evil.example/pay">PAY</a>'

    @classmethod
    def _setup_order_a2(cls, **extra):
        order = super()._setup_order_a2(**extra)
        cls.order_a.client_order_ref = cls.EVIL
        return order

    def test_reference_escaped_in_reminder(self):
        self.assertIn(self.EVIL, self.invoice.ref or "")
        with freeze_time(self.due + timedelta(days=7)):
            run, lines = self.run_credit_control()
            communication = self.send_reminders(run).filtered(
                lambda comm: lines in comm.credit_control_line_ids
            )
        table = communication._get_credit_control_communication_table()
        message = communication.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("account_credit_control.mt_request")
        )
        for html in (str(table), str(message.body)):
            self.assertNotIn('<a href="https://evil', html)
            self.assertIn("&lt;a href=", html)
            # the summary is still a table of its invoices
            self.assertIn(self.invoice.name, html)
            self.assertIn("Invoices summary", html)


@tagged("post_install", "-at_install")
class TestDunningInstallments(DunningCase):
    """Distributor A (the fixture's invoice paid) with a consolidated
    invoice in two installments (50 % at 30 days, 50 % at 60 days): dated
    2027-02-01, installments due 2027-03-03 and 2027-04-02 (Odoo's due date
    of the invoice: the last one). Two setups for End Customer A (Gold: 2 x
    200 = 400.00, no tax): 200.00 each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=cls.invoice.ids
        ).create({})._create_payments()
        terms = cls.env["account.payment.term"].create(
            {
                "name": "Test 50/50 at 30 and 60 days",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 50.0, "nb_days": 30}
                    ),
                    Command.create(
                        {"value": "percent", "value_amount": 50.0, "nb_days": 60}
                    ),
                ],
            }
        )
        with freeze_time("2027-02-01 12:00:00"):
            order = cls._create_order(
                cls.distributor_a, cls.customer_a, [(cls.product_setup, 2)]
            )
            order.action_confirm()
            invoices, __ = order._create_distributor_invoices()
            cls.invoice_b = invoices
            cls.invoice_b.write(
                {"invoice_date": date(2027, 2, 1), "invoice_payment_term_id": terms.id}
            )
            cls.invoice_b.action_post()

    def test_reminders_follow_the_earliest_installment(self):
        invoice = self.invoice_b
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).sorted("date_maturity")
        self.assertEqual(
            [(x.date_maturity, x.debit) for x in receivable],
            [(date(2027, 3, 3), 200.0), (date(2027, 4, 2), 200.0)],
        )
        self.assertEqual(invoice.invoice_date_due, date(2027, 4, 2))
        # Mar 3, the first installment's due date: nothing overdue yet
        with freeze_time("2027-03-03 12:00:00"):
            self.assertFalse(self.distributor_a._channel_dunning_overdue_invoices())
        # Mar 9, 6 days past the first installment: overdue since Mar 3, no
        # reminder yet (the first level is at 7 days)
        with freeze_time("2027-03-09 12:00:00"):
            run, __ = self.run_credit_control()
            self.assertFalse(run.line_ids.filtered(lambda x: x.invoice_id == invoice))
            rows = self.distributor_a._channel_overdue_portal_values()
            self.assertEqual(
                [(r["invoice"], r["due"], r["days"], r["level"]) for r in rows],
                [
                    (
                        invoice,
                        date(2027, 3, 3),
                        6,
                        self.env["credit.control.policy.level"],
                    )
                ],
            )
        # Mar 17, 14 days past the first installment (Mar 3): its first
        # reminder (7 days), for its 200.00; the second is not due
        with freeze_time("2027-03-17 12:00:00"):
            run, __ = self.run_credit_control()
            lines = run.line_ids.filtered(lambda x: x.invoice_id == invoice)
            self.assertEqual(
                [(x.level, x.date_due, x.balance_due) for x in lines],
                [(1, date(2027, 3, 3), 200.0)],
            )
            self.send_reminders(run)
            # the distributor's portal, its card and the end customers
            # served while it is overdue: from the first installment, 14
            # days overdue, not from Apr 2
            self.assertEqual(
                self.distributor_a._channel_dunning_overdue_invoices(), invoice
            )
            rows = self.distributor_a._channel_overdue_portal_values()
            self.assertEqual(
                [(r["invoice"], r["due"], r["days"], r["level"].level) for r in rows],
                [(invoice, date(2027, 3, 3), 14, 1)],
            )
            served = self.env["res.partner"].search(
                [("channel_distributor_overdue", "=", True)]
            )
            self.assertIn(self.customer_a, served)
        # the first installment paid (200.00) on Mar 20: nothing overdue
        # until the second one is
        with freeze_time("2027-03-20 12:00:00"):
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"amount": 200.0})._create_payments()
            self.assertFalse(self.distributor_a._channel_dunning_overdue_invoices())
            self.assertNotIn(
                self.customer_a,
                self.env["res.partner"].search(
                    [("channel_distributor_overdue", "=", True)]
                ),
            )
