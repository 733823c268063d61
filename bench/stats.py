"""Benchmark of the statistics API, run against PostgreSQL:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pb_bench_stats .venv/bin/python bench/stats.py

(``BENCH_RUNS``: runs per median, default 7; ``BENCH_SECONDS``: load test duration, default 30.)

1. Data: ``generate_scale_data`` (10 streets, 120 communities, 1,500 branches, 6,000 groups, ...)
   plus, when the members app's generator left none, 100,000 members and 3,000 central
   household positions inserted here (seeded, so every run has the same data).
2. ``/api/v1/stats/overview/`` for the whole district and for one street, and
   ``/api/v1/stats/breakdown/`` per street (metric ``members`` and ``coverage``): ours, client →
   response through the Django test client with a token, versus a hand-written raw-SQL floor
   computing the same figures — every figure of every registered block (coverage, members,
   compliance, venues, governance, service, scores; see "the raw SQL floor" below) — medians in
   the same run. Every figure of both must be equal (all mismatches listed, then exit 1; set
   ``BENCH_ALLOW_MISMATCH=1`` to time anyway). Query counts of ours. Then, per block, the
   block's compute function alone against the floor's statements for that block.
3. Bounded load test: gunicorn on 127.0.0.1 started here, 10 concurrent clients (one token each)
   for 30 s over the three requests; p50/p95 and errors.
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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
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

from members.models import Attendance, Meeting, Member, Position  # noqa: E402
from organizations import services  # noqa: E402
from organizations.models import Organization, OrganizationKind, Role  # noqa: E402
from organizations.statistics import STAT_BLOCKS, Period, ordered_blocks  # noqa: E402

PERIOD = Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
Q = {"from": PERIOD.start.isoformat(), "to": PERIOD.end.isoformat()}
RUNS = int(os.environ.get("BENCH_RUNS", "7"))


class Quiet:
    def write(self, *_a, **_k):
        pass

    def flush(self):
        pass


def ensure_data() -> Organization:
    call_command("migrate", verbosity=0)
    if not Organization.objects.filter(code="S").exists():
        call_command("generate_scale_data", "--prefix", "S", stdout=Quiet())
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


# --- the raw SQL floor ------------------------------------------------------------------------
#
# What the floor includes: for each block, hand-written aggregate statements producing that
# block's additive totals for the node (or, for a breakdown, for each active direct child, the
# node's total being the sum of its children's and its own rows), executed on a raw psycopg2
# cursor, plus trivial assembly in Python: rows to dicts, the node's total as the sum of at most
# a dozen grouped rows, rates and averages derived from the totals with the same rounding as ours.
# It starts from the node's nested-set bounds (tree_id, lft, rght), as ours does after its
# ``org`` lookup. Compliance (三会一课) is folded entirely in SQL: requirement periods from
# ``generate_series``, meetings counted per (branch, kind, local month), a shortfall per
# requirement period. The definitions are written here independently of the app code (enum
# values as literals), so the comparison checks ours against the Figures' documented definitions.
#
# Each statement is written two ways: the rows probed by the subtree's ids as an array
# (``fk = ANY(ARRAY(SELECT id ... lft BETWEEN ...))``) or joined to the organizations on the
# nested-set range with constants (``t.lft BETWEEN ...``). PostgreSQL plans them differently (the
# array wins for a street, the range join, parallel hash join, for a whole district); the floor
# takes, per statement and node, the faster of the two in this run (both must agree).
#
# Scope: nodes above the branch level (district, street, community); below it ours counts a
# branch's coverage differently (compounds it covers), which the floor does not implement.


@dataclass(frozen=True)
class Stmt:
    """``SELECT cols FROM rows WHERE where`` restricted to rows whose organization ``fk`` lies in
    the node's subtree (``cte`` prepended)."""

    cols: str
    rows: str
    fk: str
    where: str = "TRUE"
    cte: str = ""


