"""Positions (职务) a member holds in an organization over a date range."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.scope import ScopedManager


class PositionKind(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    ORGANIZATION = "organization", _("Organization committee member")
    PUBLICITY = "publicity", _("Publicity committee member")
    DISCIPLINE = "discipline", _("Discipline committee member")
    GROUP_LEADER = "group_leader", _("Group leader")
    CENTRAL_HOUSEHOLD = "central_household", _("Party member central household")
    BUILDING_HEAD = "building_head", _("Building head")
    UNIT_HEAD = "unit_head", _("Unit head")


# Positions that make a member part of the branch committee (支委会).
COMMITTEE_POSITIONS = (
    PositionKind.SECRETARY,
    PositionKind.DEPUTY_SECRETARY,
    PositionKind.ORGANIZATION,
    PositionKind.PUBLICITY,
    PositionKind.DISCIPLINE,
)


class Position(models.Model):
    """A member's role (职务) in an organization from ``started_on`` to ``ended_on`` (open when
    null)."""

    SCOPE_PATHS = ("organization",)

    member = models.ForeignKey(
        "members.Member", verbose_name=_("member"), on_delete=models.CASCADE, related_name="positions"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="positions",
    )
    kind = models.CharField(_("position"), max_length=20, choices=PositionKind.choices)
    started_on = models.DateField(pgettext_lazy("term of office", "started on"))
    ended_on = models.DateField(pgettext_lazy("term of office", "ended on"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ("organization_id", "kind", "started_on")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="position_dates_in_order",
            ),
            # One current secretary / group leader per organization, even when two clerks save
            # at the same moment (the service's overlap check alone cannot see the other write).
            models.UniqueConstraint(
                fields=["organization", "kind"],
                condition=models.Q(ended_on__isnull=True, kind__in=["secretary", "group_leader"]),
                name="position_one_current_single_seat",
                violation_error_message=_("This organization already has a current holder of this position."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_kind_display()}"
