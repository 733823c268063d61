"""三方联动: matters (议题) raised at a joint meeting or by residents, tracked to closure."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.model_bases import Timestamped
from organizations.scope import ScopedQuerySet


class MatterSource(models.TextChoices):
    JOINT_MEETING = "joint_meeting", _("Three-party joint meeting")
    RESIDENT = "resident", _("Residents")
    OTHER = "other", _("Other")


class MatterHandler(models.TextChoices):
    COMMUNITY = "community", _("Community / branch")
    OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
    PROPERTY_FIRM = "property_firm", _("Property firm")
    GOVERNMENT = "government", _("Government department")


class MatterStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("matter status", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("matter status", "In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


PENDING_STATUSES = (MatterStatus.OPEN, MatterStatus.IN_PROGRESS)


class MatterQuerySet(ScopedQuerySet):
    def overdue(self, today):
        """Still pending after the due date."""
        return self.filter(status__in=PENDING_STATUSES, due_on__lt=today)


class Matter(Timestamped):
    """A matter of the three-party linkage: which compound, who raised it, which party takes
    it, by when, and how it ended."""

    SCOPE_PATHS = ("compound__community", "compound__branch")  # community staff; branch secretaries

    compound = models.ForeignKey(
        "organizations.Compound", verbose_name=_("compound"), on_delete=models.PROTECT, related_name="matters"
    )
    title = models.CharField(_("matter"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(
        _("raised at"), max_length=16, choices=MatterSource.choices, default=MatterSource.JOINT_MEETING
    )
    meeting = models.ForeignKey(
        "members.Meeting",
        verbose_name=_("joint meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matters",
        limit_choices_to={"kind": "joint_meeting"},
        help_text=_("The three-party joint meeting that discussed the matter."),
    )
    raised_by = models.CharField(_("raised by"), max_length=100)
    raised_on = models.DateField(_("raised on"))
    handler = models.CharField(_("taken by"), max_length=20, choices=MatterHandler.choices)
    firm = models.ForeignKey(
        "committees.PropertyFirm",
        verbose_name=_("property firm"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matters",
    )
    department = models.CharField(_("government department"), max_length=100, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=MatterStatus.choices, default=MatterStatus.OPEN)
    outcome = models.TextField(_("outcome"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)

    objects = models.Manager.from_queryset(MatterQuerySet)()

    class Meta:
        verbose_name = _("three-party matter")
        verbose_name_plural = _("three-party matters")
        ordering = ("-raised_on", "-id")
        indexes = [models.Index(fields=["status", "due_on"], name="matter_status_due")]

    def __str__(self) -> str:
        return self.title
