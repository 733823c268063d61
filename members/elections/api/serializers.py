"""Serializers of the elections (换届) and appraisals (民主评议党员) API: read serializers of the
records and one input serializer per write (the services hold the rules)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy, pgettext_lazy
from rest_framework import serializers

from members.models import (
    AppraisalFollowUp,
    AppraisalGrade,
    AppraisalResult,
    AppraisalSession,
    Election,
    ElectionCandidate,
    ElectionMethod,
    Member,
)
from members.models.position import COMMITTEE_POSITIONS
from organizations.api.base import BriefOrganizationSerializer, StrictModelSerializer, StrictSerializerMixin
from organizations.models import Organization, OrganizationKind


class CandidateReadSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = ElectionCandidate
        fields = ("id", "member", "member_name", "votes", "elected", "post")
        read_only_fields = fields


class ElectionSerializer(StrictModelSerializer):
    organization_brief = BriefOrganizationSerializer(source="organization", read_only=True)
    method_display = serializers.CharField(source="get_method_display", read_only=True)
    candidates = CandidateReadSerializer(many=True, read_only=True)

    class Meta:
        model = Election
        fields = (
            "id",
            "organization",
            "organization_brief",
            "term_number",
            "held_on",
            "method",
            "method_display",
            "seats",
            "voters_entitled",
            "voters_present",
            "approved_on",
            "term_ends_on",
            "candidates",
            "created_at",
        )
        read_only_fields = fields


class CandidateInputSerializer(StrictSerializerMixin, serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all(), label=gettext_lazy("member"))
    votes = serializers.IntegerField(min_value=0, label=gettext_lazy("votes"))
    post = serializers.ChoiceField(
        choices=[(k.value, k.label) for k in COMMITTEE_POSITIONS], required=False, allow_blank=True, default=""
    )


class ElectionCreateSerializer(StrictSerializerMixin, serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind=OrganizationKind.BRANCH), label=gettext_lazy("organization")
    )
    term_number = serializers.IntegerField(min_value=1, label=gettext_lazy("term number"))
    held_on = serializers.DateField(label=gettext_lazy("election date"))
    method = serializers.ChoiceField(choices=ElectionMethod.choices, label=gettext_lazy("election method"))
    seats = serializers.IntegerField(min_value=1, label=pgettext_lazy("election", "seats"))
    voters_entitled = serializers.IntegerField(min_value=0, label=gettext_lazy("voters entitled"))
    voters_present = serializers.IntegerField(min_value=0, label=gettext_lazy("voters present"))
    approved_on = serializers.DateField(required=False, allow_null=True)
    term_ends_on = serializers.DateField(required=False, allow_null=True)
    candidates = CandidateInputSerializer(many=True, label=gettext_lazy("candidates"))


class AppraisalResultSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)
    # Declared: a read-only model field loses allow_blank, and "" (no follow-up) is the usual value.
    follow_up = serializers.ChoiceField(choices=AppraisalFollowUp.choices, allow_blank=True, read_only=True)

    class Meta:
        model = AppraisalResult
        fields = (
            "id",
            "member",
            "member_name",
            "grade",
            "grade_display",
            "follow_up",
            "follow_up_on",
            "follow_up_due",
        )
        read_only_fields = fields


class AppraisalSessionSerializer(StrictModelSerializer):
    organization_brief = BriefOrganizationSerializer(source="organization", read_only=True)
    results = AppraisalResultSerializer(many=True, read_only=True)

    class Meta:
        model = AppraisalSession
        fields = ("id", "organization", "organization_brief", "year", "held_on", "meeting", "results")
        read_only_fields = fields


class AppraisalCreateSerializer(StrictSerializerMixin, serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind=OrganizationKind.BRANCH), label=gettext_lazy("organization")
    )
    year = serializers.IntegerField(min_value=1949, max_value=2100, label=gettext_lazy("year"))
    held_on = serializers.DateField(label=gettext_lazy("appraisal date"))


class AppraisalResultInputSerializer(StrictSerializerMixin, serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all(), label=gettext_lazy("member"))
    grade = serializers.ChoiceField(choices=AppraisalGrade.choices, label=gettext_lazy("grade"))
    follow_up = serializers.ChoiceField(choices=AppraisalFollowUp.choices, required=False, allow_blank=True, default="")
    follow_up_on = serializers.DateField(required=False, allow_null=True)
    follow_up_due = serializers.DateField(required=False, allow_null=True)
