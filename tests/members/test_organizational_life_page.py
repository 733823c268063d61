"""The member list reads the organizational life of its page in one grouped query
(``attach_organizational_life``): the same figures as the per-row annotations
(``annotate_organizational_life``) for every kind of attendance."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from members.meetings import meeting_record, meeting_set_archived
from members.models import MeetingKind, Member
from members.organizational_life import annotate_organizational_life, attach_organizational_life
from organizations.models import Formation, OrganizationKind, Role
from tests.factories import make_org, make_user
from tests.rules.helpers import member

D = datetime.date
FIELDS = ("life_total", "life_at_residence", "life_at_home", "last_attended", "lost_contact_due")


def _meet(org, day, *present, absent=(), now=None):
    tz = timezone.get_current_timezone()
    return meeting_record(
        organization=org,
        kind=MeetingKind.GROUP_MEETING if org.kind == OrganizationKind.GROUP else MeetingKind.THEME_DAY,
        held_at=datetime.datetime.combine(day, datetime.time(19), tzinfo=tz),
        topic=f"主题党日{org.pk}-{day}",
        attendance=[{"member": m.pk, "status": "present"} for m in present]
        + [{"member": m.pk, "status": "absent"} for m in absent],
        now=now or datetime.datetime.combine(day, datetime.time(22), tzinfo=tz),
    )


@pytest.fixture
def people(tree):
    home = tree["branch_b"]
    residence = make_org(
        OrganizationKind.BRANCH, tree["community_a"], name="兼合式支部", formation=Formation.INTEGRATED
    )
    group = make_org(OrganizationKind.GROUP, residence, name="一组")
    dual = member(residence, group=group, home_organization=home, today=D(2020, 1, 1))
    plain = member(tree["branch_a"], today=D(2020, 1, 1))
    silent = member(tree["branch_a"], today=D(2020, 1, 1))
    newcomer = member(tree["branch_a"], today=D(2026, 10, 1))
    year = 2026
    _meet(residence, D(year, 1, 15), dual)
    _meet(group, D(year, 3, 2), dual)
    _meet(home, D(year, 4, 8), dual)
    _meet(tree["branch_a"], D(year, 2, 1), plain, absent=[silent])
    _meet(tree["branch_a"], D(year - 1, 12, 30), plain, silent)  # last year: last attended, not counted
    archived = _meet(tree["branch_a"], D(year, 6, 1), plain, silent)
    meeting_set_archived(meeting=archived, archived=True)
    return [dual, plain, silent, newcomer]


@pytest.mark.parametrize(
    ("today", "lost"),
    [(D(2026, 6, 20), set()), (D(2026, 7, 10), {2}), (D(2026, 11, 20), {0, 1, 2}), (D(2027, 3, 1), {0, 1, 2})],
)
def test_page_figures_equal_the_per_row_annotations(people, today, lost):
    ids = [m.pk for m in people]
    annotated = {
        m.pk: tuple(getattr(m, f) for f in FIELDS)
        for m in annotate_organizational_life(Member.objects.filter(pk__in=ids), year=2026, today=today)
    }
    loaded = attach_organizational_life(list(Member.objects.filter(pk__in=ids)), year=2026, today=today)
    attached = {m.pk: tuple(getattr(m, f) for f in FIELDS) for m in loaded}
    assert attached == annotated
    assert attached[people[0].pk][:3] == (3, 2, 1)
    # The archived June meeting does not count; the newcomer is never lost.
    assert {i for i, m in enumerate(people) if attached[m.pk][4]} == lost


def test_list_and_detail_agree(people, tree, api_client_for):
    client = api_client_for(make_user("life_page", tree["district"], Role.DISTRICT_ADMIN))
    listed = {
        r["id"]: r["organizational_life"] for r in client.get("/api/v1/members/", {"page_size": 500}).json()["results"]
    }
    for m in people:
        assert listed[m.pk] == client.get(f"/api/v1/members/{m.pk}/").json()["organizational_life"]
