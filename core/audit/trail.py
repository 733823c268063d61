"""The audit trail: one ``AuditEntry`` per create/update/archive/restore/delete of every model of
the domain apps, written by model signals in the same transaction as the change.

Generic on purpose: a model added to any domain app is audited without a line of code. Archive
and restore are recognised by rules per model (``register_archive_rule``): a member whose status
leaves ``active``, an organization that gets a ``dissolved_on`` date, ... Personal data fields
never reach the log in clear. Bulk writes (``bulk_create``, ``QuerySet.update``, COPY) bypass
signals: the services that use them write one summary entry with ``audit_bulk``.
"""

from __future__ import annotations

import datetime
import logging

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit.registry import (
    ARCHIVE_RULES,
    AUDITED_APPS,
    AUDITED_MODELS,
    NOT_AUDITED,
    ORGANIZATION_RESOLVERS,
    ArchiveRule,
    ignored_fields_for,
)
from core.request_context import client_address, current_request, current_source, request_id_of

logger = logging.getLogger(__name__)

# Personal data (encrypted, hashed, masked forms) and secrets (e.g. a calendar feed token).
SENSITIVE_SUFFIXES = ("_encrypted", "_hash", "_masked", "token", "secret", "password")
CHANGED_MARKER = "<changed>"
MINIMUM_RETENTION_DAYS = 180


def is_sensitive(field_name: str) -> bool:
    return field_name.endswith(SENSITIVE_SUFFIXES)


def is_audited(model) -> bool:
    meta = model._meta
    if meta.auto_created or meta.label_lower in NOT_AUDITED:
        return False
    if meta.app_label not in AUDITED_APPS and meta.label_lower not in AUDITED_MODELS:
        return False
    # Data migrations save through historical models (other classes than the registered one):
    # they run before the audit table may exist and are not user changes, so they are skipped.
    try:
        return apps.get_model(meta.app_label, meta.model_name) is model or meta.proxy
    except LookupError:
        return False


def audited_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if is_audited(m) and not m._meta.proxy]


def archive_rule_for(model) -> ArchiveRule | None:
    """The registered rule, else the generic one: a boolean field named ``archived``."""
    rule = ARCHIVE_RULES.get(model._meta.label_lower)
    if rule is None:
        try:
            field = model._meta.get_field("archived")
        except Exception:  # noqa: BLE001 - FieldDoesNotExist: no archive flag
            return None
        if isinstance(field, models.BooleanField):
            rule = ArchiveRule("archived", bool)
    return rule


def _field_names(model) -> list[tuple[str, str]]:
    """(name, attname) of the concrete fields worth logging."""
    ignored = ignored_fields_for(model._meta.label_lower)
    return [(f.name, f.attname) for f in model._meta.concrete_fields if not f.primary_key and f.name not in ignored]


def _loggable(name: str, value):
    if is_sensitive(name):
        return CHANGED_MARKER if value not in (None, "") else ""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _organization_id(instance) -> int | None:
    """The record's place in the tree: its first scope path, read through cached objects and
    ``<fk>_id`` attributes (at most a query per hop, usually none)."""
    for resolver in ORGANIZATION_RESOLVERS:
        found = resolver(instance)
        if found is not None:
            return found
    paths = getattr(type(instance), "SCOPE_PATHS", ())
    if not paths:
        return None
    obj = instance
    parts = paths[0].split("__")
    try:
        for part in parts[:-1]:
            obj = getattr(obj, part)
            if obj is None:
                return None
        return getattr(obj, f"{parts[-1]}_id", None)
    except Exception:
        logger.warning("audit: cannot resolve the organization of %s", instance._meta.label, exc_info=True)
        return None


def _actor():
    request = current_request()
    if request is None:
        return None, "", None, "", current_source() or "system"
    user = getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    source = "api" if request.path.startswith("/api/") else "web"
    return (
        user,
        user.get_username() if user is not None else "",
        client_address(request),
        request_id_of(request),
        source,
    )


def record(instance, action: str, changes: dict) -> None:
    """Write one entry for ``instance`` (also usable by services for summaries)."""
    from core.audit.models import AuditEntry

    user, username, address, request_id, source = _actor()
    try:
        repr_text = str(instance)[:200]
    except Exception:  # noqa: BLE001 - __str__ of a half-built object may fail; the id is enough
        repr_text = ""
    AuditEntry.objects.create(
        user=user,
        username=username,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=repr_text,
        action=action,
        changes=changes,
        organization_id=_organization_id(instance),
        remote_addr=address,
        request_id=request_id,
        source=source,
    )


BULK_IDS_KEPT = 1000


