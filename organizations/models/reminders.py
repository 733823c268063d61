"""Reminders (提醒): deduplicated, addressed to a scope, closed by themselves when the cause goes."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.registry import reminder_label
from organizations.scope import ScopedManager


class ReminderStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("reminder status", "Open")
    DONE = "done", _("Done")
    DISMISSED = "dismissed", _("Dismissed")
    AUTO_CLOSED = "auto_closed", _("Closed automatically")


class Reminder(models.Model):
    """Something due for a subject (a member, a branch, a request ...), for a reason.

    At most one OPEN reminder per (subject, reason) — a partial unique constraint, so two
    workers can never open the same one twice. ``organizations.reminders.run_reminders`` opens
    new ones, keeps existing ones and closes those whose cause is gone (``auto_closed``). A
    reminder someone marked done or dismissed is not reopened for the same due date.
    """

    SCOPE_PATHS = ("organization",)

    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("subject type"), on_delete=models.CASCADE, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    subject = GenericForeignKey("subject_type", "subject_id")
    reason = models.CharField(_("reason"), max_length=60)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("addressed organization"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    due_on = models.DateField(_("due on"))
    message = models.CharField(_("message"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ReminderStatus.choices, default=ReminderStatus.OPEN)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ("status", "due_on", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "reason"],
                condition=models.Q(status="open"),
                name="reminder_one_open_per_subject_reason",
            )
        ]
        indexes = [models.Index(fields=["status", "reason"], name="reminder_status_reason")]

    def __str__(self) -> str:
        return self.message or self.reason_label

    @property
    def reason_label(self) -> str:
        """What the reason code reads as (the rule's label in the registry)."""
        return reminder_label(self.reason)
