"""Thin viewsets: scoped queryset, serializer, filterset; every write and transition calls a
service. A refusal because of the record's state (``Conflict``) is a 409."""

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.exceptions import django_validation_error_detail
from core.plausibility import plausible_date
from organizations.api.base import ScopedModelViewSet
from organizations.models import Organization
from organizations.scope import scope_node_for, user_sees_everything
from projects import selectors, services
from projects.api import serializers as s
from projects.exceptions import Conflict
from projects.filtersets import (
    ActivityFilterSet,
    AgreementFilterSet,
    MicroWishFilterSet,
    NeedFilterSet,
    PartnerUnitFilterSet,
    ProjectFilterSet,
    ResidentRequestFilterSet,
    ResourceFilterSet,
)
from projects.models import (
    Activity,
    Agreement,
    Funding,
    MicroWish,
    Need,
    PartnerUnit,
    ProgressUpdate,
    Project,
    ResidentRequest,
    Resource,
)


class ConflictError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The record's state does not allow this change.")
    default_code = "conflict"


class ServiceViewSet(ScopedModelViewSet):
    """``perform_service`` with 409 for ``Conflict``."""

    def perform_service(self, func, **kwargs):
        try:
            return func(**kwargs)
        except Conflict as exc:
            detail = django_validation_error_detail(exc)
            message = " ".join(m for messages in detail.values() for m in messages)
            raise ConflictError(message) from exc
        except DjangoValidationError as exc:
            raise serializers.ValidationError(django_validation_error_detail(exc)) from exc

    def _respond(self, obj):
        """The record as the list/detail endpoints show it (actions declare their input
        serializer as ``serializer_class``)."""
        fresh = self.get_queryset().get(pk=obj.pk)
        return Response(self.output_serializer_class(fresh, context=self.get_serializer_context()).data)

    def perform_create(self, serializer):
        serializer.instance = self.perform_service(self.save_service, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = self.perform_service(
            self.save_service, **{self.instance_kwarg: serializer.instance}, **serializer.validated_data
        )


class PartnerUnitViewSet(ServiceViewSet):
    queryset = PartnerUnit.objects.select_related("registered_by")
    serializer_class = s.PartnerUnitSerializer
    output_serializer_class = s.PartnerUnitSerializer
    filterset_class = PartnerUnitFilterSet
    ordering = ("name", "id")
    save_service = staticmethod(services.partner_save)
    instance_kwarg = "partner"


MAX_EXPIRING_DAYS = 3650  # ten years: longer than any agreement runs


class AgreementViewSet(ServiceViewSet):
    queryset = Agreement.objects.select_related("partner", "organization")
    serializer_class = s.AgreementSerializer
    output_serializer_class = s.AgreementSerializer
    filterset_class = AgreementFilterSet
    ordering = ("-signed_on", "id")
    save_service = staticmethod(services.agreement_save)
    instance_kwarg = "agreement"

    @extend_schema(
        responses=s.AgreementSerializer(many=True),
        parameters=[
            OpenApiParameter("today", OpenApiTypes.DATE, description="Reference date (default: today)."),
            OpenApiParameter("days", OpenApiTypes.INT, description="Window in days (default 60)."),
        ],
    )
    @action(detail=False, methods=["get"])
    def expiring(self, request):
        """Agreements in force that expire within ``days`` (default 60) of ``today``."""
        try:
            today = datetime.date.fromisoformat(request.query_params.get("today") or timezone.localdate().isoformat())
            days = int(request.query_params.get("days", 60))
        except ValueError as exc:
            raise serializers.ValidationError({"today": [_("Enter a valid date and number of days.")]}) from exc
        try:
            plausible_date(today)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"today": exc.messages}) from exc
        if not 0 <= days <= MAX_EXPIRING_DAYS:  # a huge window overflows the date arithmetic
            raise serializers.ValidationError(
                {"days": [_("Enter a number of days from 0 to %(max)d.") % {"max": MAX_EXPIRING_DAYS}]}
            )
        qs = selectors.agreements_expiring(self.filter_queryset(self.get_queryset()), today=today, days=days)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ResourceViewSet(ServiceViewSet):
    queryset = Resource.objects.select_related("partner")
    serializer_class = s.ResourceSerializer
    output_serializer_class = s.ResourceSerializer
    filterset_class = ResourceFilterSet
    ordering = ("category", "id")
    save_service = staticmethod(services.resource_save)
    instance_kwarg = "resource"