SUBTREE = "tree_id = %(tree)s AND lft BETWEEN %(lft)s AND %(rght)s"


def render(stmt: Stmt, per_child: bool, variant: str) -> str:
    """The SQL of ``stmt``: first column ``node`` (NULL for a breakdown's rows owned by the node
    itself outside every active child), then the totals."""
    if variant == "array":
        scope = f"{stmt.fk} = ANY(ARRAY(SELECT id FROM organizations_organization WHERE {SUBTREE}))"
    else:
        scope = f"t.{SUBTREE.replace('lft BETWEEN', 't.lft BETWEEN')}"
    joins = ""
    if per_child or variant == "range":
        joins = f"JOIN organizations_organization t ON t.id = {stmt.fk}"
    if per_child:
        return f"""{stmt.cte} SELECT c.id AS node, {stmt.cols} FROM {stmt.rows} {joins}
            LEFT JOIN organizations_organization c ON c.parent_id = %(node)s AND c.dissolved_on IS NULL
              AND t.lft BETWEEN c.lft AND c.rght
            WHERE {scope} AND ({stmt.where}) GROUP BY c.id"""
    return f"{stmt.cte} SELECT %(node)s AS node, {stmt.cols} FROM {stmt.rows} {joins} WHERE {scope} AND ({stmt.where})"


def _count_filters(filters: dict[str, str]) -> str:
    return ", ".join(f"COUNT(*) FILTER (WHERE {sql}) AS {name}" for name, sql in filters.items())


def _rate(numerator, denominator):
    """As ours: a share rounded to 4 places, None when there is nothing to divide by."""
    return round(numerator / denominator, 4) if denominator else None


def _average(points, n):
    """As ours: an average rounded to 1 place, None when there is nothing to average."""
    return round(float(points) / n, 1) if n else None


MEMBER_FILTERS = {
    "total": "TRUE",
    **{f"party_{s}": f"m.party_status = '{s}'" for s in ("full", "probationary")},
    **{
        f"occupation_{s}": f"m.occupation_status = '{s}'"
        for s in ("in_service", "retired", "unemployed", "student", "other")
    },
    "floating_out": "m.floating_status = 'out'",
    "floating_in": "m.floating_status = 'in'",
    "lost_contact": "m.lost_contact",
    "reported_in_service": "m.occupation_status = 'in_service' AND m.reported_on <= %(end)s",
    "reported_in_period": "m.reported_on BETWEEN %(start)s AND %(end)s",
    "admitted_in_period": "m.admitted_on BETWEEN %(start)s AND %(end)s",
    # Age as of the end of the period: born on or before end - n years <=> aged n or more.
    "age_35_and_under": "m.birth_date <= %(y0)s AND m.birth_date > %(y36)s",
    "age_36_45": "m.birth_date <= %(y36)s AND m.birth_date > %(y46)s",
    "age_46_60": "m.birth_date <= %(y46)s AND m.birth_date > %(y61)s",
    "age_61_70": "m.birth_date <= %(y61)s AND m.birth_date > %(y71)s",
    "age_71_80": "m.birth_date <= %(y71)s AND m.birth_date > %(y81)s",
    "age_over_80": "m.birth_date <= %(y81)s",
    "age_unknown": "m.birth_date IS NULL",
    "gender_male": "m.gender = 'male'",
    "gender_female": "m.gender = 'female'",
    **{
        f"education_{e}": f"m.education = '{e}'"
        for e in ("primary", "junior", "senior", "college", "bachelor", "master", "doctor")
    },
    "education_unknown": "m.education = ''",
}

MEMBERS = [Stmt(_count_filters(MEMBER_FILTERS), "members_member m", "m.branch_id", "m.status = 'active'")]


def _members_derive(t):
    return {f"members.{name}": t.get(name, 0) for name in MEMBER_FILTERS}


