# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The second probe of the running demo (after issue 24), on invoices: a
resale invoice followed by its end customer, the channel links of invoice
lines, and the invoicing dates of a distributor."""

import re
from contextlib import closing

from odoo import Command, fields
from odoo.addons.channel_distribution.tests.common import ChannelPortalCase, parse
from odoo.addons.channel_distribution.tools import channel_stored_computes
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.misc import hmac

from .common import ConsolidatedInvoiceCase, InvoicingCase

LINK_ROLES = ("salesman", "channel_user", "channel_manager", "accountant")

# The channel links of a resale invoice of distributor B and of its lines
# (``lines``: those of its order, ``section``: the line opening the order's
# section), written by each internal role over the ORM (an RPC ``write`` is
# the same call) on the posted invoice, then on the same invoice reset to
# draft. ``Y``: the write goes through. They say whose invoice it is (its
# distributor's portal, its end customers' rules) and what it bills: the
# product's flows set them (as superuser) or the line's creation, nobody
# writes them afterwards, on a draft either (the third probe moved a draft
# to another distributor through its lines' distributor). Every stored
# field this addon adds to invoices and their lines has its rows
# (test_link_table_covers_every_field_of_the_addon); portal users write no
# invoice at all (JSONRPC_MATRIX). Nor its customer, but for another address
# of the same company (eighth probe, P8-10: an accountant moved a draft
# consolidated invoice of B's orders to A by its ``partner_id`` and posted
# it: A owed B's orders, B was never billed), nor a line's partner or its
# copy of the invoice's state (``address_b``: an invoice address of B).
# Nor what only posting, resetting, cancelling, payments and reconciliation
# move (ninth probe, P9-7: an accountant posted a consolidated draft by its
# ``state``, skipping the checks of posting, marked its receivable line
# paid by its ``amount_residual`` and ``reconciled``, with no payment, and
# made a posted invoice a journal entry by its ``move_type``):
# ``receivable`` is the invoice's receivable line, ``marked`` a matching
# number that reconciles the line with any other so marked once posted.
# Nor, on a posted channel invoice, the reference its party pays with
# (``payment_reference``) and its receivable line's label, which carries it
# (``name``): payments are matched by them, an accounting manager changes
# them (issue 24, after the eleventh probe); on the invoice reset to draft
# too (thirteenth probe, P13-7: changed there and posted again, the
# distributor's payment went unmatched); a draft never posted has Odoo's.
# Nor the product of a line billing a channel order's line: the order
# line's (twelfth probe, P12-5: a draft agency line switched to a
# commission-free product lost the distributor's commission).
# record  field                  value          state   s c m a
LINK_WRITE_MATRIX = """
lines    distributor_id          distributor_a  posted  - - - -
lines    distributor_id          none           posted  - - - -
lines    end_customer_id         customer_a     posted  - - - -
lines    end_customer_id         none           posted  - - - -
lines    sale_line_ids           clear          posted  - - - -
lines    channel_credit_kept     true           posted  - - - -
lines    channel_billed_again    true           posted  - - - -
section  channel_order_id        order_a        posted  - - - -
section  distributor_id          distributor_a  posted  - - - -
invoice  channel_distributor_id  distributor_a  posted  - - - -
invoice  channel_distributor_id  none           posted  - - - -
invoice  end_customer_ids        customer_a     posted  - - - -
invoice  end_customer_ids        clear          posted  - - - -
lines    channel_commission      amount         posted  - - - -
invoice  channel_commission      amount         posted  - - - -
lines    distributor_id          distributor_a  draft   - - - -
lines    distributor_id          none           draft   - - - -
lines    end_customer_id         customer_a     draft   - - - -
lines    end_customer_id         none           draft   - - - -
lines    sale_line_ids           clear          draft   - - - -
lines    channel_credit_kept     true           draft   - - - -
lines    channel_billed_again    true           draft   - - - -
section  channel_order_id        order_a        draft   - - - -
section  distributor_id          distributor_a  draft   - - - -
invoice  channel_distributor_id  distributor_a  draft   - - - -
invoice  channel_distributor_id  none           draft   - - - -
invoice  end_customer_ids        customer_a     draft   - - - -
invoice  end_customer_ids        clear          draft   - - - -
lines    channel_commission      amount         draft   - - - -
invoice  channel_commission      amount         draft   - - - -
invoice  partner_id              distributor_a  posted  - - - -
invoice  partner_id              distributor_a  draft   - - - -
invoice  partner_id              address_b      draft   - - - Y
invoice  commercial_partner_id   distributor_a  draft   - - - -
lines    partner_id              distributor_a  draft   - - - -
lines    parent_state            cancel         draft   - - - -
invoice  state                   draft          posted  - - - -
invoice  state                   cancel         posted  - - - -
invoice  move_type               entry          posted  - - - -
receivable amount_residual       zero           posted  - - - -
receivable amount_residual_currency zero        posted  - - - -
receivable reconciled            true           posted  - - - -
receivable full_reconcile_id     none           posted  - - - -
receivable matching_number       marked         posted  - - - -
receivable payment_id            none           posted  - - - -
invoice  state                   posted         draft   - - - -
invoice  move_type               entry          draft   - - - -
receivable matching_number       marked         draft   - - - -
invoice  payment_reference       text           posted  - - - -
receivable name                  text           posted  - - - -
invoice  payment_reference       text           draft   - - - -
receivable name                  text           draft   - - - -
invoice  channel_posted_due_dates marked        posted  - - - -
invoice  channel_posted_due_dates marked        draft   - - - -
lines    product_id              product_setup  posted  - - - -
lines    product_id              product_setup  draft   - - - -
"""

# The fourth probe: an accountant created an invoice over RPC
# (``account.move.create``) whose line linked the lines of B's order,
# invoiced to another distributor: A was billed for B's order and the order
# counted as invoiced. A line of a channel order goes on an invoice of the
# order's financial counterparty only, through the product's flows (the
# order's invoicing, as superuser) or a copy of a link they made (a credit
# note, Reverse and Create). ``how``: ``create`` a new invoice,
# ``add`` a line to a draft invoice of that partner (``write`` of the
# invoice), ``line`` written on a line of such a draft (``sale_line_ids``),
# ``order`` the link written from the order line's side
# (``invoice_lines``). ``Y``: linked. ``order_fresh`` is a confirmed resale
# order of B not invoiced yet.
# partner        order           how     s c m a
LINK_CREATE_MATRIX = """
distributor_a    order_b_resale  create  - - - -
distributor_a    order_b_resale  add     - - - -
distributor_a    order_b_resale  order   - - - -
distributor_a    order_b_resale  line    - - - -
customer_a       order_b         create  - - - -
distributor_b    order_b         create  - - - -
distributor_b    order_fresh     create  - - - -
distributor_b    order_fresh     add     - - - -
distributor_b    order_fresh     order   - - - -
distributor_b    order_fresh     line    - - - -
"""


@tagged("post_install", "-at_install")
class TestInvoicingProbe(ChannelPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contacts = new_test_user(
            cls.env,
            "sec_inv_contacts",
            groups="base.group_user,base.group_partner_manager",
        )
        address = {"street": "2 Other Street", "city": "Lille"}
        (cls.distributor_b | cls.customer_b).write(address)
        cls.address_b = cls.env["res.partner"].create(
            {
                "name": "B Accounts",
                "type": "other",
                "parent_id": cls.distributor_b.id,
                **address,
            }
        )
        (cls.order_b | cls.order_b_resale).action_create_distributor_invoices()
        cls.resale_invoice = cls.order_b_resale.invoice_ids
        cls.agency_invoice = cls.order_b.invoice_ids
        (cls.resale_invoice | cls.agency_invoice).action_post()
        cls.resale_invoice.ref = "DIST-PO-INV-SECRET"
        cls.order_fresh = cls._create_order(
            cls.distributor_b, cls.customer_b, financial_role="distributor"
        )
        cls.order_fresh.action_confirm()

    # 1. the end customer made a follower of a resale invoice ----------------

    def test_end_customer_never_follows_a_resale_invoice(self):
        invoice = self.resale_invoice
        self.assertEqual(invoice.channel_distributor_id, self.distributor_b)
        customer = self.portal_cust_b.partner_id
        invoice.with_context(mail_post_autofollow=True).message_post(
            body="About your delivery",
            partner_ids=customer.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        invoice.message_subscribe(partner_ids=(customer | self.customer_b).ids)
        invoice.invalidate_recordset(["message_partner_ids", "message_follower_ids"])
        self.assertFalse((customer | self.customer_b) & invoice.message_partner_ids)
        # the end customer follows its own (agency) invoice as before
        self.agency_invoice.message_subscribe(partner_ids=customer.ids)
        self.assertIn(customer, self.agency_invoice.message_partner_ids)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_follower_end_customer_reads_nothing_of_a_resale_invoice(self):
        invoice = self.resale_invoice
        self.env["mail.followers"]._insert_followers(
            "account.move", invoice.ids, self.portal_cust_b.partner_id.ids
        )
        token = invoice._portal_ensure_token()
        secrets = (invoice.name, "DIST-PO-INV-SECRET", token)
        self.login(self.portal_cust_b)
        for url in (
            f"/my/invoices/{invoice.id}",
            f"/my/invoices/{invoice.id}?report_type=html",
            f"/my/invoices/{invoice.id}?report_type=pdf",
            f"/report/html/account.report_invoice/{invoice.id}",
            "/my/invoices",
        ):
            with self.subTest(url=url):
                page = self.url_open(url, allow_redirects=False)
                for secret in secrets:
                    self.assertNotIn(secret, page.text)
        for model, method, args in (
            ("account.move", "read", [invoice.ids, ["name", "ref", "access_token"]]),
            ("account.move", "search_read", [[], ["name", "ref", "access_token"]]),
            ("account.move.line", "search_read", [[], ["move_id", "price_unit"]]),
            ("account.move", "read_group", [[], ["amount_total:sum"], ["ref"]]),
        ):
            with self.subTest(model=model, method=method):
                result = str(self.call_kw(model, method, args))
                for secret in secrets:
                    self.assertNotIn(secret, result)
        # its own (agency) invoice it reads, page and RPC
        agency = self.agency_invoice
        page = self.url_open(f"/my/invoices/{agency.id}", allow_redirects=False)
        self.assertEqual(page.status_code, 200)
        self.assertIn(agency.name, page.text)
        result = self.call_kw("account.move", "read", [agency.ids, ["name"]])
        self.assertIn(agency.name, str(result))
        # the distributor reads its resale invoice
        self.login(self.portal_dist_b)
        page = self.url_open(f"/my/invoices/{invoice.id}", allow_redirects=False)
        self.assertIn(invoice.name, page.text)
        # a token opens its own record for whoever holds it (anonymous)
        self.login(None)
        page = self.url_open(
            f"/my/invoices/{invoice.id}?access_token={token}", allow_redirects=False
        )
        self.assertIn(invoice.name, page.text)

    # 5. the channel links of invoice lines ------------------------------------

    def _refused(self, record, vals, user):
        return not self._done_and_undone(lambda: record.with_user(user).write(vals))

    def _link_value(self, record, name, word):
        """The value ``word`` of LINK_WRITE_MATRIX for the field ``name``."""
        value = {
            "none": False,
            "true": True,
            "clear": [Command.clear()],
            "amount": 999.0,
            "cancel": "cancel",
            "draft": "draft",
            "posted": "posted",
            "entry": "entry",
            "zero": 0.0,
            "marked": "I-probe-9",
            "text": "PAY-TO-ANOTHER-REF",
        }.get(word)
        if value is None:
            value = getattr(self, word).id
            if record._fields[name].type in ("one2many", "many2many"):
                value = [Command.set([value])]
        return value

    def test_link_table_covers_every_field_of_the_addon(self):
        """Every stored field this addon adds to invoices and their lines
        has its rows in LINK_WRITE_MATRIX, on a posted invoice and a draft."""
        rows = {
            (kind, name, state)
            for kind, name, __, state, __ in parse(LINK_WRITE_MATRIX, 4, LINK_ROLES)
        }
        for model, kinds in (
            ("account.move", ("invoice",)),
            ("account.move.line", ("lines", "section")),
        ):
            for name, field in self.env[model]._fields.items():
                if not field.store or (
                    "channel_distribution_invoicing" not in field._modules
                ):
                    continue
                for state in ("posted", "draft"):
                    with self.subTest(model=model, field=name, state=state):
                        self.assertTrue(
                            any((kind, name, state) in rows for kind in kinds),
                            f"{model}.{name} on a {state} invoice: no row",
                        )

    def test_channel_links_of_invoice_lines_are_the_products(self):
        invoice = self.resale_invoice
        records = {
            "lines": invoice.invoice_line_ids.filtered("sale_line_ids"),
            "section": invoice.invoice_line_ids.filtered("channel_order_id"),
            "invoice": invoice,
            "receivable": invoice.line_ids.filtered(
                lambda line: line.display_type == "payment_term"
            ),
        }
        self.assertTrue(records["lines"] and records["section"])
        users = {
            "salesman": self.salesman,
            "channel_user": self.channel_user,
            "channel_manager": self.channel_manager,
            "accountant": self.accountant,
        }
        cells = parse(LINK_WRITE_MATRIX, 4, LINK_ROLES)
        self.assertEqual(len(cells), 56 * len(LINK_ROLES))
        for state in ("posted", "draft"):
            if state == "draft":
                # Odoo's button, as the accountant
                invoice.with_user(self.accountant).button_draft()
            self.assertEqual(invoice.state, state)
            for (kind, name, word, row_state, role), written in cells.items():
                if row_state != state:
                    continue
                record = records[kind]
                vals = {name: self._link_value(record, name, word)}
                with self.subTest(state=state, vals=vals, role=role):
                    self.assertEqual(
                        not self._refused(record, vals, users[role]), written
                    )
            # nothing moved: the invoice is still B's
            invoice.invalidate_recordset()
            self.assertEqual(invoice.channel_distributor_id, self.distributor_b)
        # the product's flows (as superuser) still set them on a draft
        line = records["lines"][:1]
        line.sudo().write({"end_customer_id": self.customer_a.id})
        self.assertEqual(line.end_customer_id, self.customer_a)
        line.sudo().write({"end_customer_id": self.customer_b.id})
        # a reversal keeps the links and the credit
        invoice.with_user(self.accountant).action_post()
        self.assertEqual(invoice.state, "posted")
        wizard = (
            self.env["account.move.reversal"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "probe", "journal_id": invoice.journal_id.id})
        )
        wizard.refund_moves()
        refund = wizard.new_move_ids
        self.assertEqual(refund.channel_distributor_id, self.distributor_b)
        # posted by the accountant, the credit note settles the invoice;
        # reset to draft, the invoice is owed again (Odoo's reconciliation
        # and its undoing, as the accountant)
        refund.with_user(self.accountant).action_post()
        self.assertEqual(invoice.amount_residual, 0.0)
        refund.with_user(self.accountant).button_draft()
        self.assertEqual(invoice.amount_residual, invoice.amount_total)
        refund.with_user(self.accountant).button_cancel()
        self.assertEqual(refund.state, "cancel")
        self.assertTrue(
            all(
                refund.invoice_line_ids.filtered("sale_line_ids").mapped(
                    "channel_credit_kept"
                )
            )
        )

    def _link_by_hand(self, partner, order, how, user):
        """Link the first line of ``order`` to an invoice of ``partner`` as
        ``user`` in the way ``how`` of LINK_CREATE_MATRIX; whether the link
        was made."""
        sale_line = order.order_line.filtered(lambda x: not x.display_type)[:1]
        line_vals = {
            "product_id": sale_line.product_id.id,
            "quantity": sale_line.product_uom_qty,
            "price_unit": 1.0,
            "sale_line_ids": [Command.link(sale_line.id)],
        }
        before = sale_line.sudo().invoice_lines
        Move = self.env["account.move"]
        try:
            with closing(self.env.cr.savepoint()), mute_logger("odoo.models"):
                if how == "create":
                    Move.with_user(user).create(
                        {
                            "move_type": "out_invoice",
                            "partner_id": partner.id,
                            "invoice_line_ids": [Command.create(line_vals)],
                        }
                    )
                else:
                    draft = Move.create(
                        {
                            "move_type": "out_invoice",
                            "partner_id": partner.id,
                            "invoice_line_ids": [
                                Command.create(
                                    {
                                        "product_id": self.product_setup.id,
                                        "price_unit": 5.0,
                                    }
                                )
                            ],
                        }
                    )
                    if how == "add":
                        draft.with_user(user).write(
                            {"invoice_line_ids": [Command.create(line_vals)]}
                        )
                    elif how == "line":
                        draft.invoice_line_ids.with_user(user).write(
                            {"sale_line_ids": line_vals["sale_line_ids"]}
                        )
                    else:
                        sale_line.with_user(user).write(
                            {"invoice_lines": [Command.link(draft.invoice_line_ids.id)]}
                        )
                self.env.flush_all()
                sale_line.invalidate_recordset()
                return bool(sale_line.sudo().invoice_lines - before)
        except UserError:  # AccessError too
            return False
        finally:
            self.env.invalidate_all()

    def test_channel_order_lines_linked_by_hand(self):
        users = {
            "salesman": self.salesman,
            "channel_user": self.channel_user,
            "channel_manager": self.channel_manager,
            "accountant": self.accountant,
        }
        cells = parse(LINK_CREATE_MATRIX, 3, LINK_ROLES)
        self.assertEqual(len(cells), 10 * len(LINK_ROLES))
        for (partner, order, how, role), linked in cells.items():
            with self.subTest(partner=partner, order=order, how=how, role=role):
                self.assertEqual(
                    self._link_by_hand(
                        getattr(self, partner), getattr(self, order), how, users[role]
                    ),
                    linked,
                )
        # nothing billed: the fresh order is still to invoice, B's orders
        # are on B's and customer B's invoices only
        self.assertEqual(self.order_fresh.invoice_status, "to invoice")
        self.assertFalse(self.order_fresh.invoice_ids)
        self.assertEqual(self.order_b_resale.invoice_ids, self.resale_invoice)
        self.assertEqual(self.order_b.invoice_ids, self.agency_invoice)
        # the product's flows still link them: the order's invoicing and
        # its credit note (a copy of the links, as the accountant)
        invoice = self.order_fresh.with_user(self.accountant)._create_invoices()
        self.assertEqual(invoice.partner_id, self.distributor_b)
        invoice.action_post()
        wizard = (
            self.env["account.move.reversal"]
            .with_user(self.accountant)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "probe", "journal_id": invoice.journal_id.id})
        )
        wizard.modify_moves()
        self.assertEqual(len(self.order_fresh.invoice_ids), 3)

    # 6. the invoicing dates of a distributor ---------------------------------

    def test_contact_creation_keeps_the_invoicing_dates(self):
        day = fields.Date.to_date("2099-12-31")
        for name in ("channel_invoicing_next_date", "channel_invoicing_last_date"):
            with self.subTest(field=name):
                with self.assertRaises(AccessError):
                    self.distributor_a.with_user(self.contacts).write({name: day})
                self.assertNotEqual(self.distributor_a[name], day)

    def test_direct_invoice_lines_keep_odoo_links(self):
        """The guard of the channel links is the channel's: on a draft
        invoice of direct sales a user links its lines to other direct
        orders as in Odoo (its own suite does), but not to a channel
        order's lines."""
        direct = self._create_direct_order(self._create_direct_customer())
        other = self._create_direct_order(self._create_direct_customer())
        (direct | other).action_confirm()
        invoice = direct._create_invoices()
        line = invoice.invoice_line_ids.filtered("sale_line_ids")
        line.with_user(self.accountant).write(
            {"sale_line_ids": [Command.link(other.order_line.id)]}
        )
        self.assertEqual(line.sale_line_ids, direct.order_line | other.order_line)
        with self.assertRaises(UserError):
            line.with_user(self.accountant).write(
                {"sale_line_ids": [Command.link(self.order_b_resale.order_line[0].id)]}
            )
        self.assertNotIn(self.order_b_resale.order_line[0], line.sale_line_ids)

    # 7. channel lines moved or copied to another party's invoice ------------

    def test_lines_never_move_to_another_partys_invoice(self):
        """Ninth probe, P9-3: an accountant moved the lines of an agency and
        a resale order from their drafts to a draft of another distributor
        by the lines' invoice (``move_id``, or a link command on the other
        draft's lines) and posted it: that distributor owed the orders,
        their counterparties were never billed. A copy of a channel invoice
        for another customer, or of one of its lines onto another party's
        invoice, carried the channel links likewise; a draft channel invoice
        switched to a credit note by Odoo's button credited its orders."""
        (self.resale_invoice | self.agency_invoice).button_draft()
        other = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.distributor_a.id,
                "invoice_line_ids": [
                    Command.create({"name": "carrier", "price_unit": 1.0})
                ],
            }
        )
        acct = self.accountant
        for invoice in (self.resale_invoice, self.agency_invoice):
            line = invoice.invoice_line_ids.filtered("sale_line_ids")[:1]
            section = invoice.invoice_line_ids.filtered("channel_order_id")[:1]
            attempts = {
                "line move_id": lambda ln=line: ln.with_user(acct).write(
                    {"move_id": other.id}
                ),
                "link on the other": lambda ln=line: other.with_user(acct).write(
                    {"invoice_line_ids": [Command.link(ln.id)]}
                ),
                "link in line_ids": lambda ln=line: other.with_user(acct).write(
                    {"line_ids": [Command.link(ln.id)]}
                ),
                "line copy": lambda ln=line: ln.with_user(acct).copy(
                    {"move_id": other.id}
                ),
                "invoice copy": lambda inv=invoice: inv.with_user(acct).copy(
                    {"partner_id": self.distributor_a.id}
                ),
            }
            if section:  # an agency invoice of one order has none
                attempts["section move_id"] = lambda ln=section: ln.with_user(
                    acct
                ).write({"move_id": other.id})
            for name, attempt in attempts.items():
                with self.subTest(invoice=invoice.name, attempt=name):
                    self.assertFalse(self._done_and_undone(attempt))
            self.assertEqual(line.move_id, invoice)
        # Odoo's switch refuses a document posted before: a new draft
        fresh = self.order_fresh._create_invoices()
        self.assertFalse(
            self._done_and_undone(
                lambda: fresh.with_user(acct).action_switch_move_type()
            )
        )
        self.assertEqual(fresh.move_type, "out_invoice")
        self.assertFalse(other.invoice_line_ids.sale_line_ids)
        self.assertFalse(other.channel_distributor_id)
        # a copy for the same party (a duplicate the accountant edits) and
        # the product's flows still work; the orders are still invoiced to
        # their own counterparties once posted
        copy = self.resale_invoice.with_user(acct).copy()
        self.assertEqual(copy.commercial_partner_id, self.distributor_b)
        copy.unlink()
        (self.resale_invoice | self.agency_invoice).action_post()
        self.assertEqual(self.order_b_resale.invoice_ids, self.resale_invoice)
        self.assertEqual(self.order_b.invoice_ids, self.agency_invoice)

    def test_posted_channel_invoice_figures_are_not_written(self):
        """Tenth probe (P10-1, P10-3, P10-7, P10-9, P10-10): on a posted
        channel invoice an accountant wrote a line's quantity (its
        commission recomputed to 36,000.00, the total unchanged), the
        invoice's or a line's rate (the receivable fell from 607.20 to
        71.44), the lines' date and journal (out of the statement), the
        invoice's payment state (paid, no payment) and a line's
        commission exemption. Refused; on a draft the lines are edited as
        in Odoo."""
        invoice = self.resale_invoice
        self.assertEqual(invoice.state, "posted")
        line = invoice.invoice_line_ids.filtered("sale_line_ids")[:1]
        receivable = invoice.line_ids.filtered(
            lambda ln: ln.account_id.account_type == "asset_receivable"
        )
        journal = self.env["account.journal"].create(
            {"name": "Probe 10", "type": "sale", "code": "PX10"}
        )
        acct = self.accountant
        line_writes = {
            "quantity": 100.0,
            "price_unit": 1.0,
            "discount": 50.0,
            "currency_rate": 8.5,
            "date": fields.Date.to_date("2099-01-01"),
            "journal_id": journal.id,
        }
        if "commission_free" in line._fields:
            line_writes["commission_free"] = True
        attempts = {
            f"line {name}": lambda n=name, v=value: line.with_user(acct).write({n: v})
            for name, value in line_writes.items()
        }
        attempts["receivable date"] = lambda: receivable.with_user(acct).write(
            {"date": fields.Date.to_date("2099-01-01")}
        )
        attempts["invoice paid"] = lambda: invoice.with_user(acct).write(
            {"payment_state": "paid"}
        )
        attempts["invoice rate"] = lambda: invoice.with_user(acct).write(
            {"invoice_currency_rate": 8.5}
        )
        total = invoice.amount_total
        for name, attempt in attempts.items():
            with self.subTest(attempt=name):
                self.assertFalse(self._done_and_undone(attempt))
        self.assertEqual(invoice.amount_total, total)
        self.assertEqual(invoice.payment_state, "not_paid")
        # a draft's quantities are the accountant's to edit (its prices are
        # the order's: P12-10)
        invoice.button_draft()
        line.with_user(acct).write({"quantity": line.quantity})
        self.assertTrue(
            self._done_and_undone(lambda: line.with_user(acct).write({"quantity": 1}))
        )

    def _other_value(self, record, name):
        """A value of the scalar field ``name`` other than ``record``'s
        (None for a relational field)."""
        field = record._fields[name]
        value = record[name]
        if field.type in ("float", "monetary", "integer"):
            return (value or 0) + 7
        if field.type == "boolean":
            return not value
        if field.type == "selection":
            keys = [key for key in field.get_values(self.env) if key != value]
            return keys[0] if keys else None
        if field.type == "date":
            return fields.Date.to_date("2099-01-01")
        if field.type == "datetime":
            return fields.Datetime.to_datetime("2099-01-01 12:00:00")
        if field.type in ("char", "text", "html"):
            return "probe 11"
        return None

    def test_posted_channel_invoice_stored_computes_are_not_written(self):
        """Eleventh probe, P11-4: an accountant wrote a posted channel
        invoice's ``amount_residual`` (or ``amount_total``,
        ``amount_residual_signed``): Odoo recomputed its payment state from
        it, paid (the overdue hold lifted, the commission settled), no
        payment. Every stored computed field of a channel invoice (without
        an inverse) comes from its lines, payments and reconciliation: a
        user's write of another value is refused, the figure and the
        payment state unchanged."""
        invoice = self.resale_invoice
        acct = self.accountant
        total, residual = invoice.amount_total, invoice.amount_residual
        self.assertTrue(residual)
        for vals in (
            {"amount_residual": 0.0},
            {"amount_residual": 0.0, "amount_residual_signed": 0.0},
            {"amount_residual_signed": 0.0},
            {"amount_total": 1.0, "amount_total_signed": 1.0, "amount_untaxed": 1.0},
        ):
            with self.subTest(vals=vals):
                self.assertFalse(
                    self._done_and_undone(
                        lambda v=vals: invoice.with_user(acct).write(v)
                    )
                )
                self.assertFalse(
                    self._done_and_undone(
                        lambda v=vals: invoice.with_user(acct).web_save(v, {})
                    )
                )
                self.assertEqual(invoice.payment_state, "not_paid")
                self.assertEqual(invoice.amount_residual, residual)
        # every stored computed scalar field of the model, generically
        names = sorted(channel_stored_computes(invoice))
        self.assertIn("amount_residual", names)
        for state in ("posted", "draft"):
            if state == "draft":
                invoice.button_draft()
            for name in names:
                value = self._other_value(invoice, name)
                if value is None:
                    continue
                with self.subTest(state=state, field=name, value=value):
                    with (
                        self.assertRaises(UserError),
                        closing(self.env.cr.savepoint()),
                        mute_logger("odoo.models"),
                    ):
                        invoice.with_user(acct).write({name: value})
                        self.env.flush_all()
                    self.env.invalidate_all()
        invoice.action_post()
        self.assertEqual(invoice.amount_total, total)
        self.assertEqual(invoice.payment_state, "not_paid")
        # the same value (a form saving what it read) and the fields Odoo
        # lets users write (the due date's policy aside) are written
        invoice.with_user(acct).write({"amount_residual": residual})
        invoice.with_user(acct).write({"narration": "Thank you"})
        # Odoo's payment moves them
        self._pay_as(acct, invoice, invoice.amount_residual)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(invoice.amount_residual, 0.0)

    def test_due_date_of_a_posted_channel_invoice_by_managers_only(self):
        """Eleventh probe, P11-5: an accountant moved a posted overdue
        channel invoice's due date (or its receivable line's) to 2099: it
        left the overdue hold and the dunning, silently. On a posted channel
        invoice it moves by an accounting manager only, noted in the
        chatter; a draft's stays Odoo's."""
        invoice = self.resale_invoice
        receivable = invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        due = invoice.invoice_date_due
        later = fields.Date.to_date("2099-01-01")
        acct = self.accountant
        attempts = {
            "invoice": lambda: invoice.with_user(acct).write(
                {"invoice_date_due": later}
            ),
            "web_save": lambda: invoice.with_user(acct).web_save(
                {"invoice_date_due": "2099-01-01"}, {}
            ),
            "receivable": lambda: receivable.with_user(acct).write(
                {"date_maturity": later}
            ),
        }
        for name, attempt in attempts.items():
            with self.subTest(attempt=name):
                self.assertFalse(self._done_and_undone(attempt))
                self.assertEqual(invoice.invoice_date_due, due)
                self.assertEqual(receivable.date_maturity, due)
        manager = new_test_user(
            self.env,
            "p11_acct_mgr",
            groups="base.group_user,account.group_account_manager",
        )
        notes = invoice.message_ids
        invoice.with_user(manager).write({"invoice_date_due": later})
        self.assertEqual(invoice.invoice_date_due, later)
        self.assertEqual(receivable.date_maturity, later)
        noted = invoice.message_ids - notes
        self.assertEqual(len(noted), 1)
        self.assertIn("2099-01-01", noted.body)
        self.assertIn(str(due), noted.body)
        receivable.with_user(manager).write({"date_maturity": due})
        self.assertEqual(receivable.date_maturity, due)
        self.assertEqual(len(invoice.message_ids - notes), 2)
        # a draft's due date is the accountant's (Odoo's rules)
        invoice.button_draft()
        self.assertTrue(
            self._done_and_undone(
                lambda: invoice.with_user(acct).write({"invoice_date_due": later})
            )
        )

    def test_due_date_kept_when_a_reset_invoice_is_posted_again(self):
        """Twelfth probe, P12-2: an accountant reset a posted overdue
        channel invoice to draft, moved its due date to 2099 there (a
        draft's is Odoo's) and posted it again: it left the overdue hold
        and the dunning, silently (P11-5 by another path). Posted again, a
        channel invoice keeps the due dates it was posted with, unless an
        accounting manager posts it (noted in the chatter)."""
        invoice = self.resale_invoice
        due = invoice.invoice_date_due
        acct = self.accountant
        invoice.with_user(acct).button_draft()
        invoice.with_user(acct).write({"invoice_date_due": "2099-01-01"})
        self.assertFalse(
            self._done_and_undone(lambda: invoice.with_user(acct).action_post())
        )
        self.assertEqual(invoice.state, "draft")
        # with its due date back, the accountant posts it
        invoice.with_user(acct).write({"invoice_date_due": due})
        invoice.with_user(acct).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.invoice_date_due, due)
        # an accounting manager moves it, noted
        manager = new_test_user(
            self.env,
            "p12_acct_mgr",
            groups="base.group_user,account.group_account_manager",
        )
        invoice.with_user(manager).button_draft()
        invoice.with_user(manager).write({"invoice_date_due": "2099-01-01"})
        notes = invoice.message_ids
        invoice.with_user(manager).action_post()
        self.assertEqual(str(invoice.invoice_date_due), "2099-01-01")
        noted = (invoice.message_ids - notes).filtered(
            lambda message: "2099-01-01" in message.body
        )
        self.assertEqual(len(noted), 1)
        self.assertIn(str(due), noted.body)

    def test_draft_bills_channel_order_lines_at_their_price(self):
        """Twelfth probe, P12-10: on the draft invoice of a resale order
        (3,312.00) an accountant set the line's price to 0.01 and its
        discount to 99.99 and posted 0.00: the order counted as invoiced,
        nothing left to bill. A draft invoice bills a channel order's lines
        at the order's price, discount, product and unit, for every user
        (as a subscription period's, P11-15); a part is billed by lowering
        the quantity, and corrected by a credit note, whose lines stay
        editable."""
        manager = new_test_user(
            self.env,
            "p12_inv_mgr",
            groups="base.group_user,account.group_account_manager",
        )
        self.order_fresh.action_create_distributor_invoices()
        draft = self.order_fresh.invoice_ids
        self.resale_invoice.button_draft()
        other_uom = self.env.ref("uom.product_uom_dozen")
        for invoice in (draft, self.resale_invoice):
            line = invoice.invoice_line_ids.filtered("sale_line_ids")
            self.assertEqual(invoice.state, "draft")
            for user in (self.accountant, manager):
                for vals in (
                    {"price_unit": 0.01},
                    {"discount": 99.99},
                    {"product_id": self.product_setup.id},
                    {"product_uom_id": other_uom.id},
                ):
                    with self.subTest(move=invoice.name, user=user.login, vals=vals):
                        for attempt in (
                            lambda v=vals, u=user, ln=line: ln.with_user(u).write(v),
                            lambda v=vals, u=user, ln=line, m=invoice: m.with_user(
                                u
                            ).write({"invoice_line_ids": [Command.update(ln.id, v)]}),
                        ):
                            self.assertFalse(self._done_and_undone(attempt))
                            self.assertEqual(
                                line.price_unit, line.sale_line_ids.price_unit
                            )
            # what the form saves unchanged, and a lower quantity, are written
            line.with_user(self.accountant).write(
                {"price_unit": line.price_unit, "discount": line.discount}
            )
            line.with_user(self.accountant).write({"quantity": 1})
            self.assertEqual(line.quantity, 1)
        # a credit note credits a part
        self.resale_invoice.action_post()
        refund = self._reverse(self.resale_invoice)
        credit = refund.invoice_line_ids.filtered("sale_line_ids")
        credit.with_user(self.accountant).write({"price_unit": 10.0})
        self.assertEqual(credit.price_unit, 10.0)

    def _pay_as(self, user, invoice, amount):
        """Odoo's Register Payment wizard, as ``user``."""
        wizard = (
            self.env["account.payment.register"]
            .with_user(user)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_difference_handling": "open"})
        )
        wizard.action_create_payments()
        return invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )

    def test_partial_reconciliation_of_a_channel_invoice_is_odoos(self):
        """Eleventh probe, P11-9: an accountant registered a 1.00 payment on
        a channel invoice, then rewrote the partial reconciliation's amount
        (and created one of 1,379.00 with the payment line, then deleted
        it): the invoice paid, the payment line left with a residual of
        1,379.00 on a balance of -1.00, the commission settled. A partial of
        a channel invoice's line is created by Odoo's reconciliation only
        with amounts that leave each of its lines within its balance, and
        its amounts are never written; Odoo's payments, unreconciliation and
        reconciliation still work."""
        invoice = self.resale_invoice
        acct = self.accountant
        total = invoice.amount_residual
        receivable = self._pay_as(acct, invoice, 1.0)
        self.assertEqual(invoice.payment_state, "partial")
        partial = receivable.matched_credit_ids
        self.assertEqual(len(partial), 1)
        payment_line = partial.credit_move_id
        Partial = self.env["account.partial.reconcile"].with_user(acct)
        attempts = {
            "write amount": lambda: partial.with_user(acct).write(
                {
                    "amount": total,
                    "debit_amount_currency": total,
                    "credit_amount_currency": total,
                }
            ),
            "write amount alone": lambda: partial.with_user(acct).write(
                {"amount": total}
            ),
            "write currency": lambda: partial.with_user(acct).write(
                {"debit_amount_currency": total}
            ),
            "write line": lambda: partial.with_user(acct).write(
                {"credit_move_id": receivable.id}
            ),
            "create beyond": lambda: Partial.create(
                {
                    "debit_move_id": receivable.id,
                    "credit_move_id": payment_line.id,
                    "amount": total - 1.0,
                    "debit_amount_currency": total - 1.0,
                    "credit_amount_currency": total - 1.0,
                }
            ),
            "create swapped": lambda: Partial.create(
                {
                    "debit_move_id": payment_line.id,
                    "credit_move_id": receivable.id,
                    "amount": total - 1.0,
                    "debit_amount_currency": total - 1.0,
                    "credit_amount_currency": total - 1.0,
                }
            ),
        }
        for name, attempt in attempts.items():
            with self.subTest(attempt=name):
                self.assertFalse(self._done_and_undone(attempt))
                self.assertEqual(invoice.payment_state, "partial")
                self.assertEqual(invoice.amount_residual, total - 1.0)

        # the unlink-and-create path: refused at the create
        def unlink_and_create():
            partial.with_user(acct).unlink()
            Partial.create(
                {
                    "debit_move_id": receivable.id,
                    "credit_move_id": payment_line.id,
                    "amount": total,
                    "debit_amount_currency": total,
                    "credit_amount_currency": total,
                }
            )

        self.assertFalse(self._done_and_undone(unlink_and_create))
        self.assertEqual(invoice.payment_state, "partial")
        # Odoo's flows: unreconcile, reconcile again, pay the rest
        receivable.with_user(acct).remove_move_reconcile()
        self.assertEqual(invoice.payment_state, "not_paid")
        (receivable | payment_line).with_user(acct).reconcile()
        self.assertEqual(invoice.payment_state, "partial")
        self._pay_as(acct, invoice, total - 1.0)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(payment_line.amount_residual, 0.0)

    def test_payment_reference_of_a_posted_channel_invoice_by_advisers(self):
        """Issue 24: the reference a distributor pays a posted channel
        invoice with (``payment_reference``) and its receivable line's label
        were written by an accountant: a changed reference misdirects the
        distributor's payment. On a posted channel invoice an accounting
        manager changes them (LINK_WRITE_MATRIX, web_save here); Odoo
        computes them on posting, a credit note gets its own."""
        invoice = self.resale_invoice
        receivable = invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        reference = invoice.payment_reference
        self.assertTrue(reference)
        label = receivable.name
        acct = self.accountant
        for name, attempt in {
            "web_save": lambda: invoice.with_user(acct).web_save(
                {"payment_reference": "PAY-TO-ANOTHER-REF"}, {}
            ),
            "line_ids": lambda: invoice.with_user(acct).write(
                {
                    "line_ids": [
                        Command.update(receivable.id, {"name": "PAY-TO-ANOTHER"})
                    ]
                }
            ),
        }.items():
            with self.subTest(attempt=name):
                self.assertFalse(self._done_and_undone(attempt))
                self.assertEqual(invoice.payment_reference, reference)
                self.assertEqual(receivable.name, label)
        # the values they have (a form saving what it read) pass
        invoice.with_user(acct).write({"payment_reference": reference})
        receivable.with_user(acct).write({"name": label})
        manager = new_test_user(
            self.env,
            "p11_ref_mgr",
            groups="base.group_user,account.group_account_manager",
        )
        invoice.with_user(manager).write({"payment_reference": "AGREED-REF"})
        self.assertEqual(invoice.payment_reference, "AGREED-REF")
        receivable.with_user(manager).write({"name": "AGREED-LABEL"})
        self.assertEqual(receivable.name, "AGREED-LABEL")
        # Odoo's flows as the accountant: posting computes them, a reversal
        # (its credit note) and its posting
        self.order_fresh.action_create_distributor_invoices()
        fresh = self.order_fresh.invoice_ids
        fresh.with_user(acct).action_post()
        self.assertEqual(fresh.payment_reference, fresh.name)
        fresh_receivable = fresh.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        self.assertIn(fresh.name, fresh_receivable.name)
        wizard = (
            self.env["account.move.reversal"]
            .with_user(acct)
            .with_context(active_model="account.move", active_ids=fresh.ids)
            .create({"reason": "refs", "journal_id": fresh.journal_id.id})
        )
        wizard.refund_moves()
        wizard.new_move_ids.with_user(acct).action_post()
        self.assertEqual(fresh.amount_residual, 0.0)
        self.assertEqual(fresh.payment_reference, fresh.name)

    def _payment_of(self, user, partner, amount):
        """A customer payment of ``partner`` made and posted by ``user``:
        its receivable line."""
        journal = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.env.company.id)],
            limit=1,
        )
        payment = (
            self.env["account.payment"]
            .with_user(user)
            .create(
                {
                    "partner_id": partner.id,
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "amount": amount,
                    "journal_id": journal.id,
                }
            )
        )
        payment.action_post()
        return payment.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )

    def test_payment_of_another_party_reconciled_by_advisers(self):
        """Eleventh probe, P11-17: an accountant reconciled distributor A's
        payment with B's channel invoice: B's debt paid with A's money (on
        an agency invoice, the commission paid out). The receivable of a
        channel invoice is reconciled with a line of another commercial
        partner by an accounting manager only, noted in the invoice's
        chatter with the payer and the amount: by Odoo's reconciliation,
        the invoice's outstanding payments widget or a partial by hand."""
        invoice = self.resale_invoice
        acct = self.accountant
        total = invoice.amount_residual
        receivable = invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        payment_line = self._payment_of(acct, self.distributor_a, total)
        self.assertTrue(payment_line)
        Partial = self.env["account.partial.reconcile"].with_user(acct)
        payer, party = (
            re.escape(p.display_name) for p in (self.distributor_a, self.distributor_b)
        )
        refusal = f"(?s){payer}.*{party}|{party}.*{payer}"
        for name, attempt in {
            "reconcile": lambda: (receivable | payment_line)
            .with_user(acct)
            .reconcile(),
            "outstanding": lambda: invoice.with_user(acct).js_assign_outstanding_line(
                payment_line.id
            ),
            "partial": lambda: Partial.create(
                {
                    "debit_move_id": receivable.id,
                    "credit_move_id": payment_line.id,
                    "amount": total,
                    "debit_amount_currency": total,
                    "credit_amount_currency": total,
                }
            ),
        }.items():
            with self.subTest(attempt=name):
                with (
                    self.assertRaisesRegex(UserError, refusal),
                    mute_logger("odoo.models"),
                ):
                    attempt()
                self.assertEqual(invoice.payment_state, "not_paid")
                self.assertEqual(invoice.amount_residual, total)
                self.assertEqual(payment_line.amount_residual, -total)
        # B's own payment settles it as before (Odoo's reconciliation)
        own_line = self._payment_of(acct, self.distributor_b, 1.0)
        (receivable | own_line).with_user(acct).reconcile()
        self.assertEqual(invoice.payment_state, "partial")
        # an accounting manager reconciles A's payment, noted
        manager = new_test_user(
            self.env,
            "p11_rec_mgr",
            groups="base.group_user,account.group_account_manager",
        )
        notes = invoice.message_ids
        invoice.with_user(manager).js_assign_outstanding_line(payment_line.id)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        noted = invoice.message_ids - notes
        self.assertEqual(len(noted), 1)
        self.assertIn(self.distributor_a.display_name, noted.body)
        self.assertIn(f"{total - 1.0:,.2f}", noted.body)
        self.assertIn(manager.name, noted.body)

    def test_payment_of_another_party_relabelled_reconciled_by_advisers(self):
        """Thirteenth probe, P13-6: P11-17's guard compared the partners of
        the two lines, so an accountant wrote distributor B (the invoice's
        party) as the partner of A's posted payment's receivable line, or
        of the payment itself, and reconciled it with B's channel invoice:
        B's debt paid with A's money again. Refused for the accountant (the
        payer is the payment's party, whatever its line says, and a posted
        payment's party is an accounting manager's to change); an
        accounting manager still reconciles it."""
        invoice = self.resale_invoice
        acct = self.accountant
        total = invoice.amount_residual
        receivable = invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        for how in ("line", "payment"):
            for path in ("reconcile", "outstanding"):
                payment_line = self._payment_of(acct, self.distributor_a, total)
                payment = payment_line.payment_id
                self.assertTrue(payment)
                with self.subTest(how=how, path=path):
                    with (
                        self.assertRaises(UserError),  # AccessError too
                        mute_logger("odoo.models"),
                        closing(self.env.cr.savepoint()),
                    ):
                        if how == "line":
                            payment_line.with_user(acct).write(
                                {"partner_id": self.distributor_b.id}
                            )
                        else:
                            payment.with_user(acct).write(
                                {"partner_id": self.distributor_b.id}
                            )
                        if path == "reconcile":
                            (receivable | payment_line).with_user(acct).reconcile()
                        else:
                            invoice.with_user(acct).js_assign_outstanding_line(
                                payment_line.id
                            )
                    self.env.invalidate_all()
                    self.assertEqual(invoice.payment_state, "not_paid")
                    self.assertEqual(invoice.amount_residual, total)
                    self.assertEqual(payment.partner_id, self.distributor_a)
        # an accounting manager reconciles A's payment, relabelled or not
        manager = new_test_user(
            self.env,
            "p13_rec_mgr",
            groups="base.group_user,account.group_account_manager",
        )
        payment_line = self._payment_of(acct, self.distributor_a, total)
        payment_line.with_user(manager).write({"partner_id": self.distributor_b.id})
        (receivable | payment_line).with_user(manager).reconcile()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def _bank_journal(self):
        return self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.env.company.id)],
            limit=1,
        )

    def test_receivable_moved_to_a_receivable_settles_nothing(self):
        """Thirteenth probe, P13-5: an accountant "paid" a channel invoice
        with what leaves its amount on a receivable: a payment whose
        outstanding account is the receivable (written so, or by its
        payment method), a payment written off to the receivable,
        an entry debiting and crediting the receivable. The residual went
        to 0.00, nothing received: the commission paid out, the overdue
        hold lifted. Refused, whatever the path; an accounting manager
        does it, noted in the invoice's chatter."""
        invoice = self.resale_invoice
        acct = self.accountant
        total = invoice.amount_residual
        receivable = invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        account = receivable.account_id
        journal = self._bank_journal()
        method = journal.inbound_payment_method_line_ids[:1]
        # the payment method given, as the form does (an outstanding account
        # given to the create is replaced by the method's: no path)
        payment_vals = {
            "partner_id": invoice.commercial_partner_id.id,
            "payment_type": "inbound",
            "partner_type": "customer",
            "amount": total,
            "journal_id": journal.id,
            "payment_method_line_id": method.id,
        }

        def assign(payment):
            payment.action_post()
            line = payment.move_id.line_ids.filtered(lambda line: line.credit)
            invoice.with_user(acct).js_assign_outstanding_line(line.id)

        def written(payment):
            payment.write({"outstanding_account_id": account.id})
            assign(payment)

        def method_line():
            method.with_user(acct).write({"payment_account_id": account.id})
            assign(Payment.create(payment_vals))

        def write_off():
            self.env["account.payment.register"].with_user(acct).with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create(
                {
                    "amount": 1.0,
                    "payment_difference_handling": "reconcile",
                    "writeoff_account_id": account.id,
                    "writeoff_label": "Moved",
                }
            ).action_create_payments()

        Payment = self.env["account.payment"].with_user(acct)
        attempts = {
            "entry reconciled": lambda: (
                receivable | self._receivable_moved(invoice, acct)
            )
            .with_user(acct)
            .reconcile(),
            "entry outstanding": lambda: invoice.with_user(
                acct
            ).js_assign_outstanding_line(self._receivable_moved(invoice, acct).id),
            "entry partial": lambda: self.env["account.partial.reconcile"]
            .with_user(acct)
            .create(
                {
                    "debit_move_id": receivable.id,
                    "credit_move_id": self._receivable_moved(invoice, acct).id,
                    "amount": total,
                    "debit_amount_currency": total,
                    "credit_amount_currency": total,
                }
            ),
            "payment written": lambda: written(Payment.create(payment_vals)),
            "payment method": method_line,
            "write-off": write_off,
        }
        for name, attempt in attempts.items():
            with self.subTest(attempt=name):
                refusal = self._attempted(attempt, undone=True)
                self.assertEqual(invoice.amount_residual, total)
                self.assertEqual(invoice.payment_state, "not_paid")
                self.assertIn("no money", str(refusal))
        # an accounting manager does, noted
        manager = new_test_user(
            self.env,
            "p13_rec_mgr",
            groups="base.group_user,account.group_account_manager",
        )
        moved = self._receivable_moved(invoice, manager)
        notes = invoice.message_ids
        invoice.with_user(manager).js_assign_outstanding_line(moved.id)
        self.assertTrue(invoice.currency_id.is_zero(invoice.amount_residual))
        noted = invoice.message_ids - notes
        self.assertEqual(len(noted), 1)
        self.assertIn(moved.move_id.name, noted.body)
        self.assertIn(f"{total:,.2f}", noted.body)
        self.assertIn(manager.name, noted.body)

    def test_settled_by_an_entry_without_money_or_income_is_noted(self):
        """The "two-entry shuffle" (left by the P13-4 follow-up): an
        accountant settles an overdue channel invoice with a journal entry
        crediting its receivable against another balance-sheet account (Dr
        Current Assets / Cr receivable): nothing received, nothing written
        off, the residual 0.00 lifts the overdue hold. Not refused (a
        customer's deposit or a clearing account applied to the invoice is
        legitimate), noted in the invoice's chatter naming the entry, its
        accounts and who reconciled it, for finance's review of the hold.
        A payment (or a credit note) is not noted so."""
        invoice = self.resale_invoice
        acct = self.accountant
        total = invoice.amount_residual
        suspense = self.env["account.account"].search(
            [
                ("account_type", "=", "asset_current"),
                ("company_ids", "in", self.env.company.ids),
            ],
            limit=1,
        )
        receivable = invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )[:1]
        entry = (
            self.env["account.move"]
            .with_user(acct)
            .create(
                {
                    "move_type": "entry",
                    "date": invoice.invoice_date,
                    "line_ids": [
                        Command.create(
                            {"account_id": suspense.id, "debit": total, "name": "S"}
                        ),
                        Command.create(
                            {
                                "account_id": receivable.account_id.id,
                                "partner_id": invoice.commercial_partner_id.id,
                                "credit": total,
                                "name": "S",
                            }
                        ),
                    ],
                }
            )
        )
        entry.action_post()
        notes = invoice.message_ids
        invoice.with_user(acct).js_assign_outstanding_line(
            entry.line_ids.filtered("credit").id
        )
        self.assertTrue(invoice.currency_id.is_zero(invoice.amount_residual))
        noted = invoice.message_ids - notes
        self.assertEqual(len(noted), 1)
        self.assertIn(entry.name, noted.body)
        self.assertIn(suspense.code, noted.body)
        self.assertIn(f"{total:,.2f}", noted.body)
        self.assertIn(acct.name, noted.body)
        # a payment, then a credit note: no such note
        self.order_fresh.action_create_distributor_invoices()
        fresh = self.order_fresh.invoice_ids
        fresh.action_post()
        notes = fresh.message_ids
        payment_line = self._payment_of(acct, self.distributor_b, 20.0)
        fresh.with_user(acct).js_assign_outstanding_line(payment_line.id)
        refund = (
            self.env["account.move.reversal"]
            .with_user(acct)
            .with_context(active_model="account.move", active_ids=fresh.ids)
            .create({"reason": "goodwill", "journal_id": fresh.journal_id.id})
        )
        refund.refund_moves()
        credit_note = refund.new_move_ids
        credit_note.with_user(acct).action_post()
        fresh.with_user(acct).js_assign_outstanding_line(
            credit_note.line_ids.filtered(
                lambda line: line.display_type == "payment_term"
            ).id
        )
        self.assertTrue(fresh.currency_id.is_zero(fresh.amount_residual))
        self.assertFalse(
            (fresh.message_ids - notes).filtered(lambda m: "no money" in (m.body or ""))
        )

    def test_accountant_settles_with_money_and_credit_notes(self):
        """P13-5's rule leaves Odoo's flows to the accountant: Register
        Payment (a part, then the rest with a write-off to an expense
        account), Reverse and Create, a credit note and a payment added
        from the invoice's outstanding credits, a bank statement line
        reconciled (its suspense account a receivable: the bank line is
        money)."""
        acct = self.accountant
        invoice = self.resale_invoice
        self._pay_as(acct, invoice, 1.0)
        self.assertEqual(invoice.payment_state, "partial")
        expense = self.env["account.account"].search(
            [
                ("account_type", "=", "expense"),
                ("company_ids", "in", self.env.company.ids),
            ],
            limit=1,
        )
        self.env["account.payment.register"].with_user(acct).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(
            {
                "amount": invoice.amount_residual - 10.0,
                "payment_difference_handling": "reconcile",
                "writeoff_account_id": expense.id,
                "writeoff_label": "Bank fees",
            }
        ).action_create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertTrue(invoice.currency_id.is_zero(invoice.amount_residual))
        # Reverse and Create: the credit note settles the invoice
        agency = self.agency_invoice
        reversal = (
            self.env["account.move.reversal"]
            .with_user(acct)
            .with_context(active_model="account.move", active_ids=agency.ids)
            .create({"reason": "wrong address", "journal_id": agency.journal_id.id})
        )
        reversal.modify_moves()
        self.assertEqual(agency.payment_state, "reversed")
        # a bank statement line, a payment and a credit note, added
        self.order_fresh.action_create_distributor_invoices()
        fresh = self.order_fresh.invoice_ids
        fresh.action_post()
        total = fresh.amount_residual
        receivable = fresh.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        journal = self._bank_journal()
        journal.suspense_account_id = receivable.account_id
        statement_line = self.env["account.bank.statement.line"].create(
            {
                "journal_id": journal.id,
                "partner_id": self.distributor_b.id,
                "amount": 10.0,
                "payment_ref": fresh.name,
            }
        )
        suspense = statement_line.move_id.line_ids.filtered(
            lambda line: line.account_id == receivable.account_id
        )
        (receivable | suspense).with_user(acct).reconcile()
        self.assertEqual(fresh.amount_residual, total - 10.0)
        self.assertTrue(statement_line.is_reconciled)
        payment_line = self._payment_of(acct, self.distributor_b, 20.0)
        fresh.with_user(acct).js_assign_outstanding_line(payment_line.id)
        self.assertEqual(fresh.amount_residual, total - 30.0)
        refund = (
            self.env["account.move.reversal"]
            .with_user(acct)
            .with_context(active_model="account.move", active_ids=fresh.ids)
            .create({"reason": "goodwill", "journal_id": fresh.journal_id.id})
        )
        refund.refund_moves()
        credit_note = refund.new_move_ids
        credit_note.with_user(acct).action_post()
        credit = credit_note.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        fresh.with_user(acct).js_assign_outstanding_line(credit.id)
        self.assertTrue(fresh.currency_id.is_zero(fresh.amount_residual))
        self.assertEqual(credit_note.amount_residual, 30.0)

    def test_exchange_difference_entries_are_odoos(self):
        """P13-5's rule and Odoo's exchange difference entries: one fixing
        both sides of a reconciliation debits and credits the receivable
        (against the exchange accounts), and Odoo reconciles it as the
        accountant: it passes. The same entry posted by the accountant is a
        debt moved: refused."""
        acct = self.accountant
        invoice = self.resale_invoice
        total = invoice.amount_residual
        receivable = invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        payment_line = self._payment_of(acct, self.distributor_b, 1.0)
        lines = (receivable | payment_line).with_user(acct)
        values = lines._prepare_exchange_difference_move_vals(
            [{"amount_residual": 0.01}, {"amount_residual": -0.01}]
        )
        exchange = lines._create_exchange_difference_moves([values])
        self.assertEqual(invoice.amount_residual, total - 0.01)
        self.assertEqual(len(exchange.line_ids), 4)
        # by hand
        forged = (
            self.env["account.move"]
            .with_user(acct)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": exchange.journal_id.id,
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": line.account_id.id,
                                "partner_id": line.partner_id.id,
                                "name": line.name,
                                "debit": line.debit * 100,
                                "credit": line.credit * 100,
                            }
                        )
                        for line in exchange.line_ids
                    ],
                }
            )
        )
        forged.action_post()
        credit = forged.line_ids.filtered(
            lambda line: line.credit and line.account_id == receivable.account_id
        )
        refusal = self._attempted(
            lambda: invoice.with_user(acct).js_assign_outstanding_line(credit.id)
        )
        self.assertIn("no money", str(refusal))
        self.assertEqual(invoice.amount_residual, total - 0.01)

    def test_order_line_billed_again_by_hand_for_what_was_credited(self):
        """Thirteenth probe, P13-1 to P13-3: an accountant created an invoice
        whose line copied the link of an invoiced (paid-out) order line:
        the order line billed twice, its commission paid twice; at 0.01, or
        of a commission-free product, it billed the order for nothing. A
        line linked by hand bills the order line again only for what credit
        notes credited, and at its agreed product, price and discount (as
        Odoo's Reverse and Create does)."""
        acct = self.accountant
        invoice = self.resale_invoice
        sale_line = self.order_b_resale.order_line.filtered("product_id")[:1]

        def new_invoice(**vals):
            line = {
                "product_id": sale_line.product_id.id,
                "quantity": sale_line.product_uom_qty,
                "price_unit": sale_line.price_unit,
                "sale_line_ids": [Command.set(sale_line.ids)],
                **vals,
            }
            return (
                self.env["account.move"]
                .with_user(acct)
                .create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": invoice.partner_id.id,
                        "invoice_line_ids": [Command.create(line)],
                    }
                )
            )

        # invoiced already, posted or reset to draft: refused
        self.assertFalse(self._done_and_undone(new_invoice))
        invoice.with_user(acct).button_draft()
        self.assertFalse(self._done_and_undone(new_invoice))
        invoice.with_user(acct).action_post()
        # credited in full: billed again by hand at its agreed terms only
        refund = self._reverse(invoice)
        refund.action_post()
        for vals in (
            {"price_unit": 0.01},
            {"discount": 99.0},
            {"product_id": self.product_setup.id},
        ):
            with self.subTest(vals=vals):
                self.assertFalse(self._done_and_undone(lambda v=vals: new_invoice(**v)))
        again = new_invoice()
        self.assertEqual(again.amount_untaxed, invoice.amount_untaxed)
        self.assertEqual(sale_line.qty_invoiced, sale_line.product_uom_qty)
        # Odoo's Reverse and Create, as the accountant, copies the links
        agency = self.agency_invoice
        wizard = (
            self.env["account.move.reversal"]
            .with_user(acct)
            .with_context(active_model="account.move", active_ids=agency.ids)
            .create({"reason": "wrong address", "journal_id": agency.journal_id.id})
        )
        wizard.modify_moves()
        copy = wizard.new_move_ids.filtered(lambda m: m.move_type == "out_invoice")
        self.assertEqual(copy.amount_untaxed, agency.amount_untaxed)

    def test_draft_of_a_channel_order_neither_netted_nor_untaxed(self):
        """Thirteenth probe, P13-2 a, d: on a resale order's draft an
        accountant added a "rebate" line of -2,879.99 (posted at 0.01) or
        cleared the order line's taxes (432.00 of VAT gone), the order
        invoiced. Neither is written; a fee line is."""
        acct = self.accountant
        self.order_fresh.action_create_distributor_invoices()
        draft = self.order_fresh.invoice_ids
        line = draft.invoice_line_ids.filtered("sale_line_ids")
        total = draft.amount_untaxed
        attempts = {
            "rebate": lambda: draft.with_user(acct).write(
                {
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Rebate",
                                "quantity": 1,
                                "price_unit": 0.01 - total,
                            }
                        )
                    ]
                }
            ),
            "negative line": lambda: self.env["account.move.line"]
            .with_user(acct)
            .create(
                {
                    "move_id": draft.id,
                    "name": "Rebate",
                    "quantity": 1,
                    "price_unit": -10.0,
                }
            ),
            "taxes": lambda: line.with_user(acct).write({"tax_ids": [Command.clear()]}),
        }
        for name, attempt in attempts.items():
            with self.subTest(attempt=name):
                self.assertFalse(self._done_and_undone(attempt))
                self.assertEqual(draft.amount_untaxed, total)
        draft.with_user(acct).write(
            {
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Courier", "quantity": 1, "price_unit": 25.0}
                    )
                ]
            }
        )
        self.assertEqual(draft.amount_untaxed, total + 25.0)

    def test_channel_order_lines_post_what_they_bill(self):
        """Thirteenth probe, P13-2 c, e: on a resale order's draft, and on a
        paid agency invoice reset to draft, an accountant wrote the order
        line's booked amount (``balance`` or ``amount_currency``: 0.03 for a
        line of 2,880.00, its price and quantity untouched) and posted it:
        the customer owed 0.03, the order counted as invoiced. Odoo writes
        these amounts itself (a quantity, an invoice's creation, Reverse
        and Create), so the write goes through; the post is refused, naming
        the line, and the invoice posts once it books what it bills. The
        reset invoice's other amounts are refused to the accountant by its
        kept installments (finance walk 13, W13-1): an accounting manager,
        whom those let through, is refused by what the line books."""
        acct = self.accountant
        manager = new_test_user(
            self.env,
            "p13_booked_manager",
            groups="base.group_user,account.group_account_manager",
        )
        self.order_fresh.action_create_distributor_invoices()
        draft = self.order_fresh.invoice_ids
        agency = self.agency_invoice
        agency.with_user(acct).button_draft()
        for invoice in (draft, agency):
            line = invoice.invoice_line_ids.filtered("sale_line_ids")[:1]
            booked = line.balance
            self.assertTrue(booked)
            for vals in (
                {"balance": -0.03},
                {"amount_currency": -0.03},
                {"balance": round(booked / 2, 2)},
            ):
                with self.subTest(move=invoice.name, vals=vals):
                    # written (no guard: Odoo writes them), refused at posting
                    self.assertTrue(
                        self._done_and_undone(
                            lambda v=vals, ln=line: ln.with_user(acct).write(v)
                        )
                    )
                    poster = manager if invoice == agency else acct
                    with closing(self.env.cr.savepoint()):
                        line.with_user(acct).write(vals)
                        with self.assertRaisesRegex(UserError, re.escape(line.name)):
                            invoice.with_user(poster).action_post()
                    self.env.invalidate_all()
                    self.assertEqual(invoice.state, "draft")
            invoice.with_user(acct).action_post()
            self.assertEqual(invoice.state, "posted")
            self.assertEqual(line.balance, booked)

    def test_channel_invoice_in_another_currency_posts(self):
        """The check of what a channel order's lines book (P13-2 c) follows
        the invoice's currency and rate: a resale draft moved to another
        currency posts, its lines booked at the rate; a balance written off
        the rate is refused."""
        acct = self.accountant
        company = self.order_fresh.company_id
        currency = self.env.ref("base.EUR")
        if currency == company.currency_id:
            currency = self.env.ref("base.USD")
        currency.active = True
        Rate = self.env["res.currency.rate"]
        # the day the accountant posts at (its time zone, not the
        # superuser's): the rate of that day converts the invoice
        today = fields.Date.context_today(self.order_fresh.with_user(acct))
        rate = Rate.search(
            [
                ("currency_id", "=", currency.id),
                ("company_id", "=", company.id),
                ("name", "=", today),
            ]
        ) or Rate.create(
            {"name": today, "currency_id": currency.id, "company_id": company.id}
        )
        rate.rate = 1.2345
        self.order_fresh.action_create_distributor_invoices()
        draft = self.order_fresh.invoice_ids
        draft.currency_id = currency
        line = draft.invoice_line_ids.filtered("sale_line_ids")[:1]
        self.assertEqual(line.amount_currency, -line.price_subtotal)
        with closing(self.env.cr.savepoint()):
            line.with_user(acct).write({"balance": line.balance - 1.0})
            with self.assertRaises(UserError):
                draft.with_user(acct).action_post()
        self.env.invalidate_all()
        draft.with_user(acct).action_post()
        self.assertEqual(draft.state, "posted")
        self.assertEqual(draft.invoice_currency_rate, 1.2345)
        self.assertEqual(
            line.balance, company.currency_id.round(line.amount_currency / 1.2345)
        )

    def test_channel_invoice_with_cash_rounding_posts(self):
        """The check of what a channel order's lines book (P13-2 c) leaves
        Odoo's cash rounding alone: a resale draft rounded to the unit by a
        rounding line posts, its order line booking its subtotal."""
        acct = self.accountant
        sale_line = self.order_fresh.order_line.filtered("product_id")[:1]
        sale_line.price_unit = 80.33
        self.order_fresh.action_create_distributor_invoices()
        draft = self.order_fresh.invoice_ids
        account = draft.invoice_line_ids.filtered("sale_line_ids")[:1].account_id
        rounding = self.env["account.cash.rounding"].create(
            {
                "name": "P13 to the unit",
                "rounding": 1.0,
                "strategy": "add_invoice_line",
                "rounding_method": "HALF-UP",
                "profit_account_id": account.id,
                "loss_account_id": account.id,
            }
        )
        draft.with_user(acct).write({"invoice_cash_rounding_id": rounding.id})
        line = draft.invoice_line_ids.filtered("sale_line_ids")[:1]
        self.assertTrue(
            draft.line_ids.filtered(lambda ln: ln.display_type == "rounding")
        )
        draft.with_user(acct).action_post()
        self.assertEqual(draft.state, "posted")
        self.assertEqual(line.balance, -line.price_subtotal)
        self.assertEqual(draft.amount_total % 1.0, 0.0)

    def test_draft_bills_at_most_what_the_order_has_left(self):
        """Thirteenth probe, P13-12: on a channel order's draft an
        accountant raised the order line's quantity past what the order had
        left to bill and posted it (the next run drafted a correcting credit
        note). An invoice bills at most what is left to invoice of an order
        line: the ordered quantity (or delivered, by the product's policy),
        less what other invoices billed net of their credit notes."""
        acct = self.accountant
        order = self.order_fresh
        sale_line = order.order_line.filtered("product_id")[:1]
        ordered = sale_line.product_uom_qty
        order.action_create_distributor_invoices()
        draft = order.invoice_ids
        line = draft.invoice_line_ids.filtered("sale_line_ids")
        for attempt in (
            lambda: line.with_user(acct).write({"quantity": ordered + 1}),
            lambda: draft.with_user(acct).write(
                {
                    "invoice_line_ids": [
                        Command.update(line.id, {"quantity": ordered * 10})
                    ]
                }
            ),
        ):
            self.assertFalse(self._done_and_undone(attempt))
            self.assertEqual(line.quantity, ordered)
        # a part billed, then the rest on another invoice: not more
        line.with_user(acct).write({"quantity": 1})
        draft.with_user(acct).action_post()
        order.action_create_distributor_invoices()
        rest = order.invoice_ids - draft
        rest_line = rest.invoice_line_ids.filtered("sale_line_ids")
        self.assertEqual(rest_line.quantity, ordered - 1)
        self.assertFalse(
            self._done_and_undone(
                lambda: rest_line.with_user(acct).write({"quantity": ordered})
            )
        )
        # back up to what is left, after a lower quantity: written
        rest_line.with_user(acct).write({"quantity": 0.5})
        rest_line.with_user(acct).write({"quantity": ordered - 1})
        rest.with_user(acct).action_post()
        self.assertEqual(sale_line.qty_invoiced, ordered)

    def test_full_reconciliation_of_a_channel_invoice_is_odoos(self):
        """Twelfth probe, P12-11: an accountant created an
        ``account.full.reconcile`` of a channel invoice's receivable line
        (paid 1.00 of 1,380.00) and its payment line: the receivable line
        showed a "fully matched" number while it still owed 1,379.00 (Odoo
        writes the lines' link in SQL, past the lines' write guards). A
        full reconciliation of a channel invoice's line is made only of
        lines with nothing left to pay: Odoo's reconciliation, which makes
        it as the user once the lines are settled, still does."""
        invoice = self.resale_invoice
        acct = self.accountant
        total = invoice.amount_residual
        receivable = self._pay_as(acct, invoice, 1.0)
        partial = receivable.matched_credit_ids
        payment_line = partial.credit_move_id
        Full = self.env["account.full.reconcile"].with_user(acct)
        attempts = {
            "create": lambda: Full.create(
                {
                    "reconciled_line_ids": [
                        Command.set((receivable | payment_line).ids)
                    ],
                    "partial_reconcile_ids": [Command.set(partial.ids)],
                }
            ),
            "create linked": lambda: Full.create(
                {
                    "reconciled_line_ids": [Command.link(receivable.id)],
                    "partial_reconcile_ids": [Command.link(partial.id)],
                }
            ),
        }
        for name, attempt in attempts.items():
            with self.subTest(attempt=name):
                self.assertFalse(self._done_and_undone(attempt))
                self.assertFalse(receivable.full_reconcile_id)
                self.assertEqual(receivable.matching_number, f"P{partial.id}")
        # Odoo's reconciliation makes the full reconciliation, as the user
        self._pay_as(acct, invoice, total - 1.0)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertTrue(receivable.full_reconcile_id)
        self.assertTrue(receivable.reconciled)


