"""Property firms (物业服务企业), their service contracts, fee collection and evaluations."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.model_bases import Timestamped
from organizations.scope import ScopedManager, ScopedQuerySet, scope_node_for, subtree_q, user_sees_everything


class PropertyFirmQuerySet(ScopedQuerySet):
    """A firm is in a subtree when it serves (or served) a compound there, or was created there.

    The contract path is multi-valued, so it is an ``EXISTS`` subquery rather than a join: a
    firm serving ten compounds is still one row.
    """

    def in_subtree(self, node):
        serves = ServiceContract.objects.filter(firm=OuterRef("pk")).filter(
            subtree_q("compound__community", node) | subtree_q("compound__branch", node)
        )
        return self.filter(subtree_q("created_in", node) | Q(Exists(serves)))

    def for_user(self, user):
        if user_sees_everything(user):
            return self.all()
        node = scope_node_for(user)
        if node is None:
            return self.none()
        return self.in_subtree(node)


class PropertyFirm(Timestamped):
    """A property service firm. ``has_party_organization`` marks a 红色物业 (the firm has its
    own party organization, named in ``party_organization_name``). ``created_in`` is the
    organization whose staff entered it, so it stays visible to them before any contract."""

    # Documented paths; PropertyFirmQuerySet turns the multi-valued one into EXISTS.
    SCOPE_PATHS = ("created_in", "contracts__compound__community", "contracts__compound__branch")

    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    has_party_organization = models.BooleanField(_("has a party organization"), default=False)
    party_organization_name = models.CharField(
        pgettext_lazy("name of", "party organization"), max_length=100, blank=True
    )
    created_in = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("entered by organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = models.Manager.from_queryset(PropertyFirmQuerySet)()

    class Meta:
        verbose_name = _("property firm")
        verbose_name_plural = _("property firms")
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name


class ServiceContract(models.Model):
    """A firm serves a compound from ``started_on`` to ``ended_on`` (open when null) at a fee
    per m² per month. Two contracts of the same compound never overlap."""

    SCOPE_PATHS = ("compound__community", "compound__branch")  # community staff; branch secretaries

    firm = models.ForeignKey(
        PropertyFirm, verbose_name=_("property firm"), on_delete=models.PROTECT, related_name="contracts"
    )
    compound = models.ForeignKey(
        "organizations.Compound",
        verbose_name=_("compound"),
        on_delete=models.PROTECT,
        related_name="service_contracts",
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    fee_per_m2_month = models.DecimalField(
        _("fee (yuan per m² per month)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("service contract")
        verbose_name_plural = _("service contracts")
        ordering = ("compound_id", "-started_on")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="contract_dates_in_order",
                violation_error_message=_("The contract ends before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.firm.name} → {self.compound.name}"


class FeeCollection(models.Model):
    """Property fees due and collected for a compound in one month (collection rate = collected
    / due)."""

    SCOPE_PATHS = ("compound__community", "compound__branch")  # community staff; branch secretaries

    compound = models.ForeignKey(
        "organizations.Compound",
        verbose_name=_("compound"),
        on_delete=models.PROTECT,
        related_name="fee_collections",
    )
    firm = models.ForeignKey(
        PropertyFirm, verbose_name=_("property firm"), on_delete=models.PROTECT, related_name="fee_collections"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    amount_due = models.DecimalField(
        _("amount due (yuan)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    amount_collected = models.DecimalField(
        _("amount collected (yuan)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("fee collection")
        verbose_name_plural = _("fee collections")
        ordering = ("compound_id", "-year", "-month")
        constraints = [models.UniqueConstraint(fields=["compound", "firm", "year", "month"], name="fee_unique_period")]

    def __str__(self) -> str:
        return f"{self.compound.name} {self.year}-{self.month:02d}"

    @property
    def rate(self) -> Decimal | None:
        if not self.amount_due:
            return None
        return (self.amount_collected / self.amount_due).quantize(Decimal("0.0001"))


class EvaluatorKind(models.TextChoices):
    BRANCH = "branch", _("Compound branch")
    OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
    RESIDENTS = "residents", _("Residents")


# (field, maximum); the total is their sum, out of 100.
EVALUATION_CRITERIA = (
    ("score_service", 25),
    ("score_environment", 20),
    ("score_security", 20),
    ("score_maintenance", 20),
    ("score_responsiveness", 15),
)


def _score(label, maximum):
    return models.PositiveSmallIntegerField(
        label, default=0, validators=[MinValueValidator(0), MaxValueValidator(maximum)]
    )


class Evaluation(models.Model):
    """One evaluation of a firm's service in a compound for a quarter, by the branch, the
    owners' committee or residents (criteria scores; total out of 100)."""

    SCOPE_PATHS = ("compound__community", "compound__branch")  # community staff; branch secretaries

    firm = models.ForeignKey(
        PropertyFirm, verbose_name=_("property firm"), on_delete=models.PROTECT, related_name="evaluations"
    )
    compound = models.ForeignKey(
        "organizations.Compound",
        verbose_name=_("compound"),
        on_delete=models.PROTECT,
        related_name="firm_evaluations",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    evaluator_kind = models.CharField(_("evaluated by"), max_length=20, choices=EvaluatorKind.choices)
    score_service = _score(_("service attitude (25)"), 25)
    score_environment = _score(_("cleaning and greenery (20)"), 20)
    score_security = _score(_("order and safety (20)"), 20)
    score_maintenance = _score(_("repairs and maintenance (20)"), 20)
    score_responsiveness = _score(_("response to residents (15)"), 15)
    total = models.PositiveSmallIntegerField(_("total"), default=0, editable=False)
    comment = models.TextField(_("comment"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ("firm_id", "-year", "-quarter")
        constraints = [
            models.UniqueConstraint(
                fields=["firm", "compound", "year", "quarter", "evaluator_kind"], name="evaluation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.firm.name} {self.compound.name} {self.year}Q{self.quarter}"

    def compute_total(self) -> int:
        return sum(getattr(self, f) or 0 for f, _m in EVALUATION_CRITERIA)
