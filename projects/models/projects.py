"""Joint-build projects (共建项目, the project list 项目清单), their funding by source and
progress updates."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.files import RandomName, validate_photo
from organizations.scope import ScopedManager
from projects.models.partners import Category


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


# The checked lifecycle: proposed → approved → in progress → completed, cancelled before completion.
PROJECT_TRANSITIONS = {
    ProjectStatus.PROPOSED: {ProjectStatus.APPROVED, ProjectStatus.CANCELLED},
    ProjectStatus.APPROVED: {ProjectStatus.IN_PROGRESS, ProjectStatus.CANCELLED},
    ProjectStatus.IN_PROGRESS: {ProjectStatus.COMPLETED, ProjectStatus.CANCELLED},
    ProjectStatus.COMPLETED: set(),
    ProjectStatus.CANCELLED: set(),
}


class Project(models.Model):
    """A joint-build project that matches a need with partners' resources.

    ``organization`` is the community or branch that runs it; ``compound`` the compound it
    serves, when there is one. Scope: the responsible organization, the compound's community and
    the compound's branch (a branch secretary sees the projects serving the compound). "Launched"
    in the figures means started (``started_on``).
    """

    SCOPE_PATHS = ("organization", "compound__community", "compound__branch")

    title = models.CharField(_("title"), max_length=150)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("responsible organization"),
        on_delete=models.PROTECT,
        related_name="joint_projects",
    )
    compound = models.ForeignKey(
        "organizations.Compound",
        verbose_name=_("compound"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="joint_projects",
    )
    partners = models.ManyToManyField(
        "projects.PartnerUnit", verbose_name=_("partner units"), blank=True, related_name="projects"
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED)
    budget = models.DecimalField(
        _("budget (yuan)"), max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), default=0)
    volunteers = models.PositiveIntegerField(_("volunteers"), default=0)
    need = models.ForeignKey(
        "projects.Need",
        verbose_name=_("matched need"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
    )
    resources = models.ManyToManyField(
        "projects.Resource", verbose_name=_("matched resources"), blank=True, related_name="projects"
    )
    proposed_on = models.DateField(_("proposed on"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    started_on = models.DateField(pgettext_lazy("project", "started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("joint-build project")
        verbose_name_plural = _("joint-build projects")
        ordering = ("-proposed_on", "id")
        indexes = [
            models.Index(fields=["started_on"], name="project_started"),
            models.Index(fields=["completed_on"], name="project_completed"),
        ]
        constraints = [models.CheckConstraint(condition=Q(budget__gte=0), name="project_budget_not_negative")]

    def __str__(self) -> str:
        return self.title


class FundingSource(models.TextChoices):
    RESIDENTS = "residents", _("Raised by residents")
    FUND = "fund", _("Fund")
    STREET = "street", _("Sub-district matching funds")
    PARTNER = "partner", _("Partner unit")
    PARTY_FEE = "party_fee", _("Returned party fees")


class Funding(models.Model):
    """Money for a project from one source (居民自筹, 基金, 街道配套, 共建单位, 党费返还)."""

    SCOPE_PATHS = ("project__organization", "project__compound__community", "project__compound__branch")

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="fundings")
    source = models.CharField(pgettext_lazy("funding", "source"), max_length=12, choices=FundingSource.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    received_on = models.DateField(_("received on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")
        ordering = ("project_id", "source", "id")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="funding_amount_not_negative")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.amount}"


class ProgressUpdate(models.Model):
    """A dated progress note of a project, with an optional photo."""

    SCOPE_PATHS = ("project__organization", "project__compound__community", "project__compound__branch")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="progress_updates"
    )
    date = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    photo = models.FileField(
        _("photo"), upload_to=RandomName("projects/progress/"), blank=True, validators=[validate_photo]
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ("project_id", "date", "id")

    def __str__(self) -> str:
        return f"{self.date} {self.text[:20]}"
