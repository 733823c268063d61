"""Serializers of the development pipeline API: candidates (ID number and phone write-only,
shown masked) and their steps."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from members.development.models import Candidate, CandidateStep
from members.development.steps import STEP_CHOICES, STEPS
from members.models import Meeting, MeetingResolution, Member
from members.personal_data import shown_birth_date
from organizations.api.base import BriefOrganizationSerializer, StrictModelSerializer, StrictSerializerMixin


class CandidateSerializer(StrictModelSerializer):
    id_number = serializers.CharField(write_only=True, max_length=30, label=gettext_lazy("ID number"))
    phone = serializers.CharField(
        required=False, allow_blank=True, write_only=True, max_length=30, label=gettext_lazy("phone")
    )
    branch_brief = BriefOrganizationSerializer(source="branch", read_only=True)
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    next_step_display = serializers.SerializerMethodField(label=gettext_lazy("next step"))

    class Meta:
        model = Candidate
        fields = (
            "id",
            "name",
            "gender",
            "birth_date",
            "id_number",
            "phone",
            "employer",
            "education",
            "branch",
            "branch_brief",
            "applied_on",
            "stage",
            "stage_display",
            "next_step",
            "next_step_display",
            "next_due_on",
            "member",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("stage", "next_step", "next_due_on", "member", "created_at", "updated_at")
        extra_kwargs = {"gender": {"required": False}, "birth_date": {"required": False}}

    def get_next_step_display(self, obj) -> str:
        step = STEPS.get(obj.next_step)
        return str(step.label) if step else ""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["id_number"] = instance.id_number_masked
        data["phone"] = instance.phone_masked
        request = self.context.get("request")
        data.update(shown_birth_date(instance, user=getattr(request, "user", None)))
        return data


class CandidateStepSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    code = serializers.ChoiceField(choices=STEP_CHOICES, label=gettext_lazy("step"))
    code_display = serializers.SerializerMethodField(label=gettext_lazy("step name"))
    people = serializers.PrimaryKeyRelatedField(
        queryset=Member.objects.all(), many=True, required=False, label=gettext_lazy("people")
    )
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.all(), required=False, allow_null=True, label=gettext_lazy("meeting")
    )
    resolution = serializers.PrimaryKeyRelatedField(
        queryset=MeetingResolution.objects.all(), required=False, allow_null=True, label=gettext_lazy("resolution")
    )

    class Meta:
        model = CandidateStep
        fields = (
            "id",
            "code",
            "code_display",
            "on",
            "people",
            "meeting",
            "resolution",
            "publicity_from",
            "hours",
            "document",
            "notes",
            "created_at",
        )
        read_only_fields = ("created_at",)

    def get_code_display(self, obj) -> str:
        step = STEPS.get(obj.code)
        return str(step.label) if step else obj.code
