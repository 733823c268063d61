"""Statistics block "换届与民主评议": the appraisal grades of the period's year and the branches
overdue for 换届 at the period's end, per subtree (set-based, one query a part)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from members.models import AppraisalGrade, AppraisalResult
from members.statistics import COMPOUND_WRITES, MEETING_WRITES
from organizations.models import Organization, OrganizationKind
from organizations.statistics import Figure, StatBlock, register_stat_block, subtree_aggregates

PREFIX = "elections."


def _prefixed(rows):
    return {pk: {PREFIX + k: v for k, v in values.items()} for pk, values in rows.items()}


def appraisal_part(nodes, period):
    """Grades of the appraisal held in the year the period ends in (民主评议 is yearly)."""
    year = Q(session__year=period.end.year)
    aggs = {f"grade_{g}": Count("pk", filter=year & Q(grade=g)) for g in AppraisalGrade.values}
    return _prefixed(subtree_aggregates(nodes, AppraisalResult, "session__organization", aggs))


def overdue_part(nodes, period):
    """Branches whose term ended before the period's end without a new election (the same
    test as ``members.elections.services.overdue_branches``)."""
    aggs = {"overdue": Count("pk", filter=Q(kind=OrganizationKind.BRANCH, term_ends_on__lt=period.end))}
    return _prefixed(subtree_aggregates(nodes, Organization, "", aggs))


register_stat_block(
    StatBlock(
        name="elections",
        label=_("Elections and appraisals"),
        order=27,
        figures=[
            *(
                Figure(
                    f"elections.grade_{grade.value}",
                    grade.label,
                    _("Members so graded in the appraisal of the year the period ends in."),
                )
                for grade in AppraisalGrade
            ),
            Figure(
                "elections.overdue",
                _("Branches overdue for election"),
                _("Branches whose term ended before the end of the period."),
            ),
        ],
        unaffected_by=MEETING_WRITES | COMPOUND_WRITES,
        parts=[appraisal_part, overdue_part],
    )
)
