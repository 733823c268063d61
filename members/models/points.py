"""Member points (积分 / 时间银行 / 奉献积分): an append-only ledger tied to its sources."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.scope import ScopedManager


class PointsKind(models.TextChoices):
    ATTENDANCE = "attendance", _("Attendance at a meeting")
    MICRO_WISH = "micro_wish", _("Fulfilled micro-wish")
    SERVICE_HOURS = "service_hours", _("Service hours on a volunteer post")
    REQUEST_RESOLVED = "request_resolved", _("Resolved resident request")
    MANUAL = "manual", _("Manual adjustment")


class PointsRule(models.Model):
    """How many points one verified event of a kind earns (data, edited in the admin)."""

    SCOPE_PATHS = ()

    kind = models.CharField(_("kind"), max_length=20, choices=PointsKind.choices, unique=True)
    points = models.IntegerField(_("points"))
    active = models.BooleanField(_("active"), default=True)
    description = models.CharField(_("description"), max_length=200, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("points rule")
        verbose_name_plural = _("points rules")
        ordering = ("kind",)

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.points}"


class PointsEntry(models.Model):
    """One ledger entry. Never updated or deleted: a correction is a new manual entry.

    Entries from events carry their source (content type + id) and are unique on
    (member, kind, source), so awarding again never counts twice. Manual adjustments have no
    source, and need a reason and the user who made them.
    """

    SCOPE_PATHS = ("member__branch", "member__home_organization")

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="points_entries",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PointsKind.choices)
    points = models.IntegerField(_("points"))
    source_type = models.ForeignKey(
        ContentType,
        verbose_name=_("source type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source_id = models.PositiveBigIntegerField(_("source id"), null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    occurred_on = models.DateField(_("occurred on"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ("-occurred_on", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "kind", "source_type", "source_id"],
                name="points_entry_unique_source",
            ),
            # A manual adjustment names its reason and its author; an event entry its source.
            models.CheckConstraint(
                condition=(
                    models.Q(kind="manual", created_by__isnull=False)
                    & ~models.Q(reason="")
                    & models.Q(source_id__isnull=True)
                )
                | (~models.Q(kind="manual") & models.Q(source_type__isnull=False, source_id__isnull=False)),
                name="points_entry_source_or_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["member", "occurred_on"], name="points_member_date"),
            # The ledger's list order: a page of a district's ledger walks it and stops, instead
            # of sorting every scoped entry.
            models.Index(fields=["-occurred_on", "-id"], name="points_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.points:+d} ({self.get_kind_display()})"
