# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The fourth probe of the running demo, on commissions: an accountant
tampering with the channel commission of agency lines (their unit, their
agent lines) that is then paid out to the distributor."""

from contextlib import closing

from freezegun import freeze_time

from odoo import Command
from odoo.addons.channel_distribution.tests.common import parse
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import CommissionCase

LINK_ROLES = ("salesman", "channel_user", "channel_manager", "accountant")

# The channel link this addon adds to invoice lines, written by each internal
# role (an RPC ``write`` is the same call) on an agency invoice line, posted
# then reset to draft. ``Y``: the write goes through. The commission per unit
# is set when the line is created (from what it bills) and copied to its
# credit notes, never written afterwards: it is what the distributor is paid.
# Every stored field this addon adds to invoices and their lines has its rows
# (test_link_table_covers_every_field_of_the_addon).
# record  field                    value   state   s c m a
LINK_WRITE_MATRIX = """
lines    channel_commission_unit  amount  posted  - - - -
lines    channel_commission_price amount  posted  - - - -
lines    channel_commission_unit  amount  draft   - - - -
lines    channel_commission_price amount  draft   - - - -
"""


@tagged("post_install", "-at_install")
class TestCommissionProbe(CommissionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partner_manager = ",base.group_partner_manager"

        def user(login, groups):
            return new_test_user(cls.env, login, groups=groups)

        cls.users = {
            "salesman": user(
                "com_sales", "sales_team.group_sale_salesman" + partner_manager
            ),
            "channel_user": user(
                "com_chan", "channel_distribution.group_channel_user" + partner_manager
            ),
            "channel_manager": user(
                "com_chan_mgr",
                "channel_distribution.group_channel_manager" + partner_manager,
            ),
            "accountant": user(
                "com_acct", "base.group_user,account.group_account_invoice"
            ),
        }
        cls.accountant = cls.users["accountant"]
        cls.distributor_b.write(
            {"channel_commission_paid": True, "channel_commission_payout": "in_invoice"}
        )

    def _refused(self, record, method, *args):
        return not self._done_and_undone(
            lambda: getattr(record.with_user(self.accountant), method)(*args)
        )

    def _agency_line(self, post=True):
        invoice = self._invoice(self._agency_order(), post=post)
        return invoice.invoice_line_ids.filtered("sale_line_ids")

    # the commission per unit ---------------------------------------------

    def test_link_table_covers_every_field_of_the_addon(self):
        rows = {
            (kind, name, state)
            for kind, name, __, state, __ in parse(LINK_WRITE_MATRIX, 4, LINK_ROLES)
        }
        oca = {"commission_oca", "account_commission_oca"}
        for model, kind in (
            ("account.move", "invoice"),
            ("account.move.line", "lines"),
        ):
            for name, field in self.env[model]._fields.items():
                if (
                    not field.store
                    or "channel_distribution_commission" not in field._modules
                    or oca & set(field._modules)
                ):
                    continue
                for state in ("posted", "draft"):
                    with self.subTest(model=model, field=name, state=state):
                        self.assertIn((kind, name, state), rows)

    def test_commission_unit_is_not_written(self):
        line = self._agency_line()
        self.assertEqual(line.channel_commission_unit, 20.0)
        for (__, name, __, state, role), written in parse(
            LINK_WRITE_MATRIX, 4, LINK_ROLES
        ).items():
            if line.parent_state != state:
                line.move_id.button_draft()
            with self.subTest(state=state, role=role):
                try:
                    with closing(self.env.cr.savepoint()), mute_logger("odoo.models"):
                        line.with_user(self.users[role]).write({name: 5000.0})
                        self.env.flush_all()
                    refused = False
                except UserError:
                    refused = True
                self.env.invalidate_all()
                self.assertEqual(not refused, written)
                self.assertEqual(line.channel_commission_unit, 20.0)
                self.assertEqual(line.agent_ids.amount, 40.0)
        # the product's flows (as superuser) still set it
        line.sudo().channel_commission_unit = 21.0
        self.assertEqual(line.agent_ids.amount, 42.0)

    def test_commission_unit_given_on_create_is_the_products(self):
        """A unit given on create is never taken: a line of no order has
        none, and an accountant links no line to a channel order by hand
        (the channel's invoicing does, with the order's unit)."""
        order = self._agency_order()
        Move = self.env["account.move"].with_user(self.accountant)

        def line(**extra):
            return Command.create(
                {
                    "product_id": self.product_service.id,
                    "quantity": 1,
                    "price_unit": 100.0,
                    "channel_commission_unit": 7777.0,
                    **extra,
                }
            )

        with self.assertRaises(UserError), mute_logger("odoo.models"):
            Move.create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer_a.id,
                    "invoice_line_ids": [
                        line(sale_line_ids=[Command.set(order.order_line.ids)])
                    ],
                }
            )
        self.assertFalse(order.order_line.invoice_lines)
        invoice = Move.create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer_a.id,
                "invoice_line_ids": [line()],
            }
        )
        self.assertEqual(invoice.invoice_line_ids.channel_commission_unit, 0.0)
        self.assertFalse(invoice.invoice_line_ids.agent_ids.amount)
        # the order's own invoicing takes the order's unit
        billed = order._create_invoices()
        self.assertEqual(billed.invoice_line_ids.channel_commission_unit, 20.0)

    def test_credit_note_by_the_accountant_keeps_the_unit(self):
        line = self._agency_line()
        line.sudo().channel_commission_unit = 25.0  # the order changed since
        wizard = (
            self.env["account.move.reversal"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=line.move_id.ids)
            .create({"reason": "probe", "journal_id": line.move_id.journal_id.id})
        )
        wizard.refund_moves()
        refund_line = wizard.new_move_ids.invoice_line_ids.filtered("sale_line_ids")
        self.assertEqual(refund_line.channel_commission_unit, 25.0)

    # the distributor's agent lines -----------------------------------------

    def test_distributor_agent_lines_are_the_products(self):
        line = self._agency_line()
        agent_line = line.agent_ids
        self.assertEqual(agent_line.agent_id, self.distributor_a)
        other = self.env["commission"].create(
            {"name": "Plain 50", "commission_type": "fixed", "fix_qty": 50.0}
        )
        resale = self._create_order(
            self.distributor_a,
            self.customer_a,
            [(self.product_service, 1)],
            financial_role="distributor",
        )
        resale.action_confirm()
        resale_line = self._invoice(resale).invoice_line_ids.filtered("sale_line_ids")
        self.assertFalse(resale_line.agent_ids)
        Agent = self.env["account.invoice.line.agent"]
        for method, record, args in (
            ("write", agent_line, ({"amount": 9999.0},)),
            ("write", agent_line, ({"agent_id": self.distributor_b.id},)),
            ("write", agent_line, ({"commission_id": other.id},)),
            ("write", agent_line, ({"object_id": resale_line.id},)),
            ("unlink", agent_line, ()),
            (
                "create",
                Agent,
                (
                    {
                        "object_id": resale_line.id,
                        "agent_id": self.distributor_a.id,
                        "commission_id": self.commission_channel.id,
                    },
                ),
            ),
            (
                "write",
                resale_line,
                (
                    {
                        "agent_ids": [
                            Command.create(
                                {
                                    "agent_id": self.distributor_b.id,
                                    "commission_id": self.commission_channel.id,
                                }
                            )
                        ]
                    },
                ),
            ),
            (
                "write",
                line,
                ({"agent_ids": [Command.update(agent_line.id, {"amount": 9999})]},),
            ),
        ):
            with self.subTest(method=method, args=args):
                self.assertTrue(self._refused(record, method, *args))
        self.assertEqual(agent_line.amount, 40.0)
        self.assertEqual(agent_line.agent_id, self.distributor_a)
        self.assertFalse(resale_line.agent_ids)

    def test_other_agents_stay_as_oca_made_them(self):
        line = self._agency_line(post=False)
        plain = self.env["commission"].create(
            {"name": "Plain 10", "commission_type": "fixed", "fix_qty": 10.0}
        )
        agent = self.env["res.partner"].create(
            {"name": "Salesperson Agent", "agent": True, "commission_id": plain.id}
        )
        Agent = self.env["account.invoice.line.agent"].with_user(self.accountant)
        agent_line = Agent.create(
            {"object_id": line.id, "agent_id": agent.id, "commission_id": plain.id}
        )
        self.assertEqual(agent_line.amount, 20.0)
        agent_line.write({"amount": 30.0})
        agent_line.unlink()
        self.assertEqual(line.agent_ids.agent_id, self.distributor_a)

    # the agents of a channel partner ---------------------------------------

    def test_agents_of_channel_partners_by_managers_only(self):
        """Seventh probe, P7-4: Contact Creation made a distributor a
        commission agent (``agent``, ``commission_id``) and put it in the
        agents of another distributor's end customer (``agent_ids``): it
        was then settled commission on that customer's invoices and read
        them on its portal. On a distributor, a managed end customer and
        their contacts, these are financial terms: channel managers' and
        accounting managers'."""
        contacts = new_test_user(
            self.env, "com_cc", groups="base.group_user,base.group_partner_manager"
        )
        account_manager = new_test_user(
            self.env,
            "com_acct_mgr",
            groups="account.group_account_manager,base.group_partner_manager",
        )
        commission = self.env["commission"].create(
            {"name": "T Probe 10 %", "fix_qty": 10.0}
        )
        writes = (
            (self.distributor_a, {"agent": not self.distributor_a.agent}),
            (self.distributor_a, {"commission_id": commission.id}),
            (self.customer_b, {"agent_ids": [Command.link(self.distributor_a.id)]}),
            (self.distributor_b, {"agent_ids": [Command.link(self.distributor_a.id)]}),
        )
        for user, allowed in (
            (contacts, False),
            (self.users["salesman"], False),
            (self.users["channel_user"], False),
            (self.users["channel_manager"], True),
            (account_manager, True),
        ):
            for partner, vals in writes:
                with self.subTest(user=user.login, partner=partner.name, vals=vals):
                    self.assertEqual(
                        self._done_and_undone(
                            lambda p=partner, u=user, v=vals: p.with_user(u).write(v)
                        ),
                        allowed,
                    )
        # outside the channel, OCA's rules
        plain = self.env["res.partner"].create({"name": "T Plain Agent"})
        plain.with_user(contacts).write({"agent": True, "commission_id": commission.id})
        self.assertTrue(plain.agent)


