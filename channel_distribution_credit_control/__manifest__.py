# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Channel Distribution Credit Control",
    "summary": "Dunning of distributors on OCA credit control: a Distributors "
    "policy (7, 21, 45 days), reminders naming the orders and end customers "
    "of a consolidated invoice, what is overdue on the distributor's portal",
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
        "account_credit_control",
    ],
    "data": [
        "data/credit_control_policy_data.xml",
        "views/res_config_settings_views.xml",
        "views/res_partner_views.xml",
        "views/portal_templates.xml",
        "report/report_credit_control_summary.xml",
    ],
}
