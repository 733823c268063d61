"""Scope filter, member counts and the member list against hand-written SQL floors.

    DATABASE_URL=postgres://... .venv/bin/python bench/scope.py [--repeat 7]

Runs against a database that already holds scale data (``manage.py generate_scale_data --scale
0.1`` is enough); builds nothing. Every pair is checked for equal figures before it is timed;
medians of ``--repeat`` runs. Prints a Markdown table and the load average.
"""

from __future__ import annotations

import argparse
import datetime
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
from django.utils import timezone  # noqa: E402
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

# Floor: members counted once per owning node, put at the owner's ``lft``; one running sum per
# tree over every node's ``lft`` and ``rght`` positions (all distinct); a node's subtree holds
# the running sum at its ``rght`` minus the one at its ``lft``, plus its own members.
WINDOW_COUNT_FLOOR = f"""
WITH own AS (SELECT COALESCE(group_id, branch_id) AS id, count(*) AS n FROM {MEMBERS} WHERE status = 'active' GROUP BY 1),
ev AS (
  SELECT o.id, o.tree_id, o.lft AS pos, COALESCE(own.n, 0) AS n, false AS closing FROM {ORGS} o LEFT JOIN own ON own.id = o.id
  UNION ALL SELECT o.id, o.tree_id, o.rght, 0, true FROM {ORGS} o),
cum AS (SELECT id, closing, n, sum(n) OVER (PARTITION BY tree_id ORDER BY pos) AS c FROM ev)
SELECT id, sum(CASE WHEN closing THEN c ELSE n - c END) FROM cum GROUP BY id
"""

# Floor: the member list page with every column the API shows: the member row, its three
# organizations' briefs, and the year's organizational life of only the page's members (one
# grouped pass over their attendance), the keys sorted and skipped before the wide rows are joined.
ATT = "members_attendance"
MEETINGS = "members_meeting"
PAGE_FLOOR = f"""
WITH page AS MATERIALIZED (
  SELECT m.id FROM {MEMBERS} m
  WHERE (m.branch_id = ANY(ARRAY(SELECT id FROM {ORGS} WHERE tree_id = %(t)s AND lft >= %(l)s AND rght <= %(r)s))
     OR m.home_organization_id = ANY(ARRAY(SELECT id FROM {ORGS} WHERE tree_id = %(t)s AND lft >= %(l)s AND rght <= %(r)s)))
    {{extra}}
  ORDER BY m.branch_id, m.name, m.id LIMIT 50 OFFSET %(offset)s),
life AS (
  SELECT a.member_id,
    count(*) FILTER (WHERE mt.held_at >= %(lo)s AND mt.held_at < %(hi)s) AS total,
    count(*) FILTER (WHERE mt.held_at >= %(lo)s AND mt.held_at < %(hi)s
                       AND (mt.organization_id = pm.branch_id OR o.parent_id = pm.branch_id)) AS at_residence,
    count(*) FILTER (WHERE mt.held_at >= %(lo)s AND mt.held_at < %(hi)s
                       AND (mt.organization_id = pm.home_organization_id OR o.parent_id = pm.home_organization_id)
                       AND NOT (mt.organization_id = pm.branch_id OR coalesce(o.parent_id = pm.branch_id, false))) AS at_home,
    max(mt.held_at) AS last,
    bool_or(mt.held_at >= %(recent_from)s AND mt.held_at < %(recent_to)s) AS recent
  FROM page JOIN {ATT} a ON a.member_id = page.id JOIN {MEMBERS} pm ON pm.id = page.id
  JOIN {MEETINGS} mt ON mt.id = a.meeting_id JOIN {ORGS} o ON o.id = mt.organization_id
  WHERE a.status = 'present' AND NOT mt.archived GROUP BY a.member_id)
SELECT m.*, b.id, b.name, b.kind, g.id, g.name, g.kind, h.id, h.name, h.kind,
  coalesce(life.total, 0), coalesce(life.at_residence, 0), coalesce(life.at_home, 0), life.last,
  (CASE WHEN m.branch_joined_on IS NOT NULL THEN m.branch_joined_on < %(cutoff)s ELSE m.created_at < %(recent_from)s END)
    AND NOT coalesce(life.recent, false)
FROM page JOIN {MEMBERS} m ON m.id = page.id JOIN {ORGS} b ON b.id = m.branch_id
LEFT JOIN {ORGS} g ON g.id = m.group_id LEFT JOIN {ORGS} h ON h.id = m.home_organization_id
LEFT JOIN life ON life.member_id = m.id
ORDER BY m.branch_id, m.name, m.id
"""
COUNT_LIST_FLOOR = f"""
SELECT count(*) FROM (SELECT 1 FROM {MEMBERS} m WHERE (m.branch_id = ANY(ARRAY(
  SELECT id FROM {ORGS} WHERE tree_id = %(t)s AND lft >= %(l)s AND rght <= %(r)s))
  OR m.home_organization_id = ANY(ARRAY(SELECT id FROM {ORGS} WHERE tree_id = %(t)s AND lft >= %(l)s AND rght <= %(r)s)))
  {{extra}} LIMIT 10001) s
"""

