"""Benchmark of organizational life (run against PostgreSQL):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pb_bench_meetings .venv/bin/python bench/meetings.py [--scale 1.0]

Builds the district at scale with the organizations, members and meetings generators only
(1,500 branches, 100,000 members, three years of meetings with ~1,000,000 attendance rows at
--scale 1), then measures in the same run the compliance for the whole district for one year:

* OUR path: ``members.compliance.compliance_for_subtree`` (ORM, a fixed number of queries);
* the FLOOR: the same four result sets fetched with hand-written SQL through a raw cursor
  (branches of the subtree, the requirement rows, groups per branch, and meetings grouped by
  branch, kind and month in Asia/Shanghai time), folded by the same pure function.

Both must produce identical per-branch numbers (checked). Writes ``docs/benchmarks/meetings.md``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.registry import ScaleContext  # noqa: E402
from members.compliance import compliance_for_subtree, fold_compliance, requirement_table, year_window  # noqa: E402
from members.demo import scale as member_scale  # noqa: E402
from members.demo import scale_meetings  # noqa: E402
from members.models import Attendance, Meeting  # noqa: E402
from organizations.demo import scale as org_scale  # noqa: E402
from organizations.models import Organization  # noqa: E402

FLOOR_SQL = {
    "branches": """
        SELECT id, name, code, formation, lft, established_on, dissolved_on FROM organizations_organization
        WHERE tree_id = %(t)s AND lft >= %(l)s AND rght <= %(r)s AND kind = 'compound_branch'
          AND (dissolved_on IS NULL OR dissolved_on >= %(start)s)
          AND (established_on IS NULL OR established_on <= %(last_day)s)
        ORDER BY tree_id, lft""",
    "groups": """
        SELECT parent_id, id FROM organizations_organization
        WHERE tree_id = %(t)s AND lft >= %(l)s AND rght <= %(r)s AND kind = 'building_group'
          AND dissolved_on IS NULL ORDER BY parent_id, id""",
    "counts": """
        SELECT CASE WHEN o.kind = 'building_group' THEN o.parent_id ELSE o.id END AS branch_id,
               CASE WHEN o.kind = 'building_group' THEN o.id ELSE 0 END AS group_id, m.kind,
               extract(year FROM m.held_at AT TIME ZONE 'Asia/Shanghai')::int,
               extract(month FROM m.held_at AT TIME ZONE 'Asia/Shanghai')::int, count(*)
        FROM members_meeting m JOIN organizations_organization o ON o.id = m.organization_id
        WHERE o.tree_id = %(t)s AND o.lft >= %(l)s AND o.rght <= %(r)s
          AND m.held_at >= %(lo)s AND m.held_at < %(hi)s AND m.held_at < %(until)s AND NOT m.archived
        GROUP BY 1, 2, 3, 4, 5""",
}


def floor(node, window, today):
    lo, hi = window.bounds()
    # As of ``today``: branches founded by then, meetings held by then (end of that local day).
    until = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min, tzinfo=hi.tzinfo)
    last_day = min(today, window.end - datetime.timedelta(days=1))
    params = {
        "t": node.tree_id,
        "l": node.lft,
        "r": node.rght,
        "start": window.start,
        "last_day": last_day,
        "lo": lo,
        "hi": hi,
        "until": until,
    }
    with connection.cursor() as cur:
        cur.execute(FLOOR_SQL["branches"], params)
        columns = ("id", "name", "code", "formation", "lft", "established_on", "dissolved_on")
        branches = [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]
        cur.execute(FLOOR_SQL["groups"], params)
        groups = {}
        for parent_id, pk in cur.fetchall():
            groups.setdefault(parent_id, []).append(pk)
        cur.execute(FLOOR_SQL["counts"], params)
        counts = {}
        for branch_id, group_id, kind, y, m, n in cur.fetchall():
            months = counts.setdefault((branch_id, kind), {})
            months[(y, m)] = months.get((y, m), 0) + n
            if group_id:  # 党小组会 are owed per group
                counts.setdefault((branch_id, kind, group_id), {})[(y, m)] = n
    table = requirement_table()
    return fold_compliance(
        branches=branches, counts=counts, group_counts=groups, table=table, window=window, today=today
    )


def timed(func, repeat):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - t0)
    return result, statistics.median(times), min(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--prefix", default="BM")
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL (DATABASE_URL=postgres://...).")
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    district = Organization.objects.filter(code=args.prefix).first()
    build_seconds = None
    if district is None:
        sizes = {
            k: max(1, int(v * args.scale))
            for gen in (org_scale.generate, member_scale.generate, scale_meetings.generate)
            for k, v in gen.DEFAULTS.items()
        }
        ctx = ScaleContext(sizes=sizes, prefix=args.prefix, rng=random.Random(args.seed), today=today)
        t0 = time.perf_counter()
        for gen in (org_scale.generate, member_scale.generate, scale_meetings.generate):
            gen(ctx)
        build_seconds = time.perf_counter() - t0
        district = ctx.data["district"]
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    district = Organization.objects.get(pk=district.pk)
    window = year_window(today.year - 1)  # a whole past year

    with CaptureQueriesContext(connection) as ours_q:
        ours = compliance_for_subtree(district, window, today=today)
    with CaptureQueriesContext(connection) as floor_q:
        raw = floor(district, window, today)
    mine = [b.as_dict() for b in ours.branches]
    assert mine == [b.as_dict() for b in raw], "our numbers differ from the floor's"
    # Interleaved, so that load from other processes on the shared machine hits both paths alike.
    ours_t, floor_t = [], []
    for _ in range(args.repeat):
        ours_t.append(timed(lambda: compliance_for_subtree(district, window, today=today), 1)[1])
        floor_t.append(timed(lambda: floor(district, window, today), 1)[1])
    ours_med, ours_min = statistics.median(ours_t), min(ours_t)
    floor_med, floor_min = statistics.median(floor_t), min(floor_t)
    load = os.getloadavg()[0]

    branches = Organization.objects.filter(tree_id=district.tree_id, kind="compound_branch").count()
    meetings = Meeting.objects.filter(organization__tree_id=district.tree_id).count()
    attendance = Attendance.objects.filter(meeting__organization__tree_id=district.tree_id).count()
    lines = [
        "# Benchmark: organizational life",
        "",
        f"Run: `DATABASE_URL=postgres://…/pb_bench_meetings .venv/bin/python bench/meetings.py --scale {args.scale}`"
        f" on {timezone.now():%Y-%m-%d %H:%M} UTC, PostgreSQL {connection.pg_version // 10000}, 2 cores shared with"
        f" other jobs (load average {load:.1f}); {args.repeat} interleaved runs of each path.",
        "",
        f"Data: {branches:,} branches, {meetings:,} meetings, {attendance:,} attendance rows over three years"
        + (
            f" (built in {build_seconds:.0f} s by the organizations, members and meetings generators)."
            if build_seconds
            else " (built by an earlier run)."
        ),
        "",
        f"## Compliance for the whole district, {window.label} (every branch × every required kind)",
        "",
        "| path | queries | median | best | ratio (median) |",
        "|---|---:|---:|---:|---:|",
        f"| ours: `compliance_for_subtree` (ORM) | {len(ours_q.captured_queries)} | {ours_med * 1000:.1f} ms "
        f"| {ours_min * 1000:.1f} ms | {ours_med / floor_med:.2f}× |",
        f"| floor: hand-written SQL, raw cursor, same fold | {len(floor_q.captured_queries)} | "
        f"{floor_med * 1000:.1f} ms | {floor_min * 1000:.1f} ms | 1.00× |",
        "",
        f"Result: {ours.total:,} branches, {ours.compliant_count:,} compliant, {ours.on_track_count:,} with no"
        f" overdue period, {len(ours.behind):,} behind. Both paths give identical per-branch numbers (asserted).",
        "Most of the time is the pure-Python fold of ~12,000 (branch, kind, month) rows into periods, which both"
        " paths share; the database part is one GROUP BY over the year's meetings (index `meeting_held_kind`).",
        "The query count does not depend on the number of branches (the test suite asserts the same count for"
        " 2 and 12 branches). Target: ≤ 2× the floor.",
        "",
    ]
    out = ROOT / "docs" / "benchmarks" / "meetings.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
