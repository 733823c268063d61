"""Serializers of the committees API (strict: unknown fields are a 400)."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import serializers

from committees.models import (
    Committee,
    Evaluation,
    FeeCollection,
    Matter,
    PropertyFirm,
    Seat,
    ServiceContract,
)
from committees.models.matters import PENDING_STATUSES
from organizations.api.base import StrictModelSerializer
from organizations.models import Compound


class BriefCompoundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Compound
        fields = ("id", "name", "kind")


class BriefFirmSerializer(serializers.ModelSerializer):
    class Meta:
        model = PropertyFirm
        fields = ("id", "name", "has_party_organization")


class SeatSerializer(StrictModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    holder_name = serializers.CharField(max_length=50, required=False, allow_blank=True)

    class Meta:
        model = Seat
        fields = (
            "id",
            "committee",
            "role",
            "role_display",
            "holder_name",
            "member",
            "is_party_member",
            "started_on",
            "ended_on",
        )


class NestedSeatSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Seat
        fields = ("id", "role", "role_display", "holder_name", "member", "is_party_member", "started_on", "ended_on")


class CommitteeSerializer(StrictModelSerializer):
    compound_brief = BriefCompoundSerializer(source="compound", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    seats = NestedSeatSerializer(many=True, read_only=True)

    class Meta:
        model = Committee
        fields = (
            "id",
            "compound",
            "compound_brief",
            "kind",
            "kind_display",
            "term_number",
            "elected_on",
            "term_ends_on",
            "status",
            "status_display",
            "note",
            "seats",
        )


class PropertyFirmSerializer(StrictModelSerializer):
    compounds_served = serializers.IntegerField(read_only=True)
    average_total = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = PropertyFirm
        fields = (
            "id",
            "name",
            "credit_code",
            "contact_person",
            "contact_phone",
            "address",
            "has_party_organization",
            "party_organization_name",
            "compounds_served",
            "average_total",
        )
        # The uniqueness check lives in the service (with a Chinese message naming the firm).
        extra_kwargs = {"credit_code": {"validators": []}}


class ServiceContractSerializer(StrictModelSerializer):
    firm_brief = BriefFirmSerializer(source="firm", read_only=True)
    compound_brief = BriefCompoundSerializer(source="compound", read_only=True)

    class Meta:
        model = ServiceContract
        fields = (
            "id",
            "firm",
            "firm_brief",
            "compound",
            "compound_brief",
            "started_on",
            "ended_on",
            "fee_per_m2_month",
            "note",
        )

    def get_fields(self):
        fields = super().get_fields()
        # A firm becomes visible through its first contract, so a firm with no contract yet may be
        # contracted by anyone; a firm serving compounds elsewhere only by those who see it.
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None:
            fields["firm"].queryset = PropertyFirm.objects.filter(
                Q(pk__in=PropertyFirm.objects.for_user(user).values("pk")) | Q(contracts__isnull=True)
            ).distinct()
        return fields


class FeeCollectionSerializer(StrictModelSerializer):
    rate = serializers.DecimalField(max_digits=7, decimal_places=4, read_only=True, allow_null=True)

    class Meta:
        model = FeeCollection
        fields = ("id", "compound", "firm", "year", "month", "amount_due", "amount_collected", "rate")
        validators = []  # uniqueness is checked by the model's full_clean in the service


class EvaluationSerializer(StrictModelSerializer):
    evaluator_kind_display = serializers.CharField(source="get_evaluator_kind_display", read_only=True)

    class Meta:
        model = Evaluation
        fields = (
            "id",
            "firm",
            "compound",
            "year",
            "quarter",
            "evaluator_kind",
            "evaluator_kind_display",
            "score_service",
            "score_environment",
            "score_security",
            "score_maintenance",
            "score_responsiveness",
            "total",
            "comment",
        )
        read_only_fields = ("total",)
        validators = []


class MatterSerializer(StrictModelSerializer):
    compound_brief = BriefCompoundSerializer(source="compound", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    handler_display = serializers.CharField(source="get_handler_display", read_only=True)
    is_overdue = serializers.SerializerMethodField(label=_lazy("Overdue"))

    class Meta:
        model = Matter
        fields = (
            "id",
            "compound",
            "compound_brief",
            "title",
            "description",
            "source",
            "meeting",
            "raised_by",
            "raised_on",
            "handler",
            "handler_display",
            "firm",
            "department",
            "due_on",
            "status",
            "status_display",
            "outcome",
            "resolved_on",
            "is_overdue",
        )
        read_only_fields = ("resolved_on",)

    def get_fields(self):
        fields = super().get_fields()
        fields["firm"].queryset = (
            PropertyFirm.objects.for_user(self.context["request"].user)
            if "request" in self.context
            else PropertyFirm.objects.all()
        )
        return fields

    def get_is_overdue(self, obj) -> bool:
        return bool(obj.status in PENDING_STATUSES and obj.due_on and obj.due_on < timezone.localdate())


class GovernanceStatsQuerySerializer(serializers.Serializer):
    org = serializers.IntegerField(required=False)
    today = serializers.DateField(required=False)
