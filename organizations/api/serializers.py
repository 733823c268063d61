"""Serializers of the organizations API."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import serializers

from core.registry import CUMULATIVE_COUNTS
from organizations.api.base import BriefOrganizationSerializer, StrictModelSerializer, StrictSerializerMixin
from organizations.models import Building, Compound, Organization, Venue


class OrganizationSerializer(StrictModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all(), allow_null=True, required=False)
    parent_brief = BriefOrganizationSerializer(source="parent", read_only=True, allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    counts = serializers.SerializerMethodField(label=_lazy("Cumulative counts"))

    class Meta:
        model = Organization
        fields = (
            "id",
            "name",
            "code",
            "kind",
            "kind_display",
            "formation",
            "parent",
            "parent_brief",
            "level",
            "established_on",
            "dissolved_on",
            "elected_on",
            "term_ends_on",
            "phone",
            "address",
            "counts",
        )
        read_only_fields = ("level", "dissolved_on")
        extra_kwargs = {"level": {"label": _lazy("Tree level")}}

    def get_counts(self, obj) -> dict[str, int]:
        """Cumulative counts for the whole subtree (compounds, members, ...)."""
        return {attr: getattr(obj, attr) for attr in CUMULATIVE_COUNTS if hasattr(obj, attr)}

    def validate(self, attrs):
        if self.instance is not None and "kind" in attrs and attrs["kind"] != self.instance.kind:
            raise serializers.ValidationError({"kind": [_("The kind of an organization cannot change.")]})
        if self.instance is not None and "parent" in attrs and attrs["parent"] != self.instance.parent:
            raise serializers.ValidationError({"parent": [_("Use the move action to change the parent.")]})
        return attrs


class MoveSerializer(StrictSerializerMixin, serializers.Serializer):
    target = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all(), allow_null=True)
    position = serializers.ChoiceField(choices=("last-child", "first-child", "left", "right"), default="last-child")

    def get_fields(self):
        fields = super().get_fields()
        fields["target"].queryset = Organization.objects.for_user(self.context["request"].user)
        return fields


class DissolveSerializer(StrictSerializerMixin, serializers.Serializer):
    dissolved_on = serializers.DateField()


class CompoundSerializer(StrictModelSerializer):
    community_brief = BriefOrganizationSerializer(source="community", read_only=True)
    branch_brief = BriefOrganizationSerializer(source="branch", read_only=True, allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Compound
        fields = (
            "id",
            "name",
            "kind",
            "kind_display",
            "community",
            "community_brief",
            "branch",
            "branch_brief",
            "address",
            "households",
            "building_count",
            "built_year",
        )


class BuildingSerializer(StrictModelSerializer):
    class Meta:
        model = Building
        fields = ("id", "compound", "name", "units", "households", "group")


class VenueSerializer(StrictModelSerializer):
    standards_met = serializers.IntegerField(read_only=True, label=_lazy("Six-standard items met"))
    meets_six_standards = serializers.BooleanField(read_only=True, label=_lazy("Meets the six standards"))

    class Meta:
        model = Venue
        fields = (
            "id",
            "branch",
            "name",
            "address",
            "area_m2",
            "provision",
            "has_place",
            "has_facilities",
            "has_sign",
            "has_flag",
            "has_books",
            "has_rules",
            "standards_met",
            "meets_six_standards",
        )
