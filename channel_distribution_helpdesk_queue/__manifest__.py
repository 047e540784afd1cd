# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Channel Distribution Helpdesk Queue",
    "summary": "Commissioning tickets raised in a queue job (OCA queue_job) "
    "after the confirmation, when the company asks for it",
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
        "channel_distribution_helpdesk",
        "queue_job",
    ],
    "data": [
        "security/ir.model.access.csv",
        "data/queue_job_data.xml",
        "views/res_config_settings_views.xml",
        "views/sale_order_views.xml",
    ],
}
