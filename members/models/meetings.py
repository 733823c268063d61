"""Organizational life (组织生活): meetings, attendance, guests, attachments, edit history,
meeting requirements (三会一课 rules as data) and the per-branch calendar token."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.model_bases import Timestamped
from organizations.files import RandomName
from organizations.models.tree import Formation, OrganizationKind
from organizations.scope import ScopedManager

__all__ = [
    "AttendanceStatus",
    "Attendance",
    "CalendarToken",
    "Meeting",
    "MeetingAttachment",
    "MeetingGuest",
    "MeetingKind",
    "MeetingRequirement",
    "MeetingResolution",
    "MeetingRevision",
    "RequirementPeriod",
]


class MeetingKind(models.TextChoices):
    PARTY_CONGRESS = "party_congress", _("Branch party congress")
    BRANCH_COMMITTEE = "branch_committee", _("Branch committee meeting")
    GROUP_MEETING = "group_meeting", _("Party group meeting")
    PARTY_LECTURE = "party_lecture", _("Party lecture")
    THEME_DAY = "theme_day", _("Theme party day")
    LIFE_MEETING = "life_meeting", _("Organizational life meeting")
    APPRAISAL = "appraisal", _("Democratic appraisal")
    JOINT_MEETING = "joint_meeting", _("Tripartite joint meeting")
    LIAISON_MEETING = "liaison_meeting", _("Party-building liaison meeting")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class RequirementPeriod(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class Meeting(Timestamped):
    """A meeting of a compound branch or of one of its building groups (党小组会).

    ``voting_due`` / ``voting_present`` are kept by the services from the attendance rows: the
    quorum of a 党员大会 is more than half of the members with a vote present, and a resolution
    passes with more than half of those due to attend (支部工作条例; probationary members have
    no vote). ``version`` guards edits (optimistic concurrency); ``dedup_key`` makes a double
    tap on "save" record one meeting, not two.
    """

    SCOPE_PATHS = ("organization",)
    # The record's own details besides where, what kind and when: the admin, the API, the
    # secretary's pages and the edit history all name them from here.
    DETAIL_FIELDS = ("place", "host", "recorder", "lecturer", "topic", "agenda", "minutes")

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    kind = models.CharField(_("meeting kind"), max_length=20, choices=MeetingKind.choices)
    held_at = models.DateTimeField(_("held at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    host = models.ForeignKey(
        "members.Member",
        verbose_name=_("host"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_meetings",
    )
    recorder = models.ForeignKey(
        "members.Member",
        verbose_name=_("recorder"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recorded_meetings",
    )
    lecturer = models.CharField(_("lecturer"), max_length=100, blank=True)
    topic = models.CharField(_("topic"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True, help_text=_("One item per line."))
    minutes = models.TextField(_("minutes"), blank=True)
    voting_due = models.PositiveIntegerField(_("members with a vote due to attend"), default=0)
    voting_present = models.PositiveIntegerField(_("members with a vote present"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)
    dedup_key = models.CharField(_("submission key"), max_length=64, null=True, blank=True, unique=True, editable=False)
    archived = models.BooleanField(_("archived"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ("-held_at", "-id")
        indexes = [
            models.Index(fields=["organization", "held_at"], name="meeting_org_held"),
            models.Index(fields=["held_at", "kind"], name="meeting_held_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.topic}"

    @property
    def quorum_met(self) -> bool:
        """More than half of the members with a vote are present."""
        return self.voting_due > 0 and self.voting_present * 2 > self.voting_due


class MeetingResolution(models.Model):
    """A resolution voted at a meeting; it passes with more than half of the members with a
    vote due to attend (not merely of those present)."""

    SCOPE_PATHS = ("meeting__organization",)

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="resolutions"
    )
    text = models.CharField(_("resolution"), max_length=300)
    votes_for = models.PositiveIntegerField(_("votes for"), default=0)
    votes_against = models.PositiveIntegerField(_("votes against"), default=0)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ("meeting_id", "id")

    def __str__(self) -> str:
        return self.text

    @property
    def passed(self) -> bool:
        return self.votes_for * 2 > self.meeting.voting_due


class Attendance(models.Model):
    """One member's attendance at one meeting. ``has_vote`` is the member's right to vote at
    the time of the meeting (full members only)."""

    SCOPE_PATHS = ("meeting__organization",)

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(
        _("attendance"), max_length=8, choices=AttendanceStatus.choices, default=AttendanceStatus.PRESENT
    )
    reason = models.CharField(_("reason for absence"), max_length=200, blank=True)
    has_vote = models.BooleanField(_("has a vote"), default=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ("meeting_id", "member_id")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_meeting")]
        indexes = [models.Index(fields=["member", "status"], name="attendance_member_status")]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.get_status_display()}"


class MeetingGuest(models.Model):
    """A non-member at a meeting (业委会, 物业, residents, police ...)."""

    SCOPE_PATHS = ("meeting__organization",)

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    affiliation = models.CharField(_("affiliation"), max_length=100, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("guest")
        verbose_name_plural = _("guests")
        ordering = ("meeting_id", "id")

    def __str__(self) -> str:
        return f"{self.name}（{self.affiliation}）" if self.affiliation else self.name


class MeetingAttachment(models.Model):
    """A photo or document of a meeting; the type is checked by content, not by name."""

    SCOPE_PATHS = ("meeting__organization",)

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=RandomName("meetings/"))  # served by organizations.files
    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(pgettext_lazy("attachment", "content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ("meeting_id", "id")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class MeetingRevision(models.Model):
    """A snapshot of a meeting after each save (edit history)."""

    SCOPE_PATHS = ("meeting__organization",)

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("snapshot"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("meeting revision")
        verbose_name_plural = _("meeting revisions")
        ordering = ("meeting_id", "version")
        constraints = [models.UniqueConstraint(fields=["meeting", "version"], name="meeting_revision_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id} v{self.version}"


class MeetingRequirement(models.Model):
    """How many meetings of a kind an organization must hold per period (三会一课 as data).

    ``formation`` empty means "any formation"; a row for the exact formation wins (兼合式
    branches follow the Longyan rule). Edited in the admin.
    """

    SCOPE_PATHS = ()  # rules are district-wide configuration, visible to every staff user

    organization_kind = models.CharField(
        _("organization kind"), max_length=24, choices=OrganizationKind.choices, default=OrganizationKind.BRANCH
    )
    formation = models.CharField(_("formation"), max_length=16, choices=Formation.choices, blank=True)
    meeting_kind = models.CharField(_("meeting kind"), max_length=20, choices=MeetingKind.choices)
    minimum_count = models.PositiveSmallIntegerField(_("minimum count"), default=1)
    period = models.CharField(_("period"), max_length=8, choices=RequirementPeriod.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("meeting requirement")
        verbose_name_plural = _("meeting requirements")
        ordering = ("organization_kind", "formation", "meeting_kind")
        constraints = [
            models.UniqueConstraint(
                fields=["organization_kind", "formation", "meeting_kind"], name="meeting_requirement_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_meeting_kind_display()} ≥ {self.minimum_count}/{self.get_period_display()}"


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarToken(models.Model):
    """The secret in a branch's iCalendar feed URL; replace it to revoke old subscriptions."""

    SCOPE_PATHS = ("branch",)

    branch = models.OneToOneField(
        "organizations.Organization",
        verbose_name=_("branch"),
        on_delete=models.CASCADE,
        related_name="calendar_token",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("calendar token")
        verbose_name_plural = _("calendar tokens")

    def __str__(self) -> str:
        return f"{self.branch_id}"
