"""The hand-written SQL floor of ``bench/stats.py``: per statistics block, the statements that
compute the block's figures for a node of the tree, and the assembly of their totals.

No Django here: plain SQL on the tables, the enum values as literals (``bench/stats.py`` runs the
statements on a raw cursor, checks ours equal to them and times both).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

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
# array wins for a street, the range join, parallel hash join, for a whole district); a statement
# may also list alternative formulations (``Stmt.alternatives``). The floor takes, per statement
# and node, the fastest of them in this run (all must agree). Where ours reads a maintained
# summary (dues, organizational life, the last presence behind 失联) the floor reads it too.
#
# Scope: nodes above the branch level (district, street, community); below it ours counts a
# branch's coverage differently (compounds it covers), which the floor does not implement.


@dataclass(frozen=True)
class Stmt:
    """``SELECT cols FROM rows WHERE where`` restricted to rows whose organization ``fk`` lies in
    the node's subtree (``cte`` prepended). ``{scope:column}`` in ``cte`` or ``rows`` restricts a
    column there to the subtree's ids too, in the statement's formulation: ``= ANY(ARRAY(...))``
    for the array, a semi-join ``IN (SELECT ...)`` (which the planner may hash) for the range."""

    cols: str
    rows: str
    fk: str
    where: str = "TRUE"
    cte: str = ""
    # Other formulations of the same totals: the bench times each (in both restrictions), checks
    # they agree and keeps the fastest.
    alternatives: tuple[Stmt, ...] = ()


SUBTREE = "tree_id = %(tree)s AND lft BETWEEN %(lft)s AND %(rght)s"
SUBTREE_IDS = f"SELECT id FROM organizations_organization WHERE {SUBTREE}"
_SCOPE = re.compile(r"\{scope:([a-z_.]+)\}")


def _scoped(sql: str, variant: str) -> str:
    if variant == "array":
        return _SCOPE.sub(lambda m: f"{m.group(1)} = ANY(ARRAY({SUBTREE_IDS}))", sql)
    return _SCOPE.sub(lambda m: f"{m.group(1)} IN ({SUBTREE_IDS})", sql)


def render(stmt: Stmt, per_child: bool, variant: str) -> str:
    """The SQL of ``stmt``: first column ``node`` (NULL for a breakdown's rows owned by the node
    itself outside every active child), then the totals."""
    if variant == "array":
        scope = f"{stmt.fk} = ANY(ARRAY({SUBTREE_IDS}))"
    else:
        scope = f"t.{SUBTREE.replace('lft BETWEEN', 't.lft BETWEEN')}"
    joins = ""
    if per_child or variant == "range":
        joins = f"JOIN organizations_organization t ON t.id = {stmt.fk}"
    cte, rows = _scoped(stmt.cte, variant), _scoped(stmt.rows, variant)
    if per_child:
        return f"""{cte} SELECT c.id AS node, {stmt.cols} FROM {rows} {joins}
            LEFT JOIN organizations_organization c ON c.parent_id = %(node)s AND c.dissolved_on IS NULL
              AND t.lft BETWEEN c.lft AND c.rght
            WHERE {scope} AND ({stmt.where}) GROUP BY c.id"""
    return f"{cte} SELECT %(node)s AS node, {stmt.cols} FROM {rows} {joins} WHERE {scope} AND ({stmt.where})"


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
        for e in ("postgraduate", "bachelor", "college", "vocational", "senior", "junior_or_below")
    },
    "education_unknown": "m.education = ''",
}

# 失联 as of ``today`` (min(period end, today)): marked by the branch, or joined the branch (else
# created) before the cutoff six months earlier and present at no (unarchived) meeting from the
# cutoff (local midnight) to the end of ``today``. The last presence per member is read from the
# maintained ``members_memberlife``; only a last presence after ``today`` needs the attendance.
_CUTOFF = "(%(today)s::date - interval '6 months')::date"
_CUTOFF_AT = f"{_CUTOFF}::timestamp AT TIME ZONE %(tz)s"
_ASOF_END_AT = "(%(today)s::date + 1)::timestamp AT TIME ZONE %(tz)s"
# The members present in the window: the window's meetings by their date index, each meeting's
# attendance by its index (a nested loop kept by OFFSET 0, not a scan of the whole attendance).
_PRESENT_IN_WINDOW = f"""SELECT a.member_id FROM members_meeting mt CROSS JOIN LATERAL (
        SELECT a.member_id FROM members_attendance a WHERE a.meeting_id = mt.id AND a.status = 'present' OFFSET 0) a
    WHERE NOT mt.archived AND mt.held_at >= {_CUTOFF_AT} AND mt.held_at < {_ASOF_END_AT}"""


def _lost_contact(recent_absent: str) -> str:
    return f"""m.lost_contact OR (
    (m.branch_joined_on < {_CUTOFF} OR (m.branch_joined_on IS NULL AND m.created_at < {_CUTOFF_AT}))
    AND (l.last_present_at IS NULL OR l.last_present_at < {_CUTOFF_AT}
         OR (l.last_present_at >= {_ASOF_END_AT} AND {recent_absent})))"""


# The members present in the window are looked up in one set (a hashed subplan: the window's
# attendance read once), not searched for member by member.
MEMBER_FILTERS["lost_contact"] = _lost_contact(f"m.id NOT IN ({_PRESENT_IN_WINDOW})")

LIFE = ("life_total", "life_at_residence", "life_at_home")
MEMBERS = [
    Stmt(
        _count_filters(MEMBER_FILTERS),
        "members_member m LEFT JOIN members_memberlife l ON l.member_id = m.id",
        "m.branch_id",
        "m.status = 'active'",
        alternatives=(
            # The set computed once (a materialized CTE keeps the members' scan out of parallel
            # workers, each of which would build the set again).
            Stmt(
                _count_filters(
                    {**MEMBER_FILTERS, "lost_contact": _lost_contact("m.id NOT IN (SELECT member_id FROM recent)")}
                ),
                "members_member m LEFT JOIN members_memberlife l ON l.member_id = m.id",
                "m.branch_id",
                "m.status = 'active'",
                cte=f"WITH recent AS MATERIALIZED ({_PRESENT_IN_WINDOW})",
            ),
            # The same set as a hash join on the distinct members present in the window.
            Stmt(
                _count_filters({**MEMBER_FILTERS, "lost_contact": _lost_contact("r.member_id IS NULL")}),
                "members_member m LEFT JOIN members_memberlife l ON l.member_id = m.id"
                f" LEFT JOIN (SELECT DISTINCT member_id FROM ({_PRESENT_IN_WINDOW}) w) r ON r.member_id = m.id",
                "m.branch_id",
                "m.status = 'active'",
            ),
        ),
    ),
    # Organizational life of the period's whole months, from the maintained monthly summary per
    # branch (the bench's periods are whole months: ``_params`` checks).
    Stmt(
        ", ".join(f"COALESCE(SUM(r.{k}), 0) AS {k}" for k in LIFE),
        "members_attendancerollup r",
        "r.organization_id",
        "r.month BETWEEN %(first_month)s AND %(last_month)s",
    ),
]


def _members_derive(t):
    return {f"members.{name}": t.get(name, 0) for name in (*MEMBER_FILTERS, *LIFE)}


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
# is not required of a branch without (undissolved) building groups and is owed by each of its
# groups on its own; a group's other meetings count for its branch; branches dissolved before the
# year are not assessed.
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
-- 党小组会 bind every undissolved building group of the branch on its own (one group's meetings do not
-- cover another's); the other kinds bind the branch, counting its groups' meetings too (grp 0).
required AS (
    SELECT r.branch, r.kind, r.minimum, s.start, s.stop, COALESCE(g.id, 0) AS grp
    FROM rule r JOIN sub s ON s.period = r.period
    JOIN branch b ON b.id = r.branch
    LEFT JOIN organizations_organization g ON r.kind = 'group_meeting' AND g.parent_id = r.branch
      AND g.kind = 'building_group' AND g.dissolved_on IS NULL
    -- only the periods the branch existed through
    WHERE (b.established_on IS NULL OR b.established_on <= s.start)
      AND (b.dissolved_on IS NULL OR b.dissolved_on >= s.stop)
      AND (r.kind <> 'group_meeting' OR g.id IS NOT NULL)),
held AS (
    SELECT CASE WHEN o.kind = 'building_group' THEN o.parent_id ELSE o.id END AS branch, m.kind,
        CASE WHEN o.kind = 'building_group' THEN o.id ELSE 0 END AS grp,
        date_trunc('month', m.held_at AT TIME ZONE %(tz)s)::date AS month, COUNT(*) AS n
    FROM members_meeting m JOIN organizations_organization o ON o.id = m.organization_id
    WHERE o.{SUBTREE.replace("lft BETWEEN", "o.lft BETWEEN")} AND NOT m.archived
      AND m.held_at >= %(wstart)s::timestamp AT TIME ZONE %(tz)s
      AND m.held_at < %(wend)s::timestamp AT TIME ZONE %(tz)s
      AND m.held_at < (%(today)s::date + 1)::timestamp AT TIME ZONE %(tz)s  -- held by the as-of day
    GROUP BY 1, 2, 3, 4),
shortfall AS (
    SELECT q.branch, q.stop <= %(today)s AS overdue
    FROM required q
    LEFT JOIN held h ON h.branch = q.branch AND h.kind = q.kind AND (q.grp = 0 OR h.grp = q.grp)
      AND h.month >= q.start AND h.month < q.stop
    GROUP BY q.branch, q.kind, q.grp, q.start, q.stop, q.minimum
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


# --- branch structure (支部工作条例): per undissolved compound branch, its active members (all,
# full) and its current committee (distinct members on the five committee positions, secretaries)
# as of ``today``, each grouped once; the warnings from those counts.
STRUCTURE_CTE = f"""WITH
mem AS (
    SELECT m.branch_id AS id, COUNT(*) AS total, COUNT(*) FILTER (WHERE m.party_status = 'full') AS full_members
    FROM members_member m WHERE m.status = 'active' AND {{scope:m.branch_id}} GROUP BY 1),
