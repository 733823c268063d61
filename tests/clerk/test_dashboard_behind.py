"""The 三会一课 落实情况 table on /dashboard/: the behind list of the node and period (the same
rows as members.clerk.behind), drill-down links, nothing of another subtree."""

import datetime

import pytest
from django.test import Client

from members import compliance
from members.clerk.behind import behind_list
from members.clerk.dashboard_panel import window_for
from tests.clerk.test_behind import held  # noqa: F401

pytestmark = pytest.mark.django_db

Q3 = {"from": "2026-07-01", "to": "2026-09-30"}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_window_of_the_dashboard_period():
    d = datetime.date
    assert window_for(d(2026, 7, 1), d(2026, 9, 30))[1] == "Q3"
    assert window_for(d(2026, 5, 1), d(2026, 5, 31))[1] == "2026-05"
    assert window_for(d(2026, 1, 1), d(2026, 6, 15))[0].unit == "year"


def test_table_for_node_and_period(district_admin, tree, held):  # noqa: F811
    response = _client(district_admin).get("/dashboard/", {"org": tree["district"].pk, **Q3})
    html = response.content.decode()
    assert 'id="behind-table"' in html
    window = compliance.parse_window(2026, "Q3")
    expected = behind_list(tree["district"], window, today=datetime.date(2026, 9, 30))
    for row in expected:
        assert f'data-branch="{row.branch.branch_id}" data-gap="{row.gap}"' in html
    assert html.count('class="behind-row"') == len(expected) == 2
    # drill-down: the community's dashboard, the branch's meetings, the full admin list
    assert f'href="?org={tree["community_a"].pk}&amp;from=2026-07-01' in html
    assert f"/admin/members/meeting/?org={tree['branch_a'].pk}" in html
    assert "/admin/members/meeting/behind/?org=" in html and "period=Q3" in html


def test_table_is_scoped(staff_b, tree, held):  # noqa: F811
    html = _client(staff_b).get("/dashboard/", Q3).content.decode()
    assert html.count('class="behind-row"') == 1
    assert tree["branch_a"].name not in html and tree["branch_b"].name in html


def test_panel_shows_the_furthest_behind_and_says_how_many(district_admin, tree, held, monkeypatch):  # noqa: F811
    from members.clerk import dashboard_panel

    monkeypatch.setattr(dashboard_panel, "PANEL_ROWS", 1)
    html = _client(district_admin).get("/dashboard/", {"org": tree["district"].pk, **Q3}).content.decode()
    window = compliance.parse_window(2026, "Q3")
    expected = behind_list(tree["district"], window, today=datetime.date(2026, 9, 30))
    assert html.count('class="behind-row"') == 1
    assert f'data-branch="{expected[0].branch.branch_id}"' in html  # the largest gap first
    assert 'id="behind-count"' in html and "2 个支部" in html
