"""Writes of members and positions. Keyword-only, typed, atomic; raise ValidationError with
field keys and translatable messages. Members are never deleted: status changes keep history.

The rules of one member (``member_rule_errors``) are pure Python over the loaded objects, so the
importer applies exactly the same rules to 100,000 rows without a query per row.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from members import crypto, personal_data
from members.models import (
    FloatingStatus,
    ManagementMode,
    Member,
    MemberEvent,
    MemberEventKind,
    MemberStatus,
    OccupationStatus,
    PartyStatus,
    Position,
    PositionKind,
    SensitiveAccessAction,
    SensitiveAccessLog,
)
from organizations.models import Organization, OrganizationKind

# Fields a caller may set through member_create / member_update (plus id_number and phone,
# which go through set_member_pii).
MEMBER_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "education",
    "party_status",
    "admitted_on",
    "full_member_on",
    "probation_extension_months",
    "occupation_status",
    "employer",
    "branch",
    "group",
    "home_organization",
    "home_organization_name",
    "compound",
    "building",
    "unit",
    "room",
    "floating_status",
    "floating_to",
    "floating_since",
    "lost_contact",
    "lost_contact_since",
    "reported_on",
    "note",
)
PII_FIELDS = ("id_number", "phone")

# Single-seat positions: one holder at a time in an organization.
SINGLE_SEAT = (PositionKind.SECRETARY, PositionKind.GROUP_LEADER)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def probation_due_date(admitted_on: datetime.date | None, extension_months: int = 0) -> datetime.date | None:
    """党章 第七条: probation is one year from admission; it may be extended once by 6–12 months."""
    if admitted_on is None:
        return None
    return add_months(admitted_on, 12 + (extension_months or 0))


def management_mode_for(member: Member) -> str:
    """目标式 for in-service members, 跟踪式 for floating ones, 设岗式 for the others."""
    if member.floating_status:
        return ManagementMode.TRACKING
    if member.occupation_status in (OccupationStatus.IN_SERVICE,):
        return ManagementMode.TARGET
    return ManagementMode.POST


def set_member_pii(member: Member, *, id_number: str | None = None, phone: str | None = None) -> None:
    """Validate and store ID number / phone as ciphertext + keyed hash + masked form (no
    plain-text column exists). ``None`` leaves a value unchanged, ``""`` clears it."""
    errors: dict[str, list[str]] = {}
    if id_number is not None:
        value = crypto.normalize_id_number(id_number)
        if not value:
            member.id_number_encrypted, member.id_number_hash, member.id_number_masked = "", None, ""
        else:
            problems = crypto.id_number_errors(value, member.birth_date)
            if problems:
                errors["id_number"] = problems
            else:
                if member.birth_date is None:
                    member.birth_date = crypto.id_birth_date(value)
                if not member.gender:
                    member.gender = crypto.id_gender(value)
                member.id_number_encrypted = crypto.encrypt(value)
                member.id_number_hash = crypto.keyed_hash(value)
                member.id_number_masked = crypto.mask_id_number(value)
    if phone is not None:
        value = crypto.normalize_phone(phone)
        if not value:
            member.phone_encrypted, member.phone_hash, member.phone_masked = "", "", ""
        elif not crypto.MOBILE_RE.match(value):
            errors["phone"] = [_("Enter a valid mobile phone number (11 digits starting with 1).")]
        else:
            member.phone_encrypted = crypto.encrypt(value)
            member.phone_hash = crypto.keyed_hash(value)
            member.phone_masked = crypto.mask_phone(value)
    if errors:
        raise ValidationError(errors)


def member_rule_errors(
    member: Member, *, branch: Organization | None, group: Organization | None, home_organization: Organization | None
) -> dict[str, list[str]]:
    """Every rule of one member that needs no query (the related nodes are passed in).
    Also fills the derived fields (management mode, probation due date, default home)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not (member.name or "").strip():
        add("name", _("This field is required."))
    if branch is None:
        add("branch", _("This field is required."))
    elif branch.kind != OrganizationKind.BRANCH:
        add("branch", _("“%(name)s” is not a compound branch.") % {"name": branch.name})
    if group is not None:
        if group.kind != OrganizationKind.GROUP:
            add("group", _("“%(name)s” is not a building group.") % {"name": group.name})
        elif branch is not None and group.parent_id != branch.pk:
            add(
                "group",
                _("The building group “%(group)s” is not under the branch “%(branch)s”.")
                % {"group": group.name, "branch": branch.name},
            )
    if home_organization is not None and member.home_organization_name:
        add(
            "home_organization_name",
            _("Give the home organization either as a node of the tree or as a name, not both."),
        )
    if home_organization is None and not member.home_organization_name and branch is not None:
        member.home_organization_id = branch.pk  # registered in the compound branch itself
    # Dates in order.
    if member.admitted_on and member.full_member_on and member.full_member_on < member.admitted_on:
        add("full_member_on", _("The full-member date is before the admission date."))
    if member.birth_date and member.admitted_on and member.admitted_on <= member.birth_date:
        add("admitted_on", _("The admission date is before the birth date."))
    ext = member.probation_extension_months or 0
    if ext and not 6 <= ext <= 12:
        add("probation_extension_months", _("Probation can be extended once, by 6 to 12 months."))
    if member.party_status == PartyStatus.PROBATIONARY:
        if member.full_member_on:
            add("full_member_on", _("A probationary member has no full-member date."))
        member.probation_due_on = probation_due_date(member.admitted_on, ext)
    else:
        member.probation_due_on = None
        if ext:
            add("probation_extension_months", _("Only a probationary member's probation can be extended."))
    if member.floating_status not in ("", FloatingStatus.OUT, FloatingStatus.IN):
        add("floating_status", _("Unknown floating status."))
    if member.reported_on and member.occupation_status != OccupationStatus.IN_SERVICE:
        add("reported_on", _("Only in-service members report to their compound."))
    member.management_mode = management_mode_for(member)
    return errors


