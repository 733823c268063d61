"""Transfer workflow (组织关系转接): draft → issued → received / returned / expired.

Rules (《中国共产党党员组织关系转接工作规定》 as applied by the district):
- within the tree the member moves only when the receiving side accepts (``transfer_accept``),
  in one transaction holding a row lock on the member, so the member is never in two branches
  or none; a transfer to the same branch, to an organization of another tree, or to anything
  but a compound branch is refused;
- one open (draft / issued) transfer per member: checked here under the member's lock, and
  guaranteed by the partial unique constraint ``transfer_one_open_per_member``;
- out of the system: the letter has a number and a validity period; the 回执 closes it;
- in from outside: receiving the letter creates the member through ``member_create``, or
  re-activates a member of ours transferred out earlier (same ID number);
- a letter still open after ``valid_until`` expires (``transfer_expire_overdue``, daily).
Issuing and accepting are done by staff whose scope covers the sending / receiving side (the
API and admin check scope before calling; ``transfer_accept`` checks the receiving side).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.auth.accounts import recorded_user
from members import crypto, services
from members.models import (
    OPEN_TRANSFER_STATES,
    Member,
    MemberEventKind,
    MemberStatus,
    Transfer,
    TransferKind,
    TransferState,
)
from organizations.models import Organization, OrganizationKind

# Validity of a 介绍信 when the caller gives none (the district's practice: three months).
DEFAULT_VALIDITY_DAYS = 90


def _today(today):
    return today or timezone.localdate()


def _check_target(member: Member, to: Organization | None) -> None:
    if to is None:
        raise ValidationError({"to_organization": _("Choose the receiving branch.")})
    home = Organization.objects.get(pk=member.branch_id)
    if to.kind != OrganizationKind.BRANCH:
        raise ValidationError({"to_organization": _("A member can only be transferred to a compound branch.")})
    if to.pk == home.pk:
        raise ValidationError({"to_organization": _("The member already belongs to this branch.")})
    if to.get_root().pk != home.get_root().pk:
        raise ValidationError({"to_organization": _("The receiving branch is outside the district's tree.")})


def _check_no_open(member: Member, exclude: int | None = None) -> None:
    open_ = Transfer.objects.filter(member=member, state__in=OPEN_TRANSFER_STATES)
    if exclude:
        open_ = open_.exclude(pk=exclude)
    if open_.exists():
        raise ValidationError({"member": _("The member already has an open transfer.")})


def _lock(member: Member) -> Member:
    """Re-read the member under a row lock: every transfer write of one member is serialised here."""
    return Member.objects.select_for_update().get(pk=member.pk)


def _save_new(transfer: Transfer) -> Transfer:
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError as exc:  # a concurrent writer got there first (constraint is the guarantee)
        raise ValidationError({"member": _("The member already has an open transfer.")}) from exc
    return transfer


@transaction.atomic
def transfer_create(
    *,
    member: Member,
    kind: str = TransferKind.WITHIN,
    to_organization: Organization | None = None,
    to_name: str = "",
    letter_number: str = "",
    valid_until: datetime.date | None = None,
    reason: str = "",
    note: str = "",
    actor=None,
) -> Transfer:
    """Draft a transfer out of the member's branch (``within`` the tree, or ``out`` by name)."""
    member = _lock(member)
    services._active(member)
    if kind == TransferKind.WITHIN:
        _check_target(member, to_organization)
        to_name = ""
    elif kind == TransferKind.OUT:
        if not to_name.strip():
            raise ValidationError({"to_name": _("Name the receiving organization.")})
        to_organization = None
    else:
        raise ValidationError({"kind": _("An inbound letter is recorded with transfer_receive_letter.")})
    _check_no_open(member)
    transfer = Transfer(
        kind=kind,
        member=member,
        member_name=member.name,
        from_branch_id=member.branch_id,
        to_organization=to_organization,
        to_name=to_name.strip(),
        letter_number=letter_number.strip(),
        valid_until=valid_until,
        reason=reason,
        note=note,
        created_by=recorded_user(actor),
    )
    return _save_new(transfer)


