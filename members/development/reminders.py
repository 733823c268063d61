"""Reminder rule of the development pipeline: a candidate's next step that is due within
``WINDOW_DAYS`` or overdue (the talk, the half-yearly assessment, the one-year activist minimum,
the three-month approval windows, conversion), addressed to the receiving branch."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.registry import DueReminder, register_reminder_rule
from members.development.models import Candidate
from members.development.steps import STEPS

WINDOW_DAYS = 14


@register_reminder_rule("development_step_due", label=gettext_lazy("Development step due or overdue"))
def development_step_due(*, today: datetime.date):
    """Every candidate whose next step is due by ``today`` + ``WINDOW_DAYS`` (one query)."""
    horizon = today + datetime.timedelta(days=WINDOW_DAYS)
    rows = (
        Candidate.objects.filter(next_due_on__lte=horizon)
        .exclude(next_step="")
        .values_list("id", "branch_id", "next_due_on", "next_step", "name")
    )
    for pk, branch_id, due, code, name in rows:
        step = STEPS.get(code)
        template = (
            _("%(name)s: “%(step)s” overdue since %(due)s") if due < today else _("%(name)s: “%(step)s” due on %(due)s")
        )
        yield DueReminder(
            "members.Candidate",
            pk,
            "development_step_due",
            branch_id,
            due,
            template % {"name": name, "step": step.label if step else code, "due": due},
        )
