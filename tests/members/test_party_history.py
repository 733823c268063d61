"""A member's record tells their whole story: the admin's member page shows (read-only, in
Chinese) the history events, the changes of standing and the transfer letters, and the member
API's detail carries the same list as ``history`` (the list stays without it)."""

import datetime

import pytest
from django.test import Client

from members import services
from members.transfers import services as transfer_services
from members.transfers.status import member_record_death
from tests.factories import RosterMemberFactory, make_transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def storied(tree):
    member = RosterMemberFactory(
        branch=tree["branch_a"], name="周晓梅", party_status="probationary", admitted_on=datetime.date(2025, 9, 1)
    )
    member = services.member_extend_probation(member=member, months=6, today=datetime.date(2026, 9, 1))
    transfer = make_transfer(member, kind="out", to_name="广东省深圳市某街道党工委", issue=True)
    transfer_services.transfer_return(transfer=transfer, reason="接收方不符", today=datetime.date(2026, 9, 10))
    return member_record_death(member=member, on=datetime.date(2026, 10, 1), reason="病故")


def test_admin_member_page_shows_the_whole_story(tree, storied, district_admin):
    district_admin.is_staff = True
    district_admin.save()
    client = Client()
    client.force_login(district_admin)
    html = client.get(f"/admin/members/member/{storied.pk}/change/").content.decode()
    assert "党内经历" in html
    for text in ("延长预备期", "在册 → 已去世", "病故", "组织关系转接", "已退回", "广东省深圳市某街道党工委"):
        assert text in html, text
    for code in ("deceased", "probation_extended", "returned"):
        assert f">{code}<" not in html


def test_api_detail_has_the_history_and_the_list_does_not(tree, storied, district_admin, api_client_for):
    client = api_client_for(district_admin)
    detail = client.get(f"/api/v1/members/{storied.pk}/").json()
    titles = [entry["title"] for entry in detail["history"]]
    assert any("延长预备期" in t for t in titles)
    assert any("已去世" in t for t in titles)
    assert [e["source"] for e in detail["history"]].count("transfer") == 1
    dates = [e["on"] for e in detail["history"]]
    assert dates == sorted(dates)
    rows = client.get("/api/v1/members/").json()["results"]
    assert rows and "history" not in rows[0]
