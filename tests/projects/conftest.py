"""Fixtures of the joint building and service tests: two communities (A, B) of ``tree`` with a
compound each, members of their branches, a partner and a project."""

import datetime

import pytest

from organizations import services as org_services
from projects import services
from tests.factories import MemberFactory

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def compounds(tree):
    return {
        "a": org_services.compound_save(name="A小区", community=tree["community_a"], branch=tree["branch_a"]),
        "b": org_services.compound_save(name="B小区", community=tree["community_b"], branch=tree["branch_b"]),
    }


@pytest.fixture
def members(tree):
    return {
        "a": MemberFactory(branch=tree["branch_a"], name="张三", occupation_status="in_service"),
        "a2": MemberFactory(branch=tree["branch_a"], name="李四", occupation_status="in_service"),
        "a_retired": MemberFactory(branch=tree["branch_a"], name="王五", occupation_status="retired"),
        "b": MemberFactory(branch=tree["branch_b"], name="赵六", occupation_status="in_service"),
    }


@pytest.fixture
def partner(tree):
    return services.partner_save(name="区人民医院", kind="institution", registered_by=tree["community_a"])


@pytest.fixture
def project(tree, compounds):
    return services.project_create(
        title="步道改造",
        organization=tree["branch_a"],
        compound=compounds["a"],
        category="facilities",
        proposed_on=TODAY,
    )


@pytest.fixture
def wish(tree, compounds):
    return services.wish_publish(
        community=tree["community_a"],
        compound=compounds["a"],
        resident_name="张桂芳",
        content="修水龙头",
        published_on=TODAY,
    )


@pytest.fixture
def resident_request(compounds):
    return services.request_submit(
        compound=compounds["a"], category="facilities", description="门禁失灵", resident_name="吴敏", received_on=TODAY
    )
