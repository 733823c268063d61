"""FilterSets shared by the API, admin lists and pages."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import exceptions

from members.models import (
    FloatingStatus,
    ManagementMode,
    Member,
    MemberStatus,
    OccupationStatus,
    PartyStatus,
    Position,
    PositionKind,
)
from members.organizational_life import lost_contact_listed_q
from members.personal_data import PersonalDataRefused, member_search_q
from organizations.api.base import OrgSubtreeFilter, ScopedFilterSet


class MemberFilterSet(ScopedFilterSet):
    """``org`` (whole subtree, by branch or home organization), ``branch_id``, ``group_id``,
    statuses, ``reported``, and ``q``: a name, or an exact full phone / ID number (matched by
    the keyed hash, never by plain text; holders of the unmask permission only, limited and
    logged: ``members.personal_data``)."""

    branch_id = filters.NumberFilter(field_name="branch_id", label=_("Branch (id)"))
    group_id = filters.NumberFilter(field_name="group_id", label=_("Building group (id)"))
    home_organization_id = filters.NumberFilter(field_name="home_organization_id", label=_("Home organization (id)"))
    party_status = filters.MultipleChoiceFilter(distinct=False, choices=PartyStatus.choices, label=_("party status"))
    occupation_status = filters.MultipleChoiceFilter(
        distinct=False, choices=OccupationStatus.choices, label=_("occupation status")
    )
    floating_status = filters.MultipleChoiceFilter(
        distinct=False, choices=[c for c in FloatingStatus.choices if c[0]], label=_("floating")
    )
    floating = filters.BooleanFilter(field_name="floating_status", method="filter_floating", label=_("floating"))
    lost_contact = filters.BooleanFilter(method="filter_lost_contact", label=_("lost contact"))
    reported = filters.BooleanFilter(
        field_name="reported_on", lookup_expr="isnull", exclude=True, label=_("Reported to the compound")
    )
    management_mode = filters.MultipleChoiceFilter(
        distinct=False, choices=ManagementMode.choices, label=_("management mode")
    )
    status = filters.MultipleChoiceFilter(distinct=False, choices=MemberStatus.choices, label=_("status"))
    q = filters.CharFilter(method="search", label=_("Search (name, full phone or ID number)"))

    class Meta:
        model = Member
        fields = (
            "org",
            "branch_id",
            "group_id",
            "home_organization_id",
            "party_status",
            "occupation_status",
            "floating_status",
            "floating",
            "lost_contact",
            "reported",
            "management_mode",
            "status",
            "q",
        )

    def filter_floating(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(floating_status="") if value else queryset.filter(floating_status="")

    def filter_lost_contact(self, queryset, name, value):
        """The statistics' definition (``organizational_life.lost_contact_listed_q``): marked, or
        no organizational life for more than six months."""
        if value is None:
            return queryset
        lost = lost_contact_listed_q(timezone.localdate())
        return queryset.filter(lost) if value else queryset.exclude(lost)

    def search(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        try:
            return queryset.filter(member_search_q(value, user=user, channel="api", strict=True))
        except PersonalDataRefused as exc:
            if exc.throttled:
                raise exceptions.Throttled(detail=exc.message) from exc
            raise exceptions.PermissionDenied(detail=exc.message) from exc


__all__ = ["MemberFilterSet", "PositionFilterSet", "member_search_q"]


class PositionFilterSet(ScopedFilterSet):
    org = OrgSubtreeFilter(path="organization")
    organization_id = filters.NumberFilter(field_name="organization_id", label=_("Organization (id)"))
    member_id = filters.NumberFilter(field_name="member_id", label=_("Member (id)"))
    kind = filters.MultipleChoiceFilter(distinct=False, choices=PositionKind.choices, label=_("position"))
    current = filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull", label=_("Current"))

    class Meta:
        model = Position
        fields = ("org", "organization_id", "member_id", "kind", "current")