# Floor: one page of the organization list (50 nodes of the subtree in tree order, every column
# the API shows, the parent's brief) with its subtree counts. The counts read only the rows owned
# inside the page's span (the range from its first node's lft to the largest rght on it): members
# counted once per owning node (group, else branch) and compounds per community, each key tested
# against the span's id array; the (few) owners joined to their lft; a page node's count is the
# sum over the owners inside its own range. The list's COUNT beside it, as the paginator does.
WALK_PAGE_FLOOR = f"""
WITH page AS MATERIALIZED (
  SELECT o.* FROM {ORGS} o WHERE o.tree_id = %(t)s AND o.lft BETWEEN %(l)s AND %(r)s
  ORDER BY o.tree_id, o.lft LIMIT 50 OFFSET %(offset)s),
span AS MATERIALIZED (
  SELECT o.id, o.lft, o.kind FROM {ORGS} o
  WHERE o.tree_id = %(t)s AND o.lft BETWEEN (SELECT min(lft) FROM page) AND (SELECT max(rght) FROM page)),
mem AS (
  SELECT s.lft, c.n FROM (
    SELECT COALESCE(m.group_id, m.branch_id) AS owner, count(*) AS n FROM {MEMBERS} m
    WHERE m.status = 'active'
      AND (m.branch_id = ANY(ARRAY(SELECT id FROM span)) OR m.group_id = ANY(ARRAY(SELECT id FROM span)))
    GROUP BY 1) c JOIN span s ON s.id = c.owner),
cmp AS (
  SELECT s.lft, c.n FROM (
    SELECT k.community_id AS owner, count(*) AS n FROM organizations_compound k
    WHERE k.community_id = ANY(ARRAY(SELECT id FROM span)) GROUP BY 1) c JOIN span s ON s.id = c.owner)
SELECT p.id, p.name, p.code, p.kind, p.formation, p.parent_id, q.name, q.kind, p.level, p.established_on,
  p.dissolved_on, p.elected_on, p.term_ends_on, p.phone, p.address,
  (SELECT COALESCE(sum(n), 0) FROM cmp WHERE cmp.lft BETWEEN p.lft AND p.rght) AS compound_count,
  (SELECT count(*) FROM span WHERE span.kind = 'compound_branch' AND span.lft BETWEEN p.lft AND p.rght) AS branch_count,
  (SELECT COALESCE(sum(n), 0) FROM mem WHERE mem.lft BETWEEN p.lft AND p.rght) AS member_count
FROM page p LEFT JOIN {ORGS} q ON q.id = p.parent_id
ORDER BY p.tree_id, p.lft
"""
WALK_COUNT_FLOOR = f"SELECT count(*) FROM {ORGS} WHERE tree_id = %(t)s AND lft BETWEEN %(l)s AND %(r)s"

