"""Benchmarks of channel_distribution against plain Odoo on the same data.

Run through bin/bench, which makes two databases in a PostgreSQL cluster of
its own: the product's (every project addon, no demo data) and plain Odoo's
(only the Odoo modules the product extends, see PLAIN_MODULES in bin/bench;
no project addon and no OCA addon the product pulls in).

Each measured step is run on up to three sides, each in a process and a
transaction of its own (rolled back), after a VACUUM ANALYZE of its database:

- ``product``: the product's path on the product's database;
- ``plain``: the standard path on plain Odoo's database;
- ``same``: the standard path on the product's database (for the recurring
  step: OCA contract's own invoicing, a different question).

The settlement step's plain side runs on a third database, plain Odoo's with
OCA's commission addons (COMMISSION_MODULES in bin/bench), never the
product's: OCA's own settlement of the same paid invoice lines with a plain
percentage commission.

Every side generates the same data (same names, counts and shapes; the data
is a function of the order's index, nothing random) and warms its path up on
a few orders of its own before the measured call. The side measured first
alternates from one repeat to the next. The script prints seconds, orders per
second, SQL queries per order, the ratio to plain Odoo and, where measured,
the ratio to the standard path on the same database.
"""

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import psycopg2
import psycopg2.errors
from werkzeug.datastructures import MultiDict
from werkzeug.test import Client

ODOO_PATH = os.environ.get("ODOO_PATH", "/opt/odoo18")
sys.path.insert(0, ODOO_PATH)

import odoo  # noqa: E402
from odoo import SUPERUSER_ID, Command, api, fields  # noqa: E402

# Orders (or subscriptions) each side runs its path on, unmeasured, before
# the measured call: the process is new, so one-time work (templates
# compiled, caches filled) would otherwise land on the measured call.
WARM_UP = 5

# The measured steps: which figures of which side make a row of the table.
# A row is (name, figure, measured side, same-database side, plain side).
# REFERENCE names what the same-database side is when it is not the standard
# path of plain Odoo's modules.
STEPS = {
    "invoicing": (
        "orders",
        [
            ("create", "create", "product", "same", "plain"),
            ("invoicing", "invoice", "product", "same", "plain"),
            ("direct-invoicing", "invoice", "same", None, "plain"),
        ],
    ),
    "one-invoice": (
        "orders",
        [
            ("one-invoice", "invoice", "product", "same", "plain"),
            ("one-invoice-direct", "invoice", "same", None, "plain"),
        ],
    ),
    "confirmation": (
        "orders",
        [
            ("confirmation", "confirm", "product", "same", "plain"),
            # The company's "Raise Commissioning Tickets in the Background"
            # on: the confirmation, then the queue job that raises the
            # tickets after the commit, each a row of its own.
            ("confirmation-background", "confirm", "background", None, "plain"),
            # The job's figure against the plain side's confirmation.
            (
                "confirmation-background-job",
                ("job", "confirm"),
                "background",
                None,
                "plain",
            ),
        ],
    ),
    "recurring": (
        "subscriptions",
        [("recurring", "bill", "product", "same", None)],
    ),
    "settlement": (
        "lines",
        [("settlement", "settle", "product", None, "plain")],
    ),
}
# The plain side of these steps runs on a database of its own (the option
# naming it), not on plain Odoo's of the other steps.
PLAIN_DATABASE = {"settlement": "commission_database"}
REFERENCE = {
    "recurring": "vs OCA contract's own invoicing, same DB",
    "confirmation-background-job": "the job after the commit, vs the plain confirm",
}
# Steps that commit or run servers of their own: run once, after the others,
# on the product's database only (plain Odoo has no equivalent).
SEPARATE = ("scheduled", "portal", "portal-credit", "portal-replay", "scale")
RESULT = "BENCH-RESULT "


