"""Branch terms from data, structure warnings in the API and statistics, 党小组会 per group,
one active committee per kind."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from committees import services as committee_services
from committees.models import Committee, CommitteeKind, CommitteeStatus
from members.meetings import meeting_record
from members.models import MeetingKind
from organizations import services
from organizations.models import Organization, OrganizationKind, Role
from organizations.reminders import due_reminders
from organizations.statistics import Period, compute_figures
from tests.factories import make_org, make_user
from tests.rules.helpers import member

CHINESE = re.compile(r"[\u4e00-\u9fff]")
D = datetime.date


@pytest.fixture
def api(tree, api_client_for):
    return api_client_for(make_user("rules_structure", tree["district"], Role.DISTRICT_ADMIN))


# --- terms -------------------------------------------------------------------------------------


def test_term_end_is_derived_from_the_election(tree, api):
    url = f"/api/v1/organizations/{tree['branch_a'].pk}/"
    response = api.patch(url, {"elected_on": "2023-06-15"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["term_ends_on"] == "2028-06-15"  # the default 5 years


def test_a_ten_year_term_is_refused(tree, api):
    url = f"/api/v1/organizations/{tree['branch_a'].pk}/"
    response = api.patch(url, {"elected_on": "2023-06-15", "term_ends_on": "2033-06-15"}, format="json")
    assert response.status_code == 400
    assert CHINESE.search(response.json()["errors"]["term_ends_on"][0])
    ok = api.patch(url, {"elected_on": "2023-06-15", "term_ends_on": "2026-06-14"}, format="json")  # 3 years
    assert ok.status_code == 200, ok.json()


def test_community_terms_are_five_years(tree, api):
    url = f"/api/v1/organizations/{tree['community_a'].pk}/"
    bad = api.patch(url, {"elected_on": "2023-06-15", "term_ends_on": "2026-06-15"}, format="json")
    assert bad.status_code == 400


def test_the_term_reminder_fires_from_the_derived_date(tree):
    today = timezone.localdate()
    elected = today.replace(year=today.year - 5) + datetime.timedelta(days=30)
    services.organization_update(organization=tree["branch_a"], elected_on=elected)
    node = Organization.objects.get(pk=tree["branch_a"].pk)
    assert node.term_ends_on is not None and node.term_ends_on > today
    due = [r for r in due_reminders(today=today) if r.reason == "branch_term_ending"]
    assert [r.subject_id for r in due] == [node.pk]


def test_admin_refuses_a_ten_year_term(tree, admin_client):
    node = tree["branch_a"]
    data = {
        "name": node.name,
        "code": node.code,
        "kind": node.kind,
        "formation": node.formation,
        "parent": node.parent_id,
        "elected_on": "2020-01-01",
        "term_ends_on": "2030-01-01",
        "phone": "",
        "address": "",
    }
    response = admin_client.post(f"/admin/organizations/organization/{node.pk}/change/", data)
    assert response.status_code == 200
    assert "term_ends_on" in response.context["adminform"].form.errors
    assert Organization.objects.get(pk=node.pk).term_ends_on is None


# --- structure warnings ------------------------------------------------------------------------


def test_structure_warnings_in_the_api(tree, api):
    member(tree["branch_a"])
    response = api.get(f"/api/v1/organizations/{tree['community_a'].pk}/structure/")
    assert response.status_code == 200
    body = response.json()
    codes = {w["code"] for row in body["branches"] for w in row["warnings"]}
    assert "too_few_full" in codes and body["branches_with_warnings"] == 1
    assert CHINESE.search(body["branches"][0]["warnings"][0]["message"])


def test_structure_outside_the_scope_is_a_404(tree, api_client_for):
    staff_b = make_user("rules_staff_b", tree["community_b"], Role.COMMUNITY_STAFF)
    assert api_client_for(staff_b).get(f"/api/v1/organizations/{tree['branch_a'].pk}/structure/").status_code == 404


def test_structure_in_the_statistics(tree):
    for _ in range(3):
        member(tree["branch_b"])
    district = Organization.objects.get(pk=tree["district"].pk)
    today = timezone.localdate()
    figures = compute_figures([district], Period(D(today.year, 1, 1), today))[district.pk]
    assert figures["structure.too_few_full"] == 1  # branch A has none; B has 3
    assert figures["structure.no_secretary"] == 2


# --- 党小组会 per group -------------------------------------------------------------------------


def test_each_group_owes_its_own_group_meeting(tree, api):
    branch = tree["branch_a"]
    first = tree["group_a"]
    second = make_org(OrganizationKind.GROUP, branch, name="二组")
    people = [member(branch, group=first, today=D(2024, 1, 1)), member(branch, group=second, today=D(2024, 1, 1))]
    tz = timezone.get_current_timezone()
    for day in (5, 20):  # the first group meets twice in March, the second not at all
        meeting_record(
            organization=first,
            kind=MeetingKind.GROUP_MEETING,
            held_at=datetime.datetime(2025, 3, day, 19, tzinfo=tz),
            topic=f"党小组会{day}",
            attendance=[{"member": people[0].pk, "status": "present"}],
        )
    response = api.get("/api/v1/compliance/", {"org": branch.pk, "year": 2025, "period": "2025-03"})
    assert response.status_code == 200
    kinds = {k["kind"]: k for k in response.json()["branches"][0]["kinds"]}
    group = kinds["group_meeting"]
    assert (group["required"], group["credited"], group["gap"]) == (2, 1, 1)
    assert group["status"] == "overdue"
    gaps = {g["id"]: g["gap"] for g in group["groups"]}
    assert gaps == {first.pk: 0, second.pk: 1}


# --- one active body per kind ------------------------------------------------------------------


def test_one_active_body_per_kind_is_a_database_constraint(tree):
    compound = services.compound_save(
        name="和谐小区", kind="property_managed", community=tree["community_a"], branch=tree["branch_a"]
    )
    committee_services.committee_save(
        compound=compound,
        kind=CommitteeKind.OWNERS,
        term_number=1,
        elected_on=D(2024, 1, 1),
        status=CommitteeStatus.ACTIVE,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        # What a concurrent writer that passed the service's check would insert.
        Committee.objects.bulk_create(
            [Committee(compound=compound, kind=CommitteeKind.OWNERS, term_number=2, status=CommitteeStatus.ACTIVE)]
        )


def test_branch_structure_list_on_the_router(tree, api, django_assert_max_num_queries):
    member(tree["branch_a"])
    response = api.get("/api/v1/branch-structure/", {"org": tree["community_a"].pk})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["id"] for r in rows] == [tree["branch_a"].pk]
    assert "too_few_full" in {w["code"] for w in rows[0]["warnings"]}
    with django_assert_max_num_queries(12) as one:
        api.get("/api/v1/branch-structure/")
    for i in range(4):
        make_org(OrganizationKind.BRANCH, tree["community_a"], name=f"新支部{i}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        api.get("/api/v1/branch-structure/")


def test_the_phone_dashboard_names_the_groups_behind(tree):
    from django.test import Client

    branch = tree["branch_a"]
    make_org(OrganizationKind.GROUP, branch, name="三组")
    member(branch, group=tree["group_a"], today=D(2024, 1, 1))
    client = Client()
    client.force_login(make_user("rules_dash_sec", branch, Role.BRANCH_SECRETARY))
    page = client.get(f"/branch/{branch.pk}/?period=month").content.decode()
    assert "2 个党小组未开" in page