@tagged("post_install", "-at_install")
class TestCommissionSettleProbe(CommissionCase):
    """Fifth probe: who settles whose commission, and up to when. Distributor
    A's agency invoice of January 2026 (commission 40) is paid."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env,
            "p5_com_acct",
            groups="base.group_user,account.group_account_invoice",
        )
        cls.finance_manager = new_test_user(
            cls.env,
            "p5_com_fin_mgr",
            groups="base.group_user,account.group_account_manager",
        )
        cls.company_2 = cls.env["res.company"].create({"name": "P5 Co 2"})
        cls.accountant_2 = new_test_user(
            cls.env,
            "p5_com_acct_2",
            groups="base.group_user,account.group_account_invoice",
            company_id=cls.company_2.id,
            company_ids=[Command.set(cls.company_2.ids)],
        )
        with freeze_time("2026-01-10"):
            invoice = cls._invoice_paid_in_january()
        cls.invoice = invoice

    @classmethod
    def _invoice_paid_in_january(cls):
        invoice = cls._agency_order()._create_invoices()
        invoice.invoice_date = "2026-01-10"
        invoice.action_post()
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(
            {"amount": invoice.amount_residual, "payment_date": "2026-01-20"}
        )._create_payments()
        return invoice

    def _settlements(self):
        return self.env["commission.settlement"].search(
            [("agent_id", "=", self.distributor_a.id)]
        )

    def test_settlement_stays_in_the_users_companies(self):
        """Fifth probe, 3b: a second company's accountant settled and paid a
        first-company distributor's commission (the settlement searched as
        superuser across companies)."""
        with freeze_time("2026-02-01"):
            ids = self.distributor_a.with_user(
                self.accountant_2
            ).channel_settle_commissions("2026-02-01")
        self.assertEqual(ids, [])
        self.assertFalse(self._settlements())
        with freeze_time("2026-02-01"):
            ids = self.distributor_a.with_user(
                self.accountant
            ).channel_settle_commissions("2026-02-01")
        bill = self.env["account.move"].browse(ids)
        self.assertEqual(bill.company_id, self.env.company)
        self.assertEqual(bill.amount_untaxed, 40.0)

    def test_no_settlement_ahead_of_today(self):
        """Fifth probe, 8: an accountant settled a month before it ended by
        giving a future date; a finance manager still may."""
        with freeze_time("2026-01-25"):
            with self.assertRaisesRegex(UserError, "today"):
                self.distributor_a.with_user(
                    self.accountant
                ).channel_settle_commissions("2026-02-01")
            self.assertFalse(self._settlements())
            ids = self.distributor_a.with_user(
                self.finance_manager
            ).channel_settle_commissions("2026-02-01")
        self.assertTrue(ids)

    def test_no_settlement_ahead_by_the_users_own_tz(self):
        """P10-2: the run's day was the user's time zone, which the user
        sets himself: an accountant who set his own to Pacific/Kiritimati
        (UTC+14) settled January at 10:00 UTC on January 31st (February 1st
        there), by date or by default. The day is the company's."""
        self.env.company.partner_id.tz = "UTC"
        self.accountant.with_user(self.accountant).write({"tz": "Pacific/Kiritimati"})
        as_accountant = self.distributor_a.with_user(self.accountant)
        with freeze_time("2026-01-31 10:00:00"):
            with self.assertRaisesRegex(UserError, "today"):
                as_accountant.channel_settle_commissions("2026-02-01")
            self.assertFalse(self._settlements())
            self.assertEqual(as_accountant.channel_settle_commissions(), [])
            self.assertFalse(self._settlements())

    def test_settlement_job_is_the_schedulers(self):
        """Sixteenth probe, P16-B1: an employee with Contact Creation (who
        writes partners, the model of the job's scheduled action) ran the
        action by id: the distributor due was settled and paid out as that
        employee, its next settlement date moved on. Only the scheduler (or
        an administrator) runs it, by either path."""
        contacts = new_test_user(
            self.env,
            "p16_com_contacts",
            groups="base.group_user,base.group_partner_manager",
        )
        cron = self.env.ref(
            "channel_distribution_commission.ir_cron_channel_settle_commissions"
        )
        with freeze_time("2026-01-10"):
            self.distributor_a._channel_commission_schedule()
        with freeze_time("2026-02-01 12:00:00"):
            for path, run in {
                "server action": cron.ir_actions_server_id.with_user(contacts).run,
                "method": self.env["res.partner"]
                .with_user(contacts)
                ._cron_channel_settle_commissions,
            }.items():
                with self.subTest(path=path):
                    self.assertFalse(self._done_and_undone(run, refusal=AccessError))
            self.assertFalse(self._settlements())
            self.assertEqual(
                self.env["res.partner"]._cron_channel_settle_commissions(), 1
            )
        self.assertEqual(self._settlements().total, 40.0)


