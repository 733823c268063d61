"""Serializers of the members API. ID number and phone are write-only inputs; the output shows
them masked unless the view set ``unmask`` in the context (permission checked and logged)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from members import fields as fields_spec
from members.history import member_history
from members.models import FloatingStatus, Member, Position
from members.organizational_life import annotate_organizational_life
from members.personal_data import shown_birth_date
from members.selectors import full_pii
from organizations.api.base import BriefOrganizationSerializer, StrictModelSerializer, StrictSerializerMixin
from organizations.models import Organization

# What the API shows beside a spec field: its brief or its label.
API_COMPANIONS = {
    "lost_contact": ("organizational_life",),
    "birth_date": ("birth_year",),
    "party_status": ("party_status_display",),
    "branch": ("branch_brief",),
    "group": ("group_brief",),
    "home_organization": ("home_organization_brief", "home_organization_name"),
    "management_mode": ("management_mode_display",),
}


def member_api_fields() -> tuple[str, ...]:
    """The member field spec's fields in its order, each followed by its companions."""
    names = ["id"]
    for key in fields_spec.api_fields():
        names += [key, *API_COMPANIONS.get(key, ())]
    return (*names, "created_at", "updated_at")


def _viewer(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class MemberSerializer(StrictModelSerializer):
    id_number = serializers.CharField(
        required=False, allow_blank=True, write_only=True, max_length=30, label=gettext_lazy("ID number")
    )
    phone = serializers.CharField(
        required=False, allow_blank=True, write_only=True, max_length=30, label=gettext_lazy("phone")
    )
    branch_brief = BriefOrganizationSerializer(source="branch", read_only=True)
    group_brief = BriefOrganizationSerializer(source="group", read_only=True, allow_null=True)
    home_organization_brief = BriefOrganizationSerializer(source="home_organization", read_only=True, allow_null=True)
    party_status_display = serializers.CharField(source="get_party_status_display", read_only=True)
    birth_year = serializers.SerializerMethodField(label=gettext_lazy("birth year"))
    management_mode_display = serializers.CharField(source="get_management_mode_display", read_only=True)
    organizational_life = serializers.SerializerMethodField(
        label=gettext_lazy("Organizational life this year"),
        help_text=gettext_lazy(
            "Meetings attended (present) this year: total, at the compound branch (residence) and at the home "
            "organization (统筹计入); last attended; lost contact (失联) by organizational life."
        ),
    )

    class Meta:
        model = Member
        xlsx_masked = fields_spec.SENSITIVE_KEYS  # shown masked unless the user may see them in full
        fields = member_api_fields()
        read_only_fields = fields_spec.api_read_only_fields()
        extra_kwargs = {"gender": {"required": False}}

    def get_birth_year(self, obj) -> int | None:
        return obj.birth_date.year if obj.birth_date else None

    def get_organizational_life(self, instance) -> dict:
        """From the list's annotations (``annotate_organizational_life``), else one query."""
        if not hasattr(instance, "life_total"):
            year = timezone.localdate().year
            instance = annotate_organizational_life(Member.objects.filter(pk=instance.pk), year=year).get()
        last = instance.last_attended
        return {
            "total": instance.life_total,
            "at_residence": instance.life_at_residence,
            "at_home": instance.life_at_home,
            "last_attended": timezone.localtime(last).date().isoformat() if last else None,
            "lost_contact": instance.lost_contact_due,
        }

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.context.get("unmask"):
            data.update(full_pii(instance))
        else:
            data["id_number"] = instance.id_number_masked
            data["phone"] = instance.phone_masked
        # The full birth date with the masked ID number leaves three digits to guess: the year
        # only, unless the user may see personal data (members.personal_data).
        data.update(shown_birth_date(instance, user=_viewer(self)))
        return data


class HistoryEntrySerializer(serializers.Serializer):
    on = serializers.DateField(label=gettext_lazy("Date"))
    source = serializers.CharField(label=gettext_lazy("source"))
    kind = serializers.CharField(label=gettext_lazy("kind"))
    title = serializers.CharField(label=gettext_lazy("Event"))
    detail = serializers.CharField(label=gettext_lazy("Details"))


class MemberDetailSerializer(MemberSerializer):
    """One member with the whole story (``members.history``): only on the detail, three queries."""

    history = serializers.SerializerMethodField(label=gettext_lazy("History in the party"))

    class Meta(MemberSerializer.Meta):
        fields = (*MemberSerializer.Meta.fields, "history")
        read_only_fields = (*MemberSerializer.Meta.read_only_fields, "history")

    @extend_schema_field(HistoryEntrySerializer(many=True))
    def get_history(self, instance) -> list[dict]:
        return HistoryEntrySerializer(member_history(instance), many=True).data


class PositionSerializer(StrictModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    organization_brief = BriefOrganizationSerializer(source="organization", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Position
        fields = (
            "id",
            "member",
            "member_name",
            "organization",
            "organization_brief",
            "kind",
            "kind_display",
            "started_on",
            "ended_on",
        )

    def validate(self, attrs):
        # The CheckConstraint would turn this into an IntegrityError (a 500); say it as a 400.
        start = attrs.get("started_on", getattr(self.instance, "started_on", None))
        end = attrs.get("ended_on", getattr(self.instance, "ended_on", None))
        if start and end and end < start:
            raise serializers.ValidationError({"ended_on": [_("The end date is before the start date.")]})
        return attrs


class TransferSerializer(StrictSerializerMixin, serializers.Serializer):
    branch = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    group = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all(), allow_null=True, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)

    def get_fields(self):
        fields = super().get_fields()
        user = self.context["request"].user
        for name in ("branch", "group"):
            fields[name].queryset = Organization.objects.for_user(user)
        return fields


class FloatingSerializer(StrictSerializerMixin, serializers.Serializer):
    direction = serializers.ChoiceField(choices=FloatingStatus.values)
    place = serializers.CharField(required=False, allow_blank=True, max_length=100)
    since = serializers.DateField(required=False, allow_null=True)


class DatedSerializer(StrictSerializerMixin, serializers.Serializer):
    on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ReportSerializer(StrictSerializerMixin, serializers.Serializer):
    reported_on = serializers.DateField()
    employer = serializers.CharField(required=False, allow_blank=True, max_length=100)