COVERAGE = [
    Stmt(
        "COUNT(*) AS compounds, COUNT(*) FILTER (WHERE k.branch_id IS NOT NULL) AS covered,"
        " COALESCE(SUM(k.households), 0) AS households",
        "organizations_compound k",
        "k.community_id",
    ),
    Stmt(
        _count_filters(
            {
                "branches": "o.kind = 'compound_branch'",
                "standalone": "o.kind = 'compound_branch' AND o.formation = 'standalone'",
                "joint": "o.kind = 'compound_branch' AND o.formation = 'joint'",
                "integrated": "o.kind = 'compound_branch' AND o.formation = 'integrated'",
                "groups": "o.kind = 'building_group'",
            }
        ),
        "organizations_organization o",
        "o.id",
        "o.dissolved_on IS NULL OR o.dissolved_on > %(end)s",
    ),
    Stmt(
        "COUNT(*) AS central",
        "members_position p",
        "p.organization_id",
        "p.kind = 'central_household' AND p.started_on <= %(end)s AND (p.ended_on IS NULL OR p.ended_on >= %(end)s)",
    ),
]


def _coverage_derive(t):
    g = lambda key: t.get(key, 0)  # noqa: E731
    return {
        "coverage.compounds": g("compounds"),
        "coverage.compounds_with_branch": g("covered"),
        "coverage.coverage_rate": _rate(g("covered"), g("compounds")),
        "coverage.households": g("households"),
        "coverage.branches": g("branches"),
        "coverage.branches_standalone": g("standalone"),
        "coverage.branches_joint": g("joint"),
        "coverage.branches_integrated": g("integrated"),
        "coverage.building_groups": g("groups"),
        "coverage.central_households": g("central"),
    }


# 三会一课 for the calendar year of the period's end, as of ``today``: a requirement period
# (month, quarter, year) counts once it has started; a branch is compliant when no started
# period has fewer meetings of a required kind than the minimum, on track when no period already
# over has. Rules: the branch's exact formation wins over the generic ('') rule; the group meeting
# is not required of a branch without (undissolved) building groups; a group's meetings count for
# its branch; branches dissolved before the year are not assessed.
COMPLIANCE_CTE = f"""WITH
branch AS (
    SELECT b.id, b.formation, b.established_on, b.dissolved_on FROM organizations_organization b
    WHERE b.{SUBTREE.replace("lft BETWEEN", "b.lft BETWEEN")} AND b.kind = 'compound_branch'
      AND (b.dissolved_on IS NULL OR b.dissolved_on >= %(wstart)s)
      AND (b.established_on IS NULL OR b.established_on <= %(today)s)),
rule AS (
    SELECT DISTINCT ON (b.id, r.meeting_kind) b.id AS branch, r.meeting_kind AS kind,
        r.minimum_count AS minimum, r.period
    FROM branch b
    JOIN members_meetingrequirement r ON r.organization_kind = 'compound_branch' AND r.formation IN ('', b.formation)
    ORDER BY b.id, r.meeting_kind, r.formation = ''),
sub AS (
    SELECT p.period, d::date AS start, (d + p.step)::date AS stop
    FROM (VALUES ('month', interval '1 month'), ('quarter', interval '3 months'), ('year', interval '1 year'))
        AS p (period, step)
    CROSS JOIN LATERAL generate_series(%(wstart)s::timestamp, %(wend)s::timestamp - p.step, p.step) AS d
    WHERE d::date <= %(today)s),
required AS (
    SELECT r.branch, r.kind, r.minimum, s.start, s.stop FROM rule r JOIN sub s ON s.period = r.period
    JOIN branch b ON b.id = r.branch
    -- only the periods the branch existed through
    WHERE (b.established_on IS NULL OR b.established_on <= s.start)
      AND (b.dissolved_on IS NULL OR b.dissolved_on >= s.stop)
      AND (r.kind <> 'group_meeting' OR EXISTS (
        SELECT 1 FROM organizations_organization g
        WHERE g.parent_id = r.branch AND g.kind = 'building_group' AND g.dissolved_on IS NULL))),
held AS (
    SELECT CASE WHEN o.kind = 'building_group' THEN o.parent_id ELSE o.id END AS branch, m.kind,
        date_trunc('month', m.held_at AT TIME ZONE %(tz)s)::date AS month, COUNT(*) AS n
    FROM members_meeting m JOIN organizations_organization o ON o.id = m.organization_id
    WHERE o.{SUBTREE.replace("lft BETWEEN", "o.lft BETWEEN")} AND NOT m.archived
      AND m.held_at >= %(wstart)s::timestamp AT TIME ZONE %(tz)s
      AND m.held_at < %(wend)s::timestamp AT TIME ZONE %(tz)s
      AND m.held_at < (%(today)s::date + 1)::timestamp AT TIME ZONE %(tz)s  -- held by the as-of day
    GROUP BY 1, 2, 3),
shortfall AS (
    SELECT q.branch, q.stop <= %(today)s AS overdue
    FROM required q
    LEFT JOIN held h ON h.branch = q.branch AND h.kind = q.kind AND h.month >= q.start AND h.month < q.stop
    GROUP BY q.branch, q.kind, q.start, q.stop, q.minimum
    HAVING COALESCE(SUM(h.n), 0) < q.minimum),
verdict AS (
    SELECT b.id, COUNT(f.branch) = 0 AS compliant, COUNT(f.branch) FILTER (WHERE f.overdue) = 0 AS on_track
    FROM branch b LEFT JOIN shortfall f ON f.branch = b.id GROUP BY b.id)"""

