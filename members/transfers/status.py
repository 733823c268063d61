"""The member's standing (党籍): 正常 / 预备 (``active`` with the party status), 停止党籍, 出党
(退党 / 除名 / 开除), 取消预备党员资格, 死亡. Each change is a service with its rule, dated, with a
reason and the deciding body recorded in ``MemberStatusChange``; nothing is deleted.

Who decides (《中国共产党章程》 arts. 8–9, 《中国共产党纪律处分条例》, 组织部 rules on 失联党员):
- 停止党籍: the branch (支部大会) decides, the higher committee approves; only for a member out of
  contact for at least ``STOP_AFTER_LOST_MONTHS`` months. ``restore`` (恢复党籍) undoes it.
- 退党: the member's request, the 支部大会 decides (宣布除名 when the member asks to leave).
- 除名: the 支部大会 decides and the 基层党委 approves (no party life / dues for 6 months without
  reason, or lacking the revolutionary will).
- 开除党籍: the 支部大会 decides and a committee at county level or above approves (a disciplinary
  sanction).
- 取消预备党员资格: only for a probationary member; the 支部大会 decides, the higher committee approves.
- 死亡: recorded by the branch.
The deciding body is required for every change but death; the date may not lie in the future.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.auth.accounts import recorded_user
from members import services
from members.member_rules import add_months
from members.models import Member, MemberEventKind, MemberStatus, MemberStatusChange, PartyStatus, Position

STOP_AFTER_LOST_MONTHS = 6


def record_status_change(
    member: Member, to_status: str, *, on: datetime.date, reason: str, decided_by: str = "", actor=None
) -> MemberStatusChange:
    """Write the new status and its history row (the caller holds the member's lock)."""
    change = MemberStatusChange.objects.create(
        member=member,
        from_status=member.status,
        to_status=to_status,
        occurred_on=on,
        reason=reason[:200],
        decided_by=decided_by[:100],
        created_by=recorded_user(actor),
    )
    member.status, member.status_changed_on = to_status, on
    member.save(update_fields=["status", "status_changed_on", "updated_at"])
    return change


def _check(member: Member, *, on: datetime.date, reason: str, decided_by: str, need_body: bool = True) -> None:
    errors: dict[str, list[str]] = {}
    if on > timezone.localdate():
        errors["on"] = [_("The date cannot be in the future.")]
    if not reason.strip():
        errors["reason"] = [_("Give the reason.")]
    if need_body and not decided_by.strip():
        errors["decided_by"] = [_("Name the body that decided.")]
    if errors:
        raise ValidationError(errors)


def _end(member, to_status, *, on, reason, decided_by, actor, need_body=True, from_statuses=(MemberStatus.ACTIVE,)):
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status not in from_statuses:
        raise ValidationError(
            {"status": _("The member is no longer active (%(status)s).") % {"status": member.get_status_display()}}
        )
    _check(member, on=on, reason=reason, decided_by=decided_by, need_body=need_body)
    record_status_change(member, to_status, on=on, reason=reason, decided_by=decided_by, actor=actor)
    if to_status != MemberStatus.STOPPED:
        ending = Position.objects.filter(member=member, ended_on__isnull=True, started_on__lte=on)
        services._end_positions(ending, member=member, on=on, note=to_status)
    kind = MemberEventKind.DECEASED if to_status == MemberStatus.DECEASED else MemberEventKind.UPDATED
    services._event(member, kind, on=on, actor=actor, note=f"{member.get_status_display()}: {reason}")
    return member


@transaction.atomic
def member_stop(*, member: Member, on: datetime.date, reason: str, decided_by: str, actor=None) -> Member:
    """停止党籍: only a member out of contact for at least six months (see module docstring)."""
    current = Member.objects.get(pk=member.pk)
    lost_since = current.lost_contact_since
    if not current.lost_contact or lost_since is None or add_months(lost_since, STOP_AFTER_LOST_MONTHS) > on:
        raise ValidationError({"status": _("Membership is suspended only after six months out of contact.")})
    return _end(member, MemberStatus.STOPPED, on=on, reason=reason, decided_by=decided_by, actor=actor)


@transaction.atomic
def member_restore(*, member: Member, on: datetime.date, reason: str, decided_by: str, actor=None) -> Member:
    """恢复党籍 of a member whose membership was suspended (contact found again)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status != MemberStatus.STOPPED:
        raise ValidationError({"status": _("Only a suspended membership can be restored.")})
    _check(member, on=on, reason=reason, decided_by=decided_by)
    record_status_change(member, MemberStatus.ACTIVE, on=on, reason=reason, decided_by=decided_by, actor=actor)
    member.lost_contact, member.lost_contact_since = False, None
    member.save(update_fields=["lost_contact", "lost_contact_since", "updated_at"])
    services._event(member, MemberEventKind.UPDATED, on=on, actor=actor, note=reason)
    return member


LEAVING = {
    "withdrawn": MemberStatus.WITHDRAWN,
    "removed": MemberStatus.REMOVED,
    "expelled": MemberStatus.EXPELLED,
}


@transaction.atomic
def member_leave_party(
    *, member: Member, how: str, on: datetime.date, reason: str, decided_by: str, actor=None
) -> Member:
    """出党: ``how`` is ``withdrawn`` (退党), ``removed`` (除名) or ``expelled`` (开除). Also from a
    suspended membership (a suspended member may be removed)."""
    if how not in LEAVING:
        raise ValidationError({"how": _("Choose withdrawal, removal or expulsion.")})
    return _end(
        member,
        LEAVING[how],
        on=on,
        reason=reason,
        decided_by=decided_by,
        actor=actor,
        from_statuses=(MemberStatus.ACTIVE, MemberStatus.STOPPED),
    )


@transaction.atomic
def member_cancel_probation(*, member: Member, on: datetime.date, reason: str, decided_by: str, actor=None) -> Member:
    """取消预备党员资格: only a probationary member."""
    if Member.objects.filter(pk=member.pk).values_list("party_status", flat=True).first() != PartyStatus.PROBATIONARY:
        raise ValidationError({"party_status": _("Only a probationary member's membership can be cancelled.")})
    return _end(member, MemberStatus.PROBATION_CANCELLED, on=on, reason=reason, decided_by=decided_by, actor=actor)


@transaction.atomic
def member_record_death(*, member: Member, on: datetime.date, reason: str = "", actor=None) -> Member:
    """死亡, recorded by the branch (no deciding body); the record stays and open positions end."""
    return _end(
        member,
        MemberStatus.DECEASED,
        on=on,
        reason=reason or _("Deceased"),
        decided_by="",
        actor=actor,
        need_body=False,
        from_statuses=(MemberStatus.ACTIVE, MemberStatus.STOPPED),
    )
