"""Writes of members: create, update, transfer and the status changes (延长预备期, 转正, 流动,
失联, 去世, 转出). Keyword-only, typed, atomic; raise ValidationError with field keys and
translatable messages. Members are never deleted: status changes keep history.

The rules of one member are in ``members.member_rules`` (pure Python, shared with the importer);
positions in ``members.positions``. Both are re-exported here, the one entry point of writes.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.auth.accounts import recorded_user
from members import crypto, events, personal_data, rollups
from members.dues import rollup as dues_rollup
from members.introducers import _check_introducers, introducer_errors, introducer_links, link_introducers  # noqa: F401

# Re-exported: this module is the one entry point of member writes (rules, positions included).
from members.member_rules import (  # noqa: F401
    add_months,
    management_mode_for,
    member_rule_errors,
    party_status_change_errors,
    probation_due_date,
    set_member_pii,
)
from members.models import (
    ConversionStatus,
    FloatingStatus,
    Member,
    MemberEvent,
    MemberEventKind,
    MemberStatus,
    OccupationStatus,
    PartyStatus,
    Position,
    SensitiveAccessAction,
    SensitiveAccessLog,
)
from members.positions import SINGLE_SEAT, position_create, position_update, validate_position  # noqa: F401
from organizations.models import Organization
from organizations.selectors import in_subtree

# Fields a caller may set through member_create / member_update (plus id_number and phone,
# which go through set_member_pii).
MEMBER_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "native_place",
    "education",
    "degree",
    "party_status",
    "admitted_on",
    "full_member_on",
    "probation_extension_months",
    "conversion_status",
    "admission_branch_name",
    "introducer_names",
    "party_number",
    "occupation_status",
    "employer",
    "job_title",
    "work_started_on",
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


def _check_unique_id(member: Member, *, admitting=None) -> None:
    """An ID number already registered to another member, or to an open candidate (申请人 not yet
    admitted), is refused; ``admitting`` is the candidate this member is being made from. The
    message names the record only when the user can see it (``personal_data.duplicate_id_message``)."""
    from members.development.models import Candidate

    if not member.id_number_hash:
        return
    personal_data.guard_duplicate_probe()
    other = Member.objects.filter(id_number_hash=member.id_number_hash).exclude(pk=member.pk)
    other = other.select_related("branch").first()
    if other is None:
        candidates = Candidate.objects.filter(id_number_hash=member.id_number_hash, member__isnull=True)
        if admitting is not None:
            candidates = candidates.exclude(pk=admitting.pk)
        other = candidates.select_related("branch").first()
    if other is not None:
        raise ValidationError({"id_number": personal_data.duplicate_id_message(other)})


def _check_unique_party_number(member: Member) -> None:
    """党员编号 is optional and unique where given (the partial unique constraint, said as a
    field error before the database refuses it)."""
    if member.party_number and Member.objects.filter(party_number=member.party_number).exclude(pk=member.pk).exists():
        raise ValidationError({"party_number": _("This party member number is already registered.")})


def _full_validate(member: Member, *, admitting=None) -> None:
    branch = member.branch if member.branch_id else None
    group = member.group if member.group_id else None
    home = member.home_organization if member.home_organization_id else None
    errors = member_rule_errors(member, branch=branch, group=group, home_organization=home)
    if not member.gender:  # filled from the ID number when there is one
        errors.setdefault("gender", []).append(_("This field is required."))
    if errors:
        raise ValidationError(errors)
    _check_unique_id(member, admitting=admitting)
    _check_unique_party_number(member)
    _check_introducers(member)


def validate_member(member: Member, *, id_number: str | None = None, phone: str | None = None) -> None:
    """Run every rule on an unsaved copy (the admin form shows the errors before saving),
    including the rules of changing the stored member's probation or party status."""
    if member.pk:
        before = Member.objects.only("party_status", "probation_extension_months", "full_member_on").get(pk=member.pk)
        errors = party_status_change_errors(
            before,
            months=member.probation_extension_months,
            status=member.party_status,
            full_member_on=member.full_member_on if member.full_member_on != before.full_member_on else None,
        )
        if errors:
            raise ValidationError(errors)
    set_member_pii(member, id_number=id_number, phone=phone)
    _full_validate(member)


# History events that change none of status, branch or home organization (a new member has no
# attendance yet): no rollup work.
_NOT_LIFE_INPUTS = frozenset(
    {MemberEventKind.CREATED, MemberEventKind.REPORTED, MemberEventKind.PROBATION_EXTENDED, MemberEventKind.FULL_MEMBER}
)