# The invoicing state of a channel order and its lines: computed from its
# invoices and stored, the consolidated run bills what it says is left. ``Y``:
# the salesman's write over RPC goes through. Nobody's does (sixth probe, N2:
# a confirmed order marked invoiced was never billed), nor of what it is
# computed from on the line: the units finance credited for good, and the
# stored copies of the order's fields (its state, company, currency,
# parties), which the ORM keeps from the order (eighth probe, P8-1: a line
# written back to draft, cancelled or moved to another company is never
# billed), nor the line's order (ninth probe, P9-2: a line moved to a draft
# left its confirmed order empty, never billed). ``@name``: the record of
# the test's values. Each row by the line's ``write`` (ORM and JSON-RPC),
# ``web_save``, the order's ``order_line`` update command and ``load``.
# model            field                      value
INVOICED_FIELD_WRITES = """
sale.order.line  qty_invoiced               2
sale.order.line  qty_to_invoice             0
sale.order.line  invoice_status             invoiced
sale.order.line  untaxed_amount_invoiced    1
sale.order.line  untaxed_amount_to_invoice  0
sale.order.line  channel_qty_credited       2
sale.order.line  state                      draft
sale.order.line  state                      cancel
sale.order.line  company_id                 @company
sale.order.line  currency_id                @currency
sale.order.line  order_partner_id           @partner
sale.order.line  salesman_id                @user
sale.order.line  distributor_id             @distributor
sale.order.line  end_customer_id            @partner
sale.order.line  is_downpayment             True
sale.order.line  order_id                   @draft
sale.order       invoice_status             invoiced
"""