COMPLIANCE = [
    Stmt(
        "COUNT(*) AS branches, COUNT(*) FILTER (WHERE v.compliant) AS compliant,"
        " COUNT(*) FILTER (WHERE v.on_track) AS on_track",
        "verdict v",
        "v.id",
        cte=COMPLIANCE_CTE,
    )
]


def _compliance_derive(t):
    g = lambda key: t.get(key, 0)  # noqa: E731
    return {
        "compliance.branches": g("branches"),
        "compliance.compliant": g("compliant"),
        "compliance.on_track": g("on_track"),
        "compliance.rate": _rate(g("compliant"), g("branches")),
    }


_SIX = " AND ".join(f"v.{f}" for f in ("has_place", "has_facilities", "has_sign", "has_flag", "has_books", "has_rules"))
VENUES = [Stmt(f"COUNT(*) AS venues, COUNT(*) FILTER (WHERE {_SIX}) AS six", "organizations_venue v", "v.branch_id")]


def _venues_derive(t):
    g = lambda key: t.get(key, 0)  # noqa: E731
    return {
        "venues.venues": g("venues"),
        "venues.meeting_six_standards": g("six"),
        "venues.six_standards_rate": _rate(g("six"), g("venues")),
    }


_FORMED = (
    "EXISTS (SELECT 1 FROM committees_committee x WHERE x.compound_id = k.id"
    " AND x.kind = 'owners_committee' AND x.status IN ('active', 'expired'))"
)
GOVERNANCE = [
    Stmt(
        f"COUNT(*) AS pm, COUNT(*) FILTER (WHERE {_FORMED}) AS formed",
        "organizations_compound k",
        "k.community_id",
        "k.kind = 'property_managed'",
    ),
    Stmt(
        _count_filters(
            {
                "seats": "TRUE",
                "party": "s.is_party_member",
                "oc_seats": "x.kind = 'owners_committee'",
                "oc_party": "x.kind = 'owners_committee' AND s.is_party_member",
            }
        ),
        "committees_seat s JOIN committees_committee x ON x.id = s.committee_id"
        " JOIN organizations_compound k ON k.id = x.compound_id",
        "k.community_id",
        "x.status IN ('active', 'expired') AND s.started_on <= %(end)s"
        " AND (s.ended_on IS NULL OR s.ended_on >= %(end)s)",
    ),
    Stmt(
        "COALESCE(SUM(f.amount_due), 0) AS due, COALESCE(SUM(f.amount_collected), 0) AS collected",
        "committees_feecollection f JOIN organizations_compound k ON k.id = f.compound_id",
        "k.community_id",
        "(f.year, f.month) BETWEEN (%(start_year)s, %(start_month)s) AND (%(end_year)s, %(end_month)s)",
    ),
    Stmt(
        "COUNT(*) AS evaluations, COALESCE(SUM(e.total), 0) AS points",
        "committees_evaluation e JOIN organizations_compound k ON k.id = e.compound_id",
        "k.community_id",
        "(e.year, e.quarter) BETWEEN (%(start_year)s, %(start_quarter)s) AND (%(end_year)s, %(end_quarter)s)",
    ),
]


