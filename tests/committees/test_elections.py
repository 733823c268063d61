"""业委会换届 through the API and the admin: the election rules shared with branch elections (差额
margin, votes within the voters present, majority), the new term's body made with the seats of
those elected and the previous term ended, scope by the compound's community, nothing saved on a
refusal."""

import pytest

from committees.models import Committee, CommitteeElection, Seat
from organizations.models import Role
from tests.committees.helpers import D, compound, member, owners_committee
from tests.factories import make_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/committee-elections/"


@pytest.fixture
def place(tree):
    return compound(tree["community_a"], name="幸福小区", branch=tree["branch_a"])


def _body(place, candidates, **extra):
    return {
        "compound": place.pk,
        "kind": "owners_committee",
        "term_number": 2,
        "held_on": "2026-05-10",
        "method": "competitive",
        "seats": 3,
        "voters_entitled": 400,
        "voters_present": 300,
        "candidates": candidates,
        **extra,
    }


def _candidates(party=None):
    rows = [
        {"name": "张主任", "votes": 260, "role": "chair"},
        {"name": "李委员", "votes": 240, "role": "member"},
        {"name": "王委员", "votes": 200, "role": "member"},
        {"name": "赵候选", "votes": 90},
    ]
    if party is not None:
        rows[1] = {"name": "", "member": party.pk, "votes": 240, "role": "member"}
    return rows


def test_api_records_the_election_and_the_new_term(tree, place, staff_a, api_client_for):
    previous = owners_committee(place, term=1, elected=D(2021, 5, 1))
    party = member(tree["branch_a"], name="刘党员")
    client = api_client_for(staff_a)
    response = client.post(URL, _body(place, _candidates(party)), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["kind_display"] != "owners_committee" and data["method_display"] != "competitive"
    assert data["term_ends_on"] == "2031-05-10"  # five years when not given
    body = Committee.objects.get(pk=data["committee"])
    assert (body.status, body.term_number, body.elected_on) == ("active", 2, D(2026, 5, 10))
    seats = {s.holder_name: s for s in Seat.objects.filter(committee=body)}
    assert set(seats) == {"张主任", "刘党员", "王委员"} and seats["刘党员"].is_party_member
    previous.refresh_from_db()
    assert previous.status == "expired" and previous.term_ends_on == D(2026, 5, 1)  # ended before the election
    assert not Seat.objects.filter(committee=previous, ended_on__isnull=True).exists()
    assert [c["name"] for c in data["candidates"]] == ["张主任", "刘党员", "王委员", "赵候选"]
    listed = client.get(URL, {"compound_id": place.pk}).json()["results"]
    assert [e["id"] for e in listed] == [data["id"]]


@pytest.mark.parametrize(
    "change,field",
    [
        ({"candidates": _candidates()[:3]}, "candidates"),  # 差额 with no extra candidate
        ({"voters_present": 500}, "voters_present"),  # more present than entitled
        ({"candidates": [*_candidates()[:3], {"name": "赵候选", "votes": 301}]}, "votes"),  # above present
        ({"candidates": [{**_candidates()[0], "votes": 150}, *_candidates()[1:]]}, "votes"),  # no majority
        ({"candidates": [*_candidates()[:3], {"name": "赵候选", "votes": 200, "role": "member"}]}, "candidates"),
        (
            {"candidates": [*_candidates()[:2], {"name": "王委员", "votes": 200, "role": "chair"}, _candidates()[3]]},
            "post",
        ),
        ({"term_ends_on": "2032-01-01"}, "term_ends_on"),  # longer than five years
        ({"held_on": "0001-01-01"}, "held_on"),
    ],
)
def test_rules_refuse_with_the_field_and_nothing_saved(place, staff_a, api_client_for, change, field):
    response = api_client_for(staff_a).post(URL, _body(place, _candidates()) | change, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"], response.json()
    assert not CommitteeElection.objects.exists() and not Committee.objects.exists()


def test_scope_other_community_and_its_members(tree, place, staff_b, staff_a, api_client_for):
    response = api_client_for(staff_b).post(URL, _body(place, _candidates()), format="json")
    assert response.status_code == 400 and "compound" in response.json()["errors"]
    outsider = member(tree["branch_b"], name="外社区党员")
    response = api_client_for(staff_a).post(URL, _body(place, _candidates(outsider)), format="json")
    assert response.status_code == 400
    api_client_for(staff_a).post(URL, _body(place, _candidates()), format="json")
    assert api_client_for(staff_b).get(URL).json()["results"] == []
    assert not Committee.objects.filter(seats__holder_name="外社区党员").exists()


def test_term_number_taken_is_refused(place, staff_a, api_client_for):
    owners_committee(place, term=2, elected=D(2024, 1, 1))
    response = api_client_for(staff_a).post(URL, _body(place, _candidates()), format="json")
    assert response.status_code == 400 and "term_number" in response.json()["errors"]


def test_admin_add_page_records_and_refuses(tree, place, client):
    user = make_user("body_election_staff", tree["community_a"], Role.COMMUNITY_STAFF)
    user.is_staff = True
    user.save()
    client.force_login(user)
    add = "/admin/committees/committeeelection/add/"
    assert client.get(add).status_code == 200
    rows = _candidates()
    data = {k: v for k, v in _body(place, []).items() if k != "candidates"}
    data |= {
        "term_ends_on": "",
        "filed_on": "",
        "candidates-TOTAL_FORMS": len(rows),
        "candidates-INITIAL_FORMS": 0,
        "candidates-MIN_NUM_FORMS": 1,
        "candidates-MAX_NUM_FORMS": 1000,
    }
    for i, row in enumerate(rows):
        data |= {f"candidates-{i}-name": row["name"], f"candidates-{i}-votes": row["votes"]}
        data[f"candidates-{i}-role"] = row.get("role", "")
    refused = client.post(add, {**data, "voters_present": 100})
    assert refused.status_code == 200 and refused.context["form"].errors
    assert not CommitteeElection.objects.exists()
    saved = client.post(add, data)
    assert saved.status_code == 302
    election = CommitteeElection.objects.get()
    page = client.get(f"/admin/committees/committeeelection/{election.pk}/change/").content.decode()
    assert "张主任" in page and "主任" in page
    assert client.get("/admin/committees/committeeelection/").status_code == 200
