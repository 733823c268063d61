"""Benchmark of the statistics API, run against PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pb_bench_stats .venv/bin/python bench/stats.py

(``BENCH_RUNS``: runs per median, default 7; ``BENCH_SECONDS``: load test duration, default 30, 0 skips it;
``BENCH_DISTRICT``: measure that district (its code) as it is, building nothing; ``BENCH_SCALE``: size of
the prefix ``S`` district built when absent, default 1; ``BENCH_PERIOD``: ``start:end``, whole months;
``BENCH_CHECK_ONLY=1``: the equality check alone.)

1. Data: ``generate_scale_data`` (10 streets, 120 communities, 1,500 branches, 6,000 groups, ...)
   plus, when the members app's generator left none, 100,000 members and 3,000 central
   household positions inserted here (seeded, so every run has the same data).
2. ``/api/v1/stats/overview/`` for the whole district and for one street, and
   ``/api/v1/stats/breakdown/`` per street (metric ``members`` and ``coverage``): ours, client →
   response through the Django test client with a token, computed (the figures' cache made stale
   before each request, untimed; the cached request beside it), versus a hand-written raw-SQL
   floor computing the same figures — every figure of all 13 registered blocks
   (``bench/stats_floor.py``; a block without a floor is reported as a mismatch) — ours and the
   floor timed in turn, medians in the same run. Every figure of both must be equal (all
   mismatches listed, then exit 1; set ``BENCH_ALLOW_MISMATCH=1`` to time anyway). Query counts of
   ours. Then, per block, the block's compute function alone against the floor's statements for
   that block (``bench/stats_explain.py`` explains the dominant query of each side).
3. Bounded load test: gunicorn on 127.0.0.1 started here, 10 concurrent clients (one token each)
   for 30 s over the four requests (served from the figures' cache after the first); p50/p95 and
   errors.
Prints Markdown for docs/benchmarks/stats.md.
"""

import datetime
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402
from stats_floor import FLOOR_BLOCKS, render  # noqa: E402  (bench/stats_floor.py: the floor)

from core.statistics.cache import bump_data_version  # noqa: E402
from members.models import Attendance, Meeting, Member, Position  # noqa: E402
from organizations import services  # noqa: E402
from organizations.models import Organization, OrganizationKind, Role  # noqa: E402
from organizations.statistics import STAT_BLOCKS, Period, ordered_blocks  # noqa: E402

# ``BENCH_PERIOD=2026-01-01:2026-12-31``: another period of whole months (default the first half of 2026).
PERIOD = Period(
    *(datetime.date.fromisoformat(day) for day in os.environ.get("BENCH_PERIOD", "2026-01-01:2026-06-30").split(":"))
)
Q = {"from": PERIOD.start.isoformat(), "to": PERIOD.end.isoformat()}
RUNS = int(os.environ.get("BENCH_RUNS", "7"))


class Quiet:
    def write(self, *_a, **_k):
        pass

    def flush(self):
        pass


