"""Partner units (共建单位), joint-build agreements (共建协议) and two of the three lists:
resources partners offer (资源清单) and needs compounds raise (需求清单)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.scope import ScopedManager, ScopedQuerySet, scope_node_for, subtree_q, user_sees_everything


class PartnerKind(models.TextChoices):
    ORGAN = "organ", _("Government organ")
    INSTITUTION = "institution", _("Public institution")
    STATE_ENTERPRISE = "state_enterprise", _("State-owned enterprise")
    PRIVATE_ENTERPRISE = "private_enterprise", _("Non-public enterprise")
    SOCIAL_ORGANIZATION = "social_organization", _("Social organization")


class Category(models.TextChoices):
    """Shared by resources, needs, projects and requests so that they can be matched."""

    ENVIRONMENT = "environment", _("Environment and sanitation")
    FACILITIES = "facilities", _("Facilities and renovation")
    ELDERLY = "elderly", _("Elderly care")
    CHILDREN = "children", _("Children and youth")
    HEALTH = "health", _("Health care")
    CULTURE = "culture", _("Culture and sports")
    EDUCATION = "education", _("Education and training")
    EMPLOYMENT = "employment", _("Employment assistance")
    SAFETY = "safety", _("Public safety")
    LEGAL = "legal", _("Legal services")
    OTHER = "other", _("Other")


def partner_subtree_q(node, prefix: str = "") -> Q:
    """Partner units under ``node``: registered by an organization of the subtree, or bound by
    an agreement to one. ``Exists`` instead of a join so that a partner with several
    agreements is still one row (lists and counts never double)."""
    agreements = Agreement.objects.filter(subtree_q("organization", node), partner_id=OuterRef(f"{prefix}pk"))
    return subtree_q(f"{prefix}registered_by", node) | Exists(agreements)


class PartnerScopedQuerySet(ScopedQuerySet):
    """Scope of partners and of what hangs off a partner (``PARTNER_PREFIX``)."""

    def in_subtree(self, node):
        return self.filter(partner_subtree_q(node, self.model.PARTNER_PREFIX))

    def for_user(self, user):
        if user_sees_everything(user):
            return self.all()
        node = scope_node_for(user)
        if node is None:
            return self.none()
        return self.in_subtree(node)


class PartnerUnit(models.Model):
    """A unit that builds jointly with communities and branches (共建单位).

    Scope: the organization that registered it, and every organization it has signed an
    agreement with (a street's partner signing with a community is visible to that community).
    """

    SCOPE_PATHS = ("registered_by", "agreements__organization")
    PARTNER_PREFIX = ""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("partner kind"), max_length=20, choices=PartnerKind.choices)
    party_organization = models.CharField(pgettext_lazy("name of", "party organization"), max_length=100, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="registered_partners",
    )
    archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = models.Manager.from_queryset(PartnerScopedQuerySet)()

    class Meta:
        verbose_name = _("partner unit")
        verbose_name_plural = _("partner units")
        ordering = ("name", "id")
        constraints = [models.UniqueConstraint(fields=["registered_by", "name"], name="partner_unique_name")]

    def __str__(self) -> str:
        return self.name


class Agreement(models.Model):
    """A joint-build agreement (共建协议) between a partner and a community or a branch."""

    SCOPE_PATHS = ("organization",)

    partner = models.ForeignKey(
        PartnerUnit, verbose_name=_("partner unit"), on_delete=models.PROTECT, related_name="agreements"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("community or branch"),
        on_delete=models.PROTECT,
        related_name="agreements",
        limit_choices_to={"kind__in": ("community_committee", "compound_branch")},
    )
    title = models.CharField(_("title"), max_length=150)
    signed_on = models.DateField(_("signed on"))
    expires_on = models.DateField(_("expires on"))
    content = models.TextField(pgettext_lazy("agreement", "content"), blank=True)
    archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("joint-build agreement")
        verbose_name_plural = _("joint-build agreements")
        ordering = ("-signed_on", "id")
        indexes = [models.Index(fields=["expires_on"], name="agreement_expires")]
        constraints = [
            models.CheckConstraint(condition=Q(expires_on__gte=models.F("signed_on")), name="agreement_dates")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.organization_id and self.organization.kind not in ("community_committee", "compound_branch"):
            errors["organization"] = _("An agreement is signed with a community or a compound branch.")
        if self.signed_on and self.expires_on and self.expires_on < self.signed_on:
            errors["expires_on"] = _("The agreement expires before it is signed.")
        if errors:
            raise ValidationError(errors)


class Resource(models.Model):
    """An entry of the resource list (资源清单): what a partner offers."""

    SCOPE_PATHS = ("partner__registered_by", "partner__agreements__organization")
    PARTNER_PREFIX = "partner__"

    partner = models.ForeignKey(
        PartnerUnit, verbose_name=_("partner unit"), on_delete=models.PROTECT, related_name="resources"
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    description = models.TextField(_("description"))
    available = models.BooleanField(_("available"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = models.Manager.from_queryset(PartnerScopedQuerySet)()

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resource list")
        ordering = ("category", "id")

    def __str__(self) -> str:
        return f"{self.partner.name}：{self.get_category_display()}"


class NeedStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("need status", "Open")
    MATCHED = "matched", _("Matched with a project")
    CLOSED = "closed", _("Closed")


class Need(models.Model):
    """An entry of the need list (需求清单): what a compound needs."""

    SCOPE_PATHS = ("compound__community", "compound__branch")

    compound = models.ForeignKey(
        "organizations.Compound", verbose_name=_("compound"), on_delete=models.PROTECT, related_name="needs"
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    description = models.TextField(_("description"))
    status = models.CharField(_("status"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    raised_on = models.DateField(_("raised on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("need list")
        ordering = ("-raised_on", "id")

    def __str__(self) -> str:
        return f"{self.compound.name}：{self.get_category_display()}"
