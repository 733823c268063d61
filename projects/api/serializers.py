"""Serializers of the joint building and service API. Residents' names are write-only and
shown masked; statuses and their dates change only through the actions."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import serializers

from members.models import Member
from organizations.api.base import BriefOrganizationSerializer, StrictModelSerializer, StrictSerializerMixin
from organizations.masks import mask_name
from organizations.models import Organization
from projects.models import (
    Activity,
    Agreement,
    Funding,
    FundingSource,
    MediationOutcome,
    MicroWish,
    Need,
    PartnerUnit,
    ProgressUpdate,
    Project,
    ProjectStatus,
    Rating,
    ResidentRequest,
    Resource,
    Triage,
)


class BriefMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = Member
        fields = ("id", "name")


class PartnerUnitSerializer(StrictModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    registered_by_brief = BriefOrganizationSerializer(source="registered_by", read_only=True)

    class Meta:
        model = PartnerUnit
        fields = (
            "id",
            "name",
            "kind",
            "kind_display",
            "party_organization",
            "contact_person",
            "contact_phone",
            "address",
            "registered_by",
            "registered_by_brief",
            "archived",
        )


class AgreementSerializer(StrictModelSerializer):
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    organization_brief = BriefOrganizationSerializer(source="organization", read_only=True)

    class Meta:
        model = Agreement
        fields = (
            "id",
            "partner",
            "partner_name",
            "organization",
            "organization_brief",
            "title",
            "signed_on",
            "expires_on",
            "content",
            "archived",
        )


class ResourceSerializer(StrictModelSerializer):
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = Resource
        fields = ("id", "partner", "partner_name", "category", "category_display", "description", "available")


class NeedSerializer(StrictModelSerializer):
    compound_name = serializers.CharField(source="compound.name", read_only=True)
    available_resources = serializers.IntegerField(read_only=True, default=0)
    category_display = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = Need
        fields = (
            "id",
            "compound",
            "compound_name",
            "category",
            "category_display",
            "description",
            "status",
            "raised_on",
            "available_resources",
        )


class FundingSerializer(StrictModelSerializer):
    source_display = serializers.CharField(source="get_source_display", read_only=True)

    class Meta:
        model = Funding
        fields = ("id", "source", "source_display", "amount", "received_on", "note")


class ProgressUpdateSerializer(StrictModelSerializer):
    class Meta:
        model = ProgressUpdate
        fields = ("id", "date", "text", "photo")


class ProjectSerializer(StrictModelSerializer):
    organization_brief = BriefOrganizationSerializer(source="organization", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    fundings = FundingSerializer(many=True, read_only=True)
    funding_total = serializers.SerializerMethodField()
    progress_updates = ProgressUpdateSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = (
            "id",
            "title",
            "organization",
            "organization_brief",
            "compound",
            "partners",
            "category",
            "description",
            "status",
            "status_display",
            "budget",
            "beneficiaries",
            "volunteers",
            "need",
            "resources",
            "proposed_on",
            "approved_on",
            "started_on",
            "completed_on",
            "cancelled_on",
            "cancel_reason",
            "fundings",
            "funding_total",
            "progress_updates",
        )
        read_only_fields = (
            "status",
            "approved_on",
            "started_on",
            "completed_on",
            "cancelled_on",
            "cancel_reason",
        )

    def get_funding_total(self, obj) -> str:
        return str(sum((f.amount for f in obj.fundings.all()), 0))


class TransitionSerializer(StrictSerializerMixin, serializers.Serializer):
    to_status = serializers.ChoiceField(choices=ProjectStatus.choices)
    on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class FundingAddSerializer(StrictSerializerMixin, serializers.Serializer):
    source = serializers.ChoiceField(choices=FundingSource.choices)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    received_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ProgressAddSerializer(StrictSerializerMixin, serializers.Serializer):
    date = serializers.DateField()
    text = serializers.CharField()
    photo = serializers.FileField(required=False, allow_null=True)


class ActivitySerializer(StrictModelSerializer):
    organizer_brief = BriefOrganizationSerializer(source="organizer", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Activity
        fields = (
            "id",
            "title",
            "kind",
            "kind_display",
            "held_on",
            "organizer",
            "organizer_brief",
            "compound",
            "partners",
            "place",
            "member_participants",
            "resident_participants",
            "description",
        )


class MicroWishSerializer(StrictModelSerializer):
    resident_name = serializers.CharField(write_only=True, max_length=50)
    resident = serializers.SerializerMethodField(label=_lazy("Resident"))
    compound_name = serializers.CharField(source="compound.name", read_only=True)
    claimed_by = BriefMemberSerializer(read_only=True, allow_null=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = MicroWish
        fields = (
            "id",
            "community",
            "compound",
            "compound_name",
            "resident_name",
            "resident",
            "content",
            "status",
            "status_display",
            "published_on",
            "claimed_by",
            "claimed_at",
            "fulfilment_note",
            "fulfilment_photo",
            "fulfilled_at",
        )
        read_only_fields = ("status", "claimed_at", "fulfilment_note", "fulfilment_photo", "fulfilled_at")

    def get_resident(self, obj) -> str:
        return mask_name(obj.resident_name)


class ClaimSerializer(StrictSerializerMixin, serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all())

    def get_fields(self):
        fields = super().get_fields()
        fields["member"].queryset = Member.objects.for_user(self.context["request"].user)
        return fields


class FulfilSerializer(StrictSerializerMixin, serializers.Serializer):
    note = serializers.CharField()
    photo = serializers.FileField(required=False, allow_null=True)


class ResidentRequestSerializer(StrictModelSerializer):
    resident_name = serializers.CharField(write_only=True, max_length=50)
    resident = serializers.SerializerMethodField(label=_lazy("Resident"))
    compound_name = serializers.CharField(source="compound.name", read_only=True)
    assigned_member = BriefMemberSerializer(read_only=True, allow_null=True)
    assigned_organization = BriefOrganizationSerializer(read_only=True, allow_null=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    on_time = serializers.SerializerMethodField(label=_lazy("Resolved on time"))

    class Meta:
        model = ResidentRequest
        fields = (
            "id",
            "compound",
            "compound_name",
            "kind",
            "category",
            "description",
            "resident_name",
            "resident",
            "received_on",
            "status",
            "status_display",
            "triage",
            "dispute_level",
            "mediation_outcome",
            *ResidentRequest.HANDLING_FIELDS,
            "on_time",
            "rating",
            "rated_on",
            "building_unit",
            "phone_masked",
            "score",
            "rating_comment",
        )
        read_only_fields = (
            "building_unit",
            "phone_masked",
            "score",
            "rating_comment",
            "status",
            "triage",
            "mediation_outcome",
            "department",
            "dispatched_on",
            "due_on",
            "resolved_on",
            "resolution",
            "rating",
            "rated_on",
        )

    def get_resident(self, obj) -> str:
        return mask_name(obj.resident_name)

    def get_on_time(self, obj) -> bool | None:
        if obj.resolved_on is None or obj.due_on is None:
            return None
        return obj.resolved_on <= obj.due_on


class TriageSerializer(StrictSerializerMixin, serializers.Serializer):
    triage = serializers.ChoiceField(choices=Triage.choices)


class DispatchSerializer(StrictSerializerMixin, serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all(), required=False, allow_null=True)
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    department = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    dispatched_on = serializers.DateField()
    due_on = serializers.DateField()

    def get_fields(self):
        fields = super().get_fields()
        user = self.context["request"].user
        fields["member"].queryset = Member.objects.for_user(user)
        fields["organization"].queryset = Organization.objects.for_user(user)
        return fields


class ResolveSerializer(StrictSerializerMixin, serializers.Serializer):
    resolved_on = serializers.DateField()
    resolution = serializers.CharField()
    mediation_outcome = serializers.ChoiceField(
        choices=[c for c in MediationOutcome.choices if c[0]], required=False, allow_blank=True, default=""
    )


class RateSerializer(StrictSerializerMixin, serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    rated_on = serializers.DateField()


class StatsQuerySerializer(StrictSerializerMixin, serializers.Serializer):
    org = serializers.IntegerField(required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate(self, attrs):
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_from": [_("The start date is after the end date.")]})
        return attrs
