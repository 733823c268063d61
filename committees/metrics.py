"""Scoring metrics of the committees app (registered by importing it from ``contributions.py``):
owners' committee formed, party share of seats, cross-appointment, joint meetings. One
aggregate query each over all the branches given."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from committees.models import Committee, CommitteeKind, CommitteeStatus, Seat
from core.registry import register_metric
from members.metrics import _meetings_in
from members.models import Position
from organizations.models import Compound, CompoundKind

GOVERNING_KINDS = (CommitteeKind.OWNERS, CommitteeKind.PROPERTY_MANAGEMENT)


def _live_committees(period):
    """Owners' / property-management committees in office at the period's end."""
    return Committee.objects.filter(kind__in=GOVERNING_KINDS, status=CommitteeStatus.ACTIVE).filter(
        Q(elected_on__isnull=True) | Q(elected_on__lte=period.end)
    )


def _seats_at_end(period):
    return Seat.objects.filter(committee__in=_live_committees(period), started_on__lte=period.end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=period.end)
    )


@register_metric("committees.owners_committee_formed", label="业委会组建", ratio=True)
def owners_committee_formed(branches, period) -> dict[int, tuple]:
    """Property-managed compounds of the branch with an owners' (or property-management)
    committee in office, over all of them."""
    rows = (
        Compound.objects.filter(branch__in=branches, kind=CompoundKind.PROPERTY_MANAGED)
        .annotate(formed=Exists(_live_committees(period).filter(compound_id=OuterRef("pk"))))
        .order_by()
        .values("branch_id")
        .annotate(total=Count("id"), done=Count("id", filter=Q(formed=True)))
        .values_list("branch_id", "total", "done")
    )
    text = _("Owners' committees formed %(done)d/%(total)d")
    result = {None: (1.0, _("No property-managed compound"))}
    for branch_id, total, done in rows:
        result[branch_id] = (round(done / total, 4) if total else 1.0, text % {"done": done, "total": total})
    return result


@register_metric("committees.party_seat_share", label="业委会党员占比", ratio=True)
def party_seat_share(branches, period) -> dict[int, tuple]:
    """Party members' share of the seats of the branch's owners' committees (None without one)."""
    rows = (
        _seats_at_end(period)
        .filter(committee__compound__branch__in=branches)
        .order_by()
        .values("committee__compound__branch_id")
        .annotate(total=Count("id"), party=Count("id", filter=Q(is_party_member=True) | Q(member__isnull=False)))
        .values_list("committee__compound__branch_id", "total", "party")
    )
    text = _("Party members hold %(party)d/%(total)d seats")
    result = {None: (None, _("No owners' committee"))}
    for branch_id, total, party in rows:
        result[branch_id] = (round(party / total, 4) if total else 0.0, text % {"party": party, "total": total})
    return result


@register_metric("committees.cross_appointment", label="交叉任职")
def cross_appointment(branches, period) -> dict[int, tuple]:
    """Seats held by members who also hold a position in the branch (交叉任职); value = count."""
    in_branch = Position.objects.filter(
        member_id=OuterRef("member_id"),
        organization_id=OuterRef("committee__compound__branch_id"),
        started_on__lte=period.end,
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.end))
    rows = (
        _seats_at_end(period)
        .filter(committee__compound__branch__in=branches, member__isnull=False)
        .filter(Exists(in_branch))
        .order_by()
        .values("committee__compound__branch_id")
        .annotate(n=Count("member_id", distinct=True))
        .values_list("committee__compound__branch_id", "n")
    )
    text = _("%(n)d cross-appointed member(s)")
    result = {None: (0, text % {"n": 0})}
    for branch_id, n in rows:
        result[branch_id] = (n, text % {"n": n})
    return result


@register_metric("committees.joint_meetings", label="三方联席会议")
def joint_meetings(branches, period) -> dict[int, tuple]:
    """Three-party joint meetings (三方联席会议) the branch held in the period; value = count."""
    rows = (
        _meetings_in(branches, period, ("joint_meeting",))
        .values("branch_key")
        .annotate(n=Count("id"))
        .values_list("branch_key", "n")
    )
    text = _("%(n)d joint meeting(s) held")
    result = {None: (0, text % {"n": 0})}
    for branch_id, n in rows:
        result[branch_id] = (n, text % {"n": n})
    return result
