"""Scale data of organizational life (``generate_scale_data``): three years of meetings for the
branches in ``ctx.data["branch_ids"]`` with their attendance (about 1,000,000 rows by default).

Reads branch ids, formations and groups from ``ctx.data`` and the members (with their groups,
party status and committee positions) from the database. Each branch-year follows the
三会一课 plan with random misses, so some branches are compliant and many are behind; the
chance of holding each planned meeting is scaled (except for 5% diligent branches that hold
every one) so the attendance total lands near the ``attendance_rows`` size. Meetings and attendance are bulk-inserted per chunk of branches
(``bulk_create``, batch size 5,000).

Leaves: ``ctx.data["meeting_years"]`` (the years generated) and ``ctx.data["meeting_count"]``,
``ctx.data["attendance_count"]``.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.registry import ScaleContext
from members.models import Attendance, AttendanceStatus, Meeting, MeetingKind, Member, PartyStatus, Position
from members.models.position import COMMITTEE_POSITIONS

# kind, months planned, base chance of being held, who attends ("all", "committee", "group")
PLAN = [
    (MeetingKind.PARTY_CONGRESS, (3, 6, 9, 12), 0.85, "all"),
    (MeetingKind.PARTY_LECTURE, (2, 5, 8, 11), 0.8, "all"),
    (MeetingKind.THEME_DAY, tuple(range(1, 13)), 0.75, "all"),
    (MeetingKind.LIFE_MEETING, (1,), 0.9, "all"),
    (MeetingKind.APPRAISAL, (1,), 0.9, "all"),
    (MeetingKind.BRANCH_COMMITTEE, tuple(range(1, 13)), 0.8, "committee"),
    (MeetingKind.GROUP_MEETING, tuple(range(1, 13)), 0.6, "group"),
]
CHUNK = 100  # branches per insert round


def _rolls(branch_ids):
    """Active members per branch as (id, group id, full member?) and the committee per branch."""
    members: dict[int, list[tuple[int, int | None, bool]]] = {}
    for pk, branch_id, group_id, status in (
        Member.objects.active()
        .filter(branch_id__in=branch_ids)
        .values_list("id", "branch_id", "group_id", "party_status")
        .iterator(chunk_size=10000)
    ):
        members.setdefault(branch_id, []).append((pk, group_id, status == PartyStatus.FULL))
    committee: dict[int, set[int]] = {}
    for member_id, org_id in (
        Position.objects.filter(organization_id__in=branch_ids, kind__in=COMMITTEE_POSITIONS)
        .filter(Q(ended_on__isnull=True))
        .values_list("member_id", "organization_id")
    ):
        committee.setdefault(org_id, set()).add(member_id)
    return members, committee


def _chance_factor(ctx, branch_ids, members, committee, groups_by_branch, diligent) -> float:
    """Scale the other branches' chances so the attendance total lands near the target size."""
    months_total = 24 + ctx.today.month
    expected = expected_diligent = 0.0
    for branch_id in branch_ids:
        n = len(members.get(branch_id, []))
        for _kind, months, chance, who in PLAN:
            per_year = len(months) * chance
            size = {
                "all": n,
                "committee": len(committee.get(branch_id, ())),
                "group": n if groups_by_branch.get(branch_id) else 0,
            }[who]
            rows = size * months_total / 12
            if branch_id in diligent:
                expected_diligent += len(months) * rows
            else:
                expected += per_year * rows
    remaining = max(0.0, ctx.sizes["attendance_rows"] - expected_diligent)
    return min(1.0, remaining / expected) if expected else 1.0


def _due(who, roll, committee_ids, holder):
    """Who is due at a meeting of ``who`` (all, the committee, a group); ``None``: no meeting."""
    if who == "all":
        return roll
    if who == "committee":
        return [r for r in roll if r[0] in committee_ids] or None
    return [r for r in roll if r[1] == holder]


