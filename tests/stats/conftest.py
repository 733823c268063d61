"""Fixtures of the statistics tests: a small district with hand-countable data, and the browser."""

import datetime
import itertools
import os
import shutil

import pytest

from members.models import PositionKind
from organizations import services
from organizations.models import Compound, OrganizationKind, Venue
from tests.factories import NumberedMemberFactory, PositionFactory, VenueFactory, make_org, make_tree

_n = itertools.count(1)

SIX = dict.fromkeys(Venue.SIX_STANDARDS, True)


def make_compound(community, branch=None, **extra) -> Compound:
    extra.setdefault("name", f"小区{next(_n)}")
    extra.setdefault("households", 100)
    return services.compound_save(community=community, branch=branch, **extra)


@pytest.fixture
def stats_data(tree):
    """The ``tree`` fixture plus data, and a second district (``x``) that must never be counted.

    Community A: compounds A1 (branch A, 100 households) and A2 (no branch, 50); branch A is
    standalone with group A; venue of branch A meets 六有, a second one does not.
    Community B: compound B1 (branch B, 200), branch B joint (set below), venue not 六有.
    Members (end of period 2026-06-30):
      branch A: m1 full, male, born 1990-07-01 (35 → ≤35), in service, reported 2026-03-02, bachelor
                m2 probationary, female, born 1990-06-30 (36 → 36–45), admitted 2026-02-10, retired
                m3 full, female, born 1940-01-01 (86 → over 80), retired, floating out
                m4 transferred out (never counted)
      branch B: m5 full, male, no birth date, in service, not reported, admitted 2025-12-01
                m6 full, male, born 1960-06-30 (66 → 61–70), in service, reported 2025-05-01 (before the period)
    Central households: m3 in group A (open), m1 in branch A (ended 2026-01-31: not held at end).
    """
    t = tree
    t["branch_b"].formation = "joint"
    t["branch_b"].save(update_fields=["formation"])
    make_compound(t["community_a"], t["branch_a"], name="A1", households=100)
    make_compound(t["community_a"], None, name="A2", households=50)
    make_compound(t["community_b"], t["branch_b"], name="B1", households=200)
    VenueFactory(branch=t["branch_a"], name="A驿站", **SIX)
    VenueFactory(branch=t["branch_a"], name="A活动室", has_place=True)
    VenueFactory(branch=t["branch_b"], name="B驿站", **{**SIX, "has_books": False})
    d = datetime.date
    a, b = t["branch_a"], t["branch_b"]
    m1 = NumberedMemberFactory(
        branch=a,
        birth_date=d(1990, 7, 1),
        occupation_status="in_service",
        reported_on=d(2026, 3, 2),
        education="bachelor",
    )
    NumberedMemberFactory(
        branch=a,
        gender="female",
        party_status="probationary",
        birth_date=d(1990, 6, 30),
        admitted_on=d(2026, 2, 10),
        occupation_status="retired",
    )
    m3 = NumberedMemberFactory(
        branch=a, gender="female", birth_date=d(1940, 1, 1), occupation_status="retired", floating_status="out"
    )
    NumberedMemberFactory(branch=a, transferred_out=True, birth_date=d(1980, 1, 1))
    NumberedMemberFactory(branch=b, occupation_status="in_service", admitted_on=d(2025, 12, 1))
    NumberedMemberFactory(
        branch=b, birth_date=d(1960, 6, 30), occupation_status="in_service", reported_on=d(2025, 5, 1)
    )
    PositionFactory(member=m3, organization=t["group_a"], kind=PositionKind.CENTRAL_HOUSEHOLD, started_on=d(2024, 1, 1))
    PositionFactory(
        member=m1,
        organization=a,
        kind=PositionKind.CENTRAL_HOUSEHOLD,
        started_on=d(2024, 1, 1),
        ended_on=d(2026, 1, 31),
    )
    # Another district: data everywhere, never counted for the first.
    x = make_tree("X")
    make_compound(x["community_a"], x["branch_a"], name="X1")
    NumberedMemberFactory(branch=x["branch_a"], birth_date=d(1990, 1, 1))
    VenueFactory(branch=x["branch_a"], name="X驿站", **SIX)
    t["x"] = x
    return t


def add_communities(street, count: int):
    """More communities (each with a branch, a compound and a member) under ``street``."""
    for _ in range(count):
        community = make_org(OrganizationKind.COMMUNITY, street)
        branch = make_org(OrganizationKind.BRANCH, community)
        make_compound(community, branch)
        NumberedMemberFactory(branch=branch)


CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def seed_demo_members() -> int:
    """Deterministic members in every demo branch (the members app seeds its own at merge time)."""
    import random

    from organizations.models import Organization

    rng = random.Random(8)
    d = datetime.date
    count = 0
    for branch in Organization.objects.filter(kind=OrganizationKind.BRANCH, code__startswith="NA").order_by("code"):
        for i in range(rng.randint(6, 14)):
            born = rng.randint(1938, 2000)
            occupation = rng.choice(["in_service", "retired", "retired", "unemployed", "student"])
            NumberedMemberFactory(
                branch=branch,
                gender=rng.choice(["male", "female"]),
                birth_date=d(born, rng.randint(1, 12), rng.randint(1, 28)),
                party_status="probationary" if i % 7 == 0 else "full",
                # Admitted at 18 or later (党章 第一条), never before 1975 in this data.
                admitted_on=d(2026, rng.randint(1, 6), 1)
                if i % 7 == 0
                else d(rng.randint(max(1975, born + 19), 2020), 6, 1),
                occupation_status=occupation,
                # 回小区报到 is for members in service (member_rules).
                reported_on=d(2026, rng.randint(1, 6), 10) if i % 3 == 0 and occupation == "in_service" else None,
                education=rng.choice(["senior", "college", "bachelor", "postgraduate", ""]),
            )
            count += 1
    return count
