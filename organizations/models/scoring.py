"""Branch standardization scoring (支部标准化规范化评分): rubric as data, scores per period.

A rubric (评分细则) is versioned by ``valid_from``: the scoring of a period uses the newest
rubric valid at the period's start, so a changed rubric applies from the next period while old
scores keep the breakdown they were computed with (stored on the score, not re-derived).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.scope import ScopedManager


class ScoringRubric(models.Model):
    """A version of the scoring rubric (评分细则): items, criteria and star thresholds."""

    SCOPE_PATHS = ()  # one rubric for the whole district: every staff user may read it

    name = models.CharField(_("name"), max_length=100)
    valid_from = models.DateField(
        _("valid from"),
        unique=True,
        help_text=_("First day of the first period scored with this version."),
    )
    star_thresholds = models.JSONField(
        _("star thresholds"),
        default=list,
        blank=True,
        help_text=_("Ascending totals that earn one more star each, e.g. [50, 60, 70, 80, 90]."),
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("scoring rubric")
        verbose_name_plural = _("scoring rubrics")
        ordering = ("-valid_from",)

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%Y-%m-%d})"

    def stars_for(self, total: Decimal) -> int:
        return sum(1 for t in self.star_thresholds or () if total >= Decimal(str(t)))


class ScoringItem(models.Model):
    """One of the rubric's items (评分项目), e.g. 组织建设."""

    SCOPE_PATHS = ()

    rubric = models.ForeignKey(ScoringRubric, verbose_name=_("rubric"), on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=100)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("scoring item")
        verbose_name_plural = _("scoring items")
        ordering = ("rubric_id", "order", "id")
        constraints = [models.UniqueConstraint(fields=["rubric", "name"], name="scoring_item_unique_name")]

    def __str__(self) -> str:
        return self.name


class CriterionMethod(models.TextChoices):
    METRIC = "metric", _("Computed from data")
    MANUAL = "manual", _("Entered by staff")


class ScoringCriterion(models.Model):
    """A criterion (评分标准) with its maximum points.

    Computed criteria name a registered metric (``core.registry.METRICS``); the figure
    turns into points by ``thresholds`` (``[[min_value, points], ...]``: the best row whose
    minimum is reached) or, with no thresholds, proportionally (value × max points, value a
    share in [0, 1]). Manual criteria take the ``ManualScore`` staff entered for the period.
    """

    SCOPE_PATHS = ()

    item = models.ForeignKey(ScoringItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    max_points = models.DecimalField(
        _("maximum points"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)]
    )
    method = models.CharField(
        _("method"), max_length=8, choices=CriterionMethod.choices, default=CriterionMethod.METRIC
    )
    metric = models.CharField(_("metric"), max_length=60, blank=True)
    thresholds = models.JSONField(_("thresholds"), default=list, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")
        ordering = ("item__order", "order", "id")
        constraints = [
            models.UniqueConstraint(fields=["item", "code"], name="scoring_criterion_unique_code"),
            models.CheckConstraint(
                condition=~models.Q(method="metric") | ~models.Q(metric=""),
                name="scoring_criterion_metric_named",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def points_for(self, value) -> Decimal:
        """Points for a metric value, never above ``max_points``."""
        if value is None:
            return Decimal("0")
        value = Decimal(str(value))
        if self.thresholds:
            best = Decimal("0")
            for minimum, points in self.thresholds:
                if value >= Decimal(str(minimum)):
                    best = max(best, Decimal(str(points)))
            points = best
        else:
            points = self.max_points * max(Decimal("0"), min(value, Decimal("1")))
        return min(points, self.max_points).quantize(Decimal("0.1"))


class BranchScore(models.Model):
    """A branch's score for one period under one rubric, with the breakdown per criterion.

    ``breakdown`` is a list of ``{"item", "code", "name", "points", "max", "value", "figure",
    "method"}`` in rubric order: the figure behind each number, so a secretary can check it by
    hand. Recomputing the same period replaces the row (upsert), never adds one.
    """

    SCOPE_PATHS = ("branch",)

    branch = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("branch"),
        on_delete=models.CASCADE,
        related_name="scores",
        limit_choices_to={"kind": "compound_branch"},
    )
    rubric = models.ForeignKey(ScoringRubric, verbose_name=_("rubric"), on_delete=models.PROTECT, related_name="scores")
    period = models.CharField(_("period"), max_length=8, help_text=_("2026-05, 2026-Q3 or 2026."))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=1)
    max_total = models.DecimalField(_("maximum total"), max_digits=6, decimal_places=1)
    stars = models.PositiveSmallIntegerField(_("star level"), default=0, validators=[MaxValueValidator(10)])
    breakdown = models.JSONField(_("breakdown"), default=list)
    computed_at = models.DateTimeField(_("computed at"))

    objects = ScopedManager()

    class Meta:
        verbose_name = _("branch score")
        verbose_name_plural = _("branch scores")
        ordering = ("period", "-total", "branch_id")
        constraints = [
            models.UniqueConstraint(fields=["branch", "rubric", "period"], name="branch_score_unique_period")
        ]
        indexes = [models.Index(fields=["period", "total"], name="branch_score_period_total")]

    def __str__(self) -> str:
        return f"{self.branch} {self.period}: {self.total}"


class ManualScore(models.Model):
    """Points staff entered for a manual criterion, a branch and a period (e.g. 民主评议)."""

    SCOPE_PATHS = ("branch",)

    branch = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("branch"),
        on_delete=models.CASCADE,
        related_name="manual_scores",
        limit_choices_to={"kind": "compound_branch"},
    )
    criterion = models.ForeignKey(
        ScoringCriterion,
        verbose_name=_("criterion"),
        on_delete=models.CASCADE,
        related_name="manual_scores",
        limit_choices_to={"method": "manual"},
    )
    period = models.CharField(_("period"), max_length=8)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)])
    note = models.CharField(_("note"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("manual score")
        verbose_name_plural = _("manual scores")
        ordering = ("period", "branch_id")
        constraints = [
            models.UniqueConstraint(fields=["branch", "criterion", "period"], name="manual_score_unique_period")
        ]

    def __str__(self) -> str:
        return f"{self.branch} {self.period} {self.criterion}: {self.points}"