# Floor: page 1 of the points ledger of a subtree, newest first: the 50 keys along the
# (occurred_on DESC, id DESC) index with the scope tested on the member's two organizations, then
# the page's rows with the member's name and the source's content type; beside it the count capped
# at 10,001 rows, as the API's paginator.
POINTS_SCOPE = f"""(m.branch_id = ANY(ARRAY(SELECT id FROM {ORGS} WHERE tree_id = %(t)s AND lft BETWEEN %(l)s AND %(r)s))
  OR m.home_organization_id = ANY(ARRAY(SELECT id FROM {ORGS} WHERE tree_id = %(t)s AND lft BETWEEN %(l)s AND %(r)s)))"""
POINTS_PAGE_FLOOR = f"""
WITH page AS MATERIALIZED (
  SELECT p.id FROM members_pointsentry p JOIN {MEMBERS} m ON m.id = p.member_id WHERE {POINTS_SCOPE}
  ORDER BY p.occurred_on DESC, p.id DESC LIMIT 50)
SELECT p.id, p.member_id, m.name, p.kind, p.points, ct.app_label || '.' || ct.model, p.source_id, p.occurred_on,
  p.reason, p.created_at
FROM page JOIN members_pointsentry p ON p.id = page.id JOIN {MEMBERS} m ON m.id = p.member_id
LEFT JOIN django_content_type ct ON ct.id = p.source_type_id
ORDER BY p.occurred_on DESC, p.id DESC
"""
POINTS_COUNT_FLOOR = f"""
SELECT count(*) FROM (SELECT 1 FROM members_pointsentry p JOIN {MEMBERS} m ON m.id = p.member_id
  WHERE {POINTS_SCOPE} LIMIT 10001) s
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


def member_counts_rows(rows, repeat):
    ours = {pk: c["member_count"] for pk, c in cumulative_counts(Organization.objects.all(), ["member_count"]).items()}
    for floor_sql in (COUNT_FLOOR, WINDOW_COUNT_FLOOR):
        floor = dict(sql(floor_sql))
        assert ours == {k: int(v) for k, v in floor.items()}, "member counts differ from the floor"
    o = median_ms(lambda: cumulative_counts(Organization.objects.all(), ["member_count"]), repeat)
    old = median_ms(lambda: sql(COUNT_FLOOR), repeat)
    f = median_ms(lambda: sql(WINDOW_COUNT_FLOOR), repeat)
    rows.append(
        (
            f"member counts under every node ({len(ours):,} nodes); GROUP BY + range join: {old:.1f} ms",
            o,
            f,
            "GROUP BY owner, one running sum over every node's lft and rght",
        )
    )


def life_params(node, offset):
    from members.organizational_life import _start_of, lost_contact_cutoff

    today = timezone.localdate()
    cutoff = lost_contact_cutoff(today)
    return {
        "t": node.tree_id,
        "l": node.lft,
        "r": node.rght,
        "offset": offset,
        "lo": _start_of(datetime.date(today.year, 1, 1)),
        "hi": _start_of(datetime.date(today.year + 1, 1, 1)),
        "cutoff": cutoff,
        "recent_from": _start_of(cutoff),
        "recent_to": _start_of(today + datetime.timedelta(days=1)),
    }


def member_list_row(label, node, query, extra, repeat):
    client = staff_client(node)
    query = {"page_size": 50, **query}
    params = life_params(node, 50 * (query.get("page", 1) - 1))
    page_sql, count_sql = PAGE_FLOOR.replace("{extra}", extra), COUNT_LIST_FLOOR.replace("{extra}", extra)
    with override_settings(ALLOWED_HOSTS=["*"]):
        response = client.get("/api/v1/members/", query)
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        ours = [
            (r["id"], r["name"], r["branch_brief"]["name"], r["id_number"], *r["organizational_life"].values())
            for r in body["results"]
        ]
        with connection.cursor() as cursor:
            cursor.execute(page_sql, params)
            names = [c.name for c in cursor.description]
            fetched = cursor.fetchall()
        branch_name = names.index("kind") - 1  # the first brief (b.id, b.name, b.kind) after m.*
        floor = []
        for r in fetched:
            m = {}
            for name, value in zip(names, r, strict=True):
                m.setdefault(name, value)  # the member's own columns come first
            *_, total, at_res, at_home, last, lost = r
            last = timezone.localtime(last).date().isoformat() if last else None
            floor.append(
                (m["id"], m["name"], r[branch_name], m["id_number_masked"], total, at_res, at_home, last, lost)
            )
        assert ours == floor, (f"member list page differs from the floor ({label})", ours[:2], floor[:2])
        assert body["count"] == sql(count_sql, params)[0][0], "count differs"
        o = median_ms(lambda: client.get("/api/v1/members/", query), repeat)
    f = median_ms(lambda: (sql(page_sql, params), sql(count_sql, params)), repeat)
    return (f"`/api/v1/members/` page of 50, {label}", o, f, "keys sorted first, page joined, figures of the page only")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--only", default="counts,count,list,points,walk", help="comma-separated sections")
    args = parser.parse_args()
    repeat, only = args.repeat, set(args.only.split(","))
    rows = []
    # ``BENCH_DISTRICT``: the code of the district to measure (default: the first tree's root).
    code = os.environ.get("BENCH_DISTRICT")
    roots = Organization.objects.filter(parent__isnull=True)
    district = roots.get(code=code) if code else roots.order_by("tree_id").first()
    street = Organization.objects.filter(parent=district).order_by("lft").first()
    community = Organization.objects.filter(parent=street).order_by("lft").first()

    # 1. member counts under every node
    if "counts" in only:
        member_counts_rows(rows, repeat)

    for label, node in (("district", district), ("community", community)):
        if "count" not in only:
            break
        # 2. the scoped COUNT: old filter vs new vs floor
        params = {"t": node.tree_id, "l": node.lft, "r": node.rght}
        full_count = COUNT_LIST_FLOOR.replace("LIMIT 10001", "").replace("{extra}", "")
        new_n = Member.objects.filter(live_subtree_filter(Member, node.pk)).count()
        old_n = Member.objects.filter(old_scope_q(Member, node.pk)).count()
        floor_n = sql(full_count, params)[0][0]
        assert new_n == old_n == floor_n, (new_n, old_n, floor_n)
        o = median_ms(lambda n=node: Member.objects.filter(live_subtree_filter(Member, n.pk)).count(), repeat)
        before = median_ms(lambda n=node: Member.objects.filter(old_scope_q(Member, n.pk)).count(), repeat)
        f = median_ms(lambda p=params, q=full_count: sql(q, p), repeat)
        rows.append(
            (f"scoped member COUNT, {label} ({new_n:,} rows); before: {before:.1f} ms", o, f, "= ANY(ARRAY(...))")
        )

    # 3. the member list API page of 50 (whole request: auth, filters, page, figures, masks,
    # JSON) vs the same page, columns and figures plus the capped count in SQL
    cases = (
        ("district", district, {}, ""),
        ("district, page 150", district, {"page": 150}, ""),
        ("district, status=active", district, {"status": "active"}, "AND m.status = 'active'"),
        ("district, status=active, page 100", district, {"status": "active", "page": 100}, "AND m.status = 'active'"),
        ("community", community, {}, ""),
    )
    for label, node, query, extra in cases if "list" in only else ():
        rows.append(member_list_row(label, node, query, extra, repeat))
    # 4. the points ledger, district: capped count vs the full scoped COUNT it replaced
    client = staff_client(district)
    if "points" in only:
        points_rows(rows, client, district, repeat)
    if "walk" in only:
        walk_row(rows, client, repeat, district)
    print("| what | ours ms | floor ms | ratio | floor |")
    print("|---|---|---|---|---|")
    for what, o, f, how in rows:
        print(f"| {what} | {o:.1f} | {f:.1f} | {o / f:.2f}× | {how} |")
    print(f"\nload average: {Path('/proc/loadavg').read_text().strip()}")


def points_rows(rows, client, district, repeat):
    from members.models import PointsEntry

    full = PointsEntry.objects.filter(live_subtree_filter(PointsEntry, district.pk))
    total = full.count()
    if not total:
        print("(no points entries: the ledger rows skipped)")
        return
    params = {"t": district.tree_id, "l": district.lft, "r": district.rght}
    with override_settings(ALLOWED_HOSTS=["*"]):
        body = client.get("/api/v1/points/", {"page_size": 50}).json()
        ours = [
            (
                r["id"],
                r["member"],
                r["member_name"],
                r["kind"],
                r["points"],
                r["source_type"],
                r["source_id"],
                r["occurred_on"],
                r["reason"],
                r["created_at"],
            )
            for r in body["results"]
        ]
        floor = [
            (*r[:7], r[7].isoformat(), r[8], r[9].astimezone(timezone.get_current_timezone()).isoformat())
            for r in sql(POINTS_PAGE_FLOOR, params)
        ]
        assert ours == floor, ("points page 1 differs from the floor", ours[:2], floor[:2])
        count = sql(POINTS_COUNT_FLOOR, params)[0][0]
        assert (body["count"], body["count_capped"]) == (count, count > 10_000), (body["count"], count)
        o = median_ms(lambda: client.get("/api/v1/points/", {"page_size": 50}), repeat)
    f = median_ms(lambda: (sql(POINTS_PAGE_FLOOR, params), sql(POINTS_COUNT_FLOOR, params)), repeat)
    full_count = median_ms(full.count, repeat)
    rows.append(
        (
            f"`/api/v1/points/` page 1 of 50, district ({total:,} rows, count {body['count']:,}"
            f"{' capped' if body.get('count_capped') else ''}); the full scoped COUNT alone: {full_count:.1f} ms",
            o,
            f,
            "keys along the (occurred_on, id) index, page joined, count capped",
        )
    )


def walk_floor(district) -> list[list[tuple]]:
    """Every page of the organization list of ``district``'s subtree in SQL (the floor)."""
    params = {"t": district.tree_id, "l": district.lft, "r": district.rght}
    total = sql(WALK_COUNT_FLOOR, params)[0][0]
    return [sql(WALK_PAGE_FLOOR, {**params, "offset": offset}) for offset in range(0, total, 50)]


