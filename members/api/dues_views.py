"""The dues (``/dues/…``) and branch funds (``/funds/…``) API. Reads are scoped; every write
calls a service (``members.dues``), so the rules and their Chinese messages are the same as in
the admin and on the phone page."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from members.api import dues_serializers as s
from members.dues import funds, ledger, standards
from members.models import (
    BranchFund,
    DuesBase,
    DuesPayment,
    DuesStandard,
    FundAllocation,
    FundSpending,
    PaymentMethod,
)
from organizations.api.base import OrgSubtreeFilter, ScopedFilterSet, ScopedModelViewSet, ScopedReadOnlyViewSet
from organizations.models import Organization

CREATE_ONLY = ["get", "post", "head", "options"]


def _branch_in_scope(user, branch_id):
    branch = Organization.objects.for_user(user).filter(pk=branch_id).first()
    if branch is None:
        raise serializers.ValidationError({"branch": [_("Not found, or outside your scope.")]})
    return branch


class DuesStandardViewSet(ScopedReadOnlyViewSet):
    """The versioned dues standards and their brackets (data from the 2008 规定)."""

    queryset = DuesStandard.objects.prefetch_related("brackets")
    serializer_class = s.DuesStandardSerializer


class DuesBaseFilterSet(ScopedFilterSet):
    org = OrgSubtreeFilter(path="member__branch")
    member = filters.NumberFilter(field_name="member_id", label=_("member"))

    class Meta:
        model = DuesBase
        fields = ("org", "member")


class DuesBaseViewSet(ScopedModelViewSet):
    """Members' dues bases; a change is a new base from a later month (no edits)."""

    http_method_names = CREATE_ONLY
    queryset = DuesBase.objects.select_related("member")
    serializer_class = s.DuesBaseSerializer
    filterset_class = DuesBaseFilterSet

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = self.perform_service(standards.dues_base_set, actor=self.request.user, **data)


class DuesPaymentFilterSet(ScopedFilterSet):
    org = OrgSubtreeFilter(path="branch")
    member = filters.NumberFilter(field_name="member_id", label=_("member"))
    month = filters.DateFilter(field_name="month", label=_("month covered"))
    method = filters.MultipleChoiceFilter(distinct=False, choices=PaymentMethod.choices, label=_("payment method"))
    since = filters.DateFilter(field_name="month", lookup_expr="gte", label=_("since"))
    until = filters.DateFilter(field_name="month", lookup_expr="lte", label=_("until"))

    class Meta:
        model = DuesPayment
        fields = ("org", "member", "month", "method", "since", "until")


class DuesPaymentViewSet(ScopedModelViewSet):
    """The append-only dues ledger: POST records months paid, ``reverse`` corrects an entry."""

    http_method_names = CREATE_ONLY
    queryset = DuesPayment.objects.select_related("member")
    serializer_class = s.DuesPaymentSerializer
    filterset_class = DuesPaymentFilterSet
    ordering = ("-month", "-id")

    def get_serializer_class(self):
        return s.DuesPaymentCreateSerializer if self.action == "create" else super().get_serializer_class()

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        months = data.pop("months", None) or ([data.pop("month")] if data.get("month") else [])
        data.pop("month", None)
        entries = self.perform_service(ledger.payment_record, months=months, actor=request.user, **data)
        return Response(s.DuesPaymentSerializer(entries, many=True).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], serializer_class=s.ReverseSerializer)
    def reverse(self, request, pk=None):
        payment = self.get_object()
        serializer = s.ReverseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = self.perform_service(
            ledger.payment_reverse, payment=payment, reason=serializer.validated_data["note"], actor=request.user
        )
        return Response(s.DuesPaymentSerializer(entry).data, status=status.HTTP_201_CREATED)


class BranchFundFilterSet(ScopedFilterSet):
    org = OrgSubtreeFilter(path="branch")

    class Meta:
        model = BranchFund
        fields = ("org",)


class BranchFundViewSet(ScopedReadOnlyViewSet):
    """Branch fund balances (allocations − spending)."""

    queryset = BranchFund.objects.select_related("branch").order_by("branch_id")
    serializer_class = s.BranchFundSerializer
    filterset_class = BranchFundFilterSet


class FundAllocationViewSet(ScopedModelViewSet):
    """Allocations from the district or a street to a branch (append-only)."""

    http_method_names = CREATE_ONLY
    queryset = FundAllocation.objects.select_related("fund")
    serializer_class = s.FundAllocationSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        branch = _branch_in_scope(self.request.user, data.pop("fund")["branch_id"])
        serializer.instance = self.perform_service(
            funds.allocation_create, branch=branch, actor=self.request.user, **data
        )


class FundSpendingViewSet(ScopedModelViewSet):
    """What branches spent (append-only); refused beyond the balance."""

    http_method_names = CREATE_ONLY
    queryset = FundSpending.objects.select_related("fund")
    serializer_class = s.FundSpendingSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        branch = _branch_in_scope(self.request.user, data.pop("fund")["branch_id"])
        data.setdefault("spent_on", timezone.localdate())
        serializer.instance = self.perform_service(
            funds.spending_create, branch=branch, actor=self.request.user, **data
        )