def _governance_derive(t):
    g = lambda key: t.get(key, 0)  # noqa: E731
    return {
        "governance.property_managed_compounds": g("pm"),
        "governance.owners_committees_formed": g("formed"),
        "governance.formation_rate": _rate(g("formed"), g("pm")),
        "governance.seats": g("seats"),
        "governance.party_member_seats": g("party"),
        "governance.party_share": _rate(g("party"), g("seats")),
        "governance.owners_committee_party_share": _rate(g("oc_party"), g("oc_seats")),
        # Sums of numeric columns come back as Decimal; ours divides floats.
        "governance.fee_collection_rate": _rate(float(g("collected")), float(g("due"))),
        "governance.evaluation_average": _average(g("points"), g("evaluations")),
    }


SERVICE = [
    Stmt(
        "COUNT(*) AS agreements",
        "projects_agreement a",
        "a.organization_id",
        "NOT a.archived AND a.signed_on <= %(end)s AND a.expires_on >= %(start)s",
    ),
    Stmt("COUNT(*) AS activities", "projects_activity a", "a.organizer_id", "a.held_on BETWEEN %(start)s AND %(end)s"),
    Stmt(
        _count_filters(
            {
                "launched": "p.started_on BETWEEN %(start)s AND %(end)s",
                "completed": "p.completed_on BETWEEN %(start)s AND %(end)s",
            }
        ),
        "projects_project p",
        "p.organization_id",
        "p.started_on BETWEEN %(start)s AND %(end)s OR p.completed_on BETWEEN %(start)s AND %(end)s",
    ),
    Stmt(
        _count_filters(
            {
                "received": "TRUE",
                "major": "r.triage = 'major'",
                "minor": "r.triage = 'minor'",
                "private": "r.triage = 'private'",
                "due_resolved": "r.resolved_on IS NOT NULL AND r.due_on IS NOT NULL",
                "on_time": "r.resolved_on <= r.due_on",
                "rated": "r.rating <> ''",
                "satisfied": "r.rating IN ('satisfied', 'basically_satisfied')",
            }
        ),
        "projects_residentrequest r JOIN organizations_compound k ON k.id = r.compound_id",
        "k.community_id",
        "r.received_on BETWEEN %(start)s AND %(end)s",
    ),
    Stmt(
        "COUNT(*) AS wishes",
        "projects_microwish w",
        "w.community_id",
        # Fulfilled on a (local) day of the period.
        "w.status = 'fulfilled' AND w.fulfilled_at >= %(start)s::timestamp AT TIME ZONE %(tz)s"
        " AND w.fulfilled_at < (%(end)s::date + 1)::timestamp AT TIME ZONE %(tz)s",
    ),
]


