# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Channel Distribution Helpdesk",
    "summary": "Commissioning tickets (OCA helpdesk) raised when channel "
    "and direct orders are confirmed",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/channel-distribution/channel_distribution",
    "author": "channel_distribution authors",
    "maintainers": ["channel-distribution"],
    "license": "AGPL-3",
    "installable": True,
    "auto_install": True,
    "uninstall_hook": "uninstall_hook",
    "depends": [
        "channel_distribution",
        "helpdesk_mgmt_sale",
    ],
    "data": [
        "security/channel_distribution_helpdesk_rules.xml",
        "data/commissioning_data.xml",
        "data/commissioning_templates.xml",
        "views/product_template_views.xml",
        "views/product_category_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
    ],
    "demo": [
        "demo/commissioning_demo.xml",
    ],
}
