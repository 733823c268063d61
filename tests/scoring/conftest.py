"""A small scored world with numbers checkable by hand (see ``test_scoring.EXPECTED``)."""

import datetime

import pytest
from django.utils import timezone

from members.models import Member, Position
from members.models.meetings import Attendance, Meeting
from organizations import services
from organizations.models import Building, ManualScore, ScoringCriterion, Venue
from tests.factories import make_tree

Q3 = "2026-Q3"


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(19, 30), tzinfo=timezone.get_current_timezone())


def member(branch, name, **extra) -> Member:
    extra.setdefault("gender", "male")
    return Member.objects.create(name=name, branch=branch, home_organization=branch, **extra)


def build_world(prefix: str = "", tree: dict | None = None) -> dict:
    tree = tree or make_tree(prefix)
    a, group = tree["branch_a"], tree["group_a"]
    full = [member(a, f"{prefix}党员{i}", party_status="full") for i in range(8)]
    member(
        a,
        f"{prefix}预备党员",
        party_status="probationary",
        admitted_on=datetime.date(2025, 10, 1),
        probation_due_on=datetime.date(2026, 10, 1),
    )
    full[0].occupation_status = full[1].occupation_status = "in_service"
    full[0].reported_on = datetime.date(2026, 3, 1)
    full[2].floating_status, full[2].floating_to = "out", "深圳"
    full[3].lost_contact = True
    for m in full[:4]:
        m.save()
    for m, kind in zip(full, ("secretary", "organization", "publicity"), strict=False):
        Position.objects.create(member=m, organization=a, kind=kind, started_on=datetime.date(2024, 1, 1))
    Venue.objects.create(
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
        Building.objects.create(compound=compound, name=f"{n}栋", group=group if n <= 3 else None)
    full[1].compound = compound
    full[1].save()
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
    made = []
    for org, kind, day in meetings:
        made.append(Meeting.objects.create(organization=org, kind=kind, held_at=at(day), topic=f"{kind} {day}"))
    # Attendance: members 0..3 present at the party congress, member 4 absent.
    for m in full[:4]:
        Attendance.objects.create(meeting=made[0], member=m, status="present")
    Attendance.objects.create(meeting=made[0], member=full[4], status="absent")
    appraisal = ScoringCriterion.objects.get(code="appraisal")
    ManualScore.objects.create(branch=a, criterion=appraisal, period=Q3, points=3, note="民主评议已完成")
    return {**tree, "members": full, "compound": compound, "meetings": made}


@pytest.fixture
def world(tree):
    """Built on the shared ``tree`` fixture, so ``district_admin`` / ``staff_a`` see it."""
    return build_world(tree=tree)
