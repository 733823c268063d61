"""Scoring metrics of the projects app (registered by importing it from ``contributions.py``):
requests resolved on time, micro-wishes fulfilled, agreements in force, projects completed.
One aggregate query each over all the branches given."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.registry import register_metric
from projects.models import Agreement, MicroWish, Project, ResidentRequest


def _aware(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


@register_metric("projects.requests_resolved_on_time", label="诉求按期办结", ratio=True)
def requests_resolved_on_time(branches, period) -> dict[int, tuple]:
    """Requests of the branch's compounds due in the period, resolved by their due date."""
    rows = (
        ResidentRequest.objects.filter(
            compound__branch__in=branches, spam=False, due_on__gte=period.start, due_on__lte=period.end
        )
        .order_by()
        .values("compound__branch_id")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(resolved_on__isnull=False, resolved_on__lte=F("due_on"))),
        )
        .values_list("compound__branch_id", "total", "done")
    )
    text = _("Requests resolved on time %(done)d/%(total)d")
    result = {None: (1.0, _("No requests due"))}
    for branch_id, total, done in rows:
        result[branch_id] = (round(done / total, 4), text % {"done": done, "total": total})
    return result


@register_metric("projects.micro_wishes_fulfilled", label="微心愿兑现", ratio=True)
def micro_wishes_fulfilled(branches, period) -> dict[int, tuple]:
    """Micro-wishes of the branch's compounds published by the period's end and still open at
    its start, fulfilled by its end."""
    start, end = _aware(period.start), _aware(period.end + datetime.timedelta(days=1))
    rows = (
        MicroWish.objects.filter(compound__branch__in=branches, published_on__lte=period.end)
        .filter(Q(fulfilled_at__isnull=True) | Q(fulfilled_at__gte=start))
        .order_by()
        .values("compound__branch_id")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status="fulfilled", fulfilled_at__lt=end)),
        )
        .values_list("compound__branch_id", "total", "done")
    )
    text = _("Micro-wishes fulfilled %(done)d/%(total)d")
    result = {None: (1.0, _("No micro-wishes"))}
    for branch_id, total, done in rows:
        result[branch_id] = (round(done / total, 4), text % {"done": done, "total": total})
    return result


@register_metric("projects.agreements_in_force", label="共建协议")
def agreements_in_force(branches, period) -> dict[int, tuple]:
    """Agreements in force during the period with the branch or its community; value = count
    (one grouped query over the branches and their communities, one for the branch list)."""
    parents = dict(branches.values_list("id", "parent_id"))
    live = dict(
        Agreement.objects.filter(archived=False, signed_on__lte=period.end, expires_on__gte=period.start)
        .filter(Q(organization__in=branches) | Q(organization_id__in=branches.values("parent_id")))
        .order_by()
        .values("organization_id")
        .annotate(n=Count("*"))
        .values_list("organization_id", "n")
    )
    text = _("%(own)d agreement(s) of the branch, %(shared)d of the community")
    result = {}
    for branch, parent in parents.items():
        own, shared = live.get(branch, 0), live.get(parent, 0)
        result[branch] = (own + shared, text % {"own": own, "shared": shared})
    return result


@register_metric("projects.projects_completed", label="共建项目")
def projects_completed(branches, period) -> dict[int, tuple]:
    """Joint-build projects of the branch (run by it or serving its compounds) completed in the
    period; value = count."""
    rows = (
        Project.objects.filter(status="completed", completed_on__gte=period.start, completed_on__lte=period.end)
        .filter(Q(organization__in=branches) | Q(compound__branch__in=branches))
        .annotate(branch_key=Coalesce(F("compound__branch_id"), F("organization_id")))
        .order_by()
        .values("branch_key")
        .annotate(n=Count("id", distinct=True))
        .values_list("branch_key", "n")
    )
    text = _("%(n)d project(s) completed")
    result = {None: (0, text % {"n": 0})}
    for branch_id, n in rows:
        result[branch_id] = (n, text % {"n": n})
    return result
