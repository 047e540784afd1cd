# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Channel Distribution",
    "summary": "Sell through distributors: end customers, invoiced and served "
    "parties, price books per distributor, commission",
    "version": "18.0.2.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/channel-distribution/channel_distribution",
    "author": "channel_distribution authors",
    "maintainers": ["channel-distribution"],
    "license": "AGPL-3",
    "application": True,
    "installable": True,
    "uninstall_hook": "uninstall_hook",
    "depends": [
        "sale_management",
        "account",
        "portal",
    ],
    "data": [
        "security/channel_distribution_groups.xml",
        "security/ir.model.access.csv",
        "security/channel_distribution_rules.xml",
        "views/channel_distributor_tier_views.xml",
        "views/product_pricelist_views.xml",
        "views/product_template_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/sale_report_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
        "views/portal_templates.xml",
        "report/sale_order_templates.xml",
    ],
    "demo": [
        "demo/channel_demo.xml",
        "demo/channel_order_demo.xml",
    ],
}
