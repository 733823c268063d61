"""Thin API views of organizational life: meetings (writes through the services, stale
version → 412) and the compliance report for a subtree and period."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.exceptions import django_validation_error_detail, error_response
from core.statistics.cache import block_version, cached_payload
from members import compliance
from members.api.meeting_serializers import MeetingSerializer
from members.meetings import StaleVersion, meeting_record, meeting_update
from members.models import Attendance, Meeting, MeetingKind
from organizations.api.base import ScopedFilterSet, ScopedModelViewSet
from organizations.models import Organization


class MeetingFilterSet(ScopedFilterSet):
    kind = filters.ChoiceFilter(choices=MeetingKind.choices)
    organization_id = filters.NumberFilter()
    held_after = filters.DateTimeFilter(field_name="held_at", lookup_expr="gte")
    held_before = filters.DateTimeFilter(field_name="held_at", lookup_expr="lt")
    q = filters.CharFilter(field_name="topic", lookup_expr="icontains")

    class Meta:
        model = Meeting
        fields = ("kind", "organization_id", "archived")


def _lists(data):
    attendance = [
        {"member": a["member"], "status": a.get("status"), "reason": a.get("reason", "")}
        for a in data.pop("attendances", None) or []
    ]
    return attendance


class MeetingViewSet(ScopedModelViewSet):
    """Meetings with nested attendance. Send ``version`` (or ``If-Match: <version>``) when
    updating; a stale version is 412 Precondition Failed."""

    # The organization is prefetched for the page, not joined: a join runs for every meeting in
    # the scope before the sort picks the page (33k meetings for a district: 290 ms vs 60 ms).
    queryset = Meeting.objects.prefetch_related(
        "organization",
        # Only the name of each attendee is shown: not the member's whole (encrypted) row, nor a
        # member object per line (a district's page holds thousands of lines).
        Prefetch(
            "attendances",
            queryset=Attendance.objects.annotate(member_name=F("member__name"))
            .only("id", "meeting_id", "member_id", "status", "reason", "has_vote")
            .order_by("member_id"),
        ),
        "resolutions",
        "guests",
    )
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet
    ordering_fields = ("held_at", "id")
    ordering = ("-held_at", "-id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        has_attendance = "attendances" in data
        attendance = _lists(data)
        data.pop("version", None)
        organization = data.pop("organization")
        if not Organization.objects.for_user(self.request.user).filter(pk=organization.pk).exists():
            raise serializers.ValidationError({"organization": [_("Not found, or outside your scope.")]})
        meeting = self.perform_service(
            meeting_record,
            organization=organization,
            attendance=attendance if has_attendance else [],
            created_by=self.request.user,
            **data,
        )
        self._deduplicated = getattr(meeting, "deduplicated", False)
        serializer.instance = self.get_queryset().get(pk=meeting.pk)

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        if getattr(self, "_deduplicated", False):
            response.status_code = status.HTTP_200_OK
        return response

    def update(self, request, *args, **kwargs):
        meeting = self.get_object()
        serializer = self.get_serializer(meeting, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = request.headers.get("If-Match", "").strip('"W/ ') or data.pop("version", None)
        data.pop("version", None)
        if version in (None, ""):
            return error_response(
                _("Send the version you read (field “version” or an If-Match header)."),
                code="version_required",
                status_code=status.HTTP_428_PRECONDITION_REQUIRED,
            )
        for frozen in ("organization", "kind", "dedup_key"):
            value = data.pop(frozen, None)
            if frozen != "dedup_key" and value is not None and value != getattr(meeting, frozen):
                raise serializers.ValidationError({frozen: [_("This field cannot be changed.")]})
        kwargs_ = {}
        if "attendances" in data:
            kwargs_["attendance"] = _lists(data)
        try:
            version = int(version)
        except (TypeError, ValueError):
            raise serializers.ValidationError({"version": [_("The version is a whole number.")]}) from None
        try:
            meeting_update(meeting=meeting, version=version, changed_by=request.user, **kwargs_, **data)
        except StaleVersion as exc:
            return Response({"detail": exc.messages[0], "code": "stale"}, status=status.HTTP_412_PRECONDITION_FAILED)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(django_validation_error_detail(exc)) from exc
        fresh = self.get_queryset().get(pk=meeting.pk)
        response = Response(self.get_serializer(fresh).data)
        response["ETag"] = f'"{fresh.version}"'
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = f'"{response.data["version"]}"'
        return response


class ComplianceView(APIView):
    """``?org=<id>&year=<y>[&period=Q3|2026-05][&page=&page_size=]``: the subtree rollup (how
    many branches compliant, which are not) and one page of the per-branch held/required per kind
    (``branches_count`` branches in all). A fixed number of queries, none while cached."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("org", OpenApiTypes.INT, required=True, description="Organization (whole subtree)."),
            OpenApiParameter("year", OpenApiTypes.INT, required=True, description="Calendar year."),
            OpenApiParameter("period", OpenApiTypes.STR, description="Q1–Q4 or YYYY-MM (default: the whole year)."),
            OpenApiParameter("page", OpenApiTypes.INT, description="Page of the per-branch detail (default 1)."),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Branches per page (default 50, at most 500)."),
        ],
        responses=OpenApiTypes.OBJECT,
        description="Held vs required per kind of meeting for every branch under org, and the rollup.",
    )
    def get(self, request):
        org_id = request.query_params.get("org")
        errors = {}
        if not (org_id or "").isdigit():
            errors["org"] = [_("Give the id of an organization in your scope.")]
        try:
            window = compliance.parse_window(
                request.query_params.get("year") or timezone.localdate().year, request.query_params.get("period")
            )
        except DjangoValidationError as exc:
            errors.update(django_validation_error_detail(exc))
        if errors:
            return Response({"detail": _("Invalid input."), "code": "invalid", "errors": errors}, status=400)
        page, size = _page(request.query_params.get("page"), 1), _page(request.query_params.get("page_size"), 50)
        if page is None or size is None:
            return Response(
                {
                    "detail": _("Invalid input."),
                    "code": "invalid",
                    "errors": {"page" if page is None else "page_size": [_("Give a whole number of at least 1.")]},
                },
                status=400,
            )
        size = min(size, MAX_BRANCHES_PAGE)
        node = get_object_or_404(Organization.objects.for_user(request.user), pk=int(org_id))
        today = timezone.localdate()

        def compute():
            rollup = compliance.compliance_for_subtree(node, window, today=today)
            branches = [b.as_dict() for b in rollup.branches[(page - 1) * size : page * size]]
            return rollup.as_dict(), rollup.total, branches

        # One computation per node, window and version of the compliance figures (the figures
        # cache: a write that cannot change compliance keeps it), and each page kept as sent:
        # reading the whole district's detail back costs more than the page.
        summary, total, branches = cached_payload(
            "compliance-page",
            node.pk,
            window,
            compute,
            today.isoformat(),
            page,
            size,
            version=block_version("compliance"),
        )
        return Response(
            {
                "organization": {"id": node.pk, "name": node.name, "kind": node.kind},
                "rollup": summary,
                "branches_count": total,
                "page": page,
                "page_size": size,
                "branches": branches,
            }
        )


# One page of the per-branch detail; the district's 1,500 branches are 2.4 MB of JSON.
MAX_BRANCHES_PAGE = 500


def _page(value, default: int) -> int | None:
    if value in (None, ""):
        return default
    return int(value) if value.isdigit() and int(value) >= 1 else None
