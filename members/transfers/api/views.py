"""Transfers (组织关系转接) and floating members (流动党员) API: scoped like members (a record is
seen by staff of either side); every write is a service call through ``perform_service``."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action

from members.api.serializers import MemberSerializer
from members.models import FloatingRecord, Member, Transfer
from members.transfers import floating, services
from members.transfers.api import serializers as s
from members.transfers.filtersets import FloatingFilterSet, TransferFilterSet
from organizations.api.base import ScopedReadOnlyViewSet
from organizations.models import Organization


class _Actions:
    def _member_in_scope(self, member: Member) -> Member:
        if not Member.objects.for_user(self.request.user).filter(pk=member.pk).exists():
            raise serializers.ValidationError({"member": [_("The member is outside your scope.")]})
        return member


class TransferViewSet(_Actions, mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """组织关系转接: list/detail, ``POST`` drafts a letter; ``issue``, ``accept`` (the receiving
    side), ``receipt`` (回执 of a letter out of the system), ``return``. Inbound letters from
    outside: ``IncomingLetterViewSet``."""

    queryset = Transfer.objects.select_related("member", "from_branch", "to_organization")
    # The create payload (every related field scoped); lists and details read the record.
    serializer_class = s.TransferCreateSerializer
    read_serializer_class = s.TransferRecordSerializer
    filterset_class = TransferFilterSet
    ordering_fields = ("created_at", "valid_until", "id")
    ordering = ("-created_at", "-id")

    @extend_schema(request=s.TransferCreateSerializer, responses=s.TransferRecordSerializer)
    def create(self, request, *args, **kwargs):
        data = self.validated_payload(s.TransferCreateSerializer)
        self._member_in_scope(data["member"])
        transfer = self.perform_service(services.transfer_create, actor=request.user, **data)
        return self.respond(transfer, status.HTTP_201_CREATED)

    @extend_schema(request=s.IssueSerializer, responses=s.TransferRecordSerializer)
    @action(detail=True, methods=["post"], serializer_class=s.IssueSerializer)
    def issue(self, request, pk=None):
        transfer, data = self.get_object(), self.validated_payload(s.IssueSerializer)
        return self.respond(
            self.perform_service(services.transfer_issue, transfer=transfer, actor=request.user, **data)
        )

    @extend_schema(request=s.NoteSerializer, responses=s.TransferRecordSerializer)
    @action(detail=True, methods=["post"], serializer_class=s.NoteSerializer)
    def accept(self, request, pk=None):
        transfer, data = self.get_object(), self.validated_payload(s.NoteSerializer)
        return self.respond(
            self.perform_service(services.transfer_accept, transfer=transfer, actor=request.user, **data)
        )

    @extend_schema(request=s.ReceiptSerializer, responses=s.TransferRecordSerializer)
    @action(detail=True, methods=["post"], serializer_class=s.ReceiptSerializer)
    def receipt(self, request, pk=None):
        transfer, data = self.get_object(), self.validated_payload(s.ReceiptSerializer)
        return self.respond(
            self.perform_service(services.transfer_record_receipt, transfer=transfer, actor=request.user, **data)
        )

    @extend_schema(request=s.ReturnSerializer, responses=s.TransferRecordSerializer)
    @action(detail=True, methods=["post"], url_path="return", serializer_class=s.ReturnSerializer)
    def return_letter(self, request, pk=None):
        transfer, data = self.get_object(), self.validated_payload(s.ReturnSerializer)
        return self.respond(
            self.perform_service(services.transfer_return, transfer=transfer, actor=request.user, **data)
        )


class IncomingLetterViewSet(_Actions, mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """介绍信 from outside the system: ``POST`` records one at the receiving branch and creates
    (or re-activates) the member through the member create service; lists the inbound letters."""

    queryset = Transfer.objects.filter(kind="in").select_related("member", "from_branch", "to_organization")
    serializer_class = s.ReceiveLetterSerializer
    read_serializer_class = s.TransferRecordSerializer
    filterset_class = TransferFilterSet
    ordering_fields = ("created_at", "id")
    ordering = ("-created_at", "-id")

    @extend_schema(request=s.ReceiveLetterSerializer, responses=s.TransferRecordSerializer)
    def create(self, request, *args, **kwargs):
        data = self.validated_payload(s.ReceiveLetterSerializer)
        to = data["to_organization"]
        if not Organization.objects.for_user(request.user).filter(pk=to.pk).exists():
            raise serializers.ValidationError(
                {"to_organization": [_("Only the receiving side can accept the transfer.")]}
            )
        member_input = MemberSerializer(
            data=dict(data["member_data"], branch=to.pk), context=self.get_serializer_context()
        )
        if not member_input.is_valid():
            raise serializers.ValidationError({"member_data": member_input.errors})
        fields = dict(member_input.validated_data)
        transfer = self.perform_service(
            services.transfer_receive_letter,
            to_organization=to,
            from_name=data["from_name"],
            letter_number=data["letter_number"],
            valid_until=data.get("valid_until"),
            member_fields=fields,
            actor=request.user,
        )
        return self.respond(transfer, status.HTTP_201_CREATED)


class FloatingRecordViewSet(_Actions, mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """流动党员 records: ``POST`` opens one, ``contacted`` and ``return`` on a record."""

    queryset = FloatingRecord.objects.select_related("member", "branch", "destination_organization")
    serializer_class = s.FloatingCreateSerializer
    read_serializer_class = s.FloatingRecordSerializer
    filterset_class = FloatingFilterSet
    ordering_fields = ("since", "last_contacted_on", "id")
    ordering = ("-since", "-id")

    @extend_schema(request=s.FloatingCreateSerializer, responses=s.FloatingRecordSerializer)
    def create(self, request, *args, **kwargs):
        data = self.validated_payload(s.FloatingCreateSerializer)
        self._member_in_scope(data["member"])
        branch = data.get("branch")
        if branch is not None and not Organization.objects.for_user(request.user).filter(pk=branch.pk).exists():
            raise serializers.ValidationError({"branch": [_("The branch is outside your scope.")]})
        record = self.perform_service(floating.floating_start, actor=request.user, **data)
        return self.respond(record, status.HTTP_201_CREATED)

    @extend_schema(request=s.DateSerializer, responses=s.FloatingRecordSerializer)
    @action(detail=True, methods=["post"], serializer_class=s.DateSerializer)
    def contacted(self, request, pk=None):
        record, data = self.get_object(), self.validated_payload(s.DateSerializer)
        return self.respond(
            self.perform_service(floating.floating_contacted, record=record, actor=request.user, **data)
        )

    @extend_schema(request=s.DateSerializer, responses=s.FloatingRecordSerializer)
    @action(detail=True, methods=["post"], url_path="return", serializer_class=s.DateSerializer)
    def return_home(self, request, pk=None):
        record, data = self.get_object(), self.validated_payload(s.DateSerializer)
        return self.respond(self.perform_service(floating.floating_return, record=record, actor=request.user, **data))
