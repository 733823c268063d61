"""Statistics block of 设岗定责 / 时间银行, per subtree and period (by the post's branch):
posts (active), posts staffed at the period's end, people holding posts then (members and
resident volunteers), and confirmed service records and hours served within the period.
Set-based: one query per part (two)."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from core.statistics.framework import Figure, StatBlock, register_stat_block
from members.statistics import COMPOUND_WRITES, MEETING_WRITES
from members.volunteering.models import ServiceRecord, ServiceStatus, VolunteerPost
from organizations.statistics import subtree_aggregates


def posts_part(nodes, period):
    # One query over posts joined to their holders; a post and a person belong to one branch, so
    # distinct counts per branch add up over a subtree.
    held = Q(holders__started_on__lte=period.end) & (
        Q(holders__ended_on__isnull=True) | Q(holders__ended_on__gte=period.end)
    )
    aggregates = {
        "posts": Count("pk", distinct=True),
        "staffed": Count("pk", filter=held, distinct=True),
        "members": Count("holders__member_id", filter=held, distinct=True),
        "residents": Count("holders__volunteer_id", filter=held, distinct=True),
    }
    rows = subtree_aggregates(nodes, VolunteerPost, "organization", aggregates, Q(active=True))
    return {
        pk: {
            "volunteering.posts": r["posts"],
            "volunteering.posts_staffed": r["staffed"],
            "volunteering.member_volunteers": r["members"],
            "volunteering.resident_volunteers": r["residents"],
        }
        for pk, r in rows.items()
    }


def hours_part(nodes, period):
    confirmed = Q(status=ServiceStatus.CONFIRMED, served_on__gte=period.start, served_on__lte=period.end)
    rows = subtree_aggregates(
        nodes, ServiceRecord, "post__organization", {"n": Count("pk"), "hours": Sum("hours")}, confirmed
    )
    return {
        pk: {"volunteering.service_records": r["n"], "volunteering.service_hours": float(r["hours"] or 0)}
        for pk, r in rows.items()
    }


register_stat_block(
    StatBlock(
        name="volunteering",
        label=_("Volunteer posts and service hours"),
        order=28,
        figures=[
            Figure(
                "volunteering.posts", _("Volunteer posts"), _("Active volunteer posts of the branches in the subtree.")
            ),
            Figure(
                "volunteering.posts_staffed",
                _("Posts staffed"),
                _("Active volunteer posts with at least one holder at the end of the period."),
            ),
            Figure(
                "volunteering.member_volunteers",
                _("Members on posts"),
                _("Party members holding a volunteer post at the end of the period."),
            ),
            Figure(
                "volunteering.resident_volunteers",
                _("Resident volunteers on posts"),
                _("Residents who are not party members holding a volunteer post at the end of the period."),
            ),
            Figure(
                "volunteering.service_records",
                _("Confirmed service records"),
                _("Service records confirmed by the secretary, dated within the period."),
            ),
            Figure(
                "volunteering.service_hours",
                _("Confirmed service hours"),
                _("Hours of the confirmed service records dated within the period."),
                kind="average",
            ),
        ],
        unaffected_by=MEETING_WRITES | COMPOUND_WRITES,
        parts=[posts_part, hours_part],
    )
)
