"""The member's own pages: only their own rows; wishes and requests through the projects
services; the points of a fulfilled wish counted once, from the wish."""

import datetime

import pytest

from members.models import MemberEvent, PointsEntry
from members.points import award_points
from projects import services as project_services
from projects.models import RequestStatus, WishStatus
from projects.portal import services as portal_services
from tests.factories import make_ledger_meeting
from tests.portal.conftest import photo

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def wish(tree, compound):
    return project_services.wish_publish(
        community=tree["community_a"],
        compound=compound,
        resident_name="张桂芳",
        content="修水龙头",
        published_on=datetime.date(2026, 6, 1),
    )


def _dispatch(compound, member, description):
    """A resident request triaged and dispatched to ``member`` through the projects services."""
    req = project_services.request_submit(
        compound=compound,
        category="facilities",
        description=description,
        resident_name="吴敏",
        received_on=datetime.date(2026, 6, 1),
    )
    req = project_services.request_triage(request=req, triage="minor")
    return project_services.request_dispatch(
        request=req, member=member, due_on=datetime.date(2030, 1, 1), dispatched_on=datetime.date(2026, 6, 2)
    )


@pytest.fixture
def dispatched(compound, people):
    return _dispatch(compound, people["me"], "门禁失灵")


def test_every_page_answers_for_the_member(member_client, meeting, wish, dispatched):
    for url in (
        "/me/",
        "/me/life/",
        "/me/points/",
        "/me/dues/",
        "/me/report/",
        "/me/checkins/",
        "/me/wishes/",
        "/me/requests/",
        f"/me/requests/{dispatched.pk}/",
    ):
        response = member_client.get(url)
        assert response.status_code == 200, url
    home = member_client.get("/me/").content.decode()
    assert "我的志愿岗位" in home and "小区微心愿" in home and "派给我的群众诉求" in home


def test_life_counts_only_my_meetings(member_client, tree, people):
    make_ledger_meeting(tree["branch_a"], [people["me"], people["other"]], topic="我参加的会")
    make_ledger_meeting(tree["branch_a"], [people["other"]], absent=[people["me"]], topic="我缺席的会")
    response = member_client.get("/me/life/")
    body = response.content.decode()
    assert response.context["totals"]["total"] == 1 and response.context["totals"]["from_branch"] == 1
    assert "我参加的会" in body and "我缺席的会" not in body


def test_points_show_only_mine_with_their_event(member_client, tree, people):
    make_ledger_meeting(tree["branch_a"], [people["me"], people["other"]], topic="积分来源会议")
    award_points()
    response = member_client.get("/me/points/")
    rows = response.context["rows"]
    assert rows and all(entry.member_id == people["me"].pk for entry, _source in rows)
    assert "积分来源会议" in response.content.decode()


def test_requests_of_others_are_not_found(member_client, compound, people):
    req = _dispatch(compound, people["other"], "别人的诉求")
    assert member_client.get(f"/me/requests/{req.pk}/").status_code == 404
    assert "别人的诉求" not in member_client.get("/me/requests/").content.decode()


def test_claim_and_fulfil_a_wish_points_once(member_client, people, wish):
    assert "修水龙头" in member_client.get("/me/wishes/").content.decode()
    member_client.post(f"/me/wishes/{wish.pk}/claim/")
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED and wish.claimed_by_id == people["me"].pk
    done = member_client.post(f"/me/wishes/{wish.pk}/fulfil/", {"note": "换好了", "photo": photo("x.png")})
    assert done.status_code == 302  # a real photo is accepted
    award_points()  # the worker's run after the portal's own: still one entry
    award_points()
    entries = PointsEntry.objects.filter(member=people["me"], kind="micro_wish")
    assert entries.count() == 1 and entries.get().source_id == wish.pk


def test_fulfil_refuses_a_fake_photo(member_client, people, wish):
    from django.core.files.uploadedfile import SimpleUploadedFile

    portal_services.member_wish_claim(wish=wish, member=people["me"])
    fake = SimpleUploadedFile("x.png", b"<script>alert(1)</script>", content_type="image/png")
    response = member_client.post(f"/me/wishes/{wish.pk}/fulfil/", {"note": "换好了", "photo": fake})
    assert response.status_code == 200 and response.context["form"].errors.get("photo")
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED


def test_accept_progress_resolve_a_dispatched_request(member_client, people, dispatched):
    url = f"/me/requests/{dispatched.pk}/"
    refused = member_client.post(url, {"action": "resolve", "resolution": "修好了"})
    assert refused.status_code == 200
    member_client.post(url, {"action": "accept"})
    member_client.post(url, {"action": "progress", "note": "已联系物业"})
    member_client.post(url, {"action": "resolve", "resolution": "门禁已修复"})
    dispatched.refresh_from_db()
    assert dispatched.status == RequestStatus.RESOLVED and dispatched.resolution == "门禁已修复"
    history = portal_services.request_history(dispatched)
    assert len(history) == 2 and "已联系物业" in member_client.get(url).content.decode()


def test_report_to_the_compound(member_client, people):
    response = member_client.post("/me/report/", {"employer": "区人民医院", "post": "民情联络员"})
    assert response.status_code == 302
    event = MemberEvent.objects.filter(member=people["me"], kind="reported").get()
    assert "民情联络员" in event.note
