"""Benchmarks of channel_distribution against standard Odoo on the same data.

Run through bin/bench, which makes a database of its own. Every step runs the
addon's code path and the standard one on identical, freshly generated orders
in the same process and the same transaction (rolled back at the end), and
reports seconds, orders per second, SQL queries per order and the ratio
addon / standard.
"""

import argparse
import json
import os
import platform
import sys
import time
from contextlib import contextmanager

ODOO_PATH = os.environ.get("ODOO_PATH", "/opt/odoo18")
sys.path.insert(0, ODOO_PATH)

import odoo  # noqa: E402
from odoo import SUPERUSER_ID, Command, api  # noqa: E402


class Bench:
    def __init__(self, env, args):
        self.env = env
        self.args = args
        self.results = {"machine": machine_info(), "steps": []}
        self._seq = 0

    # -- measuring ------------------------------------------------------------
    @contextmanager
    def measure(self, label, orders):
        env = self.env
        env.flush_all()
        env.invalidate_all()
        cr = env.cr
        queries = cr.sql_log_count
        start = time.perf_counter()
        box = {}
        yield box
        env.flush_all()
        seconds = time.perf_counter() - start
        queries = cr.sql_log_count - queries
        box.update(
            label=label,
            orders=orders,
            seconds=round(seconds, 3),
            orders_per_s=round(orders / seconds, 1) if seconds else None,
            queries=queries,
            queries_per_order=round(queries / orders, 2) if orders else None,
        )
        print(
            f"  {label:<48} {orders:>6} orders {seconds:8.2f} s "
            f"{box['orders_per_s'] or 0:8.1f} orders/s "
            f"{box['queries_per_order'] or 0:7.2f} queries/order",
            flush=True,
        )

    def record(self, name, addon, standard, extra=None):
        ratio = round(addon["seconds"] / standard["seconds"], 3)
        step = {"step": name, "addon": addon, "standard": standard, "ratio": ratio}
        step.update(extra or {})
        self.results["steps"].append(step)
        print(f"  => {name}: ratio addon/standard = {ratio}", flush=True)
        return step

    # -- data -----------------------------------------------------------------
    def make_channel(self, distributors, customers):
        env = self.env
        self._seq += 1
        tag = f"B{self._seq}"
        Pricelist = env["product.pricelist"]
        books = [
            Pricelist.create(
                {
                    "name": f"{tag} book {pct}%",
                    "item_ids": [
                        Command.create(
                            {
                                "applied_on": "3_global",
                                "compute_price": "percentage",
                                "percent_price": pct,
                            }
                        )
                    ],
                }
            )
            for pct in (10, 20, 30)
        ]
        tiers = env["channel.distributor.tier"].create(
            [
                {"name": f"{tag} tier {i}", "pricelist_id": b.id}
                for i, b in enumerate(books)
            ]
        )
        dists = env["res.partner"].create(
            [
                {
                    "name": f"{tag} Distributor {i}",
                    "is_company": True,
                    "is_distributor": True,
                    "distributor_tier_id": tiers[i % 3].id,
                    "street": f"{i} Channel Street",
                    "city": "Brussels",
                    "email": f"d{i}@{tag.lower()}.example.com",
                }
                for i in range(distributors)
            ]
        )
        per = max(1, customers // distributors)
        ends = env["res.partner"].create(
            [
                {
                    "name": f"{tag} End customer {d}-{c}",
                    "is_company": True,
                    "distributor_id": dist.id,
                    "city": "Ghent",
                    "email": f"c{d}-{c}@{tag.lower()}.example.com",
                }
                for d, dist in enumerate(dists)
                for c in range(per)
            ]
        )
        return dists, ends, per

    def make_products(self, commissioning):
        Product = self.env["product.product"]
        vals = []
        for i, price in enumerate((120.0, 45.0, 300.0)):
            v = {
                "name": f"Bench service {i} {'C' if commissioning else 'P'}",
                "type": "service",
                "invoice_policy": "order",
                "list_price": price,
                "channel_available": True,
            }
            if i == 2 and "commissioning_required" in Product._fields:
                v["commissioning_required"] = commissioning
            vals.append(v)
        return Product.create(vals)

    def order_vals(self, dists, ends, per, products, n, channel):
        vals = []
        for i in range(n):
            d = i % len(dists)
            dist = dists[d]
            lines = [
                Command.create({"product_id": p.id, "product_uom_qty": 1 + (i + k) % 4})
                for k, p in enumerate(products)
            ]
            if channel:
                end = ends[d * per + (i // len(dists)) % per]
                vals.append(
                    {
                        "distributor_id": dist.id,
                        "end_customer_id": end.id,
                        "client_order_ref": f"PO-{i}",
                        "order_line": lines,
                    }
                )
            else:
                vals.append(
                    {
                        "partner_id": dist.id,
                        "pricelist_id": dist.property_product_pricelist.id,
                        "client_order_ref": f"PO-{i}",
                        "order_line": lines,
                    }
                )
        return vals

    def create_orders(self, vals, label):
        with self.measure(f"create {label}", len(vals)) as box:
            orders = self.env["sale.order"].create(vals)
        return orders, box

    # -- steps ----------------------------------------------------------------
    def step_invoicing(self, n):
        print(f"\n[invoicing] {n} confirmed orders, consolidated by distributor")
        a = self.args
        dists, ends, per = self.make_channel(a.distributors, a.end_customers)
        products = self.make_products(commissioning=False)
        channel, create_add = self.create_orders(
            self.order_vals(dists, ends, per, products, n, True), "channel orders"
        )
        standard, create_std = self.create_orders(
            self.order_vals(dists, ends, per, products, n, False), "standard orders"
        )
        self.record(f"create@{n}", create_add, create_std)
        channel.action_confirm()
        standard.action_confirm()
        with self.measure("standard _create_invoices()", n) as std:
            std_moves = standard._create_invoices()
        with self.measure("addon action_create_distributor_invoices()", n) as add:
            channel.action_create_distributor_invoices()
        add_moves = channel.invoice_ids
        return self.record(
            f"invoicing@{n}",
            add,
            std,
            {
                "invoices": {"addon": len(add_moves), "standard": len(std_moves)},
                "lines": {
                    "addon": len(add_moves.invoice_line_ids),
                    "standard": len(std_moves.invoice_line_ids),
                },
            },
        )

    def step_confirmation(self, n):
        print(
            f"\n[confirmation] {n} channel orders with vs without commissioning lines"
        )
        a = self.args
        dists, ends, per = self.make_channel(a.distributors, a.end_customers)
        team = self.env["helpdesk.ticket.team"].create({"name": f"Bench team {n}"})
        self.env.company.commissioning_team_id = team
        with_setup = self.make_products(commissioning=True)
        plain = self.make_products(commissioning=False)
        orders_c, _ = self.create_orders(
            self.order_vals(dists, ends, per, with_setup, n, True),
            "orders w/ commissioning",
        )
        orders_p, _ = self.create_orders(
            self.order_vals(dists, ends, per, plain, n, True),
            "orders w/o commissioning",
        )
        with self.measure("plain action_confirm()", n) as std:
            orders_p.action_confirm()
        with self.measure("action_confirm() with tickets", n) as add:
            orders_c.action_confirm()
        tickets = self.env["helpdesk.ticket"].search_count(
            [("sale_order_ids", "in", orders_c.ids)]
        )
        return self.record(f"confirmation@{n}", add, std, {"tickets": tickets})


def machine_info():
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(
                (line.split(":", 1)[1].strip() for line in f if "model name" in line),
                "",
            )
    except OSError:
        cpu = ""
    return {
        "python": platform.python_version(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "platform": platform.platform(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", required=True)
    parser.add_argument("--db-port", required=True)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--distributors", type=int, default=50)
    parser.add_argument("--end-customers", type=int, default=500)
    parser.add_argument(
        "--growth", type=int, default=0, help="also run at N x this factor (e.g. 10)"
    )
    parser.add_argument("--steps", default="invoicing,confirmation")
    parser.add_argument("--json", default="bench/results/latest.json")
    args = parser.parse_args()

    odoo.tools.config.parse_config(
        [
            "--database", args.database,
            "--db_host", "127.0.0.1",
            "--db_port", str(args.db_port),
            "--addons-path", f"{ODOO_PATH}/addons,{os.getcwd()}",
            "--log-level", "warn",
        ]
    )  # fmt: skip
    registry = odoo.modules.registry.Registry(args.database)
    steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    sizes = [args.orders] + ([args.orders * args.growth] if args.growth else [])
    started = time.perf_counter()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        bench = Bench(env, args)
        bench.results["parameters"] = vars(args)
        for n in sizes:
            for step in steps:
                getattr(bench, f"step_{step}")(n)
        cr.rollback()
    bench.results["total_seconds"] = round(time.perf_counter() - started, 1)
    print_table(bench.results)
    os.makedirs(os.path.dirname(args.json) or ".", exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(bench.results, f, indent=2)
    print(f"\nfigures written to {args.json}")


def print_table(results):
    head = "| step | orders | addon s | standard s | ratio | q/order | std q/order |"
    print("\n" + head)
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for s in results["steps"]:
        a, b = s["addon"], s["standard"]
        print(
            f"| {s['step']} | {a['orders']} | {a['seconds']} | {b['seconds']} | "
            f"{s['ratio']} | {a['queries_per_order']} | {b['queries_per_order']} |"
        )


if __name__ == "__main__":
    main()
