"""Scope filter, member counts and the member list against hand-written SQL floors.

    DATABASE_URL=postgres://... .venv/bin/python bench/scope.py [--repeat 7]

Runs against a database that already holds scale data (``manage.py generate_scale_data --scale
0.1`` is enough); builds nothing. Every pair is checked for equal figures before it is timed;
medians of ``--repeat`` runs. Prints a Markdown table and the load average.
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

from django.db import connection  # noqa: E402
from django.db.models import Q, Subquery  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from members.models import Member  # noqa: E402
from organizations.models import Organization, Role  # noqa: E402
from organizations.scope import live_subtree_filter  # noqa: E402
from organizations.selectors import cumulative_counts  # noqa: E402
from organizations.services import access_scope_set  # noqa: E402

MEMBERS = Member._meta.db_table
ORGS = Organization._meta.db_table

# Floor: members counted once per owning node (group, else branch), then summed over nested-set
# ranges by a join on the (few) owners.
COUNT_FLOOR = f"""
SELECT o.id, COALESCE(SUM(c.n), 0)
FROM {ORGS} o
LEFT JOIN (
  SELECT d.tree_id, d.lft, c.n FROM (
    SELECT COALESCE(group_id, branch_id) AS owner, count(*) AS n FROM {MEMBERS}
    WHERE status = 'active' GROUP BY 1) c JOIN {ORGS} d ON d.id = c.owner
) c ON c.tree_id = o.tree_id AND c.lft BETWEEN o.lft AND o.rght
GROUP BY o.id
"""

# Floor: the page and the count of the member list, scope as an id array.
LIST_FLOOR = f"""
WITH ids AS MATERIALIZED (SELECT ARRAY(SELECT id FROM {ORGS} WHERE tree_id = %s AND lft >= %s AND rght <= %s) a)
SELECT m.id FROM {MEMBERS} m, ids WHERE m.branch_id = ANY(ids.a) OR m.home_organization_id = ANY(ids.a)
ORDER BY m.branch_id, m.name, m.id LIMIT 50
"""
COUNT_LIST_FLOOR = f"""
SELECT count(*) FROM (SELECT 1 FROM {MEMBERS} m WHERE m.branch_id = ANY(ARRAY(
  SELECT id FROM {ORGS} WHERE tree_id = %s AND lft >= %s AND rght <= %s))
  OR m.home_organization_id = ANY(ARRAY(SELECT id FROM {ORGS} WHERE tree_id = %s AND lft >= %s AND rght <= %s))
  LIMIT 10001) s
