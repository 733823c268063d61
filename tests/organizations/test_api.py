"""API basics: token auth, JSON errors, bad input is 400, health check, query counts."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from organizations import services
from organizations.models import Organization, Role
from tests.factories import make_org, make_user


def test_token_auth(tree):
    make_user("tokenuser", tree["community_a"], Role.COMMUNITY_STAFF)
    client = APIClient()
    bad = client.post("/api/v1/auth/token/", {"username": "tokenuser", "password": "wrong"}, format="json")
    assert bad.status_code == 400
    response = client.post(
        "/api/v1/auth/token/", {"username": "tokenuser", "password": "Test-password-2026"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert APIClient().get("/api/v1/organizations/").status_code in (401, 403)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    data = client.get("/api/v1/organizations/").json()
    assert {o["name"] for o in data["results"]} == {"A社区", "A支部", "A党小组"}


def test_malformed_json_is_400(tree, district_admin, api_client_for):
    client = api_client_for(district_admin)
    response = client.generic("POST", "/api/v1/compounds/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_unknown_fields_and_wrong_types_are_400(tree, district_admin, api_client_for):
    client = api_client_for(district_admin)
    response = client.post(
        "/api/v1/compounds/",
        {"name": "新小区", "community": tree["community_a"].pk, "househods": 3},
        format="json",
    )
    assert response.status_code == 400
    assert "househods" in response.json()["errors"]
    response = client.post(
        "/api/v1/compounds/", {"name": "新小区", "community": "abc", "households": "many"}, format="json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "community" in errors and "households" in errors
    response = client.post("/api/v1/compounds/", ["not", "an", "object"], format="json")
    assert response.status_code == 400


def test_service_rule_errors_are_400_with_field(tree, district_admin, api_client_for):
    client = api_client_for(district_admin)
    response = client.post(
        "/api/v1/compounds/",
        {"name": "越界", "community": tree["community_a"].pk, "branch": tree["branch_b"].pk},
        format="json",
    )
    assert response.status_code == 400
    assert "branch" in response.json()["errors"]


def test_create_and_move_through_api(tree, district_admin, api_client_for):
    client = api_client_for(district_admin)
    created = client.post(
        "/api/v1/organizations/",
        {"name": "新支部", "code": "NEW-1", "kind": "compound_branch", "parent": tree["community_a"].pk},
        format="json",
    )
    assert created.status_code == 201, created.content
    node_id = created.json()["id"]
    assert created.json()["formation"] == "standalone"
    moved = client.post(f"/api/v1/organizations/{node_id}/move/", {"target": tree["community_b"].pk}, format="json")
    assert moved.status_code == 200 and moved.json()["parent"] == tree["community_b"].pk
    refused = client.post(f"/api/v1/organizations/{node_id}/move/", {"target": tree["street"].pk}, format="json")
    assert refused.status_code == 400
    assert "新支部" in str(refused.json())
    assert services.tree_problems() == []
    wrong_kind = client.post(
        "/api/v1/organizations/",
        {"name": "错支部", "code": "NEW-2", "kind": "compound_branch", "parent": tree["street"].pk},
        format="json",
    )
    assert wrong_kind.status_code == 400
    assert not Organization.objects.filter(code="NEW-2").exists()


def test_dissolve_action(tree, district_admin, api_client_for):
    client = api_client_for(district_admin)
    refused = client.post(
        f"/api/v1/organizations/{tree['branch_a'].pk}/dissolve/", {"dissolved_on": "2026-03-01"}, format="json"
    )
    assert refused.status_code == 400
    ok = client.post(
        f"/api/v1/organizations/{tree['branch_b'].pk}/dissolve/", {"dissolved_on": "2026-03-01"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["dissolved_on"] == "2026-03-01"


def test_no_delete(tree, district_admin, api_client_for):
    client = api_client_for(district_admin)
    assert client.delete(f"/api/v1/organizations/{tree['group_a'].pk}/").status_code in (403, 405)
    assert Organization.objects.filter(pk=tree["group_a"].pk).exists()


def test_filters(tree, district_admin, api_client_for):
    client = api_client_for(district_admin)
    sub = client.get(f"/api/v1/organizations/?org={tree['community_a'].pk}").json()
    assert {o["name"] for o in sub["results"]} == {"A社区", "A支部", "A党小组"}
    children = client.get(f"/api/v1/organizations/?parent_id={tree['street'].pk}").json()
    assert {o["name"] for o in children["results"]} == {"A社区", "B社区"}
    branches = client.get("/api/v1/organizations/?kind=compound_branch&q=A").json()
    assert {o["name"] for o in branches["results"]} == {"A支部"}


@pytest.mark.parametrize("extra_branches", [1, 50])
def test_list_queries_constant(tree, district_admin, api_client_for, django_assert_max_num_queries, extra_branches):
    for _ in range(extra_branches):
        branch = make_org("compound_branch", tree["community_a"])
        services.compound_save(name=f"小区{branch.pk}", community=tree["community_a"], branch=branch)
    client = api_client_for(district_admin)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/organizations/?page_size=100").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/compounds/?page_size=100").status_code == 200


def test_healthz(db):
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"


def test_openapi_schema_and_docs_offline(tree, district_admin):
    client = Client()
    client.force_login(district_admin)
    assert client.get("/api/v1/schema/").status_code == 200
    docs = client.get("/api/v1/docs/").content.decode()
    assert "cdn" not in docs.lower() and "jsdelivr" not in docs.lower()
