"""Audit trail: the append-only change history."""

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AuditAction(models.TextChoices):
    CREATE = "create", pgettext_lazy("history action", "Created")
    UPDATE = "update", _("Updated")
    ARCHIVE = "archive", _("Archived")
    RESTORE = "restore", _("Restored")
    DELETE = "delete", _("Deleted")


class AuditEntryQuerySet(models.QuerySet):
    """Append-only: bulk ``update()`` is refused; ``delete()`` only through ``purge_older_than``
    (PostgreSQL also refuses UPDATE, and DELETE of entries younger than the minimum retention,
    with a trigger — see organizations migration 0004)."""

    def for_user(self, user) -> "AuditEntryQuerySet":
        """Entries of the tree nodes ``user`` may see: everything for an active superuser, else
        what the registered scope filters allow (nothing when none is registered)."""
        from core.audit.registry import SCOPE_FILTERS

        if getattr(user, "is_superuser", False) and user.is_active:
            return self.all()
        if not SCOPE_FILTERS or not getattr(user, "is_authenticated", False):
            return self.none()
        queryset = self
        for scope_filter in SCOPE_FILTERS:
            queryset = scope_filter(queryset, user)
        return queryset

    def update(self, **kwargs):
        raise TypeError("Audit entries are append-only.")

    def delete(self):
        raise TypeError("Audit entries are append-only; use core.audit.purge_older_than.")


class AuditEntry(models.Model):
    """One change to one domain record: who, when, from where, what (field: [old, new]).

    Written by the signal handlers in ``core.audit`` for every model of the audited apps,
    in the same transaction as the change. Personal data fields (``*_encrypted``, ``*_hash``,
    ``*_masked``) are never written in clear: only the fact that they changed. ``organization_id``
    is the record's place in the tree (its first scope path), so the entries are scoped like the
    records themselves. The user key has no database constraint and is never cascaded: an
    entry outlives its user and must never be rewritten.
    """

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
    object_id = models.CharField(pgettext_lazy("audit", "object id"), max_length=64, db_index=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=8, choices=AuditAction.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # The tree node's id, not a foreign key: the platform layer names no domain model.
    organization_id = models.BigIntegerField(_("organization"), null=True, blank=True, db_index=True)
    remote_addr = models.GenericIPAddressField(_("remote address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    source = models.CharField(_("source"), max_length=40, blank=True, help_text=_("web, api, task or command"))

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ("-at", "-id")
        db_table = "organizations_auditentry"
        indexes = [models.Index(fields=["model", "object_id", "at"], name="audit_object_at")]

    def __str__(self) -> str:
        try:  # the model's Chinese name, not its code
            name = apps.get_model(self.model)._meta.verbose_name
        except (LookupError, ValueError):
            name = self.model
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or '-'} {self.get_action_display()} {name}#{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit entries are append-only.")
