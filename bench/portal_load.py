"""Portal load generator: concurrent logged-in distributors against a running
Odoo, outside Odoo's process (run with .venv-tools/bin/python, httpx).

Two scenarios under the same load (one task per user, each sending its
requests one after the other):

- ``my_orders``: GET /my/orders (the standard portal page);
- ``order_submit``: GET /my/channel/orders/new for the CSRF and form tokens,
  then POST the form; the POST is the measured submission, a success is the
  redirect to the new order.

Bounded: ``--requests`` per user and scenario, and ``--deadline`` seconds per
scenario, after which the remaining requests are not sent. With
``--concurrency`` below the number of users, at most that many users have a
request under way at a time (many distributors, the load of a few), and each
request asks the server to close its connection: an Odoo worker keeps
serving a kept-alive connection for seconds after its last request, and would
sit idle on a user that is waiting for its turn. Only for a server
on the loopback interface. Prints the figures as JSON on stdout.
"""

import argparse
import asyncio
import ipaddress
import json
import re
import statistics
import sys
import time
from urllib.parse import urlsplit

import httpx

CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="token"\s+value="([^"]+)"')
ORDER_URL = re.compile(r"/my/orders/\d+")


def percentile(values, pct):
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * pct / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def summary(name, latencies, errors, seconds, samples):
    count = len(latencies)
    return {
        "scenario": name,
        "requests": count + errors,
        "ok": count,
        "errors": errors,
        "error_samples": samples[:5],
        "seconds": round(seconds, 3),
        "rps": round((count + errors) / seconds, 2) if seconds else None,
        "p50_ms": round(percentile(latencies, 50) * 1000, 1) if count else None,
        "p95_ms": round(percentile(latencies, 95) * 1000, 1) if count else None,
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if count else None,
        "max_ms": round(max(latencies) * 1000, 1) if count else None,
    }


async def login(client, user):
    page = await client.get("/web/login")
    page.raise_for_status()
    token = CSRF.search(page.text)
    if not token:
        raise RuntimeError("no CSRF token on /web/login")
    response = await client.post(
        "/web/login",
        data={
            "login": user["login"],
            "password": user["password"],
            "csrf_token": token.group(1),
            "redirect": "/my",
        },
    )
    if response.status_code != 303 or "/web/login" in response.headers.get(
        "location", ""
    ):
        raise RuntimeError(f"login failed for {user['login']}")


async def run_user(client, user, scenario, count, deadline, out, turn):
    for i in range(count):
        if time.monotonic() > deadline:
            return
        async with turn:
            await one_request(client, user, scenario, i, out)


async def one_request(client, user, scenario, i, out):
    try:
        if scenario == "my_orders":
            start = time.perf_counter()
            response = await client.get("/my/orders")
            elapsed = time.perf_counter() - start
            if response.status_code != 200 or "/web/login" in str(response.url):
                raise RuntimeError(f"/my/orders: HTTP {response.status_code}")
        else:
            form = await client.get("/my/channel/orders/new")
            csrf, token = CSRF.search(form.text), FORM_TOKEN.search(form.text)
            if form.status_code != 200 or not csrf or not token:
                raise RuntimeError(f"order form: HTTP {form.status_code}")
            customers = user["end_customer_ids"]
            products = user["product_ids"]
            fields = {
                "csrf_token": csrf.group(1),
                "token": token.group(1),
                "end_customer_id": str(customers[i % len(customers)]),
                "client_order_ref": f"LOAD-{user['login']}-{i}",
                "note": "Portal load test",
                # Repeated fields: one value per order line.
                "product_id": [str(p) for p in products],
                "quantity": [str(1 + (i + k) % 4) for k in range(len(products))],
            }
            start = time.perf_counter()
            response = await client.post("/my/channel/orders/new", data=fields)
            elapsed = time.perf_counter() - start
            location = response.headers.get("location", "")
            if response.status_code != 303 or not ORDER_URL.search(location):
                raise RuntimeError(
                    f"order submission: HTTP {response.status_code} {location}"
                )
        out["latencies"].append(elapsed)
    except (httpx.HTTPError, RuntimeError) as error:
        out["errors"] += 1
        out["samples"].append(f"{user['login']}: {error}")


async def scenario_run(clients, users, scenario, count, seconds, turn):
    out = {"latencies": [], "errors": 0, "samples": []}
    deadline = time.monotonic() + seconds
    start = time.perf_counter()
    await asyncio.gather(
        *(
            run_user(client, user, scenario, count, deadline, out, turn)
            for client, user in zip(clients, users, strict=True)
        )
    )
    return summary(
        scenario,
        out["latencies"],
        out["errors"],
        time.perf_counter() - start,
        out["samples"],
    )


async def main_async(args):
    with open(args.users) as f:
        users = json.load(f)
    limits = httpx.Limits(max_connections=1)
    timeout = httpx.Timeout(args.request_timeout)
    concurrency = args.concurrency if 0 < args.concurrency < len(users) else 0
    headers = {"Connection": "close"} if concurrency else None
    turn = asyncio.Semaphore(concurrency or len(users))
    clients = [
        httpx.AsyncClient(
            base_url=args.url, limits=limits, timeout=timeout, headers=headers
        )
        for _user in users
    ]

    async def in_turn(call):
        async with turn:
            return await call

    try:
        await asyncio.gather(
            *(in_turn(login(c, u)) for c, u in zip(clients, users, strict=True))
        )
        # Warm up the workers (templates, registry) before measuring.
        await asyncio.gather(*(in_turn(c.get("/my/orders")) for c in clients))
        await asyncio.gather(
            *(in_turn(c.get("/my/channel/orders/new")) for c in clients)
        )
        results = {
            "users": len(users),
            "requests_per_user": args.requests,
            "concurrency": concurrency or len(users),
        }
        for scenario in args.scenarios.split(","):
            results[scenario] = await scenario_run(
                clients, users, scenario, args.requests, args.deadline, turn
            )
        return results
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--users", required=True, help="JSON file of the users")
    parser.add_argument("--requests", type=int, default=20, help="per user")
    parser.add_argument("--deadline", type=float, default=120.0, help="seconds")
    parser.add_argument("--request-timeout", type=float, default=60.0)
    parser.add_argument("--scenarios", default="my_orders,order_submit")
    parser.add_argument(
        "--concurrency",
        type=int,
        default=0,
        help="users with a request under way at a time (default: all)",
    )
    args = parser.parse_args()
    host = urlsplit(args.url).hostname or ""
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        sys.exit("portal_load: only a server on the loopback interface")
    print(json.dumps(asyncio.run(main_async(args))))


if __name__ == "__main__":
    main()
