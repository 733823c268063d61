"""Who may manage which staff accounts: inside the manager's own subtree, never a role above
their own (``core.auth.roles.ASSIGNABLE_ROLES``); superusers only by superusers."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q

from core.auth.roles import ADMINISTRATOR_ROLES, ASSIGNABLE_ROLES, Role
from organizations import services
from organizations.models import AccessScope, Organization
from organizations.scope import user_sees_everything


def role_of(user) -> str | None:
    scope = AccessScope.objects.filter(user_id=user.pk).values_list("role", flat=True).first()
    return scope


def assignable_roles(actor) -> list[str]:
    """The roles ``actor`` may give (all for a superuser)."""
    if user_sees_everything(actor):
        return list(Role.values)
    return [str(role) for role in ASSIGNABLE_ROLES.get(role_of(actor) or "", ())]


def manageable_users(actor):
    """The accounts ``actor`` may see and manage: those scoped inside the actor's subtree, plus
    (for the system and security administrators) accounts still without a scope; never a
    superuser unless the actor is one, never the actor's own role record above them."""
    users = get_user_model().objects.all()
    if user_sees_everything(actor):
        return users
    inside = Q(access_scope__organization__in=Organization.objects.for_user(actor))
    if role_of(actor) in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN):
        inside |= Q(access_scope__isnull=True)
    return users.filter(inside, is_superuser=False)


def may_manage(actor, target) -> bool:
    """Whether ``actor`` may change ``target``'s account (names, password, active, role): a
    superuser always; nobody else a superuser or one of the three administrators (三员 are
    appointed by the superuser); the system administrator any other account it sees; the others
    accounts whose role they could have given."""
    if user_sees_everything(actor):
        return True
    if target.is_superuser:
        return False
    target_role = role_of(target)
    if target_role in ADMINISTRATOR_ROLES:
        return False
    if role_of(actor) == Role.SYSTEM_ADMIN:
        return True
    return target_role is None or target_role in assignable_roles(actor)


def may_grant_unmask(actor) -> bool:
    """The unmask grant is the security administrator's (GB/T 22239 三员分立), or a superuser's."""
    return user_sees_everything(actor) or role_of(actor) == Role.SECURITY_ADMIN


def unmask_permission() -> Permission:
    app_label, codename = settings.UNMASK_PERMISSION.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def account_scope_set(*, actor, user, organization: Organization, role: str):
    """Give ``user`` a scope and role on ``actor``'s behalf, inside the actor's rights."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if role not in assignable_roles(actor):
        raise ValidationError({"role": _("You may not give this role.")})
    if not Organization.objects.for_user(actor).filter(pk=organization.pk).exists():
        raise ValidationError(
            {"organization": _("Select a valid choice. That choice is not one of the available choices.")}
        )
    return services.access_scope_set(user=user, organization=organization, role=role)


def unmask_set(*, user, allowed: bool) -> None:
    """Grant or withdraw the unmask permission (audited through the user's permissions)."""
    from core import audit

    perm = unmask_permission()
    had = user.user_permissions.filter(pk=perm.pk).exists()
    if allowed and not had:
        user.user_permissions.add(perm)
    elif had and not allowed:
        user.user_permissions.remove(perm)
    if had != allowed:
        audit.record(user, "update", {"unmask_permission": [had, allowed]})
