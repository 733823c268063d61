"""The admin page 三会一课落实情况: scoped to the user's subtree, filters, 显示全部, Excel download."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.clerk.test_behind import held  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/admin/members/meeting/behind/"


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_community_staff_sees_only_own_branches(staff_b, tree, held):  # noqa: F811
    response = _client(staff_b).get(f"{URL}?org={tree['community_b'].pk}&year=2026&period=Q3&all=1")
    assert response.status_code == 200
    names = [r.branch.name for r in response.context["rows"]]
    assert names == [tree["branch_b"].name]
    assert tree["branch_a"].name not in response.content.decode()
    assert _client(staff_b).get(f"{URL}?org={tree['district'].pk}").status_code == 404
    index = _client(staff_b).get("/admin/")
    assert URL in index.content.decode()


def test_filter_and_export(district_admin, tree, held):  # noqa: F811
    client = _client(district_admin)
    base = f"{URL}?org={tree['district'].pk}&year=2026&period=Q3"
    assert len(client.get(base).context["rows"]) == 2
    only_a = client.get(f"{base}&community={tree['community_a'].pk}").context["rows"]
    assert [r.branch.branch_id for r in only_a] == [tree["branch_a"].pk]
    bad = client.get(f"{URL}?org={tree['district'].pk}&year=2026&period=Q9")
    assert bad.status_code == 200 and bad.context["error"]
    response = client.get(f"{base}&export=xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert {r[2] for r in rows[1:]} == {tree["branch_a"].name, tree["branch_b"].name}
