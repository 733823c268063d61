"""API of 设岗定责 / 时间银行, scoped like members (the post's branch):

- ``/api/v1/volunteer-posts/``: posts with their current holders; ``POST …/<id>/holders/`` puts
  a member or a resident volunteer on the post.
- ``/api/v1/service-records/``: service hours; ``POST …/<id>/confirm/`` (the secretary confirms,
  points are awarded once), ``POST …/<id>/withdraw/`` (reversed through the ledger), ``PATCH``
  corrects (a confirmed record is replaced by a pending corrected one).

Writes call ``members.volunteering.services``; bad input is a 400 naming the field."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from members.volunteering import services
from members.volunteering.models import PostHolder, PostKind, ServiceRecord, ServiceStatus, VolunteerPost
from organizations.api.base import (
    BriefOrganizationSerializer,
    ScopedFilterSet,
    ScopedModelViewSet,
    StrictModelSerializer,
    StrictSerializerMixin,
)


class HolderSerializer(StrictModelSerializer):
    name = serializers.CharField(source="person_name", read_only=True)
    is_member = serializers.SerializerMethodField(label=gettext_lazy("party member"))

    class Meta:
        model = PostHolder
        fields = ("id", "member", "volunteer", "name", "is_member", "started_on", "ended_on")
        read_only_fields = ("ended_on",)
        extra_kwargs = {"started_on": {"required": False}}

    def get_is_member(self, obj) -> bool:
        return obj.member_id is not None


class VolunteerPostSerializer(StrictModelSerializer):
    organization_brief = BriefOrganizationSerializer(source="organization", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    holders = HolderSerializer(source="current_holders", many=True, read_only=True)

    class Meta:
        model = VolunteerPost
        fields = (
            "id",
            "organization",
            "organization_brief",
            "compound",
            "kind",
            "kind_display",
            "name",
            "duties",
            "active",
            "holders",
            "created_at",
        )
        read_only_fields = ("created_at",)
        extra_kwargs = {"name": {"required": False}}


class VolunteerPostFilterSet(ScopedFilterSet):
    kind = filters.ChoiceFilter(choices=PostKind.choices)
    compound = filters.NumberFilter(field_name="compound_id")
    active = filters.BooleanFilter()

    class Meta:
        model = VolunteerPost
        fields = ("kind", "compound", "active")


class VolunteerPostViewSet(ScopedModelViewSet):
    """Volunteer posts (设岗定责) of the branches in scope, with who holds them now."""

    queryset = VolunteerPost.objects.select_related("organization", "compound").prefetch_related(
        Prefetch(
            "holders",
            queryset=PostHolder.objects.filter(ended_on__isnull=True).select_related("member", "volunteer"),
            to_attr="current_holders",
        )
    )
    serializer_class = VolunteerPostSerializer
    filterset_class = VolunteerPostFilterSet
    ordering_fields = ("name", "kind", "id")
    ordering = ("organization_id", "kind", "name", "id")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = self.perform_service(services.post_save, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = self.perform_service(
            services.post_save, post=serializer.instance, **serializer.validated_data
        )

    @extend_schema(request=HolderSerializer, responses=HolderSerializer)
    @action(detail=True, methods=["post"], serializer_class=HolderSerializer)
    def holders(self, request, pk=None):
        """Put a member or a resident volunteer on the post (定责)."""
        post = self.get_object()
        payload = HolderSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        holder = self.perform_service(services.holder_add, post=post, **payload.validated_data)
        return Response(HolderSerializer(holder, context={"request": request}).data, status.HTTP_201_CREATED)


class ServiceRecordSerializer(StrictModelSerializer):
    name = serializers.CharField(source="holder.person_name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    hours = serializers.DecimalField(max_digits=6, decimal_places=1, label=gettext_lazy("hours"))
    confirm = serializers.BooleanField(write_only=True, required=False, default=False, label=gettext_lazy("confirm"))

    class Meta:
        model = ServiceRecord
        fields = (
            "id",
            "post",
            "holder",
            "name",
            "served_on",
            "hours",
            "description",
            "status",
            "status_display",
            "confirm",
            "confirmed_at",
            "revoked_reason",
            "replaces",
            "created_at",
        )
        read_only_fields = ("post", "status", "confirmed_at", "revoked_reason", "replaces", "created_at")


class CorrectionSerializer(StrictModelSerializer):
    hours = serializers.DecimalField(max_digits=6, decimal_places=1, required=False, label=gettext_lazy("hours"))
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, label=gettext_lazy("reason"))

    class Meta:
        model = ServiceRecord
        fields = ("served_on", "hours", "description", "reason")
        extra_kwargs = {"served_on": {"required": False}, "description": {"required": False}}


class WithdrawSerializer(StrictSerializerMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=200, label=gettext_lazy("reason"))


class ServiceRecordFilterSet(ScopedFilterSet):
    status = filters.ChoiceFilter(choices=ServiceStatus.choices)
    post = filters.NumberFilter(field_name="post_id")
    member = filters.NumberFilter(field_name="holder__member_id")
    since = filters.DateFilter(field_name="served_on", lookup_expr="gte")
    until = filters.DateFilter(field_name="served_on", lookup_expr="lte")

    class Meta:
        model = ServiceRecord
        fields = ("status", "post", "member")


class ServiceRecordViewSet(ScopedModelViewSet):
    """Service hours on volunteer posts (时间银行): recorded, confirmed by the secretary."""

    queryset = ServiceRecord.objects.select_related("holder__member", "holder__volunteer")
    serializer_class = ServiceRecordSerializer
    filterset_class = ServiceRecordFilterSet
    ordering_fields = ("served_on", "hours", "id")
    ordering = ("-served_on", "-id")
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        if self.action == "partial_update":
            return CorrectionSerializer
        return super().get_serializer_class()

    def perform_create(self, serializer):
        serializer.instance = self.perform_service(
            services.service_record, actor=self.request.user, **serializer.validated_data
        )

    def update(self, request, *args, **kwargs):
        record = self.get_object()
        payload = CorrectionSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        corrected = self.perform_service(
            services.service_correct, record=record, actor=request.user, **payload.validated_data
        )
        return Response(ServiceRecordSerializer(corrected, context={"request": request}).data)

    @extend_schema(request=None, responses=ServiceRecordSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Confirm the record (确认): its points are awarded once."""
        record = self.perform_service(services.service_confirm, record=self.get_object(), actor=request.user)
        return Response(ServiceRecordSerializer(record, context={"request": request}).data)

    @extend_schema(request=WithdrawSerializer, responses=ServiceRecordSerializer)
    @action(detail=True, methods=["post"], serializer_class=WithdrawSerializer)
    def withdraw(self, request, pk=None):
        """Withdraw the confirmation (撤销确认): the points are reversed in the ledger."""
        record = self.get_object()
        payload = WithdrawSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        record = self.perform_service(
            services.service_revoke, record=record, actor=request.user, **payload.validated_data
        )
        return Response(ServiceRecordSerializer(record, context={"request": request}).data)
