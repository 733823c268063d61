"""API of the clerk's lists: ``/api/v1/compliance/behind/`` (JSON, or Excel with ``export=xlsx``)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.exceptions import django_validation_error_detail
from core.xlsx import xlsx_response
from members import compliance
from members.clerk.behind import behind_list, export_rows
from organizations.models import Organization

SORTS = ("gap", "-gap", "name")


def _int_param(params, name: str, errors: dict) -> int | None:
    value = params.get(name)
    if value in (None, ""):
        return None
    if not str(value).isdigit():
        errors[name] = [_("Give a number.")]
        return None
    return int(value)


class BehindView(APIView):
    """``?org=<id>&year=<y>[&period=Q3|2026-05][&street=][&community=][&all=1][&sort=gap|-gap|name]
    [&export=xlsx]``: the branches behind on 三会一课 (all with ``all=1``), scoped to the user."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("org", OpenApiTypes.INT, required=True, description="Organization (whole subtree)."),
            OpenApiParameter("year", OpenApiTypes.INT, description="Calendar year (default: this year)."),
            OpenApiParameter("period", OpenApiTypes.STR, description="Q1–Q4 or YYYY-MM (default: the whole year)."),
            OpenApiParameter("street", OpenApiTypes.INT, description="Only branches under this street."),
            OpenApiParameter("community", OpenApiTypes.INT, description="Only branches under this community."),
            OpenApiParameter("all", OpenApiTypes.BOOL, description="Show every branch, not only those behind."),
            OpenApiParameter("sort", OpenApiTypes.STR, description="gap, -gap (default) or name."),
            OpenApiParameter("export", OpenApiTypes.STR, description="xlsx for an Excel download."),
        ],
        responses=OpenApiTypes.OBJECT,
        description="三会一课 落实情况: held / required / gap per kind for the branches of a subtree.",
    )
    def get(self, request):
        params = request.query_params
        errors: dict = {}
        org_id = _int_param(params, "org", errors)
        if org_id is None and "org" not in errors:
            errors["org"] = [_("Give the id of an organization in your scope.")]
        street = _int_param(params, "street", errors)
        community = _int_param(params, "community", errors)
        sort = params.get("sort") or "-gap"
        if sort not in SORTS:
            errors["sort"] = [_("Sort by gap, -gap or name.")]
        try:
            window = compliance.parse_window(params.get("year") or timezone.localdate().year, params.get("period"))
        except DjangoValidationError as exc:
            errors.update(django_validation_error_detail(exc))
        if errors:
            return Response({"detail": _("Invalid input."), "code": "invalid", "errors": errors}, status=400)
        node = get_object_or_404(Organization.objects.for_user(request.user), pk=org_id)
        rows = behind_list(
            node,
            window,
            today=timezone.localdate(),
            street=street,
            community=community,
            show_all=params.get("all") in ("1", "true", "yes"),
            sort=sort,
        )
        if params.get("export") == "xlsx":
            headers, table = export_rows(rows)
            return xlsx_response(f"三会一课落实情况-{window.label}", window.label, headers, table)
        return Response(
            {
                "organization": {"id": node.pk, "name": node.name, "kind": node.kind},
                "period": window.label,
                "count": len(rows),
                "results": [r.as_dict() for r in rows],
            }
        )