def _require_state(transfer: Transfer, *states: str) -> None:
    if transfer.state not in states:
        raise ValidationError(
            {"state": _("Not possible while the transfer is %(state)s.") % {"state": transfer.get_state_display()}}
        )


def _lock_transfer(transfer: Transfer) -> Transfer:
    return Transfer.objects.select_for_update().get(pk=transfer.pk)


@transaction.atomic
def transfer_issue(
    *,
    transfer: Transfer,
    letter_number: str = "",
    valid_until: datetime.date | None = None,
    actor=None,
    today: datetime.date | None = None,
) -> Transfer:
    """Issue the 介绍信: a number, the issue date and a validity period (after the issue date)."""
    transfer = _lock_transfer(transfer)
    _require_state(transfer, TransferState.DRAFT)
    on = _today(today)
    number = (letter_number or transfer.letter_number).strip()
    if not number:
        raise ValidationError({"letter_number": _("Give the letter number.")})
    until = valid_until or transfer.valid_until or on + datetime.timedelta(days=DEFAULT_VALIDITY_DAYS)
    if until < on:
        raise ValidationError({"valid_until": _("The validity period ends before the letter is issued.")})
    transfer.letter_number, transfer.valid_until, transfer.issued_on = number, until, on
    transfer.state = TransferState.ISSUED
    transfer.save()
    return transfer


def _check_receiver(transfer: Transfer, actor) -> None:
    if actor is None:
        return
    if not Organization.objects.for_user(actor).filter(pk=transfer.to_organization_id).exists():
        raise ValidationError({"to_organization": _("Only the receiving side can accept the transfer.")})


@transaction.atomic
def transfer_accept(*, transfer: Transfer, actor=None, today: datetime.date | None = None, note: str = "") -> Transfer:
    """The receiving branch accepts a letter within the tree: the member moves now, in this one
    locked transaction (member row, then transfer row, always in that order)."""
    if transfer.kind != TransferKind.WITHIN:
        raise ValidationError({"kind": _("Only a transfer within the district is accepted by a branch.")})
    member = _lock(transfer.member)
    transfer = _lock_transfer(transfer)
    _require_state(transfer, TransferState.ISSUED)
    _check_receiver(transfer, actor)
    on = _today(today)
    if transfer.valid_until and transfer.valid_until < on:
        raise ValidationError({"valid_until": _("The letter has expired.")})
    if member.branch_id != transfer.from_branch_id:
        raise ValidationError({"member": _("The member is no longer in the sending branch.")})
    services.member_transfer(
        member=member, branch=transfer.to_organization, actor=actor, today=on, note=note or transfer.letter_number
    )
    transfer.state, transfer.closed_on = TransferState.RECEIVED, on
    transfer.save()
    return transfer


@transaction.atomic
def transfer_record_receipt(
    *, transfer: Transfer, receipt_number: str = "", actor=None, today: datetime.date | None = None
) -> Transfer:
    """回执 of a letter out of the system came back: the member is transferred out (record kept)."""
    if transfer.kind != TransferKind.OUT:
        raise ValidationError({"kind": _("A receipt is recorded only for a letter out of the system.")})
    member = _lock(transfer.member)
    transfer = _lock_transfer(transfer)
    _require_state(transfer, TransferState.ISSUED)
    on = _today(today)
    services.member_transfer_out(member=member, on=on, destination=transfer.to_name, actor=actor)
    transfer.state, transfer.closed_on, transfer.receipt_number = TransferState.RECEIVED, on, receipt_number.strip()
    transfer.save()
    return transfer


