"""QR check-in: the secretary's meeting page shows a QR code for a signed, rotating token (a new
one every ``WINDOW_SECONDS``, each accepted for two windows); a signed-in member who opens it is
recorded as a pending check-in; the secretary confirms the list, which marks those members
present through ``meeting_update`` (the attendance record stays the only source of truth).

A token is ``django.core.signing`` over the meeting id and the time window: replayed after it
expired, or for another meeting, it is refused."""

from __future__ import annotations

import datetime
import io

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.meetings import eligible_members, meeting_update
from members.models import Attendance, AttendanceStatus, CheckIn, CheckInStatus, Meeting, Member

SALT = "members.portal.checkin"
WINDOW_SECONDS = 60
VALID_WINDOWS = 2  # the current window and the one before: at most two minutes


def _window(now: datetime.datetime) -> int:
    return int(now.timestamp()) // WINDOW_SECONDS


def checkin_token(meeting: Meeting, *, now: datetime.datetime | None = None) -> str:
    """The token for the current window (the same within one window, so the QR is stable)."""
    return signing.dumps({"m": meeting.pk, "w": _window(now or timezone.now())}, salt=SALT, compress=False)


def token_meeting_id(token: str, *, meeting_id: int, now: datetime.datetime | None = None) -> int:
    """Check ``token`` for ``meeting_id`` now; a Chinese ``ValidationError`` when refused."""
    try:
        payload = signing.loads(token or "", salt=SALT)
    except signing.BadSignature:
        raise ValidationError(
            {"token": _("This check-in code is not valid. Scan the code on the secretary's phone.")}
        ) from None
    if not isinstance(payload, dict) or payload.get("m") != meeting_id:
        raise ValidationError({"token": _("This check-in code belongs to another meeting.")})
    age = _window(now or timezone.now()) - int(payload.get("w", 0))
    if age < 0 or age >= VALID_WINDOWS:
        raise ValidationError(
            {"token": _("This check-in code has expired. Scan the code on the secretary's phone again.")}
        )
    return meeting_id


def qr_svg(data: str) -> str:
    """The QR code of ``data`` as inline SVG (rendered server-side, no script)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue().decode("utf-8")


@transaction.atomic
def checkin_scan(*, member: Member, meeting_id: int, token: str, now: datetime.datetime | None = None) -> CheckIn:
    """Record ``member``'s pending check-in at the meeting of a valid token (once per meeting)."""
    now = now or timezone.now()
    token_meeting_id(token, meeting_id=meeting_id, now=now)
    meeting = Meeting.objects.select_related("organization").filter(pk=meeting_id, archived=False).first()
    if meeting is None:
        raise ValidationError({"token": _("This meeting no longer exists.")})
    on = timezone.localtime(meeting.held_at).date()
    if not eligible_members(organization=meeting.organization, kind=meeting.kind, on=on).filter(pk=member.pk).exists():
        raise ValidationError({"token": _("You are not on the attendance list of this meeting.")})
    existing = CheckIn.objects.filter(meeting=meeting, member=member).first()
    if existing is not None:
        return existing
    return CheckIn.objects.create(meeting=meeting, member=member, scanned_at=now)


def pending(meeting: Meeting):
    return CheckIn.objects.filter(meeting=meeting, status=CheckInStatus.PENDING).select_related("member")


@transaction.atomic
def checkin_decide(*, meeting: Meeting, confirm_ids, reject_ids=(), actor, now: datetime.datetime | None = None) -> int:
    """The secretary's decision on pending check-ins: the confirmed members are marked present
    (status given explicitly) in one ``meeting_update``; the others keep their attendance.
    Returns how many were confirmed."""
    now = now or timezone.now()
    rows = {c.pk: c for c in pending(meeting).select_for_update(of=("self",))}
    confirm = [rows[i] for i in map(int, confirm_ids) if i in rows]
    reject = [rows[i] for i in map(int, reject_ids) if i in rows and rows[i] not in confirm]
    if confirm:
        current = Meeting.objects.get(pk=meeting.pk)
        attendance = {
            a.member_id: {"member": a.member_id, "status": a.status, "reason": a.reason}
            for a in Attendance.objects.filter(meeting=current)
        }
        for c in confirm:
            attendance[c.member_id] = {"member": c.member_id, "status": AttendanceStatus.PRESENT, "reason": ""}
        meeting_update(meeting=current, version=current.version, changed_by=actor, attendance=list(attendance.values()))
    for c, status in [(c, CheckInStatus.CONFIRMED) for c in confirm] + [(c, CheckInStatus.REJECTED) for c in reject]:
        c.status, c.decided_by, c.decided_at = status, actor, now
        c.save(update_fields=["status", "decided_by", "decided_at"])
    return len(confirm)