class NeedViewSet(ServiceViewSet):
    queryset = Need.objects.select_related("compound")
    serializer_class = s.NeedSerializer
    output_serializer_class = s.NeedSerializer
    filterset_class = NeedFilterSet
    ordering = ("-raised_on", "id")
    save_service = staticmethod(services.need_save)
    instance_kwarg = "need"

    def get_queryset(self):
        resources = Resource.objects.for_user(self.request.user)
        return selectors.needs_with_available_resources(super().get_queryset(), resources)


class ProjectViewSet(ServiceViewSet):
    queryset = Project.objects.select_related("organization").prefetch_related(
        "partners",
        "resources",
        Prefetch("fundings", queryset=Funding.objects.order_by("source", "id")),
        Prefetch("progress_updates", queryset=ProgressUpdate.objects.order_by("date", "id")),
    )
    serializer_class = s.ProjectSerializer
    output_serializer_class = s.ProjectSerializer
    filterset_class = ProjectFilterSet
    ordering = ("-proposed_on", "id")
    save_service = staticmethod(services.project_create)

    def perform_update(self, serializer):
        serializer.instance = self.perform_service(
            services.project_update, project=serializer.instance, **serializer.validated_data
        )

    @action(detail=True, methods=["post"], serializer_class=s.TransitionSerializer)
    def transition(self, request, pk=None):
        """proposed → approved → in_progress → completed, or cancelled (with a reason)."""
        project = self.get_object()
        data = self.validated_payload(s.TransitionSerializer)
        self.perform_service(
            services.project_transition,
            project=project,
            to_status=data["to_status"],
            on=data["on"],
            reason=data["reason"],
        )
        return self._respond(project)

    @action(detail=True, methods=["post"], serializer_class=s.FundingAddSerializer)
    def funding(self, request, pk=None):
        """Add money from one source (never negative)."""
        project = self.get_object()
        data = self.validated_payload(s.FundingAddSerializer)
        self.perform_service(services.funding_add, project=project, **data)
        return self._respond(project)

    @action(detail=True, methods=["post"], serializer_class=s.ProgressAddSerializer)
    def progress(self, request, pk=None):
        """Add a dated progress update (optionally a photo, multipart)."""
        project = self.get_object()
        data = self.validated_payload(s.ProgressAddSerializer)
        self.perform_service(services.progress_add, project=project, **data)
        return self._respond(project)


class ActivityViewSet(ServiceViewSet):
    queryset = Activity.objects.select_related("organizer").prefetch_related("partners")
    serializer_class = s.ActivitySerializer
    output_serializer_class = s.ActivitySerializer
    filterset_class = ActivityFilterSet
    ordering = ("-held_on", "id")
    save_service = staticmethod(services.activity_save)
    instance_kwarg = "activity"


