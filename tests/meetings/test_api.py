"""API: /api/v1/meetings/ (nested attendance, services, 412 on a stale version, scope, query
counts) and /api/v1/compliance/."""

import datetime

import pytest
from django.utils import timezone

from members.meetings import meeting_record
from members.models import Meeting, MeetingKind
from tests.factories import NumberedMemberFactory

pytestmark = pytest.mark.django_db


def past(days=1):
    return (timezone.now() - datetime.timedelta(days=days)).isoformat()


def test_create_with_attendance_and_dedup(api_client_for, secretary_a, branch):
    members = [NumberedMemberFactory(branch=branch) for _ in range(3)]
    client = api_client_for(secretary_a)
    payload = {
        "organization": branch.pk,
        "kind": "party_congress",
        "held_at": past(),
        "topic": "大会",
        "attendance": [{"member": m.pk, "status": "present"} for m in members[:2]],
        "resolutions": [{"text": "通过", "votes_for": 2}],
        "dedup_key": "k-1",
    }
    response = client.post("/api/v1/meetings/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["quorum_met"] is True and body["voting_due"] == 3 and len(body["attendance"]) == 3
    assert body["resolutions"][0]["passed"] is True
    again = client.post("/api/v1/meetings/", payload, format="json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"held_at": (timezone.now() + datetime.timedelta(days=2)).isoformat()}, "held_at"),
        ({"kind": "party_lecture"}, "lecturer"),
        ({"kind": "branch_committee"}, "kind"),
        ({"colour": "red"}, "colour"),
        ({"kind": "nope"}, "kind"),
    ],
)
def test_bad_input_is_400(api_client_for, secretary_a, branch, change, field):
    NumberedMemberFactory(branch=branch)
    payload = {"organization": branch.pk, "kind": "theme_day", "held_at": past(), "topic": "t", **change}
    response = api_client_for(secretary_a).post("/api/v1/meetings/", payload, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert Meeting.objects.count() == 0


def test_other_branch_member_and_org_refused(api_client_for, secretary_a, tree, branch):
    stranger = NumberedMemberFactory(branch=tree["branch_b"])
    client = api_client_for(secretary_a)
    payload = {
        "organization": branch.pk,
        "kind": "theme_day",
        "held_at": past(),
        "topic": "t",
        "attendance": [{"member": stranger.pk, "status": "present"}],
    }
    assert client.post("/api/v1/meetings/", payload, format="json").status_code == 400
    payload = {"organization": tree["branch_b"].pk, "kind": "theme_day", "held_at": past(), "topic": "t"}
    assert client.post("/api/v1/meetings/", payload, format="json").status_code == 400
    assert Meeting.objects.count() == 0


def test_update_version_412(api_client_for, secretary_a, branch):
    m = NumberedMemberFactory(branch=branch)
    meeting = meeting_record(
        organization=branch,
        kind=MeetingKind.THEME_DAY,
        held_at=timezone.now(),
        topic="t",
        attendance=[{"member": m.pk, "status": "present"}],
    )
    client = api_client_for(secretary_a)
    url = f"/api/v1/meetings/{meeting.pk}/"
    assert client.get(url)["ETag"] == '"1"'
    ok = client.patch(url, {"topic": "新"}, format="json", HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(url, {"topic": "旧"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412 and stale.json()["code"] == "stale"
    assert client.patch(url, {"topic": "无版本"}, format="json").status_code == 428
    assert client.patch(url, {"topic": "字段版本", "version": 2}, format="json").status_code == 200
    assert Meeting.objects.get().topic == "字段版本"


def test_scope_and_list_queries(api_client_for, secretary_a, secretary_b, branch, django_assert_max_num_queries):
    members = [NumberedMemberFactory(branch=branch) for _ in range(5)]

    def add(n):
        for i in range(n):
            meeting_record(
                organization=branch,
                kind=MeetingKind.THEME_DAY,
                held_at=timezone.now() - datetime.timedelta(days=i + 1, minutes=Meeting.objects.count()),
                topic=f"t{i}",
                attendance=[{"member": m.pk, "status": "present"} for m in members],
            )

    add(1)
    client = api_client_for(secretary_a)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/api/v1/meetings/")  # warm the user's permission cache
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/meetings/").json()["count"] == 1
    add(49)
    with CaptureQueriesContext(connection) as fifty:
        assert client.get("/api/v1/meetings/").json()["count"] == 50
    assert len(one.captured_queries) == len(fifty.captured_queries)
    other = api_client_for(secretary_b)
    assert other.get("/api/v1/meetings/").json()["count"] == 0
    assert other.get(f"/api/v1/meetings/{Meeting.objects.first().pk}/").status_code == 404


def test_compliance_endpoint(api_client_for, district_admin, staff_b, tree, branch):
    m = NumberedMemberFactory(branch=branch)
    meeting_record(
        organization=branch,
        kind=MeetingKind.THEME_DAY,
        held_at=datetime.datetime(2026, 7, 5, 19, tzinfo=datetime.UTC),
        topic="t",
        attendance=[{"member": m.pk, "status": "present"}],
    )
    client = api_client_for(district_admin)
    body = client.get(f"/api/v1/compliance/?org={tree['district'].pk}&year=2026&period=Q3").json()
    assert body["rollup"]["branches_total"] == 2
    by_code = {b["branch"]["id"]: b for b in body["branches"]}
    theme = next(k for k in by_code[branch.pk]["kinds"] if k["kind"] == "theme_day")
    assert (theme["held"], theme["required"], theme["gap"]) == (1, 3, 2)
    assert client.get(f"/api/v1/compliance/?org={tree['district'].pk}&year=2026&period=Q9").status_code == 400
    assert client.get("/api/v1/compliance/?year=2026").status_code == 400
    # staff of community B cannot see the district node
    assert api_client_for(staff_b).get(f"/api/v1/compliance/?org={tree['district'].pk}&year=2026").status_code == 404
    body = api_client_for(staff_b).get(f"/api/v1/compliance/?org={tree['community_b'].pk}&year=2026").json()
    assert body["rollup"]["branches_total"] == 1


def test_compliance_branches_are_paged(api_client_for, district_admin, tree, branch):
    client = api_client_for(district_admin)
    url = f"/api/v1/compliance/?org={tree['district'].pk}&year=2026"
    whole = client.get(url).json()
    assert whole["branches_count"] == whole["rollup"]["branches_total"] == 2
    first = client.get(url + "&page_size=1").json()
    second = client.get(url + "&page_size=1&page=2").json()
    assert len(first["branches"]) == len(second["branches"]) == 1
    ids = [first["branches"][0]["branch"]["id"], second["branches"][0]["branch"]["id"]]
    assert ids == [b["branch"]["id"] for b in whole["branches"]]
    assert client.get(url + "&page=3&page_size=1").json()["branches"] == []
    bad = client.get(url + "&page_size=0")
    assert bad.status_code == 400 and "page_size" in bad.json()["errors"]
