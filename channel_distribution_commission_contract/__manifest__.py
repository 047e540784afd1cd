# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Channel Distribution Commission for Subscriptions",
    "summary": "Glue: agency subscription periods and prorated changes carry "
    "the distributor's commission into the commission payout",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/channel-distribution/channel_distribution",
    "author": "channel_distribution authors",
    "maintainers": ["channel-distribution"],
    "license": "AGPL-3",
    "auto_install": True,
    "installable": True,
    "depends": [
        "channel_distribution_commission",
        "channel_distribution_contract",
    ],
    "data": [],
}
