# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Channel Distribution Portal",
    "summary": "Distributor self-service on the portal: end customers and "
    "order entry at the distributor's price book",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/channel-distribution/channel_distribution",
    "author": "channel_distribution authors",
    "maintainers": ["channel-distribution"],
    "license": "AGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": [
        "channel_distribution",
        "portal",
    ],
    "data": [
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
    ],
    "demo": [
        "demo/portal_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "channel_distribution_portal/static/src/js/channel_order_form.js",
            "channel_distribution_portal/static/src/js/channel_quick_customer.js",
        ],
        "web.assets_tests": [
            "channel_distribution_portal/static/tests/tours/**/*",
        ],
    },
}
