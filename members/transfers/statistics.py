"""Statistics block "组织关系转接与流动党员": transfers out and in completed in the period, letters in
flight at its end, floating members out / in at its end, per subtree (set-based, one query a part).

A within-district transfer counts as out for the sending subtree and in for the receiving one;
a move inside one subtree therefore counts both ways there (each branch's view adds up)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from members.models import FloatingDirection, FloatingRecord, Transfer, TransferKind, TransferState
from members.statistics import COMPOUND_WRITES, MEETING_WRITES
from organizations.statistics import Figure, StatBlock, register_stat_block, subtree_aggregates

PREFIX = "transfers."


def _in_period(period) -> Q:
    return Q(state=TransferState.RECEIVED, closed_on__gte=period.start, closed_on__lte=period.end)


def _prefixed(rows):
    return {pk: {PREFIX + k: v for k, v in values.items()} for pk, values in rows.items()}


def out_part(nodes, period):
    aggs = {
        "out_within": Count("pk", filter=_in_period(period) & Q(kind=TransferKind.WITHIN)),
        "out_system": Count("pk", filter=_in_period(period) & Q(kind=TransferKind.OUT)),
        "in_flight": Count(
            "pk",
            filter=Q(issued_on__lte=period.end)
            & (Q(state=TransferState.ISSUED) | Q(closed_on__gt=period.end))
            & ~Q(kind=TransferKind.IN),
        ),
        "expired": Count("pk", filter=Q(state=TransferState.EXPIRED, closed_on__lte=period.end)),
    }
    return _prefixed(subtree_aggregates(nodes, Transfer, "from_branch", aggs))


def in_part(nodes, period):
    aggs = {"received": Count("pk", filter=_in_period(period) & Q(kind__in=[TransferKind.WITHIN, TransferKind.IN]))}
    return _prefixed(subtree_aggregates(nodes, Transfer, "to_organization", aggs))


def floating_part(nodes, period):
    open_at_end = Q(since__lte=period.end) & (Q(returned_on__isnull=True) | Q(returned_on__gt=period.end))
    aggs = {
        "floating_out": Count("pk", filter=open_at_end & Q(direction=FloatingDirection.OUT)),
        "floating_in": Count("pk", filter=open_at_end & Q(direction=FloatingDirection.IN)),
        "floating_returned": Count("pk", filter=Q(returned_on__gte=period.start, returned_on__lte=period.end)),
    }
    return _prefixed(subtree_aggregates(nodes, FloatingRecord, "branch", aggs))


register_stat_block(
    StatBlock(
        name="transfers",
        label=_("Transfers and floating members"),
        order=25,
        figures=[
            Figure(
                "transfers.out_within",
                _("Transferred out within the district"),
                _("Letters received by another branch of the district in the period, counted at the sending side."),
            ),
            Figure(
                "transfers.out_system",
                _("Transferred out of the system"),
                _("Letters out of the system whose receipt came back in the period."),
            ),
            Figure(
                "transfers.received",
                _("Transferred in"),
                _("Members received in the period, from the district or from outside."),
            ),
            Figure(
                "transfers.in_flight",
                _("Letters in flight"),
                _("Issued letters not yet received, returned or expired at the end of the period."),
            ),
            Figure("transfers.expired", _("Letters expired"), _("Letters that expired by the end of the period.")),
            Figure(
                "transfers.floating_out",
                _("Floating out"),
                _("Members of the subtree living elsewhere at the end of the period."),
            ),
            Figure(
                "transfers.floating_in",
                _("Floating in"),
                _("Members of other places living in the subtree at the end of the period."),
            ),
            Figure(
                "transfers.floating_returned",
                _("Floating members returned"),
                _("Floating records closed by the return in the period."),
            ),
        ],
        unaffected_by=MEETING_WRITES | COMPOUND_WRITES,
        parts=[out_part, in_part, floating_part],
    )
)
