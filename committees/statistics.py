"""Statistics block ``governance`` (registered by importing it from ``contributions.py``).

Compounds are placed by their community, seats by their body's compound's community. Same
definitions as ``committees.selectors.governance_stats`` (the ``/api/v1/stats/governance/``
endpoint), evaluated at the end of the period; fees and evaluations are those of the months and
quarters inside the period. One aggregate query per part, whatever the number of nodes.
"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from committees.models import CommitteeKind, Evaluation, FeeCollection, Seat
from committees.models.bodies import FORMED_STATUSES
from committees.selectors import formed_owners_committee
from members.statistics import MEETING_WRITES
from organizations.models import Compound, CompoundKind
from organizations.statistics import Figure, StatBlock, rate, register_stat_block, subtree_aggregates

PM = Q(kind=CompoundKind.PROPERTY_MANAGED)


def _month_q(period) -> Q:
    start, end = period.start, period.end
    after = Q(year__gt=start.year) | Q(year=start.year, month__gte=start.month)
    before = Q(year__lt=end.year) | Q(year=end.year, month__lte=end.month)
    return after & before


def _quarter_q(period) -> Q:
    sq, eq = (period.start.month - 1) // 3 + 1, (period.end.month - 1) // 3 + 1
    after = Q(year__gt=period.start.year) | Q(year=period.start.year, quarter__gte=sq)
    before = Q(year__lt=period.end.year) | Q(year=period.end.year, quarter__lte=eq)
    return after & before


def governance_part(nodes, period):
    compounds = subtree_aggregates(
        nodes,
        Compound,
        "community",
        {"pm": Count("pk", filter=PM), "formed": Count("pk", filter=PM & Q(formed_owners_committee()))},
    )
    running = Q(started_on__lte=period.end) & (Q(ended_on__isnull=True) | Q(ended_on__gte=period.end))
    oc = Q(committee__kind=CommitteeKind.OWNERS)
    seats = subtree_aggregates(
        nodes,
        Seat,
        "committee__compound__community",
        {
            "seats": Count("pk"),
            "party": Count("pk", filter=Q(is_party_member=True)),
            "oc_seats": Count("pk", filter=oc),
            "oc_party": Count("pk", filter=oc & Q(is_party_member=True)),
        },
        running & Q(committee__status__in=FORMED_STATUSES),
    )
    fees = subtree_aggregates(
        nodes,
        FeeCollection,
        "compound__community",
        {"due": Sum("amount_due"), "collected": Sum("amount_collected")},
        _month_q(period),
    )
    evaluations = subtree_aggregates(
        nodes, Evaluation, "compound__community", {"n": Count("pk"), "points": Sum("total")}, _quarter_q(period)
    )
    out = {}
    for node in nodes:
        c, s, f, e = compounds[node.pk], seats[node.pk], fees[node.pk], evaluations[node.pk]
        out[node.pk] = {
            "governance.property_managed_compounds": c["pm"],
            "governance.owners_committees_formed": c["formed"],
            "governance.formation_rate": rate(c["formed"], c["pm"]),
            "governance.seats": s["seats"],
            "governance.party_member_seats": s["party"],
            "governance.party_share": rate(s["party"], s["seats"]),
            "governance.owners_committee_party_share": rate(s["oc_party"], s["oc_seats"]),
            "governance.fee_collection_rate": rate(f["collected"], f["due"]),
            "governance.evaluation_average": round(e["points"] / e["n"], 1) if e["n"] else None,
        }
    return out


register_stat_block(
    StatBlock(
        name="governance",
        label=_("Self-governance and property"),
        order=40,
        figures=[
            Figure(
                "governance.property_managed_compounds",
                _("Property-managed compounds"),
                _("Compounds of kind property-managed, which should have an owners' committee."),
            ),
            Figure(
                "governance.owners_committees_formed",
                _("Owners' committees formed"),
                _("Property-managed compounds with an owners' committee elected and not dissolved."),
            ),
            Figure(
                "governance.formation_rate",
                _("Owners' committee formation rate"),
                _("Owners' committees formed divided by property-managed compounds."),
                "rate",
            ),
            Figure(
                "governance.seats",
                _("Seats"),
                _("Seats of self-governance bodies (elected, not dissolved) running at the end of the period."),
            ),
            Figure(
                "governance.party_member_seats",
                _("Seats held by party members"),
                _("Running seats held by party members."),
            ),
            Figure(
                "governance.party_share",
                _("Party-member share of seats"),
                _("Seats held by party members divided by running seats."),
                "rate",
            ),
            Figure(
                "governance.owners_committee_party_share",
                _("Party-member share of owners' committee seats"),
                _("The same share, for owners' committee seats only."),
                "rate",
            ),
            Figure(
                "governance.fee_collection_rate",
                _("Property fee collection rate"),
                _("Fees collected divided by fees due, for the months inside the period."),
                "rate",
            ),
            Figure(
                "governance.evaluation_average",
                _("Average property service evaluation"),
                _("Average total (out of 100) of the evaluations of the quarters inside the period."),
                "average",
            ),
        ],
        unaffected_by=MEETING_WRITES,
        parts=[governance_part],
    )
)
