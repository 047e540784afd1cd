# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Channel Distribution Invoicing",
    "summary": "Consolidated distributor invoicing: one invoice per distributor, "
    "a section per order, its schedule and job, end customers on invoice lines",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/channel-distribution/channel_distribution",
    "author": "channel_distribution authors",
    "maintainers": ["channel-distribution"],
    "license": "AGPL-3",
    "auto_install": True,
    "installable": True,
    "uninstall_hook": "uninstall_hook",
    "depends": [
        "channel_distribution",
        "account",
    ],
    "data": [
        "security/channel_distribution_invoicing_rules.xml",
        "data/invoicing_data.xml",
        "views/account_move_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/sale_order_views.xml",
        "views/sale_report_views.xml",
        "report/account_move_templates.xml",
    ],
    "demo": [
        "demo/invoicing_demo.xml",
    ],
}
