"""Admin: meeting list with subtree / period / kind filters, scoped; requirements editable only
district-wide."""

import pytest
from django.test import Client
from django.utils import timezone

from members.meetings import meeting_record
from members.models import MeetingKind, MeetingRequirement
from organizations.models import Role
from tests.factories import NumberedMemberFactory, make_user

pytestmark = pytest.mark.django_db


def test_meeting_admin_scoped_and_filtered(tree, district_admin, staff_b, branch):
    m = NumberedMemberFactory(branch=branch)
    meeting = meeting_record(
        organization=branch,
        kind=MeetingKind.THEME_DAY,
        held_at=timezone.now(),
        topic="主题党日甲",
        attendance=[{"member": m.pk, "status": "present"}],
    )
    district_admin.is_staff = True
    district_admin.save()
    client = Client()
    client.force_login(district_admin)
    url = "/admin/members/meeting/"
    for query in ("", f"?org={tree['community_a'].pk}", "?period=year", "?kind=theme_day"):
        page = client.get(url + query)
        assert page.status_code == 200 and "主题党日甲" in page.content.decode(), query
    assert "主题党日甲" not in client.get(url + f"?org={tree['community_b'].pk}").content.decode()
    assert client.get(f"{url}{meeting.pk}/change/").status_code == 200
    staff_b.is_staff = True
    staff_b.save()
    other = Client()
    other.force_login(staff_b)
    assert other.get(f"{url}{meeting.pk}/change/").status_code in (302, 404)
    assert "主题党日甲" not in other.get(url).content.decode()


def test_requirements_district_only(tree, district_admin):
    community = make_user("community_staff", tree["community_a"], Role.COMMUNITY_STAFF, is_staff=True)
    district_admin.is_staff = True
    district_admin.save()
    req = MeetingRequirement.objects.get(formation="", meeting_kind="theme_day")
    admin_client, staff_client = Client(), Client()
    admin_client.force_login(district_admin)
    staff_client.force_login(community)
    url = f"/admin/members/meetingrequirement/{req.pk}/change/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "organization_kind": "compound_branch",
            "formation": "",
            "meeting_kind": "theme_day",
            "minimum_count": 2,
            "period": "month",
            "note": "",
        },
    )
    assert response.status_code == 302
    assert MeetingRequirement.objects.get(pk=req.pk).minimum_count == 2
    response = staff_client.post(
        url,
        {
            "organization_kind": "compound_branch",
            "formation": "",
            "meeting_kind": "theme_day",
            "minimum_count": 0,
            "period": "month",
            "note": "",
        },
    )
    assert response.status_code in (302, 403)
    assert MeetingRequirement.objects.get(pk=req.pk).minimum_count == 2
