"""API of 设岗定责 / 时间银行: scoped like members, confirm once, bad input a Chinese 400 naming the field,
a constant number of queries per list."""

import pytest
from rest_framework.test import APIClient

from members.models import PointsEntry
from members.volunteering.models import ServiceStatus
from tests.volunteering.conftest import DAY, record

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_secretary_sees_only_the_own_branch(world):
    record(world["holder_b"])
    client = client_for(world["secretary"])
    posts = client.get("/api/v1/volunteer-posts/").json()["results"]
    assert [p["id"] for p in posts] == [world["post"].pk]
    assert {h["name"] for h in posts[0]["holders"]} == {"张建国", "周阿姨"}
    assert client.get("/api/v1/service-records/").json()["count"] == 0
    other = record(world["holder_b"], day=DAY.replace(day=9))
    assert client.post(f"/api/v1/service-records/{other.pk}/confirm/").status_code == 404


def test_record_and_confirm_once(world):
    client = client_for(world["secretary"])
    payload = {"holder": world["holder"].pk, "served_on": str(DAY), "hours": "2.5", "description": "巡逻"}
    created = client.post("/api/v1/service-records/", payload, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == ServiceStatus.PENDING
    for _ in range(2):
        response = client.post(f"/api/v1/service-records/{pk}/confirm/")
        assert response.status_code == 200 and response.json()["status"] == ServiceStatus.CONFIRMED
    assert PointsEntry.objects.filter(member=world["member"]).count() == 1
    withdrawn = client.post(f"/api/v1/service-records/{pk}/withdraw/", {"reason": "重复登记"}, format="json")
    assert withdrawn.status_code == 200
    assert sum(PointsEntry.objects.filter(member=world["member"]).values_list("points", flat=True)) == 0


@pytest.mark.parametrize("hours", ["0", "-2", "25"])
def test_bad_hours_are_a_chinese_400_naming_the_field(world, hours):
    client = client_for(world["secretary"])
    payload = {"holder": world["holder"].pk, "served_on": str(DAY), "hours": hours, "description": "巡逻"}
    response = client.post("/api/v1/service-records/", payload, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "hours" in errors and any("\u4e00" <= ch <= "\u9fff" for ch in str(errors["hours"]))


def test_post_outside_scope_and_holder_twice_are_400(world):
    client = client_for(world["secretary"])
    response = client.post(
        "/api/v1/volunteer-posts/", {"organization": world["branch_b"].pk, "kind": "patrol"}, format="json"
    )
    assert response.status_code == 400 and "organization" in response.json()["errors"]
    created = client.post(
        "/api/v1/volunteer-posts/", {"organization": world["branch_a"].pk, "kind": "patrol"}, format="json"
    )
    assert created.status_code == 201 and created.json()["name"] == "治安巡逻"
    twice = client.post(
        f"/api/v1/volunteer-posts/{world['post'].pk}/holders/", {"member": world["member"].pk}, format="json"
    )
    assert twice.status_code == 400 and "member" in twice.json()["errors"]
    outside = client.post(
        "/api/v1/service-records/",
        {"holder": world["holder_b"].pk, "served_on": str(DAY), "hours": "1", "description": "x"},
        format="json",
    )
    assert outside.status_code == 400 and "holder" in outside.json()["errors"]


def test_list_queries_are_constant(world, django_assert_max_num_queries):
    client = client_for(world["staff"])
    for day in range(1, 8):
        record(world["holder"], day=DAY.replace(day=day), hours="1")
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/service-records/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/volunteer-posts/").status_code == 200
