"""Reads of the committees app: the governance figures of a subtree and a firm's summary.

``governance_stats`` is a fixed number of set-based aggregate queries (six) for any subtree,
whatever its size: the subtree is a nested-set range on the organization the rows hang from.
"""

from __future__ import annotations

import datetime

from django.db.models import Avg, Count, Exists, F, FloatField, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from committees.models import (
    Committee,
    CommitteeKind,
    CommitteeStatus,
    Evaluation,
    Matter,
    PropertyFirm,
    Seat,
    SeatRole,
    ServiceContract,
)
from committees.models.bodies import FORMED_STATUSES
from committees.models.matters import PENDING_STATUSES
from members.models import Position, PositionKind
from members.models.position import COMMITTEE_POSITIONS
from organizations.models import Compound, CompoundKind, Organization, OrganizationKind
from organizations.scope import subtree_q

EXPIRY_WINDOW_DAYS = 90
LIST_LIMIT = 200


def compound_subtree(node: Organization, prefix: str = "") -> Q:
    """Compounds of ``node``'s subtree: by their community for a community or above, by their
    covering branch for a branch (a branch secretary's view). One path either way, so the
    planner keeps a single range scan."""
    if node.kind in (OrganizationKind.BRANCH, OrganizationKind.GROUP):
        return subtree_q(f"{prefix}branch", node)
    return subtree_q(f"{prefix}community", node)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _current(prefix: str, today: datetime.date) -> Q:
    """Rows (seats, positions) running on ``today``."""
    return Q(**{f"{prefix}started_on__lte": today}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": today})
    )


def formed_owners_committee(compound_ref: str = "pk") -> Exists:
    """EXISTS: the outer compound has an owners' committee that is elected and not dissolved."""
    return Exists(
        Committee.objects.filter(
            compound_id=OuterRef(compound_ref), kind=CommitteeKind.OWNERS, status__in=FORMED_STATUSES
        )
    )


def _branch_position(today: datetime.date, kinds) -> Exists:
    """EXISTS: the outer seat's member holds one of ``kinds`` in the compound's branch today."""
    return Exists(
        Position.objects.filter(
            _current("", today),
            member_id=OuterRef("member_id"),
            organization_id=OuterRef("committee__compound__branch_id"),
            kind__in=list(kinds),
        )
    )


