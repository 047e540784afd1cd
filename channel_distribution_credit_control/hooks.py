# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def post_init_hook(env):
    """The Distributors policy runs on the receivable accounts: those of the
    charts installed now (a company set up later adds its own on the
    policy, as on every OCA credit control policy)."""
    policy = env.ref(
        "channel_distribution_credit_control.credit_policy_distributors",
        raise_if_not_found=False,
    )
    if not policy or policy.account_ids:
        return
    accounts = (
        env["account.account"]
        .sudo()
        .with_context(active_test=False)
        .search([("account_type", "=", "asset_receivable"), ("deprecated", "=", False)])
    )
    policy.sudo().account_ids = [(6, 0, accounts.ids)]
