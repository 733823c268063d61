"""Serializers of the transfers and floating API: read serializers of the records, and one input
serializer per action (the services hold the rules)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from members.models import FloatingDirection, FloatingRecord, Member, Transfer, TransferKind
from organizations.api.base import BriefOrganizationSerializer, StrictModelSerializer, StrictSerializerMixin
from organizations.models import Organization, OrganizationKind


class TransferRecordSerializer(StrictModelSerializer):
    from_branch_brief = BriefOrganizationSerializer(source="from_branch", read_only=True, allow_null=True)
    to_organization_brief = BriefOrganizationSerializer(source="to_organization", read_only=True, allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Transfer
        fields = (
            "id",
            "kind",
            "kind_display",
            "state",
            "state_display",
            "member",
            "member_name",
            "from_branch",
            "from_branch_brief",
            "from_name",
            "to_organization",
            "to_organization_brief",
            "to_name",
            "letter_number",
            "issued_on",
            "valid_until",
            "closed_on",
            "receipt_number",
            "reason",
            "note",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class TransferCreateSerializer(StrictSerializerMixin, serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all(), label=gettext_lazy("member"))
    kind = serializers.ChoiceField(
        choices=[(TransferKind.WITHIN, TransferKind.WITHIN.label), (TransferKind.OUT, TransferKind.OUT.label)],
        default=TransferKind.WITHIN,
        label=gettext_lazy("kind"),
    )
    # Scoped like every payload target (docs/security.md): a letter between two subtrees is
    # drafted by staff covering both (the street or district), and accepted by the receiving side.
    to_organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind=OrganizationKind.BRANCH),
        required=False,
        allow_null=True,
        label=gettext_lazy("to organization"),
    )
    to_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    letter_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    valid_until = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class IssueSerializer(StrictSerializerMixin, serializers.Serializer):
    letter_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    valid_until = serializers.DateField(required=False, allow_null=True)


class ReturnSerializer(StrictSerializerMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=200, label=gettext_lazy("reason"))


class ReceiptSerializer(StrictSerializerMixin, serializers.Serializer):
    receipt_number = serializers.CharField(required=False, allow_blank=True, max_length=40)


class NoteSerializer(StrictSerializerMixin, serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ReceiveLetterSerializer(StrictSerializerMixin, serializers.Serializer):
    to_organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind=OrganizationKind.BRANCH), label=gettext_lazy("to organization")
    )
    from_name = serializers.CharField(max_length=100, label=gettext_lazy("from organization (outside the tree)"))
    letter_number = serializers.CharField(max_length=40, label=gettext_lazy("letter number"))
    valid_until = serializers.DateField(required=False, allow_null=True)
    member_data = serializers.DictField(label=gettext_lazy("member"))


class FloatingRecordSerializer(StrictModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    direction_display = serializers.CharField(source="get_direction_display", read_only=True)
    branch_brief = BriefOrganizationSerializer(source="branch", read_only=True)

    class Meta:
        model = FloatingRecord
        fields = (
            "id",
            "direction",
            "direction_display",
            "member",
            "member_name",
            "branch",
            "branch_brief",
            "place",
            "since",
            "contact",
            "certificate_number",
            "destination_organization",
            "destination_name",
            "last_contacted_on",
            "returned_on",
            "note",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class FloatingCreateSerializer(StrictSerializerMixin, serializers.Serializer):
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all(), label=gettext_lazy("member"))
    direction = serializers.ChoiceField(choices=FloatingDirection.choices, label=gettext_lazy("direction"))
    branch = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind=OrganizationKind.BRANCH), required=False, allow_null=True
    )
    place = serializers.CharField(max_length=100, label=gettext_lazy("floating to / from"))
    since = serializers.DateField(required=False, allow_null=True)
    contact = serializers.CharField(required=False, allow_blank=True, max_length=100)
    certificate_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    destination_organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    destination_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class DateSerializer(StrictSerializerMixin, serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True)
