"""The delivery record of every notification sent."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("delivery status", "Pending")
    RETRYING = "retrying", pgettext_lazy("delivery status", "Retrying")
    SENT = "sent", pgettext_lazy("delivery status", "Sent")
    FAILED = "failed", pgettext_lazy("delivery status", "Failed")


class Delivery(models.Model):
    """One message to one address through one channel, and what became of it.

    Created ``pending`` by ``core.notify.queue``; each attempt raises ``attempts`` and records
    the last error; ``retrying`` until ``NOTIFY_MAX_ATTEMPTS``, then ``failed`` (kept, visible in
    the admin). ``address`` is kept to retry, encrypted at rest like every personal datum
    (``core.crypto``: an SMS number or an e-mail address is personal data); everywhere it is
    shown, ``recipient`` (masked) is.
    """

    channel = models.CharField(_("channel"), max_length=20)
    recipient = models.CharField(_("recipient (masked)"), max_length=120)
    address = models.TextField(_("address (encrypted)"))
    source = models.CharField(_("source"), max_length=60, blank=True)
    organization_id = models.BigIntegerField(_("organization id"), null=True, blank=True, db_index=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification delivery")
        verbose_name_plural = _("notification deliveries")
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="core_delivery_due")]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient} ({self.get_status_display()})"
