"""City-scale benchmark of the statistics overview, run against PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pb_city .venv/bin/python bench/city.py \\
        --compare postgres://postgres@127.0.0.1:5432/wt_scoring_scale

``pb_city`` holds ``generate_scale_data --scale 10`` (a city committee, ten districts, 15,000
branches, 1M members, 9M attendance rows); ``--compare`` names a database holding the default
``generate_scale_data`` (one district at scale 1), measured by this same script in a child process.

For each node (the city, one of its districts, and the scale-1 district) and each past period (the
first half of the current year and the whole previous year, both already summed in the rollups):

1. equality first: every figure of ``/api/v1/stats/overview/`` equals the hand-written SQL floor
   of ``bench/stats.py`` (``floor_plan`` / ``floor``: the fastest of two formulations per
   statement, measured in this run) — a mismatch fails the bench;
2. the overview through the test client as the node's district admin, computed (the figures'
   cache made stale before every run) and cached, medians; the floor's median; the ratio;
3. the organizational-life figures alone, from the rollup (``organizational_life_part``) and,
   for comparison, summed from the raw attendance rows (``_raw_life``): the rollup's cost follows
   the branches and months, the raw one the attendance rows;
4. per block, the compute time for the city (which block dominates), and ``EXPLAIN ANALYZE`` of
   the slowest statement of the slowest block.

Writes ``docs/benchmarks/city.md``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_DEBUG", "false")

import stats as stats_bench  # noqa: E402  (bench/stats.py: django.setup() and the floor)
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from core.statistics.cache import bump_data_version  # noqa: E402
from members import statistics as member_stats  # noqa: E402
from members.models import Attendance, Member  # noqa: E402
from organizations.models import Organization, OrganizationKind  # noqa: E402
from organizations.statistics import Period, ordered_blocks  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def periods() -> list[tuple[str, Period]]:
    year = datetime.date.today().year
    return [
        (f"{year}-01 – {year}-06", Period(datetime.date(year, 1, 1), datetime.date(year, 6, 30))),
        (f"{year - 1}", Period(datetime.date(year - 1, 1, 1), datetime.date(year - 1, 12, 31))),
    ]


def use_period(period: Period) -> dict:
    """Point the floor of ``bench/stats.py`` at ``period``; the query string of the request."""
    stats_bench.PERIOD = period
    stats_bench.Q = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    return stats_bench.Q


def size(node: Organization) -> dict:
    inside = {"tree_id": node.tree_id, "lft__gte": node.lft, "rght__lte": node.rght}
    sub = {f"branch__{k}": v for k, v in inside.items()}
    return {
        "branches": Organization.objects.filter(kind=OrganizationKind.BRANCH, **inside).count(),
        "members": Member.objects.filter(status="active", **sub).count(),
        "attendance": Attendance.objects.filter(**{f"member__{k}": v for k, v in sub.items()}).count(),
    }


def check(where: str, ours: dict, theirs: dict) -> list[str]:
    """Figures both compute must be equal; a figure only the floor has must be 0 (a category ours
    no longer lists); figures of blocks the floor does not implement are reported, not compared."""
    both = set(ours) & set(theirs)
    problems = stats_bench.diff(where, {k: ours[k] for k in both}, {k: theirs[k] for k in both})
    problems += [f"{where}: {k}: only the floor has it ({theirs[k]!r})" for k in set(theirs) - set(ours) if theirs[k]]
    if not both:
        problems.append(f"{where}: nothing compared")
    return problems


def measure(node: Organization, label: str, everything, all_periods: bool, runs: int) -> list[dict]:
    token = stats_bench.user_with_token(f"bench_city_{node.pk}", node)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    out = []
    for period_label, period in periods() if all_periods else periods()[:1]:
        q = use_period(period)

        def ours(client=client, q=q):
            r = client.get("/api/v1/stats/overview/", {"org": node.pk, **q})
            assert r.status_code == 200, r.content
            return r.json()

        def computed(ours=ours):
            bump_data_version()  # a cache miss: the figures are computed
            return ours()

        plan = stats_bench.floor_plan(everything, node, runs=max(1, runs // 2))
        executed: list[str] = []
        with connection.execute_wrapper(lambda execute, sql, *a, log=executed: log.append(sql) or execute(sql, *a)):
            t0 = time.perf_counter()
            body = computed()["figures"]
            first_ms = (time.perf_counter() - t0) * 1000
        found = stats_bench.floor(plan, node)[node.pk]
        problems = check(f"{label} {period_label}", body, found)
        if problems:
            print(*problems, sep="\n", file=sys.stderr)
            sys.exit(f"{len(problems)} figures differ between ours and the floor ({label}, {period_label})")
        covered = [b for b in ordered_blocks() if b.name in stats_bench.FLOOR_BLOCKS]

        def blocks_alone(period=period, covered=covered):
            return [b.compute([node], period) for b in covered]

        if runs == 1:  # the city: one timed run of each (each takes tens of seconds)
            t0 = time.perf_counter()
            blocks_alone()
            blocks_ms, ours_ms = (time.perf_counter() - t0) * 1000, first_ms
        else:
            blocks_ms, ours_ms = stats_bench.median_ms(blocks_alone, runs), stats_bench.median_ms(computed, runs)
        queries = len(executed)
        cached_ms = stats_bench.median_ms(ours, RUNS)
        floor_ms = stats_bench.median_ms(lambda plan=plan: stats_bench.floor(plan, node), RUNS)
        rollup_ms = stats_bench.median_ms(lambda p=period: member_stats.organizational_life_part([node], p), RUNS)
        raw_ms = stats_bench.median_ms(lambda p=period: member_stats._raw_life([node], p.start, p.end_exclusive), 1)
        out.append(
            {
                "node": label,
                "period": period_label,
                "ours": ours_ms,
                "cached": cached_ms,
                "queries": queries,
                "floor": floor_ms,
                "blocks_ms": blocks_ms,
                "compared": len(set(body) & set(found)),
                "uncovered": sorted({name.split(".")[0] for name in set(body) - set(found)}),
                "rollup": rollup_ms,
                "raw": raw_ms,
            }
        )
        print(out[-1], file=sys.stderr)
    return out


def per_block(node: Organization) -> tuple[list[tuple[str, float]], str]:
    """Compute time per block for ``node`` (first period, one run), and EXPLAIN ANALYZE of the slowest
    statement of the slowest block."""
    period = periods()[0][1]
    rows = []
    for block in ordered_blocks():
        t0 = time.perf_counter()
        block.compute([node], period)
        rows.append((block.name, (time.perf_counter() - t0) * 1000))
    timings = dict(rows)
    explained = []
    for block in sorted(ordered_blocks(), key=lambda b: -timings[b.name])[:2]:  # the two slowest blocks
        with CaptureQueriesContext(connection) as captured:
            block.compute([node], period)
        worst = max(captured.captured_queries, key=lambda q: float(q["time"]))
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + worst["sql"])
            plan = "\n".join(r[0] for r in cursor.fetchall())
        explained.append(
            f"Slowest statement of block `{block.name}` ({worst['time']} s):\n\n```\n{worst['sql']}\n\n{plan}\n```"
        )
    return rows, "\n\n".join(explained)


def nodes() -> list[tuple[str, Organization]]:
    """The root and, when the root is a city, its first district."""
    root = Organization.objects.filter(code="S", parent=None).get()
    if root.kind != OrganizationKind.CITY:
        return [("district (scale 1)", root)]
    district = Organization.objects.filter(parent=root).order_by("lft").first()
    return [("city (scale 10)", root), (f"one district of the city ({district.code})", district)]


def run_here(with_blocks: bool) -> dict:
    assert connection.vendor == "postgresql", "run against PostgreSQL (set DATABASE_URL)"
    everything = [stats_bench.FLOOR_BLOCKS[b.name] for b in ordered_blocks() if b.name in stats_bench.FLOOR_BLOCKS]
    result = {"database": connection.settings_dict["NAME"], "rows": [], "sizes": {}}
    for label, node in nodes():
        result["sizes"][label] = size(node)
        # The city's overview takes tens of seconds (see the per-block table): one period, one run.
        big = node.kind == OrganizationKind.CITY
        result["rows"] += measure(node, label, everything, all_periods=not big, runs=1 if big else RUNS)
    if with_blocks:  # on the smallest node measured here: a district (the city's would take minutes)
        result["blocks_node"], node = nodes()[-1]
        result["blocks"], result["explain"] = per_block(node)
    return result


def render(results: list[dict], load: str) -> str:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmark: statistics at city scale",
        "",
        f"Run {now}, PostgreSQL {connection.pg_version}, 2 shared cores, load average {load} "
        f"(medians of {RUNS}, of 1 for the city; one user, serial; the 20-user load run is separate).",
        "",
        "Command: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/pb_city .venv/bin/python bench/city.py "
        "--compare postgres://postgres@127.0.0.1:5432/wt_scoring_scale`",
        "",
        "| database | node | branches | active members | attendance rows of its members |",
        "|---|---|---:|---:|---:|",
    ]
    for r in results:
        for label, s in r["sizes"].items():
            lines.append(f"| {r['database']} | {label} | {s['branches']} | {s['members']} | {s['attendance']} |")
    lines += [
        "",
        "## Overview (`/api/v1/stats/overview/`, test client, district admin of the node)",
        "",
        "Every figure was checked equal to the floor of `bench/stats.py` (hand-written SQL, the faster of an "
        "`= ANY(ARRAY(subtree ids))` and a nested-set range join per statement) before timing. *Computed*: the "
        "figures' cache made stale before each request; *cached*: the same request again.",
        "",
        "The floor implements the blocks coverage, members, compliance, venues, governance, service and scores "
        "(the figures compared); *those blocks* is ours for exactly these blocks (`block.compute([node], period)`), "
        "the like-for-like ratio. The other blocks (listed) are in the overview's time but have no floor.",
        "",
        "| node | period | overview computed | queries | cached | those blocks | floor | ratio | figures compared |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        for row in r["rows"]:
            lines.append(
                f"| {row['node']} | {row['period']} | {row['ours']:.0f} ms | {row['queries']} | {row['cached']:.1f} ms "
                f"| {row['blocks_ms']:.0f} ms | {row['floor']:.0f} ms | {row['blocks_ms'] / row['floor']:.2f}× "
                f"| {row['compared']} |"
            )
    uncovered = sorted({b for r in results for row in r["rows"] for b in row["uncovered"]})
    lines += [
        "",
        f"Blocks with figures the floor does not compute (timed in the overview, those figures not compared): {', '.join(uncovered)}.",
    ]
    lines += [
        "",
        "## Organizational life: rollup versus raw attendance",
        "",
        "The same figures (`members.life_*`) read from the maintained rollup (`organizational_life_part`: whole "
        "months from `AttendanceRollup`) and summed from the raw attendance rows (`_raw_life`).",
        "",
        "| node | period | rollup | raw attendance |",
        "|---|---|---:|---:|",
    ]
    for r in results:
        for row in r["rows"]:
            lines.append(f"| {row['node']} | {row['period']} | {row['rollup']:.1f} ms | {row['raw']:.0f} ms |")
    for r in results:
        if "blocks" in r:
            lines += [
                "",
                f"## Per block, {r['database']}, {r['blocks_node']}, first period (one run)",
                "",
                "| block | ms |",
                "|---|---:|",
            ]
            lines += [f"| {name} | {ms:.0f} |" for name, ms in r["blocks"]]
            lines += ["", r["explain"]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--compare", help="DATABASE_URL of the scale-1 district (measured in a child process), or its saved --json"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON (child mode)")
    args = parser.parse_args()
    if args.json:
        print(json.dumps(run_here(with_blocks=False)))
        return
    t0 = time.perf_counter()
    results = [run_here(with_blocks=True)]
    if args.compare and args.compare.endswith(".json"):  # a child's output saved earlier (--json > file)
        results.append(json.loads(Path(args.compare).read_text().strip().splitlines()[-1]))
    elif args.compare:
        child = subprocess.run(
            [sys.executable, __file__, "--json"],
            env={**os.environ, "DATABASE_URL": args.compare},
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    text = render(results, load)
    (ROOT / "docs" / "benchmarks" / "city.md").write_text(text, encoding="utf-8")
    print(text)
    print(f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
