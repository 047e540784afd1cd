# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

# Records of this addon's data that tickets and products may point to: they
# stay, as ordinary records, when the addon goes.
KEPT_MODELS = [
    "helpdesk.ticket.team",
    "helpdesk.ticket.category",
    "mail.alias",
]


def uninstall_hook(env):
    """Leave a database in which sales, invoicing and helpdesk go on.

    - The commissioning activity types are removed with the addon: their open
      activities become plain to-dos, so no alert is lost.
    - The helpdesk team and category created as this addon's demo data are
      released instead of deleted: tickets refer to them.
    """
    types = env["mail.activity.type"]
    for xmlid in (
        "mail_activity_commissioning",
        "mail_activity_commissioning_exception",
    ):
        types |= (
            env.ref(f"channel_distribution_helpdesk.{xmlid}", raise_if_not_found=False)
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
    env["ir.model.data"].search(
        [
            ("module", "=", "channel_distribution_helpdesk"),
            ("model", "in", KEPT_MODELS),
        ]
    ).unlink()