# Probe 7 (issue 24), P7-4: OCA's commission fields of a partner, written by
# each role on a distributor (B) and on an end customer (A's). ``Y``: the
# write goes through. Whoever sets them decides who is paid a commission on
# whose invoices: the commission, channel and accounting managers'.
# field          record       cc sa cm co am
AGENT_FIELD_MATRIX = """
agent           distributor  -  -  Y  Y  Y
agent_type      distributor  -  -  Y  Y  Y
commission_id   distributor  -  -  Y  Y  Y
settlement      distributor  -  -  Y  Y  Y
agent_ids       customer     -  -  Y  Y  Y
agent_ids       distributor  -  -  Y  Y  Y
"""


class _Undo(Exception):
    """Rolls a write of the test back."""


AGENT_ROLES = (
    "contact_creation",
    "salesman",
    "channel_manager",
    "commission_manager",
    "account_manager",
)


@tagged("post_install", "-at_install")
class TestCommissionProbe7(CommissionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partner_manager = "base.group_user,base.group_partner_manager"
        groups = {
            "contact_creation": partner_manager,
            "salesman": partner_manager + ",sales_team.group_sale_salesman_all_leads",
            "channel_manager": partner_manager
            + ",channel_distribution.group_channel_manager",
            "commission_manager": partner_manager
            + ",commission_oca.group_commission_manager",
            "account_manager": partner_manager + ",account.group_account_manager",
        }
        cls.users = {
            role: new_test_user(cls.env, f"p7_{role}", groups=groups[role])
            for role in AGENT_ROLES
        }
        cls.plain = cls.env["commission"].create(
            {"name": "Plain 10", "commission_type": "fixed", "fix_qty": 10.0}
        )
        # Distributor B made an agent by an admin.
        cls.distributor_b.write({"agent": True, "commission_id": cls.plain.id})

    def test_commission_fields_of_partners_by_role(self):
        values = {
            "agent": False,
            "agent_type": False,
            "settlement": "quaterly",
            "agent_ids": [Command.link(self.distributor_b.id)],
        }
        other = self.env["commission"].create(
            {"name": "Other", "commission_type": "fixed", "fix_qty": 5.0}
        )
        values["commission_id"] = other.id
        records = {"distributor": self.distributor_b, "customer": self.customer_a}
        cells = parse(AGENT_FIELD_MATRIX, 2, AGENT_ROLES)
        for (name, record, role), allowed in cells.items():
            partner = records[record]
            field = partner._fields[name]
            before = field.convert_to_write(partner[name], partner)
            with self.subTest(field=name, record=record, role=role):
                try:
                    with self.env.cr.savepoint():
                        partner.with_user(self.users[role]).write({name: values[name]})
                        partner.flush_recordset()
                        self.env.invalidate_all()
                        self.assertNotEqual(
                            field.convert_to_write(partner[name], partner), before
                        )
                        raise _Undo()
                except AccessError:
                    written = False
                except _Undo:
                    written = True
                self.env.invalidate_all()
                self.assertEqual(written, allowed)
                self.assertEqual(field.convert_to_write(partner[name], partner), before)

    def test_contact_creation_creates_no_agent(self):
        Partner = self.env["res.partner"].with_user(self.users["contact_creation"])
        for vals in (
            {"agent": True, "parent_id": self.customer_a.id},
            {"commission_id": self.plain.id, "parent_id": self.customer_a.id},
            {"agent_ids": [Command.set(self.distributor_b.ids)]},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                Partner.create({"name": "P7 new", **vals})
        # Outside the channel, OCA's rules: the vendor's own agent.
        own_agent = Partner.create(
            {"name": "P7 own agent", "agent": True, "commission_id": self.plain.id}
        )
        self.assertTrue(own_agent.agent)
        customer = Partner.create(
            {"name": "P7 direct", "agent_ids": [Command.set(own_agent.ids)]}
        )
        self.assertEqual(customer.agent_ids, own_agent)
        # A form's defaults are no commission.
        partner = Partner.create(
            {
                "name": "P7 plain",
                "agent": False,
                "commission_id": False,
                "agent_ids": [Command.set([])],
                "settlement": "monthly",
            }
        )
        self.assertFalse(partner.agent_ids)
        # A contact takes its company's agents (OCA's commercial field).
        self.customer_a.agent_ids = [Command.link(self.distributor_b.id)]
        contact = Partner.create(
            {"name": "P7 contact", "parent_id": self.customer_a.id}
        )
        self.assertEqual(contact.agent_ids, self.distributor_b)

    def test_another_distributor_is_no_agent_of_a_customer(self):
        """Distributor B made (by an admin) an agent of A's end customer:
        it is no agent of that customer's invoices, agency (A's) or direct;
        A keeps its channel commission."""
        self.customer_a.agent_ids = [Command.link(self.distributor_b.id)]
        agency = self._invoice(self._agency_order())
        self.assertEqual(self._agent_lines(agency).agent_id, self.distributor_a)
        direct = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer_a.id,
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": self.product_service.id, "price_unit": 100.0}
                    )
                ],
            }
        )
        self.assertFalse(self._agent_lines(direct))
        # A plain agent of the customer stays OCA's.
        agent = self.env["res.partner"].create(
            {"name": "P7 Agent", "agent": True, "commission_id": self.plain.id}
        )
        self.customer_a.agent_ids = [Command.link(agent.id)]
        direct.invoice_line_ids.recompute_agents()
        self.assertEqual(self._agent_lines(direct).agent_id, agent)