def _service_derive(t):
    g = lambda key: t.get(key, 0)  # noqa: E731
    return {
        "service.agreements_in_force": g("agreements"),
        "service.activities_held": g("activities"),
        "service.projects_launched": g("launched"),
        "service.projects_completed": g("completed"),
        "service.requests_received": g("received"),
        "service.requests_major": g("major"),
        "service.requests_minor": g("minor"),
        "service.requests_private": g("private"),
        "service.on_time_rate": _rate(g("on_time"), g("due_resolved")),
        "service.satisfaction_rate": _rate(g("satisfied"), g("rated")),
        "service.wishes_fulfilled": g("wishes"),
    }


SCORES = [
    Stmt(
        "COUNT(*) AS scored, COALESCE(SUM(s.total), 0) AS points, COUNT(*) FILTER (WHERE s.stars >= 3) AS stars3",
        "organizations_branchscore s",
        "s.branch_id",
        "s.period_start >= %(start)s AND s.period_end <= %(end)s",
    )
]


def _scores_derive(t):
    g = lambda key: t.get(key, 0)  # noqa: E731
    return {
        "scores.scored": g("scored"),
        "scores.average": _average(g("points"), g("scored")),
        "scores.three_stars_or_more": g("stars3"),
    }


@dataclass(frozen=True)
class FloorBlock:
    name: str
    stmts: list[Stmt]
    derive: Callable[[dict], dict]  # totals of one node -> {figure: value}


FLOOR_BLOCKS = {
    b.name: b
    for b in (
        FloorBlock("coverage", COVERAGE, _coverage_derive),
        FloorBlock("members", MEMBERS, _members_derive),
        FloorBlock("compliance", COMPLIANCE, _compliance_derive),
        FloorBlock("venues", VENUES, _venues_derive),
        FloorBlock("governance", GOVERNANCE, _governance_derive),
        FloorBlock("service", SERVICE, _service_derive),
        FloorBlock("scores", SCORES, _scores_derive),
    )
}


def _params(node):
    start, end = PERIOD.start, PERIOD.end
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
    }
    for n in (0, 36, 46, 61, 71, 81):
        p[f"y{n}"] = PERIOD.years_before_end(n)
    return p


def _run(cur, sql, params):
    cur.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [(row[0], dict(zip(names[1:], row[1:], strict=True))) for row in cur.fetchall()]


def floor_plan(blocks, node, per_child=False, runs=3):
    """``[(block, [sql, ...], [formulation, ...]), ...]``: each statement in the faster of its two
    formulations for ``node`` in this run (median of ``runs``); both must give the same rows."""
    params = _params(node)
    plan = []
    with connection.cursor() as cur:
        for block in blocks:
            sqls, variants = [], []
            for stmt in block.stmts:
                timed = []
                for variant in ("array", "range"):
                    sql = render(stmt, per_child, variant)
                    rows = sorted(_run(cur, sql, params), key=lambda r: (r[0] is None, r[0] or 0))
                    timed.append((median_ms(lambda sql=sql: _run(cur, sql, params), runs), variant, sql, rows))
                assert timed[0][3] == timed[1][3], (block.name, timed[0][3], timed[1][3])
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

    print("| request | ours (test client) | queries | raw SQL floor | ratio |")
    print("|---|---|---|---|---|")
    for title, params, kind, node, blocks, per_child in cases:
        url = f"/api/v1/stats/{kind}/"

        def ours(url=url, params=params):
            r = client.get(url, {**params, **Q})
            assert r.status_code == 200, r.content
            return r.json()

        plan = floor_plan(blocks, node, per_child)
        # The test client resets connection.queries at each request; count with a wrapper instead.
        queries = count_queries(ours)
        ours_ms = median_ms(ours)
        floor_ms = median_ms(lambda plan=plan, node=node: floor(plan, node))
        statements = sum(len(sqls) for _block, sqls, _v in plan)
        print(
            f"| {title} | {ours_ms:.1f} ms | {queries} | {floor_ms:.1f} ms "
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
            ours_ms = median_ms(compute)
            floor_ms = median_ms(lambda plan=plan, node=node: floor(plan, node))
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
