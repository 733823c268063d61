"""Reminders: dedup (one open per subject and reason), auto-close, no reopen after dismiss, send."""

import datetime

import pytest
from django.core import mail

from members.models import Member
from organizations.models import Reminder, ReminderStatus, Role
from organizations.reminders import reminder_close, run_reminders
from tests.factories import make_user

TODAY = datetime.date(2026, 9, 24)  # Q3 ends in 6 days: the meeting rule looks at the quarter


def test_dedup_and_auto_close(world):
    first = run_reminders(today=TODAY, send=False)
    assert first.opened > 0
    assert Reminder.objects.filter(reason="probation_due", due_on=datetime.date(2026, 10, 1)).count() == 1
    again = run_reminders(today=TODAY, send=False)
    assert again.opened == 0 and again.closed == 0 and again.kept == first.opened
    assert Reminder.objects.count() == first.opened
    # the in-service member living in the compound has not reported
    m = world["members"][1]
    r = Reminder.objects.get(reason="in_service_not_reported", subject_id=m.pk)
    assert r.organization_id == world["branch_a"].pk and r.status == ReminderStatus.OPEN
    # the cause goes away → closed automatically
    Member.objects.filter(pk=m.pk).update(reported_on=TODAY)
    third = run_reminders(today=TODAY, send=False)
    r.refresh_from_db()
    assert r.status == ReminderStatus.AUTO_CLOSED and r.closed_on == TODAY
    assert third.closed == 1 and third.opened == 0


def test_meeting_rule_hand_numbers(world):
    """On 2026-09-24 September and Q3 end within 7 days. Branch A held a theme day and a group
    meeting in September and a party congress in Q3, but no branch committee in September and
    no party lecture in Q3; branch B held nothing."""
    run_reminders(today=TODAY, send=False)
    a = {
        r
        for r in Reminder.objects.filter(
            subject_id=world["branch_a"].pk, reason__startswith="meeting_not_held"
        ).values_list("reason", flat=True)
    }
    assert a == {"meeting_not_held:branch_committee:month", "meeting_not_held:party_lecture:quarter"}
    b = Reminder.objects.filter(subject_id=world["branch_b"].pk, reason__startswith="meeting_not_held").count()
    assert b == 5  # 支委会, 党小组会, 主题党日 (month) + 党员大会, 党课 (quarter)
    # No rule fires for a period ending later than 7 days from now.
    run_reminders(today=datetime.date(2026, 9, 10), send=False)
    assert not Reminder.objects.filter(status=ReminderStatus.OPEN, reason__startswith="meeting_not_held").exists()


def test_dismissed_is_not_reopened(world, staff_a):
    run_reminders(today=TODAY, send=False)
    r = Reminder.objects.filter(reason="in_service_not_reported").first()
    reminder_close(reminder=r, status=ReminderStatus.DISMISSED, user=staff_a, today=TODAY)
    result = run_reminders(today=TODAY, send=False)
    assert result.opened == 0
    assert not Reminder.objects.filter(reason="in_service_not_reported", status=ReminderStatus.OPEN).exists()
    with pytest.raises(Exception):  # noqa: B017 - a closed reminder cannot be closed again
        reminder_close(reminder=r, status=ReminderStatus.DONE, user=staff_a, today=TODAY)


def test_sent_once_by_email(world, settings, django_capture_on_commit_callbacks):
    settings.NOTIFY_DEFAULT_CHANNELS = ["email"]
    user = make_user("secretary_a", world["branch_a"], Role.BRANCH_SECRETARY, email="sec@example.org")
    assert user.email
    with django_capture_on_commit_callbacks(execute=True):
        run_reminders(today=TODAY)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sec@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        run_reminders(today=TODAY)
    assert len(mail.outbox) == 1  # nothing new, nothing resent
    assert not Reminder.objects.filter(status=ReminderStatus.OPEN, sent_at__isnull=True).exists()


def test_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from members.points import award_points
    from tests.scoring.conftest import member

    with CaptureQueriesContext(connection) as few:
        run_reminders(today=TODAY, send=False)
        award_points()
    Reminder.objects.all().delete()
    for i in range(30):
        member(
            world["branch_b"],
            f"新党员{i}",
            occupation_status="in_service",
            compound=world["compound"],
            party_status="probationary",
            admitted_on=datetime.date(2025, 10, 10),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        result = run_reminders(today=TODAY, send=False)
        award_points()
    assert result.opened > 60


def test_console_channel_logs_counts_only(world, settings, caplog, django_capture_on_commit_callbacks):
    settings.NOTIFY_DEFAULT_CHANNELS = ["email", "console"]
    make_user("secretary_a", world["branch_a"], Role.BRANCH_SECRETARY, email="sec@example.org")
    with caplog.at_level("INFO", logger="core.notify"), django_capture_on_commit_callbacks(execute=True):
        run_reminders(today=TODAY)
    lines = [r.getMessage() for r in caplog.records if r.name == "core.notify"]
    assert len(lines) == 1 and lines[0].startswith("notify-console: to=")
    assert world["members"][1].name not in lines[0]  # no personal data in logs
    assert len(mail.outbox) == 1
