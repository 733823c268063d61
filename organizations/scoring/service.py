"""Branch scoring service: every branch of a subtree for one period, set-based.

``score_branches`` runs a fixed number of queries whatever the number of branches: the rubric
(2), the branch list (1), one per metric the rubric uses, the manual scores (1), then the upsert
(one INSERT ... ON CONFLICT DO UPDATE per 1,000 branches) and one DELETE of stale rows. All of it
happens in one transaction under the ``SCORING`` advisory lock, so two workers running the same
period at once produce exactly what one would, and a failure leaves no partial period behind.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import Rank
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.locks import LockKey, advisory_xact_lock
from core.periods import Period
from core.registry import METRICS
from organizations.models import (
    BranchScore,
    CriterionMethod,
    ManualScore,
    Organization,
    OrganizationKind,
    ScoringCriterion,
    ScoringItem,
    ScoringRubric,
)
from organizations.selectors import in_subtree

logger = logging.getLogger(__name__)

UPSERT_BATCH = 1000


@dataclass(frozen=True)
class ScoringResult:
    period: str
    rubric_id: int
    branches: int
    removed: int


def rubric_for(period: Period) -> ScoringRubric:
    """The newest rubric valid at the period's start, with items and criteria (3 queries)."""
    rubric = (
        ScoringRubric.objects.filter(valid_from__lte=period.start)
        .order_by("-valid_from")
        .prefetch_related(
            Prefetch("items", queryset=ScoringItem.objects.order_by("order", "id")),
            Prefetch("items__criteria", queryset=ScoringCriterion.objects.order_by("order", "id")),
        )
        .first()
    )
    if rubric is None:
        raise ValidationError({"period": _("No scoring rubric is valid for %(period)s.") % {"period": period}})
    return rubric


def branches_for(period: Period, org: Organization | None = None) -> QuerySet[Organization]:
    """Branches in existence during the period (under ``org`` when given)."""
    qs = Organization.objects.filter(kind=OrganizationKind.BRANCH).filter(
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=period.start),
        Q(established_on__isnull=True) | Q(established_on__lte=period.end),
    )
    if org is not None:
        qs = qs.filter(in_subtree("", org))
    return qs.order_by()


def compute_scores(*, period: Period, org: Organization | None = None) -> tuple[ScoringRubric, list[BranchScore]]:
    """The scores, not saved: a fixed number of queries (one per metric the rubric uses)."""
    rubric = rubric_for(period)
    branches = branches_for(period, org)
    branch_ids = list(branches.values_list("id", flat=True))
    criteria = [(item, c) for item in rubric.items.all() for c in item.criteria.all()]

    figures: dict[str, dict[int, tuple]] = {}
    for _item, criterion in criteria:
        name = criterion.metric
        if criterion.method != CriterionMethod.METRIC or name in figures:
            continue
        metric = METRICS.get(name)
        if metric is None:
            logger.warning("scoring: metric %s is not registered; criterion scores 0", name)
            figures[name] = {}
            continue
        figures[name] = metric.func(branches, period) if branch_ids else {}

    manual: dict[tuple[int, int], ManualScore] = {}
    if any(c.method == CriterionMethod.MANUAL for _i, c in criteria) and branch_ids:
        for ms in ManualScore.objects.filter(period=period.label, criterion__item__rubric=rubric, branch__in=branches):
            manual[(ms.branch_id, ms.criterion_id)] = ms

    now = timezone.now()
    no_data, by_staff, not_entered = _("no data"), _("entered by staff"), _("not entered yet")
    max_total = sum((c.max_points for _i, c in criteria), Decimal("0"))
    # Per criterion: the constant part of its breakdown row, and its points per metric value
    # (values repeat across branches: ratios, small counts).
    shapes = [
        (item, c, {"item": item.name, "code": c.code, "name": c.name, "method": c.method, "max": float(c.max_points)})
        for item, c in criteria
    ]
    points_of: dict[tuple[int, object], Decimal] = {}
    scores = []
    for branch_id in branch_ids:
        rows, total = [], Decimal("0")
        for _item, criterion, shape in shapes:
            if criterion.method == CriterionMethod.MANUAL:
                ms = manual.get((branch_id, criterion.id))
                points = min(ms.points, criterion.max_points) if ms else Decimal("0")
                value = float(ms.points) if ms else None
                figure = (ms.note or by_staff) if ms else not_entered
            else:
                found = figures[criterion.metric]
                value, figure = found.get(branch_id) or found.get(None) or (None, no_data)
                key = (criterion.id, value)
                points = points_of.get(key)
                if points is None:
                    points = points_of[key] = criterion.points_for(value)
            total += points
            rows.append(
                {
                    "item": shape["item"],
                    "code": shape["code"],
                    "name": shape["name"],
                    "method": shape["method"],
                    "points": float(points),
                    "max": shape["max"],
                    "value": None if value is None else round(float(value), 4),
                    "figure": str(figure),
                }
            )
        scores.append(
            BranchScore(
                branch_id=branch_id,
                rubric=rubric,
                period=period.label,
                period_start=period.start,
                period_end=period.end,
                total=total,
                max_total=max_total,
                stars=rubric.stars_for(total),
                breakdown=rows,
                computed_at=now,
            )
        )
    return rubric, scores


