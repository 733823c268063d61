"""Dues reminders (《规定》; 党章第三十八条): 3 months unpaid → a reminder to the branch secretary;
6 months unpaid without a recorded reason → flagged for the branch to consider (the 党章 treats
it as 自行脱党 after education; the software only flags, people decide)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.periods import add_months
from core.registry import DueReminder, register_reminder_rule
from members.dues.ledger import arrears
from members.models import DuesArrearsReason, Member, MemberStatus
from organizations.models import Organization, OrganizationKind

REMIND_MONTHS = 3
FLAG_MONTHS = 6


def _owing(today: datetime.date, at_least: int):
    # The month under way is not yet overdue: count completed months only.
    last = today.replace(day=1) - datetime.timedelta(days=1)
    branches = Organization.objects.filter(kind=OrganizationKind.BRANCH).values_list("pk", flat=True)
    owed = arrears(list(branches), today=last, months_back=12)
    ids = [m for m, n in owed.items() if n >= at_least]
    return owed, Member.objects.filter(pk__in=ids, status=MemberStatus.ACTIVE).values_list("id", "branch_id", "name")


@register_reminder_rule("dues_unpaid_3", label=gettext_lazy("Party dues unpaid for 3 months"))
def dues_unpaid_3(*, today: datetime.date):
    """Members with 3 or more completed months unpaid (in the last 12), to the branch."""
    owed, rows = _owing(today, REMIND_MONTHS)
    for member_id, branch_id, name in rows:
        yield DueReminder(
            "members.Member",
            member_id,
            "dues_unpaid_3",
            branch_id,
            today,
            _("%(name)s: party dues unpaid for %(n)d months") % {"name": name, "n": owed[member_id]},
        )


@register_reminder_rule("dues_unpaid_6", label=gettext_lazy("Party dues unpaid for 6 months without a reason"))
def dues_unpaid_6(*, today: datetime.date):
    """6 or more months unpaid and no reason noted in the last six months: for the branch to consider."""
    owed, rows = _owing(today, FLAG_MONTHS)
    excused = set(
        DuesArrearsReason.objects.filter(noted_on__gte=add_months(today, -FLAG_MONTHS)).values_list(
            "member_id", flat=True
        )
    )
    for member_id, branch_id, name in rows:
        if member_id in excused:
            continue
        yield DueReminder(
            "members.Member",
            member_id,
            "dues_unpaid_6",
            branch_id,
            today,
            _("%(name)s: party dues unpaid for %(n)d months without a reason; for the branch to consider")
            % {"name": name, "n": owed[member_id]},
        )
