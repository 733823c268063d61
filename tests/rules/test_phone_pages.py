"""The secretary's meeting form: a checklist where nobody is marked in advance, Django formsets,
home members listed (统筹计入), implausible input as form errors."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.models import Attendance, AttendanceStatus, Meeting
from organizations.models import Role
from tests.factories import make_user
from tests.meetings.test_pages import formsets
from tests.rules.helpers import member


@pytest.fixture
def secretary(tree):
    client = Client()
    client.force_login(make_user("rules_sec", tree["branch_a"], Role.BRANCH_SECRETARY))
    return client


def _held():
    return timezone.localtime(timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


def test_nobody_is_marked_present_in_advance(tree, secretary):
    people = [member(tree["branch_a"]) for _ in range(3)]
    page = secretary.get(reverse("branch:meeting_new", args=[tree["branch_a"].pk]) + "?kind=theme_day")
    html = page.content.decode()
    assert 'value="present"' in html and "checked" not in html.split('class="attendance"')[1].split("</ul>")[0]
    assert "全部出席" in html
    rows = [(people[0], "present", ""), (people[1], "", ""), (people[2], "", "")]
    response = secretary.post(
        reverse("branch:meeting_new", args=[tree["branch_a"].pk]),
        {"kind": "theme_day", "held_at": _held(), "topic": "主题党日", **formsets(rows)},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    statuses = dict(Attendance.objects.values_list("member_id", "status"))
    assert statuses == {
        people[0].pk: AttendanceStatus.PRESENT,
        people[1].pk: AttendanceStatus.ABSENT,
        people[2].pk: AttendanceStatus.ABSENT,
    }


def test_a_member_registered_here_but_living_elsewhere_is_on_the_checklist(tree, secretary):
    registered = member(tree["branch_b"], home_organization=tree["branch_a"])
    page = secretary.get(reverse("branch:meeting_new", args=[tree["branch_a"].pk]) + "?kind=theme_day")
    assert f'data-member="{registered.pk}"' in page.content.decode()
    response = secretary.post(
        reverse("branch:meeting_new", args=[tree["branch_a"].pk]),
        {"kind": "theme_day", "held_at": _held(), "topic": "主题党日", **formsets([(registered, "present", "")])},
    )
    assert response.status_code == 302
    assert Attendance.objects.get(member=registered).status == AttendanceStatus.PRESENT


@pytest.mark.parametrize(
    ("field", "value"),
    [("held_at", "0001-01-01T10:00"), ("topic", "学习\u202e"), ("minutes", "x" * 30_000)],
)
def test_implausible_input_is_a_form_error(tree, secretary, field, value):
    data = {"kind": "theme_day", "held_at": _held(), "topic": "主题党日", **formsets(), field: value}
    response = secretary.post(reverse("branch:meeting_new", args=[tree["branch_a"].pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors.get(field)
    assert not Meeting.objects.exists()


def test_a_bad_vote_count_is_shown_on_its_row(tree, secretary):
    m = member(tree["branch_a"])
    data = {
        "kind": "party_congress",
        "held_at": _held(),
        "topic": "党员大会",
        **formsets([(m, "present", "")], [{"text": "同意", "votes_for": "很多"}]),
    }
    response = secretary.post(reverse("branch:meeting_new", args=[tree["branch_a"].pk]), data)
    assert response.status_code == 200
    assert response.context["resolutions"].forms[0].errors.get("votes_for")
    assert not Meeting.objects.exists()
