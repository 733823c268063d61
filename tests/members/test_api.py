import datetime

import pytest

from members import services
from members.models import Member, Position, SensitiveAccessLog
from organizations.models import Role
from tests.factories import RosterMemberFactory, make_user
from tests.members.helpers import valid_id

URL = "/api/v1/members/"


@pytest.fixture
def members(tree):
    a = [RosterMemberFactory(branch=tree["branch_a"], phone="13800000001")]
    b = [RosterMemberFactory(branch=tree["branch_b"])]
    return a, b


def test_scope_list_detail_count(tree, members, staff_a, api_client_for):
    (a,), (b,) = members
    client = api_client_for(staff_a)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.data["count"] == 1 and response.data["results"][0]["id"] == a.pk
    assert client.get(f"{URL}{b.pk}/").status_code == 404
    assert client.get(URL, {"org": tree["community_b"].pk}).data["count"] == 0
    assert client.get(URL, {"branch_id": tree["branch_b"].pk}).data["count"] == 0


def test_masked_by_default_full_only_with_permission_and_logged(tree, members, staff_a, district_admin, api_client_for):
    (a,), _b = members
    data = api_client_for(staff_a).get(f"{URL}{a.pk}/", {"full": "1"}).data
    assert "*" in data["id_number"] and data["phone"] == "138****0001"
    assert SensitiveAccessLog.objects.count() == 0
    assert district_admin.has_perm("members.view_sensitive_data")
    client = api_client_for(district_admin)
    assert "*" in client.get(f"{URL}{a.pk}/").data["id_number"]
    data = client.get(f"{URL}{a.pk}/", {"full": "1"}).data
    assert "*" not in data["id_number"] and data["phone"] == "13800000001"
    log = SensitiveAccessLog.objects.get()
    assert (log.user, log.member, log.action) == (district_admin, a, "view")
    client.get(URL, {"full": "1"})
    assert SensitiveAccessLog.objects.count() == 3


def test_search_by_exact_phone_and_id(tree, members, district_admin, api_client_for):
    (a,), _b = members
    client = api_client_for(district_admin)
    assert [r["id"] for r in client.get(URL, {"q": "13800000001"}).data["results"]] == [a.pk]
    from members import crypto

    full_id = crypto.decrypt(a.id_number_encrypted)
    assert [r["id"] for r in client.get(URL, {"q": full_id}).data["results"]] == [a.pk]
    assert client.get(URL, {"q": full_id[:10]}).data["count"] == 0  # no partial ID search
    assert client.get(URL, {"q": a.name}).data["count"] == 1


def test_filters(tree, district_admin, api_client_for):
    RosterMemberFactory(branch=tree["branch_a"], occupation_status="in_service", reported_on=datetime.date(2025, 1, 1))
    RosterMemberFactory(
        branch=tree["branch_a"],
        party_status="probationary",
        admitted_on=datetime.date(2025, 9, 1),
        group=tree["group_a"],
    )
    floating = RosterMemberFactory(branch=tree["branch_b"])
    services.member_mark_floating(member=floating, direction="out", place="深圳")
    client = api_client_for(district_admin)
    assert client.get(URL, {"reported": "true"}).data["count"] == 1
    assert client.get(URL, {"reported": "false"}).data["count"] == 2
    assert client.get(URL, {"party_status": "probationary"}).data["count"] == 1
    assert client.get(URL, {"group_id": tree["group_a"].pk}).data["count"] == 1
    assert client.get(URL, {"floating_status": "out"}).data["count"] == 1
    assert client.get(URL, {"management_mode": "tracking"}).data["count"] == 1
    assert client.get(URL, {"org": tree["street"].pk}).data["count"] == 3


