# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

# The job states in which a job has not run yet.
WAITING_JOB_STATES = ("wait_dependencies", "pending", "enqueued")


def uninstall_hook(env):
    """Without this addon nothing would raise the tickets still queued:
    raise them now as the confirmation does, and cancel their jobs."""
    orders = env["sale.order"].sudo().search([("commissioning_queued", "=", True)])
    if orders:
        orders._commissioning_raise_tickets()
    env["queue.job"].sudo().search(
        [
            ("model_name", "=", "sale.order"),
            ("method_name", "=", "_commissioning_tickets_job"),
            ("state", "in", WAITING_JOB_STATES),
        ]
    ).button_cancelled()
