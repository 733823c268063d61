"""The dues month import (``POST /dues/imports/``: an xlsx / csv file for one branch and month,
all or nothing, the rows' errors as a 400) and the 党费收缴台账 export (``GET /dues/ledger/``:
xlsx for a month or a year, for the branches of ``org``'s subtree inside the caller's scope).
Both call the services the admin uses (``members.dues.importer.import_month``,
``members.dues.export.ledger_xlsx``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.periods import MONTH, YEAR, Period
from core.xlsx import attachment
from members.dues.export import ledger_xlsx
from members.dues.importer import import_month
from members.models import DuesPayment
from organizations.api.base import ScopedViewSetMixin, StrictSerializerMixin
from organizations.models import Organization, OrganizationKind
from organizations.selectors import in_subtree
from organizations.statistics.api import resolve_node

# An import file larger than this is refused before it is read (a branch's month is small).
MAX_IMPORT_BYTES = 5 * 1024 * 1024


class DuesImportSerializer(StrictSerializerMixin, serializers.Serializer):
    branch = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind=OrganizationKind.BRANCH), label=gettext_lazy("compound branch")
    )
    month = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$", label=gettext_lazy("month"), help_text=gettext_lazy("Such as 2026-05.")
    )
    file = serializers.FileField(label=gettext_lazy("file"), help_text=gettext_lazy("xlsx or csv"))

    def validate_file(self, upload):
        if upload.size > MAX_IMPORT_BYTES:
            raise serializers.ValidationError(_("The file is larger than 5 MB."))
        return upload


class DuesImportViewSet(ScopedViewSetMixin, viewsets.GenericViewSet):
    """Import a month's dues collection of one branch (the admin importer's service): every row
    is recorded, or none; a refused file answers 400 with each row's error (``rows``)."""

    queryset = DuesPayment.objects.all()
    serializer_class = DuesImportSerializer

    @extend_schema(request={"multipart/form-data": DuesImportSerializer}, responses={201: OpenApiTypes.OBJECT})
    def create(self, request, *args, **kwargs):
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        upload = data["file"]
        month = Period.parse(data["month"]).start
        report = import_month(
            branch=data["branch"], month=month, data=upload.read(), filename=upload.name, actor=request.user
        )
        if not report.ok:
            rows = [{"row": number, "message": message} for number, message in report.errors]
            lines = [
                _("Row %(row)d: %(message)s") % {"row": number, "message": message} if number else message
                for number, message in report.errors
            ]
            body = {
                "detail": _("Nothing was imported: correct the rows below and import the file again."),
                "code": "invalid",
                "errors": {"file": lines},
                "rows": rows,
            }
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response({"created": report.created, "month": data["month"]}, status=status.HTTP_201_CREATED)


class DuesLedgerView(APIView):
    """The 党费收缴台账 as xlsx: ``period`` a month (2026-05) or a year (2026); the branches of
    ``org``'s subtree (default: the caller's scope), outside the scope 404. Read with the
    permission to see dues payments."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, required=True, description="2026-05 / 2026"),
            OpenApiParameter("org", int, required=False),
        ],
        responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY},
    )
    def get(self, request):
        if not request.user.has_perm("members.view_duespayment"):
            raise PermissionDenied
        try:
            period = Period.parse(request.query_params.get("period", ""))
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        if period.kind not in (MONTH, YEAR):
            raise serializers.ValidationError({"period": [_("Enter a month (2026-05) or a year (2026).")]})
        org = request.query_params.get("org")
        if org is not None and (not org.isdigit() or len(org) > 18):
            raise serializers.ValidationError({"org": [_("Enter the id of an organization.")]})
        node = resolve_node(request.user, int(org) if org else None)
        branches = Organization.objects.for_user(request.user).filter(
            in_subtree("", node), kind=OrganizationKind.BRANCH
        )
        branch_ids = sorted(branches.values_list("pk", flat=True))
        month = period.start.month if period.kind == MONTH else None
        content = ledger_xlsx(branch_ids, period.start.year, month)
        return attachment(content, f"党费收缴台账{period.label}.xlsx")
