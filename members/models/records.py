"""Member history (never hard-deleted) and the access log of personal data shown in full."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.scope import ScopedManager


class MemberEventKind(models.TextChoices):
    CREATED = "created", pgettext_lazy("history action", "Created")
    UPDATED = "updated", _("Updated")
    TRANSFERRED = "transferred", _("Transferred to another branch")
    FLOATING = "floating", _("Floating status changed")
    LOST_CONTACT = "lost_contact", _("Lost contact status changed")
    REPORTED = "reported", _("Reported to the compound")
    FULL_MEMBER = "full_member", _("Became full member")
    PROBATION_EXTENDED = "probation_extended", _("Probation extended")
    DECEASED = "deceased", _("Deceased")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    IMPORTED = "imported", _("Imported")


class RecordedEntry(models.Model):
    """Who recorded a row and when; the row stays when the account goes (scoped like the rest)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        abstract = True


class MemberEvent(RecordedEntry):
    """One entry of a member's history: what changed, when, by whom (append-only)."""

    SCOPE_PATHS = ("member__branch", "member__home_organization")

    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=20, choices=MemberEventKind.choices)
    occurred_on = models.DateField(_("occurred on"))
    from_branch = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("from branch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    to_branch = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("to branch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    # 回小区报到 only: the secretary's confirmation (``members.services.report_confirm``).
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        db_index=False,
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("member history entry")
        verbose_name_plural = _("member history")
        ordering = ("member_id", "-occurred_on", "-id")
        permissions = [("confirm_report", _("Can confirm reports to the compound"))]
        # Transfers and manual edits only: most entries (imports, system events) leave these empty.
        indexes = [
            models.Index(fields=["from_branch"], name="memberevent_from", condition=Q(from_branch__isnull=False)),
            models.Index(fields=["to_branch"], name="memberevent_to", condition=Q(to_branch__isnull=False)),
            models.Index(fields=["created_by"], name="memberevent_by", condition=Q(created_by__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.get_kind_display()} · {self.occurred_on}"


class SensitiveAccessAction(models.TextChoices):
    VIEW = "view", _("View in full")
    EXPORT = "export", _("Export in full")
    SEARCH = "search", _("Found by full ID number or phone")


class AccessChannel(models.TextChoices):
    """Where personal data was read: the admin site or the API."""

    ADMIN = "admin", _("admin site")
    API = "api", _("API interface")


class SensitiveAccessLog(models.Model):
    """Who saw or exported which member's ID number and phone in full, and when (PIPL)."""

    SCOPE_PATHS = ("member__branch", "member__home_organization")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="sensitive_access_logs",
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="sensitive_access_logs",
    )
    action = models.CharField(_("action"), max_length=8, choices=SensitiveAccessAction.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=AccessChannel.choices, blank=True)
    accessed_at = models.DateTimeField(_("accessed at"), auto_now_add=True, db_index=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("sensitive data access")
        verbose_name_plural = _("sensitive data access log")
        ordering = ("-accessed_at", "-id")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_action_display()} · {self.member_id}"
