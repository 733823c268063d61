"""Allowed term lengths of an organization's committee (换届), as data per organization kind."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.scope import ScopedManager

from .tree import OrganizationKind


class TermLength(models.Model):
    """One allowed length (in years) of a committee's term for organizations of ``kind``: a
    compound branch committee serves 3 or 5 years (支部工作条例 第十二条), a community-level
    committee 5 years (党章 第三十条). The ``is_default`` length derives the term end from the
    election date when none is given."""

    SCOPE_PATHS = ()  # district-wide configuration, the same for every subtree

    organization_kind = models.CharField(_("organization kind"), max_length=24, choices=OrganizationKind.choices)
    years = models.PositiveSmallIntegerField(_("term length (years)"))
    is_default = models.BooleanField(_("default length"), default=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("allowed term length")
        verbose_name_plural = _("allowed term lengths")
        ordering = ("organization_kind", "years")
        constraints = [
            models.UniqueConstraint(fields=["organization_kind", "years"], name="term_length_unique"),
            models.UniqueConstraint(
                fields=["organization_kind"], condition=models.Q(is_default=True), name="term_length_one_default"
            ),
            models.CheckConstraint(condition=models.Q(years__gte=1, years__lte=10), name="term_length_years_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_organization_kind_display()} {self.years}"
