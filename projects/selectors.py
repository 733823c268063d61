"""Reads of joint building and service: expiring agreements, needs next to resources, and the
service figures for any subtree and period (one aggregate query per block)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from organizations.models import Organization
from organizations.scope import subtree_filter
from projects.models import (
    Activity,
    Agreement,
    Funding,
    FundingSource,
    MicroWish,
    Need,
    NeedStatus,
    Project,
    Rating,
    RequestStatus,
    ResidentRequest,
    Resource,
    Triage,
    WishStatus,
)


def agreements_expiring(queryset: QuerySet[Agreement], *, today: datetime.date, days: int = 60) -> QuerySet[Agreement]:
    """Agreements in force today that expire within ``days`` (soonest first)."""
    return queryset.filter(
        archived=False,
        signed_on__lte=today,
        expires_on__gte=today,
        expires_on__lte=today + datetime.timedelta(days=days),
    ).order_by("expires_on", "id")


def needs_with_available_resources(needs: QuerySet[Need], resources: QuerySet[Resource]) -> QuerySet[Need]:
    """Annotate needs with ``available_resources``: how many available resources of the same
    category ``resources`` (already scoped) holds — one correlated subquery, no loop."""
    counts = (
        resources.filter(available=True, category=OuterRef("category"))
        .order_by()
        .values("category")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return needs.annotate(available_resources=Coalesce(Subquery(counts, output_field=IntegerField()), Value(0)))


def unmatched_needs(needs: QuerySet[Need], resources: QuerySet[Resource]) -> QuerySet[Need]:
    """Open needs that have at least one available resource of the same category."""
    return needs_with_available_resources(needs.filter(status=NeedStatus.OPEN), resources).filter(
        available_resources__gt=0
    )


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def service_stats(node: Organization, *, date_from: datetime.date, date_to: datetime.date) -> dict:
    """The service figures of ``node``'s subtree for ``[date_from, date_to]``.

    Six aggregate queries whatever the size of the subtree (subtree by nested-set range):
    agreements in force at any time in the period; activities held; projects launched
    (started) and completed; funds received by source; requests received by triage class,
    on-time resolution (resolved by the due date, among dispatched requests resolved) and
    the residents' ratings; micro-wishes fulfilled.
    """
    period = (date_from, date_to)
    agreements = (
        Agreement.objects.filter(subtree_filter(Agreement, node))
        .filter(archived=False, signed_on__lte=date_to, expires_on__gte=date_from)
        .aggregate(n=Count("pk"), partners=Count("partner_id", distinct=True))
    )
    activities = Activity.objects.filter(subtree_filter(Activity, node), held_on__range=period).aggregate(
        n=Count("pk"), members=Sum("member_participants"), residents=Sum("resident_participants")
    )
    projects = Project.objects.filter(subtree_filter(Project, node)).aggregate(
        launched=Count("pk", filter=Q(started_on__range=period)),
        completed=Count("pk", filter=Q(completed_on__range=period)),
        volunteers=Sum("volunteers", filter=Q(completed_on__range=period)),
        beneficiaries=Sum("beneficiaries", filter=Q(completed_on__range=period)),
    )
    funds_rows = (
        Funding.objects.filter(subtree_filter(Funding, node), received_on__range=period)
        .order_by()
        .values("source")
        .annotate(total=Sum("amount"))
    )
    cents = Decimal("0.01")
    funds = {source: Decimal("0.00") for source in FundingSource.values}
    for row in funds_rows:
        funds[row["source"]] = Decimal(row["total"] or 0).quantize(cents)
    resolved = Q(resolved_on__isnull=False)
    requests = ResidentRequest.objects.filter(
        subtree_filter(ResidentRequest, node), received_on__range=period
    ).aggregate(
        total=Count("pk"),
        disputes=Count("pk", filter=Q(kind="dispute")),
        major=Count("pk", filter=Q(triage=Triage.MAJOR)),
        minor=Count("pk", filter=Q(triage=Triage.MINOR)),
        private=Count("pk", filter=Q(triage=Triage.PRIVATE)),
        untriaged=Count("pk", filter=Q(triage="")),
        resolved=Count("pk", filter=resolved),
        due_resolved=Count("pk", filter=resolved & Q(due_on__isnull=False)),
        on_time=Count("pk", filter=resolved & Q(due_on__isnull=False, resolved_on__lte=F("due_on"))),
        satisfied=Count("pk", filter=Q(rating=Rating.SATISFIED)),
        basically_satisfied=Count("pk", filter=Q(rating=Rating.BASICALLY_SATISFIED)),
        dissatisfied=Count("pk", filter=Q(rating=Rating.DISSATISFIED)),
        open=Count(
            "pk", filter=Q(status__in=(RequestStatus.SUBMITTED, RequestStatus.TRIAGED, RequestStatus.DISPATCHED))
        ),
    )
    wishes = MicroWish.objects.filter(subtree_filter(MicroWish, node)).aggregate(
        published=Count("pk", filter=Q(published_on__range=period)),
        fulfilled=Count("pk", filter=Q(status=WishStatus.FULFILLED, fulfilled_at__date__range=period)),
    )
    rated = requests["satisfied"] + requests["basically_satisfied"] + requests["dissatisfied"]
    return {
        "organization": {"id": node.pk, "name": node.name, "kind": node.kind},
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "agreements_in_force": agreements["n"],
        "partners_in_force": agreements["partners"],
        "activities_held": activities["n"],
        "activity_member_participants": activities["members"] or 0,
        "activity_resident_participants": activities["residents"] or 0,
        "projects_launched": projects["launched"],
        "projects_completed": projects["completed"],
        "completed_project_volunteers": projects["volunteers"] or 0,
        "completed_project_beneficiaries": projects["beneficiaries"] or 0,
        "funds_by_source": {k: str(v) for k, v in funds.items()},
        "funds_total": str(sum(funds.values(), Decimal("0.00"))),
        "requests": {
            "received": requests["total"],
            "disputes": requests["disputes"],
            "by_triage": {
                "major": requests["major"],
                "minor": requests["minor"],
                "private": requests["private"],
                "untriaged": requests["untriaged"],
            },
            "open": requests["open"],
            "resolved": requests["resolved"],
            "resolved_with_due_date": requests["due_resolved"],
            "resolved_on_time": requests["on_time"],
            "on_time_rate": _ratio(requests["on_time"], requests["due_resolved"]),
        },
        "satisfaction": {
            "satisfied": requests["satisfied"],
            "basically_satisfied": requests["basically_satisfied"],
            "dissatisfied": requests["dissatisfied"],
            "rated": rated,
            "satisfaction_rate": _ratio(requests["satisfied"] + requests["basically_satisfied"], rated),
        },
        "wishes_published": wishes["published"],
        "wishes_fulfilled": wishes["fulfilled"],
    }
