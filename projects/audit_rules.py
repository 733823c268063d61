"""What the audit trail covers in this app (read by ``core.audit.registry``)."""

from core.audit.registry import register_archive_rule, register_audited_app

register_audited_app("projects")
register_archive_rule("projects.project", "status", lambda v: v == "cancelled")
