"""Serializers of the scores and reminders API (read-only; actions take no body)."""

from django.utils.translation import gettext_lazy as _lazy
from rest_framework import serializers

from organizations.api.base import BriefOrganizationSerializer, StrictSerializerMixin
from organizations.models import BranchScore, Reminder


class BranchScoreSerializer(serializers.ModelSerializer):
    branch_brief = BriefOrganizationSerializer(source="branch", read_only=True)
    rank = serializers.IntegerField(read_only=True, help_text="1 = best among the rows filtered")
    rubric_name = serializers.CharField(source="rubric.name", read_only=True)

    class Meta:
        model = BranchScore
        fields = (
            "id",
            "branch",
            "branch_brief",
            "period",
            "period_start",
            "period_end",
            "rubric",
            "rubric_name",
            "total",
            "max_total",
            "stars",
            "rank",
            "breakdown",
            "computed_at",
        )
        read_only_fields = fields


class ReminderSerializer(serializers.ModelSerializer):
    organization_brief = BriefOrganizationSerializer(source="organization", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    reason_display = serializers.CharField(source="reason_label", read_only=True, label=_lazy("reason"))
    subject_type = serializers.SerializerMethodField()

    class Meta:
        model = Reminder
        fields = (
            "id",
            "subject_type",
            "subject_id",
            "reason",
            "reason_display",
            "organization",
            "organization_brief",
            "due_on",
            "message",
            "status",
            "status_display",
            "opened_on",
            "closed_on",
            "sent_at",
        )
        read_only_fields = fields

    def get_subject_type(self, obj) -> str:
        return f"{obj.subject_type.app_label}.{obj.subject_type.model}"


class EmptySerializer(StrictSerializerMixin, serializers.Serializer):
    """Actions that take no fields (anything sent is an unknown field → 400)."""
