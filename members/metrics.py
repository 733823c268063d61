"""Scoring metrics of the members app (registered on import by ``members/contributions.py``).

Each takes a queryset of branches and a period and returns ``{branch_id: (value, figure)}``
with one query (a few for the meeting ones), whatever the number of branches. The figures over
the branches' members come from one grouped scan of the member table (``member_counts``), read
once per scoring run and shared by every metric that needs it.
"""

from __future__ import annotations

import datetime
import weakref

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from core.registry import register_metric
from members.models import Member, MemberStatus, OccupationStatus, PartyStatus, Position, PositionKind

# 支部工作条例 第九条: 7 or more full members → a branch committee (书记, 组织, 宣传, 纪检委员);
# fewer → a secretary only.
COMMITTEE_THRESHOLD = 7
COMMITTEE_POSTS = (
    PositionKind.SECRETARY,
    PositionKind.ORGANIZATION,
    PositionKind.PUBLICITY,
    PositionKind.DISCIPLINE,
)
# 三会一课: 支部党员大会, 支委会, 党小组会, 党课.
THREE_MEETINGS_ONE_LECTURE = ("party_congress", "branch_committee", "group_meeting", "party_lecture")
REQUIREMENT_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def _ratio(done: int, due: int) -> float:
    return round(done / due, 4) if due else 1.0


# One grouped scan per scoring run: ``compute_scores`` hands every metric the same ``branches``
# queryset object, so the counts are kept as long as that object lives (and no longer).
_MEMBER_COUNTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def member_counts(branches, period) -> dict[int, dict[str, int]]:
    """``{branch_id: {figure: count}}`` of the branches' members, one grouped query: active, active
    full, active in service (and reported by the period's end), active floating or lost contact
    (and followed). Read once per ``branches`` queryset and period."""
    memo = _MEMBER_COUNTS.setdefault(branches, {})
    if period.label in memo:
        return memo[period.label]
    in_service = Q(occupation_status=OccupationStatus.IN_SERVICE)
    floating = ~Q(floating_status="") | Q(lost_contact=True)
    rows = (
        Member.objects.filter(branch__in=branches, status=MemberStatus.ACTIVE)
        .order_by()
        .values("branch_id")
        .annotate(
            active=Count("id"),
            full=Count("id", filter=Q(party_status=PartyStatus.FULL)),
            in_service=Count("id", filter=in_service),
            reported=Count("id", filter=in_service & Q(reported_on__isnull=False, reported_on__lte=period.end)),
            floating=Count("id", filter=floating),
            followed=Count("id", filter=floating & Q(lost_contact=False) & ~Q(floating_to="")),
        )
    )
    memo[period.label] = counts = {row.pop("branch_id"): row for row in rows}
    return counts


@register_metric("members.committee_complete", label="支委会配备", ratio=True)
def committee_complete(branches, period) -> dict[int, tuple]:
    """Share of the required committee posts held at the period's end (two grouped queries)."""
    held = (
        Position.objects.filter(organization__in=branches, kind__in=COMMITTEE_POSTS, started_on__lte=period.end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.end))
        .order_by()
        .values("organization_id")
        .annotate(kinds=Count("kind", distinct=True), secretaries=Count("id", filter=Q(kind=PositionKind.SECRETARY)))
        .values_list("organization_id", "kinds", "secretaries")
    )
    posts = {branch_id: (kinds, secretaries) for branch_id, kinds, secretaries in held}
    counts = member_counts(branches, period)
    committee_text = _("Committee %(done)d/%(due)d posts (%(full)d full members)")
    secretary_text = _("Secretary %(done)d/%(due)d (%(full)d full members)")

    def figure(full: int, kinds_held: int, secretaries: int) -> tuple:
        if full >= COMMITTEE_THRESHOLD:
            due, done, text = len(COMMITTEE_POSTS), min(kinds_held, len(COMMITTEE_POSTS)), committee_text
        else:
            due, done, text = 1, min(secretaries, 1), secretary_text
        return _ratio(done, due), text % {"done": done, "due": due, "full": full}

    result = {None: figure(0, 0, 0)}
    for branch_id in counts.keys() | posts.keys():
        full = counts[branch_id]["full"] if branch_id in counts else 0
        result[branch_id] = figure(full, *posts.get(branch_id, (0, 0)))
    return result


@register_metric("members.in_service_reported", label="在职党员报到", ratio=True)
def in_service_reported(branches, period) -> dict[int, tuple]:
    """Share of active in-service members living in the compound who reported by the period's end."""
    text = _("In-service members reported %(done)d/%(total)d")
    result = {None: (1.0, _("No in-service members"))}
    for branch_id, c in member_counts(branches, period).items():
        if c["in_service"]:
            total, done = c["in_service"], c["reported"]
            result[branch_id] = (_ratio(done, total), text % {"done": done, "total": total})
    return result


@register_metric("members.floating_followed", label="流动失联党员管理", ratio=True)
def floating_followed(branches, period) -> dict[int, tuple]:
    """Floating and lost-contact members whose whereabouts are known (floating with a place, not
    lost contact) over all of them; a branch with none scores full."""
    text = _("Floating / lost-contact members followed %(done)d/%(total)d")
    result = {None: (1.0, _("No floating or lost-contact members"))}
    for branch_id, c in member_counts(branches, period).items():
        if c["floating"]:
            total, done = c["floating"], c["followed"]
            result[branch_id] = (_ratio(done, total), text % {"done": done, "total": total})
    return result


def _period_bounds(period) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


