"""Admin: a meeting recorded in two steps (branch, kind and date; then the roll with an explicit
status per member), through meeting_record; errors are form errors, the scope is enforced."""

import pytest
from django.test import Client

from members.compliance import compliance_for_subtree, parse_window
from members.models import Attendance, Meeting
from members.organizational_life import organizational_life_totals
from organizations.models import Role
from tests.factories import NumberedMemberFactory, make_user
from tests.meetings.conftest import TODAY

pytestmark = pytest.mark.django_db
URL = "/admin/members/meeting/add/"
HELD = "2026-11-10T19:00"


@pytest.fixture
def staff_client(tree):
    user = make_user("clerk_a", tree["community_a"], Role.COMMUNITY_STAFF, is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def _secretary_client(branch):
    user = make_user("sec_admin", branch, Role.BRANCH_SECRETARY, is_staff=True)
    client = Client()
    client.force_login(user)
    return client


def _start(client, branch, kind="theme_day"):
    return client.post(URL, {"organization": branch.pk, "kind": kind, "held_at": HELD})


def _roll(branch, members, statuses, **extra):
    data = {
        "step": "roll",
        "organization": branch.pk,
        "kind": "theme_day",
        "held_at": HELD,
        "topic": "主题党日：学习二十届四中全会精神",
        "guests": "王主任，街道党工委",
        "resolutions": "每月一次入户走访",
        "roll-TOTAL_FORMS": len(members),
        "roll-INITIAL_FORMS": len(members),
    }
    for i, (member, status) in enumerate(zip(members, statuses, strict=True)):
        data[f"roll-{i}-member"] = member.pk
        data[f"roll-{i}-status"] = status
    return {**data, **extra}


def test_two_steps_then_in_the_compliance_figures(tree, branch):
    members = [NumberedMemberFactory(branch=branch) for _ in range(3)]
    client = _secretary_client(branch)
    assert client.get(URL).status_code == 200
    step2 = _start(client, branch)
    page = step2.content.decode()
    assert step2.status_code == 200 and all(m.name in page for m in members)
    assert 'value="present" selected' not in page  # no status chosen beforehand
    filled = client.post(URL, _roll(branch, members, ["", "", ""], all_present="1"))
    assert filled.content.decode().count('value="present" selected') == 3
    assert not Meeting.objects.exists()
    done = client.post(URL, _roll(branch, members, ["present", "present", "absent"]))
    assert done.status_code == 302, done.content.decode()[:3000]
    meeting = Meeting.objects.get()
    assert dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "status")) == {
        members[0].pk: "present",
        members[1].pk: "present",
        members[2].pk: "absent",
    }
    assert meeting.guests.get().affiliation == "街道党工委"
    rollup = compliance_for_subtree(tree["district"], parse_window(2026, "2026-11"), today=TODAY)
    kinds = {b.branch_id: {k.kind: k.gap for k in b.kinds} for b in rollup.branches}[branch.pk]
    assert kinds["theme_day"] == 0
    assert organizational_life_totals([members[0]], 2026)[members[0].pk]["total"] == 1
    change = client.get(f"/admin/members/meeting/{meeting.pk}/change/").content.decode()
    assert f"/branch/meetings/{meeting.pk}/" in change and f"/branch/{branch.pk}/" in change


def test_missing_status_is_a_form_error(staff_client, branch):
    members = [NumberedMemberFactory(branch=branch) for _ in range(2)]
    response = staff_client.post(URL, _roll(branch, members, ["present", ""]))
    assert response.status_code == 200
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    assert not Meeting.objects.exists()


def test_service_error_is_a_form_error(staff_client, branch, tree):
    stranger = NumberedMemberFactory(branch=tree["branch_b"])
    response = staff_client.post(URL, _roll(branch, [stranger], ["present"]))
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not Meeting.objects.exists()


def test_out_of_scope_branch_refused(staff_client, tree):
    other = tree["branch_b"]
    members = [NumberedMemberFactory(branch=other)]
    assert "errorlist" in _start(staff_client, other).content.decode()
    response = staff_client.post(URL, _roll(other, members, ["present"]))
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not Meeting.objects.exists()
