# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models
from odoo.addons.channel_distribution.tools import channel_access_first
from odoo.exceptions import UserError
from odoo.tools import float_is_zero


class CommissionSettlement(models.Model):
    _inherit = "commission.settlement"

    @channel_access_first("write")
    def write(self, vals):
        # the state OCA gives the settlements of a payout bill that a user
        # with invoicing rights posts, cancels or deletes (see
        # account.move._channel_settlements_following)
        following = self.env.cr.cache.get("channel_settlements_following")
        if (
            not self.env.su
            and following
            and set(vals) == {"state"}
            and set(self.ids) <= following
            and self.env.user.has_group("account.group_account_invoice")
        ):
            return super(CommissionSettlement, self.sudo()).write(vals)
        return super().write(vals)

    def _prepare_invoice(self, journal, product, date=False):
        """A distributor paid by credit note gets a customer credit note
        (``out_refund``) instead of OCA's vendor bill: it nets against what
        it owes on its consolidated invoices."""
        vals = super()._prepare_invoice(journal, product, date=date)
        if self._channel_payout_mode() == "out_refund":
            vals["move_type"] = "out_refund"
        return vals

    def _channel_payout_mode(self):
        agent = self[:1].agent_id
        if agent.channel_commission_paid:
            return agent.channel_commission_payout or "in_invoice"
        return "in_invoice"

    def _channel_payout_journal(self, mode):
        self.ensure_one()
        journal_type = "sale" if mode == "out_refund" else "purchase"
        journal = self.env["account.journal"].search(
            [
                ("type", "=", journal_type),
                ("company_id", "=", self.company_id.id),
            ],
            limit=1,
        )
        if not journal:
            raise UserError(
                self.env._(
                    "%(company)s has no %(type)s journal to pay the commission "
                    "of %(distributor)s.",
                    company=self.company_id.name,
                    type=journal_type,
                    distributor=self.agent_id.display_name,
                )
            )
        return journal

    def _channel_pay_out(self, date):
        """One bill (or credit note) per settlement with something to pay,
        in the distributor's payout mode; a settlement of nothing (a period
        whose credit notes net its invoices) stays settled, without a bill.
        Credit notes to the distributor are posted (they are the vendor's
        own documents); vendor bills stay drafts for finance to match with
        the distributor's invoice. A negative total (clawback) becomes a
        vendor refund or an invoice to the distributor."""
        product = self.env.ref(
            "channel_distribution_commission.product_distributor_commission"
        )
        to_pay = self.filtered(
            lambda s: not float_is_zero(
                s.total, precision_rounding=s.currency_id.rounding
            )
        )
        # one create for all the bills of a company and payout mode (OCA's
        # make_invoices() makes one move per settlement, not grouped)
        groups = {}
        for settlement in to_pay:
            key = (settlement.company_id, settlement._channel_payout_mode())
            groups.setdefault(key, []).append(settlement.id)
        moves = self.env["account.move"]
        for (company, mode), ids in groups.items():
            batch = self.browse(ids).with_company(company)
            journal = batch[:1]._channel_payout_journal(mode)
            new = batch.make_invoices(journal, product, date=date)
            if mode == "out_refund":
                new.action_post()
            moves |= new
        return moves

    # ------------------------------------------------------------------
    # Portal statements
    # ------------------------------------------------------------------

    def _channel_portal_statements(self, partner, settlement_id=None):
        """The commission statements ``partner`` (a distributor) sees on the
        portal, as superuser: its own settlements of invoices, not
        cancelled; with ``settlement_id`` that one only (empty when it is not
        one of them)."""
        if not partner:
            return self.browse()
        domain = [
            ("agent_id", "=", partner.commercial_partner_id.id),
            ("settlement_type", "=", "sale_invoice"),
            ("state", "!=", "cancel"),
        ]
        if settlement_id is not None:
            domain.append(("id", "=", int(settlement_id)))
        return self.sudo().search(domain, order="date_from desc, id desc")

    def _channel_portal_lines_by_customer(self):
        """[(end customer, settlement lines)] of this statement, the lines
        by invoice."""
        self.ensure_one()
        groups = {}
        for line in self.line_ids.sorted(
            lambda x: (x.invoice_line_id.move_id.name or "", x.id)
        ):
            customer = line.invoice_line_id.move_id.commercial_partner_id
            groups.setdefault(customer, self.env["commission.settlement.line"])
            groups[customer] |= line
        return list(groups.items())
