# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import calendar
import re

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools.misc import format_date

from .common import SubscriptionPortalCase


@tagged("post_install", "-at_install")
class TestSubscriptionPortalCoterm(SubscriptionPortalCase):
    """Distributor A invoiced on the 1st with co-terming on; a subscription
    of 3 seats (80 each at the Gold book) starting on the 15th of next
    month: its first period runs to the end of that month, prorated, and is
    billed in advance by the run on the 1st of that month."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.distributor_a.write(
            {
                "channel_invoicing_period": "monthly",
                "channel_invoicing_monthday": 1,
                "channel_coterm": True,
            }
        )
        today = fields.Date.context_today(cls.distributor_a)
        cls.first_run = today.replace(day=1) + relativedelta(months=1)
        cls.start = cls.first_run.replace(day=15)
        cls.sub = cls._subscribe(
            cls.distributor_a, cls.customer_a, client_order_ref="PO-COTERM-A"
        )

    def test_prorated_first_period_and_next_invoice(self):
        line = self.sub.contract_line_ids
        self.assertEqual(line.channel_coterm_day, 1)
        month_days = calendar.monthrange(self.start.year, self.start.month)[1]
        end = self.start.replace(day=month_days)
        # 3 x 80 x (days from the 15th) / days of the month, rounded once
        days = month_days - 14
        amount = round(3 * 80 * days / month_days + 1e-9, 2)
        self.login(self.portal_dist_a)
        page = self.url_open(f"/my/channel/subscriptions/{self.sub.id}")
        self.assertEqual(page.status_code, 200)
        text = re.sub(r"<[^>]+>", " ", page.text).replace("\xa0", " ")
        text = re.sub(r"\s+", " ", text)
        self.assertIn(
            f"Next Invoice {format_date(self.env, self.first_run)} Next Amount", text
        )
        self.assertIn(f"{amount:,.2f}", text)
        # the next period: the 15th to the end of the month
        self.assertIn(
            f"{format_date(self.env, self.start)} - {format_date(self.env, end)}",
            text,
        )
        # the list shows the same date and amount
        listing = self.url_open("/my/channel/subscriptions")
        row = next(row for row in listing.text.split("<tr")[1:] if "PO-COTERM-A" in row)
        self.assertIn(format_date(self.env, self.first_run), row)
        self.assertIn(f"{amount:,.2f}", row.replace("\xa0", " "))
