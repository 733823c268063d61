"""What this app declares to the platform layer: what the audit trail covers, role permissions
(imported by ``CoreConfig.ready``)."""

from core.audit.registry import register_append_only_model, register_archive_rule, register_audited_app
from core.auth.roles import Role, grant_role_permissions

register_audited_app(
    "members",
    # Append-only logs that are themselves the trail: the points ledger (each entry names its
    # source and, for manual adjustments, its author and reason) and the personal-data access log.
    not_audited=["pointsentry", "sensitiveaccesslog"],
    # Meeting children are traced in the meeting's revision snapshots (and its own entry);
    # defaults by the migration that installed them. Later edits are audited.
    bulk_created=[
        "attendance",
        "meetingresolution",
        "meetingguest",
        "meetingattachment",
        "meetingrequirement",
        "pointsrule",
    ],
)
register_archive_rule("members.member", "status", lambda v: v not in ("active", None))
register_append_only_model("members.sensitiveaccesslog")

# The system administrator's "configuration": meeting requirements and the points rules.
grant_role_permissions(
    Role.SYSTEM_ADMIN,
    *(
        f"members.{action}_{model}"
        for model in ("meetingrequirement", "pointsrule")
        for action in ("view", "add", "change")
    ),
)
