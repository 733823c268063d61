"""What this app declares to the platform layer: what the audit trail covers, role permissions
(imported by ``CoreConfig.ready``)."""

from core.audit.registry import (
    register_archive_rule,
    register_audited_app,
    register_organization_resolver,
    register_scope_filter,
)
from core.auth.roles import Role, grant_role_permissions, register_duty_permissions, restrict_to_explicit_grants

register_audited_app(
    "organizations",
    # Set-based jobs write these (reproducible from the data); defaults come from migrations.
    bulk_created=["reminder", "branchscore", "scoringrubric", "scoringitem", "scoringcriterion"],
    # django-mptt's nested sets shift on every tree write: the change says nothing.
    ignored_fields={"organizations.organization": ["lft", "rght", "tree_id", "level"]},
)
register_archive_rule("organizations.organization", "dissolved_on", lambda v: v is not None)


def _organization_itself(instance) -> int | None:
    from organizations.models import Organization

    return instance.pk if isinstance(instance, Organization) else None


def _entries_in_scope(queryset, user):
    """Audit entries of the nodes in the user's subtree (the one scope mechanism)."""
    from organizations.models import Organization

    return queryset.filter(organization_id__in=Organization.objects.for_user(user).values("pk"))


def _user_scope_node(instance) -> int | None:
    """Account changes belong to the user's scope node (so the scoped viewers see them)."""
    from django.contrib.auth import get_user_model

    if isinstance(instance, get_user_model()):
        scope = getattr(instance, "access_scope", None) if hasattr(instance, "access_scope") else None
        return scope.organization_id if scope is not None else None
    return None


register_organization_resolver(_organization_itself)
register_organization_resolver(_user_scope_node)
register_scope_filter(_entries_in_scope)

# Scopes and roles: handed out by the district and security administrators (and a street
# administrator within the street, see organizations.admin_accounts), never by self-promotion.
SCOPE_PERMISSIONS = (
    "organizations.view_accessscope",
    "organizations.add_accessscope",
    "organizations.change_accessscope",
)
restrict_to_explicit_grants("organizations.accessscope")
register_duty_permissions("security", "organizations.add_accessscope", "organizations.change_accessscope")
grant_role_permissions(Role.DISTRICT_ADMIN, *SCOPE_PERMISSIONS)
grant_role_permissions(Role.SECURITY_ADMIN, *SCOPE_PERMISSIONS, "organizations.view_organization")
grant_role_permissions(Role.STREET_STAFF, "organizations.view_accessscope")

# The system administrator's "configuration": the scoring rubric (no domain records).
grant_role_permissions(
    Role.SYSTEM_ADMIN,
    *(
        f"organizations.{action}_{model}"
        for model in ("scoringrubric", "scoringitem", "scoringcriterion")
        for action in ("view", "add", "change")
    ),
)
