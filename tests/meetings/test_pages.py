"""Secretary pages: scope (404), CSRF, the record form end to end, stale edit, constant
dashboard queries, the iCalendar feed."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.meetings import meeting_record
from members.models import CalendarToken, Meeting, MeetingKind
from tests.factories import NumberedMemberFactory

pytestmark = pytest.mark.django_db


def login(user):
    client = Client()
    client.force_login(user)
    return client


def past(days=1):
    return timezone.now() - datetime.timedelta(days=days)


def formsets(marks=(), resolutions=(), guests=()):
    """POST data of the page's three formsets: ``marks`` are (member, status, reason) rows of
    the checklist (a blank status leaves the member unmarked)."""
    data = {}
    for prefix, rows in (("att", marks), ("res", resolutions), ("guest", guests)):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
        for i, row in enumerate(rows):
            if prefix == "att":
                member, status, reason = row
                row = {"member": member.pk, "status": status, "reason": reason}
            for key, value in row.items():
                data[f"{prefix}-{i}-{key}"] = value
    return data


@pytest.fixture
def held(branch):
    """A theme day of ``branch`` held yesterday, its one member present: ``(member, meeting)``."""
    m = NumberedMemberFactory(branch=branch)
    attendance = [{"member": m.pk, "status": "present"}]
    return m, meeting_record(
        organization=branch, kind=MeetingKind.THEME_DAY, held_at=past(), topic="t", attendance=attendance
    )


def test_login_page_and_redirect(secretary_a, branch):
    client = Client()
    page = client.get(reverse("branch:login"))
    assert page.status_code == 200 and "登录" in page.content.decode()
    response = client.post(reverse("branch:login"), {"username": "sec_a", "password": "Test-password-2026"})
    assert response.status_code == 302
    assert client.get(reverse("branch:home")).url == reverse("branch:dashboard", args=[branch.pk])


def test_record_meeting_from_form(secretary_a, branch):
    members = [NumberedMemberFactory(branch=branch) for _ in range(4)]
    client = login(secretary_a)
    page = client.get(reverse("branch:meeting_new", args=[branch.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    key = re.search(r'name="dedup_key" value="([0-9a-f]+)"', html).group(1)
    data = {
        "kind": "party_congress",
        "held_at": timezone.localtime(past()).strftime("%Y-%m-%dT%H:%M"),
        "place": "驿站",
        "topic": "讨论发展党员",
        "dedup_key": key,
        **formsets(
            [*((m, "present", "") for m in members[:3]), (members[3], "excused", "外出")],
            [{"text": "同意接收", "votes_for": "3", "votes_against": "0", "votes_abstain": "0"}],
            [{"name": "李四", "affiliation": "物业"}],
        ),
    }
    response = client.post(reverse("branch:meeting_new", args=[branch.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get()
    assert (meeting.voting_due, meeting.voting_present, meeting.quorum_met) == (4, 3, True)
    again = client.post(reverse("branch:meeting_new", args=[branch.pk]), data)  # double tap
    assert again.status_code == 302 and Meeting.objects.count() == 1
    detail = client.get(response.url).content.decode()
    assert "达到法定人数" in detail and "通过" in detail and "李四" in detail


def test_form_errors_are_shown_not_500(secretary_a, branch):
    NumberedMemberFactory(branch=branch)
    client = login(secretary_a)
    future = timezone.localtime(timezone.now() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("branch:meeting_new", args=[branch.pk]),
        {"kind": "party_lecture", "held_at": future, "topic": "党课", **formsets()},
    )
    assert response.status_code == 200
    assert Meeting.objects.count() == 0
    assert response.context["form"].errors.get("held_at") and response.context["form"].errors.get("lecturer")


def test_other_branch_is_404(secretary_a, secretary_b, branch, held):
    _member, meeting = held
    other = login(secretary_b)
    for url in (
        reverse("branch:meeting", args=[meeting.pk]),
        reverse("branch:meeting_edit", args=[meeting.pk]),
        reverse("branch:dashboard", args=[branch.pk]),
        reverse("branch:meeting_new", args=[branch.pk]),
        reverse("branch:members", args=[branch.pk]),
    ):
        assert other.get(url).status_code == 404, url
    assert login(secretary_a).get(reverse("branch:meeting", args=[meeting.pk])).status_code == 200


def test_csrf_enforced(secretary_a, branch):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretary_a)
    response = client.post(reverse("branch:meeting_new", args=[branch.pk]), {"kind": "theme_day"})
    assert response.status_code == 403
    assert Client(enforce_csrf_checks=True).post(reverse("branch:login"), {"username": "x"}).status_code == 403


def test_stale_edit_message(secretary_a, held):
    m, meeting = held
    client = login(secretary_a)
    base = {
        "held_at": timezone.localtime(meeting.held_at).strftime("%Y-%m-%dT%H:%M"),
        "topic": "改一",
        **formsets([(m, "present", "")]),
        "version": "1",
    }
    assert client.post(reverse("branch:meeting_edit", args=[meeting.pk]), base).status_code == 302
    stale = client.post(reverse("branch:meeting_edit", args=[meeting.pk]), {**base, "topic": "改二"})
    assert stale.status_code == 200
    assert "他人修改" in stale.content.decode()
    assert Meeting.objects.get().topic == "改一"


def test_dashboard_constant_queries(secretary_a, branch, django_assert_max_num_queries):
    client = login(secretary_a)
    url = reverse("branch:dashboard", args=[branch.pk])
    client.get(url)
    import django.db

    def count():
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(django.db.connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    first = count()
    members = [NumberedMemberFactory(branch=branch) for _ in range(30)]
    for i in range(8):
        meeting_record(
            organization=branch,
            kind=MeetingKind.THEME_DAY,
            held_at=past(i + 1),
            topic=f"t{i}",
            attendance=[{"member": m.pk, "status": "present"} for m in members],
        )
    assert count() == first


def test_member_list_constant_queries(secretary_a, branch):
    import django.db
    from django.test.utils import CaptureQueriesContext

    client = login(secretary_a)
    url = reverse("branch:members", args=[branch.pk])
    NumberedMemberFactory(branch=branch)
    with CaptureQueriesContext(django.db.connection) as one:
        client.get(url)
    for _ in range(49):
        NumberedMemberFactory(branch=branch)
    with CaptureQueriesContext(django.db.connection) as fifty:
        page = client.get(url)
    assert len(one.captured_queries) == len(fifty.captured_queries)
    assert page.content.decode().count('class="member"') == 50


def test_ical_feed(secretary_a, branch):
    m = NumberedMemberFactory(branch=branch)
    meeting_record(
        organization=branch,
        kind=MeetingKind.THEME_DAY,
        held_at=past(),
        place="驿站; 二楼, 会议室",
        topic="主题党日：" + "长" * 40,
        agenda="一、学习\n二、讨论",
        attendance=[{"member": m.pk, "status": "present"}],
    )
    client = login(secretary_a)
    assert client.get(reverse("branch:calendar_link", args=[branch.pk])).status_code == 200
    token = CalendarToken.objects.get(branch=branch).token
    anon = Client()
    assert anon.get(reverse("branch:calendar", args=[branch.pk])).status_code == 404
    assert anon.get(reverse("branch:calendar", args=[branch.pk]) + "?token=wrong").status_code == 404
    response = anon.get(reverse("branch:calendar", args=[branch.pk]) + f"?token={token}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content
    assert body.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and body.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    for line in body.split(b"\r\n"):
        assert len(line) <= 75
    unfolded = body.decode().replace("\r\n ", "")
    assert "LOCATION:驿站\\; 二楼\\, 会议室" in unfolded
    assert "DESCRIPTION:一、学习\\n二、讨论" in unfolded
    assert re.search(r"DTSTART:\d{8}T\d{6}Z", unfolded)
    assert unfolded.count("BEGIN:VEVENT") == 1
