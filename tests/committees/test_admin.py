"""Admin: scoped lists, 404 outside the scope, rule errors as form errors, Excel export."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from committees.models import Committee, ServiceContract
from organizations.models import Role
from tests.committees.helpers import firm
from tests.factories import make_user


@pytest.fixture
def admin_a(tree):
    user = make_user("admin_a", tree["community_a"], Role.COMMUNITY_STAFF, is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def test_changelists_are_scoped(two_sides, admin_a):
    for path, own, other in (
        ("committee", "A小区", "B小区"),
        ("propertyfirm", "A物业", "B物业"),
        ("matter", "a议题", "b议题"),
        ("seat", "a主任", "b主任"),
    ):
        response = admin_a.get(f"/admin/committees/{path}/")
        assert response.status_code == 200, path
        text = response.content.decode()
        assert own in text and other not in text, path


def test_other_community_change_page_is_not_shown(two_sides, admin_a):
    other = two_sides["b"]["committee"]
    response = admin_a.get(f"/admin/committees/committee/{other.pk}/change/", follow=True)
    assert response.status_code in (302, 404) or "不存在" in response.content.decode()
    assert admin_a.get(f"/admin/committees/committee/{two_sides['a']['committee'].pk}/change/").status_code == 200


def test_firm_page_shows_compounds_and_evaluation(two_sides, admin_a):
    f = two_sides["a"]["firm"]
    text = admin_a.get(f"/admin/committees/propertyfirm/{f.pk}/change/").content.decode()
    assert "A小区" in text and "B小区" not in text
    assert "平均评价得分" in text


def test_overlapping_contract_is_a_form_error(two_sides, admin_a):
    place = two_sides["a"]["compound"]
    other_firm = firm(name="后来物业", created_in=place.community)
    response = admin_a.post(
        "/admin/committees/servicecontract/add/",
        {"firm": other_firm.pk, "compound": place.pk, "started_on": "2024-01-01", "fee_per_m2_month": "1.00"},
    )
    assert response.status_code == 200
    assert "A物业" in response.content.decode()
    assert ServiceContract.objects.filter(compound=place).count() == 1


def test_body_with_inline_seats_saved_through_rules(two_sides, admin_a):
    place = two_sides["a"]["compound"]
    data = {
        "compound": place.pk,
        "kind": "supervision_group",
        "term_number": 1,
        "elected_on": "2024-01-01",
        "term_ends_on": "2023-01-01",
        "status": "active",
        "note": "",
        "seats-TOTAL_FORMS": "1",
        "seats-INITIAL_FORMS": "0",
        "seats-MIN_NUM_FORMS": "0",
        "seats-MAX_NUM_FORMS": "1000",
        "seats-0-role": "member",
        "seats-0-holder_name": "监督员",
        "seats-0-started_on": "2024-01-01",
        "seats-0-ended_on": "",
    }
    response = admin_a.post("/admin/committees/committee/add/", data)
    assert response.status_code == 200 and "任期届满日期必须晚于选举日期" in response.content.decode()
    data["term_ends_on"] = "2027-01-01"
    response = admin_a.post("/admin/committees/committee/add/", data)
    assert response.status_code == 302
    body = Committee.objects.get(compound=place, kind="supervision_group")
    assert body.seats.get().holder_name == "监督员"


@pytest.mark.parametrize(
    ("model", "header"),
    [("committee", "届次"), ("seat", "任职人"), ("propertyfirm", "统一社会信用代码")],
)
def test_excel_export(two_sides, admin_a, model, header):
    from django.apps import apps

    model_cls = apps.get_model("committees", model)
    ids = list(model_cls.objects.values_list("pk", flat=True))
    response = admin_a.post(
        f"/admin/committees/{model}/",
        {"action": f"export_{'firms' if model == 'propertyfirm' else model + 's'}", "_selected_action": ids},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert header in rows[0]
    assert len(rows) == 2  # header + the one row in community A (B's ids are ignored)


def test_negative_list_read_by_community_edited_by_district(tree, admin_a):
    from committees.models import NegativeListItem

    item = NegativeListItem.objects.create(code="FM01", reason="拖欠物业费")
    assert "拖欠物业费" in admin_a.get("/admin/committees/negativelistitem/").content.decode()
    assert (
        admin_a.post(
            f"/admin/committees/negativelistitem/{item.pk}/change/", {"code": "FM01", "reason": "改", "active": "on"}
        ).status_code
        == 403
    )
    district = make_user("district_staff", tree["district"], Role.DISTRICT_ADMIN, is_staff=True)
    client = Client()
    client.force_login(district)
    response = client.post(
        f"/admin/committees/negativelistitem/{item.pk}/change/",
        {"code": "FM01", "reason": "拖欠物业服务费", "legal_basis": "", "active": "on"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.reason == "拖欠物业服务费"


def test_governance_page_in_admin(two_sides, tree, admin_a):
    text = admin_a.get("/admin/committees/committee/").content.decode()
    assert "自治组织统计" in text
    response = admin_a.get("/admin/committees/committee/governance/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "A社区" in text and "B社区" not in text
    assert response.context["stats"]["owners_committees_formed"] == 1
    assert "100.0%" in text  # formation rate of community A
    assert admin_a.get(f"/admin/committees/committee/governance/?org={tree['community_b'].pk}").status_code == 404