# P9-10: OCA's *Regenerate agents* (``account.move.line.recompute_agents``,
# public: JSON-RPC call_kw) on a line of distributor A's invoice, by each
# role. ``Y``: it runs (as superuser); else an AccessError.
# role               runs
RECOMPUTE_AGENTS_MATRIX = """
portal_a           -
portal_b           -
employee           -
salesman           -
accountant         Y
"""


@tagged("post_install", "-at_install")
class TestCommissionProbe9(CommissionCase):
    def test_regenerate_agents_by_role(self):
        """P9-10: OCA's *Regenerate agents* ran as superuser for any caller,
        portal users included, on any invoice line (another distributor's,
        unreadable to the caller). It runs for those who may write the
        lines."""
        invoice = self._invoice(self._agency_order())
        portal = "base.group_portal"
        users = {
            "portal_a": new_test_user(
                self.env,
                "p9_portal_a",
                groups=portal,
                partner_id=self.env["res.partner"]
                .create({"name": "P9 A", "parent_id": self.distributor_a.id})
                .id,
            ),
            "portal_b": new_test_user(
                self.env,
                "p9_portal_b",
                groups=portal,
                partner_id=self.env["res.partner"]
                .create({"name": "P9 B", "parent_id": self.distributor_b.id})
                .id,
            ),
            "employee": new_test_user(self.env, "p9_emp", groups="base.group_user"),
            "salesman": new_test_user(
                self.env, "p9_sales", groups="sales_team.group_sale_salesman"
            ),
            "accountant": new_test_user(
                self.env,
                "p9_acct",
                groups="base.group_user,account.group_account_invoice",
            ),
        }
        lines = invoice.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        agents = self._agent_lines(invoice)
        before = [(a.agent_id.id, a.amount) for a in agents]
        self.assertTrue(before)
        rows = [row.split() for row in RECOMPUTE_AGENTS_MATRIX.strip().splitlines()]
        for role, runs in rows:
            with self.subTest(role=role):
                try:
                    with self.env.cr.savepoint():
                        lines.with_user(users[role]).recompute_agents()
                    done = True
                except AccessError:
                    done = False
                self.assertEqual(done, runs == "Y")
                agents = self._agent_lines(invoice)
                self.assertEqual([(a.agent_id.id, a.amount) for a in agents], before)


