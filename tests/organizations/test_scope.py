"""Scope isolation: community A staff cannot list, open, count or pick community B's objects,
in the admin and the API."""

import pytest
from django.test import Client

from organizations import services
from organizations.models import Compound, Organization
from organizations.scope import forget_scope


@pytest.fixture
def compounds(tree):
    a = services.compound_save(name="甲小区", community=tree["community_a"], branch=tree["branch_a"])
    b = services.compound_save(name="乙小区", community=tree["community_b"], branch=tree["branch_b"])
    return a, b


def admin_client(user):
    client = Client()
    client.force_login(user)
    return client


def test_for_user_querysets(tree, staff_a, district_admin, compounds):
    visible = set(Organization.objects.for_user(staff_a).values_list("name", flat=True))
    assert visible == {"A社区", "A支部", "A党小组"}
    assert Compound.objects.for_user(staff_a).count() == 1
    assert Compound.objects.for_user(district_admin).count() == 2


def test_user_without_scope_sees_nothing(tree, compounds, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x" * 12, is_staff=True)
    assert not Organization.objects.for_user(user).exists()
    assert not Compound.objects.for_user(user).exists()


def test_admin_lists_and_details_are_scoped(tree, staff_a, compounds):
    client = admin_client(staff_a)
    response = client.get("/admin/organizations/compound/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "甲小区" in body and "乙小区" not in body
    assert client.get(f"/admin/organizations/compound/{compounds[0].pk}/change/").status_code == 200
    outside = client.get(f"/admin/organizations/compound/{compounds[1].pk}/change/")
    # Django admin redirects to the index with "does not exist" for rows the queryset hides.
    assert outside.status_code in (302, 404)
    assert "乙小区" not in client.get("/admin/organizations/compound/?q=乙").content.decode()


def test_admin_tree_counts_and_choices_scoped(tree, staff_a, compounds):
    client = admin_client(staff_a)
    body = client.get("/admin/organizations/organization/").content.decode()
    assert "A社区" in body and "B社区" not in body
    assert "B支部" not in body
    assert client.get("/admin/organizations/compound/add/").status_code == 200
    auto = client.get(
        "/admin/autocomplete/",
        {"app_label": "organizations", "model_name": "compound", "field_name": "branch", "term": "支部"},
    )
    assert auto.status_code == 200
    names = [r["text"] for r in auto.json()["results"]]
    assert "A支部" in names and "B支部" not in names


def test_api_scope(tree, staff_a, api_client_for, compounds):
    client = api_client_for(staff_a)
    data = client.get("/api/v1/compounds/").json()
    assert data["count"] == 1 and data["results"][0]["name"] == "甲小区"
    assert client.get(f"/api/v1/compounds/{compounds[1].pk}/").status_code == 404
    assert client.get(f"/api/v1/organizations/{tree['community_b'].pk}/").status_code == 404
    # A subtree filter pointing outside the scope matches nothing rather than leaking.
    assert client.get(f"/api/v1/compounds/?org={tree['district'].pk}").json()["count"] == 0
    orgs = client.get("/api/v1/organizations/").json()
    assert {o["name"] for o in orgs["results"]} == {"A社区", "A支部", "A党小组"}
    # Cumulative counts never include what is outside the scope.
    community = next(o for o in orgs["results"] if o["name"] == "A社区")
    assert community["counts"]["compound_count"] == 1


def test_api_cannot_write_outside_scope(tree, staff_a, api_client_for, compounds):
    client = api_client_for(staff_a)
    response = client.post(
        "/api/v1/compounds/", {"name": "偷建小区", "community": tree["community_b"].pk}, format="json"
    )
    assert response.status_code == 400
    assert "community" in response.json()["errors"]
    assert not Compound.objects.filter(name="偷建小区").exists()


def test_secretary_and_api_client_cannot_write(tree, api_client_for, compounds):
    from organizations.models import Role
    from tests.factories import make_user

    reader = make_user("reader", tree["district"], Role.API_CLIENT)
    client = api_client_for(reader)
    assert client.get("/api/v1/compounds/").json()["count"] == 2
    response = client.patch(f"/api/v1/compounds/{compounds[0].pk}/", {"households": 5}, format="json")
    assert response.status_code == 403


def test_scope_change_takes_effect(tree, staff_a, compounds):
    from organizations.models import Role

    services.access_scope_set(user=staff_a, organization=tree["community_b"], role=Role.COMMUNITY_STAFF)
    forget_scope(staff_a)
    assert list(Compound.objects.for_user(staff_a).values_list("name", flat=True)) == ["乙小区"]
