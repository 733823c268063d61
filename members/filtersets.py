"""FilterSets shared by the API, admin lists and pages."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from members import crypto
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
from organizations.api.base import OrgSubtreeFilter, ScopedFilterSet


class MemberFilterSet(ScopedFilterSet):
    """``org`` (whole subtree, by branch or home organization), ``branch_id``, ``group_id``,
    statuses, ``reported``, and ``q``: a name, or an exact full phone / ID number (matched by
    the keyed hash, never by plain text)."""

    branch_id = filters.NumberFilter(field_name="branch_id", label=_("Branch (id)"))
    group_id = filters.NumberFilter(field_name="group_id", label=_("Building group (id)"))
    home_organization_id = filters.NumberFilter(field_name="home_organization_id", label=_("Home organization (id)"))
    party_status = filters.MultipleChoiceFilter(choices=PartyStatus.choices, label=_("party status"))
    occupation_status = filters.MultipleChoiceFilter(choices=OccupationStatus.choices, label=_("occupation status"))
    floating_status = filters.MultipleChoiceFilter(
        choices=[c for c in FloatingStatus.choices if c[0]], label=_("floating")
    )
    floating = filters.BooleanFilter(field_name="floating_status", method="filter_floating", label=_("floating"))
    lost_contact = filters.BooleanFilter(field_name="lost_contact", label=_("lost contact"))
    reported = filters.BooleanFilter(
        field_name="reported_on", lookup_expr="isnull", exclude=True, label=_("Reported to the compound")
    )
    management_mode = filters.MultipleChoiceFilter(choices=ManagementMode.choices, label=_("management mode"))
    status = filters.MultipleChoiceFilter(choices=MemberStatus.choices, label=_("status"))
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

    def search(self, queryset, name, value):
        return queryset.filter(member_search_q(value))


def member_search_q(value: str) -> Q:
    """Name contains ``value``; or, for a full ID number / mobile number, the keyed hash."""
    value = (value or "").strip()
    if not value:
        return Q()
    as_id = crypto.normalize_id_number(value)
    if crypto.ID_RE.match(as_id):
        return Q(id_number_hash=crypto.keyed_hash(as_id))
    as_phone = crypto.normalize_phone(value)
    if crypto.MOBILE_RE.match(as_phone):
        return Q(phone_hash=crypto.keyed_hash(as_phone))
    return Q(name__icontains=value)


class PositionFilterSet(ScopedFilterSet):
    org = OrgSubtreeFilter(path="organization")
    organization_id = filters.NumberFilter(field_name="organization_id", label=_("Organization (id)"))
    member_id = filters.NumberFilter(field_name="member_id", label=_("Member (id)"))
    kind = filters.MultipleChoiceFilter(choices=PositionKind.choices, label=_("position"))
    current = filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull", label=_("Current"))

    class Meta:
        model = Position
        fields = ("org", "organization_id", "member_id", "kind", "current")
