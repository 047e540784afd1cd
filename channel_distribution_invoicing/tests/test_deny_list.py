# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The default deny list of invoices (issue 24, Done when): every public
method of ``account.move`` called over JSON-RPC by the users who must not
change channel invoices (the distributors' and end customers' portal users,
an own-documents salesman), on their own invoices and on others'. The same
list for orders and subscriptions is in the subscriptions addon's
``test_probe.py``."""

from contextlib import closing

from odoo import models
from odoo.addons.channel_distribution.tests.common import ChannelPortalCase
from odoo.tests import tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestInvoiceDenyList(ChannelPortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        address = {"street": "2 Other Street", "city": "Lille"}
        (cls.distributor_a | cls.distributor_b | cls.customer_b).write(address)
        cls.order_s = cls._create_order(
            cls.distributor_b,
            cls.customer_b,
            financial_role="distributor",
            user_id=cls.salesman.id,
        )
        cls.order_s.action_confirm()
        (
            cls.order_a | cls.order_b | cls.order_b_resale
        ).action_create_distributor_invoices()
        cls.invoice_a = cls.order_a.invoice_ids
        cls.resale_b = cls.order_b_resale.invoice_ids
        cls.agency_b = cls.order_b.invoice_ids
        (cls.invoice_a | cls.resale_b | cls.agency_b).action_post()
        # the salesman's own: a draft of his order
        cls.draft_s = cls.order_s._create_invoices()
        cls.draft_s.invoice_user_id = cls.salesman
        cls.invoices = cls.invoice_a | cls.resale_b | cls.agency_b | cls.draft_s

    def _fingerprint(self):
        """What must not change: the number of invoices and their lines, and
        of each test invoice its state, payment, parties, amounts, lines and
        what they bill; what is left to invoice of the orders."""
        self.env.invalidate_all()
        Move = self.env["account.move"].sudo().with_context(active_test=False)
        counts = (
            Move.search_count([]),
            self.env["account.move.line"].sudo().search_count([]),
            self.env["account.payment"].sudo().search_count([]),
        )
        invoices = tuple(
            (
                move.state,
                move.move_type,
                move.payment_state,
                move.partner_id.id,
                move.channel_distributor_id.id,
                move.amount_total,
                move.invoice_date,
                move.ref,
                tuple(
                    (
                        line.quantity,
                        line.price_unit,
                        line.discount,
                        tuple(line.sale_line_ids.ids),
                        line.distributor_id.id,
                        line.end_customer_id.id,
                    )
                    for line in move.invoice_line_ids
                ),
            )
            for move in self.invoices.sudo()
        )
        orders = tuple(
            (order.state, order.invoice_status)
            for order in (
                self.order_a | self.order_b | self.order_b_resale | self.order_s
            ).sudo()
        )
        return counts, invoices, orders

    def _public_methods(self, model):
        """The methods of ``model`` that JSON-RPC lets a user call, beyond
        the ORM's own API (the access tables' read, write, create...)."""
        cls = type(self.env[model])
        orm = set(dir(models.BaseModel))
        return [
            name
            for name in sorted(set(dir(cls)) - orm)
            if not name.startswith("_") and callable(getattr(cls, name, None))
        ]

    @mute_logger(
        "odoo.http",
        "odoo.models",
        "odoo.addons.base.models.ir_rule",
        "odoo.addons.mail.models.mail_mail",
        "odoo.sql_db",
    )
    def test_default_deny_list_of_invoices(self):
        """Each public method of account.move, on a user's own invoices and
        on others', is refused or leaves the invoices as they were."""
        records = {
            # user: (own invoices, others' invoices)
            self.portal_dist_b: (self.resale_b, self.invoice_a | self.agency_b),
            self.portal_cust_b: (self.agency_b, self.resale_b | self.invoice_a),
            self.salesman: (self.draft_s, self.invoice_a | self.resale_b),
        }
        methods = self._public_methods("account.move")
        for name in ("action_post", "button_draft", "button_cancel"):
            self.assertIn(name, methods)
        self.env.flush_all()
        reference = self._fingerprint()
        failures = []
        for user, (own, others) in records.items():
            self.login(user)
            for whose, targets in (("own", own), ("others", others)):
                for method in methods:
                    with closing(self.env.cr.savepoint()):
                        result = self.call_kw("account.move", method, [targets.ids])
                        changed = self._fingerprint() != reference
                    self.env.invalidate_all()
                    if changed and "error" not in result:
                        failures.append(f"{user.login} {whose} {method}")
        self.assertEqual(failures, [])
