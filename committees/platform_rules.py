"""What this app declares to the platform layer: what the audit trail covers, role permissions
(imported by ``CoreConfig.ready``)."""

from core.audit.registry import register_archive_rule, register_audited_app

register_audited_app("committees")
register_archive_rule("committees.committee", "status", lambda v: v == "dissolved")
