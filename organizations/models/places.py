"""Compounds (小区), buildings (楼栋) and branch venues (阵地 / 党群服务驿站)."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.model_bases import Timestamped
from organizations.scope import ScopedManager


class CompoundKind(models.TextChoices):
    PROPERTY_MANAGED = "property_managed", _("Property-managed compound")
    SELF_MANAGED = "self_managed", _("Self-managed compound")
    PUBLIC_RENTAL = "public_rental", _("Public rental compound")
    SCATTERED = "scattered", _("Scattered buildings")


class Compound(Timestamped):
    """A residential compound (小区) of a community.

    It is covered by at most one compound branch (a joint branch covers several compounds);
    a compound without a branch is a coverage gap. The branch must sit under the community.
    """

    SCOPE_PATHS = ("community",)

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("compound kind"),
        max_length=20,
        choices=CompoundKind.choices,
        default=CompoundKind.PROPERTY_MANAGED,
    )
    community = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="compounds",
        limit_choices_to={"kind": "community_committee"},
    )
    branch = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("covering branch"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="covered_compounds",
        limit_choices_to={"kind": "compound_branch"},
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    households = models.PositiveIntegerField(_("households"), default=0)
    building_count = models.PositiveIntegerField(_("number of buildings"), default=0)
    built_year = models.PositiveSmallIntegerField(_("year built"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("compound")
        verbose_name_plural = _("compounds")
        ordering = ("community_id", "name")
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="compound_unique_name")]

    def __str__(self) -> str:
        return self.name


class Building(models.Model):
    """A building (楼栋) of a compound, optionally assigned to a building group (楼栋党小组)
    that must belong to the compound's branch."""

    SCOPE_PATHS = ("compound__community",)

    compound = models.ForeignKey(
        Compound, verbose_name=_("compound"), on_delete=models.CASCADE, related_name="buildings"
    )
    name = models.CharField(_("building"), max_length=40)
    units = models.PositiveSmallIntegerField(_("units"), default=1)
    households = models.PositiveIntegerField(_("households"), default=0)
    group = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("building group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="buildings",
        limit_choices_to={"kind": "building_group"},
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ("compound_id", "name")
        constraints = [models.UniqueConstraint(fields=["compound", "name"], name="building_unique_name")]

    def __str__(self) -> str:
        return f"{self.compound.name} {self.name}"


class VenueProvision(models.TextChoices):
    FREE = "free", _("Provided free")
    TIME_SHARED = "time_shared", _("Time-shared")
    RENTED = "rented", _("Rented")


class Venue(models.Model):
    """A branch's meeting place (阵地 / 党群服务驿站) with the 六有 checklist:
    场所, 设施, 标志, 党旗, 书报, 制度."""

    SCOPE_PATHS = ("branch",)
    SIX_STANDARDS = ("has_place", "has_facilities", "has_sign", "has_flag", "has_books", "has_rules")

    branch = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("branch"),
        on_delete=models.CASCADE,
        related_name="venues",
        limit_choices_to={"kind": "compound_branch"},
    )
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    area_m2 = models.DecimalField(
        _("area (m²)"),
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    provision = models.CharField(
        _("provision"), max_length=16, choices=VenueProvision.choices, default=VenueProvision.FREE
    )
    has_place = models.BooleanField(_("has a place"), default=False)
    has_facilities = models.BooleanField(_("has facilities"), default=False)
    has_sign = models.BooleanField(_("has a sign"), default=False)
    has_flag = models.BooleanField(_("has a party flag"), default=False)
    has_books = models.BooleanField(_("has books and newspapers"), default=False)
    has_rules = models.BooleanField(_("has rules on the wall"), default=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ("branch_id", "name")

    def __str__(self) -> str:
        return self.name

    @property
    def standards_met(self) -> int:
        return sum(1 for f in self.SIX_STANDARDS if getattr(self, f))

    @property
    def meets_six_standards(self) -> bool:
        """六有: all six items present."""
        return self.standards_met == len(self.SIX_STANDARDS)