com AS (
    SELECT p.organization_id AS id, COUNT(DISTINCT p.member_id) AS members,
        COUNT(*) FILTER (WHERE p.kind = 'secretary') AS secretaries
    FROM members_position p
    WHERE p.kind IN ('secretary', 'deputy_secretary', 'organization', 'publicity', 'discipline')
      AND p.started_on <= %(today)s AND (p.ended_on IS NULL OR p.ended_on >= %(today)s)
      AND {{scope:p.organization_id}}
    GROUP BY 1),
warn AS (
    SELECT b.id, COALESCE(mem.full_members, 0) < 3 AS too_few_full,
        COALESCE(mem.full_members, 0) >= 7 AND COALESCE(com.members, 0) NOT BETWEEN 3 AND 7 AS committee_size,
        COALESCE(com.secretaries, 0) = 0 AS no_secretary,
        COALESCE(mem.total, 0) > 50 AS too_many
    FROM organizations_organization b LEFT JOIN mem ON mem.id = b.id LEFT JOIN com ON com.id = b.id
    WHERE b.{SUBTREE.replace("lft BETWEEN", "b.lft BETWEEN")} AND b.kind = 'compound_branch' AND b.dissolved_on IS NULL)"""
STRUCTURE_CODES = ("too_few_full", "committee_size", "no_secretary", "too_many")
STRUCTURE = [
    Stmt(
        _count_filters(
            {**{c: f"w.{c}" for c in STRUCTURE_CODES}, "any": " OR ".join(f"w.{c}" for c in STRUCTURE_CODES)}
        ),
        "warn w",
        "w.id",
        cte=STRUCTURE_CTE,
    )
]


def _structure_derive(t):
    out = {f"structure.{c}": t.get(c, 0) for c in STRUCTURE_CODES}
    out["structure.branches_with_warnings"] = t.get("any", 0)
    return out


# --- development: candidates by current stage (receiving branch), steps dated in the period.
STAGES = ("applicant", "activist", "target", "probationary", "full")
EVENTS = {"applications": "application", "admissions": "approval", "conversions": "conversion_approval"}
DEVELOPMENT = [
    Stmt(_count_filters({s: f"c.stage = '{s}'" for s in STAGES}), "members_candidate c", "c.branch_id"),
    Stmt(
        _count_filters({k: f"s.code = '{code}'" for k, code in EVENTS.items()}),
        "members_candidatestep s JOIN members_candidate c ON c.id = s.candidate_id",
        "c.branch_id",
        "s.on BETWEEN %(start)s AND %(end)s AND s.code IN ('application', 'approval', 'conversion_approval')",
    ),
]


def _development_derive(t):
    out = {f"development.stage_{s}": t.get(s, 0) for s in STAGES}
    out.update({f"development.{k}": t.get(k, 0) for k in EVENTS})
    return out


# --- 党费, from the maintained summaries as ours: per branch and month the change of the monthly
# amount (and member-months) due, so the due over months [s, e] is Σ change × (e − max(month, s) + 1)
# over the rows up to e; paid is the rows of [s, e]; in arrears the members with a run of unpaid
# months overlapping [s, e]; the branch funds' allocations and spending dated in the period.
_MONTHS_LEFT = "(%(last_idx)s + 1 - GREATEST(EXTRACT(YEAR FROM r.month)::int * 12 + EXTRACT(MONTH FROM r.month)::int - 1, %(first_idx)s))"
DUES = [
    Stmt(
        f"COALESCE(SUM(r.due_amount_change * {_MONTHS_LEFT}), 0) AS due,"
        f" COALESCE(SUM(r.due_months_change * {_MONTHS_LEFT}), 0) AS due_months,"
        " COALESCE(SUM(r.paid_amount) FILTER (WHERE r.month >= %(first_month)s), 0) AS paid,"
        " COALESCE(SUM(r.paid_months) FILTER (WHERE r.month >= %(first_month)s), 0) AS paid_months",
        "members_duesrollup r",
        "r.branch_id",
        "r.month <= %(last_month)s",
    ),
    Stmt(
        "COUNT(DISTINCT s.member_id) AS in_arrears",
        "members_duesarrearsspan s",
        "s.branch_id",
        "s.first_month <= %(last_month)s AND (s.last_month IS NULL OR s.last_month >= %(first_month)s)",
    ),
    Stmt(
        "COALESCE(SUM(x.amount), 0) AS allocated",
        "members_fundallocation x JOIN members_branchfund f ON f.id = x.fund_id",
        "f.branch_id",
        "x.allocated_on BETWEEN %(start)s AND %(end)s",
    ),
    Stmt(
        "COALESCE(SUM(x.amount), 0) AS spent",
        "members_fundspending x JOIN members_branchfund f ON f.id = x.fund_id",
        "f.branch_id",
        "x.spent_on BETWEEN %(start)s AND %(end)s",
    ),
]


def _dues_derive(t):
    g = lambda key: t.get(key, 0)  # noqa: E731
    # Amounts in yuan to the cent (the API renders them as JSON numbers).
    cents = lambda key: float(round(g(key), 2))  # noqa: E731
    return {
        "dues.due": cents("due"),
        "dues.paid": cents("paid"),
        "dues.due_months": g("due_months"),
        "dues.paid_months": g("paid_months"),
        "dues.rate": _rate(g("paid_months"), g("due_months")),
        "dues.in_arrears": g("in_arrears"),
        "dues.funds_allocated": cents("allocated"),
        "dues.funds_spent": cents("spent"),
    }


# --- elections: appraisal grades of the year the period ends in (by the session's organization),
# branches whose term ended before the period's end.
GRADES = ("excellent", "qualified", "basic", "unqualified")
ELECTIONS = [
    Stmt(
        _count_filters({g: f"a.grade = '{g}'" for g in GRADES}),
        "members_appraisalresult a JOIN members_appraisalsession s ON s.id = a.session_id",
        "s.organization_id",
        "s.year = %(end_year)s",
    ),
    Stmt(
        "COUNT(*) AS overdue",
        "organizations_organization o",
        "o.id",
        "o.kind = 'compound_branch' AND o.term_ends_on < %(end)s",
    ),
]


def _elections_derive(t):
    out = {f"elections.grade_{g}": t.get(g, 0) for g in GRADES}
    out["elections.overdue"] = t.get("overdue", 0)
    return out


# --- transfers: letters by the sending branch (received in the period, in flight or expired at its
# end), by the receiving organization (received in the period), floating records by branch.
_RECEIVED = "x.state = 'received' AND x.closed_on BETWEEN %(start)s AND %(end)s"
TRANSFERS = [
    Stmt(
        _count_filters(
            {
                "out_within": f"{_RECEIVED} AND x.kind = 'within'",
                "out_system": f"{_RECEIVED} AND x.kind = 'out'",
                "in_flight": "x.issued_on <= %(end)s AND (x.state = 'issued' OR x.closed_on > %(end)s)"
                " AND x.kind <> 'in'",
                "expired": "x.state = 'expired' AND x.closed_on <= %(end)s",
            }
        ),
        "members_transfer x",
        "x.from_branch_id",
    ),
    Stmt(
        "COUNT(*) AS received",
        "members_transfer x",
        "x.to_organization_id",
        f"{_RECEIVED} AND x.kind IN ('within', 'in')",
    ),
    Stmt(
        _count_filters(
            {
                "floating_out": "f.since <= %(end)s AND (f.returned_on IS NULL OR f.returned_on > %(end)s)"
                " AND f.direction = 'out'",
                "floating_in": "f.since <= %(end)s AND (f.returned_on IS NULL OR f.returned_on > %(end)s)"
                " AND f.direction = 'in'",
                "floating_returned": "f.returned_on BETWEEN %(start)s AND %(end)s",
            }
        ),
        "members_floatingrecord f",
        "f.branch_id",
    ),
]

TRANSFER_KEYS = (
    "out_within",
    "out_system",
    "received",
    "in_flight",
    "expired",
    "floating_out",
    "floating_in",
    "floating_returned",
)


def _transfers_derive(t):
    return {f"transfers.{k}": t.get(k, 0) for k in TRANSFER_KEYS}


# --- volunteering: active posts by the post's organization with their holders at the period's end
# (a post and a person belong to one branch, so distinct counts add up), confirmed service records
# dated in the period.
_HELD = "h.started_on <= %(end)s AND (h.ended_on IS NULL OR h.ended_on >= %(end)s)"
VOLUNTEERING = [
    Stmt(
        "COUNT(DISTINCT p.id) AS posts,"
        f" COUNT(DISTINCT p.id) FILTER (WHERE {_HELD}) AS staffed,"
        f" COUNT(DISTINCT h.member_id) FILTER (WHERE {_HELD}) AS members,"
        f" COUNT(DISTINCT h.volunteer_id) FILTER (WHERE {_HELD}) AS residents",
        "members_volunteerpost p LEFT JOIN members_postholder h ON h.post_id = p.id",
        "p.organization_id",
        "p.active",
    ),
    Stmt(
        "COUNT(*) AS records, COALESCE(SUM(r.hours), 0) AS hours",
        "members_servicerecord r JOIN members_volunteerpost p ON p.id = r.post_id",
        "p.organization_id",
        "r.status = 'confirmed' AND r.served_on BETWEEN %(start)s AND %(end)s",
    ),
]


def _volunteering_derive(t):
    g = lambda key: t.get(key, 0)  # noqa: E731
    return {
        "volunteering.posts": g("posts"),
        "volunteering.posts_staffed": g("staffed"),
        "volunteering.member_volunteers": g("members"),
        "volunteering.resident_volunteers": g("residents"),
        "volunteering.service_records": g("records"),
        "volunteering.service_hours": float(g("hours")),
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
        FloorBlock("structure", STRUCTURE, _structure_derive),
        FloorBlock("development", DEVELOPMENT, _development_derive),
        FloorBlock("dues", DUES, _dues_derive),
        FloorBlock("elections", ELECTIONS, _elections_derive),
        FloorBlock("transfers", TRANSFERS, _transfers_derive),
        FloorBlock("volunteering", VOLUNTEERING, _volunteering_derive),
    )
}
