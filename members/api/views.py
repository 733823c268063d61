"""Thin viewsets of members and positions: scoped queryset, serializer, filterset; writes call
the services. Full ID numbers / phones only with ``?full=1`` and the permission, and logged."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.pagination import CappedCountPagination
from members import services
from members.api.serializers import (
    DatedSerializer,
    FloatingSerializer,
    MemberDetailSerializer,
    MemberSerializer,
    PositionSerializer,
    ReportSerializer,
    TransferSerializer,
)
from members.filtersets import MemberFilterSet, PositionFilterSet
from members.models import Member, Position, SensitiveAccessAction
from members.organizational_life import annotate_organizational_life, attach_organizational_life
from members.selectors import can_view_sensitive
from organizations.api.base import ScopedModelViewSet


class MemberViewSet(ScopedModelViewSet):
    """Party members. ``?full=1`` shows ID number and phone in full to holders of
    ``members.view_sensitive_data``; each such response is recorded in the access log."""

    queryset = Member.objects.select_related("branch", "group", "home_organization")
    serializer_class = MemberSerializer
    filterset_class = MemberFilterSet
    ordering_fields = ("name", "id", "admitted_on", "probation_due_on", "branch_id")
    ordering = ("branch_id", "name", "id")
    pagination_class = CappedCountPagination

    def get_queryset(self):
        # A list reads the year's organizational life for its page only (``list``); one member
        # has it in the same query.
        queryset = super().get_queryset()
        if self.action == "list":
            return queryset
        return annotate_organizational_life(queryset, year=timezone.localdate().year)

    def _unmask(self) -> bool:
        wanted = self.request.query_params.get("full") in ("1", "true", "yes")
        return wanted and can_view_sensitive(self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["unmask"] = self.request.method == "GET" and self._unmask()
        return context

    def _log(self, members):
        if self._unmask():
            services.log_sensitive_access(
                user=self.request.user,
                member_ids=[m.pk for m in members],
                action=SensitiveAccessAction.VIEW,
                channel="api",
            )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        attach_organizational_life(rows, year=timezone.localdate().year)
        self._log(rows)
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def get_serializer_class(self):
        return MemberDetailSerializer if self.action == "retrieve" else super().get_serializer_class()

    def retrieve(self, request, *args, **kwargs):
        member = self.get_object()
        self._log([member])
        return Response(self.get_serializer(member).data)

    def perform_create(self, serializer):
        serializer.instance = self.perform_service(
            services.member_create, actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = self.perform_service(
            services.member_update, member=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    def _done(self, member):
        return Response(MemberSerializer(member, context={"request": self.request}).data)

    @extend_schema(request=TransferSerializer, responses=MemberSerializer)
    @action(detail=True, methods=["post"], serializer_class=TransferSerializer)
    def transfer(self, request, pk=None):
        """Move the member to another compound branch (history kept)."""
        member, data = self.get_object(), self.validated_payload(TransferSerializer)
        return self._done(self.perform_service(services.member_transfer, member=member, actor=request.user, **data))

    @extend_schema(request=FloatingSerializer, responses=MemberSerializer)
    @action(detail=True, methods=["post"], serializer_class=FloatingSerializer)
    def floating(self, request, pk=None):
        """Mark floating out/in (or back with direction "")."""
        member, data = self.get_object(), self.validated_payload(FloatingSerializer)
        return self._done(
            self.perform_service(services.member_mark_floating, member=member, actor=request.user, **data)
        )

    @extend_schema(request=ReportSerializer, responses=MemberSerializer)
    @action(detail=True, methods=["post"], serializer_class=ReportSerializer)
    def report(self, request, pk=None):
        """在职党员回小区报到."""
        member, data = self.get_object(), self.validated_payload(ReportSerializer)
        return self._done(self.perform_service(services.member_report, member=member, actor=request.user, **data))

    @extend_schema(request=DatedSerializer, responses=MemberSerializer)
    @action(detail=True, methods=["post"], serializer_class=DatedSerializer)
    def deceased(self, request, pk=None):
        member, data = self.get_object(), self.validated_payload(DatedSerializer)
        return self._done(
            self.perform_service(services.member_mark_deceased, member=member, actor=request.user, **data)
        )

    @extend_schema(request=DatedSerializer, responses=MemberSerializer)
    @action(detail=True, methods=["post"], url_path="transfer-out", serializer_class=DatedSerializer)
    def transfer_out(self, request, pk=None):
        member, data = self.get_object(), self.validated_payload(DatedSerializer)
        return self._done(
            self.perform_service(
                services.member_transfer_out,
                member=member,
                actor=request.user,
                on=data["on"],
                destination=data.get("note", ""),
            )
        )


class PositionViewSet(ScopedModelViewSet):
    """Positions (职务) over date ranges."""

    queryset = Position.objects.select_related("member", "organization")
    serializer_class = PositionSerializer
    filterset_class = PositionFilterSet
    ordering_fields = ("started_on", "id")
    ordering = ("organization_id", "kind", "started_on", "id")

    def perform_create(self, serializer):
        serializer.instance = self.perform_service(services.position_create, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = self.perform_service(
            services.position_update, position=serializer.instance, **serializer.validated_data
        )
