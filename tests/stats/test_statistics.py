"""The set-based helper: both strategies give the same totals as a per-node count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Member
from organizations.models import Organization
from organizations.statistics import Period, aggregates, compute_figures, subtree_aggregates
from tests.stats.conftest import add_communities

PERIOD = Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))


@pytest.mark.parametrize("max_case_nodes", [300, 0])
def test_subtree_aggregates_equal_per_node_counts(stats_data, monkeypatch, max_case_nodes):
    from django.db.models import Count, Q

    monkeypatch.setattr(aggregates, "MAX_CASE_NODES", max_case_nodes)
    add_communities(stats_data["street"], 3)
    nodes = list(Organization.objects.order_by("tree_id", "lft"))
    with CaptureQueriesContext(connection) as ctx:
        got = subtree_aggregates(
            nodes, Member, "branch", {"n": Count("pk"), "f": Count("pk", filter=Q(gender="female"))}, Q(status="active")
        )
    assert len(ctx.captured_queries) == 1
    for node in nodes:
        inside = Member.objects.filter(
            status="active", branch__tree_id=node.tree_id, branch__lft__gte=node.lft, branch__rght__lte=node.rght
        )
        assert got[node.pk] == {"n": inside.count(), "f": inside.filter(gender="female").count()}, node.name


def test_every_block_same_figures_either_way(stats_data, monkeypatch):
    nodes = list(Organization.objects.order_by("tree_id", "lft"))
    by_case = compute_figures(nodes, PERIOD)
    monkeypatch.setattr(aggregates, "MAX_CASE_NODES", 0)
    assert compute_figures(nodes, PERIOD) == by_case
    single = {node.pk: compute_figures([node], PERIOD)[node.pk] for node in nodes}
    assert single == by_case


def test_period_months_and_years():
    assert Period(datetime.date(2025, 11, 15), datetime.date(2026, 2, 1)).month_labels() == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    leap = Period(datetime.date(2024, 1, 1), datetime.date(2024, 2, 29))
    assert leap.years_before_end(1) == datetime.date(2023, 2, 28)
