# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, api, fields, models
from odoo.addons.channel_distribution.tools import (
    channel_access_first,
    channel_field_labels,
    channel_share_url_args,
    channel_stored_computes,
    channel_subscribe_audience,
    channel_thread_by_pid,
)
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_repr, format_amount, ormcache


class AccountMove(models.Model):
    _inherit = "account.move"

    end_customer_ids = fields.Many2many(
        "res.partner",
        "account_move_channel_end_customer_rel",
        "move_id",
        "partner_id",
        string="End Customers",
        compute="_compute_end_customer_ids",
        store=True,
        help="The end customers of the channel orders invoiced here.",
    )
    channel_distributor_id = fields.Many2one(
        "res.partner",
        string="Distributor",
        compute="_compute_end_customer_ids",
        store=True,
        index="btree_not_null",
        help="The distributor of the channel orders invoiced here.",
    )

    channel_commission = fields.Monetary(
        compute="_compute_channel_commission",
        store=True,
        groups="base.group_user",
        help="What the distributor earns on the lines of this invoice (on a "
        "credit note: what it no longer earns), in the invoice's currency.",
    )
    channel_posted_due_dates = fields.Char(
        copy=False,
        readonly=True,
        groups="account.group_account_invoice",
        help="The installments (each due date with its amount) of this "
        "channel invoice when it was last posted, kept while it is reset to "
        "draft, or those of the invoice it replaces (Reverse and Create): "
        "posted, it keeps them unless an accounting manager posts it.",
    )

    @api.depends("invoice_line_ids.channel_commission")
    def _compute_channel_commission(self):
        # every invoice of the company comes here: those of no commission
        # (direct sales) are set at once
        if not any(self.invoice_line_ids.mapped("channel_commission")):
            self.channel_commission = 0.0
            return
        for move in self:
            move.channel_commission = sum(
                move.invoice_line_ids.mapped("channel_commission")
            )

    @api.depends("invoice_line_ids.end_customer_id", "invoice_line_ids.distributor_id")
    def _compute_end_customer_ids(self):
        lines = self.invoice_line_ids
        if not lines.end_customer_id and not lines.distributor_id:
            # no channel line (direct sales): none, set at once
            self.end_customer_ids = False
            self.channel_distributor_id = False
            return
        for move in self:
            lines = move.invoice_line_ids
            move.end_customer_ids = lines.end_customer_id
            move.channel_distributor_id = lines.distributor_id[:1]

    @channel_access_first("write")
    def write(self, vals):
        self._channel_check_party_write(vals)
        if not self.env.su and {"state", "move_type"} & vals.keys():
            self._channel_check_state_write(vals)
        if not self.env.su and {"payment_state", "invoice_currency_rate"} & vals.keys():
            self._channel_check_posted_figures_write(vals)
        if not self.env.su and self._channel_computed_figures() & vals.keys():
            self._channel_check_computed_figures_write(vals)
        if not self.env.su and "payment_reference" in vals:
            self._channel_check_payment_reference_write(vals["payment_reference"])
        if not self.env.su and "channel_posted_due_dates" in vals:
            raise UserError(
                self.env._("The due dates a channel invoice was posted with are kept.")
            )
        moved = {}
        if not self.env.su and "invoice_date_due" in vals:
            moved = self._channel_check_due_date_write(vals["invoice_date_due"])
        # the receivable lines follow a due date moved: noted once, here
        records = self.with_context(channel_due_date_noted=True) if moved else self
        if not {"invoice_line_ids", "line_ids"} & set(vals):
            res = super(AccountMove, records).write(vals)
            self._channel_note_due_dates(moved)
            return res
        before = {
            move: move._get_channel_section_orders()
            for move in self
            if move.state == "draft" and move.channel_distributor_id
        }
        res = super(AccountMove, records).write(vals)
        for move, orders in before.items():
            move._channel_sync_origin(orders)
        self._channel_note_due_dates(moved)
        return res

    def _channel_check_party_write(self, vals):
        """The distributor and the end customers of an invoice follow its
        lines' orders: a user does not write them, on a draft either (the
        portal rules and the followers read them); nor its commission, the
        sum of its lines'."""
        if self.env.su:
            return
        if {"partner_id", "commercial_partner_id"} & vals.keys():
            self._channel_check_counterparty_write(vals)
        changed = self.browse()
        if "channel_distributor_id" in vals:
            distributor_id = vals["channel_distributor_id"] or False
            changed |= self.filtered(
                lambda m: m.channel_distributor_id.id != distributor_id
            )
        if vals.get("end_customer_ids"):
            # any command on the list changes it
            changed |= self
        if changed:
            raise UserError(
                self.env._(
                    "The distributor and the end customers of %(move)s come "
                    "from the channel orders it invoices: they are not edited.",
                    move=changed[0].display_name,
                )
            )
        if "channel_commission" in vals:
            currency_moves = self.filtered(
                lambda m: m.currency_id.compare_amounts(
                    m.channel_commission, vals["channel_commission"] or 0.0
                )
            )
            if currency_moves:
                raise UserError(
                    self.env._(
                        "The commission of %(move)s is the sum of its lines' "
                        "commissions: it is not edited.",
                        move=currency_moves[0].display_name,
                    )
                )

    def _channel_is_channel_move(self):
        """Whether this move is a channel invoice (or credit note): of a
        distributor, or billing channel orders or subscriptions."""
        self.ensure_one()
        return bool(
            self.channel_distributor_id
            or self.line_ids.filtered(lambda line: line._channel_is_channel_line())
        )

    def _channel_payment_link_party(self):
        """Whom a payment link of this invoice is for (``payment.link.wizard``
        in channel_distribution): its invoiced party on a channel invoice,
        None on another."""
        self.ensure_one()
        return self.partner_id if self._channel_is_channel_move() else None

    @api.model
    def _channel_unpaid_domain(self):
        """Invoices with money still owed: a residual not zero. Not Odoo's
        payment status: a payment registered without a journal entry (its
        outstanding account cleared) makes Odoo call an invoice paid,
        whatever its amount, though nothing was reconciled (twelfth probe,
        P12-1)."""
        return [("amount_residual", "!=", 0.0)]

    def _channel_state_moving(self, state):
        """Let Odoo's own flows (posting, resetting to draft, cancelling)
        write the ``state`` of these moves; the ids to drop afterwards."""
        moving = self.env.cr.cache.setdefault("channel_move_states", {})
        moving = moving.setdefault(state, set())
        moving.update(self.ids)
        return moving

    def _channel_check_state_write(self, vals):
        """A channel invoice is posted, reset to draft and cancelled by
        Odoo's buttons and their checks (posting: the credit limit, the
        parties of its orders, the sequence), and stays an invoice or a
        credit note: a user's raw write of its ``state`` or ``move_type``
        is refused (ninth probe, P9-7: an accountant posted a consolidated
        draft by its state, and made a posted invoice a journal entry)."""
        moves = self.sudo()
        changed = moves.browse()
        if "state" in vals:
            moving = self.env.cr.cache.get("channel_move_states", {})
            moving = moving.get(vals["state"], set())
            changed |= moves.filtered(
                lambda m: m.state != vals["state"] and m.id not in moving
            )
        if "move_type" in vals:
            changed |= moves.filtered(lambda m: m.move_type != vals["move_type"])
        wrong = changed.filtered(lambda m: m._channel_is_channel_move())
        if wrong:
            raise UserError(
                self.env._(
                    "%(move)s bills channel orders or subscriptions: it is "
                    "posted, reset to draft and cancelled with its buttons, "
                    "and its type is not changed.",
                    move=wrong[0].display_name,
                )
            )

    def _channel_check_posted_figures_write(self, vals):
        """Whether a channel invoice is paid comes from its payments, and
        the rate of a posted one is the one it was posted at: a user's
        write of them is refused (tenth probe: an accountant marked a
        distributor's invoice paid, lifting its overdue hold, and rewrote
        a posted invoice's rate, its receivable falling from 607.20 to
        71.44)."""
        for move in self.sudo():
            if not move._channel_is_channel_move():
                continue
            paid = "payment_state" in vals and vals["payment_state"] != (
                move.payment_state
            )
            rate = (
                "invoice_currency_rate" in vals
                and move.state != "draft"
                and float_compare(
                    vals["invoice_currency_rate"] or 0.0,
                    move.invoice_currency_rate,
                    precision_digits=12,
                )
            )
            if paid or rate:
                raise UserError(
                    self.env._(
                        "%(move)s bills channel orders or subscriptions: "
                        "whether it is paid comes from its payments, and its "
                        "rate once posted is the one it was posted at.",
                        move=move.display_name,
                    )
                )

    @api.model
    @ormcache()
    def _channel_computed_figures(self):
        """The stored computed fields of an invoice that nobody writes (its
        amounts, residuals, payment state...: computed from its lines,
        payments and reconciliation, without an inverse): every such field
        of the model, those of other addons included."""
        return channel_stored_computes(self)

    def _channel_check_computed_figures_write(self, vals):
        """A channel invoice's stored computed figures are Odoo's: a user's
        write of another value is refused, whatever the invoice's state
        (eleventh probe, P11-4: an accountant wrote a posted invoice's
        ``amount_residual``, from which Odoo recomputed its payment state:
        paid without a payment, its overdue hold lifted and its commission
        settled). Writing the value it has (a form saving what it read)
        goes through."""
        names = sorted(self._channel_computed_figures() & vals.keys())
        for move in self.sudo():
            changed = [
                name for name in names if move._channel_figure_changed(name, vals[name])
            ]
            if changed and move._channel_is_channel_move():
                raise UserError(
                    self.env._(
                        "%(move)s bills channel orders or subscriptions: its "
                        "computed figures (%(fields)s) come from its lines, "
                        "payments and reconciliation; they are not edited.",
                        move=move.display_name,
                        fields=channel_field_labels(self, changed),
                    )
                )

    def _channel_figure_changed(self, name, value):
        """Whether writing ``value`` to the field ``name`` changes it (an
        amount to its currency's rounding, any command on a list)."""
        field = self._fields[name]
        if field.type in ("one2many", "many2many"):
            return bool(value)
        if field.type == "monetary":
            currency = self[field.get_currency_field(self)] or self.company_currency_id
            return bool(currency.compare_amounts(self[name] or 0.0, value or 0.0))
        if field.type == "float":
            return bool(
                float_compare(self[name] or 0.0, value or 0.0, precision_digits=6)
            )
        return field.convert_to_cache(
            self[name], self, validate=False
        ) != field.convert_to_cache(value, self, validate=False)

    def _channel_check_payment_reference_write(self, value):
        """The reference a posted channel invoice is paid with
        (``payment_reference``, its receivable line's label) is Odoo's
        (computed on posting) or an accounting manager's: payments are
        matched by it, a reference changed by an accountant sends the
        party's payment elsewhere (issue 24). So is it on the invoice reset
        to draft, posted again with it (thirteenth probe, P13-7). The
        reference of a draft never posted is Odoo's."""
        if self._channel_is_accounting_manager():
            return
        for move in self.sudo():
            if (
                (move.state == "posted" or move.posted_before)
                and (move.payment_reference or False) != (value or False)
                and move._channel_is_channel_move()
            ):
                raise UserError(
                    self.env._(
                        "%(move)s is a channel invoice posted before: the "
                        "reference it is paid with is changed by an "
                        "accounting manager only.",
                        move=move.display_name,
                    )
                )

    def _channel_check_due_date_write(self, value):
        """The due date of a posted channel invoice (and of its receivable
        lines) is moved by an accounting manager only (a payment
        arrangement), noted in its chatter: moved by an accountant, an
        overdue invoice left the overdue hold and the dunning (eleventh
        probe, P11-5). A draft's due date is Odoo's.

        :return: {move (as superuser): its due date before} of the posted
            channel invoices whose due date a manager moves, to note
        """
        value = fields.Date.to_date(value)
        moved = {
            move: move.invoice_date_due
            for move in self.sudo()
            if move.state == "posted"
            and move.invoice_date_due != value
            and move._channel_is_channel_move()
        }
        if moved and not self.env.user.has_group("account.group_account_manager"):
            raise UserError(
                self.env._(
                    "%(move)s is a posted channel invoice: its due date is "
                    "moved by an accounting manager only.",
                    move=next(iter(moved)).display_name,
                )
            )
        return moved

    def _channel_note_due_dates(self, moved):
        """Note in the chatter of each invoice of ``moved`` ({move: its due
        date before}) the move of its due date, and by whom."""
        for move, old in moved.items():
            move.message_post(
                body=self.env._(
                    "Due date moved from %(old)s to %(new)s by %(user)s.",
                    old=old or "-",
                    new=move.invoice_date_due or "-",
                    user=self.env.user.name,
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )

    def _channel_due_dates_key(self):
        """The installments of this invoice (its receivable lines), as kept
        in ``channel_posted_due_dates``: each due date with its amount in
        the invoice's currency (``2026-01-31: 1366.20 EUR``), in order. The
        same dates with other amounts defer a debt too (finance walk 13,
        W13-1: terms of 99 % / 1 % changed to 1 % / 99 % on the same dates
        lifted the overdue hold)."""
        self.ensure_one()
        return ", ".join(
            sorted(
                self._channel_installment_key(line)
                for line in self.line_ids
                if line.display_type == "payment_term" and line.date_maturity
            )
        )

    def _channel_installment_key(self, line):
        """An installment of ``channel_posted_due_dates``: the due date of
        the receivable ``line`` and its amount."""
        currency = self.currency_id
        amount = float_repr(
            currency.round(abs(line.amount_currency)), currency.decimal_places
        )
        return f"{line.date_maturity}: {amount} {currency.name}"

    @api.model
    def _channel_installment_amounts(self, key):
        """The amounts of the installments of ``key`` (a
        ``channel_posted_due_dates``), in the order of their due dates."""
        return [part.partition(": ")[2] for part in key.split(", ")]

    def _channel_installments_moved(self, kept):
        """Whether this invoice's installments are not those kept
        (``kept``). A key kept before the amounts were (due dates alone)
        is compared with the due dates."""
        self.ensure_one()
        key = self._channel_due_dates_key()
        if kept and ": " not in kept:
            key = ", ".join(part.partition(": ")[0] for part in key.split(", "))
        return key != kept

    def _channel_is_accounting_manager(self):
        """Whether the user acting decides as an accounting manager: moves
        the installments of a channel invoice posted before or replaced,
        changes the reference it is paid with, cancels or deletes it. The
        user's own groups (``account.group_account_manager``), whatever
        the environment's superuser mode: the product's flows run as
        superuser for their user. Odoo's scheduled posting of drafts
        (``auto_post``) decides nothing: it runs as OdooBot, an accounting
        manager by Odoo's data, for whoever set the draft to post itself
        (thirteenth probe, P13-4)."""
        return not self.env.context.get(
            "channel_scheduled_posting"
        ) and self.env.user.has_group("account.group_account_manager")

    def _channel_keep_due_dates(self):
        """Keep the installments of the posted channel invoices reset to
        draft here, to be checked when they are posted again."""
        for move in self.sudo():
            if (
                move.state == "posted"
                and move.move_type == "out_invoice"
                and move._channel_is_channel_move()
            ):
                move.channel_posted_due_dates = move._channel_due_dates_key()

    def _channel_check_reposted_due_dates(self):
        """A channel invoice reset to draft is posted again with the
        installments it had (due dates and amounts), unless an accounting
        manager posts it: moved on the draft by an accountant, an overdue
        invoice left the overdue hold and the dunning (twelfth probe,
        P12-2; P11-5 on the posted one; finance walk 13, W13-1, by its
        amounts). Odoo's scheduled posting is no manager (P13-4).

        The new invoice of *Reverse and Create* keeps those of the invoice
        it replaces (P13-4: dated the day of the reversal, its terms ran
        from then, the debt deferred): the same amounts (its lines, at a new
        date) are posted at the replaced due dates; other amounts are an
        accounting manager's.

        :return: ``(moved, kept)``: {move (as superuser): its installments
            before} of the invoices whose installments a manager moves, to
            note; those of the new invoices to post at the installments
            they replace
        """
        manager = self._channel_is_accounting_manager()
        moved, kept = {}, {}
        for move in self.sudo().filtered("channel_posted_due_dates"):
            before = move.channel_posted_due_dates
            if not move._channel_installments_moved(before):
                continue
            if manager:
                moved[move] = before
                continue
            amounts = self._channel_installment_amounts
            if not move.posted_before and amounts(
                move._channel_due_dates_key()
            ) == amounts(before):
                kept[move] = before
                continue
            if move.posted_before:
                message = self.env._(
                    "%(move)s was posted with the installments %(before)s: "
                    "it is posted again with them, or by an accounting "
                    "manager. An amount is corrected by a credit note.",
                    move=move.display_name,
                    before=before,
                )
            else:
                message = self.env._(
                    "%(move)s replaces an invoice due %(before)s (Reverse "
                    "and Create): it is posted for the same amounts, at "
                    "those due dates, or by an accounting manager.",
                    move=move.display_name,
                    before=before,
                )
            raise UserError(message)
        return moved, kept

    def _channel_post_at_kept_due_dates(self, kept):
        """Post the installments of each new invoice of ``kept`` ({move: the
        installments it replaces}, the same amounts) at the due dates it
        replaces, noted."""
        for move, before in kept.items():
            if move.state != "posted":
                continue
            lines = move.line_ids.filtered(
                lambda line: line.display_type == "payment_term"
            ).sorted(move._channel_installment_key)
            for line, part in zip(lines, before.split(", "), strict=True):
                due = fields.Date.to_date(part.partition(": ")[0])
                if line.date_maturity != due:
                    line.date_maturity = due
            move.message_post(
                body=self.env._(
                    "This invoice replaces one due %(before)s: posted by "
                    "%(user)s for the same amounts, at those due dates.",
                    before=before,
                    user=self.env.user.name,
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )

    def _channel_note_installments(self, moved):
        """Note in the chatter of each invoice of ``moved`` ({move: its
        installments before}) the installments it is posted with, and by
        whom."""
        for move, before in moved.items():
            move.message_post(
                body=self.env._(
                    "Posted with the installments %(new)s (before: %(old)s) "
                    "by %(user)s.",
                    new=move._channel_due_dates_key() or "-",
                    old=before,
                    user=self.env.user.name,
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )

    def _channel_check_cancel_posted(self):
        """A channel invoice (not a credit note) posted before, or the new
        invoice of *Reverse and Create* replacing one, is cancelled or
        deleted by an accounting manager only; others credit it (a credit
        note linked to it, see *Corrections*): reset, cancelled and billed
        again, an overdue invoice was due 30 days later (thirteenth probe,
        P13-4). The drafts of the billing run, never posted, are Odoo's."""
        if self._channel_is_accounting_manager():
            return
        for move in self.sudo():
            if (
                move.move_type == "out_invoice"
                and move.state != "cancel"
                and (
                    move.state == "posted"
                    or move.posted_before
                    or move.channel_posted_due_dates
                )
                and move._channel_is_channel_move()
            ):
                raise UserError(
                    self.env._(
                        "%(move)s is a channel invoice posted before (or "
                        "replacing one): it is cancelled or deleted by an "
                        "accounting manager only. Post it and credit it "
                        "(Credit Note).",
                        move=move.display_name,
                    )
                )

    @channel_access_first("write")
    def button_draft(self):
        self._channel_check_billed_again()
        self._channel_keep_due_dates()
        moving = self._channel_state_moving("draft")
        try:
            return super().button_draft()
        finally:
            moving.difference_update(self.ids)

    @channel_access_first("write")
    def button_cancel(self):
        self._channel_check_cancel_posted()
        moving = self._channel_state_moving("cancel")
        try:
            return super().button_cancel()
        finally:
            moving.difference_update(self.ids)

    @channel_access_first("unlink")
    def unlink(self):
        # before Odoo's unlink: it deletes the lines first, and the invoice
        # is no longer a channel invoice when the ondelete checks run
        self._channel_check_cancel_posted()
        return super().unlink()

    @api.model
    def _autopost_draft_entries(self):
        # Odoo's scheduled posting (as OdooBot) decides nothing of the
        # installments of a channel invoice (_channel_is_accounting_manager)
        return super(
            AccountMove, self.with_context(channel_scheduled_posting=True)
        )._autopost_draft_entries()

    def _channel_check_counterparty_write(self, vals):
        """A channel invoice (of channel orders or subscriptions) is its
        financial counterparty's: its customer changes to another address
        of the same company only. Moved to another party, the invoice would
        bill that party for the orders, and the orders count as invoiced."""
        Partner = self.env["res.partner"].sudo()
        new = []
        if "partner_id" in vals:
            new.append(Partner.browse(vals["partner_id"]).commercial_partner_id)
        if "commercial_partner_id" in vals:
            new.append(Partner.browse(vals["commercial_partner_id"]))
        for move in self.sudo():
            party = move.commercial_partner_id
            if all(partner == party for partner in new):
                continue
            if move.line_ids.filtered(lambda line: line._channel_is_channel_line()):
                raise UserError(
                    self.env._(
                        "%(move)s invoices channel orders or subscriptions of "
                        "%(party)s: its customer is another address of "
                        "%(party)s only.",
                        move=move.display_name,
                        party=party.display_name,
                    )
                )

    def action_switch_move_type(self):
        # Odoo's button turns a draft invoice into a credit note of the same
        # lines: on a channel invoice it would credit its orders (billed
        # again by the next run) without a credit of the product's flows.
        if not self.env.su and any(
            move._channel_is_channel_move() for move in self.sudo()
        ):
            raise UserError(
                self.env._(
                    "An invoice of channel orders or subscriptions is not "
                    "switched to a credit note: cancel it, or credit what it "
                    "billed once posted."
                )
            )
        return super().action_switch_move_type()

    def _post(self, soft=True):
        if not self.env.su:
            self._channel_check_posted_parties()
        moved, kept = self._channel_check_reposted_due_dates()
        moving = self._channel_state_moving("posted")
        try:
            res = super()._post(soft=soft)
        finally:
            moving.difference_update(self.ids)
        self._channel_check_booked_lines()
        self._channel_check_credits()
        self._channel_post_at_kept_due_dates(kept)
        posted = self.sudo().filtered("channel_posted_due_dates")
        posted.filtered(lambda m: m.state == "posted").channel_posted_due_dates = False
        self._channel_note_installments(moved)
        return res

    def _channel_check_booked_lines(self):
        """At posting, for every user and flow: the lines of a customer
        invoice or credit note that bill a channel order's line (or a
        subscription's period) book what their price, quantity, discount
        and taxes bill, as Odoo books them: the subtotal, signed, in the
        invoice's currency, and its balance at the invoice's rate, to the
        currencies' rounding (thirteenth probe, P13-2 c, e, P13-8: a
        balance of 0.03 written for a line of 2,880.00 posted, the customer
        owing 0.03 and the order invoiced). Odoo writes these amounts
        itself (a quantity changed, an invoice created, Reverse and
        Create): a write of them is not refused, the posting of a line
        booking another amount is."""
        for move in self.sudo().filtered(
            lambda m: m.state == "posted"
            and m.move_type in ("out_invoice", "out_refund")
        ):
            lines = move.invoice_line_ids.filtered(
                lambda line: line._channel_books_what_it_bills()
                and not line._channel_books_its_subtotal()
            )
            if not lines:
                continue
            # Odoo spreads the rounding of a tax over its lines (prices
            # including taxes, rounded globally) and converts unrounded
            # amounts: what it books for them, from its tax computation
            booked = move._channel_booked_base_amounts()
            currency = move.currency_id
            company_currency = move.company_currency_id
            for line in lines:
                amount_currency, balance = booked.get(line, (None, None))
                if (
                    amount_currency is None
                    or currency.compare_amounts(line.amount_currency, amount_currency)
                    or company_currency.compare_amounts(line.balance, balance)
                ):
                    raise UserError(
                        self.env._(
                            "%(move)s books %(booked)s on its line %(line)s, "
                            "which bills %(billed)s at its price, quantity, "
                            "discount and taxes: a line of a channel order or "
                            "subscription books what it bills. Bill a part by "
                            "its quantity, or credit a part with a credit note.",
                            move=move.display_name,
                            booked=format_amount(
                                self.env, abs(line.amount_currency), currency
                            ),
                            line=line.name or line.product_id.display_name,
                            billed=format_amount(
                                self.env, line.price_subtotal, currency
                            ),
                        )
                    )

    def _channel_check_credits(self):
        """At posting, for every user and flow: the lines of a credit note
        credit at most what the invoices of the order lines (or
        subscription periods) they credit billed
        (``account.move.line._channel_check_credits_within_billed``)."""
        self.sudo().filtered(
            lambda m: m.state == "posted" and m.move_type == "out_refund"
        ).invoice_line_ids._channel_check_credits_within_billed()

    def _channel_booked_base_amounts(self):
        """{line: (amount_currency, balance)}: what Odoo books for the
        product lines of this invoice from their price, quantity, discount
        and taxes (its own taxes computation, as when it synchronises a
        draft's lines)."""
        self.ensure_one()
        AccountTax = self.env["account.tax"]
        base_lines, _tax_lines = self._get_rounded_base_and_tax_lines(
            round_from_tax_lines=False
        )
        AccountTax._add_accounting_data_in_base_lines_tax_details(
            base_lines, self.company_id, include_caba_tags=self.always_tax_exigible
        )
        result = AccountTax._prepare_tax_lines(base_lines, self.company_id)
        return {
            base_line["record"]: (amounts["amount_currency"], amounts["balance"])
            for base_line, amounts in result["base_lines_to_update"]
        }

    def _channel_check_posted_parties(self):
        """The last guard before a user posts: the lines of a channel order
        are on an invoice (or credit note) of the order's financial
        counterparty only."""
        for move in self.sudo().filtered(lambda m: m.is_sale_document()):
            party = move.commercial_partner_id
            orders = move.invoice_line_ids.sale_line_ids.order_id.filtered(
                lambda o, p=party: o.is_channel_order
                and o.financial_partner_id.commercial_partner_id != p
            )
            if orders:
                raise UserError(
                    self.env._(
                        "%(move)s holds lines of %(order)s, invoiced to "
                        "%(party)s: it is not posted for %(partner)s.",
                        move=move.display_name,
                        order=orders[0].name,
                        party=orders[0].financial_partner_id.display_name,
                        partner=party.display_name,
                    )
                )

    def _message_subscribe(self, partner_ids=None, subtype_ids=None, customer_ids=None):
        # A channel invoice's followers are its invoiced party's people and
        # internal users: a recipient of its chatter gets its figures (and
        # the PDF of Send & Print), and Odoo's portal rule lets followers
        # read. Not the end customers of a resale (consolidated) invoice,
        # nor another distributor's people (fourteenth probe, P14-5). The
        # record rules refuse it to them anyway; this keeps its mail out of
        # their boxes.
        return channel_subscribe_audience(
            self,
            partner_ids,
            lambda records, partners: super(AccountMove, records)._message_subscribe(
                partners, subtype_ids, customer_ids=customer_ids
            ),
        )

    def _channel_keeps_recipients(self):
        return any(self.sudo().mapped("channel_distributor_id"))

    def _channel_may_follow(self, partner):
        """Whether ``partner`` may follow this channel invoice: one of its
        invoiced party's people (the only portal readers of a channel
        invoice), or an internal user."""
        self.ensure_one()
        return not self._channel_is_outsider(partner)

    def _channel_is_outsider(self, partner):
        """Whether ``partner`` is outside the party invoiced by this channel
        invoice: neither a person of its invoiced company nor an internal
        user. An outsider does not get the invoice's access token (it
        would open the invoice to whoever holds it)."""
        self.ensure_one()
        move = self.sudo()
        if not move.channel_distributor_id:
            return False
        partner = partner.sudo()
        return partner.commercial_partner_id != move.commercial_partner_id and not (
            partner.user_ids.filtered(lambda user: not user.share)
        )

    def _notify_get_recipients_groups(self, message, model_description, msg_vals=None):
        # Odoo gives the access token of an invoice (its "View" button and
        # link) to the invoiced partner and to every partner named as a
        # recipient of its messages (Send & Print, the chatter): on a channel
        # invoice, a recipient outside the invoiced party (the end customer
        # written to about a resale invoice) gets the message only, as the
        # portal rules give it nothing of the invoice.
        groups = super()._notify_get_recipients_groups(
            message, model_description, msg_vals=msg_vals
        )
        if not self or not self.sudo().channel_distributor_id:
            return groups
        partners = self.env["res.partner"].sudo()

        def outsider(recipient):
            return recipient["type"] != "user" and self._channel_is_outsider(
                partners.browse(recipient["id"])
            )

        return [
            [
                "channel_outsider",
                outsider,
                {"active": True, "has_button_access": False, "actions": []},
            ],
            *groups,
        ]

    def _get_share_url(
        self, redirect=False, signup_partner=False, pid=None, share_token=True
    ):
        # a link made for a partner outside the invoiced party (the Share
        # action) carries no token either, nor a pid/hash
        return super()._get_share_url(
            redirect=redirect,
            **channel_share_url_args(self, signup_partner, pid, share_token),
        )

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        # A pid/hash pair mailed before (to a former follower, an end
        # customer named in the chatter) opens the chatter and posts as its
        # partner: on a channel invoice only for the invoiced party's people
        # and internal users, judged when it is used (as its token).
        thread = super()._get_thread_with_access(thread_id, mode=mode, **kwargs)
        return channel_thread_by_pid(self, thread, thread_id, mode, kwargs)

    def _reverse_moves(self, default_values_list=None, cancel=False):
        # A credit note of a consolidated invoice keeps the distributor's
        # references (its PO numbers) after the reversal's own text. Of an
        # invoice partly credited already, it credits what is left of it
        # (fifteenth probe, P15-10).
        default_values_list = default_values_list or [{} for __ in self]
        partly_credited = self.browse()
        for move, values in zip(self, default_values_list, strict=True):
            refs = move._get_channel_section_orders().mapped("client_order_ref")
            if any(refs):
                parts = [values["ref"]] if values.get("ref") else []
                parts += [ref for ref in dict.fromkeys(refs) if ref]
                values["ref"] = ", ".join(parts)[:2000]
            line_ids = move._channel_prepare_reversal_line_ids(cancel)
            if line_ids is not None:
                values["line_ids"] = line_ids
                partly_credited |= move
        reversals = super()._reverse_moves(default_values_list, cancel=cancel)
        if cancel and partly_credited:
            # Odoo unreconciled the invoices before reversing them: their
            # earlier credit notes settle them again, with the reversal of
            # what was left
            partly_credited._channel_reconcile_credit_notes(reversals)
        if self.env.context.get("channel_reversal_modify"):
            # "Reverse and Create Invoice": the new invoice bills again what
            # this credit note credits
            reversals._channel_mark_billed_again()
        else:
            reversals._channel_keep_credits()
        return reversals

    def _channel_lines_left_to_reverse(self):
        """{invoice line: line values}: the lines of this channel invoice
        whose reversal credits what is left of them, not what they billed
        (``_reverse_moves``): the values of the lines crediting it (none:
        nothing is left). The lines billing a channel order's line
        partly credited by posted credit notes (what is left as a
        cancellation credits it, ``sale.order._channel_left_to_credit``
        and ``sale.order.line._channel_prepare_credit_lines``); extended
        for subscriptions' periods. Lines credited of nothing are not
        given: they are reversed as Odoo does."""
        self.ensure_one()
        result = {}
        billing = self.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
            and line._channel_bills_order_quantity()
            and line.sale_line_ids.filtered(
                lambda sol: sol.order_id.is_channel_order and not sol.is_downpayment
            )
        )
        currency = self.currency_id
        for order in billing.sale_line_ids.order_id.filtered("is_channel_order"):
            left = order._channel_left_to_credit().get(self, {})
            for sale_line in order.order_line & billing.sale_line_ids:
                lines = billing.filtered(lambda ln, x=sale_line: x in ln.sale_line_ids)
                units = sum(
                    line.product_uom_id._compute_quantity(
                        line.quantity, sale_line.product_uom
                    )
                    for line in lines
                )
                amount = sum(lines.mapped("price_subtotal"))
                units_left, amount_left = left.get(sale_line, (0.0, 0.0))
                rounding = sale_line.product_uom.rounding or 0.01
                if not float_compare(
                    units_left, units, precision_rounding=rounding
                ) and not currency.compare_amounts(amount_left, amount):
                    continue
                vals_list = []
                if currency.compare_amounts(amount_left, 0.0) > 0:
                    vals_list = sale_line._channel_prepare_credit_lines(
                        self, max(units_left, 0.0), amount_left
                    )
                for line in lines:
                    result[line] = vals_list if line == lines[0] else []
        return result

    def _channel_prepare_reversal_line_ids(self, cancel=False):
        """The ``line_ids`` of the reversal of this invoice when posted
        credit notes credited a part of it: its lines as Odoo copies them,
        those of ``_channel_lines_left_to_reverse`` crediting what is left.
        None when nothing of it was credited (Odoo's reversal). Refused
        when nothing is left to credit (fifteenth probe, P15-10: a full
        credit note of a partly credited invoice credited more than it
        billed)."""
        self.ensure_one()
        if self.move_type != "out_invoice" or self.state != "posted":
            return None
        left = self._channel_lines_left_to_reverse()
        if not left:
            return None
        lines = self.line_ids.sorted("id").with_context(
            move_reverse_cancel=cancel, include_business_fields=True
        )
        commands = []
        for line, vals in zip(lines, lines.copy_data(), strict=True):
            if line not in left:
                commands.append(Command.create(vals))
                continue
            commands += [
                Command.create(dict(rest, sequence=line.sequence))
                for rest in left[line]
            ]
        if not any(
            command[2].get("display_type") == "product"
            for command in commands
            if command[2] is not None
        ):
            raise UserError(
                self.env._(
                    "Invoice %(invoice)s is credited in full by its credit "
                    "notes already: nothing is left to credit.",
                    invoice=self.display_name,
                )
            )
        return commands

    def _channel_reconcile_credit_notes(self, reversals):
        """These invoices, reversed in Odoo's cancel mode, are settled by
        their posted credit notes (``reversals`` among them) again: Odoo
        unreconciled them before reversing what was left of them."""
        refunds = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("reversed_entry_id", "in", self.ids),
                    ("move_type", "=", "out_refund"),
                    ("state", "=", "posted"),
                    ("id", "not in", reversals.ids),
                ]
            )
        )
        for refund in refunds:
            refund.reversed_entry_id._reconcile_reversed_moves(refund, True)

    @api.model
    def _channel_overdue_domain(self, day):
        """Invoices with an installment (a receivable line) unpaid past
        ``day``: Odoo's due date of an invoice in installments is its last
        one, so an installment overdue would go unnoticed on it. The rule
        of the overdue hold, the paid status and the dunning pages."""
        return [
            (
                "line_ids",
                "any",
                [
                    ("account_type", "=", "asset_receivable"),
                    ("reconciled", "=", False),
                    ("date_maturity", "<", day),
                ],
            )
        ]

    @api.model
    def _channel_overdue_invoices_domain(self, day, companies):
        """The posted customer invoices of ``companies`` with money still
        owed (``_channel_unpaid_domain``) on an installment unpaid past
        ``day`` (``_channel_overdue_domain``): the overdue hold's and the
        dunning's."""
        return [
            ("company_id", "in", companies.ids),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            *self._channel_unpaid_domain(),
            *self._channel_overdue_domain(day),
        ]

    def _channel_overdue_since(self, day):
        """The due date of this invoice's earliest installment unpaid past
        ``day`` (False when none is)."""
        self.ensure_one()
        return min(
            (
                line.date_maturity
                for line in self.line_ids
                if line.account_type == "asset_receivable"
                and not line.reconciled
                and line.date_maturity
                and line.date_maturity < day
            ),
            default=False,
        )

    def _channel_overdue_on(self, day):
        """Whether an installment of this invoice is unpaid past ``day``."""
        return bool(self._channel_overdue_since(day))

    def _channel_mark_billed_again(self, lines=None):
        """What these credit notes credit (``lines`` of them, else their
        channel lines) is billed again: they stay posted."""
        if lines is None:
            lines = self.filtered(
                lambda m: m.move_type == "out_refund"
            ).invoice_line_ids.filtered(
                lambda line: line.display_type == "product"
                and line._channel_is_channel_line()
            )
        if lines:
            # the product's flow (the user may not write the link itself)
            lines.sudo().write({"channel_billed_again": True})

    def _channel_check_billed_again(self):
        """A credit note whose credit was billed again (Bill Again on an
        order or a period, or the credit note of Reverse and Create
        Invoice) is final: reset to draft, then lowered or cancelled, it
        would leave what it credited billed twice."""
        for move in self.sudo():
            lines = move.invoice_line_ids.filtered("channel_billed_again")
            if not lines:
                continue
            raise UserError(
                self.env._(
                    "Credit note %(move)s was billed again (%(what)s): it stays "
                    "posted, neither reset to draft nor cancelled, or what it "
                    "credits would be billed twice. To correct it, credit the "
                    "invoice that billed it again.",
                    move=move.display_name,
                    what=", ".join(dict.fromkeys(lines._channel_billed_again_names()))
                    or "-",
                )
            )

    def _channel_keep_credits(self):
        """A credit note finance makes of a channel order's invoice (a plain
        reversal): the quantities it credits stay credited, the next run
        does not bill them again (the order's Bill Again does). Down
        payments keep Odoo's own rules."""
        lines = self.filtered(lambda m: m.move_type == "out_refund").invoice_line_ids
        kept = lines.filtered(
            lambda line: line._channel_bills_order_quantity()
            and not line.sale_line_ids.filtered("is_downpayment")
            and line.sale_line_ids.order_id.filtered("is_channel_order")
        )
        if kept:
            # the product's flow (the user may not write the link itself)
            kept.sudo().write({"channel_credit_kept": True})

    # Section building helpers -------------------------------------------

    @api.model
    def _prepare_channel_section_vals(self, order, **optional_values):
        """Values of the section line that opens ``order`` on a consolidated
        distributor invoice: the order, its end customer and the
        distributor's reference."""
        order.ensure_one()
        name = order._get_channel_section_name()
        return self._channel_section_line_vals(
            {
                "name": name,
                "channel_order_id": order.id,
                "end_customer_id": order.end_customer_id.id,
                "distributor_id": order.distributor_id.id,
                **optional_values,
            }
        )

    @api.model
    def _channel_section_line_vals(self, values):
        """Values of a section line of a consolidated invoice (of an order,
        of a subscription period): no product, quantity, price or account;
        ``values`` added. Its zero balance is given: else Odoo's invoice
        synchronisation writes it on the new line, and that write
        resynchronises the whole invoice once per section."""
        return {
            "display_type": "line_section",
            "product_id": False,
            "product_uom_id": False,
            "quantity": 0,
            "discount": 0,
            "price_unit": 0,
            "account_id": False,
            "balance": 0.0,
            **values,
        }

    def _get_channel_sections(self):
        """The order sections of a consolidated invoice, in printing order.

        A list of dicts: ``section`` (the section line), ``order``,
        ``end_customer``, ``lines`` (the invoice lines of that order, down
        payment deductions included), ``subtotal`` (their untaxed amount) and
        ``last_line`` (after which the subtotal is printed).
        """
        self.ensure_one()
        lines = self.invoice_line_ids.sorted(key=lambda line: (line.sequence, line.id))
        sections = []
        current = None
        for line in lines:
            if line.channel_order_id:
                current = {
                    "section": line,
                    "order": line.channel_order_id,
                    "end_customer": line.channel_order_id.end_customer_id,
                    "lines": self.env["account.move.line"],
                    "subtotal": 0.0,
                    "last_line": line,
                    "all_lines": line,
                }
                sections.append(current)
                continue
            if current is None:
                continue
            if line.display_type == "line_section" and not line.sale_line_ids:
                # the section of other lines (an order not in the channel)
                current = None
                continue
            if line.display_type == "product":
                if current["order"] not in line.sale_line_ids.order_id:
                    current = None
                    continue
                current["lines"] |= line
                current["subtotal"] += line.price_subtotal
            current["last_line"] = line
            current["all_lines"] |= line
        return sections

    def _get_channel_section_line_ids(self):
        """For the invoice report: ids of the lines within an order's section
        (its section line to its subtotal)."""
        self.ensure_one()
        return {
            line_id
            for section in self._get_channel_sections()
            for line_id in section["all_lines"].ids
        }

    def _get_channel_section_orders(self):
        """The orders of the sections of this invoice, in printing order."""
        self.ensure_one()
        sections = self.invoice_line_ids.filtered("channel_order_id").sorted(
            key=lambda line: (line.sequence, line.id)
        )
        return self.env["sale.order"].browse(
            list(dict.fromkeys(sections.channel_order_id.ids))
        )

    def _get_channel_order_lines(self, orders):
        """Every line of the sections of ``orders`` (section line, their
        lines, notes and down payments), and their lines outside sections."""
        self.ensure_one()
        lines = self.env["account.move.line"]
        for section in self._get_channel_sections():
            if section["order"] in orders:
                lines |= section["all_lines"]
        return lines | self.invoice_line_ids.filtered(
            lambda line: line.sale_line_ids.order_id & orders
        )

    def _channel_sync_origin(self, orders_before):
        """After sections were removed from a draft invoice or credit note
        (an order cancelled, a partial reversal): the origin lists the orders
        left and the reference drops the PO numbers of those removed."""
        self.ensure_one()
        orders = self._get_channel_section_orders()
        if not orders or orders == orders_before:
            return
        kept = set(orders.mapped("client_order_ref"))
        removed = set((orders_before - orders).mapped("client_order_ref")) - kept
        parts = [part for part in (self.ref or "").split(", ") if part not in removed]
        self.write(
            {
                "invoice_origin": ", ".join(orders.mapped("name")),
                "ref": ", ".join(part for part in parts if part) or False,
            }
        )

    def _get_channel_section_subtotals(self):
        """For the invoice report: {id of the last line of a section: section}."""
        self.ensure_one()
        return {
            section["last_line"].id: section for section in self._get_channel_sections()
        }

    def _get_channel_address_section_ids(self):
        """For the invoice report: ids of the sections under which the end
        customer's name and address are printed, the first of each end
        customer."""
        self.ensure_one()
        shown = {}
        for section in self._get_channel_sections():
            shown.setdefault(section["end_customer"], section["section"].id)
        return set(shown.values())

    def _channel_post_and_send(self):
        """Post and email the invoices of the scheduled job, as the settings
        of their company say."""
        for company in self.company_id:
            moves = self.filtered(lambda m, c=company: m.company_id == c)
            if not company.channel_invoice_auto_post:
                continue
            moves.action_post()
            if company.channel_invoice_auto_send:
                self.env["account.move.send"]._generate_and_send_invoices(
                    moves, allow_raising=False, sending_methods=["email"]
                )