def _meetings_in(branches, period, kinds):
    """Meetings of the branches (or their building groups) in the period, with ``branch_key``."""
    from django.db.models import Case, F, When

    from members.models.meetings import Meeting

    start, end = _period_bounds(period)
    return (
        Meeting.objects.filter(archived=False, kind__in=kinds, held_at__gte=start, held_at__lt=end)
        .filter(Q(organization__in=branches) | Q(organization__parent__in=branches))
        .annotate(
            branch_key=Case(
                When(organization__kind="building_group", then=F("organization__parent_id")),
                default=F("organization_id"),
            )
        )
        .order_by()
    )


def required_counts(period) -> dict[str, dict[str, int]]:
    """``{formation: {meeting_kind: count due in the period}}`` from ``MeetingRequirement``;
    ``""`` holds the general rules. A requirement per year counts pro rata in a shorter period
    (4 a year → 1 a quarter); one that rounds to nothing is not due (one query)."""
    from members.models.meetings import MeetingRequirement

    due: dict[str, dict[str, int]] = {}
    for formation, kind, minimum, per in MeetingRequirement.objects.filter(
        organization_kind="compound_branch", meeting_kind__in=THREE_MEETINGS_ONE_LECTURE + ("theme_day",)
    ).values_list("formation", "meeting_kind", "minimum_count", "period"):
        count = minimum * period.months // REQUIREMENT_MONTHS.get(per, 12)
        due.setdefault(formation, {})[kind] = count
    return due


@register_metric("members.three_meetings_one_lecture", label="三会一课", ratio=True)
def three_meetings_one_lecture(branches, period) -> dict[int, tuple]:
    """Meetings of the 三会一课 kinds held over those due (each kind capped at its due count), from
    ``MeetingRequirement`` (formation-specific rules win). Three queries."""
    from members.models.meetings import MeetingKind

    rules = required_counts(period)
    held: dict[int, dict[str, int]] = {}
    for branch_id, kind, n in (
        _meetings_in(branches, period, THREE_MEETINGS_ONE_LECTURE)
        .values("branch_key", "kind")
        .annotate(n=Count("id"))
        .values_list("branch_key", "kind", "n")
    ):
        held.setdefault(branch_id, {})[kind] = n
    labels = {k: str(MeetingKind(k).label) for k in THREE_MEETINGS_ONE_LECTURE}
    template = _("Three meetings and one lecture %(done)d/%(due)d")
    due_by_formation: dict[str, list[tuple[str, int]]] = {}
    result = {}
    for branch_id, formation in branches.values_list("id", "formation"):
        due = due_by_formation.get(formation)
        if due is None:  # the kinds due for a formation, in 三会一课 order (once per formation)
            merged = {**rules.get("", {}), **rules.get(formation, {})}
            due = due_by_formation[formation] = [
                (k, merged[k]) for k in THREE_MEETINGS_ONE_LECTURE if merged.get(k, 0) > 0
            ]
        mine = held.get(branch_id, {})
        parts = " ".join(f"{labels[k]}{mine.get(k, 0)}/{v}" for k, v in due)
        total_due = sum(v for _k, v in due)
        total_done = sum(min(mine.get(k, 0), v) for k, v in due)
        text = template % {"done": total_done, "due": total_due}
        result[branch_id] = (_ratio(total_done, total_due), f"{text}：{parts}" if parts else text)
    return result


@register_metric("members.theme_day_monthly", label="主题党日", ratio=True)
def theme_day_monthly(branches, period) -> dict[int, tuple]:
    """Months of the period with at least one 主题党日 over the months of the period (one query)."""
    rows = (
        _meetings_in(branches, period, ("theme_day",))
        .annotate(month=TruncMonth("held_at"))
        .values("branch_key")
        .annotate(n=Count("month", distinct=True))
        .values_list("branch_key", "n")
    )
    text = _("Theme party day in %(done)d/%(due)d months")
    result = {None: (0.0, text % {"done": 0, "due": period.months})}
    for branch_id, months in rows:
        months = min(months, period.months)
        result[branch_id] = (_ratio(months, period.months), text % {"done": months, "due": period.months})
    return result


BRANCH_MIN_FULL = 3  # 支部工作条例 第四条: at least 3 full members


# The name keeps its first prefix: rubric criteria store metric names (a rename would orphan them).
@register_metric("organizations.full_members", label="正式党员人数")
def full_members(branches, period) -> dict[int, tuple]:
    """Active full members living in the branch (the value is the count)."""
    text = _("%(n)d full members (at least %(min)d)")
    result = {None: (0, text % {"n": 0, "min": BRANCH_MIN_FULL})}
    for branch_id, c in member_counts(branches, period).items():
        if c["full"]:
            result[branch_id] = (c["full"], text % {"n": c["full"], "min": BRANCH_MIN_FULL})
    return result


@register_metric("members.appraisal_done", label="民主评议党员", ratio=True)
def appraisal_done(branches, period) -> dict[int, tuple]:
    """Share of the branch's active members appraised in the period's year (one grouped query)."""
    from members.models import AppraisalResult

    appraised = dict(
        AppraisalResult.objects.filter(session__organization__in=branches, session__year=period.end.year)
        .order_by()
        .values("session__organization_id")
        .annotate(n=Count("*"))
        .values_list("session__organization_id", "n")
    )
    counts = member_counts(branches, period)
    text = _("Appraised %(done)d/%(due)d")
    result = {None: (1.0, text % {"done": 0, "due": 0})}
    for bid in counts.keys() | appraised.keys():
        active, done = counts[bid]["active"] if bid in counts else 0, appraised.get(bid, 0)
        result[bid] = (_ratio(min(done, active), active), text % {"done": done, "due": active})
    return result