"""


def median_ms(func, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def sql(query, params=()):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def old_scope_q(model, node_id):
    """The scope filter as it was: OR-ed nested-set ranges with scalar-subquery bounds."""
    node = Organization.objects.filter(pk=node_id)
    bounds = {k: Subquery(node.values(k)[:1]) for k in ("tree_id", "lft", "rght")}
    q = Q()
    for path in model.SCOPE_PATHS:
        q |= Q(
            **{
                f"{path}__tree_id": bounds["tree_id"],
                f"{path}__lft__gte": bounds["lft"],
                f"{path}__rght__lte": bounds["rght"],
            }
        )
    return q


def staff_client(node):
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username=f"bench_scope_{node.pk}", defaults={"is_staff": True})
    access_scope_set(user=user, organization=node, role=Role.DISTRICT_ADMIN)
    client = APIClient()
    client.force_authenticate(user)
    return client


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    repeat = parser.parse_args().repeat
    rows = []
    district = Organization.objects.filter(parent__isnull=True).order_by("tree_id").first()
    street = Organization.objects.filter(parent=district).order_by("lft").first()
    community = Organization.objects.filter(parent=street).order_by("lft").first()

    # 1. member counts under every node
    ours = {pk: c["member_count"] for pk, c in cumulative_counts(Organization.objects.all(), ["member_count"]).items()}
    floor = dict(sql(COUNT_FLOOR))
    assert ours == {k: int(v) for k, v in floor.items()}, "member counts differ from the floor"
    o = median_ms(lambda: cumulative_counts(Organization.objects.all(), ["member_count"]), repeat)
    f = median_ms(lambda: sql(COUNT_FLOOR), repeat)
    rows.append(("member counts under every node", o, f, "GROUP BY owner, sum over ranges"))

    for label, node in (("district", district), ("community", community)):
        # 2. the scoped COUNT: old filter vs new vs floor
        params = (node.tree_id, node.lft, node.rght)
        new_n = Member.objects.filter(live_subtree_filter(Member, node.pk)).count()
        old_n = Member.objects.filter(old_scope_q(Member, node.pk)).count()
        floor_n = min(sql(COUNT_LIST_FLOOR.replace("LIMIT 10001", ""), params * 2)[0][0], 10**9)
        assert new_n == old_n == floor_n, (new_n, old_n, floor_n)
        o = median_ms(lambda n=node: Member.objects.filter(live_subtree_filter(Member, n.pk)).count(), repeat)
        before = median_ms(lambda n=node: Member.objects.filter(old_scope_q(Member, n.pk)).count(), repeat)
        f = median_ms(lambda p=params: sql(COUNT_LIST_FLOOR.replace("LIMIT 10001", ""), p * 2), repeat)
        rows.append(
            (f"scoped member COUNT, {label} ({new_n:,} rows); before: {before:.1f} ms", o, f, "= ANY(ARRAY(...))")
        )

        # 3. the member list API page of 50 (whole request) vs the page + capped count in SQL
        client = staff_client(node)
        with override_settings(ALLOWED_HOSTS=["*"]):
            response = client.get("/api/v1/members/", {"page_size": 50})
            assert response.status_code == 200, response.content[:300]
            api_ids = [r["id"] for r in response.json()["results"]]
            floor_ids = [r[0] for r in sql(LIST_FLOOR, params)]
            assert api_ids == floor_ids, "member list page differs from the floor"
            o = median_ms(lambda c=client: c.get("/api/v1/members/", {"page_size": 50}), repeat)
        f = median_ms(lambda p=params: (sql(LIST_FLOOR, p), sql(COUNT_LIST_FLOOR, p * 2)), repeat)
        rows.append(
            (f"`/api/v1/members/` page of 50, {label} (whole request vs page+count SQL)", o, f, "= ANY(ARRAY(...))")
        )

    # 4. the points ledger, district: capped count vs the full scoped COUNT it replaced
    client = staff_client(district)
    with override_settings(ALLOWED_HOSTS=["*"]):
        body = client.get("/api/v1/points/", {"page_size": 50}).json()
        o = median_ms(lambda: client.get("/api/v1/points/", {"page_size": 50}), repeat)
    from members.models import PointsEntry

    full = PointsEntry.objects.filter(live_subtree_filter(PointsEntry, district.pk))
    total = full.count()
    f = median_ms(full.count, repeat)
    if total:
        rows.append(
            (
                f"`/api/v1/points/` page of 50, district ({total:,} rows, count {body['count']:,}"
                f"{' capped' if body.get('count_capped') else ''}) vs the full scoped COUNT alone",
                o,
                f,
                "COUNT(*) under the scope",
            )
        )

    # 5. the organization walk: every page of /organizations/ with its subtree counts, against the
    # same pages counted the old way (each page's index built over the whole forest).
    from organizations import selectors

    def walk():
        page, seen = 1, 0
        while True:
            r = client.get("/api/v1/organizations/", {"page_size": 50, "page": page})
            body = r.json()
            seen += len(body["results"])
            if not body.get("next"):
                return seen
            page += 1

    with override_settings(ALLOWED_HOSTS=["*"]):
        nodes = walk()
        o = median_ms(walk, max(1, repeat // 2))
        real = selectors._merged_ranges
        trees = {t: m for t, m in sql(f"SELECT tree_id, max(rght) FROM {ORGS} GROUP BY 1")}
        selectors._merged_ranges = lambda positions: [(t, 1, trees[t]) for t in sorted({p[0] for p in positions})]
        try:
            before = median_ms(walk, max(1, repeat // 2))
        finally:
            selectors._merged_ranges = real
    rows.append(
        (
            f"organization walk through the API ({nodes:,} nodes, 50 a page)",
            o,
            before,
            "the same walk, whole-forest index per page (before)",
        )
    )

    print("| what | ours ms | floor ms | ratio | floor |")
    print("|---|---|---|---|---|")
    for what, o, f, how in rows:
        print(f"| {what} | {o:.1f} | {f:.1f} | {o / f:.2f}× | {how} |")
    print(f"\nload average: {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()
