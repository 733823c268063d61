"""Large lists page by their keys first and count at most a cap (core.api.pagination): the same
rows as Django's paginator, in the same order, on every page."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator

from core.api.pagination import CappedCountPaginator, EstimatedCountPaginator
from members.models import Member
from tests.factories import RosterMemberFactory


@pytest.fixture
def members(tree):
    for i in range(7):
        RosterMemberFactory(branch=tree["branch_a" if i % 2 else "branch_b"], name=f"党员{7 - i}")
    return Member.objects.select_related("branch").order_by("branch_id", "name", "id")


@pytest.mark.parametrize("orphans", [0, 2])
def test_keys_first_pages_equal_djangos(members, orphans):
    ours, django = CappedCountPaginator(members, 3, orphans=orphans), Paginator(members, 3, orphans=orphans)
    assert ours.num_pages == django.num_pages
    for number in django.page_range:
        assert [m.pk for m in ours.page(number)] == [m.pk for m in django.page(number)]


def test_a_distinct_list_pages_as_django_does(members):
    rows = members.filter(name__startswith="党员").distinct()
    assert [m.pk for m in CappedCountPaginator(rows, 3).page(2)] == [m.pk for m in Paginator(rows, 3).page(2)]


def test_count_is_exact_below_the_cap_and_at_least_past_it(members, monkeypatch):
    assert EstimatedCountPaginator(members, 3).count == 7
    monkeypatch.setattr(EstimatedCountPaginator, "cap", 4)
    past = EstimatedCountPaginator(members, 3)
    assert past.count >= 5  # the planner's estimate, never less than the capped count
    assert [m.pk for m in past.page(1)] == [m.pk for m in Paginator(members, 3).page(1)]


def test_admin_changelist_pages_with_the_estimated_count(tree, admin_client):
    RosterMemberFactory(branch=tree["branch_a"])
    response = admin_client.get("/admin/members/member/")
    assert response.status_code == 200
    assert isinstance(response.context["cl"].paginator, EstimatedCountPaginator)
