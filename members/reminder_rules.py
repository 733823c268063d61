"""Reminder rules of the members app (registered by importing it from ``contributions.py``).

Each rule is one set-based query (two for the meeting rule) returning what is due ``today``.
Messages name the member only where the addressed branch already sees the member.
"""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.registry import DueReminder, register_reminder_rule
from members.models import Member, MemberStatus, OccupationStatus

MEETING_WINDOW_DAYS = 7


def _active():
    return Member.objects.filter(status=MemberStatus.ACTIVE)


@register_reminder_rule("probation_due", label=gettext_lazy("Conversion to full member due"))
def probation_due(*, today: datetime.date):
    """A probationary member due for 转正 within the 即将转正 window (one setting), or overdue."""
    from members.organizational_life import probation_due_q

    rows = _active().filter(probation_due_q(today)).values_list("id", "branch_id", "probation_due_on", "name")
    for member_id, branch_id, due_on, name in rows:
        yield DueReminder(
            "members.Member",
            member_id,
            "probation_due",
            branch_id,
            due_on,
            _("%(name)s: conversion to full member due on %(due)s") % {"name": name, "due": due_on},
        )


@register_reminder_rule("in_service_not_reported", label=gettext_lazy("In-service member not reported to the compound"))
def in_service_not_reported(*, today: datetime.date):
    """An in-service member living in a compound who has not reported to the compound branch."""
    rows = (
        _active()
        .filter(occupation_status=OccupationStatus.IN_SERVICE, compound__isnull=False, reported_on__isnull=True)
        .values_list("id", "branch_id", "name")
    )
    for member_id, branch_id, name in rows:
        yield DueReminder(
            "members.Member",
            member_id,
            "in_service_not_reported",
            branch_id,
            today,
            _("%(name)s: in-service member has not reported to the compound") % {"name": name},
        )


@register_reminder_rule("no_organizational_life", label=gettext_lazy("No organizational life (lost contact)"))
def no_organizational_life(*, today: datetime.date):
    """A member lost contact (失联) by their organizational life: no attendance for more than six
    months, at the compound branch or the home organization alike (统筹计入), counted from the
    day they joined the branch when they have attended nothing since (one rule:
    ``members.organizational_life.lost_contact_q``)."""
    from members.organizational_life import LOST_CONTACT_MONTHS, lost_contact_q

    rows = _active().filter(lost_contact_q(today)).values_list("id", "branch_id", "name")
    for member_id, branch_id, name in rows:
        yield DueReminder(
            "members.Member",
            member_id,
            "no_organizational_life",
            branch_id,
            today,
            _("%(name)s: no organizational life for %(months)d months") % {"name": name, "months": LOST_CONTACT_MONTHS},
        )


@register_reminder_rule("meeting_not_held", label=gettext_lazy("Required meeting not held"))
def meeting_not_held(*, today: datetime.date):
    """A required meeting kind not yet held (enough times) with its period ending in ≤ 7 days.
    One aggregate query per period ending soon (at most three), whatever the number of branches."""
    from core.periods import Period
    from members.metrics import _meetings_in
    from members.models.meetings import MeetingKind, MeetingRequirement
    from organizations.models import Organization, OrganizationKind

    rules = list(
        MeetingRequirement.objects.filter(organization_kind=OrganizationKind.BRANCH).values_list(
            "formation", "meeting_kind", "minimum_count", "period"
        )
    )
    ending = {}
    for kind in ("month", "quarter", "year"):
        period = Period.containing(today, kind)
        if (period.end - today).days <= MEETING_WINDOW_DAYS:
            ending[kind] = period
    if not ending or not rules:
        return
    general = {(k, p): n for f, k, n, p in rules if not f}
    specific = {(f, k, p): n for f, k, n, p in rules if f}
    branches = Organization.objects.filter(kind=OrganizationKind.BRANCH, dissolved_on__isnull=True)
    kinds = sorted({k for _f, k, _n, _p in rules})
    # One aggregate per period ending soon: meetings held so far per (branch, kind).
    held = {
        per: {
            (b, k): n
            for b, k, n in _meetings_in(branches, period, kinds)
            .values("branch_key", "kind")
            .annotate(n=Count("id"))
            .values_list("branch_key", "kind", "n")
        }
        for per, period in ending.items()
    }
    for branch_id, formation in branches.values_list("id", "formation"):
        for per, period in ending.items():
            due_kinds = {k for (k, p) in general if p == per} | {
                k for (f, k, p) in specific if f == formation and p == per
            }
            for kind in sorted(due_kinds):
                need = specific.get((formation, kind, per), general.get((kind, per), 0))
                got = held[per].get((branch_id, kind), 0)
                if got < need:
                    yield DueReminder(
                        "organizations.Organization",
                        branch_id,
                        f"meeting_not_held:{kind}:{per}",
                        branch_id,
                        period.end,
                        _("%(kind)s held %(got)d of %(need)d times in %(period)s")
                        % {"kind": MeetingKind(kind).label, "got": got, "need": need, "period": period.label},
                    )


@register_reminder_rule("appraisal_missing", label=gettext_lazy("No democratic appraisal of members this year"))
def appraisal_missing(*, today: datetime.date):
    """From 1 December: a branch with members that has held no 民主评议党员 this year."""
    if today.month < 12:
        return
    from members.models import AppraisalSession
    from organizations.models import Organization, OrganizationKind

    held = AppraisalSession.objects.filter(year=today.year).values("organization_id")
    rows = (
        Organization.objects.filter(kind=OrganizationKind.BRANCH, dissolved_on__isnull=True)
        .exclude(pk__in=held)
        .values_list("id", "name")
    )
    due = datetime.date(today.year, 12, 31)
    for branch_id, name in rows:
        yield DueReminder(
            "organizations.Organization",
            branch_id,
            "appraisal_missing",
            branch_id,
            due,
            _("%(name)s: no democratic appraisal of members held in %(year)d") % {"name": name, "year": today.year},
        )
