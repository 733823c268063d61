"""Implausible values are refused on every path (API, admin, phone page), from one rule set."""

from __future__ import annotations

import datetime
import re

import pytest

from members import crypto
from members.models import Meeting, Member
from organizations.models import Compound, Role
from tests.factories import make_user

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def api(tree, api_client_for):
    return api_client_for(make_user("rules_plausible", tree["district"], Role.DISTRICT_ADMIN))


def _member_body(tree, **extra):
    return {
        "name": "李明",
        "id_number": crypto.make_id_number("500108", datetime.date(1970, 1, 1), 77),
        "branch": tree["branch_a"].pk,
        "party_status": "full",
        "admitted_on": "1995-07-01",
        "full_member_on": "1996-07-01",
        **extra,
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("admitted_on", "9999-12-31"),
        ("admitted_on", "1920-12-31"),
        ("name", "李\u202e明"),
        ("name", "李\x07明"),
        ("name", "李\n明"),
        ("note", "x" * 1_000_000),
    ],
)
def test_member_api_refuses_implausible_values(tree, api, field, value):
    response = api.post("/api/v1/members/", _member_body(tree, **{field: value}), format="json")
    assert response.status_code == 400, response.json()
    assert CHINESE.search(response.json()["errors"][field][0])
    assert not Member.objects.exists()


def test_member_api_accepts_a_multiline_note(tree, api):
    response = api.post("/api/v1/members/", _member_body(tree, note="第一行\n第二行"), format="json")
    assert response.status_code == 201, response.json()


def test_compound_built_in_the_year_3000_is_refused(tree, api):
    body = {"name": "未来小区", "kind": "property_managed", "community": tree["community_a"].pk, "built_year": 3000}
    response = api.post("/api/v1/compounds/", body, format="json")
    assert response.status_code == 400
    assert CHINESE.search(response.json()["errors"]["built_year"][0])
    assert api.post("/api/v1/compounds/", {**body, "built_year": 1998}, format="json").status_code == 201
    assert Compound.objects.get().built_year == 1998


def test_one_megabyte_of_minutes_is_refused(tree, api):
    body = {
        "organization": tree["branch_a"].pk,
        "kind": "theme_day",
        "held_at": "2025-05-01T09:00",
        "topic": "学习",
        "minutes": "x" * 1_000_000,  # 1 MB (3 MB of Chinese is over the request size limit)
    }
    response = api.post("/api/v1/meetings/", body, format="json")
    assert response.status_code == 400
    assert "minutes" in response.json()["errors"]
    assert not Meeting.objects.exists()


def _member_far_future_admission(tree):
    return {
        "name": "王芳",
        "gender": "female",
        "branch": tree["branch_a"].pk,
        "party_status": "full",
        "admitted_on": "9999-12-31",
        "occupation_status": "retired",
        "ethnicity": "01",
    }


def _compound_reversed_name(tree):
    return {
        "name": "幸福\u202e小区",
        "kind": "property_managed",
        "community": tree["community_a"].pk,
        "households": 0,
        "building_count": 0,
        "buildings-TOTAL_FORMS": "0",
        "buildings-INITIAL_FORMS": "0",
        "buildings-MIN_NUM_FORMS": "0",
        "buildings-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.parametrize(
    ("url", "form", "field", "model"),
    [
        ("/admin/members/member/add/", _member_far_future_admission, "admitted_on", Member),
        ("/admin/organizations/compound/add/", _compound_reversed_name, "name", Compound),
    ],
    ids=["member_far_future_admission", "compound_reversed_name"],
)
def test_admin_form_refuses_an_implausible_value(tree, admin_client, url, form, field, model):
    response = admin_client.post(url, form(tree))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not model.objects.exists()


def test_an_old_member_born_before_1921_is_accepted_but_not_before_1900(tree, api):
    born = datetime.date(1918, 3, 1)
    body = _member_body(tree, id_number=crypto.make_id_number("500108", born, 78), birth_date="1918-03-01")
    body.update(admitted_on="1945-07-01", full_member_on="1946-07-01")
    assert api.post("/api/v1/members/", body, format="json").status_code == 201
    bad = api.post("/api/v1/members/", {**body, "birth_date": "1899-12-31"}, format="json")
    assert bad.status_code == 400 and "birth_date" in bad.json()["errors"]


def test_a_body_over_the_size_limit_is_a_json_400(tree, api):
    body = {"organization": tree["branch_a"].pk, "kind": "theme_day", "held_at": "2025-05-01T09:00", "topic": "学习"}
    response = api.post("/api/v1/meetings/", {**body, "minutes": "记" * 1_000_000}, format="json")  # 3 MB
    assert response.status_code == 400
    assert CHINESE.search(response.json()["detail"])
