"""Audit trail (append-only change history), login throttling and the task probe of the drills."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.scope import ScopedQuerySet


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    ARCHIVE = "archive", _("Archived")
    RESTORE = "restore", _("Restored")
    DELETE = "delete", _("Deleted")


class AuditEntryQuerySet(ScopedQuerySet):
    """Append-only: bulk ``update()`` is refused; ``delete()`` only through ``purge_older_than``
    (PostgreSQL also refuses UPDATE, and DELETE of entries younger than the minimum retention,
    with a trigger — see migration 0002)."""

    def update(self, **kwargs):
        raise TypeError("Audit entries are append-only.")

    def delete(self):
        raise TypeError("Audit entries are append-only; use organizations.audit.purge_older_than.")


class AuditEntry(models.Model):
    """One change to one domain record: who, when, from where, what (field: [old, new]).

    Written by the signal handlers in ``organizations.audit`` for every model of the domain apps,
    in the same transaction as the change. Personal data fields (``*_encrypted``, ``*_hash``,
    ``*_masked``) are never written in clear: only the fact that they changed. ``organization`` is
    the record's place in the tree (its first scope path), so the entries are scoped like the
    records themselves. The foreign keys have no database constraint and are never cascaded: an
    entry outlives its user and must never be rewritten.
    """

    SCOPE_PATHS = ("organization",)

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    model = models.CharField(_("model"), max_length=100, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=8, choices=AuditAction.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    remote_addr = models.GenericIPAddressField(_("remote address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    source = models.CharField(_("source"), max_length=40, blank=True, help_text=_("web, api, task or command"))

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ("-at", "-id")
        indexes = [models.Index(fields=["model", "object_id", "at"], name="audit_object_at")]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.username or '-'} {self.get_action_display()} {self.model}#{self.object_id}"
        )

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit entries are append-only.")


class LoginThrottle(models.Model):
    """Failed logins for one key (``user:<name>`` or ``addr:<ip>``) and the lock they earned.

    Kept in the database, not the cache, so a lockout holds across every gunicorn process and
    survives a Redis outage (see ``organizations.lockout``)."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    last_failure_at = models.DateTimeField(_("last failure at"), null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"


class TaskProbe(models.Model):
    """Result of the idempotent drill task ``organizations.tasks_health.probe``: how often it
    started (``attempts``) and that its result was applied exactly once (``completions``)."""

    key = models.CharField(_("key"), max_length=100, unique=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    completions = models.PositiveIntegerField(_("completions"), default=0)
    result = models.IntegerField(_("result"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("task probe")
        verbose_name_plural = _("task probes")

    def __str__(self) -> str:
        return self.key