# What an accountant writes on the agency line of a draft (straight from the
# invoicing, after Reset to Draft, a credit note's draft) and the commission
# of that line: the agent line and the line's Channel Commission follow what
# the line bills (eleventh probe, P11-1: 100 x 2.00 for the 2 x 100.00 line
# earned 100 x the unit, 2,000.00; a credit note of 10.00 clawed back
# 1,000.00). ``draft``: straight from the invoicing, ``reset``: posted then
# reset, ``refund``: the draft of a plain credit note of the posted invoice
# (the commission clawed back, unsigned). Order: 2 x 100.00, unit 20.00.
# A raised price earns nothing more: a line never earns more than its
# order line does for the units it bills, a credit note never claws back
# more than the line it credits earned (twelfth probe, P12-4: 1 x 1,200.00
# raised to 120,000.00 on the draft paid 36,000.00 for a commission of
# 360.00; a credit note's line so raised clawed back 36,000.00).
# ``-``: refused, an invoice bills the order's price and discount (twelfth
# probe, P12-10); a credit note's stay editable, and count what they credit
# (1 x 10,000.00 credits more than the order line's 200.00: its 40.00).
# draft   quantity  price   discount  commission
DRAFT_EDIT_MATRIX = """
draft    2         100     0         40.00
draft    1         100     0         20.00
draft    100       2       0         -
draft    2         100     99        -
draft    2         50      0         -
draft    2         500     0         -
reset    100       2       0         -
reset    2         100     99        -
draft    1         100000  0         -
reset    1         100     0         20.00
reset    2         10000   0         -
refund   50        0.2     0         2.00
refund   1         100     0         20.00
refund   2         10      0         4.00
refund   2         10000   0         -
refund   1         10000   0         -
refund   100       100     0         -
"""


