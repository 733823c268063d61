"""民主评议党员 (yearly appraisal). 《中国共产党党员教育管理工作条例》 第二十四条: branches appraise
their members once a year; grades 优秀 / 合格 / 基本合格 / 不合格; a 不合格 member is given a
time limit to correct, persuaded to withdraw or removed (党章 第九条)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import AppraisalGrade, AppraisalResult, AppraisalSession, Meeting, MeetingKind, Member
from organizations.models import Organization, OrganizationKind


def _appraisal_meeting(organization: Organization, year: int) -> Meeting | None:
    return (
        Meeting.objects.filter(organization=organization, kind=MeetingKind.APPRAISAL, held_at__year=year)
        .order_by("held_at")
        .first()
    )


@transaction.atomic
def appraisal_session_create(*, organization: Organization, year: int, held_on: datetime.date) -> AppraisalSession:
    """Open the year's appraisal of a branch, linked to its 民主评议 meeting of that year if any."""
    if organization.kind != OrganizationKind.BRANCH:
        raise ValidationError({"organization": _("Appraisals are held by branches.")})
    if held_on.year != year:
        raise ValidationError({"held_on": _("The date is not in the appraisal year.")})
    if AppraisalSession.objects.filter(organization=organization, year=year).exists():
        raise ValidationError({"year": _("This branch already has an appraisal for %(year)d.") % {"year": year}})
    return AppraisalSession.objects.create(
        organization=organization, year=year, held_on=held_on, meeting=_appraisal_meeting(organization, year)
    )


def _member_in_branch(member: Member, session: AppraisalSession) -> bool:
    if member.branch_id != session.organization_id:
        return False
    joined = member.branch_joined_on
    return joined is None or joined.year <= session.year


def _validate_follow_up(*, grade, follow_up, follow_up_on, follow_up_due) -> None:
    if grade != AppraisalGrade.UNQUALIFIED:
        if follow_up or follow_up_on or follow_up_due:
            raise ValidationError({"follow_up": _("Only an unqualified member has a follow-up.")})
        return
    if not follow_up:
        raise ValidationError({"follow_up": _("Choose the follow-up for an unqualified member.")})
    if follow_up_on is None:
        raise ValidationError({"follow_up_on": _("Enter the date of the follow-up decision.")})
    if follow_up_due is not None and follow_up_due < follow_up_on:
        raise ValidationError({"follow_up_due": _("The time limit is before the decision.")})


@transaction.atomic
def appraisal_result_set(
    *,
    session: AppraisalSession,
    member: Member,
    grade: str,
    follow_up: str = "",
    follow_up_on: datetime.date | None = None,
    follow_up_due: datetime.date | None = None,
) -> AppraisalResult:
    """Record (or change) a member's grade. A member not in the branch that year is refused."""
    if grade not in AppraisalGrade.values:
        raise ValidationError({"grade": _("Unknown grade.")})
    if not _member_in_branch(member, session):
        raise ValidationError(
            {
                "member": _("%(member)s is not a member of %(org)s in %(year)d.")
                % {"member": member.name, "org": session.organization.name, "year": session.year}
            }
        )
    _validate_follow_up(grade=grade, follow_up=follow_up, follow_up_on=follow_up_on, follow_up_due=follow_up_due)
    result, _created = AppraisalResult.objects.update_or_create(
        session=session,
        member=member,
        defaults={"grade": grade, "follow_up": follow_up, "follow_up_on": follow_up_on, "follow_up_due": follow_up_due},
    )
    return result


def grade_distribution(organizations, year: int) -> dict[str, int]:
    """Counts per grade in the subtrees of ``organizations`` for a year (one query)."""
    from django.db.models import Count, Q

    from organizations.scope import live_subtree_filter

    inside = Q(pk__in=[])
    for node in organizations:
        # live bounds: a node object held since before later tree writes has stale ones.
        inside |= live_subtree_filter(AppraisalResult, node.pk)
    rows = AppraisalResult.objects.filter(inside, session__year=year).values("grade").annotate(n=Count("id"))
    counts = {g: 0 for g in AppraisalGrade.values}
    counts.update({r["grade"]: r["n"] for r in rows})
    return counts
