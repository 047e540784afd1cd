# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def uninstall_hook(env):
    """Leave a database in which standard sales and invoicing go on: the
    open "invoicing failed" activities become plain to-dos (their type goes
    with the addon), so no alert is lost."""
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
