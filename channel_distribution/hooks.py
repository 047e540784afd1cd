# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def uninstall_hook(env):
    """Keep the commissioning alerts when the addon goes: its activity types
    are removed with it, so their open activities become plain to-dos."""
    types = env["mail.activity.type"]
    for xmlid in (
        "mail_activity_commissioning",
        "mail_activity_commissioning_exception",
    ):
        types |= (
            env.ref(f"channel_distribution.{xmlid}", raise_if_not_found=False)
            or (env["mail.activity.type"])
        )
    todo = env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
    activities = (
        env["mail.activity"]
        .with_context(active_test=False)
        .search([("activity_type_id", "in", types.ids)])
    )
    if todo:
        activities.write({"activity_type_id": todo.id})
    else:
        activities.unlink()
