"""Factories for tests (factory_boy + Faker zh_CN). Tree nodes go through the services."""

import datetime
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


# --- records ---


def make_recorded_member(branch, **fields):
    """A member with every national record field filled (through ``member_create``)."""
    from tests.members.helpers import make_member

    fields = {
        "native_place": "四川省广安市",
        "ethnicity": "15",
        "education": "vocational",
        "degree": "",
        "job_title": "会计",
        "work_started_on": datetime.date(1975, 9, 1),
        "admission_branch_name": "重庆钢铁公司第三党支部",
        "party_number": "500100000001",
        "occupation_status": "in_service",
        "employer": "重庆钢铁公司",
        "full_member_on": datetime.date(1991, 7, 1),
    } | fields
    return make_member(branch, **fields)
