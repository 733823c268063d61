"""API: create through the services, bad input is a 400 in Chinese, list query counts are the
same for 1 and 50 rows."""

from decimal import Decimal

import pytest

from committees import services
from tests.committees.helpers import D, compound, contract, firm, member, owners_committee, valid_code


def _has_chinese(text) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in str(text))


@pytest.fixture
def client_a(staff_a, api_client_for):
    return api_client_for(staff_a)


@pytest.fixture
def place(tree):
    return compound(tree["community_a"], branch=tree["branch_a"])


def test_create_body_and_seats(client_a, place, tree):
    response = client_a.post(
        "/api/v1/committees/",
        {
            "compound": place.pk,
            "kind": "owners_committee",
            "term_number": 1,
            "elected_on": "2024-03-01",
            "term_ends_on": "2029-02-28",
            "status": "active",
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    body_id = response.data["id"]
    party = member(tree["branch_a"], name="李党员")
    response = client_a.post(
        "/api/v1/seats/",
        {"committee": body_id, "role": "chair", "member": party.pk, "started_on": "2024-03-01"},
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["holder_name"] == "李党员" and response.data["is_party_member"] is True
    detail = client_a.get(f"/api/v1/committees/{body_id}/").data
    assert detail["kind_display"] == "业主委员会" and len(detail["seats"]) == 1


def test_term_end_before_election_is_400_in_chinese(client_a, place):
    response = client_a.post(
        "/api/v1/committees/",
        {
            "compound": place.pk,
            "kind": "owners_committee",
            "elected_on": "2024-03-01",
            "term_ends_on": "2024-01-01",
            "status": "active",
        },
        format="json",
    )
    assert response.status_code == 400
    assert _has_chinese(response.data["errors"]["term_ends_on"][0])


def test_seat_ending_before_start_is_400(client_a, place):
    body = owners_committee(place)
    response = client_a.post(
        "/api/v1/seats/",
        {"committee": body.pk, "holder_name": "王", "started_on": "2024-03-01", "ended_on": "2024-02-01"},
        format="json",
    )
    assert response.status_code == 400 and "ended_on" in response.data["errors"]


def test_invalid_credit_code_is_400_in_chinese(client_a):
    response = client_a.post(
        "/api/v1/property-firms/", {"name": "假物业", "credit_code": "91350100M000100Y44"}, format="json"
    )
    assert response.status_code == 400
    assert "“3”" in response.data["errors"]["credit_code"][0]
    assert _has_chinese(response.data["errors"]["credit_code"][0])


def test_overlapping_contract_is_400_and_nothing_saved(client_a, place):
    first, second = firm("甲物业"), firm("乙物业")
    contract(first, place, D(2020, 1, 1))
    response = client_a.post(
        "/api/v1/service-contracts/",
        {"firm": second.pk, "compound": place.pk, "started_on": "2024-01-01", "fee_per_m2_month": "1.50"},
        format="json",
    )
    assert response.status_code == 400
    assert "甲物业" in response.data["errors"]["started_on"][0]
    assert place.service_contracts.count() == 1


def test_unknown_field_is_400(client_a, place):
    response = client_a.post(
        "/api/v1/matters/",
        {
            "compound": place.pk,
            "title": "议题",
            "raised_by": "居民",
            "raised_on": "2024-01-01",
            "handler": "community",
            "colour": "red",
        },
        format="json",
    )
    assert response.status_code == 400 and "colour" in response.data["errors"]


def test_matter_update_and_overdue_filter(client_a, place):
    matter = services.matter_save(
        compound=place,
        title="车库渗水",
        raised_by="业主",
        raised_on=D(2024, 1, 1),
        handler="community",
        due_on=D(2024, 2, 1),
    )
    assert client_a.get("/api/v1/matters/?overdue_on=2024-03-01").data["count"] == 1
    response = client_a.patch(f"/api/v1/matters/{matter.pk}/", {"status": "resolved"}, format="json")
    assert response.status_code == 400 and "outcome" in response.data["errors"]
    response = client_a.patch(
        f"/api/v1/matters/{matter.pk}/", {"status": "resolved", "outcome": "已修复"}, format="json"
    )
    assert response.status_code == 200 and response.data["resolved_on"] is not None
    assert client_a.get("/api/v1/matters/?overdue_on=2024-03-01").data["count"] == 0


def test_fee_and_evaluation_endpoints(client_a, place):
    f = firm()
    contract(f, place, D(2024, 1, 1))
    response = client_a.post(
        "/api/v1/fee-collections/",
        {"compound": place.pk, "firm": f.pk, "year": 2024, "month": 5, "amount_due": "1000", "amount_collected": "900"},
        format="json",
    )
    assert response.status_code == 201, response.data
    assert Decimal(response.data["rate"]) == Decimal("0.9")
    response = client_a.post(
        "/api/v1/evaluations/",
        {
            "compound": place.pk,
            "firm": f.pk,
            "year": 2024,
            "quarter": 2,
            "evaluator_kind": "branch",
            "score_service": 20,
            "score_environment": 15,
            "score_security": 15,
            "score_maintenance": 15,
            "score_responsiveness": 10,
        },
        format="json",
    )
    assert response.status_code == 201 and response.data["total"] == 75
    summary = client_a.get(f"/api/v1/property-firms/{f.pk}/summary/").data
    assert summary["average_total"] == 75.0 and summary["trend"][0]["quarter"] == 2


def test_stats_endpoint(client_a, place, tree):
    owners_committee(place)
    response = client_a.get(f"/api/v1/stats/governance/?org={tree['community_a'].pk}&today=2025-01-01")
    assert response.status_code == 200
    assert response.data["formation_rate"] == 1.0
    assert client_a.get("/api/v1/stats/governance/?today=notadate").status_code == 400


def _fill(tree, n, start=0):
    """n compounds in community A, each with a body, a seat, a contract, an evaluation, a matter."""
    f = firm(name="批量物业", created_in=tree["community_a"])
    for i in range(start, start + n):
        place = compound(tree["community_a"], name=f"批量{i}")
        body = owners_committee(place)
        services.seat_save(committee=body, holder_name=f"人{i}", started_on=D(2024, 1, 1))
        contract(f, place, D(2024, 1, 1))
        services.fee_collection_save(compound=place, firm=f, year=2024, month=1, amount_due=10, amount_collected=9)
        services.evaluation_save(
            firm=f, compound=place, year=2024, quarter=1, evaluator_kind="residents", score_service=20
        )
        services.matter_save(
            compound=place, title=f"议题{i}", raised_by="居民", raised_on=D(2024, 1, 1), handler="property_firm", firm=f
        )
    for i in range(start, start + n - 1):  # as many firms as rows
        other = firm(name=f"物业{i}", created_in=tree["community_a"])
        contract(other, compound(tree["community_a"], name=f"其他{i}"), D(2024, 1, 1))


LISTS = ("committees", "seats", "property-firms", "service-contracts", "fee-collections", "evaluations", "matters")


@pytest.mark.parametrize("endpoint", LISTS)
def test_list_query_count_is_constant(tree, staff_a, api_client_for, django_assert_max_num_queries, endpoint):
    client = api_client_for(staff_a)
    _fill(tree, 1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(f"/api/v1/{endpoint}/")  # warm up (scope node, permissions)
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"/api/v1/{endpoint}/").status_code == 200
    _fill(tree, 49, start=1)
    with django_assert_max_num_queries(len(one)):
        response = client.get(f"/api/v1/{endpoint}/?page_size=100")
    assert response.data["count"] >= 50


def test_stats_endpoint_query_count(tree, staff_a, api_client_for, django_assert_max_num_queries):
    client = api_client_for(staff_a)
    _fill(tree, 3)
    client.get("/api/v1/stats/governance/")
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/stats/governance/").status_code == 200


def test_red_property_firm_valid_code(client_a):
    response = client_a.post(
        "/api/v1/property-firms/",
        {
            "name": "红色物业",
            "credit_code": valid_code("91500108MA5U3H8X2"),
            "has_party_organization": True,
            "party_organization_name": "物业党支部",
        },
        format="json",
    )
    assert response.status_code == 201, response.data
