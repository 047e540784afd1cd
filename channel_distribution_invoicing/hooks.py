# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def uninstall_hook(env):
    """Leave a database in which standard sales and invoicing go on: the
    open "invoicing failed" activities become plain to-dos (their type goes
    with the addon), so no alert is lost; the channel analysis opens on the
    confirmed orders again (its invoiced rows go with the addon)."""
    action = env.ref(
        "channel_distribution.action_channel_sale_report", raise_if_not_found=False
    )
    if action:
        action.context = (
            "{'search_default_Sales': 1, 'search_default_group_distributor': 1, "
            "'pivot_measures': ['price_subtotal', 'channel_commission']}"
        )
    activity_type = env.ref(
        "channel_distribution_invoicing.mail_activity_channel_invoicing_failed",
        raise_if_not_found=False,
    )
    if not activity_type:
        return
    activities = (
        env["mail.activity"]
        .with_context(active_test=False)
        .search([("activity_type_id", "=", activity_type.id)])
    )
    todo = env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
    if todo:
        activities.write({"activity_type_id": todo.id})
    else:
        activities.unlink()