def test_create_update_and_errors(tree, staff_a, api_client_for):
    client = api_client_for(staff_a)
    body = {
        "name": "李明",
        "id_number": valid_id(datetime.date(1970, 1, 1)),
        "phone": "13912345678",
        "branch": tree["branch_a"].pk,
        "group": tree["group_a"].pk,
        "party_status": "full",
        "admitted_on": "1995-07-01",
        "full_member_on": "1996-07-01",
    }
    response = client.post(URL, body, format="json")
    assert response.status_code == 201, response.data
    assert response.data["id_number"].count("*") == 11 and response.data["gender"] in ("male", "female")
    pk = response.data["id"]
    # Duplicate ID → 400 naming the record.
    response = client.post(URL, {**body, "name": "李明2"}, format="json")
    assert response.status_code == 400 and "李明" in str(response.data["errors"]["id_number"])
    # Unknown field, bad dates, branch outside scope, group not under branch.
    assert client.post(URL, {**body, "bogus": 1}, format="json").status_code == 400
    bad = client.post(URL, {**body, "id_number": valid_id(), "full_member_on": "1990-01-01"}, format="json")
    assert bad.status_code == 400 and "full_member_on" in bad.data["errors"]
    bad = client.post(URL, {**body, "id_number": valid_id(), "branch": tree["branch_b"].pk}, format="json")
    assert bad.status_code == 400 and "branch" in bad.data["errors"]
    bad = client.post(URL, {**body, "id_number": "123"}, format="json")
    assert bad.status_code == 400 and "id_number" in bad.data["errors"]
    response = client.patch(f"{URL}{pk}/", {"occupation_status": "in_service", "employer": "区教委"}, format="json")
    assert response.status_code == 200 and response.data["management_mode"] == "target"
    assert client.delete(f"{URL}{pk}/").status_code in (403, 405)  # never deleted
    assert Member.objects.count() == 1


def test_actions(tree, staff_a, api_client_for):
    member = RosterMemberFactory(branch=tree["branch_a"], occupation_status="in_service")
    client = api_client_for(staff_a)
    assert (
        client.post(
            f"{URL}{member.pk}/report/", {"reported_on": "2026-01-02", "employer": "某局"}, format="json"
        ).status_code
        == 200
    )
    assert (
        client.post(f"{URL}{member.pk}/transfer/", {"branch": tree["branch_b"].pk}, format="json").status_code == 400
    )  # outside scope
    assert (
        client.post(f"{URL}{member.pk}/floating/", {"direction": "out", "place": "成都"}, format="json").data[
            "management_mode"
        ]
        == "tracking"
    )
    assert client.post(f"{URL}{member.pk}/deceased/", {"on": "2026-02-01"}, format="json").data["status"] == "deceased"


def test_positions_api(tree, staff_a, staff_b, api_client_for):
    member = RosterMemberFactory(branch=tree["branch_a"])
    client = api_client_for(staff_a)
    body = {"member": member.pk, "organization": tree["branch_a"].pk, "kind": "secretary", "started_on": "2024-01-01"}
    response = client.post("/api/v1/positions/", body, format="json")
    assert response.status_code == 201, response.data
    bad = client.post("/api/v1/positions/", {**body, "ended_on": "2023-01-01"}, format="json")
    assert bad.status_code == 400 and "ended_on" in bad.data["errors"]
    assert client.post("/api/v1/positions/", body, format="json").status_code == 400  # second secretary
    assert api_client_for(staff_b).get(f"/api/v1/positions/{response.data['id']}/").status_code == 404
    assert api_client_for(staff_b).get("/api/v1/positions/").data["count"] == 0
    assert client.get("/api/v1/positions/", {"org": tree["community_a"].pk}).data["count"] == 1
    assert Position.objects.count() == 1


@pytest.mark.parametrize("rows", [1, 50])
def test_list_query_count_constant(tree, rows, api_client_for, django_assert_max_num_queries):
    user = make_user("admin2", tree["district"], Role.DISTRICT_ADMIN)
    for _ in range(rows):
        m = RosterMemberFactory(branch=tree["branch_a"], group=tree["group_a"])
    services.position_create(
        member=m, organization=tree["branch_a"], kind="secretary", started_on=datetime.date(2024, 1, 1)
    )
    client = api_client_for(user)
    client.get(URL)  # warm the permission cache paths
    with django_assert_max_num_queries(6):
        assert client.get(URL, {"page_size": 100}).data["count"] == rows
    with django_assert_max_num_queries(6):
        client.get(URL, {"page_size": 100, "full": "1"})
    with django_assert_max_num_queries(6):
        client.get("/api/v1/positions/")
