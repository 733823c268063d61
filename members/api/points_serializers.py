"""Serializers of the points ledger API (read-only)."""

from rest_framework import serializers

from members.models import PointsEntry


class PointsEntrySerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    source_type = serializers.SerializerMethodField()

    class Meta:
        model = PointsEntry
        fields = (
            "id",
            "member",
            "member_name",
            "kind",
            "kind_display",
            "points",
            "source_type",
            "source_id",
            "occurred_on",
            "reason",
            "created_at",
        )
        read_only_fields = fields

    def get_source_type(self, obj) -> str | None:
        return f"{obj.source_type.app_label}.{obj.source_type.model}" if obj.source_type_id else None


class LeaderRowSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="id")
    name = serializers.CharField()
    branch = serializers.IntegerField(source="branch_id")
    points_total = serializers.IntegerField()
