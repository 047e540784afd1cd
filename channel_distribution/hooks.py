# Copyright 2026 channel_distribution authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

# Records of this addon's data that business documents (orders, invoices)
# may point to: they stay, as ordinary records, when the addon goes.
KEPT_MODELS = [
    "res.partner",
    "res.users",
    "product.product",
    "product.template",
    "product.pricelist",
    "product.pricelist.item",
    "mail.alias",
    "sale.order",
    "sale.order.line",
    "account.move",
]


def uninstall_hook(env):
    """Leave a database in which standard sales and invoicing go on.

    - Partners, products, pricelists and documents created as this
      addon's data are released instead of deleted: invoices and orders refer
      to them.
    """
    env["ir.model.data"].search(
        [("module", "=", "channel_distribution"), ("model", "in", KEPT_MODELS)]
    ).unlink()
