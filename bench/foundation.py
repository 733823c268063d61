"""Benchmark of the foundation, run against PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pb_bench_foundation .venv/bin/python bench/foundation.py

1. On an empty database, times ``generate_scale_data`` and its organizations part (10 streets,
   120 communities, 1,500 branches, 6,000 groups, compounds, buildings, venues).
2. Cumulative counts under every node: our code path (``cumulative_counts``, two queries)
   versus a hand-written nested-set SQL floor, medians of several runs in the same process.
Prints a Markdown table for docs/benchmarks.md.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from core.registry import CUMULATIVE_COUNTS  # noqa: E402
from organizations.models import Organization  # noqa: E402
from organizations.selectors import cumulative_counts  # noqa: E402

FLOOR_SQL = {
    "compound_count": """
        SELECT o.id, COUNT(c.id)
        FROM organizations_organization o
        LEFT JOIN organizations_organization d ON d.tree_id = o.tree_id AND d.lft BETWEEN o.lft AND o.rght
        LEFT JOIN organizations_compound c ON c.community_id = d.id
        GROUP BY o.id""",
    "member_count": """
        SELECT o.id, COUNT(m.id)
        FROM organizations_organization o
        LEFT JOIN organizations_organization d ON d.tree_id = o.tree_id AND d.lft BETWEEN o.lft AND o.rght
        LEFT JOIN members_member m ON m.branch_id = d.id AND m.status = 'active'
        GROUP BY o.id""",
}


def median_time(fn, runs=5):
    fn()  # warm up
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


class Collect:
    def __init__(self):
        self.lines = []

    def write(self, s):
        self.lines.append(s)


def main():
    assert connection.vendor == "postgresql", "run against PostgreSQL (set DATABASE_URL)"
    call_command("migrate", verbosity=0)
    out = Collect()
    total = None
    if not Organization.objects.filter(code="S").exists():
        t0 = time.perf_counter()
        # The tree, compounds and 100,000 members at full size; the other apps' data at token
        # size (their own benchmarks measure them).
        small = [
            f"--{k}=1"
            for k in (
                "attendance-rows",
                "property-firms",
                "matters",
                "partners",
                "agreements",
                "resources",
                "needs",
                "projects",
                "activities",
                "wishes",
                "requests",
            )
        ]
        call_command("generate_scale_data", "--prefix", "S", *small, stdout=out)
        total = time.perf_counter() - t0
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print("| measure | value |")
    print("|---|---|")
    if total is not None:
        print(f"| generate_scale_data, all generators | {total:.1f} s |")
        for line in out.lines:
            if ": " in line and " s" in line and "." in line.split(":")[0]:
                print(f"| {line.strip().split(':')[0]} | {line.strip().split(':')[1].strip()} |")
    print(f"| organization nodes | {Organization.objects.count()} |")
    for attr, sql in FLOOR_SQL.items():
        if attr not in CUMULATIVE_COUNTS:
            continue

        def ours(attr=attr):
            counts = cumulative_counts(Organization.objects.all(), [attr])
            return [(pk, values[attr]) for pk, values in counts.items()]

        def floor(sql=sql):
            with connection.cursor() as cur:
                cur.execute(sql)
                return cur.fetchall()

        assert dict(ours()) == dict(floor()), f"{attr}: our counts differ from the floor"
        with CaptureQueriesContext(connection) as ctx:
            ours()
        ours_t, floor_t = median_time(ours), median_time(floor)
        print(f"| {attr} under every node: ours | {ours_t * 1000:.1f} ms, {len(ctx.captured_queries)} query |")
        print(f"| {attr} under every node: raw SQL floor | {floor_t * 1000:.1f} ms |")
        print(f"| {attr}: ratio ours / floor | {ours_t / floor_t:.2f} |")


if __name__ == "__main__":
    main()
