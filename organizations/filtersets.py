"""FilterSets shared by the API, admin lists and pages."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from organizations.api.base import ScopedFilterSet
from organizations.models import (
    Building,
    Compound,
    CompoundKind,
    Formation,
    Organization,
    OrganizationKind,
    Venue,
)


class OrganizationFilterSet(ScopedFilterSet):
    """``org`` = whole subtree, ``parent_id`` = direct children, ``kind``, ``formation``, ``q``."""

    parent_id = filters.NumberFilter(field_name="parent_id", label=_("Parent (id)"))
    kind = filters.MultipleChoiceFilter(distinct=False, choices=OrganizationKind.choices, label=_("kind"))
    formation = filters.MultipleChoiceFilter(distinct=False, choices=Formation.choices, label=_("formation"))
    dissolved = filters.BooleanFilter(
        field_name="dissolved_on", lookup_expr="isnull", exclude=True, label=_("Dissolved")
    )
    q = filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = Organization
        fields = ("org", "parent_id", "kind", "formation", "dissolved", "q")

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class CompoundFilterSet(ScopedFilterSet):
    community_id = filters.NumberFilter(field_name="community_id", label=_("Community (id)"))
    branch_id = filters.NumberFilter(field_name="branch_id", label=_("Branch (id)"))
    kind = filters.MultipleChoiceFilter(distinct=False, choices=CompoundKind.choices, label=_("compound kind"))
    has_branch = filters.BooleanFilter(
        field_name="branch", lookup_expr="isnull", exclude=True, label=_("Covered by a branch")
    )
    q = filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = Compound
        fields = ("org", "community_id", "branch_id", "kind", "has_branch", "q")

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value))


class BuildingFilterSet(ScopedFilterSet):
    compound_id = filters.NumberFilter(field_name="compound_id", label=_("Compound (id)"))
    group_id = filters.NumberFilter(field_name="group_id", label=_("Building group (id)"))

    class Meta:
        model = Building
        fields = ("org", "compound_id", "group_id")


class VenueFilterSet(ScopedFilterSet):
    branch_id = filters.NumberFilter(field_name="branch_id", label=_("Branch (id)"))

    class Meta:
        model = Venue
        fields = ("org", "branch_id", "provision")