# The same fields given to a line added to the confirmed order (``create``
# over JSON-RPC and the ORM, ``copy`` of one of its lines with them as
# defaults, the order's create command, ``load``): the credited units and
# the down payment mark are refused (``-``; ninth probe: a copy made a
# down payment line of five units; Odoo's wizard makes them); the ORM
# computes the copies of the order's fields from the order whatever is given
# (``order``: the line added is the order's, billed with it).
# field                 value        outcome
INVOICED_FIELD_CREATES = """
channel_qty_credited    2            -
is_downpayment          True         -
state                   draft        order
state                   cancel       order
company_id              @company     order
currency_id             @currency    order
order_partner_id        @partner     order
salesman_id             @user        order
distributor_id          @distributor order
end_customer_id         @partner     order
"""


@tagged("post_install", "-at_install")
class TestInvoicedFieldsProbe(ChannelPortalCase):
    def _invoiced_field_value(self, value):
        """The value of a cell of INVOICED_FIELD_WRITES, for the ORM and for
        JSON-RPC."""
        if value.startswith("@"):
            return self.field_values[value[1:]].id
        if value == "True":
            return True
        return float(value) if value[0].isdigit() else value

    def test_salesman_never_marks_his_channel_order_invoiced(self):
        """Sixth probe, N2, and eighth probe, P8-1: the own-documents
        salesman writes the invoiced quantity (or status) of his confirmed
        channel order's lines, or what it is computed from (the credited
        units, the line's copy of the order's state or company), through the
        ORM or JSON-RPC: the distributor's run skipped it, never billed."""
        salesman = new_test_user(
            self.env, "probe6_sales_own", groups="sales_team.group_sale_salesman"
        )
        order = self._create_order(
            self.distributor_b,
            self.customer_b,
            financial_role="distributor",
            user_id=salesman.id,
        )
        order.action_confirm()
        self.assertEqual(order.invoice_status, "to invoice")
        self._set_field_values(order, salesman)
        self.login(salesman)
        line = order.order_line
        for row in INVOICED_FIELD_WRITES.strip().splitlines():
            model, name, value = row.split()
            records = order if model == "sale.order" else line
            value = self._invoiced_field_value(value)
            with self.subTest(model=model, field=name, value=value, path="orm"):
                with self.assertRaises(UserError), mute_logger("odoo.models"):
                    records.with_user(salesman).write({name: value})
            with self.subTest(model=model, field=name, value=value, path="rpc"):
                with mute_logger("odoo.http"):
                    result = self.call_kw(model, "write", [records.ids, {name: value}])
                self.assertIn("error", result)
            paths = {
                "web_save": lambda r=records, n=name, v=value: r.with_user(
                    salesman
                ).web_save({n: v}, {}),
                "load": lambda r=records, n=name, v=value: self._loaded(
                    r.with_user(salesman), n, v
                ),
            }
            if model == "sale.order.line":
                paths["order_line"] = lambda n=name, v=value: order.with_user(
                    salesman
                ).write({"order_line": [Command.update(line.id, {n: v})]})
            for path, operation in paths.items():
                with self.subTest(model=model, field=name, value=value, path=path):
                    self.assertFalse(self._done_and_undone(operation))
        order.invalidate_recordset()
        order.order_line.invalidate_recordset()
        self.assertEqual(order.order_line, line)
        self.assertEqual(order.invoice_status, "to invoice")
        self.assertEqual(order.order_line.state, "sale")
        self.assertEqual(order.order_line.company_id, order.company_id)
        self.assertEqual(order.order_line.qty_invoiced, 0)
        self.assertEqual(order.order_line.qty_to_invoice, 2)
        self.distributor_b.write({"street": "2 Other Street", "city": "Lille"})
        order.action_create_distributor_invoices()
        self.assertEqual(sum(order.invoice_ids.invoice_line_ids.mapped("quantity")), 2)

    def _set_field_values(self, order, salesman):
        currency = self.env.ref("base.EUR")
        if currency == order.currency_id:
            currency = self.env.ref("base.USD")
        self.field_values = {
            "company": self.env["res.company"].create({"name": "Probe 8 Co"}),
            "currency": currency,
            "partner": self.customer_a,
            "distributor": self.distributor_a,
            "user": self.channel_manager,
            # a plain draft of the salesman, of the order's end customer
            "draft": self.env["sale.order"].create(
                {"partner_id": order.end_customer_id.id, "user_id": salesman.id}
            ),
        }

    def _loaded(self, records, name, value):
        """``load`` of ``name`` = ``value`` on ``records`` (by database id):
        raises what the import reports as an error."""
        field = records._fields[name]
        if field.type == "many2one":
            column, cell = f"{name}/.id", str(value)
        else:
            column, cell = name, str(value)
        rows = [[str(record.id), cell] for record in records]
        result = records.load([".id", column], rows)
        errors = [m for m in result["messages"] if m.get("type") == "error"]
        if errors or not result["ids"]:
            raise UserError(str(errors))
        return result

    def test_salesman_never_adds_a_line_never_billed(self):
        """Eighth probe, P8-1: the salesman adds a line to his confirmed
        channel order with the credited units (a line the run never bills):
        refused; with the order's state, company or parties of his choosing:
        the line added is the order's all the same, billed with it."""
        salesman = new_test_user(
            self.env, "probe8_sales_own", groups="sales_team.group_sale_salesman"
        )
        order = self._create_order(
            self.distributor_b,
            self.customer_b,
            financial_role="distributor",
            user_id=salesman.id,
        )
        order.action_confirm()
        self._set_field_values(order, salesman)
        Line = self.env["sale.order.line"]
        lines = order.order_line
        base = {"order_id": order.id, "product_id": self.product_service.id}
        self.login(salesman)
        for row in INVOICED_FIELD_CREATES.strip().splitlines():
            name, value, outcome = row.split()
            vals = dict(base, **{name: self._invoiced_field_value(value)})
            with self.subTest(field=name, value=value):
                with mute_logger("odoo.http"):
                    result = self.call_kw("sale.order.line", "create", [vals])
                if outcome == "-":
                    self.assertIn("error", result)
                    line = order.order_line[:1].with_user(salesman)
                    command = {name: vals[name], "product_id": vals["product_id"]}
                    for path, operation in {
                        "orm": lambda v=vals: Line.with_user(salesman).create(v),
                        "copy": lambda v=vals, li=line: li.copy(v),
                        "order_line": lambda c=command: order.with_user(salesman).write(
                            {"order_line": [Command.create(c)]}
                        ),
                        "load": lambda n=name, v=vals: self._loaded_new(
                            salesman, order, n, v[n]
                        ),
                    }.items():
                        with self.subTest(field=name, path=path):
                            self.assertFalse(self._done_and_undone(operation))
                order.invalidate_recordset(["order_line"])
                added = order.order_line - lines
                for line in added:
                    self.assertEqual(line.state, "sale")
                    self.assertEqual(line.company_id, order.company_id)
                    self.assertEqual(line.currency_id, order.currency_id)
                    self.assertEqual(line.order_partner_id, order.partner_id)
                    self.assertEqual(line.salesman_id, order.user_id)
                    self.assertEqual(line.distributor_id, order.distributor_id)
                    self.assertEqual(line.end_customer_id, order.end_customer_id)
                    self.assertFalse(line.channel_qty_credited)
                    self.assertEqual(line.qty_to_invoice, 1)
                lines |= added

    def _loaded_new(self, user, order, name, value):
        """A new line of ``order`` with ``name`` = ``value`` by ``load``."""
        result = (
            self.env["sale.order.line"]
            .with_user(user)
            .load(
                ["order_id/.id", "product_id/.id", name],
                [[str(order.id), str(self.product_service.id), str(value)]],
            )
        )
        errors = [m for m in result["messages"] if m.get("type") == "error"]
        if errors or not result["ids"]:
            raise UserError(str(errors))
        return result

    def test_salesman_never_moves_a_line_of_a_channel_order(self):
        """Ninth probe, P9-2: the salesman links his confirmed channel
        order's line into a draft of his through the draft's ``order_line``
        (a link, or the set of its lines): refused as the line's write is;
        the order keeps it and is billed. Odoo's down payment wizard still
        adds its lines to the order, as the salesman."""
        salesman = new_test_user(
            self.env, "probe9_sales_own", groups="sales_team.group_sale_salesman"
        )
        order = self._create_order(
            self.distributor_b,
            self.customer_b,
            financial_role="distributor",
            user_id=salesman.id,
        )
        order.action_confirm()
        line = order.order_line
        draft = self.env["sale.order"].create(
            {"partner_id": self.customer_b.id, "user_id": salesman.id}
        )
        plain = self._create_direct_order(self.customer_b)
        plain.user_id = salesman
        plain_line = plain.order_line
        for path, operation in {
            "link": lambda: draft.with_user(salesman).write(
                {"order_line": [Command.link(line.id)]}
            ),
            "set": lambda: draft.with_user(salesman).write(
                {"order_line": [Command.set(line.ids)]}
            ),
            # nor a plain line into the channel order
            "link_into": lambda: order.with_user(salesman).write(
                {"order_line": [Command.link(plain_line.id)]}
            ),
        }.items():
            with self.subTest(path=path):
                self.assertFalse(self._done_and_undone(operation))
        self.assertEqual(order.order_line, line)
        self.assertEqual(plain.order_line, plain_line)
        # a plain order's lines stay Odoo's
        other = self._create_direct_order(self.customer_b)
        other.user_id = salesman
        moved = other.order_line
        moved.with_user(salesman).write({"order_id": plain.id})
        plain.invalidate_recordset(["order_line"])
        self.assertEqual(plain.order_line, plain_line | moved)
        # Odoo's down payment wizard, as the salesman
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_user(salesman)
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "percentage", "amount": 50})
        )
        wizard.create_invoices()
        self.assertTrue(order.order_line.filtered("is_downpayment"))
        self.assertEqual(len(order.invoice_ids), 1)


