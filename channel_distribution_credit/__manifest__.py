# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Channel Distribution Credit",
    "summary": "Distributors' credit limits on portal orders (OCA financial "
    "risk): credit holds, release by a credit manager, subscriptions in the "
    "risk, paid status per channel order",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/channel-distribution/channel_distribution",
    "author": "channel_distribution authors",
    "maintainers": ["channel-distribution"],
    "license": "AGPL-3",
    "installable": True,
    "auto_install": True,
    "post_init_hook": "post_init_hook",
    "depends": [
        "channel_distribution_invoicing",
        "channel_distribution_portal",
        "sale_financial_risk",
    ],
    "data": [
        "security/ir.model.access.csv",
        "data/mail_activity_type_data.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
        "wizards/channel_credit_release_views.xml",
    ],
}
