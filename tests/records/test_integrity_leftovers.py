"""Issue 14 leftovers through the user's path: the meeting API needs each attendee's status,
and the member API's 失联 filter counts as the statistics do."""

import datetime

import pytest
from django.utils import timezone

from members import organizational_life
from members.models import Attendance, Member
from tests.factories import RosterMemberFactory

pytestmark = pytest.mark.django_db


def test_meeting_api_refuses_an_attendee_without_a_status(tree, district_admin, api_client_for):
    members = [RosterMemberFactory(branch=tree["branch_a"]) for _ in range(3)]
    payload = {
        "organization": tree["branch_a"].pk,
        "kind": "party_congress",
        "held_at": (timezone.now() - datetime.timedelta(days=1)).isoformat(),
        "topic": "大会",
        "attendance": [{"member": members[0].pk}, {"member": members[1].pk, "status": "present"}],
    }
    client = api_client_for(district_admin)
    response = client.post("/api/v1/meetings/", payload, format="json")
    assert response.status_code == 400, response.json()
    assert not Attendance.objects.exists()
    payload["attendance"][0]["status"] = "absent"
    created = client.post("/api/v1/meetings/", payload, format="json")
    assert created.status_code == 201, created.json()
    patched = client.patch(
        f"/api/v1/meetings/{created.json()['id']}/",
        {"attendance": [{"member": members[2].pk}], "version": created.json()["version"]},
        format="json",
    )
    assert patched.status_code == 400
    assert not Attendance.objects.filter(member=members[2], status="present").exists()


def test_lost_contact_filter_is_the_statistics_definition(tree, district_admin, api_client_for):
    long_ago = RosterMemberFactory(branch=tree["branch_a"])  # joined 2026-01-01, no attendance since
    Member.objects.filter(pk=long_ago.pk).update(branch_joined_on=datetime.date(2024, 1, 1))
    recent = RosterMemberFactory(branch=tree["branch_a"])
    Member.objects.filter(pk=recent.pk).update(branch_joined_on=timezone.localdate())
    client = api_client_for(district_admin)
    lost = {m["id"] for m in client.get("/api/v1/members/", {"lost_contact": "true"}).json()["results"]}
    kept = {m["id"] for m in client.get("/api/v1/members/", {"lost_contact": "false"}).json()["results"]}
    expected = set(
        Member.objects.filter(organizational_life.lost_contact_listed_q(timezone.localdate())).values_list(
            "pk", flat=True
        )
    )
    assert lost == expected == {long_ago.pk}
    assert recent.pk in kept and long_ago.pk not in kept