@tagged("post_install", "-at_install")
class TestCommissionProbe11(CommissionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env, "p11_acct", groups="base.group_user,account.group_account_invoice"
        )
        cls.account_manager = new_test_user(
            cls.env,
            "p11_acct_manager",
            groups="base.group_user,account.group_account_manager",
        )

    def _draft_line(self, kind):
        invoice = self._invoice(self._agency_order(), post=kind != "draft")
        if kind == "reset":
            invoice.with_user(self.accountant).button_draft()
        elif kind == "refund":
            invoice = self._reverse(invoice)
        self.assertEqual(invoice.state, "draft")
        return invoice.invoice_line_ids.filtered("sale_line_ids")

    def test_draft_edits_of_an_agency_line_follow_what_it_bills(self):
        for row in DRAFT_EDIT_MATRIX.strip().splitlines():
            kind, quantity, price, discount, commission = row.split()
            vals = {
                "quantity": float(quantity),
                "price_unit": float(price),
                "discount": float(discount),
            }
            with self.subTest(kind=kind, vals=vals):
                line = self._draft_line(kind)
                self.assertEqual(line.channel_commission_unit, 20.0)
                if commission == "-":
                    # an invoice bills the order's price (twelfth probe,
                    # P12-10); a credit note credits at most what was billed
                    # (fifteenth probe, P15-10: 2 x 100.00 billed)
                    self.assertFalse(
                        self._done_and_undone(
                            lambda ln=line, v=vals: ln.with_user(self.accountant).write(
                                v
                            )
                        )
                    )
                    if kind == "refund":
                        # written past that check, the draft claws back at
                        # most what the line earned, and it is not posted
                        line.sudo().write(vals)
                        self.assertEqual(line.channel_commission, 40.0)
                        self.assertEqual(line.agent_ids.amount, -40.0)
                        self.assertFalse(
                            self._done_and_undone(
                                lambda mv=line.move_id: mv.with_user(
                                    self.accountant
                                ).action_post()
                            )
                        )
                    continue
                line.with_user(self.accountant).write(vals)
                move = line.move_id
                poster = self.accountant
                if kind == "reset":
                    # a reset invoice is posted again with the amounts it
                    # was posted with, or by an accounting manager (finance
                    # walk 13, W13-1): the accountant credits the part
                    with (
                        closing(self.env.cr.savepoint()),
                        self.assertRaisesRegex(UserError, "installments"),
                    ):
                        move.with_user(self.accountant).action_post()
                    poster = self.account_manager
                move.with_user(poster).action_post()
                sign = -1.0 if kind == "refund" else 1.0
                self.assertEqual(line.agent_ids.amount, sign * float(commission))
                self.assertEqual(move.commission_total, sign * float(commission))
                self.assertEqual(line.channel_commission, float(commission))

    def test_commission_free_is_not_written_on_a_draft_agency_line(self):
        """Eleventh probe, P11-2: ``commission_free`` on a draft agency line
        and *Regenerate agents* dropped the distributor's agent line (the
        tenth probe's fix refused it on a posted line only). Refused on a
        draft, straight from the invoicing or reset; the agent line stays."""
        for kind in ("draft", "reset"):
            with self.subTest(kind=kind):
                line = self._draft_line(kind)
                self.assertEqual(line.agent_ids.amount, 40.0)
                self.assertFalse(
                    self._done_and_undone(
                        lambda ln=line: ln.with_user(self.accountant).write(
                            {"commission_free": True}
                        )
                    )
                )
                line.with_user(self.accountant).recompute_agents()
                self.assertFalse(line.commission_free)
                self.assertEqual(line.agent_ids.agent_id, self.distributor_a)
                self.assertEqual(line.agent_ids.amount, 40.0)
        # a line of a direct sale keeps OCA's exemption
        direct = self._create_direct_order(self._create_direct_customer())
        direct.action_confirm()
        plain = self._invoice(direct, post=False).invoice_line_ids[:1]
        plain.with_user(self.accountant).write({"commission_free": True})
        self.assertTrue(plain.commission_free)

    def test_product_of_a_draft_agency_line_is_its_order_lines(self):
        """Twelfth probe, P12-5: the product of a draft agency line switched
        to a commission-free one (OCA's ``commission_free`` follows the
        product) dropped the distributor's agent line; posted, the order
        counted as invoiced and the commission was never earned (P11-2's
        guard watched the field only). The product of a line billing a
        channel order's line is the order line's: a change is refused, on
        the line and through its invoice, on a draft straight from the
        invoicing, reset or of a credit note; the agent line stays."""
        free = self.env["product.product"].create(
            {"name": "P12 commission free", "commission_free": True}
        )
        for kind in ("draft", "reset", "refund"):
            line = self._draft_line(kind)
            move = line.move_id
            product = line.product_id
            self.assertEqual(line.agent_ids.amount, -40.0 if kind == "refund" else 40.0)
            for path, write in (
                (
                    "line",
                    lambda ln=line: ln.with_user(self.accountant).write(
                        {"product_id": free.id, "price_unit": 100.0}
                    ),
                ),
                (
                    "move",
                    lambda ln=line, mv=move: mv.with_user(self.accountant).write(
                        {
                            "invoice_line_ids": [
                                Command.update(ln.id, {"product_id": free.id})
                            ]
                        }
                    ),
                ),
            ):
                with self.subTest(kind=kind, path=path):
                    self.assertFalse(self._done_and_undone(write))
                    self.assertEqual(line.product_id, product)
                    self.assertFalse(line.commission_free)
                    self.assertEqual(line.agent_ids.agent_id, self.distributor_a)
            # the same product written again passes (a form saving it)
            line.with_user(self.accountant).write({"product_id": product.id})
            move.with_user(self.accountant).action_post()
            self.assertEqual(move.commission_total, -40.0 if kind == "refund" else 40.0)

    def test_credit_lines_of_an_order_line_claw_back_what_it_earned(self):
        """Thirteenth probe, P13-9: an accountant made a credit note by hand
        of a paid agency invoice with three lines, each linked to its order
        line (2 x 100.00, 40.00 earned) and crediting it whole: each line
        was capped at what the invoice's line earned, not together, and
        120.00 was clawed back for 40.00 earned. What all the credit lines
        of an order line claw back, on one credit note or several (posted
        or draft), is capped together at what its invoices earned."""
        acct = self.accountant
        order = self._agency_order()
        invoice = self._invoice(order)
        self._pay(invoice)
        sale_line = order.order_line.filtered("product_id")
        line = invoice.invoice_line_ids.filtered("sale_line_ids")
        self.assertEqual(line.agent_ids.amount, 40.0)

        def credit_note(count, **vals):
            credit = {
                "product_id": line.product_id.id,
                "quantity": line.quantity,
                "price_unit": line.price_unit,
                "sale_line_ids": [Command.set(sale_line.ids)],
            }
            return (
                self.env["account.move"]
                .with_user(acct)
                .create(
                    {
                        "move_type": "out_refund",
                        "partner_id": invoice.partner_id.id,
                        "invoice_line_ids": [
                            Command.create(dict(credit)) for _ in range(count)
                        ],
                        **vals,
                    }
                )
            )

        def clawed(moves):
            return sum(self._agent_lines(moves).mapped("amount"))

        refund = credit_note(3, reversed_entry_id=invoice.id)
        self.assertEqual(clawed(refund), -40.0)
        # another credit note, draft or without the invoice named: nothing
        # left to claw back of the order line
        drafts = self.env["account.move"]
        for vals in ({"reversed_entry_id": invoice.id}, {}):
            with self.subTest(vals=vals):
                drafts |= credit_note(1, **vals)
                self.assertEqual(clawed(drafts[-1:]), 0.0)
        # since the fifteenth probe (P15-10) its three lines (6 units of the
        # 2 billed) are not posted; one line of them, the other drafts
        # cancelled, is, and claws back the 40.00 earned
        self.assertFalse(
            self._done_and_undone(lambda: refund.with_user(acct).action_post())
        )
        drafts.with_user(acct).button_cancel()
        refund.invoice_line_ids.filtered("sale_line_ids")[1:].unlink()
        refund.with_user(acct).action_post()
        self.assertEqual(clawed(refund), -40.0)
        self.assertEqual(clawed(credit_note(2)), 0.0)


