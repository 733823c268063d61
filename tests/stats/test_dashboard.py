"""The staff dashboard: scope, drill-down, numbers equal to the API (test client and real browser)."""

import os

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from organizations.models import Organization
from tests.screenshots import SHOTS
from tests.stats.conftest import seed_demo_members

P = {"from": "2026-01-01", "to": "2026-06-30"}
SCREENSHOT = SHOTS / "dashboard.png"


def test_dashboard_scope_and_numbers(stats_data, staff_a, client):
    client.force_login(staff_a)
    r = client.get("/dashboard/", P)
    assert r.status_code == 200
    html = r.content.decode()
    assert "A社区" in html and 'data-figure="members.total" data-value="3"' in html
    assert client.get("/dashboard/", {"org": stats_data["community_b"].pk}).status_code == 404
    assert client.get("/dashboard/", {"org": stats_data["branch_a"].pk}).status_code == 200
    assert client.get("/dashboard/", {"org": "abc"}).status_code == 404


def test_dashboard_needs_login(db, client):
    r = client.get("/dashboard/")
    assert r.status_code == 302 and "/admin/login/" in r["Location"]


def test_admin_index_links_the_dashboard(stats_data, district_admin, client):
    client.force_login(district_admin)
    html = client.get("/admin/").content.decode()
    assert 'href="/dashboard/"' in html and "统计看板" in html


@pytest.mark.browser
def test_dashboard_in_a_real_browser(transactional_db, live_server, browser):
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", stdout=devnull)
    seed_demo_members()
    street = Organization.objects.get(code="NA-NP")
    token = Token.objects.create(user_id=street.access_scopes.get().user_id)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    overview = api.get("/api/v1/stats/overview/", P).json()
    breakdown = api.get("/api/v1/stats/breakdown/", {"metric": "members.total", **P}).json()

    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.goto(f"{live_server.url}/admin/login/?next=/dashboard/%3Ffrom%3D2026-01-01%26to%3D2026-06-30")
    page.fill("#id_username", "nanping_staff")
    page.fill("#id_password", "Dangjian@2026")
    page.click("input[type=submit]")
    page.wait_for_selector("#cards")
    page.wait_for_function("() => window.dashboardCharts >= 6")
    # Charts are drawn: every chart container holds a canvas.
    for chart in ("party", "age", "occupation", "trend", "children-coverage", "children-members"):
        assert page.locator(f"#chart-{chart} canvas").count() == 1, chart
    assert page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('chart-age')).getOption().series[0].data"
    )
    # The numbers shown equal the API's.
    shown = page.eval_on_selector_all(
        "#cards .card",
        "els => els.map(e => [e.dataset.figure, e.dataset.value, e.querySelector('.value').textContent])",
    )
    assert shown
    for name, value, text in shown:
        api_value = overview["figures"][name]
        if api_value is None:
            assert value == "" and text == "—"
        elif isinstance(api_value, float):
            assert float(value) == api_value
        else:
            assert int(value) == api_value and text == str(api_value), name
    rows = page.eval_on_selector_all(
        "#children tbody tr",
        "els => els.map(e => [+e.dataset.org, +e.querySelector('[data-figure=\"members.total\"]').dataset.value])",
    )
    assert rows == [[row["organization"]["id"], row["values"]["members.total"]] for row in breakdown["rows"]]
    assert overview["figures"]["members.total"] > 0
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    # Drill down into the first community by clicking its row.
    page.click("#children tbody tr:first-child a")
    page.wait_for_selector("#cards")
    assert page.locator("header h1").inner_text().endswith(breakdown["rows"][0]["organization"]["name"])
    page.close()
