"""Governance figures equal a hand count, on the demo district and on a small built tree."""

import datetime

import pytest

from committees import services
from committees.demo import seed as demo
from committees.selectors import governance_stats
from core.registry import DemoContext
from organizations.demo import seed as org_demo
from organizations.models import Organization
from tests.committees.helpers import D, compound, member, owners_committee, position

DEMO_TODAY = datetime.date(2026, 11, 30)


def fresh(node):
    """Nested-set values held in memory go stale as the tree grows."""
    return Organization.objects.get(pk=node.pk)


@pytest.fixture
def demo_district(db):
    ctx = DemoContext(today=DEMO_TODAY, write=lambda *a: None)
    org_demo.seed(ctx)
    demo.seed(ctx)
    demo.seed(ctx)  # idempotent
    return ctx


def test_demo_district_hand_count(demo_district):
    """Hand count from committees/demo/seed.py: 5 property-managed compounds, 金港苑's committee
    still forming; seats 7+3+5+7+3+5+3 = 33, party 5+2+2+4+2+3+2 = 20; owners' committees
    7+5+7+5 = 24 seats, party 5+2+4+3 = 14; 丽景花园's term ends in 45 days; one overdue matter."""
    stats = governance_stats(node=Organization.objects.get(code="NA"), today=DEMO_TODAY)
    assert stats["property_managed_compounds"] == 5
    assert stats["owners_committees_formed"] == 4
    assert stats["formation_rate"] == 0.8
    assert (stats["seats"], stats["party_member_seats"]) == (33, 20)
    assert (stats["owners_committee_seats"], stats["owners_committee_party_member_seats"]) == (24, 14)
    assert stats["owners_committee_party_member_share"] == round(14 / 24, 4)
    assert [i["compound_name"] for i in stats["terms_expiring"]["items"]] == ["丽景花园"]
    assert [i["name"] for i in stats["compounds_without_owners_committee"]["items"]] == ["金港苑"]
    assert stats["overdue_matters"]["count"] == 1
    assert stats["overdue_matters"]["items"][0]["title"] == "地下车库渗水维修"
    assert stats["matters_pending"] == 2


def test_demo_street_hand_count(demo_district):
    """花园路街道: 华城国际小区 (7 OC seats, 5 party; supervision 3, 2 party), 丽景花园 (5, 2),
    金鹤新村一期 self-governance group (3, 2); both property-managed compounds have a committee."""
    stats = governance_stats(node=Organization.objects.get(code="NA-HYL"), today=DEMO_TODAY)
    assert (stats["property_managed_compounds"], stats["owners_committees_formed"]) == (2, 2)
    assert stats["compounds_without_owners_committee"] == {"count": 0, "items": []}
    assert (stats["seats"], stats["party_member_seats"]) == (18, 11)
    assert (stats["owners_committee_seats"], stats["owners_committee_party_member_seats"]) == (12, 7)
    nanping = governance_stats(node=Organization.objects.get(code="NA-NP"), today=DEMO_TODAY)
    assert nanping["formation_rate"] == 0.5
    assert [i["name"] for i in nanping["compounds_without_owners_committee"]["items"]] == ["金港苑"]


def test_one_shoulder_and_cross_appointment(tree):
    today = D(2025, 6, 1)
    place = compound(tree["community_a"], branch=tree["branch_a"])
    body = owners_committee(place, elected=D(2024, 1, 1))
    secretary = member(tree["branch_a"], name="书记")
    position(secretary, tree["branch_a"], "secretary")
    organizer = member(tree["branch_a"], name="组织委员")
    position(organizer, tree["branch_a"], "organization")
    former = member(tree["branch_a"], name="前宣传委员")
    position(former, tree["branch_a"], "publicity", ended_on=D(2024, 12, 31))
    head = member(tree["branch_a"], name="楼栋长")
    position(head, tree["branch_a"], "building_head")
    for role, who in (("chair", secretary), ("vice_chair", organizer), ("member", former), ("member", head)):
        services.seat_save(committee=body, role=role, member=who, started_on=D(2024, 1, 1))
    services.seat_save(committee=body, role="member", holder_name="群众", started_on=D(2024, 1, 1))
    # The secretary also sits on a supervision group: still one person.
    group = services.committee_save(
        compound=place,
        kind="supervision_group",
        elected_on=D(2024, 1, 1),
        term_ends_on=D(2027, 1, 1),
        status="active",
    )
    services.seat_save(committee=group, role="member", member=secretary, started_on=D(2024, 1, 1))
    # A seat that ended does not count.
    services.seat_save(
        committee=body, role="member", member=organizer, started_on=D(2024, 1, 1), ended_on=D(2024, 6, 1)
    )

    stats = governance_stats(node=fresh(tree["district"]), today=today)
    assert stats["secretary_chairs_owners_committee"] == 1
    assert stats["cross_appointed_members"] == 2  # 书记 + 组织委员 (former / building head are not 支委)
    assert (stats["seats"], stats["party_member_seats"]) == (6, 5)
    assert stats["party_member_share"] == round(5 / 6, 4)
    # In community B nothing.
    other = governance_stats(node=fresh(tree["community_b"]), today=today)
    assert other["seats"] == 0 and other["formation_rate"] is None


def test_expiring_window_and_status(tree):
    place = compound(tree["community_a"])
    body = owners_committee(place, elected=D(2020, 7, 1))  # ends 2025-07-01
    assert governance_stats(node=fresh(tree["district"]), today=D(2025, 4, 2))["terms_expiring"]["count"] == 1
    assert governance_stats(node=fresh(tree["district"]), today=D(2025, 4, 1))["terms_expiring"]["count"] == 0
    services.committee_save(committee=body, status="expired")
    stats = governance_stats(node=fresh(tree["district"]), today=D(2025, 7, 2))
    assert stats["terms_expiring"]["count"] == 0
    assert stats["owners_committees_formed"] == 1  # expired still exists until dissolved
    services.committee_save(committee=body, status="dissolved")
    assert governance_stats(node=fresh(tree["district"]), today=D(2025, 7, 2))["owners_committees_formed"] == 0


def test_fixed_number_of_queries(tree, django_assert_num_queries):
    place = compound(tree["community_a"])
    owners_committee(place)
    node = fresh(tree["district"])
    with django_assert_num_queries(6):
        governance_stats(node=node, today=D(2025, 1, 1))
    for n in range(5):
        owners_committee(compound(tree["community_b"], name=f"小区{n}"))
    node = fresh(tree["district"])
    with django_assert_num_queries(6):
        governance_stats(node=node, today=D(2025, 1, 1))