def walk_row(rows, client, repeat, district):
    # 5. the organization walk: every page of /organizations/ with its subtree counts, against the
    # SQL floor of the same pages, and the same pages counted the old way (each page's index built
    # over the whole forest).
    from organizations import selectors

    def walk():
        page, pages = 1, []
        while True:
            r = client.get("/api/v1/organizations/", {"page_size": 50, "page": page})
            body = r.json()
            pages.append(body["results"])
            if not body.get("next"):
                return pages
            page += 1

    def brief(p):
        return {"id": p[5], "name": p[6], "kind": p[7]} if p[5] is not None else None

    with override_settings(ALLOWED_HOSTS=["*"]):
        pages = walk()
        ours = [
            [(r["id"], r["name"], r["parent"], r["parent_brief"], r["level"], r["counts"]) for r in page]
            for page in pages
        ]
        floor = [
            [
                (
                    p[0],
                    p[1],
                    p[5],
                    brief(p),
                    p[8],
                    {"compound_count": p[15], "branch_count": p[16], "member_count": p[17]},
                )
                for p in page
            ]
            for page in walk_floor(district)
        ]
        assert ours == floor, ("organization walk differs from the floor", len(ours), len(floor))
        nodes = sum(len(page) for page in pages)
        o = median_ms(walk, max(1, repeat // 2))
        real = selectors._merged_ranges
        trees = {t: m for t, m in sql(f"SELECT tree_id, max(rght) FROM {ORGS} GROUP BY 1")}
        selectors._merged_ranges = lambda positions: [(t, 1, trees[t]) for t in sorted({p[0] for p in positions})]
        try:
            before = median_ms(walk, max(1, repeat // 2))
        finally:
            selectors._merged_ranges = real
    f = median_ms(lambda: walk_floor(district), max(1, repeat // 2))
    rows.append(
        (
            f"organization walk through the API ({nodes:,} nodes, {len(pages)} pages of 50);"
            f" the same walk, whole-forest index per page (before): {before:.1f} ms",
            o,
            f,
            "per page: the page in tree order, counts of the page's span only (owners grouped, summed per node)",
        )
    )


if __name__ == "__main__":
    main()
