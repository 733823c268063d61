"""Benchmark of party dues (run against PostgreSQL):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pb_bench_dues .venv/bin/python bench/dues.py [--scale 1.0]

Builds the district at scale (organizations, members, and the dues generator: a base for every
active member and twelve months of payments; then the dues summaries are rebuilt, as the scale
generator's last step does), then measures the district's dues block for the twelve months and
for the calendar year (which reaches past the last payment: every open run of unpaid months
counts): ours (the ``dues`` statistics part, read from the summaries) against the fastest hand
SQL we could write over the same summaries (one statement, one row, the fund sums included),
and, for reference, the raw computation over the ledger (FIGURES_SQL aggregated in one
statement, what the block read before the summaries). Checks all three give the same figures
before timing; ours and the floor interleaved, the raw runs after them; medians.
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
from django.utils import timezone  # noqa: E402

from core.periods import Period, add_months  # noqa: E402
from core.registry import ScaleContext  # noqa: E402
from members.demo import scale as member_scale  # noqa: E402
from members.dues import rollup as dues_rollup  # noqa: E402
from members.dues import scale as dues_scale  # noqa: E402
from members.dues.statistics import dues_part  # noqa: E402
from organizations.demo import scale as org_scale  # noqa: E402
from organizations.models import Organization  # noqa: E402

HAND_SQL = """
WITH br AS (
    SELECT id FROM organizations_organization
    WHERE tree_id = %(t)s AND lft >= %(l)s AND rght <= %(r)s AND kind = 'compound_branch'
), pay AS (
    SELECT member_id, month, SUM(amount) AS amt FROM members_duespayment
    WHERE month BETWEEN %(start)s AND %(end)s GROUP BY 1, 2 HAVING SUM(amount) > 0
), per AS (
    SELECT m.id,
           COUNT(*) FILTER (WHERE b.monthly_amount > 0) AS due_m,
           COALESCE(SUM(b.monthly_amount), 0) AS due_a,
           COUNT(pay.month) FILTER (WHERE b.monthly_amount > 0) AS paid_m,
           COALESCE(SUM(pay.amt), 0) AS paid_a
    FROM members_member m JOIN br ON br.id = m.branch_id
    CROSS JOIN LATERAL generate_series(
        GREATEST(%(start)s::date, date_trunc('month', COALESCE(m.admitted_on, %(start)s))::date),
        %(end)s::date, interval '1 month') AS gs(month)
    JOIN LATERAL (SELECT monthly_amount FROM members_duesbase b
                  WHERE b.member_id = m.id AND b.valid_from <= gs.month
                  ORDER BY b.valid_from DESC LIMIT 1) b ON TRUE
    LEFT JOIN pay ON pay.member_id = m.id AND pay.month = gs.month::date
    WHERE m.status = 'active'
    GROUP BY m.id
)
SELECT COALESCE(SUM(due_a), 0), COALESCE(SUM(paid_a), 0), COALESCE(SUM(due_m), 0), COALESCE(SUM(paid_m), 0),
       COUNT(*) FILTER (WHERE paid_m < due_m)