def _branch_meetings(rng, today, tz, years, branch_id, roll, groups, committee_ids, diligent: bool, factor):
    """The meetings one branch held (with who was due at each), drawn from ``rng`` in a fixed order."""
    planned = []
    for year in years:
        for kind, months, chance, who in PLAN:
            for month in months:
                if year == today.year and month > today.month:
                    continue
                holders = groups if who == "group" else [branch_id]
                for holder in holders:
                    if not diligent and rng.random() > chance * factor:
                        continue
                    day = rng.randint(1, 28)
                    held_at = datetime.datetime(year, month, day, rng.choice((9, 14, 19)), 0, tzinfo=tz)
                    if held_at.date() >= today:
                        continue
                    due = _due(who, roll, committee_ids, holder)
                    if due is None:
                        continue
                    lines = [(pk, full) for pk, _g, full in due]
                    meeting = Meeting(
                        organization_id=holder,
                        kind=kind,
                        held_at=held_at,
                        topic=f"{kind} {year}-{month:02d}",
                        place="党群服务驿站",
                        voting_due=sum(1 for _p, f in lines if f),
                        voting_present=0,
                        dedup_key=None,
                    )
                    planned.append((meeting, lines))
    return planned


def _insert(rng, planned) -> tuple[int, int]:
    """Insert one chunk's meetings and their attendance (82% present, 12% excused)."""
    with transaction.atomic():
        meetings = Meeting.objects.bulk_create([m for m, _l in planned], batch_size=5000)
        rows = []
        for meeting, (_m, lines) in zip(meetings, planned, strict=True):
            voting_present = 0
            for member_id, full in lines:
                r = rng.random()
                status = (
                    AttendanceStatus.PRESENT
                    if r < 0.82
                    else (AttendanceStatus.EXCUSED if r < 0.94 else AttendanceStatus.ABSENT)
                )
                voting_present += full and status == AttendanceStatus.PRESENT
                rows.append(
                    Attendance(
                        meeting_id=meeting.pk,
                        member_id=member_id,
                        status=status,
                        reason="外出" if status == AttendanceStatus.EXCUSED else "",
                        has_vote=full,
                    )
                )
            meeting.voting_present = voting_present
        Attendance.objects.bulk_create(rows, batch_size=5000)
        Meeting.objects.bulk_update(meetings, ["voting_present"], batch_size=5000)
    return len(meetings), len(rows)


def generate(ctx: ScaleContext) -> None:
    rng, today = ctx.rng, ctx.today
    branch_ids = ctx.data.get("branch_ids", [])
    if not branch_ids:
        return
    tz = timezone.get_current_timezone()
    years = [today.year - 2, today.year - 1, today.year]
    groups_by_branch = ctx.data.get("group_ids_by_branch", {})
    members, committee = _rolls(branch_ids)
    # 5% of the branches are diligent and hold every planned meeting (so some are compliant).
    diligent = {b for b in branch_ids if rng.random() < 0.05}
    factor = _chance_factor(ctx, branch_ids, members, committee, groups_by_branch, diligent)

    meeting_total = attendance_total = 0
    for start in range(0, len(branch_ids), CHUNK):
        planned = []
        for branch_id in branch_ids[start : start + CHUNK]:
            roll = members.get(branch_id, [])
            if roll:
                planned += _branch_meetings(
                    rng,
                    today,
                    tz,
                    years,
                    branch_id,
                    roll,
                    groups_by_branch.get(branch_id, []),
                    committee.get(branch_id, ()),
                    branch_id in diligent,
                    factor,
                )
        meetings, rows = _insert(rng, planned)
        meeting_total += meetings
        attendance_total += rows
    ctx.data.update(meeting_years=years, meeting_count=meeting_total, attendance_count=attendance_total)
    ctx.write(f"  组织生活：会议 {meeting_total} 次，考勤 {attendance_total} 条（{years[0]}–{years[-1]} 年）")


generate.DEFAULTS = {"attendance_rows": 1_000_000}
