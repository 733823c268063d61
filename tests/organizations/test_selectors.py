"""Cumulative counts equal a hand count, in a constant number of queries."""

from organizations import services
from organizations.models import Organization
from organizations.selectors import attach_cumulative_counts, cumulative_counts
from tests.factories import make_org


def test_cumulative_counts_match_hand_count(tree, django_assert_num_queries):
    services.compound_save(name="甲", community=tree["community_a"], branch=tree["branch_a"])
    services.compound_save(name="乙", community=tree["community_b"])
    services.compound_save(name="丙", community=tree["community_b"])
    with django_assert_num_queries(2):
        counts = cumulative_counts(Organization.objects.all(), ["compound_count"])
    hand = {
        "district": 3,
        "street": 3,
        "community_a": 1,
        "community_b": 2,
        "branch_a": 0,
        "branch_b": 0,
        "group_a": 0,
    }
    for key, expected in hand.items():
        assert counts[tree[key].pk]["compound_count"] == expected, key


def test_attach_constant_queries(tree, django_assert_num_queries):
    for _ in range(20):
        make_org("compound_branch", tree["community_a"])
    nodes = list(Organization.objects.all())
    with django_assert_num_queries(1):
        attach_cumulative_counts(nodes, ["compound_count"])
    assert all(hasattr(n, "compound_count") for n in nodes)


def test_other_district_not_counted(tree):
    from tests.factories import make_tree

    other = make_tree("外")
    services.compound_save(name="外小区", community=other["community_a"])
    counts = cumulative_counts(Organization.objects.filter(tree_id=tree["district"].tree_id), ["compound_count"])
    assert counts[tree["district"].pk]["compound_count"] == 0