FROM per
"""


SUMMARY_SQL = """
WITH br AS (
    SELECT id FROM organizations_organization
    WHERE tree_id = %(t)s AND lft >= %(l)s AND rght <= %(r)s AND kind = 'compound_branch'
)
SELECT d.due, d.paid, d.due_m, d.paid_m, a.n, fa.total, fs.total
FROM (
    SELECT COALESCE(SUM(r.due_amount_change * (%(last)s + 1 - GREATEST(
               EXTRACT(YEAR FROM r.month)::int * 12 + EXTRACT(MONTH FROM r.month)::int - 1, %(first)s))), 0) AS due,
           COALESCE(SUM(r.paid_amount) FILTER (WHERE r.month >= %(start)s), 0) AS paid,
           COALESCE(SUM(r.due_months_change * (%(last)s + 1 - GREATEST(
               EXTRACT(YEAR FROM r.month)::int * 12 + EXTRACT(MONTH FROM r.month)::int - 1, %(first)s))), 0) AS due_m,
           COALESCE(SUM(r.paid_months) FILTER (WHERE r.month >= %(start)s), 0) AS paid_m
    FROM members_duesrollup r JOIN br ON br.id = r.branch_id
    WHERE r.month <= %(end)s
) d, (
    SELECT COUNT(DISTINCT s.member_id) AS n
    FROM members_duesarrearsspan s JOIN br ON br.id = s.branch_id
    WHERE s.first_month <= %(end)s AND (s.last_month IS NULL OR s.last_month >= %(start)s)
) a, (
    SELECT COALESCE(SUM(x.amount), 0) AS total FROM members_fundallocation x
    JOIN members_branchfund f ON f.id = x.fund_id JOIN br ON br.id = f.branch_id
    WHERE x.allocated_on BETWEEN %(start)s AND %(end_day)s
) fa, (
    SELECT COALESCE(SUM(x.amount), 0) AS total FROM members_fundspending x
    JOIN members_branchfund f ON f.id = x.fund_id JOIN br ON br.id = f.branch_id
    WHERE x.spent_on BETWEEN %(start)s AND %(end_day)s
) fs
"""


def summary(district, period):
    start, end = period.start.replace(day=1), period.end.replace(day=1)
    params = {"t": district.tree_id, "l": district.lft, "r": district.rght, "start": start, "end": end}
    params |= {"first": start.year * 12 + start.month - 1, "last": end.year * 12 + end.month - 1}
    params["end_day"] = period.end
    with connection.cursor() as cur:
        cur.execute(SUMMARY_SQL, params)
        return cur.fetchone()


def hand(district, period):
    with connection.cursor() as cur:
        cur.execute(
            HAND_SQL,
            {"t": district.tree_id, "l": district.lft, "r": district.rght, "start": period.start, "end": period.end},
        )
        return cur.fetchone()


def ours(district, period):
    v = dues_part([district], period)[district.pk]
    return (
        v["dues.due"],
        v["dues.paid"],
        v["dues.due_months"],
        v["dues.paid_months"],
        v["dues.in_arrears"],
        v["dues.funds_allocated"],
        v["dues.funds_spent"],
    )


def timed(func):
    t0 = time.perf_counter()
    func()
    return time.perf_counter() - t0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--prefix", default="DU")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL (DATABASE_URL=postgres://...).")
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    district = Organization.objects.filter(code=args.prefix).first()
    build = None
    if district is None:
        gens = (org_scale.generate, member_scale.generate)
        sizes = {k: max(1, int(v * args.scale)) for g in gens for k, v in g.DEFAULTS.items()}
        ctx = ScaleContext(sizes=sizes, prefix=args.prefix, rng=random.Random(7), today=today)
        t0 = time.perf_counter()
        for gen in (*gens, dues_scale.generate):
            gen(ctx)
        build = time.perf_counter() - t0
        district = ctx.data["district"]
        t0 = time.perf_counter()
        dues_rollup.rebuild()
        print(f"dues summaries rebuilt in {time.perf_counter() - t0:.1f} s")
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    district = Organization.objects.get(pk=district.pk)
    end = today.replace(day=1) - datetime.timedelta(days=1)
    for label, period in (
        ("twelve months to last month", Period(add_months(end.replace(day=1), -11), end)),
        ("calendar year", Period.year(today.year)),
    ):
        measure(label, district, period, args.repeat, build)


def measure(label, district, period, repeat, build):
    raw = hand(district, period)  # first: it evicts the summaries' pages (see below)
    mine, floor = ours(district, period), summary(district, period)
    assert tuple(mine) == tuple(floor), f"figures differ: ours {mine}, summary SQL {floor}"
    assert tuple(mine[:5]) == tuple(raw), f"figures differ: ours {mine}, raw SQL {raw}"
    # Ours and the floor interleaved (each first in turn); the raw computation afterwards, as it
    # pushes the summaries' pages out of the buffer cache for whatever runs right after it.
    ours_t, floor_t, raw_t = [], [], []
    for i in range(repeat):
        pair = [(ours_t, ours), (floor_t, summary)]
        for times, func in pair if i % 2 == 0 else pair[::-1]:
            times.append(timed(lambda func=func: func(district, period)))
    for _ in range(repeat):
        raw_t.append(timed(lambda: hand(district, period)))
    o, f, r = (statistics.median(t) for t in (ours_t, floor_t, raw_t))
    load = os.getloadavg()
    print(f"{label} {period.start}..{period.end}")
    print(f"  figures (due, paid, member-months due, paid, members in arrears, allocated, spent): {tuple(floor)}")
    print(
        f"  build {build or 0:.0f} s; ours {o * 1000:.1f} ms, summary SQL {f * 1000:.1f} ms, ratio {o / f:.2f}; "
        f"raw FIGURES_SQL {r * 1000:.0f} ms ({r / o:.0f}x ours); load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


if __name__ == "__main__":
    main()