def ensure_data() -> Organization:
    """The district to measure: ``BENCH_DISTRICT`` (a code) on a database that already holds it,
    read as it is (nothing built, nothing written but the bench's token users); otherwise prefix
    ``S``, generated at ``BENCH_SCALE`` (default 1) when absent."""
    code = os.environ.get("BENCH_DISTRICT")
    if code:
        return Organization.objects.get(code=code, parent__isnull=True)
    call_command("migrate", verbosity=0)
    if not Organization.objects.filter(code="S").exists():
        scale = os.environ.get("BENCH_SCALE", "1")
        call_command("generate_scale_data", "--prefix", "S", "--scale", scale, stdout=Quiet())
    district = Organization.objects.get(code="S")
    branches = list(
        Organization.objects.filter(tree_id=district.tree_id, kind=OrganizationKind.BRANCH).values_list("id", flat=True)
    )
    groups = list(
        Organization.objects.filter(tree_id=district.tree_id, kind=OrganizationKind.GROUP).values_list("id", flat=True)
    )
    if not Member.objects.filter(branch__tree_id=district.tree_id).exists():
        rng = random.Random(20261129)
        d = datetime.date
        batch = []
        for i in range(100_000):
            branch = rng.choice(branches)
            batch.append(
                Member(
                    name=f"党员{i}",
                    gender=rng.choice(("male", "female")),
                    birth_date=None
                    if i % 50 == 0
                    else d(rng.randint(1935, 2004), rng.randint(1, 12), rng.randint(1, 28)),
                    party_status="probationary" if i % 25 == 0 else "full",
                    admitted_on=d(rng.randint(1970, 2026), rng.randint(1, 12), 1),
                    occupation_status=rng.choice(
                        ("in_service", "retired", "retired", "unemployed", "student", "other")
                    ),
                    education=rng.choice(("junior", "senior", "college", "bachelor", "master", "")),
                    floating_status=rng.choice(("", "", "", "", "out", "in")),
                    lost_contact=i % 97 == 0,
                    reported_on=d(rng.choice((2024, 2025, 2026)), rng.randint(1, 12), 5) if i % 3 == 0 else None,
                    status="transferred_out" if i % 40 == 0 else "active",
                    branch_id=branch,
                    home_organization_id=branch,
                )
            )
            if len(batch) == 5000:
                Member.objects.bulk_create(batch)
                batch = []
        members = list(Member.objects.filter(branch__tree_id=district.tree_id).values_list("id", flat=True)[:3000])
        Position.objects.bulk_create(
            Position(
                member_id=m,
                organization_id=rng.choice(groups),
                kind="central_household",
                started_on=d(2024, 1, 1),
                ended_on=None if k % 5 else d(2026, 3, 1),
            )
            for k, m in enumerate(members)
        )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return district


def user_with_token(username: str, node: Organization) -> str:
    User = get_user_model()
    user = User.objects.filter(username=username).first() or User.objects.create_user(username, password=None)
    services.access_scope_set(user=user, organization=node, role=Role.DISTRICT_ADMIN)
    return Token.objects.get_or_create(user=user)[0].key


def _params(node):
    start, end = PERIOD.start, PERIOD.end
    # The floor reads organizational life from the monthly summary alone: whole months only.
    assert start.day == 1 and (end + datetime.timedelta(days=1)).day == 1, "the floor needs whole months"
    p = {
        "node": node.pk,
        "tree": node.tree_id,
        "lft": node.lft,
        "rght": node.rght,
        "start": start,
        "end": end,
        "tz": settings.TIME_ZONE,
        "start_year": start.year,
        "start_month": start.month,
        "start_quarter": (start.month - 1) // 3 + 1,
        "end_year": end.year,
        "end_month": end.month,
        "end_quarter": (end.month - 1) // 3 + 1,
        # Compliance: the calendar year of the period's end, as of min(end, today).
        "wstart": datetime.date(end.year, 1, 1),
        "wend": datetime.date(end.year + 1, 1, 1),
        "today": min(end, timezone.localdate()),
        # Monthly summaries (organizational life, dues): the first days of the first and last
        # month, and the months as indexes (year × 12 + month − 1).
        "first_month": start.replace(day=1),
        "last_month": end.replace(day=1),
        "first_idx": start.year * 12 + start.month - 1,
        "last_idx": end.year * 12 + end.month - 1,
    }
    for n in (0, 36, 46, 61, 71, 81):
        p[f"y{n}"] = PERIOD.years_before_end(n)
    return p


def _run(cur, sql, params):
    cur.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [(row[0], dict(zip(names[1:], row[1:], strict=True))) for row in cur.fetchall()]