class Bench:
    def __init__(self, env, args):
        self.env = env
        self.args = args
        # Names unique across runs (the portal and scheduled steps commit);
        # the measured steps get theirs from the main process, the same on
        # every side.
        self._seq = getattr(args, "seq", 0) or int(time.time() * 10) % 10**8
        # True while warming up: nothing printed or kept.
        self.silent = False
        self.figures = {}

    # -- measuring ------------------------------------------------------------
    @contextmanager
    def profiled(self, name, show=True):
        """cProfile the block when --profile is given; print the top entries
        (with ``show``) and keep the stats in NAME.prof next to the JSON file
        (for snakeviz, or to compare the product's side with plain Odoo's:
        every side is profiled, the commit-time flush included)."""
        if not self.args.profile or self.silent:
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
    def measure(self, key, label, orders):
        """Measure the block as figure ``key`` of this side (not while
        warming up)."""
        env = self.env
        env.flush_all()
        env.invalidate_all()
        gc.collect()
        cr = env.cr
        queries = cr.sql_log_count
        start = time.perf_counter()
        cpu = time.process_time()
        box = {}
        name = f"{self.args.worker_step}-{key}-{self.args.worker_side}@{orders}"
        show = self.args.worker_side == "product"
        with self.profiled(name, show=show):
            yield box
            # What a commit would run: tracking messages, chatter,
            # recomputations.
            cr.flush()
            env.flush_all()
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu
        queries = cr.sql_log_count - queries
        if self.silent:
            return
        box.update(
            label=label,
            orders=orders,
            seconds=round(seconds, 3),
            # The Odoo process's own CPU time (PostgreSQL's not included):
            # less sensitive than the wall time to the other processes of a
            # shared machine.
            cpu_seconds=round(cpu, 3),
            orders_per_s=round(orders / seconds, 1) if seconds else None,
            queries=queries,
            queries_per_order=round(queries / orders, 2) if orders else None,
            # The machine's load (1-minute average) at the end of the call:
            # the machine is shared, the figures are only as good as it.
            load=round(os.getloadavg()[0], 2),
        )
        self.figures[key] = box
        print(
            f"  {self.args.worker_side:<7} {label:<46} {orders:>6} "
            f"{STEPS[self.args.worker_step][0]} "
            f"{seconds:8.2f} s (CPU {cpu:.2f} s) {box['orders_per_s'] or 0:8.1f}/s "
            f"{box['queries_per_order'] or 0:7.2f} queries each, load {box['load']}",
            flush=True,
        )

    def run(self, step, side, n):
        """Run ``side`` of ``step``: warm its path up on a few orders, then
        measure it on ``n``. Returns the figures of the measured run."""
        call = getattr(self, f"step_{step.replace('-', '_')}")
        call(side, n)
        return self.figures

    def warm_then_measure(self, make, measured):
        """``make(count)`` generates the data of a run, ``measured(data,
        count)`` runs the path on it: first silently on WARM_UP orders, then
        measured on the step's size."""
        self.silent = True
        measured(make(WARM_UP), WARM_UP)
        self.silent = False
        n = self.args.worker_size
        return measured(make(n), n)

    @staticmethod
    def live(records):
        """The records as a user's action sees them: the data is generated
        with tracking disabled, but the measured calls post their chatter
        messages, tracking and notifications as they do in production."""
        return records.with_context(tracking_disable=False)

    # -- data -----------------------------------------------------------------
    @staticmethod
    def known(model, vals):
        """``vals`` without the fields ``model`` does not have: the same
        data on plain Odoo's database, less what only the product adds."""
        return {k: v for k, v in vals.items() if k in model._fields}

    def make_channel(self, distributors, customers):
        """Distributors on three price books and their end customers; on
        plain Odoo's database the same partners, each with its book as its
        pricelist, and the end customers without a distributor."""
        env = self.env
        self._seq += 1
        tag = f"B{self._seq}"
        Pricelist = env["product.pricelist"]
        Partner = env["res.partner"]
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
        tiered = "channel.distributor.tier" in env
        if tiered:
            tiers = env["channel.distributor.tier"].create(
                [
                    {"name": f"{tag} tier {i}", "pricelist_id": b.id}
                    for i, b in enumerate(books)
                ]
            )
        dists = Partner.create(
            [
                self.known(
                    Partner,
                    {
                        "name": f"{tag} Distributor {i}",
                        "is_company": True,
                        "is_distributor": True,
                        "street": f"{i} Channel Street",
                        "city": "Brussels",
                        "email": f"d{i}@{tag.lower()}.example.com",
                    }
                    | (
                        {"distributor_tier_id": tiers[i % 3].id}
                        if tiered
                        else {"property_product_pricelist": books[i % 3].id}
                    ),
                )
                for i in range(distributors)
            ]
        )
        per = max(1, customers // distributors)
        ends = Partner.create(
            [
                self.known(
                    Partner,
                    {
                        "name": f"{tag} End customer {d}-{c}",
                        "is_company": True,
                        "distributor_id": dist.id,
                        "city": "Ghent",
                        "email": f"c{d}-{c}@{tag.lower()}.example.com",
                    },
                )
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
            if i == 2:
                v["commissioning_required"] = commissioning
            vals.append(self.known(Product, v))
        return Product.create(vals)

    def order_vals(self, dists, ends, per, products, n, channel, offset=0):
        vals = []
        for i in range(offset, offset + n):
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

    # -- steps: one side each, in the worker process ----------------------------
    def _invoicing(self, side, distributors, customers, what):
        """Create and confirm orders, then invoice them: the product's
        channel orders through the distributor invoicing, or standard orders
        (same partners, lines and prices) through ``_create_invoices()``."""
        channel = side == "product"
        dists, ends, per = self.make_channel(distributors, customers)
        products = self.make_products(commissioning=False)
        offset = [0]

        def make(count):
            vals = self.order_vals(
                dists, ends, per, products, count, channel, offset[0]
            )
            offset[0] += count
            label = "channel orders" if channel else "standard orders"
            with self.measure("create", f"create {label}", count):
                orders = self.env["sale.order"].create(vals)
            orders.action_confirm()
            return orders

        def invoice(orders, count):
            if channel:
                label = f"action_create_distributor_invoices() {what}"
                call = self.live(orders).action_create_distributor_invoices
            else:
                label = f"_create_invoices() {what}"
                call = self.live(orders)._create_invoices
            with self.measure("invoice", label, count) as box:
                call()
            moves = orders.invoice_ids
            box.update(invoices=len(moves), lines=len(moves.invoice_line_ids))

        self.warm_then_measure(make, invoice)

    def step_invoicing(self, side, n):
        """Consolidated invoicing: ``n`` orders across the distributors."""
        a = self.args
        self._invoicing(side, a.distributors, a.end_customers, "by partner")

    def step_one_invoice(self, side, n):
        """One distributor (or, standard, one customer) with ``n`` orders on
        one invoice."""
        a = self.args
        per = max(1, a.end_customers // a.distributors)
        self._invoicing(side, 1, per, "one partner")

    def step_confirmation(self, side, n):
        """Confirmation: the product's channel orders with commissioning
        lines (tickets, followers, activities), the same orders without
        commissioning lines on the same database, and a plain confirmation
        of standard orders on plain Odoo's. The background side: the
        product's orders with the company's "Raise Commissioning Tickets in
        the Background" on, the confirmation measured, then the queue job
        it enqueued, run as a job worker runs it."""
        a = self.args
        dists, ends, per = self.make_channel(a.distributors, a.end_customers)
        commissioning = side in ("product", "background")
        if side == "background":
            if "commissioning_tickets_background" not in self.env.company._fields:
                raise SystemExit(
                    "error: the background side needs "
                    "channel_distribution_helpdesk_queue (and queue_job)"
                )
            self.env.company.commissioning_tickets_background = True
        if commissioning:
            operations = self.env["res.users"].create(
                {
                    "name": f"Bench operations {self._seq}",
                    "login": f"bench-ops-{self._seq}",
                    "email": f"ops{self._seq}@bench.example.com",
                    "groups_id": [Command.link(self.env.ref("base.group_user").id)],
                }
            )
            team = self.env["helpdesk.ticket.team"].create(
                {"name": f"Bench team {self._seq}", "user_id": operations.id}
            )
            self.env.company.commissioning_team_id = team
        products = self.make_products(commissioning=commissioning)
        offset = [0]

        def make(count):
            vals = self.order_vals(
                dists, ends, per, products, count, side != "plain", offset[0]
            )
            offset[0] += count
            return self.env["sale.order"].create(vals)

        def confirm(orders, count):
            label = {
                "product": "action_confirm() with tickets",
                "background": "action_confirm(), tickets queued",
                "same": "action_confirm(), channel orders, no tickets",
                "plain": "action_confirm(), standard orders",
            }[side]
            with self.measure("confirm", label, count) as box:
                self.live(orders).action_confirm()
            if commissioning:
                box["tickets"] = self.env["helpdesk.ticket"].search_count(
                    [("sale_order_ids", "in", orders.ids)]
                )
            if side == "background":
                self.run_commissioning_jobs(orders, count, box)

        self.warm_then_measure(make, confirm)

    def run_commissioning_jobs(self, orders, count, confirm_box):
        """Run the commissioning jobs the confirmation of ``orders``
        enqueued as a queue_job worker does (loaded, started, performed,
        done), measured as the figure ``job``."""
        from odoo.addons.queue_job.job import Job

        records = self.env["queue.job"].search(
            [
                ("model_name", "=", "sale.order"),
                ("method_name", "=", "_commissioning_tickets_job"),
                ("state", "=", "pending"),
            ]
        )
        confirm_box["jobs"] = len(records)
        uuids = records.mapped("uuid")
        # A job worker's environment: an empty context (the bench's data
        # context disables tracking) plus the job's stored keys.
        worker_env = self.env(context={})
        with self.measure("job", "queue job raising the tickets", count) as box:
            for uuid in uuids:
                job = Job.load(worker_env, uuid)
                job.set_started()
                job.store()
                result = job.perform()
                job.set_done(result=result)
                job.store()
        box["jobs"] = len(uuids)
        box["tickets"] = self.env["helpdesk.ticket"].search_count(
            [("sale_order_ids", "in", orders.ids)]
        )

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

    def step_recurring(self, side, n):
        """One period of ``n`` running subscriptions billed: the product's
        consolidated invoices of the distributors, or (``same``) OCA
        contract's own recurring invoicing of the same subscriptions as plain
        contracts, one invoice per contract, on the product's database."""
        a = self.args
        dists, ends, per = self.make_channel(a.distributors, a.end_customers)
        product = self.make_subscription_product()
        start = fields.Date.today().replace(day=1)
        channel = side == "product"
        offset = [0]
        SaleOrder = self.live(self.env["sale.order"])

        def make(count):
            subs = self.make_subscriptions(
                dists, ends, per, product, count, channel, start, offset[0]
            )
            offset[0] += count
            return subs

        def bill(subs, count):
            if channel:
                label = "subscriptions on distributor invoices"
                with self.measure("bill", label, count) as box:
                    for dist in dists:
                        SaleOrder._channel_bill_subscriptions(dist, start)
                periods = self.env["channel.contract.period"].search(
                    [("contract_id", "in", subs.ids)]
                )
                box.update(
                    invoices=len(periods.move_line_ids.move_id),
                    periods_billed=len(periods),
                    billed_twice=len(periods) - len(set(periods.contract_line_id.ids)),
                )
                return
            label = "OCA contract _recurring_create_invoice()"
            with self.measure("bill", label, count) as box:
                self.live(subs)._recurring_create_invoice(start)
            box["invoices"] = len(
                self.env["account.move.line"]
                .search([("contract_line_id", "in", subs.contract_line_ids.ids)])
                .move_id
            )

        self.warm_then_measure(make, bill)

    # -- settlement (issue 22) ------------------------------------------------
    def _settlement_invoices(self, orders, day):
        """Invoice the orders, date the invoices in the month before the
        settlement day, post and pay them in full."""
        invoices = orders._create_invoices()
        start = fields.Date.subtract(day, months=1)
        for index, invoice in enumerate(invoices):
            invoice.invoice_date = fields.Date.add(start, days=index % 28)
        invoices.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoices.ids
        ).create({"payment_date": fields.Date.subtract(day, days=1)})._create_payments()
        return invoices

    def step_settlement(self, side, n):
        """A month of ``n`` paid agency invoice lines across the
        distributors settled and billed: the product's
        ``channel_settle_commissions()`` (channel commission, one bill per
        distributor), or, on a database of plain Odoo with OCA's commission
        addons, OCA's ``commission.make.settle`` and ``make_invoices()`` of
        the same lines (end customers with their distributor as agent, a
        plain percentage commission paid on paid invoices)."""
        a = self.args
        env = self.env
        dists, ends, per = self.make_channel(a.distributors, a.end_customers)
        products = self.make_products(commissioning=False)
        channel = side == "product"
        day = fields.Date.start_of(fields.Date.context_today(dists), "month")
        if channel:
            dists.write(
                {
                    "channel_commission_paid": True,
                    "channel_commission_payout": "in_invoice",
                    "settlement": "monthly",
                }
            )
        else:
            percentage = env["commission"].create(
                {
                    "name": f"Bench {self._seq} 20 %",
                    "commission_type": "fixed",
                    "fix_qty": 20.0,
                    "invoice_state": "paid",
                }
            )
            dists.write(
                {
                    "agent": True,
                    "commission_id": percentage.id,
                    "settlement": "monthly",
                }
            )
            for d, dist in enumerate(dists):
                ends[d * per : (d + 1) * per].agent_ids = dist
            commission_product = env["product.product"].create(
                {"name": f"Bench commission {self._seq}", "type": "service"}
            )
            journal = env["account.journal"].search(
                [("type", "=", "purchase"), ("company_id", "=", env.company.id)],
                limit=1,
            )
        offset = [0]

        def make(count):
            """Orders of ``count`` lines in all (three products an order),
            invoiced, posted and paid: agency orders of the end customers
            through their distributors, or standard orders of the same end
            customers."""
            orders = -(-count // len(products))
            vals = self.order_vals(dists, ends, per, products, orders, True, offset[0])
            offset[0] += orders
            for v in vals:
                if channel:
                    v["financial_role"] = "end_customer"
                else:
                    v["partner_id"] = v.pop("end_customer_id")
                    del v["distributor_id"]
                v["order_line"] = v["order_line"][:count]
                count -= len(v["order_line"])
            orders = env["sale.order"].create(vals)
            orders.action_confirm()
            return self._settlement_invoices(orders, day)

        def settle(invoices, count):
            agent_lines = invoices.invoice_line_ids.agent_ids
            if channel:
                label = "channel_settle_commissions()"
                with self.measure("settle", label, count) as box:
                    bills = env["account.move"].browse(
                        self.live(dists).channel_settle_commissions(day)
                    )
            else:
                label = "commission.make.settle + make_invoices()"
                with self.measure("settle", label, count) as box:
                    self.live(env["commission.make.settle"]).create(
                        {
                            "date_to": day,
                            "agent_ids": [Command.set(dists.ids)],
                            "settlement_type": "sale_invoice",
                        }
                    ).action_settle()
                    settlements = env["commission.settlement"].search(
                        [("agent_id", "in", dists.ids), ("state", "=", "settled")]
                    )
                    bills = settlements.make_invoices(
                        journal, commission_product, date=day
                    )
            if self.silent:
                return
            agent_lines.invalidate_recordset()
            box.update(
                invoices=len(invoices),
                lines=len(invoices.invoice_line_ids),
                agent_lines=len(agent_lines),
                settled=len(agent_lines.filtered("settled")),
                bills=len(bills),
                commission=round(sum(agent_lines.mapped("amount")), 2),
                billed=round(sum(bills.mapped("amount_untaxed")), 2),
            )
            print(
                f"  {side:<7} {box['agent_lines']} agent lines, "
                f"{box['settled']} settled, {box['bills']} bills of "
                f"{box['billed']} (commission {box['commission']})",
                flush=True,
            )

        self.warm_then_measure(make, settle)


# -- the measured steps: a process per side, the table ---------------------------
def worker_main(args):
    """--worker-step: one side of one step in this process, in one
    transaction rolled back at the end; prints its figures as JSON."""
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        figures = Bench(env, args).run(
            args.worker_step, args.worker_side, args.worker_size
        )
        cr.rollback()
    print(RESULT + json.dumps(figures), flush=True)


def vacuum_analyze(args, database):
    """VACUUM ANALYZE the database (the dead rows of the previous, rolled
    back, side gone; the planner's statistics fresh)."""
    start = time.perf_counter()
    conn = psycopg2.connect(host="127.0.0.1", port=args.db_port, dbname=database)
    try:
        conn.autocommit = True
        with conn.cursor() as cr:
            cr.execute("VACUUM ANALYZE")
    finally:
        conn.close()
    return time.perf_counter() - start


def run_side(args, step, side, n, seq):
    """One side of a step in a process of its own, after a VACUUM ANALYZE of
    its database; its output is passed through, its figures returned."""
    database = args.database
    if side == "plain":
        database = getattr(args, PLAIN_DATABASE.get(step, "plain_database"))
    if not database:
        raise SystemExit(f"error: the {step} step needs plain Odoo's database")
    vacuum_analyze(args, database)
    command = [
        sys.executable, os.path.abspath(__file__), *sys.argv[1:],
        "--database", database,
        "--worker-step", step,
        "--worker-side", side,
        "--worker-size", str(n),
        "--seq", str(seq),
    ]  # fmt: skip
    worker = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    figures = None
    for line in worker.stdout:
        if line.startswith(RESULT):
            figures = json.loads(line[len(RESULT) :])
        else:
            print(line, end="", flush=True)
    if worker.wait() or figures is None:
        raise RuntimeError(
            f"{step}, {side} side, failed (exit code {worker.returncode})"
        )
    return figures


def ratio(a, b, key="seconds"):
    return round(a[key] / b[key], 3) if a and b and b.get(key) and key in a else None


def make_rows(step, n, sides):
    """The rows of one run of ``step`` from the figures of its sides."""
    unit, rows = STEPS[step]
    out = []
    for name, key, measured, same, plain in rows:
        # A figure of the measured side, against the same figure of the
        # reference sides or (a pair) against another one of theirs.
        key, reference_key = key if isinstance(key, tuple) else (key, key)
        add = sides[measured][key]
        row = {"step": f"{name}@{n}", "unit": unit, "size": n, "addon": add}
        if name in REFERENCE:
            row["reference"] = REFERENCE[name]
        if plain:
            row["plain"] = sides[plain][reference_key]
            row["ratio_plain"] = ratio(add, row["plain"])
            row["cpu_ratio_plain"] = ratio(add, row["plain"], "cpu_seconds")
        if same:
            row["same_db"] = sides[same][reference_key]
            row["ratio_same_db"] = ratio(add, row["same_db"])
        # The headline ratio: against plain Odoo where there is one.
        row["ratio"] = row.get("ratio_plain") or row.get("ratio_same_db")
        row["standard"] = row.get("plain") or row.get("same_db")
        out.append(row)
        said = []
        if plain:
            said.append(
                f"vs plain Odoo {row['ratio_plain']} " f"(CPU {row['cpu_ratio_plain']})"
            )
        if same:
            said.append(
                f"{row.get('reference', 'vs the same database')} "
                f"{row['ratio_same_db']}"
            )
        print(f"  => {row['step']}: {', '.join(said)}", flush=True)
    return out


def run_step(args, step, n, seq):
    """Run ``step`` at ``n`` --repeat times, each side in its own process,
    the side measured first alternating from run to run (so that the drift
    of the machine is not always charged to the same side); keep each row's
    run with the median ratio (the spread is printed and in the JSON)."""
    __, rows = STEPS[step]
    sides = [
        s
        for s in ("plain", "same", "product", "background")
        if any(s in r for r in rows)
    ]
    runs = []
    for index in range(args.repeat):
        order = sides if index % 2 == 0 else sides[::-1]
        print(f"\n[{step}] {n}, run {index + 1} of {args.repeat}: {', '.join(order)}")
        figures = {side: run_side(args, step, side, n, seq + index) for side in order}
        runs.append(make_rows(step, n, figures))
    kept = []
    for column in zip(*runs, strict=True):
        column = sorted(column, key=lambda row: row["ratio"] or 0)
        median = dict(column[len(column) // 2])
        if len(column) > 1:
            median["runs"] = len(column)
            median["ratios"] = [row["ratio"] for row in column]
            median["cpu_ratios"] = sorted(
                row["cpu_ratio_plain"] for row in column if row.get("cpu_ratio_plain")
            )
            print(
                f"  => {median['step']}: median ratio {median['ratio']} of "
                f"{len(column)} runs ({column[0]['ratio']} to {column[-1]['ratio']})"
                + (
                    f", CPU ratios {median['cpu_ratios']}"
                    if median["cpu_ratios"]
                    else ""
                ),
                flush=True,
            )
        kept.append(median)
    return kept


def step_sizes(args, step):
    if step == "one-invoice":
        return [int(s) for s in str(args.one_invoice_orders).split(",") if s.strip()]
    base = {
        "recurring": args.subscriptions,
        "confirmation": args.confirmation_orders or args.orders,
        "settlement": args.settlement_lines,
    }.get(step, args.orders)
    return [base] + ([base * args.growth] if args.growth else [])


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


def start_server(
    args, port, logfile, database=None, workers=None, environ=None, extra=()
):
    """Odoo on loopback (``--portal-workers`` workers, the product's
    database, unless given); with ``environ`` (the scale step) in a session
    of its own, stopped with ``stop_server_group``."""
    database = database or args.database
    command = [
        sys.executable, f"{ODOO_PATH}/odoo-bin",
        "--database", database,
        "--db-filter", f"^{database}$",
        "--db_host", "127.0.0.1",
        "--db_port", str(args.db_port),
        "--addons-path", f"{ODOO_PATH}/addons,{os.getcwd()}",
        "--workers", str(workers or args.portal_workers),
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
    command += list(extra)
    if environ is None:
        server = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    else:
        server = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, env=environ, start_new_session=True
        )
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
    if environ is None:
        stop_server(server)
    else:
        stop_server_group(server)
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
    load = run_portal_load(args, users, "portal")
    results["portal"] = load
    print_portal_load(load, "portal")
    return load


def run_portal_load(args, users, name, concurrency=0):
    """Odoo with ``--portal-workers`` on loopback, the load generator's two
    scenarios against it (see bench/portal_load.py): the figures, with the
    p95 ratio of the submission to /my/orders and the machine's load. With
    ``concurrency``, at most that many users have a request under way."""
    folder = os.path.dirname(args.json) or "."
    os.makedirs(folder, exist_ok=True)
    logfile = os.path.abspath(os.path.join(folder, f"{name}-server.log"))
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
                    "--concurrency",
                    str(concurrency),
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
    load["load"] = round(os.getloadavg()[0], 2)
    return load


def print_portal_load(load, name):
    std, add = load["my_orders"], load["order_submit"]
    for row in (std, add):
        print(
            f"  {row['scenario']:<14} {row['requests']:>5} requests "
            f"p50 {row['p50_ms']} ms  p95 {row['p95_ms']} ms  "
            f"{row['rps']} req/s  {row['errors']} errors",
            flush=True,
        )
        for sample in row["error_samples"]:
            print(f"    error: {sample}")
    print(
        f"  => {name}: p95 submission / p95 /my/orders = {load['p95_ratio']} "
        f"(machine load {load['load']} on {os.cpu_count()} cores)"
    )


# -- portal orders with credit checks (issue 23) ----------------------------------
def make_credit_portal_users(env, args):
    """The portal step's distributors and users, each with open consolidated
    invoices (channel orders invoiced through the distributor invoicing,
    posted, unpaid, not yet due) and a credit limit that OCA's risk check
    reads (open invoices and confirmed orders included): the limit leaves
    ``--portal-credit-margin`` above what each distributor owes, so that its
    first submissions are confirmed and the later ones held. Portal orders
    are confirmed at once (*Confirm Distributor Orders*) and the overdue
    hold is on (``--portal-credit-overdue-days``), so that every submission
    runs both checks. Returns the users and the distributors' ids."""
    company = env.company
    if "channel_credit_hold" not in env["sale.order"]._fields:
        raise RuntimeError("portal-credit: channel_distribution_credit not installed")
    users = make_portal_users(env, args.portal_credit_users, 10)
    bench = Bench(env, argparse.Namespace(profile=0, json=""))
    Partner = env["res.partner"]
    end_ids = [i for user in users for i in user["end_customer_ids"][:1]]
    ends = Partner.browse(end_ids)
    dists = ends.distributor_id
    products = Partner.env["product.product"].browse(users[0]["product_ids"])
    per_dist = args.portal_credit_invoice_orders
    orders = env["sale.order"].create(
        bench.order_vals(dists, ends, 1, products, len(dists) * per_dist, True)
    )
    orders.action_confirm()
    orders.action_create_distributor_invoices()
    moves = orders.invoice_ids
    moves.filtered(lambda m: m.state == "draft").action_post()
    unpaid = moves.filtered(lambda m: m.payment_state != "not_paid")
    if unpaid or len(moves.partner_id.commercial_partner_id) != len(dists):
        raise RuntimeError("portal-credit: the open invoices were not made")
    for dist in dists:
        dist.write(
            {
                "risk_invoice_open_include": True,
                "risk_invoice_unpaid_include": True,
                "risk_sale_order_include": True,
                "credit_policy": "Bench: open invoices and orders",
            }
        )
        dist.credit_limit = dist.risk_total + args.portal_credit_margin
    company.write(
        {
            "channel_portal_confirm": True,
            "channel_overdue_hold_days": args.portal_credit_overdue_days,
            "allow_overrisk_sale_confirmation": False,
        }
    )
    return users, dists.ids, len(moves)


def step_portal_credit(registry, args, results):
    n_users = args.portal_credit_users
    print(
        f"\n[portal-credit] Odoo --workers={args.portal_workers} on loopback, "
        f"{n_users} logged-in distributors with open invoices and a credit "
        f"limit, {args.portal_requests} requests each, "
        f"{args.portal_credit_concurrency or n_users} at a time"
    )
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        saved = env.company.read(
            [
                "channel_portal_confirm",
                "channel_overdue_hold_days",
                "allow_overrisk_sale_confirmation",
            ]
        )[0]
        saved.pop("id")
        users, dist_ids, invoices = make_credit_portal_users(env, args)
        cr.commit()
    try:
        load = run_portal_load(
            args, users, "portal-credit", args.portal_credit_concurrency
        )
    finally:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env.company.write(saved)
            cr.commit()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        submitted = env["sale.order"].search(
            [("distributor_id", "in", dist_ids), ("channel_source", "=", "portal")]
        )
        load["open_invoices"] = invoices
        load["orders_confirmed"] = len(submitted.filtered(lambda o: o.state == "sale"))
        load["orders_held"] = len(submitted.filtered("channel_credit_hold"))
    load["target_p95_ratio"] = 2.0
    results["portal-credit"] = load
    print_portal_load(load, "portal-credit")
    print(
        f"  {invoices} open invoices; submitted orders: "
        f"{load['orders_confirmed']} confirmed, {load['orders_held']} on credit hold"
    )
    return load


# -- portal submissions replayed in process (issue 23) ----------------------------
class PortalReplay:
    """One logged-in portal user's requests sent to Odoo's WSGI application
    in this process (no server, no other request under way): each request's
    SQL queries (Odoo's own count of the request), the process's CPU time and
    the wall time."""

    def __init__(self, user, profile=None):
        self.user = user
        self.client = Client(odoo.http.root)
        self.profile = profile

    def call(self, method, path, data=None, profiled=False):
        thread = threading.current_thread()
        cpu = time.process_time()
        start = time.perf_counter()
        if profiled and self.profile:
            self.profile.enable()
        try:
            response = self.client.open(
                path,
                method=method,
                data=data,
                base_url="http://127.0.0.1:8069",
                environ_base={"REMOTE_ADDR": "127.0.0.1"},
            )
            body = response.get_data(as_text=True)
        finally:
            if profiled and self.profile:
                self.profile.disable()
        figures = {
            "queries": getattr(thread, "query_count", 0),
            "cpu_ms": (time.process_time() - cpu) * 1000,
            "wall_ms": (time.perf_counter() - start) * 1000,
        }
        return response, body, figures

    def login(self):
        response, body, _ = self.call("GET", "/web/login")
        token = re.search(r'name="csrf_token"\s+value="([^"]+)"', body)
        response, _, _ = self.call(
            "POST",
            "/web/login",
            {
                "login": self.user["login"],
                "password": self.user["password"],
                "csrf_token": token.group(1) if token else "",
                "redirect": "/my",
            },
        )
        location = response.headers.get("location", "")
        if response.status_code != 303 or "/web/login" in location:
            raise RuntimeError(f"portal-replay: login failed for {self.user['login']}")

    def submit(self, i, profiled=False):
        """The load generator's submission (bench/portal_load.py): the form
        (GET), then its POST, whose answer is a 303 to the order (not
        followed, as the load generator does not)."""
        response, body, form = self.call("GET", "/my/channel/orders/new")
        csrf = re.search(r'name="csrf_token"\s+value="([^"]+)"', body)
        token = re.search(r'name="token"\s+value="([^"]+)"', body)
        if response.status_code != 200 or not csrf or not token:
            raise RuntimeError(f"portal-replay: order form HTTP {response.status_code}")
        customers, products = self.user["end_customer_ids"], self.user["product_ids"]
        data = MultiDict(
            [
                ("csrf_token", csrf.group(1)),
                ("token", token.group(1)),
                ("end_customer_id", str(customers[i % len(customers)])),
                ("client_order_ref", f"REPLAY-{self.user['login']}-{i}"),
                ("note", "Portal load test"),
            ]
            + [
                pair
                for k, product in enumerate(products)
                for pair in (
                    ("product_id", str(product)),
                    ("quantity", str(1 + (i + k) % 4)),
                )
            ]
        )
        response, _, post = self.call(
            "POST", "/my/channel/orders/new", data, profiled=profiled
        )
        location = response.headers.get("location", "")
        if response.status_code != 303 or not re.search(r"/my/orders/\d+", location):
            raise RuntimeError(
                f"portal-replay: submission HTTP {response.status_code} {location}"
            )
        return form, post


def replay_figures(rows):
    """Median and p95 of each figure of the requests ``rows``."""
    out = {}
    for key in ("queries", "cpu_ms", "wall_ms"):
        values = sorted(row[key] for row in rows)
        out[key] = {
            "median": round(statistics.median(values), 1),
            "p95": round(values[min(len(values) - 1, int(len(values) * 0.95))], 1),
            "min": round(values[0], 1),
        }
    return out


def step_portal_replay(registry, args, results):
    """The portal-credit step's submissions (its data and settings) sent to
    Odoo's WSGI application in this process, one at a time: what one
    submission costs Odoo (queries, CPU), without the load's waiting. The
    first submission of each user is a warm-up (not counted)."""
    n_users = args.portal_credit_users
    print(
        f"\n[portal-replay] {n_users} distributors of the portal-credit step, "
        f"{args.portal_requests} submissions each, in process"
    )
    odoo.tools.config["dbfilter"] = f"^{re.escape(args.database)}$"
    odoo.service.server.load_server_wide_modules()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        saved = env.company.read(
            [
                "channel_portal_confirm",
                "channel_overdue_hold_days",
                "allow_overrisk_sale_confirmation",
            ]
        )[0]
        saved.pop("id")
        users, dist_ids, invoices = make_credit_portal_users(env, args)
        cr.commit()
    profile = cProfile.Profile() if args.profile else None
    forms, posts, pages = [], [], []
    try:
        for user in users:
            replay = PortalReplay(user, profile)
            replay.login()
            replay.call("GET", "/my/orders")  # warm-up
            replay.submit(args.portal_requests)  # warm-up
            for i in range(args.portal_requests):
                form, post = replay.submit(i, profiled=True)
                forms.append(form)
                posts.append(post)
                # the reference of the load steps, for the same user
                pages.append(replay.call("GET", "/my/orders")[2])
    finally:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env.company.write(saved)
            cr.commit()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        submitted = env["sale.order"].search(
            [("distributor_id", "in", dist_ids), ("channel_source", "=", "portal")]
        )
        confirmed = len(submitted.filtered(lambda o: o.state == "sale"))
        held = len(submitted.filtered("channel_credit_hold"))
    replay = {
        "users": n_users,
        "submissions": len(posts),
        "form": replay_figures(forms),
        "submission": replay_figures(posts),
        "my_orders": replay_figures(pages),
        "orders_confirmed": confirmed,
        "orders_held": held,
        "open_invoices": invoices,
        "load": round(os.getloadavg()[0], 2),
    }
    results["portal-replay"] = replay
    for key, label in (
        ("my_orders", "GET /my/orders"),
        ("form", "GET /my/channel/orders/new"),
        ("submission", "POST /my/channel/orders/new"),
    ):
        f = replay[key]
        print(
            f"  {label:<30} queries {f['queries']['median']} (p95 "
            f"{f['queries']['p95']})  CPU {f['cpu_ms']['median']} ms (p95 "
            f"{f['cpu_ms']['p95']})  wall {f['wall_ms']['median']} ms (p95 "
            f"{f['wall_ms']['p95']}), medians of {len(posts)} (CPU min "
            f"{f['cpu_ms']['min']})"
        )
    print(
        f"  orders (warm-ups included): {confirmed} confirmed, {held} on credit "
        f"hold; machine load {replay['load']}"
    )
    if profile:
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).sort_stats("cumulative")
        stats.print_stats(args.profile)
        print(out.getvalue(), flush=True)
        folder = os.path.dirname(args.json) or "."
        os.makedirs(folder, exist_ok=True)
        stats.dump_stats(os.path.join(folder, "portal-replay.prof"))
    return replay


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


# -- scheduled billing on several workers (issue 26, part 2) -----------------------
# The states of a billing job still to run or running (channel_distribution_queue's
# LIVE_JOB_STATES).
SCALE_LIVE = ("wait_dependencies", "pending", "enqueued", "started")
SCALE_JOB = "_channel_billing_job"
# queue_job's request that runs one job, as the Odoo worker logs it (werkzeug at
# INFO) with Odoo's performance figures after it: queries, SQL s, other s.
RUNJOB_LOG = re.compile(
    r'"GET /queue_job/runjob\?db=[^&\s]+&job_uuid=([\w-]+) HTTP/[\d.]+" '
    r"(\d{3}) \S+ (\d+|-) "
)


class SqlRegistry:
    """What ``count_errors`` and ``count_period_errors`` need of a registry
    (a cursor), on a database the bench process loads no Odoo registry of."""

    def __init__(self, args, database):
        self.args = args
        self.database = database

    @contextmanager
    def cursor(self):
        conn = pg_connect(self.args, self.database)
        try:
            with conn.cursor() as cr:
                yield cr
        finally:
            conn.close()


def pg_connect(args, database="postgres", autocommit=True):
    conn = psycopg2.connect(host="127.0.0.1", port=args.db_port, dbname=database)
    conn.autocommit = autocommit
    return conn


def forget_database(database):
    """Close the bench process's connections to ``database`` and drop its
    registry (before the database is copied or dropped)."""
    odoo.modules.registry.Registry.delete(database)
    odoo.sql_db.close_db(database)


def copy_database(args, template, name):
    """``createdb -T template name``, with the template's filestore: every
    run starts from the same committed data."""
    odoo.sql_db.close_db(template)
    conn = pg_connect(args)
    try:
        with conn.cursor() as cr:
            for attempt in range(60):
                try:
                    cr.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                    break
                except psycopg2.errors.ObjectInUse:
                    # an autovacuum worker, or a connection closing
                    if attempt == 59:
                        raise
                    time.sleep(1)
    finally:
        conn.close()
    source = odoo.tools.config.filestore(template)
    if os.path.isdir(source):
        shutil.copytree(source, odoo.tools.config.filestore(name))


def drop_database(args, name):
    forget_database(name)
    conn = pg_connect(args)
    try:
        with conn.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        conn.close()
    shutil.rmtree(odoo.tools.config.filestore(name), ignore_errors=True)


def stop_server_group(server):
    """Stop the server and every process of its session (its HTTP workers,
    the job runner, the gevent process): SIGTERM, then SIGKILL."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            server.poll()
            try:
                os.killpg(server.pid, 0)
            except ProcessLookupError:
                server.wait()
                return
            time.sleep(0.2)
    server.wait()


def wait_for_log(server, logfile, text, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"Odoo stopped, see {logfile}")
        with open(logfile, errors="replace") as f:
            if text in f.read():
                return
        time.sleep(0.5)
    raise RuntimeError(f"no '{text}' in {logfile} within {timeout} s")


def make_scale_data(args, database, subscriptions, orders):
    """Generate the step's data on ``database`` and commit it: a channel of
    ``--scale-distributors`` distributors due today, ``orders`` confirmed
    resale orders and ``subscriptions`` running subscriptions with a period
    due today, spread over them (the scheduled step's generator: batches of
    create, confirmed in batches). Returns (order ids, contract ids,
    distributor ids)."""
    registry = odoo.modules.registry.Registry(database)
    if "channel.contract.period" not in registry:
        raise RuntimeError("scale: channel_distribution_contract not installed")
    if "queue.job" not in registry:
        raise RuntimeError("scale: channel_distribution_queue not installed")
    data = argparse.Namespace(
        distributors=args.scale_distributors,
        end_customers=max(args.end_customers, args.scale_distributors),
    )
    order_ids, contract_ids = make_scheduled_orders(
        registry, data, orders, subscriptions
    )
    with registry.cursor() as cr:
        # A sales journal already numbering this year, as a vendor's is: the
        # first invoice of a sequence period is named while still a draft,
        # and two jobs posting the very first invoice at once collide on its
        # number (account_move_unique_name): the second one runs again, which
        # would add its retry's delay to the step's time (see the README).
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        customer = env["res.partner"].create({"name": "Scale: earlier customer"})
        env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_line_ids": [
                    Command.create({"name": "Earlier sale", "price_unit": 10.0})
                ],
            }
        ).action_post()
        cr.commit()
        cr.execute(
            """
            SELECT distributor_id FROM sale_order WHERE id = ANY(%s)
             UNION
            SELECT distributor_id FROM contract_contract WHERE id = ANY(%s)
            """,
            [order_ids, contract_ids],
        )
        dist_ids = sorted(row[0] for row in cr.fetchall())
    forget_database(database)
    vacuum_analyze(args, database)
    return order_ids, contract_ids, dist_ids


def kill_billing_worker(args, cr, server, registry):
    """SIGKILL the Odoo worker running a billing job, half-way through an
    average job; once its PostgreSQL connection is gone (its transaction
    rolled back), requeue its job as the README says (*Requeue*, the
    ``requeue()`` of the Jobs view). Returns what was done, or None when no
    job has run long enough yet."""
    cr.execute(
        """
        SELECT avg(extract(epoch FROM date_done - date_started)) FROM queue_job
         WHERE method_name = %s AND state = 'done'
        """,
        [SCALE_JOB],
    )
    average = float(cr.fetchone()[0] or 0)
    cr.execute(
        """
        SELECT uuid, worker_pid,
               extract(epoch FROM (now() AT TIME ZONE 'UTC') - date_started)
          FROM queue_job
         WHERE method_name = %s AND state = 'started' AND worker_pid IS NOT NULL
         ORDER BY date_started LIMIT 1
        """,
        [SCALE_JOB],
    )
    row = cr.fetchone()
    if not row or float(row[2]) < average / 2:
        return None
    uuid, pid = row[0], row[1]
    try:
        with open(f"/proc/{pid}/stat") as f:
            parent = int(f.read().rsplit(")", 1)[1].split()[1])
    except OSError:
        return None
    if parent != server.pid:
        return None  # not a worker of this server (a respawned pid?)
    os.kill(pid, signal.SIGKILL)
    killed_at = time.perf_counter()
    # PostgreSQL rolls the job's transaction back when the connection goes;
    # until then the distributor is still locked by the dead transaction.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        cr.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
            [f"odoo-{pid}"],
        )
        if not cr.fetchone()[0]:
            break
        time.sleep(0.2)
    else:
        raise RuntimeError(f"the killed worker {pid} still has a connection")
    with registry.cursor() as rcr:
        env = api.Environment(rcr, SUPERUSER_ID, {})
        jobs = env["queue.job"].search(
            [("state", "=", "started"), ("worker_pid", "=", pid)]
        )
        jobs.requeue()
        rcr.commit()
        requeued = len(jobs)
    print(
        f"    killed worker {pid} (SIGKILL) {row[2]:.1f} s into job {uuid} "
        f"(average job {average:.1f} s); its connection gone after "
        f"{time.perf_counter() - killed_at:.1f} s; {requeued} started job "
        "requeued",
        flush=True,
    )
    return {"pid": pid, "job_uuid": uuid, "requeued": requeued}


def job_queries(logfile):
    """Queries of the job requests the Odoo workers logged (werkzeug lines
    with Odoo's performance figures): (total, requests counted, requests
    without figures)."""
    total = counted = unknown = 0
    with open(logfile, errors="replace") as f:
        for line in f:
            match = RUNJOB_LOG.search(line)
            if not match:
                continue
            if match.group(3) == "-":
                unknown += 1
                continue
            total += int(match.group(3))
            counted += 1
    return total, counted, unknown


def run_scale(args, template, size, workers, kill, ids):
    """One run: a copy of ``template``, a real Odoo server with ``workers``
    HTTP workers and the job runner (billing channel capacity
    ``workers``), the enqueuer called once, every job waited for; with
    ``kill``, one worker killed mid-run and its job requeued. Returns the
    run's figures."""
    order_ids, contract_ids, dist_ids = ids
    label = f"{workers}w" + ("-kill" if kill else "")
    database = f"{template}_{label.replace('-', '_')}"
    name = f"{workers} worker{'s' if workers > 1 else ''}" + (
        ", 1 killed" if kill else ""
    )
    print(f"  run {name}: copy of the data ({database})", flush=True)
    copy_database(args, template, database)
    folder = os.path.dirname(args.json) or "."
    os.makedirs(folder, exist_ok=True)
    logfile = os.path.abspath(
        os.path.join(folder, f"scale-{size['subscriptions']}-{label}-server.log")
    )
    if os.path.exists(logfile):
        os.remove(logfile)
    port = free_port()
    channels = f"root:{workers},root.channel_distributor_billing:{workers}"
    environ = dict(
        os.environ,
        ODOO_QUEUE_JOB_CHANNELS=channels,
        ODOO_QUEUE_JOB_HOST="127.0.0.1",
        ODOO_QUEUE_JOB_PORT=str(port),
    )
    server = None
    conn = None
    try:
        # The bench's own registry of the copy (to call the enqueuer and
        # requeue), loaded before the server starts: not measured.
        registry = odoo.modules.registry.Registry(database)
        server, __ = start_server(
            args,
            port,
            logfile,
            database=database,
            workers=workers,
            environ=environ,
            extra=[
                "--load", "base,web,queue_job",
                # a job is one HTTP request: no time limit kills it under load
                "--limit-time-real", "7200",
                "--limit-time-cpu", "7200",
                "--log-handler", "werkzeug:INFO",
                "--log-handler", "odoo.addons.queue_job.jobrunner:INFO",
            ],
        )  # fmt: skip
        wait_for_log(server, logfile, f"queue job runner ready for db {database}")
        conn = pg_connect(args, database)
        cr = conn.cursor()
        load_start = round(os.getloadavg()[0], 2)
        started = time.perf_counter()
        with registry.cursor() as rcr:
            env = api.Environment(rcr, SUPERUSER_ID, {})
            today = fields.Date.context_today(env["res.partner"])
            enqueued = env["sale.order"]._cron_enqueue_distributor_billing()
            rcr.commit()  # the job runner hears of the jobs at the commit
        print(
            f"    {enqueued} jobs enqueued, channels {channels}, load {load_start}",
            flush=True,
        )
        killed = None
        deadline = started + args.scale_deadline
        last_print = started
        while True:
            cr.execute(
                "SELECT state, count(*) FROM queue_job WHERE method_name = %s "
                "GROUP BY state",
                [SCALE_JOB],
            )
            states = dict(cr.fetchall())
            live = sum(states.get(s, 0) for s in SCALE_LIVE)
            if not live:
                break
            now = time.perf_counter()
            if kill and not killed and states.get("done", 0) >= enqueued // 2:
                killed = kill_billing_worker(args, cr, server, registry)
            if server.poll() is not None:
                raise RuntimeError(f"Odoo stopped during the run, see {logfile}")
            if now > deadline:
                raise RuntimeError(
                    f"scale: jobs still to run after {args.scale_deadline} s "
                    f"({states}), see {logfile}"
                )
            if now - last_print > 60:
                print(f"    {now - started:.0f} s: {states}", flush=True)
                last_print = now
            time.sleep(0.25)
        wall = time.perf_counter() - started
        load_end = round(os.getloadavg()[0], 2)
        if kill and not killed:
            raise RuntimeError("scale: no worker was killed (the run was too short)")
        cr.execute(
            """
            SELECT count(*), sum(exec_time), max(exec_time) FROM queue_job
             WHERE method_name = %s
            """,
            [SCALE_JOB],
        )
        jobs, job_seconds, longest = cr.fetchone()
        cr.execute(
            """
            SELECT count(*) FROM res_partner
             WHERE id = ANY(%s) AND channel_invoicing_next_date > %s
            """,
            [dist_ids, today],
        )
        billed = cr.fetchone()[0]
    finally:
        if conn:
            conn.close()
        if server:
            stop_server_group(server)
    sql = SqlRegistry(args, database)
    run = {
        "run": name,
        "workers": workers,
        "killed": killed,
        "wall_s": round(wall, 2),
        "jobs_enqueued": enqueued,
        "jobs": jobs,
        "job_states": states,
        "job_seconds": round(job_seconds or 0, 2),
        "longest_job_s": round(longest or 0, 2),
        "distributors": len(dist_ids),
        "distributors_billed": billed,
        **count_errors(sql, order_ids),
        **count_period_errors(sql, contract_ids),
        "load_start": load_start,
        "load_end": load_end,
    }
    queries, counted, unknown = job_queries(logfile)
    run.update(
        queries=queries,
        job_requests=counted,
        job_requests_without_figures=unknown,
        queries_per_subscription=(
            round(queries / size["subscriptions"], 2) if size["subscriptions"] else None
        ),
    )
    drop_database(args, database)
    print(
        f"    {name}: {run['wall_s']} s, {billed}/{len(dist_ids)} distributors "
        f"billed, orders twice {run['invoiced_twice']} / missed {run['missed']}, "
        f"periods {run['periods_billed']} billed, twice {run['periods_twice']} / "
        f"missed {run['periods_missed']}, {run['queries_per_subscription']} "
        f"queries/subscription ({counted} job requests, {unknown} without "
        f"figures), job time {run['job_seconds']} s, load {load_start} to "
        f"{load_end}",
        flush=True,
    )
    return run


def step_scale(registry, args, results):
    """The scheduled billing spread over Odoo workers with queue_job, on
    identical data for every run: see the README, Benchmarks."""
    sizes = [(args.scale_subscriptions, args.scale_orders)]
    if args.growth:
        sizes.append(
            (args.scale_subscriptions * args.growth, args.scale_orders * args.growth)
        )
    workers = [int(w) for w in str(args.scale_workers).split(",") if w.strip()]
    out = {
        "distributors": args.scale_distributors,
        "target_ratio": 1.6,
        "sizes": [],
    }
    results["scale"] = out
    # A SIGTERM (bin/bench stopped) goes through the finally clauses: the
    # servers started here are stopped and the copies dropped.
    previous = signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    try:
        for subscriptions, orders in sizes:
            template = f"{args.database}_scale_{subscriptions}"
            size = {
                "subscriptions": subscriptions,
                "orders": orders,
                "distributors": args.scale_distributors,
                "runs": [],
            }
            print(
                f"\n[scale] {subscriptions} subscriptions and {orders} orders "
                f"across {args.scale_distributors} distributors due today, billed "
                f"by queue jobs on a real Odoo server with "
                f"{' then '.join(map(str, workers))} worker(s)"
                + (", then one worker killed mid-run" if args.scale_kill else "")
            )
            forget_database(args.database)
            copy_database(args, args.database, template)
            try:
                started = time.perf_counter()
                ids = make_scale_data(args, template, subscriptions, orders)
                size["data_s"] = round(time.perf_counter() - started, 1)
                print(
                    f"  data made and committed in {size['data_s']} s "
                    f"({len(ids[2])} distributors)",
                    flush=True,
                )
                runs = [(w, False) for w in workers]
                if args.scale_kill:
                    runs.append((max(workers), True))
                for count, kill in runs:
                    size["runs"].append(
                        run_scale(args, template, size, count, kill, ids)
                    )
            finally:
                drop_database(args, template)
            walls = {r["workers"]: r["wall_s"] for r in size["runs"] if not r["killed"]}
            if 1 in walls and max(walls) > 1 and walls[max(walls)]:
                size["ratio"] = round(walls[1] / walls[max(walls)], 3)
            out["sizes"].append(size)
    finally:
        signal.signal(signal.SIGTERM, previous)
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
    parser.add_argument("--database", required=True, help="the product's database")
    parser.add_argument(
        "--plain-database",
        default="",
        help="plain Odoo's database (the steps that compare with plain Odoo)",
    )
    parser.add_argument(
        "--commission-database",
        default="",
        help="plain Odoo's database with OCA's commission addons (the "
        "settlement step's plain side)",
    )
    parser.add_argument("--db-port", required=True)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--distributors", type=int, default=50)
    parser.add_argument("--end-customers", type=int, default=500)
    parser.add_argument(
        "--growth", type=int, default=0, help="also run at N x this factor (e.g. 10)"
    )
    parser.add_argument(
        "--steps",
        default="invoicing,one-invoice,confirmation,recurring,settlement,"
        "scheduled,portal,portal-credit,scale",
        help="comma-separated",
    )
    parser.add_argument(
        "--one-invoice-orders",
        default="1000",
        help="orders of the one distributor on one invoice (one-invoice step); "
        "comma-separated for several sizes, e.g. 300,1000 (not multiplied by "
        "--growth)",
    )
    parser.add_argument(
        "--confirmation-orders",
        type=int,
        default=0,
        help="orders of the confirmation step (x --growth too), if not --orders",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run the measured steps this many times on fresh orders and keep "
        "the median ratio",
    )
    parser.add_argument("--json", default="bench/results/latest.json")
    parser.add_argument("--data-dir", default="", help="Odoo's data dir (filestore)")
    parser.add_argument("--portal-users", type=int, default=10)
    parser.add_argument("--portal-requests", type=int, default=20, help="per user")
    parser.add_argument("--portal-deadline", type=float, default=180.0)
    parser.add_argument("--portal-workers", type=int, default=2)
    parser.add_argument(
        "--portal-credit-users",
        type=int,
        default=200,
        help="distributors of the portal-credit step (one portal user each; "
        "--portal-requests submissions each)",
    )
    parser.add_argument(
        "--portal-credit-concurrency",
        type=int,
        default=10,
        help="distributors with a request under way at a time (portal-credit; "
        "the portal step's 10 users)",
    )
    parser.add_argument(
        "--portal-credit-invoice-orders",
        type=int,
        default=2,
        help="orders on each distributor's open consolidated invoice",
    )
    parser.add_argument(
        "--portal-credit-margin",
        type=float,
        default=10000.0,
        help="credit limit above what each distributor owes (portal-credit)",
    )
    parser.add_argument(
        "--portal-credit-overdue-days",
        type=int,
        default=30,
        help="the overdue hold setting during the portal-credit step",
    )
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
    parser.add_argument(
        "--settlement-lines",
        type=int,
        default=10000,
        help="paid agency invoice lines of the month settled in the settlement "
        "step (x --growth too)",
    )
    parser.add_argument(
        "--scale-subscriptions",
        type=int,
        default=10000,
        help="running subscriptions with a period due today in the scale step "
        "(x --growth too)",
    )
    parser.add_argument(
        "--scale-orders",
        type=int,
        default=2000,
        help="confirmed resale orders to invoice in the scale step (x --growth too)",
    )
    parser.add_argument(
        "--scale-distributors",
        type=int,
        default=200,
        help="distributors due today in the scale step (one billing job each)",
    )
    parser.add_argument(
        "--scale-workers",
        default="1,2",
        help="Odoo workers (and billing channel capacity) of the scale step's "
        "runs, comma-separated",
    )
    parser.add_argument(
        "--scale-kill",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="a last run of the scale step with the most workers, one of them "
        "killed (SIGKILL) mid-run and its job requeued",
    )
    parser.add_argument(
        "--scale-deadline",
        type=float,
        default=7200.0,
        help="seconds a run of the scale step may take before it is stopped",
    )
    parser.add_argument("--run-scheduled-job", action="store_true", help="internal")
    parser.add_argument("--worker-step", default="", help="internal")
    parser.add_argument("--worker-side", default="", help="internal")
    parser.add_argument("--worker-size", type=int, default=0, help="internal")
    parser.add_argument("--seq", type=int, default=0, help="internal")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="TOP",
        help="cProfile every side of each measured step (NAME.prof next to "
        "the JSON file), print the product side's TOP entries",
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
    if args.worker_step:
        worker_main(args)
        return
    steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    unknown = [s for s in steps if s not in STEPS and s not in SEPARATE]
    if unknown:
        parser.error(f"unknown steps: {', '.join(unknown)}")
    separate = [s for s in steps if s in SEPARATE]
    steps = [s for s in steps if s not in separate]
    results = {"machine": machine_info(), "parameters": vars(args), "steps": []}
    started = time.perf_counter()
    # Names of the generated data: the same on every side of a run.
    seq = int(time.time() * 10) % 10**8
    for step in steps:
        for n in step_sizes(args, step):
            results["steps"] += run_step(args, step, n, seq)
            seq += args.repeat
    if separate:
        registry = odoo.modules.registry.Registry(args.database)
        for step in separate:
            globals()[f"step_{step.replace('-', '_')}"](registry, args, results)
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    print_table(results)
    os.makedirs(os.path.dirname(args.json) or ".", exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(results, f, indent=2)
    print(f"\nfigures written to {args.json}")


def print_table(results):
    print_separate(results)
    if not results["steps"]:
        return
    print(
        "\n| step | size | product s | plain Odoo s | ratio vs plain | "
        "CPU ratio vs plain | same DB, standard s | ratio vs same DB | q/order | "
        "plain q/order | same DB q/order |"
    )
    print(
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    for s in results["steps"]:
        a, p, m = s["addon"], s.get("plain") or {}, s.get("same_db") or {}
        ratio_plain = s.get("ratio_plain", "")
        ratio_same = s.get("ratio_same_db", "")
        if s.get("ratios"):
            spread = f" (median of {s['runs']}: {min(s['ratios'])}-{max(s['ratios'])})"
            if "ratio_plain" in s:
                ratio_plain = f"{ratio_plain}{spread}"
            else:
                ratio_same = f"{ratio_same}{spread}"
        name = s["step"] + (f" ({s['reference']})" if s.get("reference") else "")
        print(
            f"| {name} | {s['size']} {s['unit']} | {a['seconds']} | "
            f"{p.get('seconds', '')} | {ratio_plain} | "
            f"{s.get('cpu_ratio_plain') or ''} | {m.get('seconds', '')} | "
            f"{ratio_same} | {a['queries_per_order']} | "
            f"{p.get('queries_per_order', '')} | {m.get('queries_per_order', '')} |"
        )
    loads = [
        s[side]["load"]
        for s in results["steps"]
        for side in ("addon", "plain", "same_db")
        if s.get(side) and "load" in s[side]
    ]
    print(
        f"\nmachine load (1-minute average) at the end of the measured calls: "
        f"{min(loads)} to {max(loads)} on {os.cpu_count()} cores"
    )
    print(
        "\nproduct: the product's path on its database; plain Odoo: the standard "
        "path on a database of plain Odoo's modules; same DB: the standard path "
        "on the product's database (direct orders), for recurring OCA "
        "contract's _recurring_create_invoice(); for settlement, plain Odoo is "
        "OCA's commission.make.settle and make_invoices() on a database of its "
        "own. The *-direct rows are the "
        "product database's standard path against plain Odoo's. q/order: SQL "
        "queries per order (per subscription for recurring, per invoice line "
        "for settlement)."
    )


def print_separate(results):
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
    print_scale(results.get("scale"))
    for name in ("portal", "portal-credit"):
        portal = results.get(name)
        if not portal:
            continue
        title = f"{name} ({portal['users']} users, workers={portal['workers']})"
        print(f"\n| {title} | requests | p50 ms | p95 ms | req/s | errors |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for key in ("my_orders", "order_submit"):
            r = portal[key]
            print(
                f"| {key} | {r['requests']} | {r['p50_ms']} | {r['p95_ms']} | "
                f"{r['rps']} | {r['errors']} |"
            )
        print(f"| p95 ratio submission / my_orders | | | {portal['p95_ratio']} | | |")
        if name == "portal-credit":
            print(
                f"| target p95 ratio | | | <= {portal['target_p95_ratio']} | | |\n"
                f"| open invoices; orders confirmed / on hold | "
                f"{portal['open_invoices']} | | "
                f"{portal['orders_confirmed']} / {portal['orders_held']} | | |"
            )
        print(f"machine load (1-minute average) after the load: {portal['load']}")


def print_scale(scale):
    if not scale:
        return
    for size in scale["sizes"]:
        print(
            f"\n| scale, {size['subscriptions']} subscriptions, {size['orders']} "
            f"orders, {size['distributors']} distributors | workers | wall s | "
            "ratio 1 worker / 2 workers | distributors billed | orders twice / "
            "missed | periods twice / missed | q/subscription | load (1 min) |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for run in size["runs"]:
            ratio = ""
            if run["workers"] > 1 and not run["killed"] and size.get("ratio"):
                ratio = f"{size['ratio']} (target >= {scale['target_ratio']})"
            print(
                f"| {run['run']} | {run['workers']} | {run['wall_s']} | {ratio} | "
                f"{run['distributors_billed']} / {run['distributors']} | "
                f"{run['invoiced_twice']} / {run['missed']} | "
                f"{run['periods_twice']} / {run['periods_missed']} | "
                f"{run['queries_per_subscription']} | "
                f"{run['load_start']} to {run['load_end']} |"
            )
    print(
        f"scale: wall time from the enqueuer's call to the last job done; "
        f"q/subscription: the queries of every billing job request (orders "
        f"included) per subscription; load: the 1-minute load average at the "
        f"start and end of each run on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
