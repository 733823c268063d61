"""Who a notification reaches through which channel (通知渠道), and the webhooks REST clients
register (事件推送) with the record of every delivery."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.auth.roles import Role
from organizations.scope import ScopedManager


class RouteChannel(models.TextChoices):
    CONSOLE = "console", _("Console (log only)")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WECOM = "wecom", _("WeChat Work group robot")


class NotificationRoute(models.Model):
    """One channel an organization's notifications go out through (the branch decides, members
    choose nothing).

    Routes are inherited down the tree: an organization without active routes of its own uses
    those of its nearest ancestor that has some (``organizations.notify_routes.routes_for``).
    ``email`` and ``console`` reach the staff scoped to the organization (optionally one role);
    ``sms`` and ``wecom`` reach the ``target`` configured here: a mobile number, a robot key.
    """

    SCOPE_PATHS = ("organization",)

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="notification_routes",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=RouteChannel.choices)
    role = models.CharField(
        _("role reached"),
        max_length=30,
        choices=Role.choices,
        blank=True,
        help_text=_("Email / console: only staff with this role (empty: all staff scoped here)."),
    )
    target = models.CharField(
        _("target"),
        max_length=300,
        blank=True,
        help_text=_("SMS: the mobile number; WeChat Work: the group robot's key."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("notification route")
        verbose_name_plural = _("notification routes")
        ordering = ("organization_id", "channel", "id")

    def __str__(self) -> str:
        return f"{self.organization} · {self.get_channel_display()}"


class Webhook(models.Model):
    """A REST client's subscription: events of the chosen types about objects inside the
    client's scope (``organization``, the client's scope node when registered) are POSTed,
    signed with ``secret``, to ``url`` (``organizations.webhooks``)."""

    SCOPE_PATHS = ("organization",)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("client user"), on_delete=models.CASCADE, related_name="webhooks"
    )
    organization = models.ForeignKey(
        "organizations.Organization", verbose_name=_("scope"), on_delete=models.CASCADE, related_name="webhooks"
    )
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("push URL"), max_length=500)
    secret = models.CharField(_("secret"), max_length=200)
    event_types = models.JSONField(_("event types"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ("id",)

    def __str__(self) -> str:
        return self.name


class WebhookDeliveryStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("delivery status", "Pending")
    RETRYING = "retrying", pgettext_lazy("delivery status", "Retrying")
    SENT = "sent", pgettext_lazy("delivery status", "Sent")
    FAILED = "failed", pgettext_lazy("delivery status", "Failed")


class WebhookDelivery(models.Model):
    """One event for one webhook: the payload exactly as sent (masked for the subscriber), and
    each attempt's outcome. Written by the event function and the worker only (read-only in the
    admin and the API)."""

    SCOPE_PATHS = ("webhook__organization",)

    webhook = models.ForeignKey(Webhook, verbose_name=_("webhook"), on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, editable=False)
    event_type = models.CharField(_("event type"), max_length=60)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=WebhookDeliveryStatus.choices,
        default=WebhookDeliveryStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.event_type} → {self.webhook}"
