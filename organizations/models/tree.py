"""The party organization tree: (市委 →) 区委 → 街道党工委 → 社区党委 → 小区党支部 → 楼栋党小组."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey
from mptt.querysets import TreeQuerySet

from organizations.scope import ScopedQuerySet


class OrganizationKind(models.TextChoices):
    """Level of a node in the tree; the order of the choices is the order of the levels."""

    CITY = "city_committee", _("City committee")
    DISTRICT = "district_committee", _("District committee")
    STREET = "street_committee", _("Sub-district committee")
    COMMUNITY = "community_committee", _("Community committee")
    BRANCH = "compound_branch", _("Compound branch")
    GROUP = "building_group", _("Building group")


class Formation(models.TextChoices):
    """How a compound branch is formed (only branches have one)."""

    STANDALONE = "standalone", _("Standalone")
    JOINT = "joint", _("Joint")
    INTEGRATED = "integrated", _("Integrated")


# Which kind a node's parent must have. A city committee is always a tree root; a district committee
# is the root of its own tree or sits under a city (a city of several districts in one tree).
PARENT_KIND = {
    OrganizationKind.DISTRICT: OrganizationKind.CITY,
    OrganizationKind.STREET: OrganizationKind.DISTRICT,
    OrganizationKind.COMMUNITY: OrganizationKind.STREET,
    OrganizationKind.BRANCH: OrganizationKind.COMMUNITY,
    OrganizationKind.GROUP: OrganizationKind.BRANCH,
}
ROOT_KINDS = frozenset({OrganizationKind.CITY, OrganizationKind.DISTRICT})


class OrganizationQuerySet(ScopedQuerySet, TreeQuerySet):
    """Scoped tree queryset."""

    def active(self) -> "OrganizationQuerySet":
        return self.filter(dissolved_on__isnull=True)


class OrganizationManager(TreeManager.from_queryset(OrganizationQuerySet)):
    """Tree manager with ``for_user`` / ``in_subtree``."""


class Organization(MPTTModel):
    """A party organization, one node of the tree.

    Every district committee is the root of its own tree. Members are never nodes: they point at
    a branch (and optionally a building group). All tree writes go through
    ``organizations.services`` which serializes them with an advisory lock.
    """

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=40, unique=True, help_text=_("Unique code of the organization."))
    kind = models.CharField(_("kind"), max_length=24, choices=OrganizationKind.choices)
    formation = models.CharField(
        _("formation"),
        max_length=16,
        choices=Formation.choices,
        blank=True,
        help_text=_("Only for compound branches."),
    )
    parent = TreeForeignKey(
        "self",
        verbose_name=_("parent organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    # 换届: the current committee's election and term end; the allowed lengths are data per kind
    # (TermLength, organizations.terms) and the end drives the re-election reminder.
    elected_on = models.DateField(_("current term elected on"), null=True, blank=True)
    term_ends_on = models.DateField(
        _("current term ends on"),
        null=True,
        blank=True,
        help_text=_("Left empty, it is derived from the election date and the kind's term length."),
    )
    phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    SCOPE_PATHS = ("",)

    objects = OrganizationManager()

    # The tree columns django-mptt would add, declared here only to give them Chinese labels
    # (same columns and indexes as mptt creates them).
    lft = models.PositiveIntegerField(_("left bound"), editable=False)
    rght = models.PositiveIntegerField(_("right bound"), editable=False)
    tree_id = models.PositiveIntegerField(_("tree id"), db_index=True, editable=False)
    level = models.PositiveIntegerField(_("tree level"), editable=False)

    class MPTTMeta:
        order_insertion_by = ()

    class Meta:
        verbose_name = _("party organization")
        verbose_name_plural = _("party organizations")
        indexes = [
            models.Index(fields=["tree_id", "lft", "rght"], name="org_tree_range"),
            models.Index(fields=["kind"], name="org_kind"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_dissolved(self) -> bool:
        return self.dissolved_on is not None

    def clean(self) -> None:
        """Field-level rules that do not need the tree (the services check the tree ones)."""
        if self.kind != OrganizationKind.BRANCH and self.formation:
            raise ValidationError({"formation": _("Only a compound branch has a formation.")})
        if self.kind == OrganizationKind.BRANCH and not self.formation:
            self.formation = Formation.STANDALONE
        if self.established_on and self.dissolved_on and self.dissolved_on < self.established_on:
            raise ValidationError({"dissolved_on": _("The dissolution date is before the establishment date.")})
        from organizations.terms import apply_term_rules

        apply_term_rules(self)
