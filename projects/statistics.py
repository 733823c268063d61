"""Statistics block ``service`` (registered by importing it from ``contributions.py``).

Same definitions as ``projects.selectors.service_stats`` (``/api/v1/stats/service/``), each row
placed once in the tree: agreements by their organization, activities by their organizer,
projects by their responsible organization, requests by the compound's community, wishes by their
community. One aggregate query per part, whatever the number of nodes.
"""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from members.statistics import MEETING_WRITES
from organizations.statistics import Figure, StatBlock, rate, register_stat_block, subtree_aggregates
from projects.models import Activity, Agreement, MicroWish, Project, Rating, ResidentRequest, Triage, WishStatus


def service_part(nodes, period):
    span = (period.start, period.end)
    agreements = subtree_aggregates(
        nodes,
        Agreement,
        "organization",
        {"n": Count("pk")},
        Q(archived=False, signed_on__lte=period.end, expires_on__gte=period.start),
    )
    activities = subtree_aggregates(nodes, Activity, "organizer", {"n": Count("pk")}, Q(held_on__range=span))
    projects = subtree_aggregates(
        nodes,
        Project,
        "organization",
        {
            "launched": Count("pk", filter=Q(started_on__range=span)),
            "completed": Count("pk", filter=Q(completed_on__range=span)),
        },
    )
    resolved = Q(resolved_on__isnull=False, due_on__isnull=False)
    requests = subtree_aggregates(
        nodes,
        ResidentRequest,
        "compound__community",
        {
            "received": Count("pk"),
            "major": Count("pk", filter=Q(triage=Triage.MAJOR)),
            "minor": Count("pk", filter=Q(triage=Triage.MINOR)),
            "private": Count("pk", filter=Q(triage=Triage.PRIVATE)),
            "due_resolved": Count("pk", filter=resolved),
            "on_time": Count("pk", filter=resolved & Q(resolved_on__lte=F("due_on"))),
            "rated": Count("pk", filter=~Q(rating="")),
            "satisfied": Count("pk", filter=Q(rating__in=(Rating.SATISFIED, Rating.BASICALLY_SATISFIED))),
        },
        Q(received_on__range=span, spam=False),
    )
    wishes = subtree_aggregates(
        nodes,
        MicroWish,
        "community",
        {"n": Count("pk")},
        Q(status=WishStatus.FULFILLED, fulfilled_at__date__range=span),
    )
    out = {}
    for node in nodes:
        r = requests[node.pk]
        out[node.pk] = {
            "service.agreements_in_force": agreements[node.pk]["n"],
            "service.activities_held": activities[node.pk]["n"],
            "service.projects_launched": projects[node.pk]["launched"],
            "service.projects_completed": projects[node.pk]["completed"],
            "service.requests_received": r["received"],
            "service.requests_major": r["major"],
            "service.requests_minor": r["minor"],
            "service.requests_private": r["private"],
            "service.on_time_rate": rate(r["on_time"], r["due_resolved"]),
            "service.satisfaction_rate": rate(r["satisfied"], r["rated"]),
            "service.wishes_fulfilled": wishes[node.pk]["n"],
        }
    return out


register_stat_block(
    StatBlock(
        name="service",
        label=_("Joint building and service"),
        order=50,
        figures=[
            Figure(
                "service.agreements_in_force",
                _("Agreements in force"),
                _("Joint-build agreements (not archived) in force at any time in the period."),
            ),
            Figure("service.activities_held", _("Activities held"), _("Joint-build activities held in the period.")),
            Figure("service.projects_launched", _("Projects launched"), _("Projects started in the period.")),
            Figure("service.projects_completed", _("Projects completed"), _("Projects completed in the period.")),
            Figure("service.requests_received", _("Resident requests"), _("Resident requests received in the period.")),
            Figure(
                "service.requests_major",
                _("Major matters"),
                _("Requests triaged as major (to a government department)."),
            ),
            Figure("service.requests_minor", _("Minor matters"), _("Requests triaged as minor (community or branch).")),
            Figure(
                "service.requests_private",
                _("Private matters"),
                _("Requests triaged as private (residents themselves)."),
            ),
            Figure(
                "service.on_time_rate",
                _("On-time resolution rate"),
                _(
                    "Requests received in the period and resolved by their due date, divided by those resolved "
                    "that had a due date."
                ),
                "rate",
            ),
            Figure(
                "service.satisfaction_rate",
                _("Satisfaction rate"),
                _("Requests rated satisfied or basically satisfied, divided by requests rated."),
                "rate",
            ),
            Figure("service.wishes_fulfilled", _("Micro-wishes fulfilled"), _("Micro-wishes fulfilled in the period.")),
        ],
        unaffected_by=MEETING_WRITES,
        parts=[service_part],
    )
)
