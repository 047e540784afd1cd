# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.modules import module as odoo_module
from odoo.tools import SQL

from .res_partner import FINANCIAL_ROLES

# Fields that decide who is invoiced and who is served: locked once confirmed.
CHANNEL_FIELDS = ("distributor_id", "end_customer_id", "financial_role")

_logger = logging.getLogger(__name__)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    distributor_id = fields.Many2one(
        "res.partner",
        domain=[("is_distributor", "=", True)],
        index=True,
        tracking=True,
        check_company=True,
        help="The distribution partner that raised this order.",
    )
    end_customer_id = fields.Many2one(
        "res.partner",
        index=True,
        tracking=True,
        check_company=True,
        help="The customer that receives the products and services.",
    )
    financial_role = fields.Selection(
        FINANCIAL_ROLES,
        string="Invoiced Party",
        compute="_compute_financial_role",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Resale: the distributor is invoiced at its price book and earns "
        "the margin. Agency: the end customer is invoiced at its own prices and "
        "the distributor earns a commission.",
    )
    is_channel_order = fields.Boolean(
        compute="_compute_channel_partners",
        store=True,
        index=True,
    )
    financial_partner_id = fields.Many2one(
        "res.partner",
        string="Financial Counterparty",
        compute="_compute_channel_partners",
        store=True,
        index=True,
        help="The party that is invoiced.",
    )
    business_partner_id = fields.Many2one(
        "res.partner",
        string="Business Counterparty",
        compute="_compute_channel_partners",
        store=True,
        index=True,
        help="The party that receives the service: tickets, delivery, contact.",
    )
    # Redefined as a computed field so that the channel decides the customer;
    # editable and unchanged for orders without a distributor.
    partner_id = fields.Many2one(
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    channel_commission = fields.Monetary(
        string="Commission",
        compute="_compute_channel_commission",
        store=True,
        help="What the distributor earns on this order: the margin between "
        "the list price and its price book (resale), or between the end "
        "customer's price and the price book (agency).",
    )
    channel_source = fields.Selection(
        [("backend", "Backend"), ("portal", "Distributor portal")],
        string="Entered From",
        default="backend",
        copy=False,
        readonly=True,
    )

    @api.depends("distributor_id")
    def _compute_financial_role(self):
        for order in self:
            if order.distributor_id:
                order.financial_role = (
                    order.distributor_id.channel_financial_role or "distributor"
                )
            elif not order.financial_role:
                order.financial_role = "distributor"

    @api.depends("distributor_id", "end_customer_id", "financial_role", "partner_id")
    def _compute_channel_partners(self):
        for order in self:
            channel = bool(order.distributor_id and order.end_customer_id)
            order.is_channel_order = channel
            if not channel:
                order.financial_partner_id = order.partner_id
                order.business_partner_id = order.partner_id
            elif order.financial_role == "end_customer":
                order.financial_partner_id = order.end_customer_id
                order.business_partner_id = order.end_customer_id
            else:
                order.financial_partner_id = order.distributor_id
                order.business_partner_id = order.end_customer_id

    @api.depends("distributor_id", "end_customer_id", "financial_role")
    def _compute_partner_id(self):
        for order in self:
            if order.distributor_id and order.end_customer_id:
                order.partner_id = order._get_channel_financial_partner()

    def _get_channel_financial_partner(self):
        """The party invoiced by this channel order (hook)."""
        self.ensure_one()
        if self.financial_role == "end_customer":
            return self.end_customer_id
        return self.distributor_id

    @api.depends("partner_id", "end_customer_id")
    def _compute_partner_shipping_id(self):
        channel = self.filtered(lambda o: o.distributor_id and o.end_customer_id)
        for order in channel:
            order.partner_shipping_id = order.end_customer_id.address_get(["delivery"])[
                "delivery"
            ]
        return super(SaleOrder, self - channel)._compute_partner_shipping_id()

    @api.depends("partner_shipping_id", "partner_id", "company_id", "end_customer_id")
    def _compute_fiscal_position_id(self):
        # The financial counterparty's fiscal position applies, whatever the
        # end customer's delivery address is.
        channel = self.filtered(lambda o: o.distributor_id and o.end_customer_id)
        for order in channel:
            before = order.fiscal_position_id
            fpos = (
                self.env["account.fiscal.position"]
                .with_company(order.company_id)
                ._get_fiscal_position(order.partner_id, order.partner_id)
            )
            if before != fpos and order.order_line:
                order.show_update_fpos = True
            order.fiscal_position_id = fpos
        return super(SaleOrder, self - channel)._compute_fiscal_position_id()

    @api.depends("order_line.channel_commission")
    def _compute_channel_commission(self):
        for order in self:
            order.channel_commission = sum(
                order.order_line.mapped("channel_commission")
            )

    @api.constrains("distributor_id", "end_customer_id", "financial_role", "partner_id")
    def _check_channel_counterparties(self):
        for order in self:
            if not order.distributor_id and not order.end_customer_id:
                continue
            order._check_channel_order()

    def _check_channel_order(self):
        """Raise a ValidationError when the channel data of the order is wrong."""
        self.ensure_one()
        distributor, customer = self.distributor_id, self.end_customer_id
        if not (distributor and customer):
            raise ValidationError(
                _(
                    "Order %(order)s: a channel order needs both a distributor and "
                    "an end customer.",
                    order=self.name,
                )
            )
        if not distributor.is_distributor:
            raise ValidationError(
                _(
                    "%(partner)s is not a distributor: flag it as one on its "
                    "contact form first.",
                    partner=distributor.display_name,
                )
            )
        if customer.commercial_partner_id == distributor.commercial_partner_id:
            raise ValidationError(
                _(
                    "Order %(order)s: the end customer %(customer)s belongs to the "
                    "distributor itself.",
                    order=self.name,
                    customer=customer.display_name,
                )
            )
        financial = self._get_channel_financial_partner()
        if self.partner_id.commercial_partner_id != financial.commercial_partner_id:
            raise ValidationError(
                _(
                    "Order %(order)s: the customer must be the invoiced party, "
                    "%(partner)s.",
                    order=self.name,
                    partner=financial.display_name,
                )
            )
        if (
            self.financial_role == "distributor"
            and not distributor.with_company(self.company_id).channel_pricelist_id
        ):
            raise ValidationError(
                _(
                    "Distributor %(partner)s has no price book: give it a pricelist "
                    "or put it on a tier that has one.",
                    partner=distributor.display_name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._link_end_customers()
        return orders

    def write(self, vals):
        changing = [f for f in CHANNEL_FIELDS if f in vals]
        if not changing:
            return super().write(vals)
        self._check_channel_fields_editable(vals, changing)
        pricelists = {order.id: order.pricelist_id for order in self}
        res = super().write(vals)
        self._link_end_customers()
        self.filtered(
            lambda o: o.state in ("draft", "sent")
            and o.pricelist_id != pricelists[o.id]
        )._recompute_prices()
        return res

    def _check_channel_fields_editable(self, vals, fields_):
        for order in self.filtered(lambda o: o.state not in ("draft", "sent")):
            changed = [
                name
                for name in fields_
                if order._fields[name].convert_to_write(order[name], order)
                != vals[name]
            ]
            if changed:
                raise UserError(
                    _(
                        "Order %(order)s is confirmed: its distributor, end customer "
                        "and invoiced party cannot change. Cancel it and set it back "
                        "to quotation first.",
                        order=order.name,
                    )
                )

    def _link_end_customers(self):
        """Give end customers without a distributor the one of their order."""
        for order in self.filtered(
            lambda o: o.distributor_id
            and o.end_customer_id
            and not o.end_customer_id.distributor_id
        ):
            order.end_customer_id.commercial_partner_id.distributor_id = (
                order.distributor_id
            )

    @api.onchange("distributor_id")
    def _onchange_distributor_id_end_customer(self):
        if (
            self.distributor_id
            and self.end_customer_id.distributor_id
            and self.end_customer_id.distributor_id != self.distributor_id
        ):
            return {
                "warning": {
                    "title": _("Another distributor's customer"),
                    "message": _(
                        "%(customer)s is managed by %(distributor)s.",
                        customer=self.end_customer_id.display_name,
                        distributor=self.end_customer_id.distributor_id.display_name,
                    ),
                }
            }

    @api.onchange("end_customer_id")
    def _onchange_end_customer_id_distributor(self):
        if self.end_customer_id.distributor_id and not self.distributor_id:
            self.distributor_id = self.end_customer_id.distributor_id

    # ------------------------------------------------------------------
    # Consolidated distributor invoicing (issue 6, feat/invoicing)
    #
    # Resale channel orders are invoiced through the standard
    # _create_invoices(), run with the context key
    # ``channel_distributor_invoicing``: _prepare_invoice() then opens each
    # order with a section line, the grouping keys add the fiscal position and
    # _create_account_invoices() lists the orders in ``invoice_origin`` in
    # section order. The "Create distributor invoices" action, the standard
    # "Create invoice" wizard and the scheduled job all go through it.
    # ------------------------------------------------------------------

    def _is_distributor_invoiced(self):
        """Whether this order is invoiced to its distributor (resale)."""
        self.ensure_one()
        return self.is_channel_order and self.financial_role == "distributor"

    def _create_invoices(self, grouped=False, final=False, date=None):
        resale = self.filtered(lambda o: o._is_distributor_invoiced())
        if not resale or self.env.context.get("channel_distributor_invoicing"):
            return super()._create_invoices(grouped=grouped, final=final, date=date)
        raise_if_nothing = self.env.context.get("raise_if_nothing_to_invoice", True)
        quiet = self.with_context(raise_if_nothing_to_invoice=False)
        moves = (
            super(SaleOrder, quiet - resale)._create_invoices(
                grouped=grouped, final=final, date=date
            )
            if self - resale
            else self.env["account.move"]
        )
        moves |= (
            quiet.filtered(lambda o: o in resale)
            .with_context(channel_distributor_invoicing=True)
            ._create_invoices(grouped=grouped, final=final, date=date)
        )
        if not moves and raise_if_nothing:
            raise UserError(self._nothing_to_invoice_error_message())
        return moves.with_env(self.env)

    def _get_invoice_grouping_keys(self):
        keys = super()._get_invoice_grouping_keys()
        if (
            self.env.context.get("channel_distributor_invoicing")
            and "fiscal_position_id" not in keys
        ):
            keys = keys + ["fiscal_position_id"]
        return keys

    def _prepare_invoice(self):
        vals = super()._prepare_invoice()
        if (
            self.env.context.get("channel_distributor_invoicing")
            and self._is_distributor_invoiced()
        ):
            # Opens this order's lines; -1 puts it before them even when the
            # standard code does not resequence the lines.
            vals["invoice_line_ids"] = [
                fields.Command.create(
                    self.env["account.move"]._prepare_channel_section_vals(
                        self, sequence=-1
                    )
                )
            ] + list(vals.get("invoice_line_ids") or [])
        return vals

    def _create_account_invoices(self, invoice_vals_list, final):
        if self.env.context.get("channel_distributor_invoicing"):
            for vals in invoice_vals_list:
                order_ids = [
                    command[2]["channel_order_id"]
                    for command in vals.get("invoice_line_ids", [])
                    if command[0] == fields.Command.CREATE
                    and command[2].get("channel_order_id")
                ]
                if order_ids:
                    orders = self.browse(order_ids)
                    vals["invoice_origin"] = ", ".join(orders.mapped("name"))
                    refs = [ref for ref in orders.mapped("client_order_ref") if ref]
                    vals["ref"] = ", ".join(dict.fromkeys(refs))[:2000]
        return super()._create_account_invoices(invoice_vals_list, final)

    def _channel_lock_for_invoicing(self):
        """Lock the orders for this transaction; return those obtained.

        Orders locked by another transaction (another worker, the scheduled
        job) are left out rather than waited for, so that no order is
        invoiced twice and nobody blocks.
        """
        if not self:
            return self
        self.env.cr.execute(
            SQL(
                "SELECT id FROM sale_order WHERE id IN %s ORDER BY id "
                "FOR UPDATE SKIP LOCKED",
                tuple(self.ids),
            )
        )
        locked = self.browse([row[0] for row in self.env.cr.fetchall()])
        # Read the invoicing state again now that nobody else can change it.
        locked.invalidate_recordset()
        locked.order_line.invalidate_recordset()
        return self.filtered(lambda o: o in locked)

    def _check_distributor_invoicing(self):
        """Raise a UserError when the orders cannot be invoiced together."""
        if len(self.company_id) > 1:
            raise UserError(
                _(
                    "Invoice the orders of one company at a time: %(companies)s.",
                    companies=", ".join(self.company_id.mapped("name")),
                )
            )
        for order in self.filtered(lambda o: o._is_distributor_invoiced()):
            address = order.partner_invoice_id
            if not address or not (address.street or address.city):
                raise UserError(
                    _(
                        "Distributor %(distributor)s has no invoice address: give "
                        "%(address)s a street or a city (order %(order)s).",
                        distributor=order.distributor_id.display_name,
                        address=(address or order.distributor_id).display_name,
                        order=order.name,
                    )
                )
        companies = self.company_id
        for company in companies:
            orders = self.filtered(lambda o, c=company: o.company_id == c)
            if all(order.journal_id for order in orders):
                continue
            journal = self.env["account.journal"].search(
                [
                    *self.env["account.journal"]._check_company_domain(company),
                    ("type", "=", "sale"),
                ],
                limit=1,
            )
            if not journal:
                raise UserError(
                    _(
                        "Company %(company)s has no sales journal to invoice "
                        "%(distributor)s: create one in Accounting first.",
                        company=company.name,
                        distributor=", ".join(
                            orders.distributor_id.mapped("display_name")
                        ),
                    )
                )

    def _create_distributor_invoices(self, final=True):
        """Invoice the orders, one invoice per distributor (per company,
        invoice address, currency and fiscal position).

        Returns ``(invoices, skipped orders)``; skipped orders are fully
        invoiced, not confirmed or being invoiced by someone else.
        """
        if not self:
            raise UserError(_("Select the orders to invoice."))
        self._check_distributor_invoicing()
        orders = self.sorted(lambda o: (o.date_order, o.id))
        locked = orders._channel_lock_for_invoicing()
        todo = locked.filtered(
            lambda o: o.state == "sale" and o.invoice_status == "to invoice"
        )
        skipped = orders - todo
        if not todo:
            raise UserError(
                _(
                    "Nothing to invoice: %(orders)s already invoiced, not "
                    "confirmed or being invoiced right now.",
                    orders=", ".join(skipped.mapped("name")),
                )
            )
        invoices = todo._create_invoices(final=final)
        if skipped:
            body = _(
                "Skipped, nothing to invoice or being invoiced elsewhere: "
                "%(orders)s.",
                orders=", ".join(skipped.mapped("name")),
            )
            for invoice in invoices:
                invoice.sudo().message_post(body=body)
        return invoices, skipped

    def action_create_distributor_invoices(self):
        """Invoice the selected orders, one invoice per distributor, and
        show the invoices."""
        invoices, __ = self._create_distributor_invoices()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", invoices.ids)]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        if len(invoices) == 1:
            action["views"] = [(self.env.ref("account.view_move_form").id, "form")]
            action["res_id"] = invoices.id
        return action

    @api.model
    def _channel_invoicing_commit(self):
        """Commit one batch of the scheduled job (not while testing): the
        job is resumable, so what a batch did must survive a later crash."""
        if not odoo_module.current_test:
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _get_distributor_orders_to_invoice(self, distributor):
        return self.search(
            [
                ("distributor_id", "child_of", distributor.id),
                ("is_channel_order", "=", True),
                ("financial_role", "=", "distributor"),
                ("state", "=", "sale"),
                ("invoice_status", "=", "to invoice"),
            ],
            order="date_order, id",
        )

    @api.model
    def _cron_create_distributor_invoices(self, batch_limit=20):
        """Scheduled job: invoice the distributors whose invoicing date has
        come, one distributor per batch, committed batch by batch.

        A distributor is done when its next invoicing date moves on, in the
        same transaction as its invoices: a job that stops in the middle
        resumes with the distributors left and invoices nothing twice.
        """
        today = fields.Date.context_today(self)
        Partner = self.env["res.partner"]
        due = Partner.search(
            [
                ("is_distributor", "=", True),
                ("channel_invoicing_period", "in", ("weekly", "monthly")),
                ("channel_invoicing_next_date", "<=", today),
            ],
            order="id",
        )
        done = 0
        for distributor in due[:batch_limit]:
            self._channel_invoice_scheduled_distributor(distributor, today)
            done += 1
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(due) - done)
            self._channel_invoicing_commit()
        if not due:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
        return done

    @api.model
    def _channel_invoice_scheduled_distributor(self, distributor, today):
        """One batch of the scheduled job: invoice one distributor."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE id = %s FOR UPDATE SKIP LOCKED",
                distributor.id,
            )
        )
        if not self.env.cr.fetchone():
            return self.env["account.move"]  # another run has it
        invoices = self.env["account.move"]
        orders = self._get_distributor_orders_to_invoice(distributor)
        for company in orders.company_id:
            company_orders = orders.filtered(
                lambda o, c=company: o.company_id == c
            ).with_company(company)
            try:
                with self.env.cr.savepoint():
                    moves, __ = company_orders._create_distributor_invoices()
                    moves._channel_post_and_send()
                    invoices |= moves
            except UserError as error:
                _logger.info(
                    "Distributor invoicing of %s skipped: %s",
                    distributor.display_name,
                    error,
                )
                distributor.message_post(
                    body=_(
                        "Scheduled invoicing failed: %(error)s",
                        error=str(error),
                    )
                )
        distributor.write(
            {
                "channel_invoicing_last_date": today,
                "channel_invoicing_next_date": (
                    distributor._channel_next_invoicing_date(today)
                ),
            }
        )
        return invoices
