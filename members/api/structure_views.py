"""``/api/v1/organizations/<id>/structure/``: the branch-structure warnings of 《中国共产党支部工作条例
（试行）》 (at least 3 full members; a committee from 7 full members; at most 50 members) for every
branch of the subtree. Served by the members app (the rules count members), under the
organization's URL."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from members.selectors import branch_structure_warnings
from organizations.models import Organization, OrganizationKind


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
            .order_by("tree_id", "lft")
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
