"""Organizational-life statistics read from the maintained rollup against the fastest hand SQL
over the raw attendance rows.

    DATABASE_URL=postgres://... .venv/bin/python bench/rollups.py [--repeat 9]

Runs against a database that already holds scale data (``manage.py generate_scale_data --scale
0.1``; the generator rebuilds the rollup at its end); builds nothing. For the district and one
street, over a year and a quarter: ours (``members.statistics.organizational_life_part``, which
reads ``AttendanceRollup`` for whole months), the same figures from the raw rows through the ORM
(what the block did before the rollup), and a hand-written floor over the raw rows (the faster of
two forms: the scope as an id array, or as a join on the branch's range from the period's meetings). The three must be equal
before anything is timed; medians of ``--repeat`` runs. Prints a Markdown table and the load
average; then ``check_rollups``.
"""

from __future__ import annotations

import argparse
import os
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
from django.db.models import Count  # noqa: E402

from core.periods import Period  # noqa: E402
from members.models import Attendance, AttendanceRollup, Meeting, Member  # noqa: E402
from members.statistics import _raw_life, organizational_life_part  # noqa: E402
from organizations.models import Organization, OrganizationKind  # noqa: E402

A, MB, MT, ORG, R = (m._meta.db_table for m in (Attendance, Member, Meeting, Organization, AttendanceRollup))

# The floor: the subtree's ids as an array probe of member.branch_id, the period's meetings by
# their held_at index, one aggregate with FILTER clauses (a NULL parent counts as "not there").
FLOOR = f"""
WITH ids AS MATERIALIZED (SELECT ARRAY(SELECT id FROM {ORG} WHERE tree_id = %s AND lft >= %s AND rght <= %s) a)
SELECT count(*), count(*) FILTER (WHERE r), count(*) FILTER (WHERE NOT r AND h)
FROM (
  SELECT (mt.organization_id = m.branch_id OR COALESCE(o.parent_id = m.branch_id, false)) AS r,
         COALESCE(mt.organization_id = m.home_organization_id OR o.parent_id = m.home_organization_id, false) AS h
  FROM {A} a
  JOIN {MT} mt ON mt.id = a.meeting_id
  JOIN {MB} m ON m.id = a.member_id
  JOIN {ORG} o ON o.id = mt.organization_id, ids
  WHERE m.branch_id = ANY(ids.a) AND m.status = 'active' AND a.status = 'present'
    AND NOT mt.archived AND mt.held_at >= %s AND mt.held_at < %s
) x
"""
# The same with the subtree as a join on the branch's nested-set range (the planner may then
# start from the period's meetings); the floor is the faster of the two in each case.
FLOOR_RANGE = f"""
SELECT count(*), count(*) FILTER (WHERE r), count(*) FILTER (WHERE NOT r AND h)
FROM (
  SELECT (mt.organization_id = m.branch_id OR COALESCE(o.parent_id = m.branch_id, false)) AS r,
         COALESCE(mt.organization_id = m.home_organization_id OR o.parent_id = m.home_organization_id, false) AS h
  FROM {MT} mt
  JOIN {A} a ON a.meeting_id = mt.id
  JOIN {MB} m ON m.id = a.member_id
  JOIN {ORG} b ON b.id = m.branch_id
  JOIN {ORG} o ON o.id = mt.organization_id
  WHERE b.tree_id = %s AND b.lft >= %s AND b.lft <= %s AND m.status = 'active' AND a.status = 'present'
    AND NOT mt.archived AND mt.held_at >= %s AND mt.held_at < %s
) x
"""
# Hand SQL over the rollup itself: what our read costs at best.
ROLLUP_FLOOR = f"""
SELECT COALESCE(SUM(life_total), 0), COALESCE(SUM(life_at_residence), 0), COALESCE(SUM(life_at_home), 0)
FROM {R} WHERE organization_id = ANY(ARRAY(SELECT id FROM {ORG} WHERE tree_id = %s AND lft >= %s AND rght <= %s))
  AND month >= %s AND month <= %s
"""
KEYS = ("members.life_total", "members.life_at_residence", "members.life_at_home")


def floor(node, period, sql=FLOOR):
    lo, hi = period.bounds()
    with connection.cursor() as cursor:
        cursor.execute(sql, [node.tree_id, node.lft, node.rght, lo, hi])
        return dict(zip(KEYS, cursor.fetchone(), strict=True))


def rollup_floor(node, period):
    first, last = period.start.replace(day=1), period.end.replace(day=1)
    with connection.cursor() as cursor:
        cursor.execute(ROLLUP_FLOOR, [node.tree_id, node.lft, node.rght, first, last])
        return dict(zip(KEYS, cursor.fetchone(), strict=True))


def ours(node, period):
    return organizational_life_part([node], period)[node.pk]


def raw_orm(node, period):
    values = _raw_life([node], period.start, period.end_exclusive)[node.pk]
    return {f"members.{k}": v for k, v in values.items()}


def median_ms(func, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        func()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    district = (
        Organization.objects.filter(kind=OrganizationKind.DISTRICT, parent=None)
        .annotate(n=Count("children"))
        .order_by("-rght")
        .first()
    )
    street = Organization.objects.filter(parent=district, kind=OrganizationKind.STREET).order_by("-rght").first()
    periods = [Period.year(2026), Period.quarter(2026, 2)]
    print(
        f"attendance rows {Attendance.objects.count():,}, rollup rows {AttendanceRollup.objects.count():,}; "
        f"load average {' / '.join(f'{x:.2f}' for x in os.getloadavg())} (shared 2-core machine)\n"
    )
    print(
        "| node | period | figures (total / residence / home) | rollup ms | raw ORM ms | hand SQL floor ms | rollup ÷ floor "
        "| hand SQL over the rollup ms | rollup ÷ that |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    mismatches = 0
    for node in (district, street):
        for period in periods:
            a, b, c = ours(node, period), raw_orm(node, period), floor(node, period)
            d, e = floor(node, period, FLOOR_RANGE), rollup_floor(node, period)
            if not a == b == c == d == e:
                mismatches += 1
                print(f"MISMATCH {node.name} {period}: ours {a} raw {b} floor {c} / {d}")
                continue
            t_ours = median_ms(lambda n=node, p=period: ours(n, p), args.repeat)
            t_raw = median_ms(lambda n=node, p=period: raw_orm(n, p), args.repeat)
            t_floor = min(
                median_ms(lambda n=node, p=period: floor(n, p), args.repeat),
                median_ms(lambda n=node, p=period: floor(n, p, FLOOR_RANGE), args.repeat),
            )
            t_rollup_floor = median_ms(lambda n=node, p=period: rollup_floor(n, p), args.repeat)
            figures = " / ".join(str(a[k]) for k in KEYS)
            print(
                f"| {node.name} | {period.label} | {figures} | {t_ours:.1f} | {t_raw:.1f} | {t_floor:.1f} | "
                f"{t_ours / t_floor:.2f}× | {t_rollup_floor:.1f} | {t_ours / t_rollup_floor:.2f}× |"
            )
    print(f"\nload average after: {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")
    call_command("check_rollups")
    t = time.perf_counter()
    call_command("rebuild_rollups")
    print(f"rebuild_rollups: {time.perf_counter() - t:.2f} s")
    if mismatches:
        sys.exit(1)


if __name__ == "__main__":
    main()
