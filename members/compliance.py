"""Reads of organizational life: the 三会一课 compliance engine (a member's own organizational
life — dual crediting, 失联, 即将转正 — is in ``members.organizational_life``).

Compliance for any set of branches costs a fixed number of queries, whatever their number:
the branches, the requirement rules, the group counts and ONE aggregate of meetings grouped by
(branch, kind, month). The folding into periods happens in Python on those few rows.

Rules: a requirement "at least n per month/quarter/year" is checked period by period, so
twelve 支委会 in December do not make up for an empty year: each period credits at most n
meetings. ``required`` counts the periods of the window that have started by ``today``
(the plan for the rest is not yet due); a gap in a period that has ended is *overdue*, a gap in
the current period is *due* (and *due soon* in its last 10 days). A 党小组会 is held by a
building group and every group owes its own (the branch's figure sums its groups: two groups
owe two a month, and one group holding both does not cover the other); a branch without groups
is exempt from it.
A branch is assessed only for the periods it existed through (a branch founded in April owes
nothing for Q1 or April), and only meetings held by ``today`` count, so compliance as of a past
day does not change when later meetings are recorded.
"""

from __future__ import annotations

import calendar
import datetime
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from core.request_context import current_request
from core.statistics.cache import data_version
from members.models import (
    Meeting,
    MeetingKind,
    MeetingRequirement,
    RequirementPeriod,
)
from organizations.models import Organization, OrganizationKind
from organizations.selectors import fresh, in_subtree, tree_order, tree_position

PERIOD_MONTHS = {RequirementPeriod.MONTH: 1, RequirementPeriod.QUARTER: 3, RequirementPeriod.YEAR: 12}
DUE_SOON_DAYS = 10
# 三会一课 proper (for the headline "behind on 三会一课").
THREE_MEETINGS_ONE_LECTURE = (
    MeetingKind.PARTY_CONGRESS,
    MeetingKind.BRANCH_COMMITTEE,
    MeetingKind.GROUP_MEETING,
    MeetingKind.PARTY_LECTURE,
)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


# --- windows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """A calendar window [start, end) of whole months: a month, a quarter or a year."""

    start: datetime.date
    end: datetime.date
    unit: str  # month / quarter / year
    label: str

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        tz = timezone.get_current_timezone()
        return (
            datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(self.end, datetime.time.min, tzinfo=tz),
        )


def month_window(year: int, month: int) -> Window:
    start = datetime.date(year, month, 1)
    return Window(start, add_months(start, 1), RequirementPeriod.MONTH, f"{year}年{month}月")


def quarter_window(year: int, quarter: int) -> Window:
    start = datetime.date(year, 3 * (quarter - 1) + 1, 1)
    return Window(start, add_months(start, 3), RequirementPeriod.QUARTER, f"{year}年第{quarter}季度")


def year_window(year: int) -> Window:
    return Window(datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1), RequirementPeriod.YEAR, f"{year}年")


