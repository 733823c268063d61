"""Factories for tests (factory_boy + Faker zh_CN). Tree nodes go through the services."""

import itertools

from django.contrib.auth import get_user_model

from organizations import services
from organizations.models import Formation, Organization, OrganizationKind

_codes = itertools.count(1)


def make_org(kind: str, parent: Organization | None = None, name: str | None = None, **extra) -> Organization:
    n = next(_codes)
    if kind == OrganizationKind.BRANCH:
        extra.setdefault("formation", Formation.STANDALONE)
    return services.organization_create(
        name=name or f"{OrganizationKind(kind).label}{n}", code=f"T{n:06d}", kind=kind, parent=parent, **extra
    )


def make_tree(prefix: str = "") -> dict[str, Organization]:
    """district → street → community → branch → group, plus a sibling community with its own
    branch: the smallest tree that shows scope isolation."""
    district = make_org(OrganizationKind.DISTRICT, name=f"{prefix}区委")
    street = make_org(OrganizationKind.STREET, district, name=f"{prefix}街道")
    community_a = make_org(OrganizationKind.COMMUNITY, street, name=f"{prefix}A社区")
    community_b = make_org(OrganizationKind.COMMUNITY, street, name=f"{prefix}B社区")
    branch_a = make_org(OrganizationKind.BRANCH, community_a, name=f"{prefix}A支部")
    branch_b = make_org(OrganizationKind.BRANCH, community_b, name=f"{prefix}B支部")
    group_a = make_org(OrganizationKind.GROUP, branch_a, name=f"{prefix}A党小组")
    return {
        "district": district,
        "street": street,
        "community_a": community_a,
        "community_b": community_b,
        "branch_a": branch_a,
        "branch_b": branch_b,
        "group_a": group_a,
    }


def make_user(username: str, organization: Organization | None = None, role: str | None = None, **extra):
    User = get_user_model()
    user = User.objects.create_user(username=username, password="Test-password-2026", **extra)
    if organization is not None:
        services.access_scope_set(user=user, organization=organization, role=role)
    return User.objects.get(pk=user.pk)


# --- transfers ---


def make_transfer(member, to_organization=None, *, issue=False, actor=None, **fields):
    """A transfer letter of ``member`` through the services (drafted, optionally issued)."""
    from members.transfers import services as transfer_services

    transfer = transfer_services.transfer_create(member=member, to_organization=to_organization, actor=actor, **fields)
    if issue:
        n = next(_codes)
        transfer = transfer_services.transfer_issue(transfer=transfer, letter_number=f"测试转{n:04d}号", actor=actor)
    return transfer


def make_floating(member, direction="out", **fields):
    """An open floating record through the service."""
    from members.transfers import floating

    fields.setdefault("place", "广东省深圳市")
    return floating.floating_start(member=member, direction=direction, **fields)
