"""What the audit trail covers, declared by the apps themselves.

The platform layer knows no domain app: each app declares its part in ``<app>/contributions.py``
(imported by ``CoreConfig.ready``), e.g.::

    from core.audit.registry import register_audited_app, register_archive_rule

    register_audited_app("<app>", not_audited=["<a log model>"], bulk_created=["<a child model>"])
    register_archive_rule("<app>.<model>", "status", lambda v: v not in ("active", None))

The API is documented in /work/coord/secaudit-api.md (and the module docstrings below).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# App labels whose every model is audited (minus ``NOT_AUDITED``).
AUDITED_APPS: set[str] = set()
# Single models of other apps that are audited too (e.g. ``auth.user``).
AUDITED_MODELS: set[str] = set()
# ``app.model`` labels of audited apps that are not domain records (or are logs themselves).
NOT_AUDITED: set[str] = set()
# Rows that set-based services create in bulk (no per-row signal); their creation is traced by
# the summary entry of the service (``audit_bulk``) or the parent record's entry.
BULK_CREATED: set[str] = set()
# Fields whose change says nothing, per model label ("*" for every model).
IGNORED_FIELDS: dict[str, set[str]] = {"*": {"updated_at"}}


@dataclass(frozen=True)
class ArchiveRule:
    field: str
    is_archived: Callable[[object], bool]


ARCHIVE_RULES: dict[str, ArchiveRule] = {}
ORGANIZATION_RESOLVERS: list[Callable[[object], int | None]] = []
SCOPE_FILTERS: list[Callable] = []


def _labels(app_label: str, names) -> set[str]:
    return {name.lower() if "." in name else f"{app_label}.{name}".lower() for name in names}


def register_audited_app(
    app_label: str, *, not_audited=(), bulk_created=(), ignored_fields: dict[str, list[str]] | None = None
) -> None:
    """Audit every model of ``app_label``; ``not_audited`` / ``bulk_created`` name models
    (``"<model>"`` or ``"<app>.<model>"``); ``ignored_fields`` maps a model label (or
    ``"*"``) to bookkeeping fields whose change is not logged."""
    AUDITED_APPS.add(app_label)
    NOT_AUDITED.update(_labels(app_label, not_audited))
    BULK_CREATED.update(_labels(app_label, bulk_created))
    for label, fields in (ignored_fields or {}).items():
        IGNORED_FIELDS.setdefault(label.lower(), set()).update(fields)


def register_audited_model(label: str, *, ignored_fields=()) -> None:
    """Audit one model of an app that is not audited as a whole (``"auth.user"``)."""
    AUDITED_MODELS.add(label.lower())
    if ignored_fields:
        IGNORED_FIELDS.setdefault(label.lower(), set()).update(ignored_fields)


def register_archive_rule(model_label: str, field: str, is_archived: Callable[[object], bool]) -> None:
    """Declare how a model is archived (``"<app>.<model>"``, ``"status"``,
    ``lambda v: v != "active"``): a change across the rule is logged as archive / restore."""
    ARCHIVE_RULES[model_label.lower()] = ArchiveRule(field, is_archived)


def register_organization_resolver(resolver: Callable[[object], int | None]) -> None:
    """``resolver(instance)`` returns the id of the tree node an entry belongs to, or None to let
    the next resolver (and finally the generic ``SCOPE_PATHS`` walk) decide."""
    ORGANIZATION_RESOLVERS.append(resolver)


def register_scope_filter(scope_filter: Callable) -> None:
    """``scope_filter(queryset, user)`` narrows audit entries to what ``user`` may see (by
    ``organization_id``). With none registered only superusers see entries (fail closed)."""
    SCOPE_FILTERS.append(scope_filter)


def ignored_fields_for(label: str) -> set[str]:
    return IGNORED_FIELDS["*"] | IGNORED_FIELDS.get(label, set())


# Append-only logs: the application's database role may INSERT and SELECT them, never UPDATE,
# DELETE or TRUNCATE (see ``manage.py grant_app_role`` and docs/deploy.md).
APPEND_ONLY_MODELS: set[str] = {"core.auditentry", "admin.logentry"}


def register_append_only_model(label: str) -> None:
    """Protect ``label``'s table from the application role (e.g. a personal-data access log)."""
    APPEND_ONLY_MODELS.add(label.lower())
