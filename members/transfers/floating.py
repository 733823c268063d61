"""流动党员 records. ``out``: a member of our branch living elsewhere (where, since, contact, the
流动党员活动证 number, the organization at the destination when known); ``in``: a member of
another place living here, recorded by the compound branch (兼合式). A return closes the record.
The member's ``floating_status`` follows through ``member_mark_floating``, which also makes the
management mode 跟踪式. One open record per member (also a partial unique constraint).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members import services
from members.models import FloatingDirection, FloatingRecord, Member
from organizations.models import Organization, OrganizationKind

# A floating member not contacted for this many days is reminded (settings.FLOATING_CONTACT_DAYS).
DEFAULT_CONTACT_DAYS = 90


def contact_days() -> int:
    return int(getattr(settings, "FLOATING_CONTACT_DAYS", DEFAULT_CONTACT_DAYS))


@transaction.atomic
def floating_start(
    *,
    member: Member,
    direction: str,
    place: str,
    since: datetime.date | None = None,
    contact: str = "",
    certificate_number: str = "",
    destination_organization: Organization | None = None,
    destination_name: str = "",
    branch: Organization | None = None,
    note: str = "",
    actor=None,
    today: datetime.date | None = None,
) -> FloatingRecord:
    """Open a floating record. ``in`` records are made by the compound branch where the member
    lives (``branch``, default the member's branch)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    on = today or timezone.localdate()
    since = since or on
    errors: dict[str, list[str]] = {}
    if direction not in FloatingDirection.values:
        errors["direction"] = [_("Unknown floating status.")]
    if not place.strip():
        errors["place"] = [_("Say where the member floats to or from.")]
    if since > on:
        errors["since"] = [_("The date cannot be in the future.")]
    branch = branch or Organization.objects.get(pk=member.branch_id)
    if branch.kind != OrganizationKind.BRANCH:
        errors["branch"] = [_("Floating members are recorded by a compound branch.")]
    if FloatingRecord.objects.filter(member=member, returned_on__isnull=True).exists():
        errors["member"] = [_("The member already has an open floating record.")]
    if errors:
        raise ValidationError(errors)
    services.member_mark_floating(member=member, direction=direction, place=place, since=since, actor=actor, today=on)
    record = FloatingRecord(
        member=member,
        direction=direction,
        branch=branch,
        place=place.strip(),
        since=since,
        contact=contact.strip(),
        certificate_number=certificate_number.strip(),
        destination_organization=destination_organization,
        destination_name=destination_name.strip(),
        last_contacted_on=since,
        note=note,
    )
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:
        raise ValidationError({"member": _("The member already has an open floating record.")}) from exc
    return record


def _open(record: FloatingRecord) -> FloatingRecord:
    record = FloatingRecord.objects.select_for_update().get(pk=record.pk)
    if record.returned_on is not None:
        raise ValidationError({"returned_on": _("The floating record is already closed.")})
    return record


@transaction.atomic
def floating_contacted(*, record: FloatingRecord, on: datetime.date | None = None, actor=None) -> FloatingRecord:
    """The branch reached the floating member (resets the not-contacted reminder)."""
    record = _open(record)
    on = on or timezone.localdate()
    if on > timezone.localdate() or on < record.since:
        raise ValidationError({"last_contacted_on": _("The contact date must lie between the start and today.")})
    record.last_contacted_on = on
    record.save(update_fields=["last_contacted_on", "updated_at"])
    return record


@transaction.atomic
def floating_return(*, record: FloatingRecord, on: datetime.date | None = None, actor=None) -> FloatingRecord:
    """The member is back: the record closes and the member is no longer floating."""
    record = _open(record)
    on = on or timezone.localdate()
    if on < record.since:
        raise ValidationError({"returned_on": _("The return cannot precede the start.")})
    record.returned_on = on
    record.save(update_fields=["returned_on", "updated_at"])
    member = Member.objects.select_for_update().get(pk=record.member_id)
    services.member_mark_floating(member=member, direction="", actor=actor, today=on)
    return record
