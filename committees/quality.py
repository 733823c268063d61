"""The committees app's 数据质量 checks (registered in ``committees.contributions``)."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from committees.models import Committee, CommitteeKind, ServiceContract
from committees.models.bodies import FORMED_STATUSES
from core import registry
from organizations.models import CompoundKind


def without_owners_committee(queryset, today):
    """Property-managed compounds with no owners' committee formed (elected, not dissolved)."""
    formed = Committee.objects.filter(compound_id=OuterRef("pk"), kind=CommitteeKind.OWNERS, status__in=FORMED_STATUSES)
    return queryset.filter(kind=CompoundKind.PROPERTY_MANAGED).filter(~Exists(formed))


def contracts_expired(queryset, today):
    """Property service contracts that have ended with no later or open contract of the compound:
    the compound's last contract has run out."""
    later = ServiceContract.objects.filter(compound_id=OuterRef("compound_id")).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=OuterRef("ended_on"))
    )
    return queryset.filter(ended_on__lt=today).filter(~Exists(later))


def register() -> None:
    registry.register_quality_check(
        registry.QualityCheck(
            "committees.without_owners_committee",
            _("Property-managed compounds without an owners' committee"),
            "organizations.compound",
            700,
            without_owners_committee,
        )
    )
    registry.register_quality_check(
        registry.QualityCheck(
            "committees.contract_expired",
            _("Expired property service contracts"),
            "committees.servicecontract",
            800,
            contracts_expired,
        )
    )
