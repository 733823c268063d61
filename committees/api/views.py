"""Thin viewsets of the committees API: queryset (scoped), serializer, filterset; writes call
the services."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from committees import selectors, services
from committees.api.serializers import (
    CommitteeSerializer,
    EvaluationSerializer,
    FeeCollectionSerializer,
    GovernanceStatsQuerySerializer,
    MatterSerializer,
    PropertyFirmSerializer,
    SeatSerializer,
    ServiceContractSerializer,
)
from committees.filtersets import (
    CommitteeFilterSet,
    EvaluationFilterSet,
    FeeCollectionFilterSet,
    MatterFilterSet,
    PropertyFirmFilterSet,
    SeatFilterSet,
    ServiceContractFilterSet,
)
from committees.models import (
    Committee,
    Evaluation,
    FeeCollection,
    Matter,
    PropertyFirm,
    Seat,
    ServiceContract,
)
from organizations.api.base import ScopedModelViewSet
from organizations.models import Organization
from organizations.scope import scope_node_for, user_sees_everything


class ServiceViewSet(ScopedModelViewSet):
    """Create and update through ``service(<instance_kwarg>=..., **validated_data)``."""

    service = None
    instance_kwarg = ""

    def perform_create(self, serializer):
        serializer.instance = self.perform_service(type(self).service, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = self.perform_service(
            type(self).service, **{self.instance_kwarg: serializer.instance}, **serializer.validated_data
        )


class CommitteeViewSet(ServiceViewSet):
    """Self-governance bodies (业委会, 物管会, ...), each with its seats."""

    queryset = Committee.objects.select_related("compound").prefetch_related("seats")
    serializer_class = CommitteeSerializer
    filterset_class = CommitteeFilterSet
    ordering_fields = ("id", "term_ends_on", "elected_on")
    ordering = ("id",)
    service = services.committee_save
    instance_kwarg = "committee"


class SeatViewSet(ServiceViewSet):
    queryset = Seat.objects.all()
    serializer_class = SeatSerializer
    filterset_class = SeatFilterSet
    ordering = ("id",)
    service = services.seat_save
    instance_kwarg = "seat"


class PropertyFirmViewSet(ServiceViewSet):
    """Property firms a user sees: serving a compound in the scope, or entered there."""

    queryset = PropertyFirm.objects.all()
    serializer_class = PropertyFirmSerializer
    filterset_class = PropertyFirmFilterSet
    ordering_fields = ("id", "name")
    ordering = ("id",)
    instance_kwarg = "firm"

    def get_queryset(self):
        user = self.request.user
        node = None if user_sees_everything(user) else scope_node_for(user)
        return selectors.firms_with_figures(super().get_queryset(), node)

    def perform_create(self, serializer):
        serializer.instance = self.perform_service(
            services.property_firm_save, created_in=scope_node_for(self.request.user), **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = self.perform_service(
            services.property_firm_save, firm=serializer.instance, **serializer.validated_data
        )

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def summary(self, request, pk=None):
        """The firm's page: compounds served (in your scope), average evaluation, trend."""
        firm = self.get_object()
        data = selectors.firm_summary(firm=firm, user=request.user)
        data["contracts"] = ServiceContractSerializer(data["contracts"], many=True, context={"request": request}).data
        data["firm"] = {"id": firm.pk, "name": firm.name, "has_party_organization": firm.has_party_organization}
        return Response(data)


class ServiceContractViewSet(ServiceViewSet):
    queryset = ServiceContract.objects.select_related("firm", "compound")
    serializer_class = ServiceContractSerializer
    filterset_class = ServiceContractFilterSet
    ordering = ("id",)
    service = services.service_contract_save
    instance_kwarg = "contract"


class FeeCollectionViewSet(ServiceViewSet):
    queryset = FeeCollection.objects.all()
    serializer_class = FeeCollectionSerializer
    filterset_class = FeeCollectionFilterSet
    ordering = ("id",)
    service = services.fee_collection_save
    instance_kwarg = "collection"


class EvaluationViewSet(ServiceViewSet):
    queryset = Evaluation.objects.all()
    serializer_class = EvaluationSerializer
    filterset_class = EvaluationFilterSet
    ordering = ("id",)
    service = services.evaluation_save
    instance_kwarg = "evaluation"


class MatterViewSet(ServiceViewSet):
    """三方联动 matters; ``?overdue=true`` lists the overdue ones."""

    queryset = Matter.objects.select_related("compound")
    serializer_class = MatterSerializer
    filterset_class = MatterFilterSet
    ordering_fields = ("id", "due_on", "raised_on")
    ordering = ("id",)
    instance_kwarg = "matter"

    def perform_create(self, serializer):
        serializer.instance = self.perform_service(
            services.matter_save, today=timezone.localdate(), **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = self.perform_service(
            services.matter_save, matter=serializer.instance, today=timezone.localdate(), **serializer.validated_data
        )


class CanViewCommittees(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(
            request.user and request.user.is_authenticated and request.user.has_perm("committees.view_committee")
        )


class GovernanceStatsView(APIView):
    """``?org=<id>&today=YYYY-MM-DD``: self-governance figures for the whole subtree of ``org``
    (default: your scope node). An organization outside your scope is a 404."""

    permission_classes = (CanViewCommittees,)

    @extend_schema(
        parameters=[
            OpenApiParameter("org", OpenApiTypes.INT, description="Organization (whole subtree)"),
            OpenApiParameter("today", OpenApiTypes.DATE, description="Reference date (default: today)"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        params = GovernanceStatsQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        user = request.user
        org_id = params.validated_data.get("org")
        if org_id is None:
            node = scope_node_for(user)
            if node is None:
                raise serializers.ValidationError({"org": [_("Choose an organization.")]})
        else:
            node = get_object_or_404(Organization.objects.for_user(user), pk=org_id)
        today = params.validated_data.get("today") or timezone.localdate()
        return Response(selectors.governance_stats(node=node, today=today))
