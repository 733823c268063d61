"""Reminder rules of the projects app: resident requests past their due date."""

from __future__ import annotations

import datetime

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.registry import DueReminder, register_reminder_rule
from projects.models import ResidentRequest

OPEN_STATUSES = ("submitted", "triaged", "dispatched")


@register_reminder_rule("request_overdue", label=gettext_lazy("Resident request overdue"))
def request_overdue(*, today: datetime.date):
    """A resident request not resolved by its due date, addressed to the compound's branch (or
    the organization it was dispatched to)."""
    rows = (
        ResidentRequest.objects.filter(status__in=OPEN_STATUSES, due_on__isnull=False, due_on__lt=today)
        .annotate(org_id=Coalesce(F("compound__branch_id"), F("assigned_organization_id"), F("compound__community_id")))
        .values_list("id", "org_id", "due_on", "compound__name")
    )
    for pk, org_id, due, compound in rows:
        yield DueReminder(
            "projects.ResidentRequest",
            pk,
            "request_overdue",
            org_id,
            due,
            _("%(compound)s: a resident request is past its due date %(date)s") % {"compound": compound, "date": due},
        )
