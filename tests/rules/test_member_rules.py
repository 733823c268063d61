"""Rules of a member's status and organizational life, through the paths users take."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from members import services
from members.meetings import meeting_record
from members.models import MeetingKind, Member, MemberEvent, MemberEventKind, PartyStatus, Position, PositionKind
from organizations.models import Formation, Organization, OrganizationKind, Role
from organizations.reminders import due_reminders
from organizations.services import organization_update
from organizations.statistics import Period, compute_figures
from tests.factories import make_org, make_user
from tests.rules.helpers import member

CHINESE = re.compile(r"[\u4e00-\u9fff]")
D = datetime.date


@pytest.fixture
def api(tree, api_client_for):
    return api_client_for(make_user("rules_members", tree["district"], Role.DISTRICT_ADMIN))


def _held(month, day=10, year=None):
    year = year or timezone.localdate().year
    return datetime.datetime(year, month, day, 19, 0, tzinfo=timezone.get_current_timezone())


# --- probation ---------------------------------------------------------------------------------


def test_api_extends_probation_once_and_records_the_event(tree, api):
    m = member(tree["branch_a"], probationary=True)
    url = f"/api/v1/members/{m.pk}/"
    assert api.patch(url, {"probation_extension_months": 6}, format="json").status_code == 200
    kinds = list(MemberEvent.objects.filter(member=m).values_list("kind", flat=True))
    assert MemberEventKind.PROBATION_EXTENDED in kinds and MemberEventKind.UPDATED not in kinds
    for months in (12, 0):  # a second extension, or undoing the first
        response = api.patch(url, {"probation_extension_months": months}, format="json")
        assert response.status_code == 400
        assert CHINESE.search(response.json()["errors"]["probation_extension_months"][0])
    assert Member.objects.get(pk=m.pk).probation_extension_months == 6
    assert api.patch(url, {"probation_extension_months": 13}, format="json").status_code == 400


def test_api_confirms_full_membership_as_its_own_event(tree, api):
    m = member(tree["branch_a"], probationary=True)
    url = f"/api/v1/members/{m.pk}/"
    response = api.patch(url, {"party_status": "full", "full_member_on": "2025-06-01"}, format="json")
    assert response.status_code == 200, response.json()
    m.refresh_from_db()
    assert (m.party_status, m.full_member_on) == (PartyStatus.FULL, D(2025, 6, 1))
    assert MemberEvent.objects.filter(member=m, kind=MemberEventKind.FULL_MEMBER, occurred_on=D(2025, 6, 1)).exists()
    back = api.patch(url, {"party_status": "probationary"}, format="json")
    assert back.status_code == 400 and CHINESE.search(back.json()["errors"]["party_status"][0])


def test_admin_refuses_a_second_extension(tree, admin_client):
    m = member(tree["branch_a"], probationary=True)
    services.member_extend_probation(member=m, months=6)
    response = admin_client.get(f"/admin/members/member/{m.pk}/change/")
    form = response.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update({"probation_extension_months": 12, "branch": tree["branch_a"].pk})
    data.update({f"positions-{k}": v for k, v in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()})
    response = admin_client.post(f"/admin/members/member/{m.pk}/change/", data)
    assert response.status_code == 200
    assert "probation_extension_months" in response.context["adminform"].form.errors
    assert Member.objects.get(pk=m.pk).probation_extension_months == 6


# --- elected positions -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["secretary", "deputy_secretary", "publicity"])
def test_a_probationary_member_cannot_hold_an_elected_position(tree, api, kind):
    m = member(tree["branch_a"], probationary=True)
    body = {"member": m.pk, "organization": tree["branch_a"].pk, "kind": kind, "started_on": "2025-03-01"}
    response = api.post("/api/v1/positions/", body, format="json")
    assert response.status_code == 400
    assert "预备党员" in response.json()["errors"]["member"][0]
    assert not Position.objects.exists()


def test_a_probationary_member_may_be_a_building_head(tree, api):
    m = member(tree["branch_a"], probationary=True)
    body = {"member": m.pk, "organization": tree["branch_a"].pk, "kind": "building_head", "started_on": "2025-03-01"}
    assert api.post("/api/v1/positions/", body, format="json").status_code == 201


def test_one_current_secretary_is_a_database_constraint(tree):
    a, b = member(tree["branch_a"]), member(tree["branch_a"])
    services.position_create(
        member=a, organization=tree["branch_a"], kind=PositionKind.SECRETARY, started_on=D(2024, 1, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        # What a concurrent writer that passed the overlap check at the same moment would insert.
        Position.objects.bulk_create(
            [Position(member=b, organization=tree["branch_a"], kind=PositionKind.SECRETARY, started_on=D(2025, 1, 1))]
        )


# --- dual crediting ----------------------------------------------------------------------------


@pytest.fixture
def dual(tree):
    """A member registered in branch X (her home organization) who lives in 兼合式 branch Y."""
    home = tree["branch_b"]
    residence = make_org(
        OrganizationKind.BRANCH, tree["community_a"], name="兼合式支部", formation=Formation.INTEGRATED
    )
    her = member(residence, home_organization=home, today=D(2025, 1, 1))
    return home, residence, her


def test_home_meeting_accepts_the_member_living_elsewhere(dual, api):
    home, residence, her = dual
    for org in (home, residence):
        body = {
            "organization": org.pk,
            "kind": "theme_day",
            "held_at": _held(1, 15).isoformat(),
            "topic": f"{org.name}主题党日",
            "attendance": [{"member": her.pk, "status": "present"}],
        }
        response = api.post("/api/v1/meetings/", body, format="json")
        assert response.status_code == 201, response.json()
    life = api.get(f"/api/v1/members/{her.pk}/").json()["organizational_life"]
    assert (life["total"], life["at_residence"], life["at_home"]) == (2, 1, 1)
    listed = api.get("/api/v1/members/", {"branch_id": residence.pk}).json()["results"]
    assert listed[0]["organizational_life"]["at_home"] == 1


def test_statistics_show_the_split(dual):
    home, residence, her = dual
    for day, org in ((10, home), (11, residence), (12, residence)):
        meeting_record(
            organization=org,
            kind=MeetingKind.THEME_DAY,
            held_at=_held(1, day),
            topic=f"学习{day}",
            attendance=[{"member": her.pk, "status": "present"}],
        )
    year = timezone.localdate().year
    figures = compute_figures([residence], Period(D(year, 1, 1), D(year, 12, 31)))[residence.pk]
    assert (figures["members.life_total"], figures["members.life_at_residence"], figures["members.life_at_home"]) == (
        3,
        2,
        1,
    )


def test_member_list_costs_the_same_queries_for_one_and_many(tree, api, django_assert_max_num_queries):
    member(tree["branch_a"])
    with django_assert_max_num_queries(12) as one:
        api.get("/api/v1/members/")
    for _ in range(5):
        member(tree["branch_a"])
    with django_assert_max_num_queries(len(one.captured_queries)):
        api.get("/api/v1/members/")


# --- 失联 --------------------------------------------------------------------------------------


def test_lost_contact_counts_from_joining_and_is_exclusive_at_six_months(tree):
    branch = tree["branch_a"]
    today = D(2026, 11, 20)
    newcomer = member(branch, today=D(2026, 6, 1))  # joined less than six months ago: not lost
    old_silent = member(branch, today=D(2025, 1, 1))  # nothing since joining long ago: lost
    exactly = member(branch, today=D(2025, 1, 1))  # last seen exactly six months ago: not lost
    day_more = member(branch, today=D(2025, 1, 1))  # a day more: lost
    tz = timezone.get_current_timezone()
    for who, day in ((exactly, D(2026, 5, 20)), (day_more, D(2026, 5, 19))):
        meeting_record(
            organization=branch,
            kind=MeetingKind.THEME_DAY,
            held_at=datetime.datetime.combine(day, datetime.time(20), tzinfo=tz),
            topic=f"主题党日{day}",
            attendance=[{"member": who.pk, "status": "present"}],
            now=datetime.datetime(2026, 11, 20, tzinfo=tz),
        )
    from members.organizational_life import lost_contact_members

    assert {m.pk for m in lost_contact_members(branch, today=today)} == {old_silent.pk, day_more.pk}
    reminded = {r.subject_id for r in due_reminders(today=today) if r.reason == "no_organizational_life"}
    assert {old_silent.pk, day_more.pk} <= reminded and not {newcomer.pk, exactly.pk} & reminded
    fresh = Organization.objects.get(pk=branch.pk)  # nested-set bounds as stored
    figures = compute_figures([fresh], Period(D(2026, 1, 1), today))[branch.pk]
    assert figures["members.lost_contact"] == 2


def test_lost_contact_in_the_member_api(tree, api):
    m = member(tree["branch_a"], today=D(2020, 1, 1))
    assert api.get(f"/api/v1/members/{m.pk}/").json()["organizational_life"]["lost_contact"] is True
    fresh = member(tree["branch_a"], today=timezone.localdate())
    assert api.get(f"/api/v1/members/{fresh.pk}/").json()["organizational_life"]["lost_contact"] is False


def test_a_transfer_restarts_the_count(tree):
    m = member(tree["branch_a"], today=D(2020, 1, 1))
    services.member_transfer(member=m, branch=tree["branch_b"], today=D(2026, 10, 1))
    from members.organizational_life import lost_contact_members

    assert not lost_contact_members(tree["branch_b"], today=D(2026, 11, 20)).exists()


# --- 即将转正: one window ----------------------------------------------------------------------


@override_settings(PROBATION_DUE_SOON_DAYS=45)
def test_one_due_soon_window_for_page_admin_filter_and_reminder(tree, admin_client):
    today = timezone.localdate()
    branch = tree["branch_a"]
    # Due in 40 days: inside a 45-day window, outside the old 30-day one.
    admitted = services.add_months(today + datetime.timedelta(days=40), -12)
    m = member(branch, probationary=True, admitted_on=admitted, today=admitted)
    from members.organizational_life import members_due_for_full_membership

    assert [x[0].pk for x in members_due_for_full_membership(branch, today=today)] == [m.pk]
    assert m.pk in {r.subject_id for r in due_reminders(today=today) if r.reason == "probation_due"}
    response = admin_client.get("/admin/members/member/", {"probation": "due"})
    assert m.name in response.content.decode()
    with override_settings(PROBATION_DUE_SOON_DAYS=30):
        assert members_due_for_full_membership(branch, today=today) == []
        assert m.pk not in {r.subject_id for r in due_reminders(today=today) if r.reason == "probation_due"}


def test_term_end_setting_is_untouched(tree):
    # a plain update of another field does not invent a term end
    node = organization_update(organization=tree["branch_a"], phone="023-1234")
    assert node.term_ends_on is None


def test_admin_member_page_shows_the_split(dual, admin_client):
    home, residence, her = dual
    for day, org in ((10, home), (11, residence)):
        meeting_record(
            organization=org,
            kind=MeetingKind.THEME_DAY,
            held_at=_held(1, day),
            topic=f"学习{day}",
            attendance=[{"member": her.pk, "status": "present"}],
        )
    page = admin_client.get(f"/admin/members/member/{her.pk}/change/").content.decode()
    assert "共 2 次（居住地小区支部 1 次，组织关系所在党组织 1 次）" in page