def audit_bulk(
    *,
    model: type[models.Model],
    action: str,
    count: int,
    ids=None,
    filter: dict | None = None,
    values: dict | None = None,
    organization_id: int | None = None,
    note: str = "",
) -> None:
    """One summary entry for a bulk write that bypasses the per-row signals (``bulk_create``,
    ``QuerySet.update``, COPY): the model, the action, how many rows, and which — their ids (the
    first ``BULK_IDS_KEPT``) or the filter that chose them. Call it in the same transaction as the
    write, so both commit or neither does. ``values`` are the fields an update set. Personal-data
    fields are logged as changed, never in clear."""
    from core.audit.models import AuditEntry

    changes: dict = {"count": int(count)}
    if ids is not None:
        ids = list(ids)
        changes["ids"] = [str(pk) for pk in ids[:BULK_IDS_KEPT]]
        if len(ids) > BULK_IDS_KEPT:
            changes["ids_truncated"] = True
    for name, given in (("filter", filter), ("values", values)):
        if given:
            changes[name] = {
                key: (CHANGED_MARKER if is_sensitive(key.split("__")[0]) else _loggable(key, value))
                for key, value in given.items()
            }
    if note:
        changes["note"] = note
    user, username, address, request_id, source = _actor()
    AuditEntry.objects.create(
        user=user,
        username=username,
        model=model._meta.label_lower,
        object_id="*",
        object_repr=str(model._meta.verbose_name_plural)[:200],
        action=action,
        changes=changes,
        organization_id=organization_id,
        remote_addr=address,
        request_id=request_id,
        source=source,
    )


def _before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not is_audited(sender) or instance._state.adding or instance.pk is None:
        return
    fields = _field_names(sender)
    if update_fields is not None:
        fields = [(n, a) for n, a in fields if n in update_fields or a in update_fields]
    old = sender._base_manager.filter(pk=instance.pk).values(*[a for _n, a in fields]).first()
    instance._audit_before = (fields, old)


def _after_save(sender, instance, created, raw=False, **kwargs):
    if raw or not is_audited(sender):
        return
    rule = archive_rule_for(sender)
    if created:
        changes = {}
        for name, attname in _field_names(sender):
            value = getattr(instance, attname)
            if value not in (None, ""):
                changes[name] = [None, _loggable(name, value)]
        record(instance, "create", changes)
        return
    fields, old = getattr(instance, "_audit_before", (None, None))
    instance.__dict__.pop("_audit_before", None)
    if old is None:  # saved with a pk that was not in the table: treat as a creation
        record(instance, "create", {})
        return
    changes = {}
    action = "update"
    for name, attname in fields:
        before, after = old[attname], getattr(instance, attname)
        if before == after:
            continue
        if is_sensitive(name):
            changes[name] = [CHANGED_MARKER, CHANGED_MARKER]
        else:
            changes[name] = [_loggable(name, before), _loggable(name, after)]
        if rule is not None and name == rule.field:
            was, now = rule.is_archived(before), rule.is_archived(after)
            if now and not was:
                action = "archive"
            elif was and not now:
                action = "restore"
    if changes:
        record(instance, action, changes)


def _after_delete(sender, instance, **kwargs):
    if is_audited(sender):
        record(instance, "delete", {})


def connect() -> None:
    """Connect the handlers for every model (filtered by app inside, so models of apps merged
    later are covered without registration)."""
    pre_save.connect(_before_save, dispatch_uid="audit_before_save")
    post_save.connect(_after_save, dispatch_uid="audit_after_save")
    post_delete.connect(_after_delete, dispatch_uid="audit_after_delete")


def _task_started(sender=None, task=None, **kwargs):
    from core.request_context import set_source

    if task is not None:
        task.request.audit_source_token = set_source(f"task:{task.name}"[:40])


def _task_finished(sender=None, task=None, **kwargs):
    from core.request_context import reset_source

    token = getattr(task.request, "audit_source_token", None) if task is not None else None
    if token is not None:
        try:
            reset_source(token)
        except ValueError:  # reset from another context (eager tasks nest); harmless
            pass


def connect_task_source() -> None:
    """Label writes made inside a Celery task with ``task:<name>`` (there is no request)."""
    from celery.signals import task_postrun, task_prerun

    task_prerun.connect(_task_started, dispatch_uid="audit_task_started", weak=False)
    task_postrun.connect(_task_finished, dispatch_uid="audit_task_finished", weak=False)


def retention_days() -> int:
    return int(getattr(settings, "AUDIT_RETENTION_DAYS", 365))


def purge_older_than(days: int) -> int:
    """Delete entries older than ``days`` (refused below the 180-day minimum). Returns the
    number of entries deleted."""
    from core.audit.models import AuditEntry

    if days < MINIMUM_RETENTION_DAYS:
        raise ValidationError(
            _("Audit entries are kept for at least %(days)d days.") % {"days": MINIMUM_RETENTION_DAYS}
        )
    if connection.vendor == "postgresql":
        # Through the SECURITY DEFINER function: the application role has no DELETE here.
        with connection.cursor() as cursor:
            cursor.execute("SELECT core_audit_purge(%s)", [days])
            return int(cursor.fetchone()[0])
    cutoff = timezone.now() - datetime.timedelta(days=days)
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE at < %s", [cutoff])
        return cursor.rowcount
