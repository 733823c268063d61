"""Writes of positions (职务): who holds which role in which organization, over which dates.
One current secretary / group leader per organization (checked here and by a partial unique
constraint); elected positions only for full members."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from members.models import Member, MemberStatus, PartyStatus, Position, PositionKind
from members.models.position import COMMITTEE_POSITIONS
from organizations.models import Organization, OrganizationKind

# Single-seat positions: one holder at a time in an organization.
SINGLE_SEAT = (PositionKind.SECRETARY, PositionKind.GROUP_LEADER)


def validate_position(position: Position) -> None:
    errors: dict[str, list[str]] = {}
    member, org = position.member, position.organization
    if position.ended_on and position.ended_on < position.started_on:
        errors.setdefault("ended_on", []).append(_("The end date is before the start date."))
    if position.kind == PositionKind.GROUP_LEADER and org.kind != OrganizationKind.GROUP:
        errors.setdefault("organization", []).append(_("A group leader leads a building group."))
    if member.status != MemberStatus.ACTIVE and position.ended_on is None:
        errors.setdefault("member", []).append(_("The member is no longer active."))
    if position.kind in COMMITTEE_POSITIONS and member.party_status == PartyStatus.PROBATIONARY:
        # 党章 第七条: a probationary member has no right to vote, elect or be elected.
        errors.setdefault("member", []).append(
            _("%(member)s is a probationary member and cannot hold an elected position (%(kind)s).")
            % {"member": member.name, "kind": position.get_kind_display()}
        )
    related = {member.branch_id, member.group_id, member.home_organization_id}
    if org.pk not in related and org.parent_id != member.branch_id:
        errors.setdefault("organization", []).append(
            _("%(member)s does not belong to %(org)s.") % {"member": member.name, "org": org.name}
        )
    if errors:
        raise ValidationError(errors)
    if position.kind in SINGLE_SEAT:
        overlap = Position.objects.filter(organization=org, kind=position.kind).exclude(pk=position.pk)
        overlap = overlap.filter(started_on__lte=position.ended_on or datetime.date.max)
        overlap = overlap.exclude(ended_on__lt=position.started_on).select_related("member").first()
        if overlap is not None:
            raise ValidationError(
                {
                    "started_on": _("%(org)s already has a %(kind)s in this period: %(member)s.")
                    % {"org": org.name, "kind": position.get_kind_display(), "member": overlap.member.name}
                }
            )


def _save(position: Position) -> None:
    try:
        with transaction.atomic():
            position.save()
    except IntegrityError as exc:
        # A concurrent write took the seat after the overlap check (one current holder per
        # organization is a database constraint): the user's conflict, a 400.
        raise ValidationError(
            {"started_on": _("This organization already has a current holder of this position.")}
        ) from exc


@transaction.atomic
def position_create(
    *,
    member: Member,
    organization: Organization,
    kind: str,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
) -> Position:
    position = Position(member=member, organization=organization, kind=kind, started_on=started_on, ended_on=ended_on)
    validate_position(position)
    _save(position)
    return position


@transaction.atomic
def position_update(*, position: Position, **fields: Any) -> Position:
    allowed = {"member", "organization", "kind", "started_on", "ended_on"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    for key, value in fields.items():
        setattr(position, key, value)
    validate_position(position)
    _save(position)
    return position