class MicroWishViewSet(ServiceViewSet):
    """Published by the community; ``claim`` (once) and ``fulfil`` are the only changes."""

    queryset = MicroWish.objects.select_related("compound", "claimed_by")
    serializer_class = s.MicroWishSerializer
    output_serializer_class = s.MicroWishSerializer
    filterset_class = MicroWishFilterSet
    ordering = ("-published_on", "id")
    http_method_names = ["get", "post", "head", "options"]
    save_service = staticmethod(services.wish_publish)

    @action(detail=True, methods=["post"], serializer_class=s.ClaimSerializer)
    def claim(self, request, pk=None):
        wish = self.get_object()
        data = self.validated_payload(s.ClaimSerializer)
        self.perform_service(services.wish_claim, wish=wish, member=data["member"], now=timezone.now())
        return self._respond(wish)

    @action(detail=True, methods=["post"], serializer_class=s.FulfilSerializer)
    def fulfil(self, request, pk=None):
        wish = self.get_object()
        data = self.validated_payload(s.FulfilSerializer)
        self.perform_service(
            services.wish_fulfil, wish=wish, note=data["note"], photo=data.get("photo"), now=timezone.now()
        )
        return self._respond(wish)


class ResidentRequestViewSet(ServiceViewSet):
    """群众点单 → 支部派单 → 党员接单: ``triage``, ``dispatch``, ``resolve``, ``rate``."""

    queryset = ResidentRequest.objects.filter(spam=False).select_related(
        "compound", "assigned_member", "assigned_organization"
    )
    serializer_class = s.ResidentRequestSerializer
    output_serializer_class = s.ResidentRequestSerializer
    filterset_class = ResidentRequestFilterSet
    ordering = ("-received_on", "id")
    http_method_names = ["get", "post", "head", "options"]
    save_service = staticmethod(services.request_submit)

    @action(detail=True, methods=["post"], serializer_class=s.TriageSerializer)
    def triage(self, request, pk=None):
        obj = self.get_object()
        data = self.validated_payload(s.TriageSerializer)
        self.perform_service(services.request_triage, request=obj, triage=data["triage"])
        return self._respond(obj)

    @action(
        detail=True, methods=["post"], serializer_class=s.DispatchSerializer, url_path="dispatch", url_name="dispatch"
    )
    def dispatch_request(self, request, pk=None):
        obj = self.get_object()
        data = self.validated_payload(s.DispatchSerializer)
        self.perform_service(services.request_dispatch, request=obj, **data)
        return self._respond(obj)

    @action(detail=True, methods=["post"], serializer_class=s.ResolveSerializer)
    def resolve(self, request, pk=None):
        obj = self.get_object()
        data = self.validated_payload(s.ResolveSerializer)
        self.perform_service(services.request_resolve, request=obj, **data)
        return self._respond(obj)

    @action(detail=True, methods=["post"], serializer_class=s.RateSerializer)
    def rate(self, request, pk=None):
        obj = self.get_object()
        data = self.validated_payload(s.RateSerializer)
        self.perform_service(services.request_rate, request=obj, **data)
        return self._respond(obj)


class ServiceStatsView(APIView):
    """``/api/v1/stats/service/?org=<id>&from=&to=``: the service figures of a subtree and
    period (default: the user's scope node and the current year). Six aggregate queries."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("org", OpenApiTypes.INT, description="Organization subtree (id)"),
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        if not request.user.has_perm("projects.view_project"):
            raise exceptions.PermissionDenied()
        params = {
            k: v
            for k, v in {
                "org": request.query_params.get("org"),
                "date_from": request.query_params.get("from"),
                "date_to": request.query_params.get("to"),
            }.items()
            if v not in (None, "")
        }
        query = s.StatsQuerySerializer(data=params)
        if not query.is_valid():
            errors = {{"date_from": "from", "date_to": "to"}.get(k, k): v for k, v in query.errors.items()}
            raise serializers.ValidationError(errors)
        data = query.validated_data
        if "org" in data:
            node = get_object_or_404(Organization.objects.for_user(request.user), pk=data["org"])
        else:
            node = scope_node_for(request.user)
            if node is None:
                if user_sees_everything(request.user):
                    raise serializers.ValidationError({"org": [_("Choose an organization.")]})
                raise exceptions.NotFound()
        start, end = selectors.default_period(timezone.localdate())
        return Response(
            selectors.service_stats(node, date_from=data.get("date_from", start), date_to=data.get("date_to", end))
        )