def governance_stats(*, node: Organization, today: datetime.date) -> dict:
    """Self-governance figures for ``node``'s subtree on ``today``.

    - formation rate: property-managed compounds with an owners' committee (elected, not
      dissolved) / property-managed compounds;
    - party share: seats running today (of bodies elected and not dissolved) held by party
      members, for all bodies and for owners' committees;
    - 一肩挑: owners' committees chaired by a current secretary of the compound's branch;
    - 交叉任职: distinct branch committee members (支委) of the compound's branch holding a seat;
    - terms of active bodies ending within 90 days; compounds without an owners' committee;
      matters still pending after their due date.
    """
    pm = Q(kind=CompoundKind.PROPERTY_MANAGED)
    compounds = Compound.objects.filter(compound_subtree(node))
    compound_block = compounds.aggregate(
        compounds=Count("pk"),
        property_managed=Count("pk", filter=pm),
        with_owners_committee=Count("pk", filter=pm & Q(formed_owners_committee())),
    )

    oc = Q(committee__kind=CommitteeKind.OWNERS)
    seats = Seat.objects.filter(
        compound_subtree(node, "committee__compound__"),
        _current("", today),
        committee__status__in=FORMED_STATUSES,
    )
    seat_block = seats.aggregate(
        seats=Count("pk"),
        party_seats=Count("pk", filter=Q(is_party_member=True)),
        owners_committee_seats=Count("pk", filter=oc),
        owners_committee_party_seats=Count("pk", filter=oc & Q(is_party_member=True)),
        one_shoulder=Count(
            "committee_id",
            distinct=True,
            filter=oc
            & Q(role=SeatRole.CHAIR, member__isnull=False)
            & Q(_branch_position(today, [PositionKind.SECRETARY])),
        ),
        cross_appointed_members=Count(
            "member_id",
            distinct=True,
            filter=Q(member__isnull=False) & Q(_branch_position(today, COMMITTEE_POSITIONS)),
        ),
    )

    horizon = today + datetime.timedelta(days=EXPIRY_WINDOW_DAYS)
    expiring = list(
        Committee.objects.filter(
            compound_subtree(node, "compound__"),
            status=CommitteeStatus.ACTIVE,
            term_ends_on__gte=today,
            term_ends_on__lte=horizon,
        )
        .order_by("term_ends_on", "pk")
        .values("id", "kind", "term_number", "term_ends_on", compound_name=F("compound__name"))
    )

    without = list(
        compounds.filter(pm)
        .exclude(formed_owners_committee())
        .order_by("community_id", "name", "pk")
        .values("id", "name", community_name=F("community__name"))[:LIST_LIMIT]
    )

    matters = Matter.objects.filter(compound_subtree(node, "compound__"))
    overdue_q = Q(status__in=PENDING_STATUSES, due_on__lt=today)
    matter_block = matters.aggregate(
        pending=Count("pk", filter=Q(status__in=PENDING_STATUSES)),
        overdue=Count("pk", filter=overdue_q),
    )
    overdue = list(
        matters.filter(overdue_q)
        .order_by("due_on", "pk")
        .values("id", "title", "handler", "due_on", "status", compound_name=F("compound__name"))[:LIST_LIMIT]
    )

    pm_count = compound_block["property_managed"]
    formed = compound_block["with_owners_committee"]
    return {
        "organization": {"id": node.pk, "name": node.name, "kind": node.kind},
        "today": today,
        "compounds": compound_block["compounds"],
        "property_managed_compounds": pm_count,
        "owners_committees_formed": formed,
        "formation_rate": _ratio(formed, pm_count),
        "seats": seat_block["seats"],
        "party_member_seats": seat_block["party_seats"],
        "party_member_share": _ratio(seat_block["party_seats"], seat_block["seats"]),
        "owners_committee_seats": seat_block["owners_committee_seats"],
        "owners_committee_party_member_seats": seat_block["owners_committee_party_seats"],
        "owners_committee_party_member_share": _ratio(
            seat_block["owners_committee_party_seats"], seat_block["owners_committee_seats"]
        ),
        "secretary_chairs_owners_committee": seat_block["one_shoulder"],
        "cross_appointed_members": seat_block["cross_appointed_members"],
        "terms_expiring": {"days": EXPIRY_WINDOW_DAYS, "count": len(expiring), "items": expiring},
        "compounds_without_owners_committee": {"count": pm_count - formed, "items": without},
        "matters_pending": matter_block["pending"],
        "overdue_matters": {"count": matter_block["overdue"], "items": overdue},
    }


def firms_with_figures(queryset, node: Organization | None):
    """Annotate firms with the compounds they serve and their average evaluation, counting only
    rows inside ``node``'s subtree (everything when ``node`` is None, for a superuser). Two
    correlated subqueries: still one query for the whole list."""
    contracts = ServiceContract.objects.filter(firm_id=OuterRef("pk"))
    evaluations = Evaluation.objects.filter(firm_id=OuterRef("pk"))
    if node is not None:
        contracts = contracts.filter(compound_subtree(node, "compound__"))
        evaluations = evaluations.filter(compound_subtree(node, "compound__"))
    served = contracts.order_by().values("firm_id").annotate(n=Count("compound_id", distinct=True)).values("n")
    average = evaluations.order_by().values("firm_id").annotate(a=Avg("total")).values("a")
    return queryset.annotate(
        compounds_served=Coalesce(Subquery(served, output_field=IntegerField()), Value(0)),
        average_total=Subquery(average, output_field=FloatField()),
    )


def firm_summary(*, firm: PropertyFirm, user) -> dict:
    """A firm's page: the compounds it serves (within the user's scope), its average
    evaluation and the trend per quarter (three queries)."""
    contracts = list(
        ServiceContract.objects.for_user(user)
        .filter(firm=firm)
        .select_related("compound")
        .order_by("compound__name", "-started_on")
    )
    evaluations = Evaluation.objects.for_user(user).filter(firm=firm)
    average = evaluations.aggregate(avg=Avg("total"), n=Count("pk"))
    trend = list(
        evaluations.values("year", "quarter")
        .annotate(average_total=Avg("total"), evaluations=Count("pk"))
        .order_by("year", "quarter")
    )
    return {
        "contracts": contracts,
        "average_total": round(average["avg"], 1) if average["avg"] is not None else None,
        "evaluations": average["n"],
        "trend": [{**row, "average_total": round(row["average_total"], 1)} for row in trend],
    }


def fee_collection_rates(queryset):
    """Collection rate per compound and period from a FeeCollection queryset (one query)."""
    return (
        queryset.values("compound_id", "year", "month")
        .annotate(due=Sum("amount_due"), collected=Sum("amount_collected"))
        .order_by("compound_id", "year", "month")
    )
