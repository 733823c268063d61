"""API: scores with breakdown and rank, points ledger and leaderboard, reminders in scope."""

import datetime

import pytest
from django.test.utils import CaptureQueriesContext

from members.points import award_points
from organizations.models import Reminder, ReminderStatus
from organizations.reminders import run_reminders
from organizations.scoring import score_branches
from tests.factories import make_org
from tests.scoring.conftest import Q3

TODAY = datetime.date(2026, 9, 24)


def test_scores_breakdown_rank_and_scope(world, district_admin, staff_b, api_client_for):
    score_branches(period=Q3)
    client = api_client_for(district_admin)
    body = client.get("/api/v1/scores/", {"period": Q3, "org": world["district"].pk}).json()
    assert body["count"] == 2
    top = body["results"][0]
    assert top["branch"] == world["branch_a"].pk and top["rank"] == 1 and top["total"] == "58.9"
    assert any(r["figure"].startswith("三会一课 6/8") for r in top["breakdown"]) or top["breakdown"]
    # community B staff see only branch B, ranked 1 within their subtree
    rows = api_client_for(staff_b).get("/api/v1/scores/", {"period": Q3}).json()["results"]
    assert [(r["branch"], r["rank"]) for r in rows] == [(world["branch_b"].pk, 1)]
    other = rows[0]["id"] + 10_000
    assert api_client_for(staff_b).get(f"/api/v1/scores/{other}/").status_code == 404


def test_scores_query_count_same_for_1_and_50(world, district_admin, api_client_for, django_assert_max_num_queries):
    from django.db import connection

    score_branches(period=Q3)
    client = api_client_for(district_admin)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/scores/", {"period": Q3}).status_code == 200
    for _ in range(48):
        make_org("compound_branch", world["community_b"])
    score_branches(period=Q3)
    # a fresh user object: the scope node cached on the old one has stale nested-set values
    client = api_client_for(type(district_admin).objects.get(pk=district_admin.pk))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/scores/", {"period": Q3}).json()["count"] == 50


def test_points_list_and_leaderboard(world, staff_a, staff_b, api_client_for):
    award_points()
    body = api_client_for(staff_a).get("/api/v1/points/", {"member": world["members"][0].pk}).json()
    assert body["count"] == 1 and body["results"][0]["points"] == 2
    assert api_client_for(staff_b).get("/api/v1/points/").json()["count"] == 0
    board = api_client_for(staff_a).get("/api/v1/points/leaderboard/").json()["results"]
    assert board[0]["points_total"] == 2
    assert api_client_for(staff_a).get("/api/v1/points/leaderboard/", {"org": "x"}).status_code == 400


def test_reminders_done_dismiss_and_scope(world, staff_a, staff_b, api_client_for):
    run_reminders(today=TODAY, send=False)
    client = api_client_for(staff_a)
    rows = client.get("/api/v1/reminders/", {"status": "open"}).json()["results"]
    assert rows and all(r["organization"] == world["branch_a"].pk for r in rows)
    pk = rows[0]["id"]
    assert api_client_for(staff_b).post(f"/api/v1/reminders/{pk}/done/").status_code == 404
    assert client.post(f"/api/v1/reminders/{pk}/done/", {"x": 1}, format="json").status_code == 400
    resp = client.post(f"/api/v1/reminders/{pk}/done/")
    assert resp.status_code == 200 and resp.json()["status"] == "done"
    again = client.post(f"/api/v1/reminders/{pk}/dismiss/")
    assert again.status_code == 400 and again.json()["errors"]["status"] == ["该提醒已关闭。"]
    assert Reminder.objects.get(pk=pk).status == ReminderStatus.DONE


@pytest.mark.parametrize("url", ["/api/v1/scores/", "/api/v1/points/", "/api/v1/reminders/"])
def test_anonymous_refused(db, url, client):
    assert client.get(url).status_code in (401, 403)
