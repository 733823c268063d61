"""Elections (换届) and appraisals (民主评议党员) API, scoped by the organization; every write is
a service call through ``perform_service`` (a rule broken is a 400 naming the field)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action

from members.appraisal import services as appraisal_services
from members.elections import services as election_services
from members.elections.api import serializers as s
from members.models import AppraisalSession, Election
from organizations.api.base import ScopedReadOnlyViewSet


class ElectionViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """换届选举 of the branches: list/detail with the candidates; ``POST`` records an election
    (candidates with votes and the elected posts) through ``election_record``."""

    queryset = Election.objects.select_related("organization").prefetch_related("candidates__member")
    serializer_class = s.ElectionCreateSerializer
    read_serializer_class = s.ElectionSerializer
    ordering_fields = ("held_on", "id")
    ordering = ("-held_on", "-id")

    @extend_schema(request=s.ElectionCreateSerializer, responses=s.ElectionSerializer)
    def create(self, request, *args, **kwargs):
        data = self.validated_payload(s.ElectionCreateSerializer)
        candidates = [election_services.CandidateInput(**c) for c in data.pop("candidates")]
        election = self.perform_service(election_services.election_record, candidates=candidates, **data)
        return self.respond(election, status.HTTP_201_CREATED)


class AppraisalViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """民主评议党员 sessions: list/detail with the results; ``POST`` opens a year's session;
    ``result`` records (or changes) a member's grade through ``appraisal_result_set``."""

    queryset = AppraisalSession.objects.select_related("organization").prefetch_related("results__member")
    serializer_class = s.AppraisalCreateSerializer
    read_serializer_class = s.AppraisalSessionSerializer
    ordering_fields = ("year", "id")
    ordering = ("-year", "-id")

    @extend_schema(request=s.AppraisalCreateSerializer, responses=s.AppraisalSessionSerializer)
    def create(self, request, *args, **kwargs):
        data = self.validated_payload(s.AppraisalCreateSerializer)
        session = self.perform_service(appraisal_services.appraisal_session_create, **data)
        return self.respond(session, status.HTTP_201_CREATED)

    @extend_schema(request=s.AppraisalResultInputSerializer, responses=s.AppraisalSessionSerializer)
    @action(detail=True, methods=["post"], serializer_class=s.AppraisalResultInputSerializer)
    def result(self, request, pk=None):
        session, data = self.get_object(), self.validated_payload(s.AppraisalResultInputSerializer)
        self.perform_service(appraisal_services.appraisal_result_set, session=session, **data)
        return self.respond(AppraisalSession.objects.prefetch_related("results__member").get(pk=session.pk))
