"""Reads of a member's organizational life: the yearly total with its split (统筹计入), 失联 and
即将转正. Every screen, the API, the statistics and the reminders read these, so each rule is
written once.

失联 (lost contact): a member has had no organizational life for MORE than six months — their
last attendance (present, at a meeting of the compound branch, of the home organization or of a
group of either) or, when they have attended nothing since, the day they joined the branch, lies
strictly before the same calendar day six months ago (``lost_contact_cutoff``). Attendance on
that very day still counts: on 2026-11-20 a member last seen on 2026-05-20 is not lost, one last
seen on 2026-05-19 is. A member who joined the branch less than six months ago is never lost.
(docs/rules.md writes the same down for users.)

即将转正: a probationary member whose probation ends within ``settings.PROBATION_DUE_SOON_DAYS``
days (or has ended).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import BooleanField, Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from members.member_rules import add_months
from members.models import Attendance, AttendanceStatus, Member, PartyStatus
from organizations.models import Organization

LOST_CONTACT_MONTHS = 6


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def probation_due_soon_days() -> int:
    """The one 即将转正 window (days), from the settings."""
    return settings.PROBATION_DUE_SOON_DAYS


# --- 失联 ------------------------------------------------------------------------------------


def lost_contact_cutoff(today: datetime.date) -> datetime.date:
    """Organizational life before this day (exclusive) is more than six months ago."""
    return add_months(today, -LOST_CONTACT_MONTHS)


def _present(member_ref: str = "pk"):
    return Attendance.objects.filter(
        member_id=OuterRef(member_ref), status=AttendanceStatus.PRESENT, meeting__archived=False
    )


def lost_contact_q(today: datetime.date) -> Q:
    """Members (of a Member queryset) lost contact as of ``today`` by their organizational life:
    joined the branch before the cutoff and present at no meeting from the cutoff to ``today``.

    Read from the maintained last presence (``MemberLife``, kept by ``members.rollups``): last
    present before the cutoff, or never, is lost; last present from the cutoff to ``today`` is not.
    Only a member last present after ``today`` (a day in the past asked for) needs the search
    through the attendance, so today's figures read one row per member. That search is the set of
    members present in the window, built once (a hashed subplan, not a probe per member: for a
    past day most members of a district were present since)."""
    cutoff, end = _start_of(lost_contact_cutoff(today)), _start_of(today + datetime.timedelta(days=1))
    joined_before = Q(branch_joined_on__lt=lost_contact_cutoff(today)) | Q(
        branch_joined_on__isnull=True, created_at__lt=cutoff
    )
    present_in_window = Attendance.objects.filter(
        status=AttendanceStatus.PRESENT, meeting__archived=False, meeting__held_at__gte=cutoff, meeting__held_at__lt=end
    ).values("member_id")
    never = Q(life__isnull=True) | Q(life__last_present_at__isnull=True) | Q(life__last_present_at__lt=cutoff)
    return joined_before & (never | (Q(life__last_present_at__gte=end) & ~Q(pk__in=present_in_window)))


def lost_contact_listed_q(today: datetime.date) -> Q:
    """失联 as the lists and figures count it (the member API's ``lost_contact`` filter, the
    admin's, the statistics' ``members.lost_contact``): marked by the branch, or computed from
    organizational life (``lost_contact_q``)."""
    return Q(lost_contact=True) | lost_contact_q(today)


def last_attended():
    """When the member was last present at a meeting (any organization): the maintained
    ``MemberLife`` row (``members.rollups``)."""
    return F("life__last_present_at")


def lost_contact_members(branch: Organization, *, today: datetime.date | None = None):
    """Active members of ``branch`` lost contact as of ``today``; ``last_attended`` annotated.
    One query."""
    today = today or timezone.localdate()
    return (
        Member.objects.active()
        .filter(branch=branch)
        .filter(lost_contact_q(today))
        .annotate(last_attended=last_attended())
        .order_by("name", "id")
    )


# --- 统筹计入: the yearly total with its split ----------------------------------------------------


def _count(qs):
    return Coalesce(
        Subquery(qs.order_by().values("member_id").annotate(n=Count("id")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def annotate_organizational_life(queryset, *, year: int, today: datetime.date | None = None):
    """Annotate a Member queryset with the year's organizational life and 失联, in the same
    query (subqueries, so a list costs no query per row):

    ``life_total`` meetings attended (present) in ``year``; ``life_at_residence`` of them at the
    compound branch or its groups; ``life_at_home`` at the home organization or its groups (when
    it is another node: 一方隶属, 双方管理); ``last_attended``; ``lost_contact_due``."""
    today = today or timezone.localdate()
    in_year = _present().filter(
        meeting__held_at__gte=_start_of(datetime.date(year, 1, 1)),
        meeting__held_at__lt=_start_of(datetime.date(year + 1, 1, 1)),
    )
    at_branch = Q(meeting__organization_id=OuterRef("branch_id")) | Q(
        meeting__organization__parent_id=OuterRef("branch_id")
    )
    at_home = Q(meeting__organization_id=OuterRef("home_organization_id")) | Q(
        meeting__organization__parent_id=OuterRef("home_organization_id")
    )
    return queryset.annotate(
        life_total=_count(in_year),
        life_at_residence=_count(in_year.filter(at_branch)),
        life_at_home=_count(in_year.filter(at_home).exclude(at_branch)),
        last_attended=last_attended(),
        lost_contact_due=Case(
            When(lost_contact_q(today), then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
    )


def attach_organizational_life(members: list[Member], *, year: int, today: datetime.date | None = None):
    """Set on already-loaded members what ``annotate_organizational_life`` annotates
    (``life_total``, ``life_at_residence``, ``life_at_home``, ``last_attended``,
    ``lost_contact_due``), by the same rules, from two queries over those members only (the
    year's attendance grouped by organization; 失联 and the last presence by ``lost_contact_q``
    and ``MemberLife``): a page of a list costs what its own rows hold, not a subquery per row
    over the whole filtered list. Returns ``members``."""
    today = today or timezone.localdate()
    lo, hi = _start_of(datetime.date(year, 1, 1)), _start_of(datetime.date(year + 1, 1, 1))
    ids = [m.pk for m in members]
    rows = (
        Attendance.objects.filter(
            member_id__in=ids,
            status=AttendanceStatus.PRESENT,
            meeting__archived=False,
            meeting__held_at__gte=lo,
            meeting__held_at__lt=hi,
        )
        .order_by()
        .values_list("member_id", "meeting__organization_id", "meeting__organization__parent_id")
        .annotate(n=Count("id"))
    )
    lost = {
        pk: (last, due)
        for pk, last, due in Member.objects.filter(pk__in=ids)
        .annotate(
            last=last_attended(),
            due=Case(When(lost_contact_q(today), then=Value(True)), default=Value(False), output_field=BooleanField()),
        )
        .values_list("pk", "last", "due")
    }
    by_id = {m.pk: m for m in members}
    for m in members:
        m.life_total = m.life_at_residence = m.life_at_home = 0
        m.last_attended, m.lost_contact_due = lost.get(m.pk, (None, False))
    for member_id, org_id, parent_id, n in rows:
        m = by_id[member_id]
        at_branch = m.branch_id is not None and m.branch_id in (org_id, parent_id)
        at_home = m.home_organization_id is not None and m.home_organization_id in (org_id, parent_id)
        m.life_total += n
        m.life_at_residence += n if at_branch else 0
        m.life_at_home += n if at_home and not at_branch else 0
    return members


@dataclass
class CreditSource:
    organization_id: int
    name: str
    via: str  # "branch", "home" or "other"
    count: int


def organizational_life_totals(members: list[Member], year: int) -> dict[int, dict]:
    """统筹计入: per member, the meetings attended (present) in ``year`` at the compound branch
    (or its groups) and at the home organization (or its groups), with where each came from.
    ONE query for any number of members."""
    lo, hi = _start_of(datetime.date(year, 1, 1)), _start_of(datetime.date(year + 1, 1, 1))
    by_id = {m.pk: m for m in members}
    rows = (
        Attendance.objects.filter(
            member_id__in=list(by_id),
            status=AttendanceStatus.PRESENT,
            meeting__held_at__gte=lo,
            meeting__held_at__lt=hi,
            meeting__archived=False,
        )
        .order_by()
        .values_list(
            "member_id", "meeting__organization_id", "meeting__organization__name", "meeting__organization__parent_id"
        )
        .annotate(n=Count("id"))
    )
    out = {pk: {"total": 0, "from_branch": 0, "from_home": 0, "from_other": 0, "sources": []} for pk in by_id}
    for member_id, org_id, name, parent_id, n in rows:
        m = by_id[member_id]
        if m.branch_id in (org_id, parent_id):
            via = "branch"
        elif m.home_organization_id and m.home_organization_id in (org_id, parent_id):
            via = "home"
        else:
            via = "other"
        entry = out[member_id]
        entry["total"] += n
        entry[f"from_{via}"] += n
        entry["sources"].append(CreditSource(org_id, name, via, n))
    return out


# --- 即将转正 ----------------------------------------------------------------------------------


def probation_due_q(today: datetime.date, *, days: int | None = None) -> Q:
    """Probationary members whose probation ends within the window (or has ended)."""
    days = probation_due_soon_days() if days is None else days
    return Q(
        party_status=PartyStatus.PROBATIONARY,
        probation_due_on__isnull=False,
        probation_due_on__lte=today + datetime.timedelta(days=days),
    )


def members_due_for_full_membership(
    branch: Organization, *, today: datetime.date | None = None, within_days: int | None = None
) -> list[tuple[Member, datetime.date, bool]]:
    """Probationary members of ``branch`` whose probation ends within the 即将转正 window (or
    has ended): (member, due date, overdue). One query."""
    today = today or timezone.localdate()
    rows = (
        Member.objects.active()
        .filter(branch=branch)
        .filter(probation_due_q(today, days=within_days))
        .order_by("probation_due_on", "id")
    )
    return [(m, m.probation_due_on, m.probation_due_on < today) for m in rows]
