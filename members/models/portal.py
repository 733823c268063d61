"""党员端: a member's own login, the one-time activation codes the branch issues, and QR
check-ins waiting for the secretary's confirmation (services in ``members.portal.services``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.scope import ScopedManager


class MemberAccount(models.Model):
    """The login of one member (党员端). The user is never staff and has no scope node: what it
    may see is the linked member's own record and their compound's public items."""

    SCOPE_PATHS = ("member__branch", "member__home_organization")

    member = models.OneToOneField(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="account"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="member_account"
    )
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("member account")
        verbose_name_plural = _("member accounts")

    def __str__(self) -> str:
        return f"{self.member.name}（{self.user.get_username()}）"


class ActivationCode(models.Model):
    """A one-time activation code for a member account: short-lived, single-use, stored only as a
    keyed hash (the code itself is shown once to whoever issued it and sent to the member)."""

    SCOPE_PATHS = ("member__branch", "member__home_organization")

    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="activation_codes"
    )
    code_hash = models.CharField(_("code (keyed hash)"), max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.member.name} · {self.created_at:%Y-%m-%d %H:%M}"


class CheckInStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("check-in", "Waiting for confirmation")
    CONFIRMED = "confirmed", pgettext_lazy("check-in", "Confirmed")
    REJECTED = "rejected", pgettext_lazy("check-in", "Not accepted")


class CheckIn(models.Model):
    """A member's QR check-in at a meeting. Pending until the secretary confirms it; confirming
    marks the member present through ``meeting_update`` (the attendance record stays the one
    source of truth, and of the points)."""

    SCOPE_PATHS = ("meeting__organization",)

    meeting = models.ForeignKey(
        "members.Meeting", verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="check_ins"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.PROTECT, related_name="check_ins"
    )
    scanned_at = models.DateTimeField(_("scanned at"))
    status = models.CharField(_("status"), max_length=10, choices=CheckInStatus.choices, default=CheckInStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ("scanned_at", "id")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="checkin_once_per_meeting")]

    def __str__(self) -> str:
        return f"{self.member.name} @ {self.meeting_id}"