@tagged("post_install", "-at_install")
class TestInvoicingProbeEleventh(ChannelPortalCase):
    """Eleventh outside probe (issue 24), on invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = new_test_user(
            cls.env, "p11_inv_emp", groups="base.group_user", password="p11_inv_emp"
        )
        cls.distributor_b.write({"street": "2 Other Street", "city": "Lille"})
        cls.order_b_resale.action_create_distributor_invoices()
        cls.invoice = cls.order_b_resale.invoice_ids
        cls.invoice.action_post()
        cls.token = cls.invoice._portal_ensure_token()

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_payment_link_token_opens_no_channel_invoice(self):
        """P11-3: a payment link's token of the distributor (any salesman
        minted one for any partner and amount) opened Odoo's payment page
        of its consolidated invoice, which handed out the invoice's access
        token (its page and PDF)."""
        self._payment_provider()
        # what payment.link.wizard makes for the invoiced party (Odoo's
        # helper needs a request)
        values = f"{self.invoice.partner_id.id}|1.0|{self.invoice.currency_id.id}"
        link_token = hmac(self.env(su=True), "generate_access_token", values)
        url = (
            f"/payment/pay?invoice_id={self.invoice.id}&amount=1.0"
            f"&access_token={link_token}"
        )
        for user in (None, self.employee, self.portal_cust_b):
            self.login(user)
            with self.subTest(user=user and user.login):
                page = self.url_open(url)
                self.assertNotIn(self.token, page.text)
                self.assertNotEqual(page.status_code, 200)
        # The distributor's user, logged in, pays from there as in Odoo.
        self.login(self.portal_dist_b)
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.token, page.text)

    def test_payment_link_only_for_the_invoiced_party(self):
        """P11-3: on a channel invoice the payment link wizard is for a
        user who reads it, for its invoiced party in its currency."""
        Wizard = self.env["payment.link.wizard"]
        values = {
            "res_model": "account.move",
            "res_id": self.invoice.id,
            "amount": 1.0,
            "currency_id": self.invoice.currency_id.id,
            "partner_id": self.invoice.partner_id.id,
        }
        with self.assertRaises(AccessError):
            Wizard.with_user(self.salesman).create(values)
        with self.assertRaisesRegex(ValidationError, "is for"):
            Wizard.with_user(self.accountant).create(
                {**values, "partner_id": self.customer_b.id}
            )
        wizard = Wizard.with_user(self.accountant).create(values)
        self.assertEqual(wizard.partner_id, self.invoice.partner_id)


@tagged("post_install", "-at_install")
class TestInvoicingProbeFourteenth(ConsolidatedInvoiceCase):
    """Fourteenth outside probe: the recipients and followers of a
    distributor's consolidated invoice."""

    def test_portal_message_post_mails_only_followers(self):
        """P14-2: the distributor's portal user posted on its invoice over
        ``call_kw`` with ``partner_ids`` of another distributor's people,
        who were mailed its chatter from the vendor's server (the portal's
        own route keeps them to the followers)."""
        follower = self.distributor_a
        self.assertIn(follower, self.invoice.message_partner_ids)
        outsider = self.portal_dist_b.partner_id
        self.login(self.portal_dist_a)
        result = self.call_kw(
            "account.move",
            "message_post",
            [self.invoice.ids],
            {
                "body": "P14-2 to outsiders",
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_comment",
                "partner_ids": [outsider.id, follower.id],
            },
        )
        message = self.env["mail.message"].browse(result.get("result"))
        if message.exists():
            self.assertEqual(message.partner_ids, follower)
        self.assertFalse(
            self.env["mail.notification"].search(
                [
                    ("res_partner_id", "=", outsider.id),
                    ("mail_message_id.model", "=", "account.move"),
                    ("mail_message_id.res_id", "=", self.invoice.id),
                ]
            )
        )

    def test_followers_of_a_channel_invoice_are_its_invoiced_party(self):
        """P14-5: an accountant made another distributor's contact a
        follower of a distributor's consolidated invoice: its chatter (and
        the PDF of Send & Print) reached it."""
        outsiders = self.portal_dist_b.partner_id | self.portal_cust_b.partner_id
        kept = self.portal_dist_a.partner_id | self.salesman.partner_id
        self.invoice.with_user(self.accountant).message_subscribe(
            partner_ids=(outsiders | kept).ids
        )
        self.assertFalse(self.invoice.message_partner_ids & outsiders)
        self.assertEqual(self.invoice.message_partner_ids & kept, kept)


