"""API of transfers and floating records: scope, actions, 400s with Chinese field messages."""

import datetime

import pytest
from django.utils import timezone

from members.models import Member, Transfer, TransferState
from organizations.models import Role
from tests.factories import RosterMemberFactory, make_floating, make_transfer, make_user
from tests.members.helpers import valid_id

pytestmark = pytest.mark.django_db
URL = "/api/v1/transfers/"
FLOATING = "/api/v1/floating-records/"


def test_list_scoped_to_either_side(tree, staff_a, staff_b, api_client_for, django_assert_max_num_queries):
    to_b = make_transfer(RosterMemberFactory(branch=tree["branch_a"]), tree["branch_b"], issue=True)
    out = make_transfer(RosterMemberFactory(branch=tree["branch_a"]), kind="out", to_name="外省某党委")
    ids_a = {row["id"] for row in api_client_for(staff_a).get(URL).data["results"]}
    ids_b = {row["id"] for row in api_client_for(staff_b).get(URL).data["results"]}
    assert ids_a == {to_b.pk, out.pk}
    assert ids_b == {to_b.pk}  # the receiving side sees the letter addressed to it
    assert api_client_for(staff_b).get(f"{URL}{out.pk}/").status_code == 404
    for _ in range(3):
        make_transfer(RosterMemberFactory(branch=tree["branch_a"]), kind="out", to_name="某党委")
    with django_assert_max_num_queries(12):
        assert api_client_for(staff_a).get(URL).status_code == 200


def test_workflow_through_the_api(tree, staff_a, staff_b, api_client_for):
    member = RosterMemberFactory(branch=tree["branch_a"])
    # A letter between two communities is drafted by the street (covering both), not by one side.
    refused = api_client_for(staff_a).post(
        URL, {"member": member.pk, "to_organization": tree["branch_b"].pk}, format="json"
    )
    assert refused.status_code == 400 and "to_organization" in refused.data["errors"]
    street = make_user("street_staff", tree["street"], Role.STREET_STAFF)
    sender, receiver = api_client_for(street), api_client_for(staff_b)
    created = sender.post(URL, {"member": member.pk, "to_organization": tree["branch_b"].pk}, format="json")
    assert created.status_code == 201, created.data
    pk = created.data["id"]
    issued = sender.post(f"{URL}{pk}/issue/", {"letter_number": "南岸转001"}, format="json")
    assert issued.status_code == 200 and issued.data["state"] == "issued"
    # The sending side cannot accept its own letter (the receiving side's step).
    assert api_client_for(staff_a).post(f"{URL}{pk}/accept/", {}, format="json").status_code == 403
    accepted = receiver.post(f"{URL}{pk}/accept/", {}, format="json")
    assert accepted.status_code == 200 and accepted.data["state"] == "received"
    member.refresh_from_db()
    assert member.branch_id == tree["branch_b"].pk


def test_bad_input_is_400_in_chinese_nothing_saved(tree, staff_a, staff_b, api_client_for):
    member = RosterMemberFactory(branch=tree["branch_a"])
    client = api_client_for(staff_a)
    same = client.post(URL, {"member": member.pk, "to_organization": tree["branch_a"].pk}, format="json")
    assert same.status_code == 400 and "已在该支部" in str(same.data["errors"]["to_organization"])
    nobody = client.post(URL, {"member": member.pk, "kind": "out", "to_name": ""}, format="json")
    assert nobody.status_code == 400 and "接收" in str(nobody.data["errors"]["to_name"])
    assert client.post(URL, {"member": member.pk, "kind": "out", "to_name": "外省"}, format="json").status_code == 201
    second = client.post(URL, {"member": member.pk, "kind": "out", "to_name": "某党委"}, format="json")
    assert second.status_code == 400 and "转接" in str(second.data["errors"]["member"])
    # A member outside the scope cannot be sent.
    other = RosterMemberFactory(branch=tree["branch_b"])
    outside = client.post(URL, {"member": other.pk, "to_organization": tree["branch_a"].pk}, format="json")
    assert outside.status_code == 400 and "member" in outside.data["errors"]
    assert Transfer.objects.count() == 1
    returned = client.post(f"{URL}{Transfer.objects.get().pk}/return/", {"reason": ""}, format="json")
    assert returned.status_code == 400


def test_receive_letter_creates_member(tree, staff_a, staff_b, api_client_for):
    body = {
        "to_organization": tree["branch_b"].pk,
        "from_name": "重庆市渝北区某党委",
        "letter_number": "渝北002",
        "valid_until": str(timezone.localdate() + datetime.timedelta(days=30)),
        "member_data": {"name": "杜文涛", "gender": "male", "id_number": valid_id(datetime.date(1979, 4, 12))},
    }
    assert api_client_for(staff_a).post("/api/v1/incoming-letters/", body, format="json").status_code == 400
    response = api_client_for(staff_b).post("/api/v1/incoming-letters/", body, format="json")
    assert response.status_code == 201, response.data
    member = Member.objects.get(pk=response.data["member"])
    assert member.branch_id == tree["branch_b"].pk and member.transfers.get().state == TransferState.RECEIVED
    bad = api_client_for(staff_b).post(
        "/api/v1/incoming-letters/", {**body, "member_data": {"name": "某"}}, format="json"
    )
    assert bad.status_code == 400 and "gender" in bad.data["errors"]


def test_floating_api(tree, staff_a, staff_b, api_client_for):
    member = RosterMemberFactory(branch=tree["branch_a"])
    client = api_client_for(staff_a)
    bad = client.post(FLOATING, {"member": member.pk, "direction": "out", "place": ""}, format="json")
    assert bad.status_code == 400 and "place" in bad.data["errors"]
    created = client.post(
        FLOATING,
        {"member": member.pk, "direction": "out", "place": "深圳市", "certificate_number": "流动证9"},
        format="json",
    )
    assert created.status_code == 201, created.data
    pk = created.data["id"]
    assert api_client_for(staff_b).get(f"{FLOATING}{pk}/").status_code == 404
    assert client.get(FLOATING, {"open": "true"}).data["count"] == 1
    assert client.post(f"{FLOATING}{pk}/contacted/", {}, format="json").status_code == 200
    assert client.post(f"{FLOATING}{pk}/return/", {}, format="json").data["returned_on"] is not None
    assert client.get(FLOATING, {"open": "true"}).data["count"] == 0
    other = make_floating(RosterMemberFactory(branch=tree["branch_b"]))
    assert api_client_for(staff_a).post(f"{FLOATING}{other.pk}/return/", {}, format="json").status_code == 404
