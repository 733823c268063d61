"""``/api/v1/organizations/<id>/structure/``: the branch-structure warnings of 《中国共产党支部工作条例
（试行）》 (at least 3 full members; a committee from 7 full members; at most 50 members) for every
branch of the subtree. Served by the members app (the rules count members), under the
organization's URL."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from members.selectors import branch_structure_warnings
from organizations.api.base import ScopedFilterSet, ScopedReadOnlyViewSet
from organizations.models import Organization, OrganizationKind
from organizations.selectors import tree_order


class BranchStructureView(APIView):
    """Warnings (not blocks) per branch under the organization, each citing its article. Four
    aggregate queries whatever the number of branches; outside the scope a 404."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=OpenApiTypes.OBJECT, description="Branch-structure warnings of every branch in the subtree."
    )
    def get(self, request, pk: int):
        node = get_object_or_404(Organization.objects.for_user(request.user), pk=pk)
        node = Organization.objects.get(pk=node.pk)  # nested-set bounds as stored
        branches = list(
            Organization.objects.in_subtree(node)
            .filter(kind=OrganizationKind.BRANCH, dissolved_on__isnull=True)
            .order_by(*tree_order())
            .values_list("pk", "name")
        )
        warnings = branch_structure_warnings(
            Organization.objects.filter(pk__in=[pk for pk, _name in branches]), today=timezone.localdate()
        )
        rows = [
            {
                "id": branch_id,
                "name": name,
                "warnings": [
                    {"code": w.code, "message": str(w.message), "rule": str(w.rule)}
                    for w in warnings.get(branch_id, [])
                ],
            }
            for branch_id, name in branches
        ]
        return Response(
            {
                "organization": {"id": node.pk, "name": node.name, "kind": node.kind},
                "branches_with_warnings": sum(1 for row in rows if row["warnings"]),
                "branches": rows,
            }
        )


class StructureFilterSet(ScopedFilterSet):
    """``org``: the branches of a subtree."""

    class Meta:
        model = Organization
        fields = ()


class BranchStructureSerializer(serializers.ModelSerializer):
    warnings = serializers.SerializerMethodField(label=_("Structure warnings"))

    class Meta:
        model = Organization
        fields = ("id", "name", "code", "formation", "warnings")

    def get_warnings(self, obj) -> list[dict]:
        warnings = self.context.get("warnings")
        if warnings is None or obj.pk not in warnings:
            warnings = branch_structure_warnings(Organization.objects.filter(pk=obj.pk), today=timezone.localdate())
        return [{"code": w.code, "message": str(w.message), "rule": str(w.rule)} for w in warnings.get(obj.pk, [])]


class BranchStructureViewSet(ScopedReadOnlyViewSet):
    """``/api/v1/branch-structure/``: every compound branch in the scope (``?org=`` a subtree)
    with its structure warnings; the same check as ``/organizations/<id>/structure/``. A fixed
    number of queries per page."""

    queryset = Organization.objects.filter(kind=OrganizationKind.BRANCH, dissolved_on__isnull=True)
    serializer_class = BranchStructureSerializer
    filterset_class = StructureFilterSet
    ordering_fields = ("id", "name")
    ordering = tree_order()

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        warnings = branch_structure_warnings(
            Organization.objects.filter(pk__in=[b.pk for b in rows]), today=timezone.localdate()
        )
        context = {**self.get_serializer_context(), "warnings": warnings}
        data = self.get_serializer_class()(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)