def floor_plan(blocks, node, per_child=False, runs=3):
    """``[(block, [sql, ...], [formulation, ...]), ...]``: each statement in the fastest of its
    formulations (both restrictions of each alternative) for ``node`` in this run (median of
    ``runs``); all must give the same rows."""
    params = _params(node)
    plan = []
    with connection.cursor() as cur:
        for block in blocks:
            sqls, variants = [], []
            for stmt in block.stmts:
                timed = []
                for k, form in enumerate((stmt, *stmt.alternatives)):
                    for variant in ("array", "range"):
                        sql = render(form, per_child, variant)
                        rows = sorted(_run(cur, sql, params), key=lambda r: (r[0] is None, r[0] or 0))
                        label = variant if not stmt.alternatives else f"{variant} {k + 1}"
                        timed.append((median_ms(lambda sql=sql: _run(cur, sql, params), runs), label, sql, rows))
                for other in timed[1:]:
                    assert other[3] == timed[0][3], (block.name, other[1], other[3], timed[0][3])
                _ms, variant, sql, _rows = min(timed, key=lambda t: t[0])
                sqls.append(sql)
                variants.append(variant)
            plan.append((block, sqls, variants))
    return plan


def floor(plan, node):
    """``{node_id: {figure: value}}`` of a ``floor_plan`` for the node (and, per child, each
    active child that has rows) on a raw cursor."""
    params = _params(node)
    out: dict[int, dict] = {}
    with connection.cursor() as cur:
        for block, sqls, _variants in plan:
            totals: dict[int, dict] = {node.pk: {}}
            for sql in sqls:
                for label, values in _run(cur, sql, params):
                    if label is not None:
                        totals.setdefault(label, {}).update(values)
                    # The node's total: its own row, or the sum of its children's and its own.
                    if label != node.pk:
                        mine = totals[node.pk]
                        for key, value in values.items():
                            mine[key] = mine.get(key, 0) + value
            for pk, t in totals.items():
                out.setdefault(pk, {}).update(block.derive(t))
    return out


def zero_figures(blocks):
    """The floor's figures of a node without any row (a child absent from the grouped rows)."""
    out = {}
    for block in blocks:
        out.update(block.derive({}))
    return out


def diff(where, ours, theirs):
    """Every figure where ours and the floor differ (or that only one side has)."""
    missing = object()
    return [
        f"{where}: {name}: ours={ours.get(name, missing)!r} floor={theirs.get(name, missing)!r}"
        for name in sorted(set(ours) | set(theirs))
        if ours.get(name, missing) != theirs.get(name, missing)
    ]


def median_ms(fn, runs=RUNS):
    fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1000


def paired_ms(ours, theirs, runs=RUNS, before=None):
    """Medians (ms) of ``ours`` and ``theirs`` timed in turn, each first every other run, so that
    a change of load on the shared machine falls on both; ``before`` runs untimed before each
    call of ``ours`` (e.g. making the figures' cache stale)."""
    samples: tuple[list, list] = ([], [])

    def timed(fn, prepare):
        if prepare:
            prepare()
        t0 = time.perf_counter()
        fn()
        return time.perf_counter() - t0

    timed(ours, before), timed(theirs, None)  # warm-up
    for i in range(runs):
        pair = [(0, ours, before), (1, theirs, None)]
        for k, fn, prepare in pair if i % 2 == 0 else pair[::-1]:
            samples[k].append(timed(fn, prepare))
    return statistics.median(samples[0]) * 1000, statistics.median(samples[1]) * 1000


