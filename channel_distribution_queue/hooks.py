# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

CRON = "channel_distribution_invoicing.ir_cron_distributor_invoicing"
INLINE = "model._cron_create_distributor_invoices()"
ENQUEUE = "model._cron_enqueue_distributor_billing()"


def _set_cron_code(env, old, new):
    cron = env.ref(CRON, raise_if_not_found=False)
    if cron and (cron.code or "").strip() == old:
        cron.code = new


def post_init_hook(env):
    """The scheduled distributor billing enqueues one job per distributor
    instead of billing them in the scheduled action itself (left alone if
    someone changed its code)."""
    _set_cron_code(env, INLINE, ENQUEUE)


def uninstall_hook(env):
    """Back to the scheduled action that bills the distributors itself."""
    _set_cron_code(env, ENQUEUE, INLINE)
