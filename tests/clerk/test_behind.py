"""三会一课 落实情况: /api/v1/compliance/behind/ and members.clerk.behind (figures from the one
compliance engine; filters, sort, the behind-only default, Excel export, scope)."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from members import compliance
from members.clerk.behind import behind_list
from members.meetings import meeting_record
from members.models import MeetingKind
from tests.factories import NumberedMemberFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/compliance/behind/"


def _hold(branch, kind, month, member):
    meeting_record(
        organization=branch,
        kind=kind,
        held_at=datetime.datetime(2026, month, 5, 19, tzinfo=datetime.UTC),
        topic="t",
        attendance=[{"member": member.pk, "status": "present"}],
    )


@pytest.fixture
def held(tree):
    m = NumberedMemberFactory(branch=tree["branch_a"])
    NumberedMemberFactory(branch=tree["branch_b"])
    _hold(tree["branch_a"], MeetingKind.THEME_DAY, 7, m)
    return m


def test_rows_match_the_compliance_engine(tree, held):
    window = compliance.parse_window(2026, "Q3")
    today = datetime.date(2026, 12, 1)
    rows = behind_list(tree["district"], window, today=today, show_all=True)
    engine = {b.branch_id: b for b in compliance.compliance_for_subtree(tree["district"], window, today=today).branches}
    assert {r.branch.branch_id for r in rows} == set(engine)
    for row in rows:
        assert row.gap == sum(k.gap for k in engine[row.branch.branch_id].kinds)
        assert row.street == tree["street"].name
    a = next(r for r in rows if r.branch.branch_id == tree["branch_a"].pk)
    assert a.community == tree["community_a"].name
    theme = next(k for k in a.branch.kinds if k.kind == "theme_day")
    assert (theme.held, theme.required, theme.gap) == (1, 3, 2)
    # sorted by gap, largest first (branch A owes its group's 党小组会 too)
    assert [r.gap for r in rows] == sorted((r.gap for r in rows), reverse=True)
    assert rows[0].gap > rows[1].gap
    ascending = behind_list(tree["district"], window, today=today, show_all=True, sort="gap")
    assert [r.branch.branch_id for r in ascending] == [r.branch.branch_id for r in reversed(rows)]


def test_api_filters_toggle_and_scope(api_client_for, district_admin, staff_b, tree, held):
    client = api_client_for(district_admin)
    body = client.get(f"{URL}?org={tree['district'].pk}&year=2026&period=Q3").json()
    assert body["count"] == 2
    assert body["results"][0]["gap"] >= body["results"][1]["gap"]
    only_a = client.get(f"{URL}?org={tree['district'].pk}&year=2026&period=Q3&community={tree['community_a'].pk}")
    assert [r["branch"]["id"] for r in only_a.json()["results"]] == [tree["branch_a"].pk]
    other_street = client.get(f"{URL}?org={tree['district'].pk}&year=2026&period=Q3&street={tree['community_a'].pk}")
    assert other_street.json()["count"] == 0
    assert client.get(f"{URL}?org={tree['district'].pk}&year=2026&period=Q3&all=1").json()["count"] == 2
    # staff of community B sees only its own branch and not the district
    assert api_client_for(staff_b).get(f"{URL}?org={tree['district'].pk}&year=2026").status_code == 404
    own = api_client_for(staff_b).get(f"{URL}?org={tree['community_b'].pk}&year=2026&period=Q3").json()
    assert [r["branch"]["id"] for r in own["results"]] == [tree["branch_b"].pk]


@pytest.mark.parametrize("query, field", [("&sort=colour", "sort"), ("&period=Q9", "period"), ("&street=x", "street")])
def test_bad_input_is_400(api_client_for, district_admin, tree, query, field):
    response = api_client_for(district_admin).get(f"{URL}?org={tree['district'].pk}&year=2026{query}")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert api_client_for(district_admin).get(f"{URL}?year=2026").status_code == 400


def test_excel_export(api_client_for, district_admin, tree, held):
    response = api_client_for(district_admin).get(f"{URL}?org={tree['district'].pk}&year=2026&period=Q3&export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    names = {r[2] for r in rows[1:]}
    assert names == {tree["branch_a"].name, tree["branch_b"].name}
