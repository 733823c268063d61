"""A small world with records shared across subtrees, seen by every role of the scope model."""

import datetime

import pytest

from members.models import Member
from organizations import services as org_services
from organizations.models import Role
from projects import services as project_services
from tests.committees.helpers import contract, firm
from tests.factories import RosterMemberFactory, make_user

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def places(tree):
    return {
        "a": org_services.compound_save(name="A小区", community=tree["community_a"], branch=tree["branch_a"]),
        "b": org_services.compound_save(name="B小区", community=tree["community_b"], branch=tree["branch_b"]),
    }


@pytest.fixture
def shared(tree, places):
    """Records inside A, inside B, and shared between them (or with the street above)."""
    street_partner = project_services.partner_save(
        name="街道共建单位", kind="institution", registered_by=tree["street"]
    )
    project_services.agreement_save(
        partner=street_partner,
        organization=tree["community_a"],
        title="共建协议",
        signed_on=TODAY,
        expires_on=TODAY.replace(year=2028),
    )
    shared_firm = firm("跨社区物业", created_in=tree["community_a"])
    contract(shared_firm, places["a"])
    contract(shared_firm, places["b"])
    own_firm = firm("本社区物业", created_in=tree["community_a"])
    contract(own_firm, org_services.compound_save(name="A二小区", community=tree["community_a"]))
    two_sided = RosterMemberFactory(branch=tree["branch_a"], name="兼合党员")
    two_sided.home_organization = tree["branch_b"]
    two_sided.save()
    return {
        "partner_a": project_services.partner_save(
            name="A共建单位", kind="institution", registered_by=tree["community_a"]
        ),
        "partner_b": project_services.partner_save(
            name="B共建单位", kind="institution", registered_by=tree["community_b"]
        ),
        "street_partner": street_partner,
        "shared_firm": shared_firm,
        "own_firm": own_firm,
        "member_a": RosterMemberFactory(branch=tree["branch_a"], name="本支部党员"),
        "member_b": RosterMemberFactory(branch=tree["branch_b"], name="外支部党员"),
        "two_sided": Member.objects.get(pk=two_sided.pk),
        "resource_b": project_services.resource_save(
            partner=project_services.partner_save(
                name="B资源单位", kind="state_enterprise", registered_by=tree["community_b"]
            ),
            category="facilities",
            description="B资源",
        ),
    }


@pytest.fixture
def api_reader(tree):
    return make_user("city_platform", tree["district"], Role.API_CLIENT)


@pytest.fixture
def street_staff(tree):
    return make_user("street_staff", tree["street"], Role.STREET_STAFF)
