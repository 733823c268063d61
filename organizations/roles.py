"""Permission groups per role, kept in sync after every migrate.

Defaults: staff roles (district, street, community) view, add and change every model of the
domain apps; the district administrator also has the custom permissions (e.g. seeing personal
data in full); a branch secretary and an API client view only. Apps grant more through
``core.registry.grant_role_permissions`` (e.g. secretaries record meetings).
Deleting is never granted: domain records are archived, not deleted.
"""

from django.contrib.auth.models import Group, Permission

from core.registry import EXTRA_ROLE_PERMISSIONS
from organizations.models.access import ROLE_GROUP_NAMES, Role

DOMAIN_APPS = ("organizations", "members", "committees", "projects")
INFRASTRUCTURE_MODELS = ("auditentry", "loginthrottle", "taskprobe")


def _codenames_for(role: str, permissions) -> list[Permission]:
    chosen = []
    extra = EXTRA_ROLE_PERMISSIONS.get(role, set())
    for perm in permissions:
        action = perm.codename.split("_", 1)[0]
        key = f"{perm.content_type.app_label}.{perm.codename}"
        standard = action in ("view", "add", "change", "delete") and perm.codename.endswith(
            "_" + perm.content_type.model
        )
        if key in extra:
            chosen.append(perm)
        elif perm.content_type.model in INFRASTRUCTURE_MODELS:
            # Login throttles and task probes are machinery; the audit trail is read by the
            # district administrator only (and never written through the UI).
            if role == Role.DISTRICT_ADMIN and perm.codename == "view_auditentry":
                chosen.append(perm)
        elif perm.content_type.model == "accessscope" and role != Role.DISTRICT_ADMIN:
            # Only the district administrator hands out scopes and roles (no self-promotion).
            continue
        elif role in (Role.STREET_STAFF, Role.COMMUNITY_STAFF) and standard and action != "delete":
            chosen.append(perm)
        elif role == Role.DISTRICT_ADMIN and (not standard or action != "delete"):
            chosen.append(perm)
        elif role in (Role.BRANCH_SECRETARY, Role.API_CLIENT) and standard and action == "view":
            chosen.append(perm)
    return chosen


def sync_role_permissions(**_kwargs) -> None:
    """Create the role groups and set their permissions (idempotent)."""
    permissions = list(
        Permission.objects.filter(content_type__app_label__in=DOMAIN_APPS).select_related("content_type")
    )
    for role in Role:
        group, _created = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[role])
        group.permissions.set(_codenames_for(role, permissions))
