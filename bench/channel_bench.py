"""Benchmarks of channel_distribution against standard Odoo on the same data.

Run through bin/bench, which makes a database of its own. Every step runs the
addon's code path and the standard one on identical, freshly generated orders
in the same process and the same transaction (rolled back at the end), and
reports seconds, orders per second, SQL queries per order and the ratio
addon / standard.
"""

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

ODOO_PATH = os.environ.get("ODOO_PATH", "/opt/odoo18")
sys.path.insert(0, ODOO_PATH)

import odoo  # noqa: E402
from odoo import SUPERUSER_ID, Command, api, fields  # noqa: E402


class Bench:
    def __init__(self, env, args):
        self.env = env
        self.args = args
        self.results = {"machine": machine_info(), "steps": []}
        # Names unique across runs (the portal and scheduled steps commit).
        self._seq = int(time.time() * 10) % 10**8
        # Which side of a step is measured first (see run_step).
        self.standard_first = True

    # -- measuring ------------------------------------------------------------
    @contextmanager
    def profiled(self, name, show=True):
        """cProfile the block when --profile is given; print the top entries
        (with ``show``) and keep the stats in NAME.prof next to the JSON file
        (for snakeviz, or to compare the addon's side with the standard's:
        both sides are profiled, the commit-time flush included)."""
        if not self.args.profile:
            yield
            return
        prof = cProfile.Profile()
        prof.enable()
        try:
            yield
        finally:
            prof.disable()
            out = io.StringIO()
            stats = pstats.Stats(prof, stream=out).sort_stats("cumulative")
            if show:
                stats.print_stats(self.args.profile)
                print(out.getvalue(), flush=True)
            folder = os.path.dirname(self.args.json) or "."
            os.makedirs(folder, exist_ok=True)
            stats.dump_stats(os.path.join(folder, f"{name}.prof"))

    @contextmanager
    def measure(self, label, orders):
        env = self.env
        env.flush_all()
        env.invalidate_all()
        # Start each side with the garbage of the previous one collected, so
        # that neither pays for a full collection of the other's objects.
        gc.collect()
        cr = env.cr
        queries = cr.sql_log_count
        start = time.perf_counter()
        box = {}
        yield box
        # What a commit would run: tracking messages, chatter, recomputations.
        cr.flush()
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
        print(f"  => {name}: ratio addon/standard = {ratio}", flush=True)
        return step

    def both(self, addon, standard, orders):
        """Measure both sides of a step, each given as ``(profile name, label,
        call)``: the standard side first unless ``run_step`` says otherwise.
        Return their figures as ``(addon, standard)``; only the addon's
        profile is printed."""

        def run(side, show):
            name, label, call = side
            with self.profiled(name, show=show), self.measure(label, orders) as box:
                call()
            return box

        if self.standard_first:
            std = run(standard, False)
            return run(addon, True), std
        add = run(addon, True)
        return add, run(standard, False)

    def run_step(self, step, n):
        """Run ``step`` at ``n`` orders --repeat times, on fresh orders each
        time, and keep the run with the median ratio (all runs are in the
        JSON, and the spread of the ratios is printed)."""
        runs = []
        for index in range(self.args.repeat):
            # Alternate which side goes first, so that the drift of a long
            # run (a growing transaction, caches, the machine) is not always
            # charged to the same side.
            self.standard_first = index % 2 == 0
            runs.append(getattr(self, f"step_{step}")(n))
        runs.sort(key=lambda run: run["ratio"])
        median = dict(runs[len(runs) // 2])
        if len(runs) > 1:
            median["runs"] = len(runs)
            median["ratios"] = [run["ratio"] for run in runs]
            print(
                f"  => {median['step']}: median ratio {median['ratio']} "
                f"of {len(runs)} runs ({runs[0]['ratio']} to {runs[-1]['ratio']})",
                flush=True,
            )
        self.results["steps"].append(median)

    @staticmethod
    def live(records):
        """The records as a user's action sees them: the data is generated
        with tracking disabled, but the measured calls post their chatter
        messages, tracking and notifications as they do in production."""
        return records.with_context(tracking_disable=False)

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
        self.results["steps"].append(self.record(f"create@{n}", create_add, create_std))
        channel.action_confirm()
        standard.action_confirm()

        add, std = self.both(
            (
                f"invoicing@{n}",
                "addon action_create_distributor_invoices()",
                self.live(channel).action_create_distributor_invoices,
            ),
            (
                f"invoicing-standard@{n}",
                "standard _create_invoices()",
                self.live(standard)._create_invoices,
            ),
            n,
        )
        add_moves = channel.invoice_ids
        std_moves = standard.invoice_ids
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
        operations = self.env["res.users"].create(
            {
                "name": f"Bench operations {n}",
                "login": f"bench-ops-{n}-{self._seq}",
                "email": f"ops{n}@bench.example.com",
                "groups_id": [Command.link(self.env.ref("base.group_user").id)],
            }
        )
        team = self.env["helpdesk.ticket.team"].create(
            {"name": f"Bench team {n}", "user_id": operations.id}
        )
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
        # Warm up both paths on a few orders of their own, so that one-time
        # work (templates compiled, caches filled) lands on neither side.
        for products in (plain, with_setup):
            warm = self.env["sale.order"].create(
                self.order_vals(dists, ends, per, products, 5, True)
            )
            self.live(warm).action_confirm()

        add, std = self.both(
            (
                f"confirmation@{n}",
                "action_confirm() with tickets",
                self.live(orders_c).action_confirm,
            ),
            (
                f"confirmation-plain@{n}",
                "plain action_confirm()",
                self.live(orders_p).action_confirm,
            ),
            n,
        )
        tickets = self.env["helpdesk.ticket"].search_count(
            [("sale_order_ids", "in", orders_c.ids)]
        )
        return self.record(f"confirmation@{n}", add, std, {"tickets": tickets})

    def make_subscription_product(self):
        return self.env["product.product"].create(
            {
                "name": f"Bench seat {self._seq}",
                "type": "service",
                "list_price": 20.0,
                "is_contract": True,
                "recurring_rule_type": "monthly",
                "recurring_invoicing_type": "pre-paid",
            }
        )

    def make_subscriptions(
        self, dists, ends, per, product, n, channel, start, offset=0
    ):
        """``n`` running monthly subscriptions across the distributors, due on
        ``start``: channel ones (billed on the distributors' invoices) or
        plain OCA contracts of the same partners, prices and dates."""
        vals = []
        for i in range(offset, offset + n):
            d = i % len(dists)
            dist = dists[d]
            end = ends[d * per + (i // len(dists)) % per]
            book = dist.property_product_pricelist
            line = {
                "product_id": product.id,
                "name": product.name,
                "quantity": 1 + i % 5,
                "uom_id": product.uom_id.id,
                "price_unit": book._get_product_price(product, 1.0),
                "recurring_rule_type": "monthly",
                "recurring_interval": 1,
                "recurring_invoicing_type": "pre-paid",
                "date_start": start,
                "recurring_next_date": start,
            }
            contract = {
                "name": f"SUB-{'C' if channel else 'S'}-{i}",
                "partner_id": dist.id,
                "invoice_partner_id": dist.id,
                "pricelist_id": book.id,
                "contract_type": "sale",
                "line_recurrence": True,
                "contract_line_ids": [Command.create(line)],
            }
            if channel:
                contract.update(
                    {
                        "distributor_id": dist.id,
                        "end_customer_id": end.id,
                        "financial_role": "distributor",
                        "business_role": "end_customer",
                        "client_order_ref": f"PO-{i}",
                    }
                )
            vals.append(contract)
        return self.env["contract.contract"].create(vals)

    def step_recurring(self, n):
        """One period of ``n`` running subscriptions billed: the distributors'
        consolidated invoices against OCA contract's own recurring invoicing
        (one invoice per contract) on identical data."""
        n = self.args.subscriptions * max(1, n // self.args.orders)
        print(f"\n[recurring] {n} running subscriptions, one period billed")
        a = self.args
        dists, ends, per = self.make_channel(a.distributors, a.end_customers)
        product = self.make_subscription_product()
        start = fields.Date.today().replace(day=1)
        channel = self.make_subscriptions(dists, ends, per, product, n, True, start)
        standard = self.make_subscriptions(dists, ends, per, product, n, False, start)
        # Both sides post their chatter and tracking, as in production.
        SaleOrder = self.live(self.env["sale.order"])

        def bill_channel():
            for dist in dists:
                SaleOrder._channel_bill_subscriptions(dist, start)

        add, std = self.both(
            (
                f"recurring@{n}",
                "addon: subscriptions on distributor invoices",
                bill_channel,
            ),
            (
                f"recurring-standard@{n}",
                "OCA _recurring_create_invoice()",
                lambda: self.live(standard)._recurring_create_invoice(start),
            ),
            n,
        )
        periods = self.env["channel.contract.period"].search(
            [("contract_id", "in", channel.ids)]
        )
        add_moves = periods.move_line_ids.move_id
        std_moves = (
            self.env["account.move.line"]
            .search([("contract_line_id", "in", standard.contract_line_ids.ids)])
            .move_id
        )
        return self.record(
            f"recurring@{n}",
            add,
            std,
            {
                "invoices": {"addon": len(add_moves), "standard": len(std_moves)},
                "periods_billed": len(periods),
                "billed_twice": len(periods) - len(set(periods.contract_line_id.ids)),
            },
        )


# -- portal load (item 5) -------------------------------------------------------
def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_portal_users(env, count, customers_per_user):
    """Distributors with one portal user each, their end customers and the
    channel products; returns what the load generator needs."""
    bench = Bench(env, argparse.Namespace(profile=0, json=""))
    dists, ends, per = bench.make_channel(count, count * customers_per_user)
    products = bench.make_products(commissioning=False)
    portal = env.ref("base.group_portal")
    users = []
    for i, dist in enumerate(dists):
        contact = env["res.partner"].create(
            {
                "name": f"Portal buyer {i}",
                "parent_id": dist.id,
                "email": f"buyer{i}@portal.example.com",
            }
        )
        login = f"bench-portal-{i}-{int(time.time())}"
        password = f"{login}-pass"
        env["res.users"].with_context(no_reset_password=True).create(
            {
                "login": login,
                "password": password,
                "partner_id": contact.id,
                "groups_id": [Command.set([portal.id])],
            }
        )
        users.append(
            {
                "login": login,
                "password": password,
                "end_customer_ids": ends[i * per : (i + 1) * per].ids,
                "product_ids": products.ids,
            }
        )
    return users


def start_server(args, port, logfile):
    command = [
        sys.executable, f"{ODOO_PATH}/odoo-bin",
        "--database", args.database,
        "--db-filter", f"^{args.database}$",
        "--db_host", "127.0.0.1",
        "--db_port", str(args.db_port),
        "--addons-path", f"{ODOO_PATH}/addons,{os.getcwd()}",
        "--workers", str(args.portal_workers),
        "--max-cron-threads", "0",
        "--http-interface", "127.0.0.1",
        "--http-port", str(port),
        "--gevent-port", str(free_port()),
        "--smtp", "127.0.0.1", "--smtp-port", str(free_port()),
        "--log-level", "warn",
        "--logfile", logfile,
    ]  # fmt: skip
    if args.data_dir:
        command += ["--data-dir", args.data_dir]
    server = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"Odoo stopped at start, see {logfile}")
        try:
            with urllib.request.urlopen(f"{url}/web/login", timeout=10) as response:
                if response.status == 200:
                    return server, url
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    stop_server(server)
    raise RuntimeError(f"Odoo did not answer on {url} within 120 s")


def stop_server(server):
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def step_portal(registry, args, results):
    n_users = args.portal_users
    print(
        f"\n[portal] Odoo --workers={args.portal_workers} on loopback, "
        f"{n_users} logged-in distributors, {args.portal_requests} requests each"
    )
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        users = make_portal_users(env, n_users, 10)
        cr.commit()
    folder = os.path.dirname(args.json) or "."
    os.makedirs(folder, exist_ok=True)
    logfile = os.path.abspath(os.path.join(folder, "portal-server.log"))
    server, url = start_server(args, free_port(), logfile)
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".json") as users_file:
            json.dump(users, users_file)
            users_file.flush()
            done = subprocess.run(
                [
                    args.tools_python,
                    "bench/portal_load.py",
                    "--url",
                    url,
                    "--users",
                    users_file.name,
                    "--requests",
                    str(args.portal_requests),
                    "--deadline",
                    str(args.portal_deadline),
                ],  # fmt: skip
                capture_output=True,
                text=True,
                timeout=args.portal_deadline * 3 + 120,
                check=False,
            )
    finally:
        stop_server(server)
    if done.returncode:
        raise RuntimeError(f"portal load failed: {done.stderr[-2000:]}")
    load = json.loads(done.stdout.strip().splitlines()[-1])
    std, add = load["my_orders"], load["order_submit"]
    load["p95_ratio"] = (
        round(add["p95_ms"] / std["p95_ms"], 3)
        if add["p95_ms"] and std["p95_ms"]
        else None
    )
    load["workers"] = args.portal_workers
    results["portal"] = load
    for row in (std, add):
        print(
            f"  {row['scenario']:<14} {row['requests']:>5} requests "
            f"p50 {row['p50_ms']} ms  p95 {row['p95_ms']} ms  "
            f"{row['rps']} req/s  {row['errors']} errors",
            flush=True,
        )
        for sample in row["error_samples"]:
            print(f"    error: {sample}")
    print(f"  => portal: p95 submission / p95 /my/orders = {load['p95_ratio']}")
    return load


# -- scheduled billing (item 4) ---------------------------------------------------
def make_scheduled_orders(registry, args, n, subscriptions=0):
    """A channel of its own with ``n`` confirmed resale orders and
    ``subscriptions`` running subscriptions with a period due (when the
    subscriptions addon is installed), committed in chunks, its distributors
    due for the scheduled job today. Returns (order ids, contract ids)."""
    chunk = 500
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        bench = Bench(env, argparse.Namespace(profile=0, json=""))
        dists, ends, per = bench.make_channel(args.distributors, args.end_customers)
        products = bench.make_products(commissioning=False)
        env.company.write(
            {"channel_invoice_auto_post": True, "channel_invoice_auto_send": False}
        )
        cr.commit()
        order_ids = []
        vals = bench.order_vals(dists, ends, per, products, n, True)
        for start in range(0, n, chunk):
            orders = env["sale.order"].create(vals[start : start + chunk])
            orders.action_confirm()
            order_ids += orders.ids
            cr.commit()
            env.invalidate_all()
        contract_ids = []
        if subscriptions and "channel.contract.period" in env:
            product = bench.make_subscription_product()
            today = fields.Date.context_today(dists)
            for start in range(0, subscriptions, chunk):
                size = min(chunk, subscriptions - start)
                contracts = bench.make_subscriptions(
                    dists, ends, per, product, size, True, today, offset=start
                )
                contract_ids += contracts.ids
                cr.commit()
                env.invalidate_all()
        dists.write(
            {
                "channel_invoicing_period": "monthly",
                "channel_invoicing_next_date": fields.Date.context_today(dists),
            }
        )
        cr.commit()
    return order_ids, contract_ids


def run_job(args, kill_after=None):
    """Run the scheduled job in a process of its own until it has nothing
    left; with ``kill_after``, SIGKILL it in the middle of the batch after
    that many. Returns the batch times (seconds) and whether it was killed."""
    command = [
        sys.executable, os.path.abspath(__file__),
        "--database", args.database,
        "--db-port", str(args.db_port),
        "--run-scheduled-job",
    ]  # fmt: skip
    if args.data_dir:
        command += ["--data-dir", args.data_dir]
    job = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    batches, killed = [], False
    for line in job.stdout:
        if not line.startswith("{"):
            continue
        batches.append(json.loads(line)["seconds"])
        if kill_after and len(batches) >= kill_after:
            # Half-way through the next batch: a crash with a batch open.
            time.sleep(max(0.05, sum(batches) / len(batches) / 2))
            job.kill()
            killed = True
            break
    job.wait()
    if job.returncode and not killed:
        raise RuntimeError(f"scheduled job failed with exit code {job.returncode}")
    return batches, killed


def scheduled_job_main(args):
    """--run-scheduled-job: the job as the cron runs it, one batch (one
    distributor, committed) per call, printing each batch's time."""
    registry = odoo.modules.registry.Registry(args.database)
    while True:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            start = time.perf_counter()
            done = env["sale.order"]._cron_create_distributor_invoices(batch_limit=1)
            cr.commit()
            seconds = time.perf_counter() - start
        if not done:
            return
        print(json.dumps({"seconds": round(seconds, 3)}), flush=True)


def count_errors(registry, order_ids):
    """Orders invoiced twice and orders missed by the job."""
    with registry.cursor() as cr:
        cr.execute(
            """
            SELECT count(DISTINCT line.order_id) FROM sale_order_line line
             WHERE line.order_id = ANY(%s) AND line.display_type IS NULL
               AND (line.qty_invoiced > line.product_uom_qty
                    OR (SELECT count(*)
                          FROM sale_order_line_invoice_rel rel
                          JOIN account_move_line aml ON aml.id = rel.invoice_line_id
                          JOIN account_move move ON move.id = aml.move_id
                         WHERE rel.order_line_id = line.id
                           AND move.state != 'cancel') > 1)
            """,
            [order_ids],
        )
        twice = cr.fetchone()[0]
        cr.execute(
            """
            SELECT count(*) FROM sale_order
             WHERE id = ANY(%s) AND state = 'sale'
               AND invoice_status = 'to invoice'
            """,
            [order_ids],
        )
        missed = cr.fetchone()[0]
        cr.execute(
            """
            SELECT count(DISTINCT move.id) FROM account_move move
              JOIN account_move_line aml ON aml.move_id = move.id
              JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = aml.id
              JOIN sale_order_line line ON line.id = rel.order_line_id
             WHERE line.order_id = ANY(%s)
            """,
            [order_ids],
        )
        invoices = cr.fetchone()[0]
    return {"invoiced_twice": twice, "missed": missed, "invoices": invoices}


def count_period_errors(registry, contract_ids):
    """Subscription periods billed twice (a period on more than one invoice
    line that is not cancelled) and missed (a running line still due today,
    or a period written without its invoice line)."""
    if not contract_ids:
        return {}
    with registry.cursor() as cr:
        cr.execute(
            """
            SELECT count(*) FROM (
                SELECT period.id FROM channel_contract_period period
                  JOIN account_move_line aml ON aml.channel_period_id = period.id
                  JOIN account_move move ON move.id = aml.move_id
                 WHERE period.contract_id = ANY(%s) AND move.state != 'cancel'
                 GROUP BY period.id HAVING count(*) > 1) twice
            """,
            [contract_ids],
        )
        twice = cr.fetchone()[0]
        cr.execute(
            """
            SELECT count(*) FROM contract_line line
             WHERE line.contract_id = ANY(%s) AND NOT line.is_canceled
               AND line.display_type IS NULL
               AND line.recurring_next_date <= CURRENT_DATE
            """,
            [contract_ids],
        )
        missed = cr.fetchone()[0]
        cr.execute(
            """
            SELECT count(*) FROM channel_contract_period period
             WHERE period.contract_id = ANY(%s)
               AND NOT EXISTS (SELECT 1 FROM account_move_line aml
                                WHERE aml.channel_period_id = period.id)
            """,
            [contract_ids],
        )
        missed += cr.fetchone()[0]
        cr.execute(
            "SELECT count(*) FROM channel_contract_period WHERE contract_id = ANY(%s)",
            [contract_ids],
        )
        periods = cr.fetchone()[0]
    return {"periods_billed": periods, "periods_twice": twice, "periods_missed": missed}


def step_scheduled(registry, args, results):
    n = args.scheduled_orders
    subs = args.scheduled_subscriptions
    print(
        f"\n[scheduled] {n} confirmed resale orders and {subs} running "
        "subscriptions through the scheduled job"
    )
    out = {"orders": n, "subscriptions": subs, "distributors": args.distributors}
    started = time.perf_counter()
    order_ids, contract_ids = make_scheduled_orders(registry, args, n, subs)
    print(
        f"  {n} orders, {len(contract_ids)} subscriptions made in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    batches, __ = run_job(args)
    out["run"] = {
        "batches": len(batches),
        "longest_batch_s": max(batches, default=0),
        "total_s": round(sum(batches), 3),
        **count_errors(registry, order_ids),
        **count_period_errors(registry, contract_ids),
    }
    print(f"  uninterrupted: {out['run']}", flush=True)
    order_ids, contract_ids = make_scheduled_orders(registry, args, n, subs)
    first, killed = run_job(args, kill_after=max(1, args.distributors // 2))
    second, __ = run_job(args)
    out["killed_run"] = {
        "killed": killed,
        "batches_before_kill": len(first),
        "batches_after_restart": len(second),
        "longest_batch_s": max(first + second, default=0),
        "total_s": round(sum(first + second), 3),
        **count_errors(registry, order_ids),
        **count_period_errors(registry, contract_ids),
    }
    print(f"  killed and restarted: {out['killed_run']}", flush=True)
    results["scheduled"] = out
    return out


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
    parser.add_argument(
        "--steps",
        default="invoicing,confirmation,recurring,scheduled,portal",
        help="comma-separated",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run the invoicing and confirmation steps this many times on "
        "fresh orders and keep the median ratio",
    )
    parser.add_argument("--json", default="bench/results/latest.json")
    parser.add_argument("--data-dir", default="", help="Odoo's data dir (filestore)")
    parser.add_argument("--portal-users", type=int, default=10)
    parser.add_argument("--portal-requests", type=int, default=20, help="per user")
    parser.add_argument("--portal-deadline", type=float, default=180.0)
    parser.add_argument("--portal-workers", type=int, default=2)
    parser.add_argument("--tools-python", default=".venv-tools/bin/python")
    parser.add_argument("--scheduled-orders", type=int, default=10000)
    parser.add_argument(
        "--scheduled-subscriptions",
        type=int,
        default=10000,
        help="running subscriptions with a period due in the scheduled step "
        "(when the subscriptions addon is installed)",
    )
    parser.add_argument(
        "--subscriptions",
        type=int,
        default=1000,
        help="running subscriptions of the recurring step (x --growth too)",
    )
    parser.add_argument("--run-scheduled-job", action="store_true", help="internal")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="TOP",
        help="cProfile the addon side of each step, print the TOP entries",
    )
    args = parser.parse_args()

    odoo.tools.config.parse_config(
        [
            "--database", args.database,
            "--db_host", "127.0.0.1",
            "--db_port", str(args.db_port),
            "--addons-path", f"{ODOO_PATH}/addons,{os.getcwd()}",
            "--log-level", "warn",
        ]
        + (["--data-dir", args.data_dir] if args.data_dir else [])
    )  # fmt: skip
    if args.run_scheduled_job:
        scheduled_job_main(args)
        return
    registry = odoo.modules.registry.Registry(args.database)
    steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    # Steps that commit or run their own processes, once, after the others.
    separate = [s for s in steps if s in ("scheduled", "portal")]
    steps = [s for s in steps if s not in separate]
    sizes = [args.orders] + ([args.orders * args.growth] if args.growth else [])
    started = time.perf_counter()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        bench = Bench(env, args)
        bench.results["parameters"] = vars(args)
        for n in sizes:
            for step in steps:
                bench.run_step(step, n)
        cr.rollback()
    for step in separate:
        globals()[f"step_{step}"](registry, args, bench.results)
    bench.results["total_seconds"] = round(time.perf_counter() - started, 1)
    print_table(bench.results)
    os.makedirs(os.path.dirname(args.json) or ".", exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(bench.results, f, indent=2)
    print(f"\nfigures written to {args.json}")


def print_table(results):
    scheduled = results.get("scheduled")
    if scheduled:
        print(
            f"\n| scheduled job, {scheduled['orders']} orders | batches | "
            "longest batch s | total s | invoices | invoiced twice | missed |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for key, label in (("run", "uninterrupted"), ("killed_run", "killed, rerun")):
            r = scheduled[key]
            count = r.get("batches") or (
                f"{r['batches_before_kill']} + {r['batches_after_restart']}"
            )
            print(
                f"| {label} | {count} | {r['longest_batch_s']} | {r['total_s']} | "
                f"{r['invoices']} | {r['invoiced_twice']} | {r['missed']} |"
            )
        if scheduled.get("subscriptions"):
            print(
                f"\n| scheduled job, {scheduled['subscriptions']} subscriptions | "
                "periods billed | billed twice | missed |"
            )
            print("| --- | ---: | ---: | ---: |")
            for key, label in (
                ("run", "uninterrupted"),
                ("killed_run", "killed, rerun"),
            ):
                r = scheduled[key]
                print(
                    f"| {label} | {r.get('periods_billed')} | "
                    f"{r.get('periods_twice')} | {r.get('periods_missed')} |"
                )
    portal = results.get("portal")
    if portal:
        title = f"portal ({portal['users']} users, workers={portal['workers']})"
        print(f"\n| {title} | requests | p50 ms | p95 ms | req/s | errors |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for key in ("my_orders", "order_submit"):
            r = portal[key]
            print(
                f"| {key} | {r['requests']} | {r['p50_ms']} | {r['p95_ms']} | "
                f"{r['rps']} | {r['errors']} |"
            )
        print(f"| p95 ratio submission / my_orders | | | {portal['p95_ratio']} | | |")
    head = "| step | orders | addon s | standard s | ratio | q/order | std q/order |"
    print("\n" + head)
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for s in results["steps"]:
        a, b = s["addon"], s["standard"]
        ratio = s["ratio"]
        if s.get("ratios"):
            low, high = min(s["ratios"]), max(s["ratios"])
            ratio = f"{ratio} (median of {s['runs']}: {low}-{high})"
        print(
            f"| {s['step']} | {a['orders']} | {a['seconds']} | {b['seconds']} | "
            f"{ratio} | {a['queries_per_order']} | {b['queries_per_order']} |"
        )


if __name__ == "__main__":
    main()
