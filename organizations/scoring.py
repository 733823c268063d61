"""Branch scoring service: every branch of a subtree for one period, set-based.

``score_branches`` runs a fixed number of queries whatever the number of branches: the rubric
(2), the branch list (1), one per metric the rubric uses, the manual scores (1), then the upsert
(one INSERT ... ON CONFLICT DO UPDATE per 1,000 branches) and one DELETE of stale rows. All of it
happens in one transaction under the ``SCORING`` advisory lock, so two workers running the same
period at once produce exactly what one would, and a failure leaves no partial period behind.
"""

from __future__ import annotations

import calendar
import datetime
import logging
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import Rank
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from organizations.locks import LockKey, advisory_xact_lock
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
from organizations.registry import METRICS, autodiscover_scoring

logger = logging.getLogger(__name__)

UPSERT_BATCH = 1000
_PERIOD_RE = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>0[1-9]|1[0-2])|Q(?P<quarter>[1-4])))?$")


@dataclass(frozen=True)
class Period:
    """A month (``2026-05``), quarter (``2026-Q3``) or year (``2026``)."""

    label: str
    kind: str  # "month" | "quarter" | "year"
    start: datetime.date
    end: datetime.date  # inclusive

    @classmethod
    def parse(cls, label: str | Period) -> Period:
        if isinstance(label, Period):
            return label
        match = _PERIOD_RE.match(str(label or "").strip())
        if not match:
            raise ValidationError({"period": _("Enter a period such as 2026-05, 2026-Q3 or 2026.")})
        year = int(match["year"])
        if match["month"]:
            month = int(match["month"])
            return cls(
                f"{year}-{month:02d}",
                "month",
                datetime.date(year, month, 1),
                datetime.date(year, month, calendar.monthrange(year, month)[1]),
            )
        if match["quarter"]:
            q = int(match["quarter"])
            first, last = 3 * q - 2, 3 * q
            return cls(
                f"{year}-Q{q}",
                "quarter",
                datetime.date(year, first, 1),
                datetime.date(year, last, calendar.monthrange(year, last)[1]),
            )
        return cls(str(year), "year", datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def containing(cls, day: datetime.date, kind: str) -> Period:
        if kind == "month":
            return cls.parse(f"{day.year}-{day.month:02d}")
        if kind == "quarter":
            return cls.parse(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
        return cls.parse(str(day.year))

    @classmethod
    def previous(cls, day: datetime.date, kind: str) -> Period:
        """The last complete period of ``kind`` before ``day`` (what a scheduled run scores)."""
        return cls.containing(cls.containing(day, kind).start - datetime.timedelta(days=1), kind)

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "year": 12}[self.kind]

    def __str__(self) -> str:
        return self.label


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
        qs = qs.filter(tree_id=org.tree_id, lft__gte=org.lft, rght__lte=org.rght)
    return qs.order_by()


def compute_scores(*, period: Period, org: Organization | None = None) -> tuple[ScoringRubric, list[BranchScore]]:
    """The scores, not saved: a fixed number of queries (one per metric the rubric uses)."""
    autodiscover_scoring()
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
    no_data = _("no data")
    max_total = sum((c.max_points for _i, c in criteria), Decimal("0"))
    scores = []
    for branch_id in branch_ids:
        rows, total = [], Decimal("0")
        for item, criterion in criteria:
            if criterion.method == CriterionMethod.MANUAL:
                ms = manual.get((branch_id, criterion.id))
                points = min(ms.points, criterion.max_points) if ms else Decimal("0")
                value = float(ms.points) if ms else None
                figure = (ms.note or _("entered by staff")) if ms else _("not entered yet")
            else:
                found = figures[criterion.metric]
                value, figure = found.get(branch_id) or found.get(None) or (None, no_data)
                points = criterion.points_for(value)
            total += points
            rows.append(
                {
                    "item": item.name,
                    "code": criterion.code,
                    "name": criterion.name,
                    "method": criterion.method,
                    "points": float(points),
                    "max": float(criterion.max_points),
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


def _write_batch(batch: list[BranchScore]) -> None:
    BranchScore.objects.bulk_create(
        batch,
        update_conflicts=True,
        unique_fields=["branch", "rubric", "period"],
        update_fields=["period_start", "period_end", "total", "max_total", "stars", "breakdown", "computed_at"],
    )
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
            stale = stale.filter(branch__tree_id=org.tree_id, branch__lft__gte=org.lft, branch__rght__lte=org.rght)
        removed, _detail = stale.delete()
    logger.info("scoring: period=%s rubric=%s branches=%d removed=%d", period, rubric.pk, len(scores), removed)
    return ScoringResult(period=period.label, rubric_id=rubric.pk, branches=len(scores), removed=removed)


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
