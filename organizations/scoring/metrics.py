"""Scoring metrics of the organizations app: 六有 venue, building-group coverage.

Each is one aggregate query over all the branches given. The full-member count of a branch
(``organizations.full_members``) is the members app's (``members/metrics.py``).
"""

from __future__ import annotations

from django.db.models import Count, F, IntegerField, Max, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from core.registry import register_metric
from organizations.models import Building, Venue


@register_metric("organizations.venue_six_standards", label="六有阵地")
def venue_six_standards(branches, period) -> dict[int, tuple]:
    """Items of the 六有 checklist met by the branch's best venue (0–6)."""
    met = sum((Cast(F(name), IntegerField()) for name in Venue.SIX_STANDARDS), start=0)
    rows = (
        Venue.objects.filter(branch__in=branches)
        .order_by()
        .values("branch_id")
        .annotate(best=Max(met))
        .values_list("branch_id", "best")
    )
    six = len(Venue.SIX_STANDARDS)
    text = _("Six standards %(met)d/%(six)d")
    result = {None: (0, _("No venue recorded"))}
    for branch_id, best in rows:
        result[branch_id] = (best, text % {"met": best, "six": six})
    return result


@register_metric("organizations.building_group_coverage", label="楼栋党小组覆盖", ratio=True)
def building_group_coverage(branches, period) -> dict[int, tuple]:
    """Buildings of the branch's compounds assigned to one of its building groups, over all."""
    rows = (
        Building.objects.filter(compound__branch__in=branches)
        .order_by()
        .values("compound__branch_id")
        .annotate(
            total=Count("id"),
            covered=Count("id", filter=Q(group__parent_id=F("compound__branch_id"))),
        )
        .values_list("compound__branch_id", "total", "covered")
    )
    text = _("Buildings covered by groups %(covered)d/%(total)d")
    result = {None: (0.0, _("No buildings recorded"))}
    for branch_id, total, covered in rows:
        result[branch_id] = (
            round(covered / total, 4) if total else 0.0,
            text % {"covered": covered, "total": total},
        )
    return result
