# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Channel Distribution Credit: Subscriptions",
    "summary": "Paid status of channel subscriptions: whether the periods "
    "they billed on consolidated invoices are paid, unpaid or overdue",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/channel-distribution/channel_distribution",
    "author": "channel_distribution authors",
    "maintainers": ["channel-distribution"],
    "license": "AGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": [
        "channel_distribution_credit",
        "channel_distribution_contract",
    ],
    "data": [
        "views/contract_contract_views.xml",
    ],
}