@tagged("post_install", "-at_install")
class TestCommissionProbe15(CommissionCase):
    """Fifteenth probe, P15-6: the accountant rewrote the draft payout bill
    of a settlement (Bluepeak, 576.00) to another distributor (Northwind)
    at 62,600.00 and posted it; the settlement still said it was paid by
    it. A payout bill is posted for its settlement's agent only, at its
    settlement's amount (an accounting manager may post another amount,
    to match the distributor's own invoice)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env, "p15_acct", groups="base.group_user,account.group_account_invoice"
        )
        cls.account_manager = new_test_user(
            cls.env,
            "p15_acct_manager",
            groups="base.group_user,account.group_account_manager",
        )

    def _payout_bill(self):
        with freeze_time("2026-01-10"):
            invoice = self._invoice(self._agency_order(), date="2026-01-10")
            self._pay(invoice, date="2026-01-20")
        with freeze_time("2026-02-01"):
            ids = self.distributor_a.channel_settle_commissions("2026-02-01")
        bill = self.env["account.move"].browse(ids)
        if bill.state == "posted":
            bill.button_draft()
        self.assertEqual(bill.state, "draft")
        self.assertEqual(bill.amount_untaxed, 40.0)
        return bill

    def test_payout_bill_pays_its_settlement_to_its_agent(self):
        bill = self._payout_bill()
        line = bill.invoice_line_ids
        settlement = line.settlement_id
        self.assertEqual(settlement.state, "invoiced")

        def rewritten(user, vals=None, line_vals=None):
            def attempt():
                if line_vals:
                    line.with_user(user).write(line_vals)
                if vals:
                    bill.with_user(user).write(vals)
                bill.with_user(user).action_post()

            return attempt

        extra = {
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": "extra",
                        "quantity": 1,
                        "price_unit": 5000.0,
                        "account_id": line.account_id.id,
                    }
                )
            ]
        }
        other = {"partner_id": self.distributor_b.id}
        more = {"price_unit": 400.0, "quantity": 10}
        for name, attempt in {
            "amount": rewritten(self.accountant, line_vals=more),
            "partner": rewritten(self.accountant, vals=other),
            "extra line": rewritten(self.accountant, vals=extra),
            "manager partner": rewritten(self.account_manager, vals=other),
        }.items():
            with self.subTest(attempt=name):
                self.assertFalse(self._done_and_undone(attempt))
                self.assertEqual(bill.state, "draft")
        # the settlement's bill as the payout made it: posted
        bill.with_user(self.accountant).action_post()
        self.assertEqual(bill.state, "posted")
        self.assertEqual(bill.partner_id, self.distributor_a)

    def test_payout_bill_is_not_turned_into_a_refund(self):
        """Sixteenth probe, P16-B2: the accountant switched the draft payout
        bill (40.00 owed to the distributor) to a vendor refund and posted
        it: the distributor then owed the vendor what it earned, and its
        settlement stayed paid by that refund (the amount was compared
        unsigned). A payout bill is not switched, and is posted in its
        settlements' direction by everyone."""
        bill = self._payout_bill()
        self.assertFalse(
            self._done_and_undone(
                bill.with_user(self.accountant).action_switch_move_type
            )
        )
        self.assertEqual(bill.move_type, "in_invoice")
        # a refund of a positive settlement, as a switch by superuser makes it
        bill.sudo().action_switch_move_type()
        self.assertEqual(bill.move_type, "in_refund")
        self.assertEqual(bill.amount_untaxed, 40.0)
        for user in (self.accountant, self.account_manager):
            with self.subTest(user=user.login):
                self.assertFalse(
                    self._done_and_undone(bill.with_user(user).action_post)
                )
                self.assertEqual(bill.state, "draft")

    def test_accounting_manager_matches_the_distributors_invoice(self):
        bill = self._payout_bill()
        bill.invoice_line_ids.with_user(self.account_manager).write(
            {"price_unit": 39.99}
        )
        bill.with_user(self.account_manager).action_post()
        self.assertEqual(bill.state, "posted")
        self.assertEqual(bill.amount_untaxed, 39.99)

    def _bank(self, partner, number):
        return self.env["res.partner.bank"].create(
            {"partner_id": partner.id, "acc_number": number}
        )

    def test_payout_bill_pays_to_an_account_of_its_agent(self):
        """P15-6's variant: the accountant points the payout bill's
        recipient account (``partner_bank_id``) at another distributor's
        account, or its own, and posts it: the payment made from the bill
        pays that account. A payout bill pays to an account of its
        settlements' agent (or names none), for every user."""
        own = self._bank(self.distributor_a, "NL00AGENT0000000001")
        contacts = self.env["res.partner"].create(
            {"name": "A Finance", "parent_id": self.distributor_a.id}
        )
        contacts_own = self._bank(contacts, "NL00AGENT0000000002")
        others = self._bank(self.distributor_b, "NL00OTHER0000000001")
        mine = self._bank(self.accountant.partner_id, "XX00EVIL00000000001")
        bill = self._payout_bill()
        for user in (self.accountant, self.account_manager):
            for bank in (others, mine):
                with self.subTest(user=user.login, bank=bank.acc_number):

                    def attempt(user=user, bank=bank):
                        bill.with_user(user).write({"partner_bank_id": bank.id})
                        bill.with_user(user).action_post()

                    self.assertFalse(self._done_and_undone(attempt))
                    self.assertEqual(bill.state, "draft")
        # an account of the agent's company or of its contacts, or none
        for bank in (contacts_own, own, False):
            with self.subTest(bank=bank and bank.acc_number):
                bill.with_user(self.accountant).write(
                    {"partner_bank_id": bank and bank.id}
                )
                bill.with_user(self.accountant).action_post()
                self.assertEqual(bill.state, "posted")
                self.assertEqual(bill.partner_bank_id.id, bank and bank.id)
                bill.button_draft()
        with self.assertRaisesRegex(UserError, "XX00EVIL"):
            bill.with_user(self.accountant).write({"partner_bank_id": mine.id})
            bill.with_user(self.accountant).action_post()

    def test_other_amount_by_a_manager_is_noted(self):
        """An accounting manager posts a payout bill at another amount than
        its settlements' total (allowed, to match the distributor's own
        invoice): the bill and the settlement say so, with both amounts and
        who posted it. At the settlements' total, nothing is noted."""
        bill = self._payout_bill()
        settlement = bill.invoice_line_ids.settlement_id
        since = bill.message_ids | settlement.message_ids
        bill.with_user(self.account_manager).action_post()
        notes = (bill.message_ids | settlement.message_ids) - since
        self.assertFalse(notes.filtered(lambda m: "posted at" in (m.body or "")))
        bill.button_draft()
        bill.invoice_line_ids.with_user(self.account_manager).write(
            {"price_unit": 39.99}
        )
        bill.with_user(self.account_manager).action_post()
        for record in (bill, settlement):
            with self.subTest(record=record._name):
                notes = (record.message_ids - since).filtered(
                    lambda m: "posted at" in (m.body or "")
                )
                self.assertEqual(len(notes), 1)
                body = notes.body
                self.assertIn("39.99", body)
                self.assertIn("40.00", body)
                self.assertIn(self.account_manager.name, body)


