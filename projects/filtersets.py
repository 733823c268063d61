"""FilterSets shared by the API and admin lists; ``org`` is the whole subtree everywhere."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from organizations.api.base import OrgSubtreeFilter, ScopedFilterSet
from projects.models import (
    Activity,
    ActivityKind,
    Agreement,
    Category,
    MicroWish,
    Need,
    NeedStatus,
    PartnerKind,
    PartnerUnit,
    Project,
    ProjectStatus,
    RequestKind,
    RequestStatus,
    ResidentRequest,
    Resource,
    Triage,
    WishStatus,
)


class PartnerOrgFilter(OrgSubtreeFilter):
    """``org`` for partners and resources: through the registering organization or an
    agreement (``Exists``, so a partner is listed once)."""

    def in_subtree(self, queryset, node):
        return queryset.in_subtree(node)


class PartnerUnitFilterSet(ScopedFilterSet):
    org = PartnerOrgFilter()
    kind = filters.MultipleChoiceFilter(distinct=False, choices=PartnerKind.choices, label=_("partner kind"))
    registered_by_id = filters.NumberFilter(field_name="registered_by_id", label=_("Registered by (id)"))
    q = filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = PartnerUnit
        fields = ("org", "kind", "registered_by_id", "archived", "q")

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(party_organization__icontains=value))


class AgreementFilterSet(ScopedFilterSet):
    partner_id = filters.NumberFilter(field_name="partner_id", label=_("Partner unit (id)"))
    organization_id = filters.NumberFilter(field_name="organization_id", label=_("Organization (id)"))
    in_force_on = filters.DateFilter(method="filter_in_force", label=_("In force on"))
    expires_before = filters.DateFilter(field_name="expires_on", lookup_expr="lte", label=_("Expires before"))

    class Meta:
        model = Agreement
        fields = ("org", "partner_id", "organization_id", "in_force_on", "expires_before", "archived")

    def filter_in_force(self, queryset, name, value):
        return queryset.filter(signed_on__lte=value, expires_on__gte=value)


class ResourceFilterSet(ScopedFilterSet):
    org = PartnerOrgFilter()
    partner_id = filters.NumberFilter(field_name="partner_id", label=_("Partner unit (id)"))
    category = filters.MultipleChoiceFilter(distinct=False, choices=Category.choices, label=_("category"))

    class Meta:
        model = Resource
        fields = ("org", "partner_id", "category", "available")


class NeedFilterSet(ScopedFilterSet):
    compound_id = filters.NumberFilter(field_name="compound_id", label=_("Compound (id)"))
    category = filters.MultipleChoiceFilter(distinct=False, choices=Category.choices, label=_("category"))
    status = filters.MultipleChoiceFilter(distinct=False, choices=NeedStatus.choices, label=_("status"))

    class Meta:
        model = Need
        fields = ("org", "compound_id", "category", "status")


class ProjectFilterSet(ScopedFilterSet):
    organization_id = filters.NumberFilter(field_name="organization_id", label=_("Organization (id)"))
    compound_id = filters.NumberFilter(field_name="compound_id", label=_("Compound (id)"))
    partner_id = filters.NumberFilter(field_name="partners", label=_("Partner unit (id)"), distinct=True)
    category = filters.MultipleChoiceFilter(distinct=False, choices=Category.choices, label=_("category"))
    status = filters.MultipleChoiceFilter(distinct=False, choices=ProjectStatus.choices, label=_("status"))
    q = filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))

    class Meta:
        model = Project
        fields = ("org", "organization_id", "compound_id", "partner_id", "category", "status", "q")


class ActivityFilterSet(ScopedFilterSet):
    organizer_id = filters.NumberFilter(field_name="organizer_id", label=_("Organizer (id)"))
    kind = filters.MultipleChoiceFilter(distinct=False, choices=ActivityKind.choices, label=_("activity kind"))
    held_from = filters.DateFilter(field_name="held_on", lookup_expr="gte", label=_("Held from"))
    held_to = filters.DateFilter(field_name="held_on", lookup_expr="lte", label=_("Held to"))

    class Meta:
        model = Activity
        fields = ("org", "organizer_id", "kind", "held_from", "held_to")


class MicroWishFilterSet(ScopedFilterSet):
    community_id = filters.NumberFilter(field_name="community_id", label=_("Community (id)"))
    compound_id = filters.NumberFilter(field_name="compound_id", label=_("Compound (id)"))
    status = filters.MultipleChoiceFilter(distinct=False, choices=WishStatus.choices, label=_("status"))

    class Meta:
        model = MicroWish
        fields = ("org", "community_id", "compound_id", "status")


class ResidentRequestFilterSet(ScopedFilterSet):
    compound_id = filters.NumberFilter(field_name="compound_id", label=_("Compound (id)"))
    kind = filters.MultipleChoiceFilter(distinct=False, choices=RequestKind.choices, label=_("request kind"))
    status = filters.MultipleChoiceFilter(distinct=False, choices=RequestStatus.choices, label=_("status"))
    triage = filters.MultipleChoiceFilter(distinct=False, choices=Triage.choices, label=_("triage"))
    category = filters.MultipleChoiceFilter(distinct=False, choices=Category.choices, label=_("category"))
    received_from = filters.DateFilter(field_name="received_on", lookup_expr="gte", label=_("Received from"))
    received_to = filters.DateFilter(field_name="received_on", lookup_expr="lte", label=_("Received to"))
    assigned_member_id = filters.NumberFilter(field_name="assigned_member_id", label=_("Assigned member (id)"))

    class Meta:
        model = ResidentRequest
        fields = (
            "org",
            "compound_id",
            "kind",
            "status",
            "triage",
            "category",
            "received_from",
            "received_to",
            "assigned_member_id",
        )
