# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Channel Distribution Subscriptions",
    "summary": "Running channel subscriptions (OCA contract) billed each period "
    "on the distributor's consolidated invoice",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/channel-distribution/channel_distribution",
    "author": "channel_distribution authors",
    "maintainers": ["channel-distribution"],
    "license": "AGPL-3",
    "installable": True,
    # Installs itself where its channel and OCA contract dependencies are;
    # OCA's service dates on invoice lines come with it.
    "auto_install": [
        "channel_distribution_invoicing",
        "channel_distribution_portal",
        "product_contract",
        "contract_sale",
    ],
    "uninstall_hook": "uninstall_hook",
    "depends": [
        "channel_distribution_invoicing",
        "channel_distribution_portal",
        "product_contract",
        "contract_sale",
        "account_invoice_start_end_dates",
    ],
    "data": [
        "data/contract_data.xml",
        "security/ir.model.access.csv",
        "security/channel_distribution_contract_rules.xml",
        "views/contract_contract_views.xml",
        "views/contract_line_views.xml",
        "wizards/channel_contract_quantity_views.xml",
        "views/account_move_views.xml",
        "views/sale_report_views.xml",
        "views/menus.xml",
        "views/portal_templates.xml",
    ],
    "demo": [
        "demo/contract_demo.xml",
    ],
}
