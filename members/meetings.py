"""Writes of organizational life: record and edit meetings (services).

Every rule is checked before anything is written, so a refused meeting leaves nothing behind:
a plausible date, not in the future; attendance only for members who are due to attend (those
living in the branch or registered in it — 统筹计入 —, the group for a 党小组会, the committee for
a 支委会); a 党课 names its lecturer; a
支委会 needs a committee; votes add up; attachments are images or PDF/Office documents
(checked by their bytes, ``members.attachments``) under the size limit; a double tap records
one meeting.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.plausibility import plausible_date
from members import events, rollups
from members.attachments import (  # noqa: F401 - re-exported for the callers of the meeting services
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    CheckedUpload,
    check_attachments,
    sniff_attachment,
)
from members.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingAttachment,
    MeetingGuest,
    MeetingKind,
    MeetingResolution,
    MeetingRevision,
    Member,
    PartyStatus,
    Position,
)
from members.models.position import COMMITTEE_POSITIONS
from organizations.models import Organization, OrganizationKind

# Kinds a building group holds; every other kind is held by the compound branch.
GROUP_KINDS = {MeetingKind.GROUP_MEETING}


# --- who is due to attend -------------------------------------------------------------------


def committee_members(branch: Organization, on: datetime.date):
    """Members holding a committee position (支委) in ``branch`` on ``on``."""
    return Member.objects.active().filter(
        pk__in=Position.objects.filter(organization=branch, kind__in=COMMITTEE_POSITIONS, started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .values("member_id")
    )


def eligible_members(*, organization: Organization, kind: str, on: datetime.date):
    """The members due to attend a meeting of ``kind`` held by ``organization`` on ``on``: those
    who live there (``branch`` / ``group``) and those whose organizational relationship sits
    there (``home_organization``) — 一方隶属, 双方管理: a member registered in X and living in the
    兼合式 branch Y takes part in both, and both credit her (统筹计入)."""
    if kind == MeetingKind.BRANCH_COMMITTEE:
        return committee_members(organization, on)
    lives = Q(group=organization) if organization.kind == OrganizationKind.GROUP else Q(branch=organization)
    return Member.objects.active().filter(lives | Q(home_organization=organization))


# --- validation ------------------------------------------------------------------------------


@dataclass
class AttendanceLine:
    member: Member
    status: str
    reason: str
    has_vote: bool


def _coerce_member_id(value) -> int | None:
    if isinstance(value, Member):
        return value.pk
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _check_holder(organization, kind) -> None:
    """Who may hold a meeting of ``kind``: refused at once (nothing else can be judged)."""
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Unknown meeting kind.")})
    if organization is None or organization.kind not in (OrganizationKind.BRANCH, OrganizationKind.GROUP):
        raise ValidationError({"organization": _("A meeting is held by a compound branch or a building group.")})
    if kind in GROUP_KINDS and organization.kind != OrganizationKind.GROUP:
        raise ValidationError({"organization": _("A party group meeting is held by a building group.")})
    if kind not in GROUP_KINDS and organization.kind != OrganizationKind.BRANCH:
        raise ValidationError({"organization": _("Only party group meetings are held by a building group.")})
    if organization.dissolved_on is not None:
        raise ValidationError({"organization": _("This organization has been dissolved.")})


def _aware_held_at(held_at):
    if held_at is None:
        raise ValidationError({"held_at": _("Enter the date and time of the meeting.")})
    try:
        plausible_date(held_at)  # year 1 overflows the time zone arithmetic
    except ValidationError as exc:
        raise ValidationError({"held_at": exc.messages}) from None
    return timezone.make_aware(held_at) if timezone.is_naive(held_at) else held_at


def _not_eligible_message(organization, kind, member_id) -> str:
    if kind == MeetingKind.BRANCH_COMMITTEE:
        return _("Only committee members attend a branch committee meeting (member %(id)s is not one).") % {
            "id": member_id
        }
    if organization.kind == OrganizationKind.GROUP:
        return _("Member %(id)s is not a member of this party group.") % {"id": member_id}
    return _("Member %(id)s is not a member of this branch.") % {"id": member_id}


def _attendance_lines(organization, kind, attendance, eligible, err) -> dict[int, AttendanceLine]:
    """One line per member due to attend: the listed ones as marked, the others absent."""
    lines: dict[int, AttendanceLine] = {}
    for row in attendance or []:
        member_id = _coerce_member_id(row.get("member"))
        status = row.get("status")
        reason = (row.get("reason") or "").strip()
        if member_id is None:
            err("attendance", _("Each attendance line needs a member."))
        elif not status:
            err("attendance", _("Mark whether each listed member attended (the “status” of the attendance line)."))
        elif member_id in lines:
            err("attendance", _("A member is listed twice in the attendance."))
        elif member_id not in eligible:
            err("attendance", _not_eligible_message(organization, kind, member_id))
        elif status not in AttendanceStatus.values:
            err("attendance", _("Unknown attendance status."))
        elif status == AttendanceStatus.EXCUSED and not reason:
            err("attendance", _("Give the reason why %(name)s is excused.") % {"name": eligible[member_id].name})
        else:
            member = eligible[member_id]
            lines[member_id] = AttendanceLine(member, status, reason, member.party_status == PartyStatus.FULL)
    for member_id, member in eligible.items():
        lines.setdefault(
            member_id, AttendanceLine(member, AttendanceStatus.ABSENT, "", member.party_status == PartyStatus.FULL)
        )
    return lines


def _check_resolutions(resolutions, voting_present: int, err) -> None:
    for res in resolutions or []:
        text = (res.get("text") or "").strip()
        votes = [res.get("votes_for") or 0, res.get("votes_against") or 0, res.get("votes_abstain") or 0]
        if not text:
            err("resolutions", _("Each resolution needs its text."))
        elif any(not isinstance(v, int) or v < 0 for v in votes):
            err("resolutions", _("Votes are whole numbers, zero or more."))
        elif sum(votes) > voting_present:
            err(
                "resolutions",
                _("The votes on “%(text)s” (%(votes)d) exceed the %(present)d members with a vote present.")
                % {"text": text, "votes": sum(votes), "present": voting_present},
            )


def _validate(*, organization, kind, held_at, attendance, lecturer, topic, resolutions, host, recorder, now):
    """Check everything and return the attendance lines to write (every member due to attend,
    unlisted ones as absent). Raises ValidationError with field keys."""
    errors: dict[str, list[str]] = {}

    def err(field, message):
        errors.setdefault(field, []).append(message)

    _check_holder(organization, kind)
    held_at = _aware_held_at(held_at)
    if held_at > (now or timezone.now()):
        err("held_at", _("A meeting recorded as held cannot be in the future."))
    if not (topic or "").strip():
        err("topic", _("Enter the topic of the meeting."))
    if kind == MeetingKind.PARTY_LECTURE and not (lecturer or "").strip():
        err("lecturer", _("A party lecture needs a lecturer."))

    on = timezone.localtime(held_at).date()
    eligible = {m.pk: m for m in eligible_members(organization=organization, kind=kind, on=on)}
    if kind == MeetingKind.BRANCH_COMMITTEE and not eligible:
        raise ValidationError(
            {
                "kind": _(
                    "This branch has no committee (no member holds a committee position), so it cannot hold a branch committee meeting."
                )
            }
        )
    branch_id = organization.parent_id if organization.kind == OrganizationKind.GROUP else organization.pk
    for field, person in (("host", host), ("recorder", recorder)):
        if person is not None and person.branch_id != branch_id:
            err(field, _("The host and the recorder must be members of this branch."))

    lines = _attendance_lines(organization, kind, attendance, eligible, err)
    voting_due = sum(1 for line in lines.values() if line.has_vote)
    voting_present = sum(1 for line in lines.values() if line.has_vote and line.status == AttendanceStatus.PRESENT)
    _check_resolutions(resolutions, voting_present, err)
    if errors:
        raise ValidationError(errors)
    return held_at, list(lines.values()), voting_due, voting_present


def _write_children(meeting, lines, resolutions, guests, uploads):
    Attendance.objects.filter(meeting=meeting).delete()
    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meeting,
                member=line.member,
                status=line.status,
                reason=line.reason if line.status != AttendanceStatus.PRESENT else "",
                has_vote=line.has_vote,
            )
            for line in lines
        ]
    )
    if resolutions is not None:
        MeetingResolution.objects.filter(meeting=meeting).delete()
        MeetingResolution.objects.bulk_create(
            [
                MeetingResolution(
                    meeting=meeting,
                    text=r["text"].strip(),
                    votes_for=r.get("votes_for") or 0,
                    votes_against=r.get("votes_against") or 0,
                    votes_abstain=r.get("votes_abstain") or 0,
                )
                for r in resolutions
            ]
        )
    if guests is not None:
        MeetingGuest.objects.filter(meeting=meeting).delete()
        MeetingGuest.objects.bulk_create(
            [
                MeetingGuest(
                    meeting=meeting, name=g["name"].strip()[:50], affiliation=(g.get("affiliation") or "").strip()[:100]
                )
                for g in guests
                if (g.get("name") or "").strip()
            ]
        )
    for upload in uploads:
        attachment = MeetingAttachment(
            meeting=meeting, original_name=upload.name, content_type=upload.content_type, size=len(upload.data)
        )
        attachment.file.save(upload.name, ContentFile(upload.data), save=False)
        attachment.save()


def meeting_snapshot(meeting: Meeting) -> dict:
    """A JSON view of the meeting with its children, for the edit history."""
    return {
        "kind": meeting.kind,
        "organization": meeting.organization_id,
        "held_at": meeting.held_at.isoformat(),
        **{name: meeting.serializable_value(name) for name in Meeting.DETAIL_FIELDS},
        "attendance": [
            [a.member_id, a.status, a.reason] for a in Attendance.objects.filter(meeting=meeting).order_by("member_id")
        ],
        "resolutions": [
            [r.text, r.votes_for, r.votes_against, r.votes_abstain]
            for r in MeetingResolution.objects.filter(meeting=meeting)
        ],
        "guests": [[g.name, g.affiliation] for g in MeetingGuest.objects.filter(meeting=meeting)],
        "attachments": list(MeetingAttachment.objects.filter(meeting=meeting).values_list("original_name", flat=True)),
    }


def _revision(meeting, user):
    MeetingRevision.objects.create(
        meeting=meeting, version=meeting.version, snapshot=meeting_snapshot(meeting), changed_by=user
    )


def natural_dedup_key(*, organization: Organization, kind: str, held_at: datetime.datetime, topic: str) -> str:
    """When the client sends no key: the same branch, kind, minute and topic is the same meeting."""
    raw = f"{organization.pk}|{kind}|{held_at.astimezone(datetime.UTC):%Y-%m-%dT%H:%M}|{topic.strip()}"
    return "n:" + hashlib.sha256(raw.encode()).hexdigest()[:60]


@transaction.atomic
def meeting_record(
    *,
    organization: Organization,
    kind: str,
    held_at: datetime.datetime,
    attendance: list[dict],
    topic: str,
    place: str = "",
    host: Member | None = None,
    recorder: Member | None = None,
    lecturer: str = "",
    agenda: str = "",
    minutes: str = "",
    resolutions: list[dict] | None = None,
    guests: list[dict] | None = None,
    attachments: Iterable | None = None,
    dedup_key: str = "",
    created_by=None,
    now: datetime.datetime | None = None,
) -> Meeting:
    """Record a held meeting with its attendance. A second submission with the same
    ``dedup_key`` (or, without one, the same branch, kind, minute and topic) returns the
    meeting already recorded, with ``meeting.deduplicated = True``, and writes nothing."""
    held_at = _aware_held_at(held_at or None)  # before the key: year 1 overflows its UTC conversion
    key = (dedup_key or "").strip()[:64] or (
        natural_dedup_key(organization=organization, kind=kind, held_at=held_at, topic=topic or "")
        if organization is not None
        else ""
    )
    existing = Meeting.objects.filter(dedup_key=key).first() if key else None
    if existing is not None:
        existing.deduplicated = True
        return existing
    held_at, lines, voting_due, voting_present = _validate(
        organization=organization,
        kind=kind,
        held_at=held_at,
        attendance=attendance,
        lecturer=lecturer,
        topic=topic,
        resolutions=resolutions,
        host=host,
        recorder=recorder,
        now=now,
    )
    uploads = check_attachments(attachments or [])
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                organization=organization,
                kind=kind,
                held_at=held_at,
                place=place.strip(),
                host=host,
                recorder=recorder,
                lecturer=lecturer.strip(),
                topic=topic.strip(),
                agenda=agenda.strip(),
                minutes=minutes.strip(),
                voting_due=voting_due,
                voting_present=voting_present,
                dedup_key=key or None,
                created_by=created_by,
            )
    except IntegrityError:
        # The other tap won the race: same key, already saved.
        existing = Meeting.objects.get(dedup_key=key)
        existing.deduplicated = True
        return existing
    _write_children(meeting, lines, resolutions or [], guests or [], uploads)
    rollups.meetings_changed(set(), [meeting.pk])
    _revision(meeting, created_by)
    events.meeting_recorded(meeting)
    meeting.deduplicated = False
    return meeting


class StaleVersion(ValidationError):
    """The meeting changed since the client read it."""


_EDITABLE = ("held_at", "place", "host", "recorder", "lecturer", "topic", "agenda", "minutes")


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    version: int,
    changed_by=None,
    now: datetime.datetime | None = None,
    attendance: list[dict] | None = None,
    resolutions: list[dict] | None = None,
    guests: list[dict] | None = None,
    attachments: Iterable | None = None,
    **fields,
) -> Meeting:
    """Edit a meeting read at ``version``. A stale version raises ``StaleVersion`` (code
    ``stale``) and changes nothing; every saved edit bumps the version and keeps a snapshot."""
    unknown = set(fields) - set(_EDITABLE)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in sorted(unknown)})
    current = Meeting.objects.select_for_update().select_related("organization").get(pk=meeting.pk)
    if version is None or int(version) != current.version:
        raise StaleVersion(
            {
                "version": _(
                    "This meeting was changed by someone else since you opened it (now version %(v)d). Reload it and make your changes again."
                )
                % {"v": current.version}
            },
            code="stale",
        )
    for name, value in fields.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    if attendance is None:
        attendance = [
            {"member": a.member_id, "status": a.status, "reason": a.reason}
            for a in Attendance.objects.filter(meeting=current)
        ]
    res_for_check = resolutions
    if res_for_check is None:
        res_for_check = [
            {
                "text": r.text,
                "votes_for": r.votes_for,
                "votes_against": r.votes_against,
                "votes_abstain": r.votes_abstain,
            }
            for r in MeetingResolution.objects.filter(meeting=current)
        ]
    held_at, lines, voting_due, voting_present = _validate(
        organization=current.organization,
        kind=current.kind,
        held_at=current.held_at,
        attendance=attendance,
        lecturer=current.lecturer,
        topic=current.topic,
        resolutions=res_for_check,
        host=current.host,
        recorder=current.recorder,
        now=now,
    )
    uploads = check_attachments(attachments or [])
    if MeetingAttachment.objects.filter(meeting=current).count() + len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("At most %(n)d attachments per meeting.") % {"n": MAX_ATTACHMENTS}})
    before = rollups.meeting_snapshot([current.pk])
    current.held_at = held_at
    current.voting_due, current.voting_present = voting_due, voting_present
    current.version += 1
    current.save()
    _write_children(current, lines, resolutions, guests, uploads)
    rollups.meetings_changed(before, [current.pk])
    _revision(current, changed_by)
    return current


@transaction.atomic
def meeting_set_archived(*, meeting: Meeting, archived: bool) -> Meeting:
    """Archive (or restore) a meeting: an archived meeting no longer counts anywhere (compliance,
    statistics, points); audited as an archive / restore entry, the rollup kept in step."""
    archived = bool(archived)
    was = Meeting.objects.select_for_update().values_list("archived", flat=True).get(pk=meeting.pk)
    meeting.archived = archived
    if was == archived:
        return meeting
    Meeting.objects.filter(pk=meeting.pk).update(archived=archived)
    rollups.meetings_changed(set(), [meeting.pk])
    audit.record(meeting, "archive" if archived else "restore", {"archived": [was, archived]})
    return meeting
