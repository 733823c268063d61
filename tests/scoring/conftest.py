"""A small scored world with numbers checkable by hand (see ``test_scoring.EXPECTED``)."""

import datetime

import pytest
from django.utils import timezone

from members import services as member_services
from members.appraisal import services as appraisal_services
from members.meetings import meeting_record
from members.models import Member
from organizations import services
from tests.factories import BuildingFactory, MemberFactory, PositionFactory, VenueFactory, make_tree

Q3 = "2026-Q3"


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(19, 30), tzinfo=timezone.get_current_timezone())


def member(branch, name, **extra) -> Member:
    return MemberFactory(name=name, branch=branch, **extra)


def build_world(prefix: str = "", tree: dict | None = None) -> dict:
    tree = tree or make_tree(prefix)
    a, group = tree["branch_a"], tree["group_a"]
    full = [member(a, f"{prefix}党员{i}", party_status="full") for i in range(8)]
    member(
        a,
        f"{prefix}预备党员",
        party_status="probationary",
        admitted_on=datetime.date(2025, 10, 1),
    )
    full[0] = member_services.member_update(member=full[0], occupation_status="in_service")
    full[1] = member_services.member_update(member=full[1], occupation_status="in_service")
    full[0] = member_services.member_report(member=full[0], reported_on=datetime.date(2026, 3, 1))
    full[2] = member_services.member_mark_floating(member=full[2], direction="out", place="深圳")
    full[3] = member_services.member_mark_lost_contact(member=full[3])
    for m, kind in zip(full, ("secretary", "organization", "publicity"), strict=False):
        PositionFactory(member=m, organization=a, kind=kind, started_on=datetime.date(2024, 1, 1))
    VenueFactory(
        branch=a,
        name=f"{prefix}驿站",
        has_place=True,
        has_facilities=True,
        has_sign=True,
        has_flag=True,
        has_books=True,
        has_rules=False,
    )
    compound = services.compound_save(
        name=f"{prefix}小区",
        kind="self_managed",
        community=tree["community_a"],
        branch=a,
        households=100,
        building_count=4,
    )
    for n in range(1, 5):
        BuildingFactory(compound=compound, name=f"{n}栋", group=group if n <= 3 else None)
    full[1] = member_services.member_update(member=full[1], compound=compound)
    meetings = [
        (a, "party_congress", datetime.date(2026, 7, 5)),
        (a, "branch_committee", datetime.date(2026, 7, 10)),
        (a, "branch_committee", datetime.date(2026, 8, 10)),
        (group, "group_meeting", datetime.date(2026, 7, 12)),
        (group, "group_meeting", datetime.date(2026, 8, 12)),
        (group, "group_meeting", datetime.date(2026, 9, 12)),
        (a, "theme_day", datetime.date(2026, 7, 1)),
        (a, "theme_day", datetime.date(2026, 9, 1)),
        (a, "theme_day", datetime.date(2026, 9, 20)),  # second in the same month: still 2 months
        (a, "joint_meeting", datetime.date(2026, 8, 20)),
        (a, "branch_committee", datetime.date(2026, 10, 2)),  # next quarter: not counted
    ]
    # Attendance: members 0..3 present at the party congress, member 4 absent; the other meetings
    # are recorded without a roll (what the scoring reads is that they were held).
    congress = [{"member": m.pk, "status": "present"} for m in full[:4]] + [{"member": full[4].pk, "status": "absent"}]
    made = [
        meeting_record(
            organization=org,
            kind=kind,
            held_at=at(day),
            topic=f"{kind} {day}",
            attendance=congress if i == 0 else [],
            now=at(datetime.date(2026, 11, 1)),
        )
        for i, (org, kind, day) in enumerate(meetings)
    ]
    # 民主评议党员 of 2026: six of the nine active members appraised (the criterion reads the share).
    session = appraisal_services.appraisal_session_create(organization=a, year=2026, held_on=datetime.date(2026, 7, 20))
    for m in full[:6]:
        appraisal_services.appraisal_result_set(session=session, member=m, grade="qualified")
    return {**tree, "members": full, "compound": compound, "meetings": made}


@pytest.fixture
def world(tree):
    """Built on the shared ``tree`` fixture, so ``district_admin`` / ``staff_a`` see it."""
    return build_world(tree=tree)