class TestInvoicingProbeSixteenth(InvoicingCase):
    """Sixteenth outside probe: the scheduled billing run by a user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_schedule()
        cls.salesman = new_test_user(
            cls.env,
            "p16_salesman",
            groups="base.group_user,sales_team.group_sale_salesman",
        )

    def test_scheduled_billing_is_the_schedulers(self):
        """P16-B1: an own-documents salesman ran the scheduled billing's
        server action by id (Odoo runs an action without groups for whoever
        writes its model): each distributor due was billed as the salesman,
        who reads none of its orders, so nothing was billed and its
        invoicing date moved a month on. Only the scheduler (the superuser)
        or an administrator runs it, by either path."""
        cron = self.env.ref(
            "channel_distribution_invoicing.ir_cron_distributor_invoicing"
        )
        for path, run in {
            "server action": cron.ir_actions_server_id.with_user(self.salesman).run,
            "method": self.env["sale.order"]
            .with_user(self.salesman)
            ._cron_create_distributor_invoices,
        }.items():
            with self.subTest(path=path):
                self.assertFalse(self._done_and_undone(run, refusal=AccessError))
        self.assertEqual(self.distributor_a.channel_invoicing_next_date, self.today)
        admin = self.env.ref("base.user_admin")
        self.assertEqual(
            self.env["sale.order"].with_user(admin)._cron_create_distributor_invoices(),
            2,
        )
        self.assertEqual(len(self._invoices_of(self.order_1 | self.order_3)), 2)


@tagged("post_install", "-at_install")
class TestInvoicingProbeSixteenthAccess(ConsolidatedInvoiceCase):
    """Sixteenth outside probe, P16-1: refusals of an invoice the caller may
    not write name nothing of it."""

    def test_refusals_name_nothing_of_invoices_the_caller_cannot_write(self):
        invoice = self.invoice
        names = [
            name
            for name in (
                invoice.name,
                self.distributor_a.name,
                self.customer_a.name,
                *(self.order_a | self.order_a2).mapped("client_order_ref"),
            )
            if name
        ]
        as_b = invoice.with_user(self.portal_dist_b)
        for path, attempt in {
            "customer": lambda: as_b.write({"partner_id": self.distributor_b.id}),
            "reference": lambda: as_b.write({"payment_reference": "p16"}),
            "cancel": as_b.button_cancel,
            "delete": as_b.unlink,
        }.items():
            with self.subTest(path=path):
                self.assert_refusal_names_nothing(attempt, names)


@tagged("post_install", "-at_install")
class TestInvoicingProbe15(ChannelPortalCase):
    """Fifteenth probe, P15-10: an accountant reversed a channel invoice
    (2,208.00), multiplied the credit note's quantities and prices by 10 and
    posted 220,800.00: the order lines' invoiced quantities went negative
    and the next run billed units never ordered. The credit lines of an
    order line credit together at most what its invoices billed, in units
    and amount, net of its other credit notes (drafts counted); Odoo's
    credits still work."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        address = {"street": "2 Other Street", "city": "Lille"}
        (cls.distributor_b | cls.customer_b).write(address)
        (cls.order_b | cls.order_b_resale).action_create_distributor_invoices()
        cls.resale_invoice = cls.order_b_resale.invoice_ids
        cls.agency_invoice = cls.order_b.invoice_ids
        (cls.resale_invoice | cls.agency_invoice).action_post()

    def _credit_lines(self, refund):
        return refund.invoice_line_ids.filtered("sale_line_ids")

    def _written_and_posted(self, line, vals):
        """``vals`` written on ``line`` (as superuser: past the write's
        check), then its move posted by the accountant."""
        line.sudo().write(vals)
        line.move_id.with_user(self.accountant).action_post()

    def test_credit_note_credits_at_most_what_was_billed(self):
        acct = self.accountant
        for invoice in (self.agency_invoice, self.resale_invoice):
            refund = self._reverse(invoice)
            lines = self._credit_lines(refund)
            self.assertTrue(lines)
            line = lines[0]
            for vals in (
                {"quantity": line.quantity * 10},
                {"price_unit": line.price_unit * 10},
                {"quantity": line.quantity * 10, "price_unit": line.price_unit * 10},
            ):
                with self.subTest(move=invoice.name, vals=vals):
                    # written by the accountant: refused at the write
                    self.assertFalse(
                        self._done_and_undone(
                            lambda v=vals, ln=line: ln.with_user(acct).write(v)
                        )
                    )
                    self.assertFalse(
                        self._done_and_undone(
                            lambda v=vals, ln=line, m=refund: m.with_user(acct).write(
                                {"invoice_line_ids": [Command.update(ln.id, v)]}
                            )
                        )
                    )

                    # whoever wrote it, it is not posted
                    self.assertFalse(
                        self._done_and_undone(
                            lambda v=vals, ln=line: self._written_and_posted(ln, v)
                        )
                    )
                    self.assertEqual(refund.state, "draft")
            # the refusal names the order line
            with self.assertRaisesRegex(
                UserError, re.escape(line.sale_line_ids.order_id.name)
            ):
                with self.env.cr.savepoint():
                    line.sudo().write({"quantity": line.quantity * 10})
                    refund.with_user(acct).action_post()
            self.env.invalidate_all()
            # a price-difference credit: one unit at a lower price
            line.with_user(acct).write({"quantity": 1, "price_unit": 1.0})
            refund.with_user(acct).action_post()
            self.assertEqual(refund.state, "posted")
            # a full Reverse on top credits what is left of it, no more
            again = self._reverse(invoice)
            currency = invoice.currency_id
            self.assertFalse(
                currency.compare_amounts(
                    again.amount_untaxed,
                    invoice.amount_untaxed - refund.amount_untaxed,
                )
            )
            self.assertEqual(
                self._credit_lines(again).sale_line_ids, line.sale_line_ids
            )
            again.with_user(acct).action_post()
            # nothing left: another Reverse is refused
            with self.assertRaisesRegex(UserError, re.escape(invoice.name)):
                self._reverse(invoice)
            for sale_line in invoice.invoice_line_ids.sale_line_ids:
                self.assertGreaterEqual(sale_line.qty_invoiced, 0.0)

    def test_pending_drafts_count(self):
        """Two full credit notes of one invoice in draft: the first is not
        posted while the other is pending (it would credit twice what was
        billed); the other cancelled, it is."""
        acct = self.accountant
        first = self._reverse(self.agency_invoice)
        second = self._reverse(self.agency_invoice)
        self.assertFalse(
            self._done_and_undone(lambda: first.with_user(acct).action_post())
        )
        second.with_user(acct).button_cancel()
        first.with_user(acct).action_post()
        self.assertEqual(first.amount_total, self.agency_invoice.amount_total)

    def test_odoo_credits_of_a_channel_invoice_still_post(self):
        acct = self.accountant
        # a partial credit by quantity, then the rest, by the accountant
        refund = self._reverse(self.resale_invoice)
        line = self._credit_lines(refund).filtered(lambda ln: ln.quantity > 1)[:1]
        self.assertTrue(line)
        line.with_user(acct).write({"quantity": 1})
        (self._credit_lines(refund) - line).with_user(acct).write({"quantity": 0})
        refund.with_user(acct).action_post()
        # the full Reverse on top of it credits what is left: the line's
        # units but the one credited, the others as billed
        rest = self._reverse(self.resale_invoice)
        rest_line = self._credit_lines(rest).filtered(
            lambda ln: ln.sale_line_ids == line.sale_line_ids
        )
        billed = self.resale_invoice.invoice_line_ids.filtered(
            lambda ln: ln.sale_line_ids == line.sale_line_ids
        )
        self.assertEqual(rest_line.quantity, billed.quantity - 1)
        self.assertEqual(
            rest.amount_total + refund.amount_total, self.resale_invoice.amount_total
        )
        rest.with_user(acct).action_post()
        self.assertEqual(rest.state, "posted")
        # nothing left to credit: another Reverse is refused
        with self.assertRaisesRegex(UserError, re.escape(self.resale_invoice.name)):
            self._reverse(self.resale_invoice)
        # Reverse and Create, by the accountant
        wizard = (
            self.env["account.move.reversal"]
            .with_user(acct)
            .with_context(
                active_model="account.move", active_ids=self.agency_invoice.ids
            )
            .create({"reason": "new", "journal_id": self.agency_invoice.journal_id.id})
        )
        wizard.modify_moves()
        # the wizard's new moves are the new invoices: the reversal is the
        # invoice's
        credit = self.agency_invoice.reversal_move_ids
        self.assertEqual(credit.state, "posted")
        self.assertEqual(self.agency_invoice.payment_state, "reversed")

    def test_reverse_and_create_of_a_partly_credited_invoice(self):
        """Reverse and Create (Odoo's cancel mode) of a channel invoice one
        unit of which was credited: the reversal credits the rest only, and
        the invoice is settled by its two credit notes."""
        acct = self.accountant
        invoice = self.resale_invoice
        refund = self._reverse(invoice)
        line = self._credit_lines(refund).filtered(lambda ln: ln.quantity > 1)[:1]
        line.with_user(acct).write({"quantity": 1})
        (self._credit_lines(refund) - line).with_user(acct).write({"quantity": 0})
        refund.with_user(acct).action_post()
        wizard = (
            self.env["account.move.reversal"]
            .with_user(acct)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "new", "journal_id": invoice.journal_id.id})
        )
        wizard.modify_moves()
        credit = invoice.reversal_move_ids - refund
        self.assertEqual(credit.state, "posted")
        self.assertFalse(
            invoice.currency_id.compare_amounts(
                credit.amount_total, invoice.amount_total - refund.amount_total
            )
        )
        currency = invoice.currency_id
        self.assertFalse(currency.compare_amounts(invoice.amount_residual, 0.0))
        self.assertFalse(currency.compare_amounts(refund.amount_residual, 0.0))
        for sale_line in invoice.invoice_line_ids.sale_line_ids:
            self.assertGreaterEqual(sale_line.qty_invoiced, 0.0)

    def test_direct_invoice_keeps_odoo_reversal(self):
        """A direct sale's invoice is none of the channel's: credited in part,
        its full Reverse still credits the whole invoice, and posts."""
        direct = self._create_direct_order(
            self._create_direct_customer(), product_uom_qty=2
        )
        direct.action_confirm()
        invoice = direct._create_invoices()
        invoice.action_post()
        refund = self._reverse(invoice)
        refund.invoice_line_ids.write({"quantity": 1})
        refund.action_post()
        again = self._reverse(invoice)
        self.assertEqual(again.amount_total, invoice.amount_total)
        again.action_post()
        self.assertEqual(again.state, "posted")
