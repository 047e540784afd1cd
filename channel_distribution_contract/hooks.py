# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

# Records of this addon's data that business documents (orders, invoices,
# subscriptions) point to: they stay, as ordinary records, when it goes.
KEPT_MODELS = [
    "res.partner",
    "product.product",
    "product.template",
    "sale.order",
    "sale.order.line",
]


def uninstall_hook(env):
    """Partners, products and orders created as this addon's data are
    released instead of deleted: invoices and subscriptions refer to them."""
    env["ir.model.data"].search(
        [("module", "=", "channel_distribution_contract"), ("model", "in", KEPT_MODELS)]
    ).unlink()
