# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Channel Distribution Queue",
    "summary": "Scheduled distributor billing spread over job workers (OCA "
    "queue_job): one job per distributor and day on a channel of its own",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/channel-distribution/channel_distribution",
    "author": "channel_distribution authors",
    "maintainers": ["channel-distribution"],
    "license": "AGPL-3",
    "installable": True,
    "auto_install": True,
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
    "depends": [
        "channel_distribution_invoicing",
        "queue_job",
    ],
    "data": [
        "security/ir.model.access.csv",
        "data/queue_job_data.xml",
    ],
}
