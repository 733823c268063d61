"""Roles, their permission groups (kept in sync after every migrate) and 三员分立.

Domain roles: staff roles (district, street, community) view, add and change every model of the
domain apps; the district administrator also has the custom permissions (e.g. seeing personal
data in full); a branch secretary and an API client view only. Apps grant more through
``grant_role_permissions`` (e.g. secretaries record meetings). Deleting domain records is never
granted: they are archived, not deleted.

三员分立 (GB/T 22239-2019 三级, 8.1.4.2 / 8.1.10.x): three built-in administrator roles beside the
domain ones, none holding another's duty:

- system administrator: accounts, Celery beat schedules, configuration — no audit trail, no
  unmask, no scopes;
- security administrator: scopes and roles, the unmask grant, login failures (lockouts);
- audit administrator: reads the audit trail, nothing else.

``DUTIES`` names the permissions of each duty; ``holds_all_duties`` is what the tests check for
every non-superuser role.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.audit.registry import AUDITED_APPS as DOMAIN_APPS


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("District administrator")
    STREET_STAFF = "street_staff", _("Sub-district staff")
    COMMUNITY_STAFF = "community_staff", _("Community staff")
    BRANCH_SECRETARY = "branch_secretary", _("Branch secretary")
    API_CLIENT = "api_client", _("Read-only API client")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")
    # 党员端: a member's own login (members.portal), never staff, no scope node, no model
    # permissions; the member's own record is reached through the account link, not the scope.
    PARTY_MEMBER = "party_member", _("Party member (own pages)")


# Permission groups, one per role, named in Chinese because staff see them in the admin.
# These names are keys: never rename one without a data migration.
ROLE_GROUP_NAMES = {
    Role.DISTRICT_ADMIN: "区委管理员",
    Role.STREET_STAFF: "街道工作人员",
    Role.COMMUNITY_STAFF: "社区工作人员",
    Role.BRANCH_SECRETARY: "支部书记",
    Role.API_CLIENT: "只读接口客户端",
    Role.SYSTEM_ADMIN: "系统管理员",
    Role.SECURITY_ADMIN: "安全管理员",
    Role.AUDIT_ADMIN: "审计管理员",
    Role.PARTY_MEMBER: "党员",
}

ADMINISTRATOR_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)
# Who may give which role (never one above the giver's own; the three administrator roles only
# by a superuser). A superuser gives any.
ASSIGNABLE_ROLES: dict[str, tuple[str, ...]] = {
    Role.DISTRICT_ADMIN: (
        Role.DISTRICT_ADMIN,
        Role.STREET_STAFF,
        Role.COMMUNITY_STAFF,
        Role.BRANCH_SECRETARY,
        Role.API_CLIENT,
    ),
    Role.SECURITY_ADMIN: (
        Role.DISTRICT_ADMIN,
        Role.STREET_STAFF,
        Role.COMMUNITY_STAFF,
        Role.BRANCH_SECRETARY,
        Role.API_CLIENT,
    ),
    Role.STREET_STAFF: (Role.STREET_STAFF, Role.COMMUNITY_STAFF, Role.BRANCH_SECRETARY),
}

BEAT_APP = "django_celery_beat"
ACCOUNT_PERMISSIONS = {"auth.view_user", "auth.add_user", "auth.change_user"}
SCHEDULE_MODELS = ("periodictask", "crontabschedule", "intervalschedule", "solarschedule", "clockedschedule")
SCHEDULE_PERMISSIONS = {
    f"{BEAT_APP}.{action}_{model}" for model in SCHEDULE_MODELS for action in ("view", "add", "change", "delete")
}
AUDIT_PERMISSIONS = {"core.view_auditentry"}
LOCKOUT_PERMISSIONS = {"core.view_loginthrottle", "core.delete_loginthrottle"}
# The permissions of each duty of 三员分立 (the security duty also includes the scope model's
# permissions, which the app owning it adds with ``register_duty_permissions``).
DUTIES: dict[str, set[str]] = {
    "system": {*SCHEDULE_PERMISSIONS, "auth.add_user"},
    "security": set(LOCKOUT_PERMISSIONS),
    "audit": set(AUDIT_PERMISSIONS),
}
# Models whose permissions a role gets only by an explicit grant (not by the defaults).
EXPLICIT_ONLY: set[str] = set()
# Grants beyond the defaults are kept in the one registry (core.registry.EXTRA_ROLE_PERMISSIONS).
from core.registry import EXTRA_ROLE_PERMISSIONS, grant_role_permissions  # noqa: E402


def restrict_to_explicit_grants(model_label: str) -> None:
    """Permissions of ``model_label`` go only to roles granted them by name (e.g. the scopes)."""
    EXPLICIT_ONLY.add(model_label.lower())


def register_duty_permissions(duty: str, *perms: str) -> None:
    DUTIES[duty].update(perms)


# Built-in grants of the platform's own models.
grant_role_permissions(Role.SYSTEM_ADMIN, *ACCOUNT_PERMISSIONS, *SCHEDULE_PERMISSIONS)
grant_role_permissions(Role.DISTRICT_ADMIN, *ACCOUNT_PERMISSIONS, *SCHEDULE_PERMISSIONS)
grant_role_permissions(Role.STREET_STAFF, *ACCOUNT_PERMISSIONS)
grant_role_permissions(Role.SECURITY_ADMIN, "auth.view_user", "auth.change_user", *LOCKOUT_PERMISSIONS)
grant_role_permissions(Role.AUDIT_ADMIN, *AUDIT_PERMISSIONS)


def holds_all_duties(permissions: set[str]) -> bool:
    """Whether a set of ``app.codename`` permissions covers all three duties of 三员分立."""
    return all(permissions & duty for duty in DUTIES.values())


def _all_extra(role: str) -> set[str]:
    return set(EXTRA_ROLE_PERMISSIONS.get(role, set()))


def _codenames_for(role: str, permissions) -> list:
    chosen = []
    extra = _all_extra(role)
    for perm in permissions:
        action = perm.codename.split("_", 1)[0]
        app_label = perm.content_type.app_label
        key = f"{app_label}.{perm.codename}"
        standard = action in ("view", "add", "change", "delete") and perm.codename.endswith(
            "_" + perm.content_type.model
        )
        if key in extra:
            chosen.append(perm)
        elif app_label not in DOMAIN_APPS or f"{app_label}.{perm.content_type.model}" in EXPLICIT_ONLY:
            # Platform models, accounts and schedules: only by an explicit grant above.
            continue
        elif role in ADMINISTRATOR_ROLES:
            # The three administrators see no domain data (and so never unmask).
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

    apps = [*DOMAIN_APPS, "core", "auth", BEAT_APP]
    permissions = list(Permission.objects.filter(content_type__app_label__in=apps).select_related("content_type"))
    for role in Role:
        group, _created = Group.objects.get_or_create(name=ROLE_GROUP_NAMES[role])
        group.permissions.set(_codenames_for(role, permissions))
