"""Thin viewsets: queryset, serializer, filterset; writes go through the services."""

from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.concurrency import OptimisticConcurrencyMixin
from organizations import services
from organizations.api.base import ScopedModelViewSet
from organizations.api.serializers import (
    BuildingSerializer,
    CompoundSerializer,
    DissolveSerializer,
    MoveSerializer,
    OrganizationSerializer,
    VenueSerializer,
)
from organizations.filtersets import (
    BuildingFilterSet,
    CompoundFilterSet,
    OrganizationFilterSet,
    VenueFilterSet,
)
from organizations.models import Building, Compound, Organization, Venue
from organizations.selectors import TREE_ORDER, attach_cumulative_counts


class OrganizationViewSet(OptimisticConcurrencyMixin, ScopedModelViewSet):
    """Party organizations, each with cumulative counts for its whole subtree."""

    queryset = Organization.objects.select_related("parent")
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet
    ordering_fields = (*TREE_ORDER, "name", "code")
    ordering = TREE_ORDER

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return attach_cumulative_counts(page) if page is not None else None

    def lock_for_update(self, instance) -> None:
        # Tree writers hold the advisory lock and then touch many rows; take it first so an
        # If-Match check never waits on a row lock while holding another (no deadlock).
        services.lock_tree()

    def get_object(self):
        node = super().get_object()
        attach_cumulative_counts([node])
        return node

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = self.perform_service(services.organization_create, actor=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = self.perform_service(
            services.organization_update, organization=serializer.instance, **serializer.validated_data
        )

    def _reload(self, pk):
        return attach_cumulative_counts([self.get_queryset().get(pk=pk)])[0]

    @action(detail=True, methods=["post"], serializer_class=MoveSerializer)
    def move(self, request, pk=None):
        """Move the organization under (or beside) another one."""
        node = self.get_object()
        payload = MoveSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        self.perform_service(
            services.organization_move,
            organization=node,
            target=payload.validated_data["target"],
            position=payload.validated_data["position"],
            actor=request.user,
        )
        return Response(OrganizationSerializer(self._reload(node.pk), context={"request": request}).data)

    @action(detail=True, methods=["post"], serializer_class=DissolveSerializer)
    def dissolve(self, request, pk=None):
        """Mark the organization dissolved (refused while it has active sub-organizations)."""
        node = self.get_object()
        payload = DissolveSerializer(data=request.data, context={"request": request})
        payload.is_valid(raise_exception=True)
        self.perform_service(
            services.organization_dissolve, organization=node, dissolved_on=payload.validated_data["dissolved_on"]
        )
        return Response(
            OrganizationSerializer(self._reload(node.pk), context={"request": request}).data,
            status=status.HTTP_200_OK,
        )


class CompoundViewSet(OptimisticConcurrencyMixin, ScopedModelViewSet):
    queryset = Compound.objects.select_related("community", "branch")
    serializer_class = CompoundSerializer
    filterset_class = CompoundFilterSet
    ordering_fields = ("name", "households", "id")
    ordering = ("id",)

    def perform_create(self, serializer):
        serializer.instance = self.perform_service(services.compound_save, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = self.perform_service(
            services.compound_save, compound=serializer.instance, **serializer.validated_data
        )


class BuildingViewSet(ScopedModelViewSet):
    queryset = Building.objects.select_related("compound")
    serializer_class = BuildingSerializer
    filterset_class = BuildingFilterSet
    ordering = ("id",)

    def perform_create(self, serializer):
        serializer.instance = self.perform_service(services.building_save, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = self.perform_service(
            services.building_save, building=serializer.instance, **serializer.validated_data
        )


class VenueViewSet(ScopedModelViewSet):
    queryset = Venue.objects.all()
    serializer_class = VenueSerializer
    filterset_class = VenueFilterSet
    ordering = ("id",)
