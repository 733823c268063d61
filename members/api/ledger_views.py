"""``/api/v1/organizations/<id>/ledger/?year=&format=pdf|docx``: a branch's yearly ledger as a
file. Served by the members app (the ledger reads members and meetings) under the
organization's URL; outside the scope a 404."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from members.ledgers import pdf, service
from members.ledgers.views import file_response
from organizations.models import Organization, OrganizationKind


class LedgerView(APIView):
    """The ledger file. ``format`` here is the file's format, not DRF's renderer switch: errors
    are always JSON."""

    permission_classes = [IsAuthenticated]

    def perform_content_negotiation(self, request, force=False):
        renderer = JSONRenderer()
        return renderer, renderer.media_type

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="Year of the ledger (default: this year)."),
            OpenApiParameter("format", str, enum=["pdf", "docx"], description="File format (default pdf)."),
        ],
        responses={
            (200, service.FORMATS["pdf"]): OpenApiTypes.BINARY,
            (200, service.FORMATS["docx"]): OpenApiTypes.BINARY,
            (400, "application/json"): OpenApiTypes.OBJECT,
            (404, "application/json"): OpenApiTypes.OBJECT,
            (503, "application/json"): OpenApiTypes.OBJECT,
        },
        description="A branch's yearly ledger (cover, meeting record, roster) as PDF or Word.",
    )
    def get(self, request, pk: int):
        node = get_object_or_404(Organization.objects.for_user(request.user), pk=pk)
        if node.kind != OrganizationKind.BRANCH:
            return Response(
                {"organization": [_("Ledgers are printed per branch; choose a branch.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            year, fmt = service.clean_options(request.query_params.get("year"), request.query_params.get("format"))
        except ValidationError as exc:
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        try:
            item = service.ledger_file(user=request.user, branch=node, year=year, fmt=fmt, channel="api")
        except pdf.PdfUnavailable as exc:
            return Response({"format": [str(exc)]}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return file_response(item)
