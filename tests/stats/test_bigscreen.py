"""大屏: the dashboard's figures for the user's scope, dark, self-refreshing and read-only."""

P = {"from": "2026-01-01", "to": "2026-06-30"}
URL = "/dashboard/screen/"


def test_bigscreen_figures_and_scope(stats_data, staff_a, client):
    client.force_login(staff_a)
    response = client.get(URL, P)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="members.total" data-value="3"' in html
    dashboard = client.get("/dashboard/", P).content.decode()
    for card in response.context["cards"]:  # the dashboard's numbers, exactly
        assert (
            f'data-figure="{card["name"]}" data-value="{card["value"] if card["value"] is not None else ""}"'
            in dashboard
        )
    assert 'data-refresh="60"' in html and "dashboard/screen.js" in html
    assert "<form" not in html and "B社区" not in html
    assert client.get(URL, {"org": stats_data["community_b"].pk}).status_code == 404
    assert client.get(URL, {"org": "x"}).status_code == 404
    assert f'href="{URL}?org=' in dashboard  # linked from the dashboard


def test_bigscreen_needs_login(db, client):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
