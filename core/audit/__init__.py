"""The audit trail (public API). See ``core.audit.trail`` for how entries are written and
``core.audit.registry`` for how apps declare what is audited."""

from core.audit.registry import (
    ARCHIVE_RULES,
    AUDITED_APPS,
    BULK_CREATED,
    NOT_AUDITED,
    ignored_fields_for,
    register_archive_rule,
    register_audited_app,
    register_audited_model,
    register_organization_resolver,
    register_scope_filter,
)
from core.audit.trail import (
    CHANGED_MARKER,
    MINIMUM_RETENTION_DAYS,
    archive_rule_for,
    audit_bulk,
    audited_models,
    is_audited,
    is_sensitive,
    purge_older_than,
    record,
    retention_days,
)

__all__ = [
    "ARCHIVE_RULES",
    "AUDITED_APPS",
    "BULK_CREATED",
    "CHANGED_MARKER",
    "MINIMUM_RETENTION_DAYS",
    "NOT_AUDITED",
    "archive_rule_for",
    "audit_bulk",
    "audited_models",
    "ignored_fields_for",
    "is_audited",
    "is_sensitive",
    "purge_older_than",
    "record",
    "register_archive_rule",
    "register_audited_app",
    "register_audited_model",
    "register_organization_resolver",
    "register_scope_filter",
    "retention_days",
]
