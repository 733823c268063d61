"""换届: a branch whose term ends within 90 days gets one reminder, closed once re-elected."""

import datetime

from organizations import services
from organizations.models import Reminder
from organizations.reminders import run_reminders


def test_branch_term_reminder_opens_once_and_closes(tree):
    today = datetime.date(2026, 10, 1)
    branch = services.organization_update(organization=tree["branch_a"], term_ends_on=datetime.date(2026, 12, 20))
    services.organization_update(organization=tree["branch_b"], term_ends_on=datetime.date(2027, 6, 30))
    run_reminders(today=today, send=False)
    run_reminders(today=today, send=False)
    due = Reminder.objects.filter(reason="branch_term_ending", status="open")
    assert list(due.values_list("subject_id", flat=True)) == [branch.pk]
    assert "换届" in due.get().message
    # Re-elected: the new term ends in five years, the reminder closes by itself.
    services.organization_update(organization=branch, term_ends_on=datetime.date(2031, 12, 20))
    run_reminders(today=today, send=False)
    assert not Reminder.objects.filter(reason="branch_term_ending", status="open").exists()
