"""Reminder rules of the organizations app: a branch's term ending (换届)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.registry import DueReminder, register_reminder_rule
from organizations.models import Organization, OrganizationKind

TERM_WINDOW_DAYS = 90  # community branch terms are 5 years; start preparing 90 days ahead


@register_reminder_rule("branch_term_ending", label=gettext_lazy("Branch term ending"))
def branch_term_ending(*, today: datetime.date):
    """A compound branch (not dissolved) whose committee's term ends within 90 days or has
    ended: prepare the re-election. Addressed to the branch (its secretary, and the staff above)."""
    rows = Organization.objects.filter(
        kind=OrganizationKind.BRANCH,
        dissolved_on__isnull=True,
        term_ends_on__isnull=False,
        term_ends_on__lte=today + datetime.timedelta(days=TERM_WINDOW_DAYS),
    ).values_list("id", "term_ends_on", "name")
    for pk, ends, name in rows:
        yield DueReminder(
            "organizations.Organization",
            pk,
            "branch_term_ending",
            pk,
            ends,
            _("%(branch)s: the term ends on %(date)s, prepare the re-election (换届)") % {"branch": name, "date": ends},
        )