def parse_window(year, period: str | None = None) -> Window:
    """``year`` with an optional ``period``: ``Q1``..``Q4`` or ``YYYY-MM`` (or ``MM``).
    Raises ValidationError with field keys on bad input."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("Enter a year such as 2026.")}) from None
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year such as 2026.")})
    period = (period or "").strip().upper()
    if not period:
        return year_window(year)
    if period.startswith("Q") and period[1:] in ("1", "2", "3", "4"):
        return quarter_window(year, int(period[1:]))
    text = period
    if "-" in text:
        y, _sep, text = text.partition("-")
        if y != str(year):
            raise ValidationError({"period": _("The period must lie in the year asked for.")})
    if text.isdigit() and 1 <= int(text) <= 12:
        return month_window(year, int(text))
    raise ValidationError({"period": _("Use Q1 to Q4 for a quarter or YYYY-MM for a month.")})


def current_window(today: datetime.date, unit: str) -> Window:
    if unit == RequirementPeriod.MONTH:
        return month_window(today.year, today.month)
    if unit == RequirementPeriod.QUARTER:
        return quarter_window(today.year, (today.month - 1) // 3 + 1)
    return year_window(today.year)


# --- requirements ----------------------------------------------------------------------------


def requirement_table() -> dict[tuple[str, str], dict[str, tuple[int, str]]]:
    """{(organization kind, formation): {meeting kind: (minimum, period)}} with the rules for
    "any formation" ('') merged under each exact formation (the exact one wins). One query."""
    generic: dict[str, dict[str, tuple[int, str]]] = {}
    specific: dict[tuple[str, str], dict[str, tuple[int, str]]] = {}
    for r in MeetingRequirement.objects.order_by().values_list(
        "organization_kind", "formation", "meeting_kind", "minimum_count", "period"
    ):
        org_kind, formation, kind, count, period = r
        target = generic.setdefault(org_kind, {}) if not formation else specific.setdefault((org_kind, formation), {})
        target[kind] = (count, period)
    table: dict[tuple[str, str], dict[str, tuple[int, str]]] = {}
    for org_kind, rules in generic.items():
        for formation in ("", "standalone", "joint", "integrated"):
            table[(org_kind, formation)] = {**rules, **specific.get((org_kind, formation), {})}
    for key, rules in specific.items():
        table.setdefault(key, dict(rules))
    return table


# --- compliance ------------------------------------------------------------------------------


@dataclass
class KindCompliance:
    kind: str
    label: str
    minimum: int
    period: str
    held: int = 0  # all meetings of the kind in the window
    credited: int = 0  # at most ``minimum`` per started period
    required: int = 0  # ``minimum`` per started period
    overdue_periods: int = 0
    due_soon: bool = False
    next_due: datetime.date | None = None
    groups: list[dict] = field(default_factory=list)  # 党小组会: each group's own credited / required

    @property
    def gap(self) -> int:
        return max(0, self.required - self.credited)

    @property
    def groups_behind(self) -> int:
        """党小组会: how many groups have not held their own yet."""
        return sum(1 for g in self.groups if g["credited"] < g["required"])

    @property
    def status(self) -> str:
        if self.gap == 0:
            return "met"
        if self.overdue_periods:
            return "overdue"
        return "due_soon" if self.due_soon else "due"

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "label": self.label,
            "minimum": self.minimum,
            "period": str(self.period),
            "held": self.held,
            "credited": self.credited,
            "required": self.required,
            "gap": self.gap,
            "overdue_periods": self.overdue_periods,
            "status": self.status,
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "groups": [{**g, "gap": max(0, g["required"] - g["credited"])} for g in self.groups],
        }


@dataclass
class BranchCompliance:
    branch_id: int
    name: str
    code: str
    formation: str
    kinds: list[KindCompliance] = field(default_factory=list)
    other_held: dict[str, int] = field(default_factory=dict)  # kinds without a requirement
    position: int | None = None  # tree position, to place the branch under any node (``selectors.spans``)

    @property
    def compliant(self) -> bool:
        return all(k.gap == 0 for k in self.kinds)

    @property
    def overdue(self) -> bool:
        return any(k.overdue_periods for k in self.kinds)

    def as_dict(self) -> dict:
        return {
            "branch": {"id": self.branch_id, "name": self.name, "code": self.code, "formation": self.formation},
            "compliant": self.compliant,
            "overdue": self.overdue,
            "kinds": [k.as_dict() for k in self.kinds],
            "other_held": self.other_held,
        }


@dataclass
class Rollup:
    window: Window
    branches: list[BranchCompliance]

    @property
    def total(self) -> int:
        return len(self.branches)

    @property
    def compliant_count(self) -> int:
        return sum(1 for b in self.branches if b.compliant)

    @property
    def on_track_count(self) -> int:
        """Branches with no overdue period (gaps only in periods still open)."""
        return sum(1 for b in self.branches if not b.overdue)

    @property
    def behind(self) -> list[BranchCompliance]:
        return [b for b in self.branches if not b.compliant]

    def as_dict(self) -> dict:
        return {
            "period": {
                "start": self.window.start.isoformat(),
                "end": self.window.end.isoformat(),
                "unit": str(self.window.unit),
                "label": self.window.label,
            },
            "branches_total": self.total,
            "branches_compliant": self.compliant_count,
            "branches_on_track": self.on_track_count,
            "branches_behind": [
                {
                    "id": b.branch_id,
                    "name": b.name,
                    "code": b.code,
                    "overdue": b.overdue,
                    "gaps": {k.kind: k.gap for k in b.kinds if k.gap},
                }
                for b in self.behind
            ],
        }


def _sub_periods(window: Window, period: str) -> list[tuple[datetime.date, datetime.date]]:
    step = PERIOD_MONTHS[period]
    out, start = [], window.start
    while start < window.end:
        out.append((start, add_months(start, step)))
        start = add_months(start, step)
    return out


def _meeting_counts(
    meetings, window: Window, until: datetime.date | None = None
) -> dict[tuple[int, str], dict[tuple[int, int], int]]:
    """{(branch id, kind): {(year, month): count}} — and for meetings held by a building group
    also {(branch id, kind, group id): …} — in ONE aggregate query; with ``until``, only meetings
    held on or before that day (a report as of a past day does not change later)."""
    lo, hi = window.bounds()
    if until is not None:
        end = datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min, tzinfo=hi.tzinfo)
        hi = min(hi, end)
    rows = (
        meetings.filter(held_at__gte=lo, held_at__lt=hi, archived=False)
        .annotate(
            branch_id=Case(
                When(organization__kind=OrganizationKind.GROUP, then=F("organization__parent_id")),
                default=F("organization_id"),
                output_field=IntegerField(),
            ),
            group_id=Case(
                When(organization__kind=OrganizationKind.GROUP, then=F("organization_id")),
                default=Value(0),
                output_field=IntegerField(),
            ),
            y=ExtractYear("held_at"),
            m=ExtractMonth("held_at"),
        )
        .order_by()
        .values_list("branch_id", "group_id", "kind", "y", "m")
        .annotate(n=Count("id"))
    )
    # Thousands of plain integer rows for a district: read them straight from the cursor, without
    # the ORM's per-row converters (a third of the time here).
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    counts: dict[tuple, dict[tuple[int, int], int]] = {}
    for branch_id, group_id, kind, y, m, n in rows:
        months = counts.setdefault((branch_id, kind), {})
        months[(y, m)] = months.get((y, m), 0) + n
        if group_id:  # each group's own meetings: a 党小组会 requirement binds every group
            counts.setdefault((branch_id, kind, group_id), {})[(y, m)] = n
    return counts


@dataclass(frozen=True)
class _Periods:
    """The sub-periods of a window for one requirement period (month, quarter, year) that have
    started by the as-of day, in order; only the last can still be open."""

    starts: list[datetime.date]
    ends: list[datetime.date]
    ended: int  # how many are over by the as-of day
    index: dict[tuple[int, int], int]  # (year, month) → sub-period
    due_on: datetime.date | None  # last day of the open one, if any

    @classmethod
    def of(cls, window: Window, period: str, today: datetime.date) -> _Periods:
        length = PERIOD_MONTHS[period]
        subs = [(start, end) for start, end in _sub_periods(window, period) if start <= today]
        ends = [end for _s, end in subs]
        ended = sum(1 for end in ends if end <= today)
        index = {(m.year, m.month): i for i, (start, _e) in enumerate(subs) for m in _months(start, length)}
        due_on = ends[-1] - datetime.timedelta(days=1) if ended < len(subs) else None
        return cls([start for start, _e in subs], ends, ended, index, due_on)

    def existed(self, established: datetime.date | None, dissolved: datetime.date | None) -> tuple[int, int]:
        """Sub-periods [first, last) throughout which a branch existed: one founded or dissolved
        during a period is not assessed for it."""
        first = bisect_left(self.starts, established) if established else 0
        last = bisect_right(self.ends, dissolved) if dissolved else len(self.ends)
        return first, max(first, last)


def _months(start: datetime.date, length: int) -> list[datetime.date]:
    return [add_months(start, i) for i in range(length)]


def _tally(lists, subs: _Periods, minimum: int, first: int, last: int) -> tuple[int, int, bool]:
    """(credited, overdue periods, open period short) of one or more holders' (year, month)
    counts: each holder is credited at most ``minimum`` per assessed period; a period is overdue
    (or, the open one, short) when any holder falls short in it."""
    size = len(subs.ends)
    if not any(lists):  # nothing held (common in a large district): every assessed period is short
        return 0, (max(0, min(last, subs.ended) - first) if minimum > 0 else 0), minimum > 0
    # Plain loops over a dozen integers: this runs for every branch and kind of a district.
    index, credited, short = subs.index, 0, [False] * size
    for months in lists:
        per_period = [0] * size
        for key, n in months.items():
            i = index.get(key)
            if i is not None:
                per_period[i] += n
        for i in range(first, last):
            credited += min(per_period[i], minimum)
        short = [was or n < minimum for was, n in zip(short, per_period, strict=True)]
    overdue = short[first : min(last, subs.ended)].count(True)
    return credited, overdue, short[-1]


def fold_compliance(
    *, branches, counts, group_counts, table, window: Window, today: datetime.date
) -> list[BranchCompliance]:
    """Pure folding of the query results into per-branch compliance (no queries).

    The sub-periods started by ``today`` are worked out once per requirement period; each
    (branch, kind) then buckets its few (year, month) counts into them."""
    labels = {kind: str(label) for kind, label in MeetingKind.choices}
    kinds = list(labels)  # MeetingKind.values builds a new list on every access
    periods = {p: _Periods.of(window, p, today) for p, length in PERIOD_MONTHS.items() if length <= window.months}
    result = []
    for b in branches:
        rules = table.get((OrganizationKind.BRANCH, b["formation"] or ""), {})
        item = BranchCompliance(b["id"], b["name"], b["code"], b["formation"], position=b.get("position"))
        for kind in kinds:
            months = counts.get((b["id"], kind)) or {}
            held = sum(months.values())
            rule = rules.get(kind)
            if (
                rule is None
                or rule[1] not in periods
                or (kind == MeetingKind.GROUP_MEETING and not group_counts.get(b["id"]))
            ):
                if held:
                    item.other_held[kind] = held
                continue
            minimum, period = rule
            subs = periods[period]
            first, last = subs.existed(b.get("established_on"), b.get("dissolved_on"))
            kc = KindCompliance(kind, labels[kind], minimum, period, held=held)
            if kind == MeetingKind.GROUP_MEETING and isinstance(group_counts.get(b["id"]), list):
                # 党小组会 are per group: every group owes its own (one group's ten do not cover
                # another's none).
                lists = [counts.get((b["id"], kind, g)) or {} for g in group_counts[b["id"]]]
                for group_id, group_months in zip(group_counts[b["id"]], lists, strict=True):
                    credited = _tally([group_months], subs, minimum, first, last)[0]
                    kc.groups.append({"id": group_id, "credited": credited, "required": minimum * (last - first)})
            else:
                lists = [months]
            kc.required = minimum * (last - first) * len(lists)
            kc.credited, kc.overdue_periods, open_short = _tally(lists, subs, minimum, first, last)
            # The open sub-period (the last one) is due if it is assessed and still short.
            if subs.due_on and first < last == len(subs.ends) and open_short:
                kc.next_due = subs.due_on
                kc.due_soon = (subs.due_on - today).days <= DUE_SOON_DAYS
            item.kinds.append(kc)
        result.append(item)
    return result


def _branch_rows(branches_qs, window: Window, today: datetime.date):
    """The branches that existed at some point of the window, as of ``today``."""
    last_day = min(today, window.end - datetime.timedelta(days=1))
    return list(
        branches_qs.filter(kind=OrganizationKind.BRANCH)
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=window.start))
        .filter(Q(established_on__isnull=True) | Q(established_on__lte=last_day))
        .order_by(*tree_order())
        .values("id", "name", "code", "formation", "established_on", "dissolved_on", position=tree_position())
    )


def _group_counts(branch_filter: Q) -> dict[int, list[int]]:
    """{branch id: [ids of its building groups not dissolved]}."""
    groups: dict[int, list[int]] = {}
    for parent_id, pk in (
        Organization.objects.filter(branch_filter, kind=OrganizationKind.GROUP, dissolved_on__isnull=True)
        .order_by("parent_id", "id")
        .values_list("parent_id", "id")
    ):
        groups.setdefault(parent_id, []).append(pk)
    return groups


def compliance_for_subtree(node: Organization, window: Window, *, today: datetime.date | None = None) -> Rollup:
    """Held vs required per kind for every branch under ``node`` (inclusive), and the rollup,
    as of ``today`` (meetings held by then). Five queries, whatever the size of the subtree."""
    today = today or timezone.localdate()
    # One computation per request: the dashboard's figures and its 落实情况 panel ask for the same
    # node, window and day. Keyed by the data version too, so a write in the request is seen.
    version = data_version()
    request = current_request() if version != "uncached" else None
    key = (node.pk, window.start, window.end, today, version)
    memo = getattr(request, "_compliance_memo", None) if request is not None else None
    if memo is not None and key in memo:
        return memo[key]
    rollup = _compute(node, window, today)
    if request is not None:
        request._compliance_memo = {**(memo or {}), key: rollup}
    return rollup


def _compute(node: Organization, window: Window, today: datetime.date) -> Rollup:
    node = fresh(node)  # a node object held since an earlier tree write is stale
    in_tree = in_subtree("", node)
    branches = _branch_rows(Organization.objects.filter(in_tree), window, today)
    table = requirement_table()
    groups = _group_counts(in_tree)
    meetings = Meeting.objects.filter(in_subtree("organization", node))
    counts = _meeting_counts(meetings, window, until=today)
    return Rollup(
        window,
        fold_compliance(branches=branches, counts=counts, group_counts=groups, table=table, window=window, today=today),
    )


def compliance_for_branch(
    branch: Organization, window: Window, *, today: datetime.date | None = None
) -> BranchCompliance:
    """Held vs required per kind for one branch and one window."""
    return compliance_for_subtree(branch, window, today=today).branches[0]
