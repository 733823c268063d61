"""Admin forms never list a whole table in a select box: relations to searchable scoped models
are autocomplete widgets (their choices come from the scoped autocomplete view)."""

import re

import pytest
from django.test import Client

from tests.factories import make_org


@pytest.fixture
def many_branches(tree):
    return [make_org("compound_branch", tree["community_a"], name=f"宽表支部{i}") for i in range(40)]


def _selects(html):
    return {
        name: body.count("<option")
        for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S)
    }


@pytest.mark.parametrize("url", ["/admin/members/member/add/", "/admin/members/position/add/"])
def test_organization_relations_are_autocomplete(many_branches, district_admin, url):
    district_admin.is_staff = True
    district_admin.save()
    client = Client()
    client.force_login(district_admin)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "admin-autocomplete" in html
    # No select box lists the organizations (at most the empty choice and a selected one).
    counts = _selects(html)
    assert counts, html[:500]
    for name, options in counts.items():
        if name.endswith("organization") or name in ("branch", "group", "home_organization"):
            assert options <= 2, (name, options)


def test_autocomplete_lists_only_the_users_subtree(many_branches, staff_b):
    staff_b.is_staff = True
    staff_b.save()
    client = Client()
    client.force_login(staff_b)
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "members", "model_name": "position", "field_name": "organization", "term": "宽表"},
    )
    assert response.status_code == 200
    assert response.json()["results"] == []
