# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, api, models
from odoo.addons.channel_distribution.tools import channel_access_first
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round

_logger = logging.getLogger(__name__)

# OCA's links of an order line to a running subscription: the subscription
# it adds a line to, the line it follows (upsell, downsell), stopped the
# day before it starts when the order is confirmed.
CONTRACT_LINK_FIELDS = ("contract_id", "contract_line_id")

# The states of an order whose lines' links are still the user's (OCA's
# upsell, checked): once confirmed, the start sets them (as superuser).
LINK_OPEN_STATES = ("draft", "sent")


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.su:
            given = lines.browse(
                [
                    line.id
                    for line, vals in zip(lines, vals_list, strict=True)
                    if any(vals.get(name) for name in CONTRACT_LINK_FIELDS)
                ]
            )
            given._channel_check_started_links()
        linked = [
            line
            for line, vals in zip(lines, vals_list, strict=True)
            if any(vals.get(name) for name in CONTRACT_LINK_FIELDS)
        ]
        if linked:
            self.browse([line.id for line in linked])._channel_check_contract_link()
        return lines

    @channel_access_first("write")
    def write(self, vals):
        if not self.env.su:
            self._channel_changed_links(vals)._channel_check_started_links()
        res = super().write(vals)
        if any(vals.get(name) for name in CONTRACT_LINK_FIELDS):
            self._channel_check_contract_link()
        return res

    # ------------------------------------------------------------------
    # OCA's links to a running subscription
    # ------------------------------------------------------------------

    def _channel_changed_links(self, vals):
        """The lines whose links to a subscription ``vals`` change (set,
        changed or cleared)."""
        names = [name for name in CONTRACT_LINK_FIELDS if name in vals]
        if not names:
            return self.browse()
        return self.sudo().filtered(
            lambda line: any(line[name].id != (vals[name] or False) for name in names)
        )

    def _channel_started_lines(self):
        """The subscription lines these order lines started (or follow
        from), whatever their own links say."""
        return (
            self.env["contract.line"]
            .sudo()
            .with_context(active_test=False)
            .search([("sale_order_line_id", "in", self.ids)], order="id")
        )

    def _channel_check_started_links(self):
        """On a channel order's line, the links to a subscription are the
        product's once the order is confirmed or the line started a
        subscription line: set by the start (as superuser), neither set,
        changed nor cleared by a user (a line cleared was started again,
        billed twice). On a quotation, OCA's upsell links stay the user's
        (checked by ``_channel_check_contract_link``)."""
        channel = self.sudo().filtered("order_id.is_channel_order")
        if not channel:
            return
        started = channel._channel_started_lines().sale_order_line_id
        locked = channel.filtered(
            lambda line: line.order_id.state not in LINK_OPEN_STATES or line in started
        )
        if locked:
            raise UserError(
                self.env._(
                    "The lines of order %(order)s are linked to their "
                    "subscriptions by its confirmation: the links are not "
                    "edited.",
                    order=locked[0].order_id.name,
                )
            )

    def _channel_restore_started_links(self):
        """Point each line that started a subscription line back to that
        subscription (as superuser): OCA's start skips it then, whatever
        its link said (never a second subscription of the same line)."""
        for contract_line in self._channel_started_lines():
            line = contract_line.sale_order_line_id.sudo()
            if line in self and line.contract_id != contract_line.contract_id:
                line.contract_id = contract_line.contract_id
                _logger.warning(
                    "Order line %s had lost its subscription %s: restored "
                    "before starting its order's subscriptions.",
                    line.id,
                    contract_line.contract_id.id,
                )

    def _channel_linked_contracts(self):
        self.ensure_one()
        line = self.sudo()
        return line.contract_id | line.contract_line_id.contract_id

    def _channel_check_contract_link(self):
        """An order line adds to, or follows a line of, a subscription the
        user may write, of the same parties as its order: its distributor,
        end customer, invoiced party and company (a channel subscription
        only from a channel order). The product's flows (as superuser) are
        checked for the parties only."""
        if not self.env.su:
            self.contract_id.check_access("write")
            self.contract_line_id.check_access("write")
        for line in self.sudo():
            order = line.order_id
            for contract in line._channel_linked_contracts():
                if not (order.is_channel_order or contract.distributor_id):
                    continue
                if not (
                    order.is_channel_order
                    and contract.distributor_id == order.distributor_id
                    and contract.end_customer_id == order.end_customer_id
                    and contract.partner_id.commercial_partner_id
                    == order.financial_partner_id.commercial_partner_id
                    and contract.company_id == order.company_id
                ):
                    raise UserError(
                        self.env._(
                            "A line of order %(order)s adds to or follows a "
                            "subscription of its own distributor, end customer "
                            "and invoiced party only.",
                            order=order.name,
                        )
                    )

    def create_contract_line(self, contract):
        # OCA stops the line an order line follows the day before it starts
        # and makes it its successor, as superuser on a channel order: the
        # link is checked again here (it may have been set by anyone), for
        # the user confirming: a line he may write, ended no earlier than a
        # cancellation would end it (earlier: a channel manager's).
        # A line added to a running subscription (``contract_id``) is
        # checked the same way: against the order's parties of the day (they
        # may have changed since the link was written), and the confirming
        # vendor's user must be one who may write that subscription.
        linked = self.filtered(
            lambda line: line._channel_linked_contracts()
            and (
                line.order_id.is_channel_order
                or line._channel_linked_contracts().distributor_id
            )
        )
        if linked:
            linked.sudo()._channel_check_contract_link()
            if self.env.uid != SUPERUSER_ID and self.env.user._is_internal():
                linked.with_env(self.env(su=False)).contract_id.check_access("write")
        following = linked.filtered(lambda line: line.sudo().contract_line_id)
        if following:
            if self.env.uid != SUPERUSER_ID:
                for line in following.with_env(self.env(su=False)):
                    predecessor = line.contract_line_id
                    predecessor.check_access("write")
                    predecessor._channel_check_stop(
                        line.date_start - relativedelta(days=1)
                    )
        return super().create_contract_line(contract)

    def _prepare_contract_line_values(
        self, contract, predecessor_contract_line_id=False
    ):
        vals = super()._prepare_contract_line_values(
            contract, predecessor_contract_line_id=predecessor_contract_line_id
        )
        if self.order_id.is_channel_order:
            self._channel_check_contract_recurrence()
            vals.update(self._prepare_channel_contract_line_price())
            distributor = self.order_id.distributor_id
            day = distributor and distributor._channel_coterm_day()
            if day:
                vals = self.env["contract.line"]._channel_coterm_line_vals(vals, day)
        return vals

    def _channel_check_contract_recurrence(self):
        """A channel subscription line is billed on its product's period
        (the price is a period's): an order line sold on another cannot
        start one."""
        self.ensure_one()
        self.env["contract.line"]._channel_check_product_recurrence(
            self.product_id, self.recurring_rule_type, self.recurring_interval
        )

    def _channel_price_book_discount(self):
        """The share (0 to 1) of the line's discount that its price book
        gives: with discounts on order lines, Odoo shows a percentage rule of
        the pricelist as a discount off the list price. None otherwise (the
        unit price is the price book's)."""
        self.ensure_one()
        item = self.pricelist_item_id
        if not (item and item._show_discount()):
            return 0.0
        line = self.with_company(self.company_id)
        base = line._get_pricelist_price_before_discount()
        if not base:
            return 0.0
        return max(0.0, 1.0 - line._get_pricelist_price() / base)

    def _channel_price_negotiated(self, price, digits):
        """Whether ``price`` (the subscription line's unit price, before the
        order's own discount) is the order's own rather than the price
        book's: a negotiated price is kept for the term, a book price
        follows the book."""
        self.ensure_one()
        book = self.with_company(self.company_id)._get_pricelist_price()
        # as Odoo prices the order: a book price with a VAT included that
        # the fiscal position maps to a tax not included is without it
        product = self.product_id
        book = product._get_tax_included_unit_price_from_price(
            book,
            product_taxes=product.taxes_id._filter_taxes_by_company(self.company_id),
            fiscal_position=self.order_id.fiscal_position_id,
        )
        return bool(float_compare(price, book, precision_digits=digits))

    def _prepare_channel_contract_line_price(self):
        """The price and discount of the subscription line of this order
        line: the order's unit price (the book's share of a discount shown
        taken off) and the discount the order gave on top of it, kept for
        every period; whether the price is negotiated (kept for the term)
        or the book's (the line follows the book)."""
        self.ensure_one()
        book = self._channel_price_book_discount()
        own = 0.0
        if book < 1.0:
            own = 1.0 - (1.0 - (self.discount or 0.0) / 100.0) / (1.0 - book)
        precision = self.env["decimal.precision"]
        digits = precision.precision_get("Product Price")
        price = float_round(self.price_unit * (1.0 - book), precision_digits=digits)
        return {
            "price_unit": price,
            "channel_price_fixed": self._channel_price_negotiated(price, digits),
            "discount": float_round(
                max(own, 0.0) * 100.0,
                precision_digits=precision.precision_get("Discount"),
            ),
        }
