"""Elections (换届) and appraisals (民主评议党员) API, scoped by the organization; every write is
a service call through ``perform_service`` (a rule broken is a 400 naming the field)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from members.appraisal import services as appraisal_services
from members.elections import services as election_services
from members.elections.api import serializers as s
from members.models import AppraisalSession, Election
from organizations.api.base import ScopedReadOnlyViewSet


class _Writes:
    def _payload(self, serializer_class):
        payload = serializer_class(data=self.request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        return payload.validated_data

    def get_serializer_class(self):
        if self.action in ("list", "retrieve"):
            return self.read_serializer_class
        return super().get_serializer_class()

    def _done(self, obj, code=status.HTTP_200_OK):
        return Response(self.read_serializer_class(obj, context=self.get_serializer_context()).data, status=code)


class ElectionViewSet(_Writes, mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """换届选举 of the branches: list/detail with the candidates; ``POST`` records an election
    (candidates with votes and the elected posts) through ``election_record``."""

    queryset = Election.objects.select_related("organization").prefetch_related("candidates__member")
    serializer_class = s.ElectionCreateSerializer
    read_serializer_class = s.ElectionSerializer
    ordering_fields = ("held_on", "id")
    ordering = ("-held_on", "-id")

    @extend_schema(request=s.ElectionCreateSerializer, responses=s.ElectionSerializer)
    def create(self, request, *args, **kwargs):
        data = self._payload(s.ElectionCreateSerializer)
        candidates = [election_services.CandidateInput(**c) for c in data.pop("candidates")]
        election = self.perform_service(election_services.election_record, candidates=candidates, **data)
        return self._done(election, status.HTTP_201_CREATED)


class AppraisalViewSet(_Writes, mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """民主评议党员 sessions: list/detail with the results; ``POST`` opens a year's session;
    ``result`` records (or changes) a member's grade through ``appraisal_result_set``."""

    queryset = AppraisalSession.objects.select_related("organization").prefetch_related("results__member")
    serializer_class = s.AppraisalCreateSerializer
    read_serializer_class = s.AppraisalSessionSerializer
    ordering_fields = ("year", "id")
    ordering = ("-year", "-id")

    @extend_schema(request=s.AppraisalCreateSerializer, responses=s.AppraisalSessionSerializer)
    def create(self, request, *args, **kwargs):
        data = self._payload(s.AppraisalCreateSerializer)
        session = self.perform_service(appraisal_services.appraisal_session_create, **data)
        return self._done(session, status.HTTP_201_CREATED)

    @extend_schema(request=s.AppraisalResultInputSerializer, responses=s.AppraisalSessionSerializer)
    @action(detail=True, methods=["post"], serializer_class=s.AppraisalResultInputSerializer)
    def result(self, request, pk=None):
        session, data = self.get_object(), self._payload(s.AppraisalResultInputSerializer)
        self.perform_service(appraisal_services.appraisal_result_set, session=session, **data)
        return self._done(AppraisalSession.objects.prefetch_related("results__member").get(pk=session.pk))