@tagged("post_install", "-at_install")
class TestCommissionProbe16(CommissionCase):
    """Sixteenth probe: a posted payout bill's payable line given to another
    distributor, then paid to it (P16-B4); a paid-out agency invoice whose
    settled agent lines were regenerated, then cancelled and deleted, its
    commission settled twice (P16-B6); a posted payout bill credited by
    *Reverse*, its settlement still "invoiced" (P16-B7)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env, "p16_acct", groups="base.group_user,account.group_account_invoice"
        )
        cls.account_manager = new_test_user(
            cls.env,
            "p16_acct_manager",
            groups="base.group_user,account.group_account_manager",
        )

    def _paid_out(self):
        """A paid agency invoice and the posted payout bill of its
        commission (40.00)."""
        with freeze_time("2026-01-10"):
            invoice = self._invoice(self._agency_order(), date="2026-01-10")
            self._pay(invoice, date="2026-01-20")
        with freeze_time("2026-02-01"):
            ids = self.distributor_a.channel_settle_commissions("2026-02-01")
        bill = self.env["account.move"].browse(ids)
        if bill.state == "draft":
            bill.with_user(self.accountant).action_post()
        self.assertEqual(bill.state, "posted")
        self.assertEqual(bill.amount_untaxed, 40.0)
        self.assertEqual(bill.line_ids.settlement_id.state, "invoiced")
        return invoice, bill

    def _register(self, bill, user, vals=None):
        """Odoo's *Register Payment* of ``bill`` by ``user``, its proposed
        values then rewritten with ``vals`` (as in the wizard's form)."""
        wizard = (
            self.env["account.payment.register"]
            .with_user(user)
            .with_context(active_model="account.move", active_ids=bill.ids)
            .create({"payment_date": "2026-02-05"})
        )
        if vals:
            wizard.write(vals)
        return wizard

    def test_posted_payout_bill_pays_its_agent_only(self):
        """P16-B4: the accountant gave the posted payout bill's payable line
        to Northwind, and *Register Payment* paid Bluepeak's commission to
        Northwind. Every line of a payout move is its settlements' agent's,
        written so by nobody but the product, checked at posting; and the
        bill is paid to its agent only."""
        _invoice, bill = self._paid_out()
        payable = bill.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        other = {"partner_id": self.distributor_b.id}
        for user in (self.accountant, self.account_manager):
            with self.subTest(user=user.login):
                self.assertFalse(
                    self._done_and_undone(
                        lambda user=user: payable.with_user(user).write(other)
                    )
                )
                self.assertFalse(
                    self._done_and_undone(
                        lambda user=user: self._register(
                            bill, user, other
                        ).action_create_payments()
                    )
                )
                self.assertEqual(payable.partner_id, self.distributor_a)
                self.assertEqual(bill.payment_state, "not_paid")
        # written on the draft, the lines are the bill's partner's again at
        # posting (Odoo's), that is the agent's (P15-6)
        bill.button_draft()
        payable.write(other)
        bill.with_user(self.accountant).action_post()
        self.assertEqual(
            bill.line_ids.filtered("partner_id").partner_id, self.distributor_a
        )
        # the bill's own payment: to its agent
        self._register(bill, self.accountant).action_create_payments()
        self.assertIn(bill.payment_state, ("paid", "in_payment"))
        payments = bill.line_ids.matched_debit_ids.debit_move_id.move_id
        self.assertEqual(payments.partner_id, self.distributor_a)

    def test_settled_agent_lines_are_not_regenerated(self):
        """P16-B6: the paid-out invoice reset to draft, its agents
        regenerated (the settled agent lines dropped for new ones), then
        cancelled and deleted by an accounting manager: the order billed
        and its commission settled again. The settled agent lines stay: the
        invoice is not cancelled nor deleted (a credit note claws the
        commission back)."""
        invoice, _bill = self._paid_out()
        agents = self._agent_lines(invoice)
        self.assertTrue(agents.filtered("settled"))
        invoice.with_user(self.accountant).button_draft()
        invoice.invoice_line_ids.with_user(self.accountant).recompute_agents()
        self.assertEqual(self._agent_lines(invoice), agents)
        self.assertTrue(agents.exists().filtered("settled"))
        for operation in ("button_cancel", "unlink"):
            with self.subTest(operation=operation):
                self.assertFalse(
                    self._done_and_undone(
                        getattr(invoice.with_user(self.account_manager), operation),
                        refusal=(UserError, ValidationError),
                    )
                )
        self.assertTrue(invoice.exists())
        self.assertEqual(invoice.state, "draft")

    def test_payout_bill_is_not_reversed(self):
        """P16-B7: the accountant credited the posted payout bill by
        *Reverse*: bill and refund offset, the distributor is never paid,
        while its settlement says it was. A payout bill is not reversed;
        reset to draft and cancelled, it gives its settlement back."""
        _invoice, bill = self._paid_out()
        settlement = bill.line_ids.settlement_id
        for user in (self.accountant, self.account_manager):
            with self.subTest(user=user.login):

                def reverse(user=user):
                    wizard = (
                        self.env["account.move.reversal"]
                        .with_user(user)
                        .with_context(active_model="account.move", active_ids=bill.ids)
                        .create({"reason": "p16", "journal_id": bill.journal_id.id})
                    )
                    wizard.refund_moves()

                self.assertFalse(self._done_and_undone(reverse))
                self.assertFalse(bill.reversal_move_ids)
        bill.with_user(self.accountant).button_draft()
        bill.with_user(self.accountant).button_cancel()
        self.assertNotEqual(settlement.state, "invoiced")