def _event(
    member: Member,
    kind: str,
    *,
    on: datetime.date,
    actor=None,
    note: str = "",
    from_branch=None,
    to_branch=None,
    admitted_before: datetime.date | None = None,
) -> MemberEvent:
    # Every change of a member's status, branch, home organization or admission date ends here:
    # the organizational-life and dues summaries follow the member (from the branch left, to the
    # one joined; from the admission month before an edit).
    if kind not in _NOT_LIFE_INPUTS:
        rollups.members_changed([member.pk], [getattr(from_branch, "pk", None)])
        dues_rollup.members_changed(
            [member.pk], before={member.pk: (getattr(from_branch, "pk", None), admitted_before)}
        )
    return MemberEvent.objects.create(
        member=member,
        kind=kind,
        occurred_on=on,
        note=note[:200],
        from_branch=from_branch,
        to_branch=to_branch,
        created_by=recorded_user(actor),
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
def member_create(*, actor=None, today: datetime.date | None = None, admitting=None, **fields: Any) -> Member:
    """Create a member. ``id_number`` / ``phone`` are validated, encrypted and hashed; the ID number
    must not belong to another member or an open candidate (``admitting``: the candidate this
    member is made from, whose number it carries)."""
    plain, pii = _split(fields)
    member = Member(
        **{k: ("" if v is None and k in ("home_organization_name", "floating_status") else v) for k, v in plain.items()}
    )
    set_member_pii(member, **pii)
    _full_validate(member, admitting=admitting)
    member.branch_joined_on = _today(today)
    member.save()
    link_introducers([member])
    _event(member, MemberEventKind.CREATED, on=_today(today), actor=actor)
    events.member_event("member.created", member)
    return member


@transaction.atomic
def member_update(*, member: Member, actor=None, today: datetime.date | None = None, **fields: Any) -> Member:
    """Change a member's data. A branch change goes through ``member_transfer`` (history)."""
    plain, pii = _split(fields)
    member = _party_status_changes(member, plain, actor=actor, today=today)
    if not plain and not pii:
        return member
    admitted_before = Member.objects.filter(pk=member.pk).values_list("admitted_on", flat=True).first()
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
    if "introducer_names" in plain:
        link_introducers([member])
    changed = sorted(set(plain) | set(pii))
    _event(
        member,
        MemberEventKind.UPDATED,
        on=_today(today),
        actor=actor,
        note=", ".join(changed),
        admitted_before=admitted_before,
    )
    events.member_event("member.updated", member, changed_fields=changed)
    return member


def _party_status_changes(member: Member, plain: dict[str, Any], *, actor, today) -> Member:
    """A change of the probation extension or the party status in an update goes through its
    own service, so the history records 延长预备期 / 转正 and not a generic edit (and the rules of
    ``party_status_change_errors`` hold on every path). Pops the handled keys."""
    months = plain.pop("probation_extension_months", None)
    status = plain.pop("party_status", None)
    errors = party_status_change_errors(
        member, months=months, status=status, full_member_on=plain.get("full_member_on")
    )
    if errors:
        raise ValidationError(errors)
    if months is not None and months != member.probation_extension_months:
        member = member_extend_probation(member=member, months=months, actor=actor, today=today)
    if status is not None and status != member.party_status:
        on = plain.pop("full_member_on", None) or _today(today)
        member = member_confirm_full(member=member, on=on, actor=actor)
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
    on = _today(today)
    member.branch, member.group, member.branch_joined_on = branch, group, on
    _full_validate(member)
    member.save()
    # Positions in the old branch (and its groups) end with the transfer.
    ending = Position.objects.filter(
        in_subtree("organization", old_branch), member=member, ended_on__isnull=True, started_on__lte=on
    )
    _end_positions(ending, member=member, on=on, note="transfer")
    _event(member, MemberEventKind.TRANSFERRED, on=on, actor=actor, note=note, from_branch=old_branch, to_branch=branch)
    # Both sides see the move: the old branch's subscribers learn the member left.
    events.member_event("member.transferred", member, also=[old_branch.pk], from_branch_id=old_branch.pk)
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
def member_report(
    *, member: Member, reported_on: datetime.date, employer: str = "", post: str = "", actor=None
) -> Member:
    """在职党员回小区报到: date, employer and (optionally) the post taken up in the compound,
    which the event's note keeps."""
    _active(member)
    if member.occupation_status != OccupationStatus.IN_SERVICE:
        raise ValidationError({"reported_on": _("Only in-service members report to their compound.")})
    member.reported_on = reported_on
    if employer:
        member.employer = employer
    member.save(update_fields=["reported_on", "employer", "updated_at"])
    note = member.employer
    if post.strip():
        note = _("%(employer)s; post: %(post)s") % {"employer": member.employer, "post": post.strip()}
    _event(member, MemberEventKind.REPORTED, on=reported_on, actor=actor, note=note[:200])
    return member


@transaction.atomic
def report_confirm(*, event: MemberEvent, actor) -> MemberEvent:
    """The secretary confirms a member's 回小区报到 (once: confirming again changes nothing)."""
    event = MemberEvent.objects.select_for_update().get(pk=event.pk)
    if event.kind != MemberEventKind.REPORTED:
        raise ValidationError({"event": _("Only a report to the compound can be confirmed.")})
    if event.confirmed_at is None:
        event.confirmed_by = recorded_user(actor)
        event.confirmed_at = timezone.now()
        event.save(update_fields=["confirmed_by", "confirmed_at"])
    return event


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
    # 转正情况 follows from the probation record: after the one extension, or on time.
    member.conversion_status = (
        ConversionStatus.EXTENDED if member.probation_extension_months else ConversionStatus.ON_TIME
    )
    _full_validate(member)
    member.save()
    _event(member, MemberEventKind.FULL_MEMBER, on=on, actor=actor)
    return member


def log_sensitive_access(*, user, member_ids, action: str = SensitiveAccessAction.VIEW, channel: str = "") -> int:
    """Record who saw / exported which members in full (one bulk insert, PIPL access log)."""
    rows = [SensitiveAccessLog(user=user, member_id=pk, action=action, channel=channel) for pk in member_ids]
    SensitiveAccessLog.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