def _check_unique_id(member: Member) -> None:
    if not member.id_number_hash:
        return
    personal_data.guard_duplicate_probe()
    other = Member.objects.filter(id_number_hash=member.id_number_hash).exclude(pk=member.pk)
    other = other.select_related("branch").first()
    if other is not None:
        raise ValidationError({"id_number": personal_data.duplicate_id_message(other)})


def _full_validate(member: Member) -> None:
    branch = member.branch if member.branch_id else None
    group = member.group if member.group_id else None
    home = member.home_organization if member.home_organization_id else None
    errors = member_rule_errors(member, branch=branch, group=group, home_organization=home)
    if not member.gender:  # filled from the ID number when there is one
        errors.setdefault("gender", []).append(_("This field is required."))
    if errors:
        raise ValidationError(errors)
    _check_unique_id(member)


def validate_member(member: Member, *, id_number: str | None = None, phone: str | None = None) -> None:
    """Run every rule on an unsaved copy (the admin form shows the errors before saving)."""
    set_member_pii(member, id_number=id_number, phone=phone)
    _full_validate(member)


def _event(
    member: Member, kind: str, *, on: datetime.date, actor=None, note: str = "", from_branch=None, to_branch=None
) -> MemberEvent:
    return MemberEvent.objects.create(
        member=member,
        kind=kind,
        occurred_on=on,
        note=note[:200],
        from_branch=from_branch,
        to_branch=to_branch,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _split(fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    unknown = set(fields) - set(MEMBER_FIELDS) - set(PII_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    return (
        {k: v for k, v in fields.items() if k in MEMBER_FIELDS},
        {k: v for k, v in fields.items() if k in PII_FIELDS},
    )


@transaction.atomic
def member_create(*, actor=None, today: datetime.date | None = None, **fields: Any) -> Member:
    """Create a member. ``id_number`` / ``phone`` are validated, encrypted and hashed."""
    plain, pii = _split(fields)
    member = Member(
        **{k: ("" if v is None and k in ("home_organization_name", "floating_status") else v) for k, v in plain.items()}
    )
    set_member_pii(member, **pii)
    _full_validate(member)
    member.save()
    _event(member, MemberEventKind.CREATED, on=_today(today), actor=actor)
    return member


@transaction.atomic
def member_update(*, member: Member, actor=None, today: datetime.date | None = None, **fields: Any) -> Member:
    """Change a member's data. A branch change goes through ``member_transfer`` (history)."""
    plain, pii = _split(fields)
    if "branch" in plain and plain["branch"] is not None and plain["branch"].pk != member.branch_id:
        branch = plain.pop("branch")
        group = plain.pop("group", None)
        member = member_transfer(member=member, branch=branch, group=group, actor=actor, today=today)
    for key, value in plain.items():
        if value is None and key in ("home_organization_name", "floating_status", "employer", "note"):
            value = ""
        setattr(member, key, value)
    if "birth_date" in plain and "id_number" not in pii and member.id_number_encrypted:
        # Re-check the stored ID against the new birth date.
        pii["id_number"] = crypto.decrypt(member.id_number_encrypted)
    set_member_pii(member, **pii)
    _full_validate(member)
    member.save()
    _event(
        member, MemberEventKind.UPDATED, on=_today(today), actor=actor, note=", ".join(sorted(set(plain) | set(pii)))
    )
    return member


def _active(member: Member) -> None:
    if member.status != MemberStatus.ACTIVE:
        raise ValidationError(
            {"status": _("The member is no longer active (%(status)s).") % {"status": member.get_status_display()}}
        )


@transaction.atomic
def member_transfer(
    *,
    member: Member,
    branch: Organization,
    group: Organization | None = None,
    actor=None,
    today: datetime.date | None = None,
    note: str = "",
) -> Member:
    """Move a member to another compound branch; the history keeps where they came from. A
    member registered in the old branch moves their registration along."""
    _active(member)
    old_branch = Organization.objects.get(pk=member.branch_id)  # fresh nested-set values
    if member.home_organization_id == old_branch.pk:
        member.home_organization = branch
    member.branch, member.group = branch, group
    _full_validate(member)
    member.save()
    # Positions in the old branch (and its groups) end with the transfer.
    on = _today(today)
    ending = Position.objects.filter(
        member=member,
        ended_on__isnull=True,
        organization__tree_id=old_branch.tree_id,
        organization__lft__gte=old_branch.lft,
        organization__rght__lte=old_branch.rght,
        started_on__lte=on,
    )
    _end_positions(ending, member=member, on=on, note="transfer")
    _event(member, MemberEventKind.TRANSFERRED, on=on, actor=actor, note=note, from_branch=old_branch, to_branch=branch)
    return member


@transaction.atomic
def member_mark_floating(
    *,
    member: Member,
    direction: str,
    place: str = "",
    since: datetime.date | None = None,
    actor=None,
    today: datetime.date | None = None,
) -> Member:
    """流出/流入 (``out``/``in``, where to or from), or ``""`` when the member is back."""
    _active(member)
    if direction not in FloatingStatus.values:
        raise ValidationError({"floating_status": _("Unknown floating status.")})
    if direction and not place.strip():
        raise ValidationError({"floating_to": _("Say where the member floats to or from.")})
    member.floating_status, member.floating_to = direction, place.strip() if direction else ""
    member.floating_since = (since or _today(today)) if direction else None
    _full_validate(member)
    member.save()
    _event(
        member,
        MemberEventKind.FLOATING,
        on=_today(today),
        actor=actor,
        note=f"{member.get_floating_status_display()} {member.floating_to}".strip(),
    )
    return member


@transaction.atomic
def member_mark_lost_contact(
    *,
    member: Member,
    lost: bool = True,
    since: datetime.date | None = None,
    actor=None,
    today: datetime.date | None = None,
) -> Member:
    """失联 (or found again)."""
    _active(member)
    member.lost_contact = lost
    member.lost_contact_since = (since or _today(today)) if lost else None
    member.save(update_fields=["lost_contact", "lost_contact_since", "updated_at"])
    _event(
        member,
        MemberEventKind.LOST_CONTACT,
        on=_today(today),
        actor=actor,
        note=_("lost contact") if lost else _("contact restored"),
    )
    return member


def _end_positions(positions, *, member: Member, on: datetime.date, note: str) -> None:
    """End ``positions`` in one UPDATE, with one audit summary naming them (no per-row signal)."""
    ids = list(positions.values_list("pk", flat=True))
    if ids:
        Position.objects.filter(pk__in=ids).update(ended_on=on)
        audit.audit_bulk(
            model=Position,
            action="update",
            count=len(ids),
            ids=ids,
            values={"ended_on": on},
            organization_id=member.branch_id,
            note=note,
        )


def _end(member: Member, kind: str, status: str, on: datetime.date, actor, note: str) -> Member:
    _active(member)
    member.status, member.status_changed_on = status, on
    member.save(update_fields=["status", "status_changed_on", "updated_at"])
    ending = Position.objects.filter(member=member, ended_on__isnull=True, started_on__lte=on)
    _end_positions(ending, member=member, on=on, note=kind)
    _event(member, kind, on=on, actor=actor, note=note)
    return member


@transaction.atomic
def member_mark_deceased(*, member: Member, on: datetime.date, actor=None, note: str = "") -> Member:
    """The record stays (history); open positions end."""
    return _end(member, MemberEventKind.DECEASED, MemberStatus.DECEASED, on, actor, note)


@transaction.atomic
def member_transfer_out(*, member: Member, on: datetime.date, destination: str = "", actor=None) -> Member:
    """组织关系转出 to outside the tree; the record stays, open positions end."""
    return _end(member, MemberEventKind.TRANSFERRED_OUT, MemberStatus.TRANSFERRED_OUT, on, actor, destination)


@transaction.atomic
def member_report(*, member: Member, reported_on: datetime.date, employer: str = "", actor=None) -> Member:
    """在职党员回小区报到: date and employer."""
    _active(member)
    if member.occupation_status != OccupationStatus.IN_SERVICE:
        raise ValidationError({"reported_on": _("Only in-service members report to their compound.")})
    member.reported_on = reported_on
    if employer:
        member.employer = employer
    member.save(update_fields=["reported_on", "employer", "updated_at"])
    _event(member, MemberEventKind.REPORTED, on=reported_on, actor=actor, note=member.employer)
    return member


@transaction.atomic
def member_extend_probation(*, member: Member, months: int, actor=None, today: datetime.date | None = None) -> Member:
    """延长预备期 once, by 6 to 12 months."""
    _active(member)
    if member.party_status != PartyStatus.PROBATIONARY:
        raise ValidationError(
            {"probation_extension_months": _("Only a probationary member's probation can be extended.")}
        )
    if member.probation_extension_months:
        raise ValidationError({"probation_extension_months": _("The probation was already extended once.")})
    if not 6 <= months <= 12:
        raise ValidationError({"probation_extension_months": _("Probation can be extended once, by 6 to 12 months.")})
    member.probation_extension_months = months
    _full_validate(member)
    member.save()
    _event(member, MemberEventKind.PROBATION_EXTENDED, on=_today(today), actor=actor, note=str(months))
    return member


@transaction.atomic
def member_confirm_full(*, member: Member, on: datetime.date, actor=None) -> Member:
    """转正."""
    _active(member)
    if member.party_status != PartyStatus.PROBATIONARY:
        raise ValidationError({"party_status": _("The member is already a full member.")})
    member.party_status, member.full_member_on = PartyStatus.FULL, on
    _full_validate(member)
    member.save()
    _event(member, MemberEventKind.FULL_MEMBER, on=on, actor=actor)
    return member


# --- positions -------------------------------------------------------------------------------


def validate_position(position: Position) -> None:
    errors: dict[str, list[str]] = {}
    member, org = position.member, position.organization
    if position.ended_on and position.ended_on < position.started_on:
        errors.setdefault("ended_on", []).append(_("The end date is before the start date."))
    if position.kind == PositionKind.GROUP_LEADER and org.kind != OrganizationKind.GROUP:
        errors.setdefault("organization", []).append(_("A group leader leads a building group."))
    if member.status != MemberStatus.ACTIVE and position.ended_on is None:
        errors.setdefault("member", []).append(_("The member is no longer active."))
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
    position.save()
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
    position.save()
    return position


def log_sensitive_access(*, user, member_ids, action: str = SensitiveAccessAction.VIEW, channel: str = "") -> int:
    """Record who saw / exported which members in full (one bulk insert, PIPL access log)."""
    rows = [SensitiveAccessLog(user=user, member_id=pk, action=action, channel=channel) for pk in member_ids]
    SensitiveAccessLog.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
