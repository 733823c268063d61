"""Maintenance of ``AttendanceRollup`` (per compound branch and month, see the model).

Every write that changes an input of the rollup calls one of these in its own transaction:

* ``meetings_changed(keys_before, meeting_ids)`` after a meeting is recorded, edited or archived
  (``keys_before = meeting_keys(ids)`` read before the write: the months and attendees it had);
* ``members_changed(member_ids, also_branches)`` after a member's status, branch or home
  organization changes (the branch left is passed along);
* ``organization_moved(node_id)`` after a tree move (the moved node's meetings now have another
  parent, which decides residence and home crediting).

Each recomputes the affected (branch, month) keys from the raw rows with one aggregate, locked
and written by ``core.rollups.refresh_keys``: two writers never lose each other's attendance.
``meetings_changed`` also keeps ``MemberLife`` (a member's last presence, which 失联 reads) of the
meetings' attendees before and after the write, locking those rows first in the same way.
``rebuild`` recomputes every key; ``differences`` compares the
rollup with a full recomputation.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.rollups import refresh_keys
from members.models import Attendance, AttendanceRollup, AttendanceStatus, Member, MemberLife, MemberStatus

Key = tuple[int, datetime.date]
FIGURES = ("life_total", "life_at_residence", "life_at_home")
BATCH = 2000  # members per locked batch of MemberLife


def life_aggregates() -> dict:
    """Attendance (present) split by where it was: at the compound branch or its groups
    (residence), at the home organization or its groups when that is another node (统筹计入)."""
    at_residence = Q(meeting__organization_id=F("member__branch_id")) | Q(
        meeting__organization__parent_id=F("member__branch_id")
    )
    at_home = Q(meeting__organization_id=F("member__home_organization_id")) | Q(
        meeting__organization__parent_id=F("member__home_organization_id")
    )
    return {
        "life_total": Count("pk"),
        "life_at_residence": Count("pk", filter=at_residence),
        "life_at_home": Count("pk", filter=at_home & ~at_residence),
    }


# What the statistics count: present, at a meeting not archived, by a member active now.
COUNTED = Q(status=AttendanceStatus.PRESENT, meeting__archived=False, member__status=MemberStatus.ACTIVE)


def _month():
    return TruncMonth("meeting__held_at", tzinfo=timezone.get_current_timezone())


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _keys(attendance) -> set[Key]:
    rows = attendance.annotate(_month=_month()).order_by().values_list("member__branch_id", "_month").distinct()
    return {(branch_id, _as_date(month)) for branch_id, month in rows if branch_id is not None}


def meeting_keys(meeting_ids: Iterable[int]) -> set[Key]:
    """The (branch, month) keys the attendance of these meetings counts under now."""
    return _keys(Attendance.objects.filter(meeting_id__in=list(meeting_ids)))


def _computed(keys: set[Key]) -> dict[Key, tuple[int, int, int]]:
    branches = sorted({b for b, _m in keys})
    months = sorted({m for _b, m in keys})
    tz = timezone.get_current_timezone()
    lo = datetime.datetime.combine(months[0], datetime.time.min, tzinfo=tz)
    last = months[-1]
    hi = datetime.datetime.combine(
        datetime.date(last.year + last.month // 12, last.month % 12 + 1, 1), datetime.time.min, tzinfo=tz
    )
    rows = (
        Attendance.objects.filter(COUNTED, member__branch_id__in=branches, meeting__held_at__gte=lo)
        .filter(meeting__held_at__lt=hi)
        .annotate(_month=_month())
        .order_by()
        .values_list("member__branch_id", "_month")
        .annotate(**life_aggregates())
    )
    out = {}
    for branch_id, month, *values in rows:
        key = (branch_id, _as_date(month))
        if key in keys:
            out[key] = tuple(values)
    return out


def refresh(keys: Iterable[Key]) -> int:
    """Recompute these (branch, month) keys from the raw rows (in the caller's transaction)."""
    return refresh_keys(AttendanceRollup, ("organization_id", "month"), FIGURES, keys, _computed, zero=(0, 0, 0))


@dataclass(frozen=True)
class Snapshot:
    """What a meeting write changes, read before it: the rollup keys and the attendees."""

    keys: set[Key] = field(default_factory=set)
    members: set[int] = field(default_factory=set)


def meeting_snapshot(meeting_ids: Iterable[int]) -> Snapshot:
    attendance = Attendance.objects.filter(meeting_id__in=list(meeting_ids))
    return Snapshot(_keys(attendance), set(attendance.values_list("member_id", flat=True)))


def meetings_changed(before: Snapshot | set[Key], meeting_ids: Iterable[int]) -> int:
    """After a meeting is recorded, edited, archived or restored (``before``: its snapshot, or
    the keys only when no attendee can have left it)."""
    before = before if isinstance(before, Snapshot) else Snapshot(set(before))
    now = meeting_snapshot(meeting_ids)
    last_present_refresh(before.members | now.members)
    return refresh(before.keys | now.keys)


# --- MemberLife: the last presence of each member (失联) ------------------------------------------


def _last_present(member_ids: list[int] | None) -> dict[int, datetime.datetime]:
    """Each member's last presence, of these members or (``None``) of all."""
    present = Attendance.objects.filter(status=AttendanceStatus.PRESENT, meeting__archived=False)
    if member_ids is not None:
        present = present.filter(member_id__in=member_ids)
    rows = (
        present.order_by().values("member_id").annotate(last=Max("meeting__held_at")).values_list("member_id", "last")
    )
    return dict(rows)


def last_present_refresh(member_ids: Iterable[int]) -> int:
    """Recompute the members' last presence from the attendance (in the caller's transaction):
    their rows are created and locked first, in id order, so the aggregate reads after any
    concurrent writer of the same members has committed."""
    ids = sorted(set(member_ids))
    for i in range(0, len(ids), BATCH):
        with transaction.atomic():  # a rebuild locks one batch at a time, as a write does
            batch = ids[i : i + BATCH]
            MemberLife.objects.bulk_create([MemberLife(member_id=pk) for pk in batch], ignore_conflicts=True)
            list(MemberLife.objects.filter(pk__in=batch).order_by("pk").select_for_update().values_list("pk"))
            last = _last_present(batch)
            MemberLife.objects.bulk_create(
                [MemberLife(member_id=pk, last_present_at=last.get(pk)) for pk in batch],
                update_conflicts=True,
                unique_fields=["member"],
                update_fields=["last_present_at"],
            )
    return len(ids)


def last_present_differences() -> list[tuple[int, datetime.datetime | None, datetime.datetime | None]]:
    """[(member, stored, recomputed)] where the stored last presence is wrong."""
    stored = dict(MemberLife.objects.exclude(last_present_at=None).values_list("member_id", "last_present_at"))
    expected = _last_present(None)
    return sorted(
        (pk, stored.get(pk), expected.get(pk))
        for pk in stored.keys() | expected.keys()
        if stored.get(pk) != expected.get(pk)
    )


def members_changed(member_ids: Iterable[int], also_branches: Iterable[int | None] = ()) -> int:
    """A member's status, branch or home organization changed: their attendance months, under
    the branch they live in now and the ones passed (the branch they left)."""
    attendance = Attendance.objects.filter(member_id__in=list(member_ids))
    keys = _keys(attendance)
    months = {m for _b, m in keys}
    keys |= {(b, m) for b in also_branches if b for m in months}
    return refresh(keys)


def organization_moved(node_id: int) -> int:
    """The node has another parent: its own meetings credit residence and home differently."""
    return refresh(_keys(Attendance.objects.filter(meeting__organization_id=node_id)))


def _all_keys() -> set[Key]:
    existing = set(AttendanceRollup.objects.values_list("organization_id", "month"))
    return _keys(Attendance.objects.all()) | existing


def rebuild(*, batch_branches: int = 200) -> int:
    """Recompute every key, a slice of branches per transaction (safe while users work: each
    slice locks only its keys, as a write does)."""
    keys = _all_keys()
    by_branch: dict[int, list[Key]] = {}
    for key in keys:
        by_branch.setdefault(key[0], []).append(key)
    branches = sorted(by_branch)
    for i in range(0, len(branches), batch_branches):
        refresh([k for b in branches[i : i + batch_branches] for k in by_branch[b]])
    last_present_refresh(Member.objects.values_list("pk", flat=True))
    return len(keys)


def full_computation() -> dict[Key, tuple[int, int, int]]:
    rows = (
        Attendance.objects.filter(COUNTED)
        .annotate(_month=_month())
        .order_by()
        .values_list("member__branch_id", "_month")
        .annotate(**life_aggregates())
    )
    return {(b, _as_date(m)): tuple(v) for b, m, *v in rows if b is not None and any(v)}


def differences() -> list[tuple[Key, tuple[int, int, int], tuple[int, int, int]]]:
    """[(key, in the rollup, recomputed)] where they differ (zero rows count as absent)."""
    stored = {
        (b, m): tuple(v)
        for b, m, *v in AttendanceRollup.objects.values_list("organization_id", "month", *FIGURES)
        if any(v)
    }
    expected = full_computation()
    zero = (0, 0, 0)
    return sorted(
        (key, stored.get(key, zero), expected.get(key, zero))
        for key in stored.keys() | expected.keys()
        if stored.get(key, zero) != expected.get(key, zero)
    )


def on_node_moved(sender, instance, **kwargs) -> None:
    """``mptt`` signal: sent after the row is saved by ``move_to`` (the tree service), before it
    when a changed parent is saved: then ``on_organization_saved`` refreshes once it is written."""
    instance._rollup_moved = True
    organization_moved(instance.pk)


def on_organization_saved(sender, instance, **kwargs) -> None:
    if getattr(instance, "_rollup_moved", False):
        instance._rollup_moved = False
        organization_moved(instance.pk)


def rebuild_after_generation(ctx) -> None:
    """Last step of ``generate_scale_data`` and ``seed_demo``: their rows are bulk-inserted
    (attendance, dues bases and payments), so every maintained summary is rebuilt."""
    from members.dues import rollup as dues_rollup

    rebuild()
    dues_rollup.rebuild()


LIFE_INPUTS = frozenset({"branch", "branch_id", "status", "home_organization", "home_organization_id"})
DUES_INPUTS = frozenset({"branch", "branch_id", "status", "admitted_on"})


@contextmanager
def members_bulk_changing(member_ids: Iterable[int], fields: Iterable[str]):
    """Around a bulk update of members (the roster import): when it writes the branch, the
    status, the home organization or the admission date, the branches they leave (and the
    admission months they had) are read before and every affected key refreshed after, in the
    same transaction."""
    from members.dues import rollup as dues_rollup

    member_ids, fields = list(member_ids), set(fields)
    if not member_ids or not (LIFE_INPUTS | DUES_INPUTS) & fields:
        yield
        return
    before = {
        pk: (b, a)
        for pk, b, a in Member.objects.filter(pk__in=member_ids).values_list("pk", "branch_id", "admitted_on")
    }
    yield
    if LIFE_INPUTS & fields:
        members_changed(member_ids, {b for b, _a in before.values()})
    if DUES_INPUTS & fields:
        dues_rollup.members_changed(member_ids, before=before)
