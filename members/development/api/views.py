"""API of the development pipeline: ``/api/v1/candidates/`` scoped like members (the receiving
branch), ``?stage=`` filter, and ``/candidates/<id>/steps/`` (GET the log, POST the next step).
Writes call ``members.development.services``."""

from __future__ import annotations

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from members.development import services
from members.development.api.serializers import CandidateSerializer, CandidateStepSerializer
from members.development.models import Candidate, CandidateStep, Stage
from organizations.api.base import ScopedFilterSet, ScopedModelViewSet


class CandidateFilterSet(ScopedFilterSet):
    stage = filters.ChoiceFilter(choices=Stage.choices)
    branch_id = filters.NumberFilter()
    due_before = filters.DateFilter(field_name="next_due_on", lookup_expr="lte")
    q = filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Candidate
        fields = ("stage", "branch_id")


class CandidateViewSet(ScopedModelViewSet):
    """Candidates for party membership (申请人 → 正式党员) with their stage, next step and due date."""

    queryset = Candidate.objects.select_related("branch")
    serializer_class = CandidateSerializer
    filterset_class = CandidateFilterSet
    ordering_fields = ("applied_on", "next_due_on", "name", "id")
    ordering = ("branch_id", "applied_on", "id")
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = self.perform_service(
            services.candidate_create, actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=CandidateStepSerializer, responses=CandidateStepSerializer(many=True))
    @action(detail=True, methods=["get", "post"], serializer_class=CandidateStepSerializer, pagination_class=None)
    def steps(self, request, pk=None):
        """The dated step log (GET); record the next step (POST)."""
        candidate = self.get_object()
        if request.method == "POST":
            payload = CandidateStepSerializer(data=request.data, context=self.get_serializer_context())
            payload.is_valid(raise_exception=True)
            entry = self.perform_service(
                services.step_record, candidate=candidate, actor=request.user, **payload.validated_data
            )
            return Response(CandidateStepSerializer(entry, context={"request": request}).data, status.HTTP_201_CREATED)
        rows = CandidateStep.objects.filter(candidate=candidate).prefetch_related("people")
        return Response(CandidateStepSerializer(rows, many=True, context={"request": request}).data)
