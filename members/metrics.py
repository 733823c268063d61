"""Scoring metrics of the members app (registered on import by ``members/contributions.py``).

Each takes a queryset of branches and a period and returns ``{branch_id: (value, figure)}``
with one query (a few for the meeting ones), whatever the number of branches.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, TruncMonth
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


def _count_subquery(qs, outer_field: str) -> Coalesce:
    inner = qs.order_by().values(outer_field).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(inner, output_field=IntegerField()), Value(0))


def _full_members():
    return Member.objects.filter(branch_id=OuterRef("pk"), status=MemberStatus.ACTIVE, party_status=PartyStatus.FULL)


@register_metric("members.committee_complete", label="支委会配备", ratio=True)
def committee_complete(branches, period) -> dict[int, tuple]:
    """Share of the required committee posts held at the period's end (one query)."""
    held = Position.objects.filter(
        organization_id=OuterRef("pk"), kind__in=COMMITTEE_POSTS, started_on__lte=period.end
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.end))
    kinds = Subquery(
        held.order_by().values("organization_id").annotate(n=Count("kind", distinct=True)).values("n"),
        output_field=IntegerField(),
    )
    secretary = held.filter(kind=PositionKind.SECRETARY)
    rows = branches.annotate(
        full=_count_subquery(_full_members(), "branch_id"),
        kinds=Coalesce(kinds, Value(0)),
        secretaries=_count_subquery(secretary, "organization_id"),
    ).values_list("id", "full", "kinds", "secretaries")
    result = {}
    for branch_id, full, kinds_held, secretaries in rows:
        if full >= COMMITTEE_THRESHOLD:
            due, done = len(COMMITTEE_POSTS), min(kinds_held, len(COMMITTEE_POSTS))
            text = _("Committee %(done)d/%(due)d posts (%(full)d full members)")
        else:
            due, done = 1, min(secretaries, 1)
            text = _("Secretary %(done)d/%(due)d (%(full)d full members)")
        result[branch_id] = (_ratio(done, due), text % {"done": done, "due": due, "full": full})
    return result


@register_metric("members.in_service_reported", label="在职党员报到", ratio=True)
def in_service_reported(branches, period) -> dict[int, tuple]:
    """Share of active in-service members living in the compound who reported by the period's end."""
    rows = (
        Member.objects.filter(
            branch__in=branches, status=MemberStatus.ACTIVE, occupation_status=OccupationStatus.IN_SERVICE
        )
        .order_by()
        .values("branch_id")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(reported_on__isnull=False, reported_on__lte=period.end)),
        )
        .values_list("branch_id", "total", "done")
    )
    result = {None: (1.0, _("No in-service members"))}
    for branch_id, total, done in rows:
        result[branch_id] = (
            _ratio(done, total),
            _("In-service members reported %(done)d/%(total)d") % {"done": done, "total": total},
        )
    return result


@register_metric("members.floating_followed", label="流动失联党员管理", ratio=True)
def floating_followed(branches, period) -> dict[int, tuple]:
    """Floating and lost-contact members whose whereabouts are known (floating with a place, not
    lost contact) over all of them; a branch with none scores full."""
    rows = (
        Member.objects.filter(branch__in=branches, status=MemberStatus.ACTIVE)
        .filter(~Q(floating_status="") | Q(lost_contact=True))
        .order_by()
        .values("branch_id")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(lost_contact=False) & ~Q(floating_to="")),
        )
        .values_list("branch_id", "total", "done")
    )
    result = {None: (1.0, _("No floating or lost-contact members"))}
    for branch_id, total, done in rows:
        result[branch_id] = (
            _ratio(done, total),
            _("Floating / lost-contact members followed %(done)d/%(total)d") % {"done": done, "total": total},
        )
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
    result = {}
    for branch_id, formation in branches.values_list("id", "formation"):
        due = {**rules.get("", {}), **rules.get(formation, {})}
        due = {k: v for k, v in due.items() if k in THREE_MEETINGS_ONE_LECTURE and v > 0}
        mine = held.get(branch_id, {})
        done = {k: min(mine.get(k, 0), v) for k, v in due.items()}
        parts = " ".join(
            f"{MeetingKind(k).label}{mine.get(k, 0)}/{v}"
            for k, v in sorted(due.items(), key=lambda kv: THREE_MEETINGS_ONE_LECTURE.index(kv[0]))
        )
        total_due, total_done = sum(due.values()), sum(done.values())
        text = _("Three meetings and one lecture %(done)d/%(due)d") % {"done": total_done, "due": total_due}
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
    result = {None: (0.0, _("Theme party day in %(done)d/%(due)d months") % {"done": 0, "due": period.months})}
    for branch_id, months in rows:
        months = min(months, period.months)
        result[branch_id] = (
            _ratio(months, period.months),
            _("Theme party day in %(done)d/%(due)d months") % {"done": months, "due": period.months},
        )
    return result


BRANCH_MIN_FULL = 3  # 支部工作条例 第四条: at least 3 full members


# The name keeps its first prefix: rubric criteria store metric names (a rename would orphan them).
@register_metric("organizations.full_members", label="正式党员人数")
def full_members(branches, period) -> dict[int, tuple]:
    """Active full members living in the branch (the value is the count)."""
    rows = (
        Member.objects.filter(branch__in=branches, status=MemberStatus.ACTIVE, party_status=PartyStatus.FULL)
        .order_by()
        .values("branch_id")
        .annotate(n=Count("id"))
        .values_list("branch_id", "n")
    )
    text = _("%(n)d full members (at least %(min)d)")
    result = {None: (0, text % {"n": 0, "min": BRANCH_MIN_FULL})}
    for branch_id, n in rows:
        result[branch_id] = (n, text % {"n": n, "min": BRANCH_MIN_FULL})
    return result


@register_metric("members.appraisal_done", label="民主评议党员", ratio=True)
def appraisal_done(branches, period) -> dict[int, tuple]:
    """Share of the branch's active members appraised in the period's year (one query)."""
    from members.models import AppraisalResult

    appraised = AppraisalResult.objects.filter(session__organization_id=OuterRef("pk"), session__year=period.end.year)
    rows = branches.annotate(
        active=_count_subquery(
            Member.objects.filter(branch_id=OuterRef("pk"), status=MemberStatus.ACTIVE), "branch_id"
        ),
        done=_count_subquery(appraised, "session__organization_id"),
    ).values_list("id", "active", "done")
    return {
        bid: (_ratio(min(done, active), active), _("Appraised %(done)d/%(due)d") % {"done": done, "due": active})
        for bid, active, done in rows
    }
