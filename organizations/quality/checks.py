"""The organizations app's 数据质量 checks: branches without a venue, compounds without a
covering branch (registered in ``organizations.contributions``)."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from core import registry
from organizations.models import OrganizationKind, Venue


def branches_without_venue(queryset, today):
    """Compound branches (not dissolved) with no venue (阵地) recorded."""
    return queryset.filter(kind=OrganizationKind.BRANCH, dissolved_on__isnull=True).filter(
        ~Exists(Venue.objects.filter(branch_id=OuterRef("pk")))
    )


def compounds_without_branch(queryset, today):
    """Compounds no branch covers (the coverage gap)."""
    return queryset.filter(branch__isnull=True)


def register() -> None:
    registry.register_quality_check(
        registry.QualityCheck(
            "organizations.branch_without_venue",
            _("Branches without a venue"),
            "organizations.organization",
            500,
            branches_without_venue,
        )
    )
    registry.register_quality_check(
        registry.QualityCheck(
            "organizations.compound_without_branch",
            _("Compounds without a covering branch"),
            "organizations.compound",
            600,
            compounds_without_branch,
        )
    )
