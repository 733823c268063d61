"""Permission groups per role, kept in sync after every migrate.

Defaults: staff roles (district, street, community) view, add and change every model of the
domain apps; the district administrator also has the custom permissions (e.g. seeing personal
data in full); a branch secretary and an API client view only. Apps grant more through
``organizations.registry.grant_role_permissions`` (e.g. secretaries record meetings).
Deleting is never granted: domain records are archived, not deleted.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.audit.registry import AUDITED_APPS as DOMAIN_APPS

INFRASTRUCTURE_MODELS = ("auditentry", "loginthrottle", "taskprobe")


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("District administrator")
    STREET_STAFF = "street_staff", _("Sub-district staff")
    COMMUNITY_STAFF = "community_staff", _("Community staff")
    BRANCH_SECRETARY = "branch_secretary", _("Branch secretary")
    API_CLIENT = "api_client", _("Read-only API client")


# Permission groups, one per role, named in Chinese because staff see them in the admin.
# These names are keys: never rename one without a data migration.
ROLE_GROUP_NAMES = {
    Role.DISTRICT_ADMIN: "区委管理员",
    Role.STREET_STAFF: "街道工作人员",
    Role.COMMUNITY_STAFF: "社区工作人员",
    Role.BRANCH_SECRETARY: "支部书记",
    Role.API_CLIENT: "只读接口客户端",
}


def _codenames_for(role: str, permissions) -> list:
    # The role-permission registry moves to the platform layer with core.registry.
    from organizations.registry import EXTRA_ROLE_PERMISSIONS

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
    from django.contrib.auth.models import Group, Permission

    permissions = list(
        Permission.objects.filter(content_type__app_label__in=[*DOMAIN_APPS, "core"]).select_related("content_type")
    )
    for role in Role:
        group, _created = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[role])
        group.permissions.set(_codenames_for(role, permissions))
