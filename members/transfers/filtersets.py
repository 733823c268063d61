"""FilterSets of transfers and floating records (API and admin lists)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from members.models import FloatingDirection, FloatingRecord, Transfer, TransferKind, TransferState
from organizations.api.base import ScopedFilterSet


class TransferFilterSet(ScopedFilterSet):
    """``org`` (subtree, sending or receiving side), ``state``, ``kind``, ``member``, ``open``."""

    state = filters.MultipleChoiceFilter(distinct=False, choices=TransferState.choices, label=_("state"))
    kind = filters.MultipleChoiceFilter(distinct=False, choices=TransferKind.choices, label=_("kind"))
    member = filters.NumberFilter(field_name="member_id", label=_("member"))
    open = filters.BooleanFilter(method="filter_open", label=_("In flight"))

    class Meta:
        model = Transfer
        fields = ("state", "kind", "member")

    def filter_open(self, queryset, name, value):
        q = {"state__in": [TransferState.DRAFT, TransferState.ISSUED]}
        return queryset.filter(**q) if value else queryset.exclude(**q)


class FloatingFilterSet(ScopedFilterSet):
    """``org``, ``direction``, ``member`` and ``open`` (not yet returned)."""

    direction = filters.ChoiceFilter(choices=FloatingDirection.choices, label=_("direction"))
    member = filters.NumberFilter(field_name="member_id", label=_("member"))
    open = filters.BooleanFilter(field_name="returned_on", lookup_expr="isnull", label=_("Open"))

    class Meta:
        model = FloatingRecord
        fields = ("direction", "member")
