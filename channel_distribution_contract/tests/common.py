# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.addons.channel_distribution.tests.common import (
    ChannelCase,
    ChannelPortalCase,
)


def noon(day):
    """Noon of ``day``: a frozen clock on that day in any time zone."""
    return datetime.combine(day, time(12))


class SubscriptionCase(ChannelCase):
    """ChannelCase with recurring products: monthly in advance and monthly
    in arrears, yearly terms renewed automatically, list price 100. Periods
    start on the first of the month before last (``cls.start``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.create_contract_at_sale_order_confirmation = True
        today = fields.Date.today()
        cls.start = today.replace(day=1) - relativedelta(months=2)
        cls.distributor_a.street = "Rue A 1"
        cls.distributor_b.street = "Rue B 1"
        cls.customer_b.street = "Rue CB 1"
        cls.product_monthly = cls._create_recurring_product(
            name="Test Seat Monthly", recurring_invoicing_type="pre-paid"
        )
        cls.product_arrears = cls._create_recurring_product(
            name="Test Usage Arrears", recurring_invoicing_type="post-paid"
        )

    @classmethod
    def _create_recurring_product(cls, **values):
        """A service billed by a subscription: 100 a month, untaxed, for a
        yearly term renewed automatically, no notice; ``values`` override
        these."""
        recurring = {
            "type": "service",
            "invoice_policy": "order",
            "list_price": 100.0,
            "taxes_id": [Command.clear()],
            "is_contract": True,
            "recurring_rule_type": "monthly",
            "recurring_interval": 1,
            "recurrence_interval": "yearly",
            "recurrence_number": 1,
            "is_auto_renew": True,
            "auto_renew_interval": 1,
            "auto_renew_rule_type": "yearly",
            "termination_notice_interval": 0,
            "termination_notice_rule_type": "monthly",
        }
        return cls.env["product.product"].create(dict(recurring, **values))

    @classmethod
    def _create_product_yearly(cls, **values):
        """A yearly licence: 1,200 a year (960 at the Gold book) billed in
        advance, for a yearly term renewed automatically, no notice;
        ``values`` override these."""
        return cls._create_recurring_product(
            **{
                "name": "Test Licence Yearly",
                "list_price": 1200.0,
                "recurring_rule_type": "yearly",
                "recurring_invoicing_type": "pre-paid",
                **values,
            }
        )

    @classmethod
    def _start_subscription(
        cls, distributor, customer, lines=None, start=None, **extra
    ):
        """Confirm a channel order of recurring ``lines`` starting on
        ``start``; return its subscription."""
        start = start or cls.start
        lines = lines or [(cls.product_monthly, 3)]
        vals = cls._order_vals(distributor, customer, lines, **extra)
        for command in vals["order_line"]:
            command[2]["date_start"] = start
        order = cls.env["sale.order"].create(vals)
        order.action_confirm()
        return cls.env["contract.contract"].search(
            [("channel_order_id", "=", order.id)]
        )

    @staticmethod
    def _sections(invoice):
        return invoice.invoice_line_ids.filtered(
            lambda line: line.display_type == "line_section"
        ).sorted(lambda line: (line.sequence, line.id))

    @staticmethod
    def _products(invoice):
        return invoice.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        ).sorted(lambda line: (line.sequence, line.id))

    def _bill(self, distributor, day):
        return self.env["account.move"].browse(distributor.channel_invoice_due(day))


class SubscriptionPortalCase(ChannelPortalCase):
    """ChannelPortalCase with a yearly-term seat (``product_seat``, 100 a
    month in advance, no notice) and ``_subscribe`` to start a subscription
    of 3 seats from this month (``cls.start``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.create_contract_at_sale_order_confirmation = True
        cls.start = fields.Date.today().replace(day=1)
        # billed to them: an invoice address, as SubscriptionCase's
        cls.distributor_a.street = "Rue A 1"
        cls.distributor_b.street = "Rue B 1"
        cls.product_seat = cls.env["product.product"].create(
            {
                "name": "Test Portal Seat",
                "type": "service",
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
                "is_contract": True,
                "recurring_rule_type": "monthly",
                "recurring_invoicing_type": "pre-paid",
                "recurrence_interval": "yearly",
                "termination_notice_interval": 0,
            }
        )

    @classmethod
    def _subscribe(cls, distributor, customer, **extra):
        """Confirm a channel order of 3 seats; return its subscription."""
        order = cls._create_order(
            distributor, customer, [(cls.product_seat, 3)], **extra
        )
        order.order_line.date_start = cls.start
        order.action_confirm()
        return cls.env["contract.contract"].search(
            [("channel_order_id", "=", order.id)]
        )
