# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    channel_credit_user_id = fields.Many2one(
        "res.users",
        string="Credit Holds To",
        domain=[("share", "=", False)],
        help="Finance user who gets an activity when a distributor's portal "
        "order is put on credit hold (besides the salesperson); the first "
        "financial risk manager of the company when empty.",
    )
    channel_overdue_hold_days = fields.Integer(
        string="Overdue Hold (Days)",
        help="A distributor with a customer invoice unpaid more than this "
        "many days past its due date cannot submit new portal orders; 0 turns "
        "the hold off. Running subscriptions keep billing.",
    )
    channel_overdue_hold_confirm = fields.Selection(
        [("warn", "Warn"), ("block", "Block")],
        string="Confirming Orders of Overdue Distributors",
        help="What confirming an order of a distributor on overdue hold does "
        "in the backend: warn (a note in the chatter, the default) or block.",
    )
