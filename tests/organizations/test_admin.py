"""Admin tree: counts in one query, drag-and-drop moves through the locked service."""

import pytest
from django.test import Client

from organizations import services
from organizations.models import Organization
from tests.factories import make_org


@pytest.fixture
def admin_client(tree, district_admin):
    client = Client()
    client.force_login(district_admin)
    return client


def test_tree_changelist_shows_cumulative_counts(tree, admin_client):
    services.compound_save(name="甲", community=tree["community_a"], branch=tree["branch_a"])
    services.compound_save(name="乙", community=tree["community_b"])
    response = admin_client.get("/admin/organizations/organization/")
    assert response.status_code == 200
    rows = {o.name: o for o in response.context["cl"].result_list}
    assert rows["区委"].compound_count == 2
    assert rows["A社区"].compound_count == 1
    assert rows["A支部"].compound_count == 0  # compounds hang on communities


def test_changelist_query_count_constant(tree, admin_client, django_assert_max_num_queries):
    for _ in range(30):
        make_org("compound_branch", tree["community_a"])
    with django_assert_max_num_queries(14):
        admin_client.get("/admin/organizations/organization/")


def test_drag_and_drop_move(tree, admin_client):
    response = admin_client.post(
        "/admin/organizations/organization/",
        {
            "cmd": "move_node",
            "cut_item": tree["branch_a"].pk,
            "pasted_on": tree["community_b"].pk,
            "position": "last-child",
        },
    )
    assert response.content == b"OK"
    assert Organization.objects.get(pk=tree["branch_a"].pk).parent_id == tree["community_b"].pk
    refused = admin_client.post(
        "/admin/organizations/organization/",
        {"cmd": "move_node", "cut_item": tree["branch_a"].pk, "pasted_on": tree["street"].pk, "position": "last-child"},
    )
    assert refused.content.startswith(b"FAIL")
    assert services.tree_problems() == []


def test_change_form_refuses_bad_parent(tree, admin_client):
    url = f"/admin/organizations/organization/{tree['branch_a'].pk}/change/"
    response = admin_client.post(
        url,
        {
            "name": "A支部",
            "code": tree["branch_a"].code,
            "kind": "compound_branch",
            "formation": "standalone",
            "parent": tree["street"].pk,
        },
    )
    assert response.status_code == 200  # form redisplayed with the error
    assert "上级必须是社区党委" in response.content.decode()
    assert Organization.objects.get(pk=tree["branch_a"].pk).parent_id == tree["community_a"].pk


def test_add_through_admin_uses_service(tree, admin_client):
    response = admin_client.post(
        "/admin/organizations/organization/add/",
        {"name": "新党小组", "code": "ADM-1", "kind": "building_group", "parent": tree["branch_b"].pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    node = Organization.objects.get(code="ADM-1")
    assert node.parent_id == tree["branch_b"].pk
    assert services.tree_problems() == []
