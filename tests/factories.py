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


# --- elections ---
_election_ids = itertools.count(1)


def make_party_member(branch, *, probationary: bool = False, **extra):
    """A member of ``branch`` through the members service (full member unless ``probationary``)."""
    from members.models import PartyStatus
    from members.services import member_create

    return member_create(
        name=extra.pop("name", f"选举党员{next(_election_ids)}"),
        gender="male",
        branch=branch,
        party_status=PartyStatus.PROBATIONARY if probationary else PartyStatus.FULL,
        **extra,
    )