@transaction.atomic
def transfer_return(*, transfer: Transfer, reason: str, actor=None, today: datetime.date | None = None) -> Transfer:
    """退回: the receiving side refuses the letter (or the sender withdraws a draft); the member stays."""
    transfer = _lock_transfer(transfer)
    _require_state(transfer, *OPEN_TRANSFER_STATES)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for returning the letter.")})
    transfer.state, transfer.closed_on = TransferState.RETURNED, _today(today)
    transfer.note = reason.strip()[:200]
    transfer.save()
    return transfer


def transfer_expire_overdue(*, today: datetime.date | None = None) -> int:
    """Issued letters past their validity become ``expired`` (one UPDATE, audited as one bulk
    entry in the same transaction; run daily by ``members.expire_transfers``)."""
    on = _today(today)
    with transaction.atomic():
        ids = list(
            Transfer.objects.select_for_update()
            .filter(state=TransferState.ISSUED, valid_until__lt=on)
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        count = Transfer.objects.filter(pk__in=ids).update(
            state=TransferState.EXPIRED, closed_on=on, updated_at=timezone.now()
        )
        audit.audit_bulk(model=Transfer, action="update", count=count, ids=ids, values={"state": TransferState.EXPIRED})
    return count


@transaction.atomic
def transfer_receive_letter(
    *,
    to_organization: Organization,
    from_name: str,
    letter_number: str,
    valid_until: datetime.date | None = None,
    member_fields: dict[str, Any],
    actor=None,
    today: datetime.date | None = None,
) -> Transfer:
    """A letter from outside the system arrives at ``to_organization``: the member is created
    (``member_create``, every member rule applies) or, when our earlier transferred-out member
    comes back (same ID number), re-activated there. Recorded as a received ``in`` transfer."""
    on = _today(today)
    errors = {}
    if not from_name.strip():
        errors["from_name"] = [_("Name the sending organization.")]
    if not letter_number.strip():
        errors["letter_number"] = [_("Give the letter number.")]
    if to_organization is None or to_organization.kind != OrganizationKind.BRANCH:
        errors["to_organization"] = [_("A member can only be transferred to a compound branch.")]
    if valid_until and valid_until < on:
        errors["valid_until"] = [_("The letter has expired.")]
    if errors:
        raise ValidationError(errors)
    fields = dict(member_fields, branch=to_organization)
    fields.setdefault("home_organization", to_organization)
    member = _returning_member(fields.get("id_number"))
    if member is not None:
        member = _reactivate(member, fields, actor=actor, on=on, from_name=from_name)
    else:
        member = services.member_create(actor=actor, today=on, **fields)
    transfer = Transfer(
        kind=TransferKind.IN,
        state=TransferState.RECEIVED,
        member=member,
        member_name=member.name,
        from_name=from_name.strip(),
        to_organization=to_organization,
        letter_number=letter_number.strip(),
        valid_until=valid_until,
        issued_on=on,
        closed_on=on,
        created_by=recorded_user(actor),
    )
    transfer.save()
    return transfer


def _returning_member(id_number: str | None) -> Member | None:
    if not id_number:
        return None
    digest = crypto.keyed_hash(crypto.normalize_id_number(id_number))
    member = Member.objects.select_for_update().filter(id_number_hash=digest).first()
    if member is not None and member.status != MemberStatus.TRANSFERRED_OUT:
        raise ValidationError({"id_number": _("This ID number belongs to a member who is still on the rolls.")})
    return member


def _reactivate(member: Member, fields: dict[str, Any], *, actor, on, from_name: str) -> Member:
    from members.transfers.status import record_status_change

    record_status_change(
        member, MemberStatus.ACTIVE, on=on, reason=_("Transferred in from %(name)s") % {"name": from_name}, actor=actor
    )
    # The party record (standing, probation) stays ours; the letter updates where they live.
    skip = {"id_number", "party_status", "probation_extension_months", "admitted_on", "full_member_on"}
    fields = {k: v for k, v in fields.items() if k not in skip}
    member = services.member_update(member=member, actor=actor, today=on, **fields)
    services._event(member, MemberEventKind.TRANSFERRED, on=on, actor=actor, note=from_name, to_branch=member.branch)
    return member