UPDATED = ("period_start", "period_end", "total", "max_total", "stars", "breakdown", "computed_at")


def _upsert(batch: list[BranchScore]) -> None:
    """INSERT ... ON CONFLICT DO UPDATE of the batch. On PostgreSQL one statement over column
    arrays (``unnest``), the breakdowns serialized once here; elsewhere ``bulk_create``."""
    if connection.vendor != "postgresql":
        BranchScore.objects.bulk_create(
            batch, update_conflicts=True, unique_fields=["branch", "rubric", "period"], update_fields=list(UPDATED)
        )
        return
    columns = ("branch_id", "rubric_id", "period", *UPDATED)
    types = (
        "int[]",
        "int[]",
        "text[]",
        "date[]",
        "date[]",
        "numeric[]",
        "numeric[]",
        "int[]",
        "jsonb[]",
        "timestamptz[]",
    )
    arrays = [
        [s.branch_id for s in batch],
        [s.rubric_id for s in batch],
        [s.period for s in batch],
        [s.period_start for s in batch],
        [s.period_end for s in batch],
        [s.total for s in batch],
        [s.max_total for s in batch],
        [s.stars for s in batch],
        [json.dumps(s.breakdown, ensure_ascii=False) for s in batch],
        [s.computed_at for s in batch],
    ]
    table = BranchScore._meta.db_table
    unnest = ", ".join(f"%s::{t}" for t in types)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM unnest({unnest}) "
        f"ON CONFLICT (branch_id, rubric_id, period) DO UPDATE SET " + ", ".join(f"{c} = EXCLUDED.{c}" for c in UPDATED)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, arrays)


def _write_batch(batch: list[BranchScore]) -> None:
    _upsert(batch)
    if batch:
        audit.audit_bulk(
            model=BranchScore,
            action="update",
            count=len(batch),
            filter={"period": batch[0].period, "branch_id__in": [score.branch_id for score in batch]},
        )


def score_branches(*, period: Period | str, org: Organization | None = None) -> ScoringResult:
    """Score every branch (under ``org``) for ``period``; recomputing replaces, never adds.

    One transaction per period under the ``SCORING`` advisory lock (keyed by the period), so
    concurrent runs serialize and an interrupted run leaves the previous state intact.
    """
    period = Period.parse(period)
    with transaction.atomic():
        advisory_xact_lock(LockKey.SCORING, _period_key(period))
        if org is not None:  # nested-set values on a loaded node go stale when the tree changes
            org = Organization.objects.get(pk=org.pk)
        rubric, scores = compute_scores(period=period, org=org)
        for start in range(0, len(scores), UPSERT_BATCH):
            _write_batch(scores[start : start + UPSERT_BATCH])
        # Branches no longer scored for this period (dissolved before it, moved out ...).
        stale = BranchScore.objects.filter(rubric=rubric, period=period.label).exclude(
            branch__in=branches_for(period, org)
        )
        if org is not None:
            stale = stale.filter(in_subtree("branch", org))
        removed, _detail = stale.delete()
        _emit_scores(period, scores)
    logger.info("scoring: period=%s rubric=%s branches=%d removed=%d", period, rubric.pk, len(scores), removed)
    return ScoringResult(period=period.label, rubric_id=rubric.pk, branches=len(scores), removed=removed)


def _emit_scores(period: Period, scores: list[BranchScore]) -> None:
    """``score.computed`` per branch scored, for the webhooks whose scope covers the branch
    (skipped in one query when nobody subscribes)."""
    from organizations.webhooks import emit, has_subscribers

    if not has_subscribers("score.computed"):
        return
    for score in scores:
        data = {"branch_id": score.branch_id, "period": period.label, "total": score.total}
        emit("score.computed", organizations=[score.branch_id], object_id=score.branch_id, data=data)


def _period_key(period: Period) -> int:
    """A stable 32-bit sub-key per period for the advisory lock."""
    kind = {"month": 1, "quarter": 2, "year": 3}[period.kind]
    return period.start.year * 100 + kind * 20 + period.start.month


def ranked_scores(queryset: QuerySet[BranchScore]) -> QuerySet[BranchScore]:
    """Annotate ``rank`` (1 = best) within each period among the rows of ``queryset``: filter
    to a subtree first and the rank is the rank within that subtree (one query)."""
    return queryset.annotate(
        rank=Window(Rank(), partition_by=[F("period"), F("rubric_id")], order_by=F("total").desc())
    )
