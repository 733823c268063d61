"""``/api/v1/data-quality/?org=<id>``: the 数据质量 report of a node of the caller's scope."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations.quality import quality_report
from organizations.quality.admin_view import report_node


class DataQualityView(APIView):
    """Every 数据质量 check (count and the filtered admin list) and the 完整率 per branch."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("org", OpenApiTypes.INT, description="Organization (whole subtree; default: your scope)."),
        ],
        responses=OpenApiTypes.OBJECT,
        description="数据质量: records to complete or fix under a node, and the completeness rate per branch.",
    )
    def get(self, request):
        org = request.query_params.get("org")
        if org and not org.isdigit():
            return Response(
                {"detail": _("Invalid input."), "code": "invalid", "errors": {"org": [_("Give a number.")]}},
                status=400,
            )
        node = report_node(request.user, org)
        if node is None:
            return Response({"detail": _("No organization in your scope."), "code": "not_found"}, status=404)
        report = quality_report(request.user, node, today=timezone.localdate())
        return Response(
            {
                "organization": {"id": node.pk, "name": node.name, "kind": node.kind},
                "checks": [c.as_dict() for c in report["checks"]],
                "rates": [
                    {
                        "label": r["label"],
                        "definition": r["definition"],
                        "branches": [b.as_dict() for b in r["branches"]],
                    }
                    for r in report["rates"]
                ],
            }
        )
