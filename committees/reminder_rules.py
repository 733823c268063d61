"""Reminder rules of the committees app: 换届 due and three-party matters past their due date."""

from __future__ import annotations

import datetime

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committees.models import Committee, CommitteeStatus, Matter, MatterStatus
from core.registry import DueReminder, register_reminder_rule

TERM_WINDOW_DAYS = 90


@register_reminder_rule("committee_term_ending", label=gettext_lazy("Committee term ending"))
def committee_term_ending(*, today: datetime.date):
    """A body in office whose term ends within 90 days (or has ended): prepare the 换届."""
    rows = (
        Committee.objects.filter(
            status=CommitteeStatus.ACTIVE,
            term_ends_on__isnull=False,
            term_ends_on__lte=today + datetime.timedelta(days=TERM_WINDOW_DAYS),
        )
        .annotate(org_id=Coalesce(F("compound__branch_id"), F("compound__community_id")))
        .values_list("id", "org_id", "term_ends_on", "compound__name", "kind")
    )
    for pk, org_id, ends, compound, kind in rows:
        yield DueReminder(
            "committees.Committee",
            pk,
            "committee_term_ending",
            org_id,
            ends,
            _("%(compound)s %(kind)s: term ends on %(date)s, prepare the re-election")
            % {"compound": compound, "kind": Committee(kind=kind).get_kind_display(), "date": ends},
        )


@register_reminder_rule("matter_overdue", label=gettext_lazy("Joint-meeting matter overdue"))
def matter_overdue(*, today: datetime.date):
    """A three-party matter still open after its due date."""
    rows = (
        Matter.objects.filter(
            status__in=[MatterStatus.OPEN, MatterStatus.IN_PROGRESS], due_on__isnull=False, due_on__lt=today
        )
        .annotate(org_id=Coalesce(F("compound__branch_id"), F("compound__community_id")))
        .values_list("id", "org_id", "due_on", "compound__name")
    )
    for pk, org_id, due, compound in rows:
        yield DueReminder(
            "committees.Matter",
            pk,
            "matter_overdue",
            org_id,
            due,
            _("%(compound)s: a joint-meeting matter is past its due date %(date)s")
            % {"compound": compound, "date": due},
        )
