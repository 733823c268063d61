"""The statistics blocks of the organizations app: coverage, venues, branch scores."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from core.statistics.framework import Figure, StatBlock, TrendMetric, rate, register_stat_block, register_trend
from organizations.models import Organization, OrganizationKind
from organizations.statistics.aggregates import monthly_counts, subtree_aggregates


def _coverage(nodes, period):
    from organizations.models import Compound

    compounds = subtree_aggregates(
        nodes,
        Compound,
        "community",
        {
            "compounds": Count("pk"),
            "covered": Count("pk", filter=Q(branch__isnull=False)),
            "households": Sum("households"),
        },
    )
    # A compound hangs off its community in the tree; below the community (a branch, a group) the
    # compounds are those the branch covers.
    below = [n for n in nodes if n.kind in (OrganizationKind.BRANCH, OrganizationKind.GROUP)]
    if below:
        branch_compounds = subtree_aggregates(
            below,
            Compound,
            "branch",
            {"compounds": Count("pk"), "covered": Count("pk"), "households": Sum("households")},
            Q(branch__kind=OrganizationKind.BRANCH),
        )
        compounds.update({pk: v for pk, v in branch_compounds.items()})
    branch = Q(kind=OrganizationKind.BRANCH)
    orgs = subtree_aggregates(
        nodes,
        Organization,
        "",
        {
            "branches": Count("pk", filter=branch),
            "standalone": Count("pk", filter=branch & Q(formation="standalone")),
            "joint": Count("pk", filter=branch & Q(formation="joint")),
            "integrated": Count("pk", filter=branch & Q(formation="integrated")),
            "groups": Count("pk", filter=Q(kind=OrganizationKind.GROUP)),
        },
        # Organizations that exist at the end of the period.
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=period.end),
    )
    out = {}
    for node in nodes:
        c, o = compounds[node.pk], orgs[node.pk]
        out[node.pk] = {
            "coverage.compounds": c["compounds"],
            "coverage.compounds_with_branch": c["covered"],
            "coverage.coverage_rate": rate(c["covered"], c["compounds"]),
            "coverage.households": c["households"],
            "coverage.branches": o["branches"],
            "coverage.branches_standalone": o["standalone"],
            "coverage.branches_joint": o["joint"],
            "coverage.branches_integrated": o["integrated"],
            "coverage.building_groups": o["groups"],
        }
    return out


def _venues(nodes, period):
    from organizations.models import Venue

    six = Q(**dict.fromkeys(Venue.SIX_STANDARDS, True))
    rows = subtree_aggregates(nodes, Venue, "branch", {"venues": Count("pk"), "six": Count("pk", filter=six)})
    return {
        pk: {
            "venues.venues": r["venues"],
            "venues.meeting_six_standards": r["six"],
            "venues.six_standards_rate": rate(r["six"], r["venues"]),
        }
        for pk, r in rows.items()
    }


def _scores(nodes, period):
    """Branch scores of the periods lying inside the stats period (a quarter's scores for a
    quarter, the four quarters' for a year: each scored period counts once per branch)."""
    from organizations.models import BranchScore

    inside = Q(period_start__gte=period.start, period_end__lte=period.end)
    rows = subtree_aggregates(
        nodes,
        BranchScore,
        "branch",
        {
            "n": Count("pk"),
            "points": Sum("total"),
            "stars3": Count("pk", filter=Q(stars__gte=3)),
        },
        inside,
    )
    return {
        pk: {
            "scores.scored": r["n"],
            "scores.average": round(r["points"] / r["n"], 1) if r["n"] else None,
            "scores.three_stars_or_more": r["stars3"],
        }
        for pk, r in rows.items()
    }


def register_builtin_blocks() -> None:
    """The blocks of the organizations app (registered by ``organizations/contributions.py``)."""
    register_stat_block(
        StatBlock(
            name="scores",
            label=_("Branch standardization scores"),
            order=60,
            figures=[
                Figure(
                    "scores.scored",
                    _("Branch scores"),
                    _("Scores of branches for scoring periods (month, quarter, year) inside the period."),
                ),
                Figure(
                    "scores.average",
                    _("Average score"),
                    _("Average total of those scores (out of the rubric's 100 points)."),
                    "average",
                ),
                Figure(
                    "scores.three_stars_or_more",
                    _("Scores of three stars or more"),
                    _("Those scores with a star level of 3 or more."),
                ),
            ],
            parts=[_scores],
        )
    )
    register_stat_block(
        StatBlock(
            name="coverage",
            label=_("Organization coverage"),
            order=10,
            figures=[
                Figure(
                    "coverage.compounds",
                    _("Compounds"),
                    _("Compounds of the communities in the subtree (for a branch: the compounds it covers)."),
                ),
                Figure(
                    "coverage.compounds_with_branch",
                    _("Compounds with a branch"),
                    _("Compounds covered by a compound branch (a joint branch covers several)."),
                ),
                Figure(
                    "coverage.coverage_rate",
                    _("Coverage rate"),
                    _("Compounds with a branch divided by compounds (null when there are no compounds)."),
                    "rate",
                ),
                Figure("coverage.households", _("Households"), _("Households of the compounds in the subtree.")),
                Figure(
                    "coverage.branches",
                    _("Compound branches"),
                    _("Compound branches in the subtree not dissolved by the end of the period."),
                ),
                Figure("coverage.branches_standalone", _("Standalone branches"), _("Branches formed standalone.")),
                Figure(
                    "coverage.branches_joint", _("Joint branches"), _("Branches formed jointly for several compounds.")
                ),
                Figure(
                    "coverage.branches_integrated",
                    _("Integrated branches"),
                    _("Integrated (兼合式) branches gathering every member living in the compound."),
                ),
                Figure(
                    "coverage.building_groups",
                    _("Building groups"),
                    _("Building party groups not dissolved by the end of the period."),
                ),
            ],
            parts=[_coverage],
        )
    )
    register_stat_block(
        StatBlock(
            name="venues",
            label=_("Venues"),
            order=30,
            figures=[
                Figure("venues.venues", _("Venues"), _("Branch venues (阵地 / 党群服务驿站) in the subtree.")),
                Figure(
                    "venues.meeting_six_standards",
                    _("Venues meeting the six standards"),
                    _("Venues with all six items of 六有: place, facilities, sign, flag, books, rules."),
                ),
                Figure(
                    "venues.six_standards_rate",
                    _("Six-standards rate"),
                    _("Venues meeting 六有 divided by venues (null when there are none)."),
                    "rate",
                ),
            ],
            parts=[_venues],
        )
    )

    def compounds_created(node, period):
        from organizations.models import Compound

        return monthly_counts(Compound, "community", node, "created_at", period)

    register_trend(
        TrendMetric(
            "coverage.compounds_created",
            _("Compounds registered"),
            _("Compounds entered into the system per month (by creation time, Asia/Shanghai)."),
            compounds_created,
        )
    )
