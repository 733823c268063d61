"""FilterSets of the committees app, shared by the API and the admin lists."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters

from committees.models import (
    Committee,
    CommitteeKind,
    CommitteeStatus,
    Evaluation,
    EvaluatorKind,
    FeeCollection,
    Matter,
    MatterHandler,
    MatterStatus,
    PropertyFirm,
    Seat,
    SeatRole,
    ServiceContract,
)
from committees.models.matters import PENDING_STATUSES
from organizations.api.base import OrgSubtreeFilter, ScopedFilterSet


class CommitteeFilterSet(ScopedFilterSet):
    compound_id = filters.NumberFilter(field_name="compound_id", label=_("Compound (id)"))
    kind = filters.MultipleChoiceFilter(distinct=False, choices=CommitteeKind.choices, label=_("kind of body"))
    status = filters.MultipleChoiceFilter(distinct=False, choices=CommitteeStatus.choices, label=_("status"))
    term_ends_after = filters.DateFilter(field_name="term_ends_on", lookup_expr="gte", label=_("Term ends on or after"))
    term_ends_before = filters.DateFilter(
        field_name="term_ends_on", lookup_expr="lte", label=_("Term ends on or before")
    )
    q = filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = Committee
        fields = ("org", "compound_id", "kind", "status", "term_ends_after", "term_ends_before", "q")

    def search(self, queryset, name, value):
        return queryset.filter(Q(compound__name__icontains=value) | Q(note__icontains=value))


class SeatFilterSet(ScopedFilterSet):
    committee_id = filters.NumberFilter(field_name="committee_id", label=_("Body (id)"))
    compound_id = filters.NumberFilter(field_name="committee__compound_id", label=_("Compound (id)"))
    committee_kind = filters.MultipleChoiceFilter(
        distinct=False, field_name="committee__kind", choices=CommitteeKind.choices, label=_("kind of body")
    )
    role = filters.MultipleChoiceFilter(distinct=False, choices=SeatRole.choices, label=pgettext_lazy("seat", "role"))
    is_party_member = filters.BooleanFilter(label=_("party member"))
    member_id = filters.NumberFilter(field_name="member_id", label=_("Party member (id)"))
    current_on = filters.DateFilter(method="filter_current", label=_("Held on (date)"))
    q = filters.CharFilter(field_name="holder_name", lookup_expr="icontains", label=_("Search"))

    class Meta:
        model = Seat
        fields = (
            "org",
            "committee_id",
            "compound_id",
            "committee_kind",
            "role",
            "is_party_member",
            "member_id",
            "current_on",
            "q",
        )

    def filter_current(self, queryset, name, value):
        return queryset.filter(Q(started_on__lte=value), Q(ended_on__isnull=True) | Q(ended_on__gte=value))


class FirmSubtreeFilter(OrgSubtreeFilter):
    """``?org=<id>`` for firms: serving a compound in the subtree, or entered there."""

    def in_subtree(self, queryset, node):
        return queryset.in_subtree(node)


class PropertyFirmFilterSet(ScopedFilterSet):
    org = FirmSubtreeFilter()
    has_party_organization = filters.BooleanFilter(label=_("has a party organization"))
    compound_id = filters.NumberFilter(method="filter_compound", label=_("Serves compound (id)"))
    q = filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = PropertyFirm
        fields = ("org", "has_party_organization", "compound_id", "q")

    def filter_compound(self, queryset, name, value):
        return queryset.filter(pk__in=ServiceContract.objects.filter(compound_id=value).values("firm_id"))

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value))


class ServiceContractFilterSet(ScopedFilterSet):
    firm_id = filters.NumberFilter(field_name="firm_id", label=_("Property firm (id)"))
    compound_id = filters.NumberFilter(field_name="compound_id", label=_("Compound (id)"))
    active_on = filters.DateFilter(method="filter_active", label=_("In force on (date)"))

    class Meta:
        model = ServiceContract
        fields = ("org", "firm_id", "compound_id", "active_on")

    def filter_active(self, queryset, name, value):
        return queryset.filter(Q(started_on__lte=value), Q(ended_on__isnull=True) | Q(ended_on__gte=value))


class FeeCollectionFilterSet(ScopedFilterSet):
    firm_id = filters.NumberFilter(field_name="firm_id", label=_("Property firm (id)"))
    compound_id = filters.NumberFilter(field_name="compound_id", label=_("Compound (id)"))
    year = filters.NumberFilter(label=_("year"))
    month = filters.NumberFilter(label=_("month"))

    class Meta:
        model = FeeCollection
        fields = ("org", "firm_id", "compound_id", "year", "month")


class EvaluationFilterSet(ScopedFilterSet):
    firm_id = filters.NumberFilter(field_name="firm_id", label=_("Property firm (id)"))
    compound_id = filters.NumberFilter(field_name="compound_id", label=_("Compound (id)"))
    year = filters.NumberFilter(label=_("year"))
    quarter = filters.NumberFilter(label=_("quarter"))
    evaluator_kind = filters.MultipleChoiceFilter(
        distinct=False, choices=EvaluatorKind.choices, label=_("evaluated by")
    )

    class Meta:
        model = Evaluation
        fields = ("org", "firm_id", "compound_id", "year", "quarter", "evaluator_kind")


class MatterFilterSet(ScopedFilterSet):
    compound_id = filters.NumberFilter(field_name="compound_id", label=_("Compound (id)"))
    firm_id = filters.NumberFilter(field_name="firm_id", label=_("Property firm (id)"))
    meeting_id = filters.NumberFilter(field_name="meeting_id", label=_("Joint meeting (id)"))
    status = filters.MultipleChoiceFilter(distinct=False, choices=MatterStatus.choices, label=_("status"))
    handler = filters.MultipleChoiceFilter(distinct=False, choices=MatterHandler.choices, label=_("taken by"))
    overdue_on = filters.DateFilter(method="filter_overdue_on", label=_("Overdue on (date)"))
    overdue = filters.BooleanFilter(method="filter_overdue", label=_("Overdue today"))
    q = filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = Matter
        fields = ("org", "compound_id", "firm_id", "meeting_id", "status", "handler", "overdue_on", "overdue", "q")

    def filter_overdue_on(self, queryset, name, value):
        return queryset.overdue(value)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        overdue = Q(status__in=PENDING_STATUSES, due_on__lt=today)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(raised_by__icontains=value))
