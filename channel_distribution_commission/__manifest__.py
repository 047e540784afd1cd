# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Channel Distribution Commission",
    "summary": "Agency commission paid out to distributors: the price-book "
    "difference settled on paid invoices, billed by the distributor or "
    "credited to it, clawed back on refunds (on OCA commissions)",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/channel-distribution/channel_distribution",
    "author": "channel_distribution authors",
    "maintainers": ["channel-distribution"],
    "license": "AGPL-3",
    "auto_install": ["channel_distribution_invoicing"],
    "installable": True,
    "depends": [
        "channel_distribution_invoicing",
        "account_commission_oca",
    ],
    "data": [
        "data/commission_data.xml",
        "views/res_partner_views.xml",
        "views/portal_templates.xml",
    ],
}
