"""Serializers of the dues and branch funds API. Writes go through the services."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from members.models import (
    BranchFund,
    DuesBase,
    DuesBracket,
    DuesCategory,
    DuesPayment,
    DuesStandard,
    FundAllocation,
    FundSpending,
    PaymentMethod,
)
from organizations.api.base import StrictModelSerializer


class DuesBracketSerializer(serializers.ModelSerializer):
    class Meta:
        model = DuesBracket
        fields = ("id", "category", "upper_bound", "rate", "min_amount", "max_amount", "exempt_allowed")
        read_only_fields = fields


class DuesStandardSerializer(serializers.ModelSerializer):
    brackets = DuesBracketSerializer(many=True, read_only=True)

    class Meta:
        model = DuesStandard
        fields = ("id", "code", "name", "citation", "effective_from", "brackets")
        read_only_fields = fields


class DuesBaseSerializer(StrictModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    category = serializers.ChoiceField(choices=DuesCategory.choices, label=_("category"))
    income_base = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False)
    monthly_amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False)

    class Meta:
        model = DuesBase
        fields = (
            "id",
            "member",
            "member_name",
            "valid_from",
            "category",
            "income_base",
            "computed_amount",
            "monthly_amount",
            "exempt",
            "created_at",
        )
        read_only_fields = ("computed_amount", "created_at")


class DuesPaymentSerializer(StrictModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    method = serializers.ChoiceField(choices=PaymentMethod.choices, label=_("payment method"))
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False)

    class Meta:
        model = DuesPayment
        fields = (
            "id",
            "member",
            "member_name",
            "branch",
            "month",
            "amount",
            "paid_on",
            "method",
            "reference",
            "reverses",
            "note",
            "created_at",
        )
        read_only_fields = ("branch", "reverses", "created_at")


class DuesPaymentCreateSerializer(DuesPaymentSerializer):
    """A payment covers one or more months (``months``, first day of each; or ``month``)."""

    months = serializers.ListField(child=serializers.DateField(), required=False, label=_("months covered"))
    month = serializers.DateField(required=False, label=_("month covered"))

    class Meta(DuesPaymentSerializer.Meta):
        fields = DuesPaymentSerializer.Meta.fields + ("months",)


class ReverseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, label=_("reason"))


class BranchFundSerializer(serializers.ModelSerializer):
    branch_name = serializers.CharField(source="branch.name", read_only=True)

    class Meta:
        model = BranchFund
        fields = ("id", "branch", "branch_name", "balance")
        read_only_fields = fields


class FundAllocationSerializer(StrictModelSerializer):
    branch = serializers.IntegerField(source="fund.branch_id", label=_("compound branch"))

    class Meta:
        model = FundAllocation
        fields = ("id", "branch", "allocated_by_org", "kind", "amount", "allocated_on", "note", "created_at")
        read_only_fields = ("created_at",)


class FundSpendingSerializer(StrictModelSerializer):
    branch = serializers.IntegerField(source="fund.branch_id", label=_("compound branch"))

    class Meta:
        model = FundSpending
        fields = (
            "id",
            "branch",
            "spent_on",
            "purpose",
            "amount",
            "receipt",
            "receipt_name",
            "source_label",
            "created_at",
        )
        read_only_fields = ("receipt_name", "source_label", "created_at")
