"""Uninstall the project's addons one by one from a test database, leaves
first and the application last, and check after each that standard sales and
invoicing still work on the data left behind.

Run by bin/test after the addons' tests, in two steps around a run of the
application's own tests on the application alone:

    python bin/check_uninstall.py DB PORT --leaves   all but channel_distribution
    python bin/check_uninstall.py DB PORT --base     then channel_distribution

Without a step, both. Exit code 0 when everything worked.
"""

import ast
import os
import sys

ODOO_PATH = os.environ.get("ODOO_PATH", "/opt/odoo18")
sys.path.insert(0, ODOO_PATH)
PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE = "channel_distribution"

import odoo  # noqa: E402
from odoo import SUPERUSER_ID, Command, api  # noqa: E402


def project_addons():
    """The project's addons, each before the project addons it depends on."""
    depends = {}
    for name in sorted(os.listdir(PROJECT)):
        manifest = os.path.join(PROJECT, name, "__manifest__.py")
        if os.path.isfile(manifest):
            with open(manifest) as f:
                depends[name] = set(ast.literal_eval(f.read())["depends"])
    order = []
    while depends:
        needed = set().union(*depends.values())
        leaves = sorted(name for name in depends if name not in needed)
        assert leaves, f"circular dependencies among {sorted(depends)}"
        for name in leaves:
            order.append(name)
            del depends[name]
    return order


def check_standard_flow(env):
    """A new order and open old ones are confirmed, invoiced and posted."""
    old = env["sale.order"].search(
        [("state", "=", "sale"), ("invoice_status", "=", "to invoice")], limit=3
    )
    customer = env["res.partner"].create({"name": "After uninstall"})
    product = env["product.product"].create(
        {"name": "After uninstall", "type": "service", "list_price": 10.0,
         "invoice_policy": "order"}
    )  # fmt: skip
    order = env["sale.order"].create(
        {"partner_id": customer.id,
         "order_line": [Command.create({"product_id": product.id})]}
    )  # fmt: skip
    order.action_confirm()
    moves = (order | old)._create_invoices()
    moves.action_post()
    assert order.invoice_status == "invoiced", order.invoice_status
    assert all(m.state == "posted" for m in moves)
    env["sale.report"].search_count([])
    env["account.move"].search_count([("move_type", "=", "out_invoice")])
    return len(moves)


def uninstall(db, addon):
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        module = env["ir.module.module"].search([("name", "=", addon)])
        if module.state != "installed":
            return f"{addon}: {module.state or 'unknown'}, skipped"
        module.button_immediate_uninstall()
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        module = env["ir.module.module"].search([("name", "=", addon)])
        assert module.state == "uninstalled", (addon, module.state)
        moves = check_standard_flow(env)
        cr.rollback()
    return f"{addon}: uninstalled, {moves} invoices posted after it"


def main(db, port, step=None):
    odoo.tools.config.parse_config(
        ["--database", db, "--db_host", "127.0.0.1", "--db_port", port,
         "--addons-path", f"{ODOO_PATH}/addons,{PROJECT}",
         "--log-level", "warn"]
    )  # fmt: skip
    for addon in project_addons():
        if (step == "--leaves" and addon == BASE) or (
            step == "--base" and addon != BASE
        ):
            continue
        print(f"uninstall check: {uninstall(db, addon)}")
    if step != "--leaves":
        registry = odoo.modules.registry.Registry(db)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            assert "distributor_id" not in env["sale.order"]._fields
    print(f"uninstall check: ok{f' ({step[2:]})' if step else ''}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