def count_queries(fn):
    executed = []
    with connection.execute_wrapper(lambda execute, sql, *a, log=executed: log.append(sql) or execute(sql, *a)):
        fn()
    return len(executed)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_test(urls, tokens, seconds=30, clients=10):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "API_STATS_RATE": "100000/min",
        "API_USER_RATE": "100000/min",
        "DJANGO_CONN_MAX_AGE": "60",
    }
    workers = os.environ.get("BENCH_WORKERS", str(max(2, (os.cpu_count() or 2) * 2)))
    server = subprocess.Popen(
        [
            # The venv's gunicorn (a worktree may have no venv of its own).
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            workers,
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        latencies, errors, lock = [], [], threading.Lock()
        stop = time.monotonic() + seconds

        def client(k):
            i = k
            while time.monotonic() < stop:
                url = urls[i % len(urls)]
                i += 1
                req = urllib.request.Request(
                    f"http://127.0.0.1:{port}{url}", headers={"Authorization": f"Token {tokens[k]}"}
                )
                t0 = time.perf_counter()
                try:
                    with urllib.request.urlopen(req, timeout=30) as r:
                        r.read()
                        ok = r.status == 200
                except Exception as exc:  # noqa: BLE001 - every failure counts as an error
                    ok = False
                    with lock:
                        errors.append(repr(exc))
                dt = time.perf_counter() - t0
                with lock:
                    if ok:
                        latencies.append(dt)
                    elif not errors:
                        errors.append("non-200")

        threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        latencies.sort()
        return {
            "requests": len(latencies) + len(errors),
            "errors": len(errors),
            "p50": latencies[len(latencies) // 2] * 1000 if latencies else None,
            "p95": latencies[int(len(latencies) * 0.95)] * 1000 if latencies else None,
            "rps": len(latencies) / seconds,
            "workers": workers,
            "first_error": errors[0] if errors else "",
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main():
    assert connection.vendor == "postgresql", "run against PostgreSQL (set DATABASE_URL)"
    district = ensure_data()
    street = Organization.objects.filter(parent=district).order_by("lft").first()
    token = user_with_token("bench_stats", district)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    everything = [FLOOR_BLOCKS[b.name] for b in ordered_blocks() if b.name in FLOOR_BLOCKS]
    cases = [
        ("overview, whole district", {"org": district.pk}, "overview", district, everything, False),
        ("overview, one street", {"org": street.pk}, "overview", street, everything, False),
        (
            "breakdown per street, metric=members",
            {"org": district.pk, "metric": "members"},
            "breakdown",
            district,
            [FLOOR_BLOCKS["members"]],
            True,
        ),
        (
            "breakdown per street, metric=coverage",
            {"org": district.pk, "metric": "coverage"},
            "breakdown",
            district,
            [FLOOR_BLOCKS["coverage"]],
            True,
        ),
    ]
    print(f"Load average at the start: {Path('/proc/loadavg').read_text().strip()}\n")
    print(
        f"Data: {Organization.objects.filter(tree_id=district.tree_id).count()} organizations, "
        f"{Member.objects.filter(branch__tree_id=district.tree_id, status='active').count()} active members, "
        f"{Attendance.objects.filter(meeting__organization__tree_id=district.tree_id).count()} attendance rows, "
        f"{Meeting.objects.filter(organization__tree_id=district.tree_id).count()} meetings, "
        f"period {PERIOD.start} – {PERIOD.end}.\n"
    )

    # Equality first, every figure of every case: a mismatch fails the bench (after listing all).
    problems = [f"block {name} has no floor" for name in STAT_BLOCKS if name not in FLOOR_BLOCKS]
    for title, params, kind, node, blocks, per_child in cases:
        bump_data_version()  # computed, not read back from the figures' cache
        r = client.get(f"/api/v1/stats/{kind}/", {**params, **Q})
        assert r.status_code == 200, r.content
        body, found = r.json(), floor(floor_plan(blocks, node, per_child), node)
        if kind == "overview":
            problems += diff(f"{title}, {node.name}", body["figures"], found[node.pk])
            continue
        problems += diff(f"{title}, total {node.name}", body["total"], found[node.pk])
        listed = {row["organization"]["id"] for row in body["rows"]}
        for row in body["rows"]:
            child = row["organization"]
            theirs = found.get(child["id"], zero_figures(blocks))
            problems += diff(f"{title}, {child['name']}", row["values"], theirs)
        problems += [f"{title}: floor has a child {pk} ours does not list" for pk in set(found) - listed - {node.pk}]
    if problems:
        print(f"{len(problems)} figure(s) differ between ours and the floor:", *problems, sep="\n  ", file=sys.stderr)
        if not os.environ.get("BENCH_ALLOW_MISMATCH"):
            sys.exit(1)
    if os.environ.get("BENCH_CHECK_ONLY"):
        figures = len(body["total"]) if kind == "breakdown" else len(body["figures"])
        print(f"All figures equal ({len(cases)} requests; {figures} figures in the last); BENCH_CHECK_ONLY: no timing.")
        return

    print("| request | ours computed (test client) | queries | cached | raw SQL floor | ratio |")
    print("|---|---|---|---|---|---|")
    for title, params, kind, node, blocks, per_child in cases:
        url = f"/api/v1/stats/{kind}/"

        def ours(url=url, params=params):
            r = client.get(url, {**params, **Q})
            assert r.status_code == 200, r.content
            return r.json()

        plan = floor_plan(blocks, node, per_child)
        # The test client resets connection.queries at each request; count with a wrapper instead.
        bump_data_version()
        queries = count_queries(ours)
        ours_ms, floor_ms = paired_ms(ours, lambda plan=plan, node=node: floor(plan, node), before=bump_data_version)
        cached_ms = median_ms(ours)
        statements = sum(len(sqls) for _block, sqls, _v in plan)
        print(
            f"| {title} | {ours_ms:.1f} ms | {queries} | {cached_ms:.1f} ms | {floor_ms:.1f} ms "
            f"({statements} statements) | {ours_ms / floor_ms:.2f} |"
        )

    # Per block: which block to optimise. Ours is the block's compute function alone (no request).
    for label, node in (("whole district", district), ("one street", street)):
        print(f"\nOverview of {label}, per block (ours: `block.compute([node], period)`):\n")
        print("| block | ours | queries | raw SQL floor | floor statements (formulation) | ratio |")
        print("|---|---|---|---|---|---|")
        total_ours = total_floor = total_queries = total_statements = 0
        for block in ordered_blocks():
            plan = floor_plan([FLOOR_BLOCKS[block.name]], node)

            def compute(block=block, node=node):
                return block.compute([node], PERIOD)

            queries = count_queries(compute)
            ours_ms, floor_ms = paired_ms(compute, lambda plan=plan, node=node: floor(plan, node))
            statements = ", ".join(plan[0][2])
            total_ours, total_floor = total_ours + ours_ms, total_floor + floor_ms
            total_queries, total_statements = total_queries + queries, total_statements + len(plan[0][1])
            print(
                f"| {block.name} | {ours_ms:.1f} ms | {queries} | {floor_ms:.1f} ms | {statements} "
                f"| {ours_ms / floor_ms:.2f} |"
            )
        print(
            f"| **all blocks** | {total_ours:.1f} ms | {total_queries} | {total_floor:.1f} ms | {total_statements} "
            f"| {total_ours / total_floor:.2f} |"
        )
    if problems:
        print(f"\n{len(problems)} figure(s) differ between ours and the floor:\n")
        print("\n".join(f"- {p}" for p in problems))

    if os.environ.get("BENCH_SECONDS") != "0":
        run_load_test(district, street)
    print(f"\nLoad average at the end: {Path('/proc/loadavg').read_text().strip()}")


def run_load_test(district, street):
    tokens = [user_with_token(f"bench_load_{k}", district) for k in range(10)]
    q = f"from={Q['from']}&to={Q['to']}"
    urls = [
        f"/api/v1/stats/overview/?org={district.pk}&{q}",
        f"/api/v1/stats/overview/?org={street.pk}&{q}",
        f"/api/v1/stats/breakdown/?org={district.pk}&metric=members&{q}",
        f"/api/v1/stats/breakdown/?org={district.pk}&metric=coverage&{q}",
    ]
    result = load_test(urls, tokens, seconds=int(os.environ.get("BENCH_SECONDS", "30")))
    print()
    print("| load test (gunicorn, loopback) | value |")
    print("|---|---|")
    print(
        f"| clients × duration | 10 × {os.environ.get('BENCH_SECONDS', '30')} s, gunicorn {result['workers']} workers |"
    )
    print(f"| requests (4 stats URLs in turn) | {result['requests']} ({result['rps']:.1f}/s) |")
    print(f"| p50 / p95 | {result['p50']:.0f} ms / {result['p95']:.0f} ms |")
    print(f"| errors | {result['errors']} {result['first_error']} |")


if __name__ == "__main__":
    main()
