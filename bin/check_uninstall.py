"""Uninstall channel_distribution from a test database, then check that
standard sales and invoicing still work on the data it leaves behind.

Run by bin/test after the addon's tests: python bin/check_uninstall.py DB PORT.
Exit code 0 when everything worked.
"""

import os
import sys

ODOO_PATH = os.environ.get("ODOO_PATH", "/opt/odoo18")
sys.path.insert(0, ODOO_PATH)
PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import odoo  # noqa: E402
from odoo import SUPERUSER_ID, Command, api  # noqa: E402


def main(db, port):
    odoo.tools.config.parse_config(
        ["--database", db, "--db_host", "127.0.0.1", "--db_port", port,
         "--addons-path", f"{ODOO_PATH}/addons,{PROJECT}",
         "--log-level", "warn"]
    )  # fmt: skip
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        module = env["ir.module.module"].search([("name", "=", "channel_distribution")])
        assert module.state == "installed", module.state
        channel_orders = env["sale.order"].search_count(
            [("distributor_id", "!=", False)]
        )
        module.button_immediate_uninstall()
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        module = env["ir.module.module"].search([("name", "=", "channel_distribution")])
        assert module.state == "uninstalled", module.state
        assert "distributor_id" not in env["sale.order"]._fields
        # Orders made while the addon was installed can still be invoiced.
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
        report = env["sale.report"].search_count([])
        cr.rollback()
    print(
        f"uninstall check: ok ({channel_orders} channel orders left, "
        f"{len(moves)} invoices posted after uninstall, {report} rows in sale.report)"
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
