# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .res_partner import FINANCIAL_ROLES

# Fields that decide who is invoiced and who is served: locked once confirmed.
CHANNEL_FIELDS = ("distributor_id", "end_customer_id", "financial_role")


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
