"""数据质量: each check's count for the user's subtree, its link to the filtered admin list, the
完整率 per branch; nothing of another subtree in the counts, the lists or the links."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from organizations.models import CompoundKind
from tests.factories import CompoundFactory, MemberFactory, VenueFactory, make_full_member

pytestmark = pytest.mark.django_db

URL = "/admin/organizations/organization/data-quality/"
API = "/api/v1/data-quality/"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(tree):
    compound_a = CompoundFactory(community=tree["community_a"], branch=tree["branch_a"])
    CompoundFactory(community=tree["community_b"], kind=CompoundKind.SELF_MANAGED)  # no covering branch
    complete = make_full_member(
        tree["branch_a"], name="齐全", phone="13800000001", compound=compound_a, group=tree["group_a"]
    )
    gaps = MemberFactory(branch=tree["branch_a"], name="缺项甲")  # no ID number, phone, compound, group
    other = MemberFactory(branch=tree["branch_b"], name="别处乙")
    VenueFactory(branch=tree["branch_b"])
    return {"complete": complete, "gaps": gaps, "other": other, "compound_a": compound_a}


def _counts(report):
    return {c.key: c.count for c in report["checks"]}


def test_counts_for_community_a(staff_a, tree, world):
    response = _client(staff_a).get(f"{URL}?org={tree['community_a'].pk}")
    assert response.status_code == 200
    counts = _counts(response.context["report"])
    assert counts["members.without_id_number"] == 1
    assert counts["members.without_phone"] == 1
    assert counts["members.without_compound"] == 1
    assert counts["members.without_group"] == 1
    assert counts["members.branch_without_secretary"] == 1
    assert counts["organizations.branch_without_venue"] == 1
    assert counts["organizations.compound_without_branch"] == 0
    # compound A is property-managed with no owners' committee
    assert counts["committees.without_owners_committee"] == 1
    (rate,) = response.context["report"]["rates"]
    (branch,) = rate["branches"]
    assert (branch.id, branch.complete, branch.total) == (tree["branch_a"].pk, 1, 2)
    page = response.content.decode()
    assert "50%" in page and "完整率" in page and tree["branch_b"].name not in page
    assert "数据质量" in _client(staff_a).get("/admin/").content.decode()


def test_other_subtree_sees_none_of_it(staff_b, tree, world):
    assert _client(staff_b).get(f"{URL}?org={tree['community_a'].pk}").status_code == 404
    assert _client(staff_b).get(f"{API}?org={tree['community_a'].pk}").status_code == 404
    counts = _counts(_client(staff_b).get(URL).context["report"])
    assert counts["members.without_phone"] == 1  # 别处乙 only
    assert counts["organizations.branch_without_venue"] == 0
    assert counts["organizations.compound_without_branch"] == 1


def test_links_filter_and_do_not_leak(staff_a, staff_b, tree, world):
    report = _client(staff_a).get(f"{URL}?org={tree['community_a'].pk}").context["report"]
    links = {c.key: c.url for c in report["checks"]}
    listed = _client(staff_a).get(links["members.without_phone"])
    assert listed.status_code == 200
    assert [m.pk for m in listed.context["cl"].result_list] == [world["gaps"].pk]
    branches = _client(staff_a).get(links["organizations.branch_without_venue"]).context["cl"].result_list
    assert [b.pk for b in branches] == [tree["branch_a"].pk]
    # Another subtree's user following the same link sees nothing of it.
    foreign = _client(staff_b).get(links["members.without_phone"])
    assert "缺项甲" not in foreign.content.decode()
    assert foreign.status_code == 200 and list(foreign.context["cl"].result_list) == []


def test_api_matches_page_and_constant_queries(district_admin, tree, world, api_client_for):
    client = api_client_for(district_admin)
    client.get(API)  # the user's permissions and scope are loaded once per user
    with CaptureQueriesContext(connection) as small:
        data = client.get(f"{API}?org={tree['district'].pk}").json()
    counts = {c["key"]: c["count"] for c in data["checks"]}
    assert counts["members.without_phone"] == 2
    assert all(c["admin_url"].startswith("/admin/") for c in data["checks"])
    assert {b["branch"]["id"] for b in data["rates"][0]["branches"]} == {tree["branch_a"].pk, tree["branch_b"].pk}
    for n in range(5):
        MemberFactory(branch=tree["branch_b"], name=f"新增{n}")
        VenueFactory(branch=tree["branch_a"])
    client = api_client_for(type(district_admin).objects.get(pk=district_admin.pk))
    client.get(API)
    with CaptureQueriesContext(connection) as large:
        client.get(f"{API}?org={tree['district'].pk}")
    assert len(large) == len(small)
    assert client.get(f"{API}?org=abc").status_code == 400
