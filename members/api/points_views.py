"""The points ledger (积分) API, with the leaderboard of a subtree."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.pagination import CappedCountPagination
from members.api.points_serializers import LeaderRowSerializer, PointsEntrySerializer
from members.models import PointsEntry, PointsKind
from members.points import leaderboard
from organizations.api.base import OrgSubtreeFilter, ScopedFilterSet, ScopedReadOnlyViewSet
from organizations.models import Organization


class PointsEntryFilterSet(ScopedFilterSet):
    org = OrgSubtreeFilter(path="member__branch")
    member = filters.NumberFilter(field_name="member_id", label=_("member"))
    kind = filters.MultipleChoiceFilter(distinct=False, choices=PointsKind.choices, label=_("kind"))
    since = filters.DateFilter(field_name="occurred_on", lookup_expr="gte", label=_("since"))
    until = filters.DateFilter(field_name="occurred_on", lookup_expr="lte", label=_("until"))

    class Meta:
        model = PointsEntry
        fields = ("org", "member", "kind", "since", "until")


class PointsEntryViewSet(ScopedReadOnlyViewSet):
    """The append-only points ledger; ``leaderboard/?org=`` ranks members of a subtree."""

    queryset = PointsEntry.objects.select_related("member", "source_type")
    serializer_class = PointsEntrySerializer
    filterset_class = PointsEntryFilterSet
    ordering_fields = ("occurred_on", "points")
    ordering = ("-occurred_on", "-id")
    pagination_class = CappedCountPagination

    @extend_schema(
        responses=inline_serializer(
            "Leaderboard",
            {
                "org": serializers.IntegerField(allow_null=True),
                "results": LeaderRowSerializer(many=True),
            },
        )
    )
    @action(detail=False, methods=["get"], serializer_class=LeaderRowSerializer, filterset_class=None)
    def leaderboard(self, request):
        """Top 50 members by points under ``org`` (default: the user's scope node)."""
        orgs = Organization.objects.for_user(request.user)
        org_id = request.query_params.get("org")
        if org_id:
            if not str(org_id).isdigit():
                raise serializers.ValidationError({"org": [_("Enter a whole number.")]})
            org = orgs.filter(pk=org_id).first()
        else:
            org = getattr(request.user, "access_scope", None) and request.user.access_scope.organization
            org = orgs.filter(pk=org.pk).first() if org else None
        if org is None:
            return Response({"org": None, "results": []})
        rows = leaderboard(org=org)[:50]
        return Response({"org": org.pk, "results": LeaderRowSerializer(rows, many=True).data})
