# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Channel Distribution Statements",
    "summary": "The distributor's statement of account (OCA partner "
    "statement: outstanding invoices and credit notes, aging, payments) on "
    "its portal and, once a month, with its consolidated invoice",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/channel-distribution/channel_distribution",
    "author": "channel_distribution authors",
    "maintainers": ["channel-distribution"],
    "license": "AGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": [
        "channel_distribution_invoicing",
        "channel_distribution_portal",
        "partner_statement",
    ],
    "data": [
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
    ],
}
