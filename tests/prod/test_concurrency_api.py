"""Optimistic concurrency on the API: the second of two editors with the same ETag gets 412."""

import threading

import pytest
from django.db import close_old_connections, connection
from rest_framework.test import APIClient

from organizations import services
from organizations.models import Compound, Organization
from tests.factories import make_user


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("kind", ["compound", "organization"])
def test_second_stale_write_gets_412_and_nothing_is_overwritten(tree, district_admin, kind):
    if kind == "compound":
        obj = services.compound_save(name="并发小区", community=tree["community_a"])
        url, field, model = f"/api/v1/compounds/{obj.pk}/", "address", Compound
    else:
        obj = tree["branch_a"]
        url, field, model = f"/api/v1/organizations/{obj.pk}/", "address", Organization
    first, second = _client(district_admin), _client(make_user("second", tree["district"], "district_admin"))
    etag_1 = first.get(url)["ETag"]
    etag_2 = second.get(url)["ETag"]
    assert etag_1 == etag_2 and etag_1.startswith('"')

    ok = first.patch(url, {field: "第一位书记写的"}, format="json", HTTP_IF_MATCH=etag_1)
    assert ok.status_code == 200
    assert ok["ETag"] != etag_1
    stale = second.patch(url, {field: "第二位书记写的"}, format="json", HTTP_IF_MATCH=etag_2)
    assert stale.status_code == 412
    assert stale.json()["code"] == "stale"
    assert "已被他人修改" in stale.json()["detail"]
    assert getattr(model.objects.get(pk=obj.pk), field) == "第一位书记写的"
    # after reloading, the second editor's write goes through
    fresh = second.get(url)["ETag"]
    assert fresh == ok["ETag"]
    assert second.patch(url, {field: "第二位书记写的"}, format="json", HTTP_IF_MATCH=fresh).status_code == 200


def test_without_if_match_writes_still_work_and_star_matches(tree, district_admin):
    compound = services.compound_save(name="旧客户端", community=tree["community_a"])
    client = _client(district_admin)
    assert client.patch(f"/api/v1/compounds/{compound.pk}/", {"households": 5}, format="json").status_code == 200
    response = client.patch(f"/api/v1/compounds/{compound.pk}/", {"households": 6}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_racing_writers_with_the_same_etag_exactly_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL")
    from tests.factories import make_tree

    tree = make_tree()
    admin = make_user("race_admin", tree["district"], "district_admin")
    compound = services.compound_save(name="竞争小区", community=tree["community_a"])
    url = f"/api/v1/compounds/{compound.pk}/"
    etag = _client(admin).get(url)["ETag"]
    barrier = threading.Barrier(6)
    codes: list[int] = []

    def write(n):
        try:
            barrier.wait(timeout=30)
            codes.append(
                _client(admin).patch(url, {"address": f"写入{n}"}, format="json", HTTP_IF_MATCH=etag).status_code
            )
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(codes) == [200, 412, 412, 412, 412, 412]
