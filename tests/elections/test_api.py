import datetime

import pytest

from members.models import AppraisalResult, AppraisalSession, Election, PositionKind
from organizations.models import Role
from tests.factories import make_party_member, make_user

pytestmark = pytest.mark.django_db
DAY = datetime.date(2024, 3, 1)


def _payload(branch, members, **over):
    posts = [PositionKind.SECRETARY, PositionKind.ORGANIZATION, PositionKind.PUBLICITY, ""]
    data = {
        "organization": branch.pk,
        "term_number": 1,
        "held_on": DAY.isoformat(),
        "method": "competitive",
        "seats": 3,
        "voters_entitled": 22,
        "voters_present": 20,
        "candidates": [{"member": m.pk, "votes": 15 if i < 3 else 4, "post": posts[i]} for i, m in enumerate(members)],
    }
    data.update(over)
    return data


@pytest.fixture
def slate(tree):
    return [make_party_member(tree["branch_a"]) for _ in range(4)]


def test_election_post_records_and_lists_in_scope(tree, staff_a, staff_b, api_client_for, slate):
    client = api_client_for(staff_a)
    response = client.post("/api/v1/elections/", _payload(tree["branch_a"], slate), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["term_number"] == 1 and len(body["candidates"]) == 4
    assert sum(c["elected"] for c in body["candidates"]) == 3
    election = Election.objects.get()
    assert client.get(f"/api/v1/elections/{election.pk}/").status_code == 200
    assert len(client.get("/api/v1/elections/").json()["results"]) == 1
    other = api_client_for(staff_b)
    assert other.get(f"/api/v1/elections/{election.pk}/").status_code == 404
    assert other.get("/api/v1/elections/").json()["results"] == []


def test_election_rule_broken_is_400_with_chinese_message(tree, staff_a, api_client_for, slate):
    client = api_client_for(staff_a)
    response = client.post("/api/v1/elections/", _payload(tree["branch_a"], slate[:3]), format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "candidates" in errors
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(errors["candidates"]))
    assert not Election.objects.exists()


def test_election_outside_scope_refused(tree, staff_b, api_client_for, slate):
    response = api_client_for(staff_b).post("/api/v1/elections/", _payload(tree["branch_a"], slate), format="json")
    assert response.status_code == 400
    assert "organization" in response.json()["errors"]
    assert not Election.objects.exists()


def test_appraisal_create_and_result(tree, api_client_for):
    branch = tree["branch_a"]
    secretary = make_user("sec_a", branch, Role.BRANCH_SECRETARY)
    member = make_party_member(branch)
    client = api_client_for(secretary)
    response = client.post(
        "/api/v1/appraisals/", {"organization": branch.pk, "year": 2026, "held_on": "2026-01-20"}, format="json"
    )
    assert response.status_code == 201, response.content
    session = AppraisalSession.objects.get()
    url = f"/api/v1/appraisals/{session.pk}/result/"
    response = client.post(url, {"member": member.pk, "grade": "excellent"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["results"][0]["grade"] == "excellent"
    response = client.post(url, {"member": member.pk, "grade": "unqualified"}, format="json")
    assert response.status_code == 400
    assert "follow_up" in response.json()["errors"]
    assert AppraisalResult.objects.get().grade == "excellent"


def test_appraisal_wrong_year_date_400(tree, staff_a, api_client_for):
    response = api_client_for(staff_a).post(
        "/api/v1/appraisals/",
        {"organization": tree["branch_a"].pk, "year": 2026, "held_on": "2025-12-20"},
        format="json",
    )
    assert response.status_code == 400
    assert "held_on" in response.json()["errors"]
    assert not AppraisalSession.objects.exists()


def test_appraisal_outside_scope_invisible(tree, staff_a, staff_b, api_client_for):
    api_client_for(staff_a).post(
        "/api/v1/appraisals/",
        {"organization": tree["branch_a"].pk, "year": 2026, "held_on": "2026-01-20"},
        format="json",
    )
    session = AppraisalSession.objects.get()
    other = api_client_for(staff_b)
    assert other.get(f"/api/v1/appraisals/{session.pk}/").status_code == 404
    assert other.post(f"/api/v1/appraisals/{session.pk}/result/", {}, format="json").status_code == 404
