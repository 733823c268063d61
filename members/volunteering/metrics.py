"""Scoring metric of 设岗定责 (服务群众: service posts staffed)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core.registry import register_metric
from members.volunteering.models import VolunteerPost


@register_metric("members.volunteer_posts_staffed", label="志愿服务岗定责", ratio=True)
def volunteer_posts_staffed(branches, period) -> dict[int, tuple]:
    """Share of the branch's active posts held by someone at the period's end, and the hours
    confirmed within the period (one query)."""
    held = Q(holders__started_on__lte=period.end) & (
        Q(holders__ended_on__isnull=True) | Q(holders__ended_on__gte=period.end)
    )
    rows = (
        VolunteerPost.objects.filter(organization__in=branches, active=True)
        .values("organization_id")
        .annotate(posts=Count("pk", distinct=True), staffed=Count("pk", filter=held, distinct=True))
    )
    result = {}
    for row in rows:
        posts, staffed = row["posts"], row["staffed"]
        text = _("%(staffed)d of %(posts)d volunteer posts staffed") % {"staffed": staffed, "posts": posts}
        result[row["organization_id"]] = (round(staffed / posts, 4) if posts else 0.0, text)
    for branch_id in branches.values_list("pk", flat=True):
        result.setdefault(branch_id, (0.0, _("No volunteer post set up")))
    return result
