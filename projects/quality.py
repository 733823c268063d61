"""The projects app's 数据质量 check (registered in ``projects.contributions``)."""

from django.utils.translation import gettext_lazy as _

from core import registry


def agreements_expired(queryset, today):
    """Joint-build agreements past their expiry date and not archived (renew or archive them)."""
    return queryset.filter(expires_on__lt=today, archived=False)


def register() -> None:
    registry.register_quality_check(
        registry.QualityCheck(
            "projects.agreement_expired",
            _("Expired joint-build agreements"),
            "projects.agreement",
            900,
            agreements_expired,
        )
    )
