"""Cross-cutting API features: per-token throttling, xlsx cap, statistics as xlsx and ETags."""

import io

import pytest
from django.core.cache import cache
from django.test import override_settings
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from core.auth.throttling import TokenRateThrottle
from organizations.api.views import CompoundViewSet
from tests.stats.conftest import make_compound

P = {"from": "2026-01-01", "to": "2026-06-30"}


def _rates(**rates):
    return override_settings(
        REST_FRAMEWORK={
            **api_settings.user_settings,
            "DEFAULT_THROTTLE_RATES": {"user": None, "anon": None, "stats": None, **rates},
        }
    )


def test_throttling_is_per_token(stats_data, district_admin, staff_a, monkeypatch):
    cache.clear()
    monkeypatch.setattr(CompoundViewSet, "throttle_classes", [TokenRateThrottle])
    a, b = APIClient(), APIClient()
    a.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=district_admin).key}")
    b.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff_a).key}")
    with _rates(user="3/min"):
        assert [a.get("/api/v1/compounds/").status_code for _ in range(3)] == [200, 200, 200]
        refused = a.get("/api/v1/compounds/")
        assert refused.status_code == 429
        assert refused.json()["code"] == "throttled" and "Retry-After" in refused
        assert b.get("/api/v1/compounds/").status_code == 200  # another token has its own budget
    cache.clear()


def test_stats_throttle_rate(stats_data, district_admin, api_client_for):
    cache.clear()
    client = api_client_for(district_admin)
    with _rates(stats="2/min"):
        codes = [client.get("/api/v1/stats/overview/", P).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    cache.clear()


def test_xlsx_export_is_capped_with_a_message(tree, district_admin, api_client_for):
    for n in range(5):
        make_compound(tree["community_a"], name=f"c{n}")
    with override_settings(XLSX_EXPORT_MAX_ROWS=3):
        r = api_client_for(district_admin).get("/api/v1/compounds/", {"format": "xlsx"})
    assert r.status_code == 200
    assert r["X-Export-Truncated"] == "3/5"
    wb = load_workbook(io.BytesIO(r.content))
    assert len(list(wb.worksheets[0].iter_rows())) == 4
    assert "仅导出前 3 行" in wb.worksheets[1]["A1"].value


def test_stats_as_xlsx_and_etag(stats_data, district_admin, api_client_for):
    client = api_client_for(district_admin)
    r = client.get("/api/v1/stats/overview/", {**P, "format": "xlsx"})
    assert r.status_code == 200
    cells = {row[0]: row[1] for row in load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True)}
    assert cells["figures.members.total"] == 5
    first = client.get("/api/v1/stats/overview/", P)
    assert client.get("/api/v1/stats/overview/", P, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    bad = client.get("/api/v1/stats/overview/", {"format": "xlsx", "from": "x"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/schema/"])
def test_docs_served_offline(stats_data, district_admin, url):
    client = APIClient()
    client.force_login(district_admin)
    r = client.get(url)
    assert r.status_code == 200
    body = r.content.decode()
    assert "cdn." not in body and "unpkg" not in body
