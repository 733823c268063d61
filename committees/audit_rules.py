"""What the audit trail covers in this app (read by ``core.audit.registry``)."""

from core.audit.registry import register_archive_rule, register_audited_app

register_audited_app("committees")
register_archive_rule("committees.committee", "status", lambda v: v == "dissolved")
