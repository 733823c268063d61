"""Serializers of organizational life: meetings with nested attendance, resolutions, guests."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from members.models import Attendance, AttendanceStatus, Meeting, MeetingGuest, MeetingKind, MeetingResolution, Member
from organizations.api.base import BriefOrganizationSerializer, StrictModelSerializer, StrictSerializerMixin
from organizations.models import Organization


class AttendanceSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    member = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all())
    member_name = serializers.CharField(source="member.name", read_only=True)
    # No default: the secretary marks each attendee (a default 出席 inflates attendance and
    # clears 失联).
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)

    class Meta:
        model = Attendance
        fields = ("member", "member_name", "status", "reason", "has_vote")
        read_only_fields = ("has_vote",)
        validators = []

    def to_representation(self, instance):
        # A page of a district's meetings holds thousands of lines: each is built directly (the
        # declared fields, the same values) rather than field by field.
        return {
            "member": instance.member_id,
            # The list annotates the name; a line read on its own (after a write) takes the member's.
            "member_name": getattr(instance, "member_name", None) or instance.member.name,
            "status": instance.status,
            "reason": instance.reason,
            "has_vote": instance.has_vote,
        }

    def validate(self, attrs):
        # Also on a PATCH (a partial update does not enforce ``required`` on nested lines).
        if not attrs.get("status"):
            raise serializers.ValidationError({"status": [_("Mark whether the member attended.")]})
        return attrs


class ResolutionSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    passed = serializers.BooleanField(read_only=True)

    class Meta:
        model = MeetingResolution
        fields = ("text", "votes_for", "votes_against", "votes_abstain", "passed")


class GuestSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = MeetingGuest
        fields = ("name", "affiliation")


class MeetingSerializer(StrictModelSerializer):
    """A meeting with its attendance; writes go through ``meeting_record`` / ``meeting_update``."""

    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    organization_brief = BriefOrganizationSerializer(source="organization", read_only=True)
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    host = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all(), required=False, allow_null=True)
    recorder = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all(), required=False, allow_null=True)
    attendance = AttendanceSerializer(many=True, source="attendances", required=False)
    resolutions = ResolutionSerializer(many=True, required=False)
    guests = GuestSerializer(many=True, required=False)
    quorum_met = serializers.BooleanField(read_only=True, label=_("Quorum met"))
    dedup_key = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        write_only=True,
        help_text=_("A key the client makes once per form; a repeat is not saved twice."),
    )
    version = serializers.IntegerField(required=False, help_text=_("The version you read (or send If-Match)."))

    class Meta:
        model = Meeting
        fields = (
            "id",
            "organization",
            "organization_brief",
            "kind",
            "held_at",
            *Meeting.DETAIL_FIELDS,
            "attendance",
            "resolutions",
            "guests",
            "voting_due",
            "voting_present",
            "quorum_met",
            "version",
            "dedup_key",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("voting_due", "voting_present", "created_at", "updated_at")

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None:
            child = fields["attendance"].child
            child.fields["member"].queryset = Member.objects.for_user(user)
        return fields
