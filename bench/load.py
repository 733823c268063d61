"""Load test of the gunicorn stack: N concurrent API clients for D seconds mixing statistics
reads, list reads and writes; then checks that the data equal what was written.

    # against a running stack (a token user with add/change rights on compounds):
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000 --username qu_admin --password 'Dangjian@2026'
    # or let it start gunicorn (production settings) on a PostgreSQL database it migrates and seeds:
    .venv/bin/python bench/load.py --start-gunicorn postgres://postgres@127.0.0.1:5432/pb_bench_prod

Every request carries ``X-Forwarded-Proto: https`` (what nginx sends). Mix per request:
30 % statistics (organization list with cumulative subtree counts by kind), 40 % lists
(compounds, organizations, 50 a page), 30 % writes (create a compound, or PATCH one of this
client's own compounds with ``If-Match``). Prints p50/p95/p99 per kind, throughput, errors and
the verification; ``--json`` writes the figures. Exit 1 on any error or mismatch.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote, urlparse

STATISTICS = [
    "/api/v1/organizations/?kind=street_committee",
    "/api/v1/organizations/?kind=community_committee",
    "/api/v1/organizations/?kind=district_committee",
]
LISTS = ["/api/v1/compounds/?page_size=50", "/api/v1/organizations/?page_size=50"]


class Client:
    def __init__(self, url: str, token: str | None = None):
        parsed = urlparse(url)
        self.host, self.port = parsed.hostname, parsed.port or 80
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        self.token = token

    def request(self, method, path, body=None, headers=None):
        hdrs = {"X-Forwarded-Proto": "https", "Accept": "application/json"}
        if self.token:
            hdrs["Authorization"] = f"Token {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        for attempt in range(2):  # a keep-alive connection closed by a recycled worker: reconnect once
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                resp = self.conn.getresponse()
                raw = resp.read()
                return resp.status, (json.loads(raw) if raw else None), resp
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if attempt:
                    raise
        raise AssertionError("unreachable")


def login(url, username, password) -> str:
    status, payload, _ = Client(url).request(
        "POST", "/api/v1/auth/token/", {"username": username, "password": password}
    )
    if status != 200:
        raise SystemExit(f"login failed: {status} {payload}")
    return payload["token"]


def run(url: str, token: str, clients: int, duration: float, seed: int = 7) -> dict:
    run_id = uuid.uuid4().hex[:6]
    setup = Client(url, token)
    status, orgs, _ = setup.request("GET", "/api/v1/organizations/?kind=community_committee&page_size=500")
    communities = [o["id"] for o in orgs["results"]]
    latencies: dict[str, list[float]] = {"statistics": [], "list": [], "write": []}
    errors: list[str] = []
    written: dict[int, tuple[str, int]] = {}  # compound id -> (name, households last written)
    lock = threading.Lock()
    stop_at = time.monotonic() + duration
    barrier = threading.Barrier(clients)

    def worker(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        client = Client(url, token)
        mine: dict[int, dict] = {}  # id -> {"etag", "households", "name"}
        local = {"statistics": [], "list": [], "write": []}
        seq = 0
        barrier.wait()
        while time.monotonic() < stop_at:
            roll = rng.random()
            t0 = time.perf_counter()
            try:
                if roll < 0.3:
                    kind = "statistics"
                    status, _payload, _ = client.request("GET", rng.choice(STATISTICS))
                    ok = status == 200
                elif roll < 0.7:
                    kind = "list"
                    status, _payload, _ = client.request("GET", rng.choice(LISTS))
                    ok = status == 200
                else:
                    kind = "write"
                    if not mine or rng.random() < 0.4:
                        seq += 1
                        name = f"负载-{run_id}-{n}-{seq}"
                        status, payload, resp = client.request(
                            "POST", "/api/v1/compounds/", {"name": name, "community": rng.choice(communities)}
                        )
                        ok = status == 201
                        if ok:
                            status, _p, resp = client.request("GET", f"/api/v1/compounds/{payload['id']}/")
                            mine[payload["id"]] = {"etag": resp.getheader("ETag"), "households": 0, "name": name}
                    else:
                        cid = rng.choice(list(mine))
                        value = mine[cid]["households"] + 1
                        status, payload, resp = client.request(
                            "PATCH", f"/api/v1/compounds/{cid}/", {"households": value}, {"If-Match": mine[cid]["etag"]}
                        )
                        ok = status == 200
                        if ok:
                            mine[cid].update(etag=resp.getheader("ETag"), households=value)
                if not ok:
                    with lock:
                        errors.append(f"{kind} {status} {str(_payload if kind != 'write' else payload)[:200]}")
            except Exception as exc:  # noqa: BLE001 - every failure is counted as an error
                kind = locals().get("kind", "?")
                with lock:
                    errors.append(f"{kind} {type(exc).__name__}: {exc}")
            local.setdefault(kind, []).append(time.perf_counter() - t0)
        with lock:
            for k, values in local.items():
                latencies.setdefault(k, []).extend(values)
            for cid, info in mine.items():
                written[cid] = (info["name"], info["households"])

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=duration + 120)
    elapsed = time.monotonic() - started

    # Verify: every compound this run created exists once, with the last value written.
    status, found, _ = setup.request("GET", f"/api/v1/compounds/?q={quote(f'负载-{run_id}-')}&page_size=500")
    rows = {}
    page = found
    while True:
        rows.update({c["id"]: (c["name"], c["households"]) for c in page["results"]})
        if not page.get("next"):
            break
        nxt = urlparse(page["next"])
        status, page, _ = setup.request("GET", f"{nxt.path}?{nxt.query}")
    mismatches = [cid for cid in written if rows.get(cid) != written[cid]] + [cid for cid in rows if cid not in written]

    def pct(values, q):
        if not values:
            return 0.0
        values = sorted(values)
        return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] * 1000

    all_lat = [v for values in latencies.values() for v in values]
    result = {
        "clients": clients,
        "duration_s": round(elapsed, 1),
        "requests": len(all_lat),
        "throughput_rps": round(len(all_lat) / elapsed, 1),
        "errors": len(errors),
        "error_samples": errors[:10],
        "compounds_written": len(written),
        "compounds_found": len(rows),
        "mismatches": len(mismatches),
        "by_kind": {
            kind: {
                "count": len(values),
                "p50_ms": round(pct(values, 0.5), 1),
                "p95_ms": round(pct(values, 0.95), 1),
                "p99_ms": round(pct(values, 0.99), 1),
                "mean_ms": round(statistics.fmean(values) * 1000, 1) if values else 0.0,
            }
            for kind, values in latencies.items()
        },
        "all": {"p50_ms": round(pct(all_lat, 0.5), 1), "p95_ms": round(pct(all_lat, 0.95), 1)},
    }
    return result


def markdown(result: dict) -> str:
    lines = [
        f"{result['clients']} clients, {result['duration_s']} s: {result['requests']} requests, "
        f"{result['throughput_rps']} req/s, {result['errors']} errors; {result['compounds_written']} compounds "
        f"written, {result['compounds_found']} found, {result['mismatches']} mismatches.",
        "",
        "| kind | requests | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, f in result["by_kind"].items():
        lines.append(f"| {kind} | {f['count']} | {f['p50_ms']} | {f['p95_ms']} | {f['p99_ms']} |")
    lines.append(f"| all | {result['requests']} | {result['all']['p50_ms']} | {result['all']['p95_ms']} | |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url")
    parser.add_argument("--username", default="qu_admin")
    parser.add_argument("--password", default="Dangjian@2026")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers with --start-gunicorn")
    parser.add_argument("--start-gunicorn", metavar="DATABASE_URL")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    web = None
    url = args.url
    if args.start_gunicorn:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from tests.prod import stack

        name = args.start_gunicorn.rsplit("/", 1)[-1]
        stack.recreate_database(name)
        env = stack.stack_env(args.start_gunicorn, args.redis_url, DJANGO_CONN_MAX_AGE=600)
        for command in (["migrate", "--noinput"], ["seed_demo"], ["collectstatic", "--noinput"]):
            stack.manage(env, *command)
        port = stack.free_port()
        log = Path("/tmp") / f"bench-load-gunicorn-{port}.log"
        web = stack.Proc(stack.gunicorn_cmd(port, workers=args.workers), env, log)
        url = f"http://127.0.0.1:{port}"
        stack.Http(url).wait_healthy(timeout=60, proc=web)
    try:
        token = login(url, args.username, args.password)
        result = run(url, token, args.clients, args.duration)
    finally:
        if web is not None:
            web.stop()
    print(markdown(result))
    if result["error_samples"]:
        print("errors:", *result["error_samples"], sep="\n  ")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    return 1 if result["errors"] or result["mismatches"] else 0


if __name__ == "__main__":
    sys.exit(main())
