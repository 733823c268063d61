"""Admin: a 三方联席会议 recorded with the branch's roll, the owners' committee and property firm
representatives, new matters raised and an open matter linked (committees.services)."""

import pytest
from django.test import Client

from committees.models import Matter
from members.models import Attendance, Meeting
from organizations.models import Role
from tests.factories import NumberedMemberFactory, make_user

pytestmark = pytest.mark.django_db
URL = "/admin/committees/matter/joint-meeting/"


@pytest.fixture
def clerk(tree):
    client = Client()
    client.force_login(make_user("clerk_joint", tree["community_a"], Role.COMMUNITY_STAFF, is_staff=True))
    return client


def _data(tree, side, member, **extra):
    return {
        "step": "roll",
        "organization": tree["branch_a"].pk,
        "kind": "joint_meeting",
        "held_at": "2026-11-12T19:00",
        "topic": "三方联席会议：电梯加装",
        "committee": side["committee"].pk,
        "committee_attendees": "业委会主任甲",
        "firm": side["firm"].pk,
        "firm_attendees": "项目经理乙",
        "linked_matters": [side["matter"].pk],
        "compound": side["compound"].pk,
        "new_matters": "3号楼电梯加装意见征集\n地下车库照明",
        "handler": "property_firm",
        "due_on": "2026-12-31",
        "roll-TOTAL_FORMS": 1,
        "roll-INITIAL_FORMS": 1,
        "roll-0-member": member.pk,
        "roll-0-status": "present",
        **extra,
    }


def test_joint_meeting_with_linked_matters(tree, clerk, two_sides):
    side = two_sides["a"]
    member = NumberedMemberFactory(branch=tree["branch_a"])
    assert clerk.get("/admin/committees/matter/").content.decode().count(URL) == 1
    step2 = clerk.post(
        URL, {"organization": tree["branch_a"].pk, "kind": "joint_meeting", "held_at": "2026-11-12T19:00"}
    )
    assert step2.status_code == 200 and member.name in step2.content.decode()
    response = clerk.post(URL, _data(tree, side, member))
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get(kind="joint_meeting")
    assert Attendance.objects.get(meeting=meeting).status == "present"
    affiliations = dict(meeting.guests.values_list("name", "affiliation"))
    assert affiliations == {"业委会主任甲": str(side["committee"]), "项目经理乙": side["firm"].name}
    matters = Matter.objects.filter(meeting=meeting)
    assert set(matters.values_list("title", flat=True)) == {"a议题", "3号楼电梯加装意见征集", "地下车库照明"}
    new = matters.get(title="地下车库照明")
    assert (new.source, new.handler, new.firm_id) == ("joint_meeting", "property_firm", side["firm"].pk)


def test_joint_meeting_needs_the_three_parties(tree, clerk, two_sides):
    member = NumberedMemberFactory(branch=tree["branch_a"])
    response = clerk.post(URL, _data(tree, two_sides["a"], member, firm_attendees=""))
    assert response.status_code == 200 and "请填写物业服务企业出席人员" in response.content.decode()
    assert not Meeting.objects.exists() and not Matter.objects.filter(meeting__isnull=False).exists()


def test_joint_meeting_out_of_scope_refused(tree, clerk, two_sides):
    member = NumberedMemberFactory(branch=tree["branch_b"])
    data = _data(
        tree, two_sides["a"], member, organization=tree["branch_b"].pk, linked_matters=[two_sides["b"]["matter"].pk]
    )
    response = clerk.post(URL, data)
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not Meeting.objects.exists()
