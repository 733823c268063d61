"""The statistics API: hand-counted figures, scope, breakdown, trend, bad input, schema."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.models import Role
from tests.factories import make_user
from tests.stats.conftest import add_communities

P = {"from": "2026-01-01", "to": "2026-06-30"}
OVERVIEW, BREAKDOWN, TREND = "/api/v1/stats/overview/", "/api/v1/stats/breakdown/", "/api/v1/stats/trend/"


@pytest.fixture
def admin_client(stats_data, district_admin, api_client_for):
    return api_client_for(district_admin)


def test_overview_matches_hand_count(stats_data, admin_client):
    r = admin_client.get(OVERVIEW, {"org": stats_data["district"].pk, **P})
    assert r.status_code == 200, r.content
    f = r.json()["figures"]
    expected = {
        "coverage.compounds": 3,
        "coverage.compounds_with_branch": 2,
        "coverage.coverage_rate": 0.6667,
        "coverage.households": 350,
        "coverage.branches": 2,
        "coverage.branches_standalone": 1,
        "coverage.branches_joint": 1,
        "coverage.branches_integrated": 0,
        "coverage.building_groups": 1,
        "coverage.central_households": 1,
        "members.total": 5,
        "members.party_full": 4,
        "members.party_probationary": 1,
        "members.occupation_in_service": 3,
        "members.occupation_retired": 2,
        "members.floating_out": 1,
        "members.floating_in": 0,
        "members.reported_in_service": 2,
        "members.reported_in_period": 1,
        "members.admitted_in_period": 1,
        "members.age_35_and_under": 1,
        "members.age_36_45": 1,
        "members.age_46_60": 0,
        "members.age_61_70": 1,
        "members.age_71_80": 0,
        "members.age_over_80": 1,
        "members.age_unknown": 1,
        "members.gender_male": 3,
        "members.gender_female": 2,
        "members.education_bachelor": 1,
        "members.education_unknown": 4,
        "venues.venues": 3,
        "venues.meeting_six_standards": 1,
        "venues.six_standards_rate": 0.3333,
    }
    assert {k: f[k] for k in expected} == expected
    labels = {fig["name"]: fig["label"] for b in r.json()["blocks"] for fig in b["figures"]}
    assert labels["coverage.coverage_rate"] == "覆盖率"


def test_overview_default_org_is_scope_node_and_outside_is_404(stats_data, staff_a, api_client_for):
    client = api_client_for(staff_a)
    r = client.get(OVERVIEW, P)
    assert r.status_code == 200
    body = r.json()
    assert body["organization"]["id"] == stats_data["community_a"].pk
    assert body["figures"]["members.total"] == 3
    assert body["figures"]["coverage.compounds"] == 2
    for outside in ("community_b", "street", "district"):
        assert client.get(OVERVIEW, {"org": stats_data[outside].pk}).status_code == 404
    assert client.get(OVERVIEW, {"org": stats_data["x"]["district"].pk}).status_code == 404
    assert client.get(BREAKDOWN, {"org": stats_data["street"].pk, "metric": "members"}).status_code == 404


def test_secretary_and_api_client_see_their_node(stats_data, api_client_for):
    secretary = make_user("sec", stats_data["branch_a"], Role.BRANCH_SECRETARY)
    r = api_client_for(secretary).get(OVERVIEW, P)
    assert r.json()["organization"]["id"] == stats_data["branch_a"].pk
    assert r.json()["figures"]["members.total"] == 3
    # Below the community, a branch's compounds are those it covers.
    assert r.json()["figures"]["coverage.compounds"] == 1
    assert r.json()["figures"]["coverage.coverage_rate"] == 1.0
    client = make_user("platform", stats_data["district"], Role.API_CLIENT)
    assert api_client_for(client).get(OVERVIEW, P).json()["figures"]["members.total"] == 5


def test_superuser_defaults_to_first_root(stats_data, api_client_for):
    su = make_user("root", is_superuser=True, is_staff=True)
    r = api_client_for(su).get(OVERVIEW, P)
    assert r.json()["organization"]["id"] == stats_data["district"].pk
    r = api_client_for(su).get(OVERVIEW, {"org": stats_data["x"]["district"].pk, **P})
    assert r.json()["figures"]["members.total"] == 1


def test_no_scope_is_404_and_anonymous_is_401(stats_data, api_client_for):
    from rest_framework.test import APIClient

    nobody = make_user("nobody")
    assert api_client_for(nobody).get(OVERVIEW).status_code == 404
    assert APIClient().get(OVERVIEW).status_code in (401, 403)


def test_breakdown_per_child_and_totals(stats_data, admin_client):
    r = admin_client.get(BREAKDOWN, {"org": stats_data["street"].pk, "metric": "coverage", **P})
    assert r.status_code == 200, r.content
    body = r.json()
    rows = {row["organization"]["name"]: row["values"] for row in body["rows"]}
    assert rows["A社区"]["coverage.compounds"] == 2 and rows["A社区"]["coverage.coverage_rate"] == 0.5
    assert rows["B社区"]["coverage.compounds"] == 1 and rows["B社区"]["coverage.coverage_rate"] == 1.0
    assert body["total"]["coverage.compounds"] == 3
    one = admin_client.get(BREAKDOWN, {"org": stats_data["street"].pk, "metric": "members.total", **P}).json()
    assert [row["values"] for row in one["rows"]] == [{"members.total": 3}, {"members.total": 2}]
    assert one["figures"][0]["label"] == "党员数"


@pytest.fixture
def uncached_figures(monkeypatch):
    """The queries of the computation itself, not of a cache hit (tests/stats/test_figures_cache.py)."""
    monkeypatch.setattr("core.statistics.cache.data_version", lambda: "uncached")


def test_breakdown_query_count_does_not_grow_with_children(stats_data, admin_client, uncached_figures):
    street = stats_data["street"]

    admin_client.get(BREAKDOWN, {"org": street.pk, "metric": "members", **P})  # scope cached on the user

    def count():
        with CaptureQueriesContext(connection) as ctx:
            r = admin_client.get(BREAKDOWN, {"org": street.pk, "metric": "members", **P})
        assert r.status_code == 200
        return len(ctx.captured_queries), len(r.json()["rows"])

    few, rows_few = count()
    add_communities(street, 6)
    many, rows_many = count()
    assert (rows_few, rows_many) == (2, 8)
    assert few == many
    members = admin_client.get(BREAKDOWN, {"org": street.pk, "metric": "members.total", **P}).json()
    assert sum(row["values"]["members.total"] for row in members["rows"]) == members["total"]["members.total"]


def test_overview_query_count_is_fixed(stats_data, admin_client, uncached_figures):
    admin_client.get(OVERVIEW, {"org": stats_data["district"].pk, **P})  # scope cached on the user
    with CaptureQueriesContext(connection) as small:
        admin_client.get(OVERVIEW, {"org": stats_data["district"].pk, **P})
    add_communities(stats_data["street"], 5)
    with CaptureQueriesContext(connection) as large:
        admin_client.get(OVERVIEW, {"org": stats_data["district"].pk, **P})
    # Fixed whatever the size of the subtree: a few queries per block (coverage, members and
    # 失联 apart, compliance, venues, governance, service, scores, development, transfers, dues,
    # elections), none per node.
    assert len(small.captured_queries) == len(large.captured_queries) <= 41


def test_trend_by_month(stats_data, admin_client):
    r = admin_client.get(
        TREND,
        {
            "org": stats_data["district"].pk,
            "metric": "members.admitted_in_period",
            "from": "2025-11-01",
            "to": "2026-03-15",
        },
    )
    assert r.status_code == 200, r.content
    points = {p["period"]: p["value"] for p in r.json()["points"]}
    assert points == {"2025-11": 0, "2025-12": 1, "2026-01": 0, "2026-02": 1, "2026-03": 0}
    r = admin_client.get(TREND, {"metric": "members.reported_in_period", "from": "2025-01-01", "to": "2026-12-31"})
    assert sum(p["value"] for p in r.json()["points"]) == 2
    r = admin_client.get(TREND, {"metric": "coverage.compounds_created", "from": "2000-01-01", "to": "2009-12-31"})
    assert r.status_code == 200 and len(r.json()["points"]) == 120


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (OVERVIEW, {"from": "2026-05-01", "to": "2026-01-01"}),
        (OVERVIEW, {"from": "not-a-date"}),
        (OVERVIEW, {"org": "abc"}),
        (OVERVIEW, {"org": "99999999999999999999999"}),
        (OVERVIEW, {"to": "0001-01-01"}),
        (BREAKDOWN, {}),
        (BREAKDOWN, {"metric": "nope"}),
        (BREAKDOWN, {"metric": "members.nope"}),
        (TREND, {"metric": "members.total"}),
        (TREND, {"metric": "members.admitted_in_period", "interval": "week"}),
        (TREND, {"metric": "members.admitted_in_period", "from": "2000-01-01", "to": "2026-01-01"}),
    ],
)
def test_bad_input_is_400_json(stats_data, admin_client, url, params):
    r = admin_client.get(url, params)
    assert r.status_code == 400, r.content
    assert r.json()["code"] == "invalid"


def test_schema_documents_every_figure(stats_data, admin_client):
    r = admin_client.get("/api/v1/schema/", {"format": "json"})
    assert r.status_code == 200
    schema = r.json()
    op = schema["paths"]["/api/v1/stats/overview/"]["get"]
    props = op["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["figures"]["properties"]
    assert "在职党员回小区报到" in props["members.reported_in_service"]["description"]
    assert props["coverage.coverage_rate"]["type"] == "number"
    assert "members.admitted_in_period" in schema["paths"]["/api/v1/stats/trend/"]["get"]["description"]
    params = {p["name"] for p in op["parameters"]}
    assert {"org", "from", "to"} <= params


def test_a_breakdown_of_one_figure_computes_only_the_parts_that_can_return_it(
    stats_data, admin_client, uncached_figures
):
    def queries(metric):
        with CaptureQueriesContext(connection) as ctx:
            r = admin_client.get(BREAKDOWN, {"org": stats_data["district"].pk, "metric": metric, **P})
        assert r.status_code == 200, r.content
        return " ".join(q["sql"] for q in ctx.captured_queries)

    # 失联 reads the members' last presence: asked for the total only, that part is skipped.
    assert "members_memberlife" not in queries("members.total")
    assert "members_memberlife" in queries("members.lost_contact")
    assert "members_memberlife" in queries("members")
