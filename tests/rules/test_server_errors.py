"""Inputs that used to be 500s are 400s with a Chinese message (or a form error)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

import config.api_urls
from core.api.parsers import MAX_JSON_DEPTH, json_depth_exceeds
from organizations import services
from organizations.models import Building, Compound, OrganizationKind, Role
from tests.factories import make_org, make_user
from tests.routes import walk_routes

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def create_endpoints():
    """Every router list URL of ``/api/v1/`` that answers POST."""
    out = []
    for regex, pattern in walk_routes(config.api_urls.urlpatterns):
        actions = getattr(pattern.callback, "actions", None) or {}
        if regex.endswith("/$") and "(?P<" not in regex and actions.get("post") == "create":
            out.append("/api/v1/" + regex.strip("^$"))
    return out


def test_the_endpoints_are_found():
    assert {"/api/v1/members/", "/api/v1/meetings/", "/api/v1/organizations/"} <= set(create_endpoints())


@pytest.fixture
def admin_api(tree, api_client_for):
    return api_client_for(make_user("rules_admin", tree["district"], Role.DISTRICT_ADMIN))


@pytest.mark.parametrize("body", ["[" * 100_000, '{"a":' * 50_000])
def test_deeply_nested_json_is_a_400_on_every_create_endpoint(admin_api, body):
    for url in create_endpoints():
        response = admin_api.post(url, body, content_type="application/json")
        assert response.status_code == 400, (url, response.status_code)
        assert CHINESE.search(response.json()["detail"]), url


def test_depth_scan_ignores_brackets_inside_strings():
    assert not json_depth_exceeds('{"topic": "' + "[" * 1000 + '"}')
    assert json_depth_exceeds("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1))
    assert not json_depth_exceeds("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH)


def test_a_normal_nested_body_still_parses(admin_api, tree):
    response = admin_api.post(
        "/api/v1/meetings/",
        {"organization": tree["branch_a"].pk, "kind": "theme_day", "held_at": "2025-05-01T09:00", "topic": "学习"},
        format="json",
    )
    assert response.status_code == 201, response.json()


def test_meeting_in_year_one_is_a_400(admin_api, tree):
    response = admin_api.post(
        "/api/v1/meetings/",
        {"organization": tree["branch_a"].pk, "kind": "theme_day", "held_at": "0001-01-01", "topic": "学习"},
        format="json",
    )
    assert response.status_code == 400
    assert CHINESE.search(response.json()["errors"]["held_at"][0])


@pytest.mark.parametrize("days", ["99999999999999", "-99999999999999", "3651"])
def test_expiring_agreements_with_a_huge_window_is_a_400(admin_api, days):
    response = admin_api.get(f"/api/v1/agreements/expiring/?days={days}")
    assert response.status_code == 400
    assert CHINESE.search(response.json()["errors"]["days"][0])


def test_expiring_agreements_far_date_is_a_400(admin_api):
    response = admin_api.get("/api/v1/agreements/expiring/?today=9999-12-31")
    assert response.status_code == 400


def test_meeting_filter_with_an_offset_postgres_refuses_is_a_400(admin_api):
    response = admin_api.get("/api/v1/meetings/?held_after=2026-01-06T17:35:39-21:53")
    assert response.status_code == 400
    assert CHINESE.search(str(response.json()["errors"]["held_after"]))
    assert admin_api.get("/api/v1/meetings/?held_after=2026-01-06T17:35:39%2B08:00").status_code == 200


def test_dashboard_with_a_month_thirteen_is_a_400(tree):
    client = Client()
    client.force_login(make_user("rules_dash", tree["district"], Role.DISTRICT_ADMIN))
    response = client.get("/dashboard/?from=2026-13-01")
    assert response.status_code == 400
    assert CHINESE.search(response.content.decode())
    assert client.get("/dashboard/?from=2026-01-01").status_code == 200


def test_admin_compound_inline_with_a_group_of_another_branch_is_a_form_error(tree, admin_client):
    other_group = make_org(OrganizationKind.GROUP, tree["branch_b"], name="B党小组")
    compound = services.compound_save(
        name="幸福小区", kind="property_managed", community=tree["community_a"], branch=tree["branch_a"]
    )
    data = {
        "name": compound.name,
        "kind": compound.kind,
        "community": tree["community_a"].pk,
        "branch": tree["branch_a"].pk,
        "address": "",
        "households": 0,
        "building_count": 0,
        "built_year": "",
        "buildings-TOTAL_FORMS": "1",
        "buildings-INITIAL_FORMS": "0",
        "buildings-MIN_NUM_FORMS": "0",
        "buildings-MAX_NUM_FORMS": "1000",
        "buildings-0-name": "1栋",
        "buildings-0-units": "2",
        "buildings-0-households": "40",
        "buildings-0-group": other_group.pk,
    }
    response = admin_client.post(f"/admin/organizations/compound/{compound.pk}/change/", data)
    assert response.status_code == 200  # the form again, with the error on the row
    assert "不属于" in response.content.decode() or CHINESE.search(str(response.context["inline_admin_formsets"]))
    assert not Building.objects.filter(compound=compound).exists()
    assert Compound.objects.get(pk=compound.pk).name == "幸福小区"
