"""QR check-in: a signed rotating token per meeting; a pending check-in the secretary confirms
into the attendance (present, through the meeting service); replays refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from members.models import Attendance, CheckIn, CheckInStatus
from members.portal import checkin
from tests.factories import make_ledger_meeting

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 20, 12, 0, 30, tzinfo=datetime.UTC)


def test_token_is_stable_within_a_minute_and_valid_two(meeting):
    token = checkin.checkin_token(meeting, now=NOW)
    assert token == checkin.checkin_token(meeting, now=NOW + datetime.timedelta(seconds=20))
    assert checkin.token_meeting_id(token, meeting_id=meeting.pk, now=NOW + datetime.timedelta(seconds=80))
    with pytest.raises(ValidationError) as late:
        checkin.token_meeting_id(token, meeting_id=meeting.pk, now=NOW + datetime.timedelta(minutes=3))
    assert "过期" in late.value.messages[0]


def test_token_for_another_meeting_or_forged_is_refused(tree, people, meeting):
    other = make_ledger_meeting(tree["branch_a"], [people["me"]], topic="另一次会议")
    token = checkin.checkin_token(other, now=NOW)
    with pytest.raises(ValidationError) as wrong:
        checkin.token_meeting_id(token, meeting_id=meeting.pk, now=NOW)
    assert "另一" in wrong.value.messages[0]
    with pytest.raises(ValidationError):
        checkin.token_meeting_id(token[:-2] + "xx", meeting_id=other.pk, now=NOW)


def test_scan_records_pending_once_and_confirm_marks_present(people, meeting):
    me = people["me"]
    token = checkin.checkin_token(meeting, now=NOW)
    first = checkin.checkin_scan(member=me, meeting_id=meeting.pk, token=token, now=NOW)
    again = checkin.checkin_scan(member=me, meeting_id=meeting.pk, token=token, now=NOW)
    assert first.pk == again.pk and first.status == CheckInStatus.PENDING
    assert Attendance.objects.get(meeting=meeting, member=me).status == "absent"
    version = meeting.version
    count = checkin.checkin_decide(meeting=meeting, confirm_ids=[first.pk], actor=people["secretary"])
    assert count == 1
    assert Attendance.objects.get(meeting=meeting, member=me).status == "present"
    assert Attendance.objects.get(meeting=meeting, member=people["other"]).status == "present"
    meeting.refresh_from_db()
    assert meeting.version == version + 1
    assert CheckIn.objects.get(pk=first.pk).status == CheckInStatus.CONFIRMED
    assert checkin.checkin_decide(meeting=meeting, confirm_ids=[first.pk], actor=people["secretary"]) == 0


def test_member_not_on_the_list_cannot_check_in(people, meeting):
    token = checkin.checkin_token(meeting, now=NOW)
    with pytest.raises(ValidationError):
        checkin.checkin_scan(member=people["outsider"], meeting_id=meeting.pk, token=token, now=NOW)


def test_scan_page_and_replay_refused_in_chinese(member_client, meeting):
    token = checkin.checkin_token(meeting)
    url = f"/me/checkin/{meeting.pk}/?t={token}"
    assert member_client.get(url).status_code == 200
    done = member_client.post(f"/me/checkin/{meeting.pk}/", {"t": token})
    assert done.status_code == 200 and "签到" in done.content.decode()
    stale = checkin.checkin_token(meeting, now=timezone.now() - datetime.timedelta(minutes=5))
    refused = member_client.post(f"/me/checkin/{meeting.pk}/", {"t": stale})
    assert refused.status_code == 400 and "过期" in refused.content.decode()


def test_secretary_page_shows_the_qr_and_confirms(client, people, meeting):
    token = checkin.checkin_token(meeting)
    checkin.checkin_scan(member=people["me"], meeting_id=meeting.pk, token=token)
    client.login(username="sec_a", password="Test-password-2026")
    page = client.get(f"/branch/meetings/{meeting.pk}/checkin/")
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body and "张三" in body
    pending = CheckIn.objects.get(member=people["me"])
    client.post(f"/branch/meetings/{meeting.pk}/checkin/", {"confirm": [pending.pk]})
    assert Attendance.objects.get(meeting=meeting, member=people["me"]).status == "present"


def test_secretary_refuses_a_scan_and_nobody_is_marked_present(client, people, meeting):
    checkin.checkin_scan(member=people["me"], meeting_id=meeting.pk, token=checkin.checkin_token(meeting))
    client.login(username="sec_a", password="Test-password-2026")
    pending = CheckIn.objects.get(member=people["me"])
    done = client.post(
        f"/branch/meetings/{meeting.pk}/checkin/", {"confirm": [pending.pk], "action": "reject"}, follow=True
    )
    assert "未标为出席" in done.content.decode() or "拒绝" in done.content.decode()
    pending.refresh_from_db()
    assert pending.status == CheckInStatus.REJECTED
    assert not Attendance.objects.filter(meeting=meeting, member=people["me"], status="present").exists()
