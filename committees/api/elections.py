"""Body elections (业委会 and the others' 换届) in the API: ``/committee-elections/`` lists them
(scoped by the compound's community and branch, with the candidates), ``POST`` records one through
``committees.elections.committee_election_record`` (a rule broken is a 400 naming the field)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status

from committees.api.serializers import BriefCompoundSerializer
from committees.elections import BodyCandidate, committee_election_record
from committees.models import CommitteeElection, CommitteeElectionCandidate, CommitteeKind, SeatRole
from members.models import ElectionMethod, Member
from organizations.api.base import ScopedFilterSet, ScopedReadOnlyViewSet, StrictSerializerMixin
from organizations.models import Compound


class BodyCandidateReadSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = CommitteeElectionCandidate
        fields = ("id", "name", "member", "votes", "role", "role_display")
        read_only_fields = fields


class CommitteeElectionSerializer(serializers.ModelSerializer):
    compound_brief = BriefCompoundSerializer(source="compound", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    method_display = serializers.CharField(source="get_method_display", read_only=True)
    term_ends_on = serializers.DateField(source="committee.term_ends_on", read_only=True)
    candidates = BodyCandidateReadSerializer(many=True, read_only=True)

    class Meta:
        model = CommitteeElection
        fields = (
            "id",
            "compound",
            "compound_brief",
            "kind",
            "kind_display",
            "term_number",
            "held_on",
            "method",
            "method_display",
            "seats",
            "voters_entitled",
            "voters_present",
            "filed_on",
            "committee",
            "term_ends_on",
            "candidates",
            "created_at",
        )
        read_only_fields = fields


class BodyCandidateInputSerializer(StrictSerializerMixin, serializers.Serializer):
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="", label=_("candidate"))
    member = serializers.PrimaryKeyRelatedField(
        queryset=Member.objects.all(), required=False, allow_null=True, default=None, label=_("party member record")
    )
    votes = serializers.IntegerField(min_value=0, label=_("votes"))
    role = serializers.ChoiceField(choices=SeatRole.choices, required=False, allow_blank=True, default="")


class CommitteeElectionCreateSerializer(StrictSerializerMixin, serializers.Serializer):
    compound = serializers.PrimaryKeyRelatedField(queryset=Compound.objects.all(), label=_("compound"))
    kind = serializers.ChoiceField(choices=CommitteeKind.choices, label=_("kind of body"))
    term_number = serializers.IntegerField(min_value=1, max_value=100, label=_("term number"))
    held_on = serializers.DateField(label=_("election date"))
    method = serializers.ChoiceField(choices=ElectionMethod.choices, label=_("election method"))
    seats = serializers.IntegerField(min_value=1, max_value=100, label=pgettext_lazy("election", "seats"))
    voters_entitled = serializers.IntegerField(min_value=0, max_value=1_000_000, label=_("voters entitled"))
    voters_present = serializers.IntegerField(min_value=0, max_value=1_000_000, label=_("voters present"))
    term_ends_on = serializers.DateField(required=False, allow_null=True, label=_("term end"))
    filed_on = serializers.DateField(required=False, allow_null=True, label=_("filed with the street on"))
    candidates = BodyCandidateInputSerializer(many=True, label=_("candidates"))


class CommitteeElectionFilterSet(ScopedFilterSet):
    compound_id = filters.NumberFilter(field_name="compound_id", label=_("Compound (id)"))
    kind = filters.MultipleChoiceFilter(choices=CommitteeKind.choices, label=_("kind of body"))

    class Meta:
        model = CommitteeElection
        fields = ("org", "compound_id", "kind")


class CommitteeElectionViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Body elections with their candidates; ``POST`` records one (and the new term's body)."""

    queryset = CommitteeElection.objects.select_related("compound", "committee").prefetch_related("candidates")
    serializer_class = CommitteeElectionCreateSerializer
    read_serializer_class = CommitteeElectionSerializer
    filterset_class = CommitteeElectionFilterSet
    ordering_fields = ("held_on", "id")
    ordering = ("-held_on", "-id")

    @extend_schema(request=CommitteeElectionCreateSerializer, responses=CommitteeElectionSerializer)
    def create(self, request, *args, **kwargs):
        data = dict(self.validated_payload(CommitteeElectionCreateSerializer))
        candidates = [BodyCandidate(**c) for c in data.pop("candidates")]
        election = self.perform_service(committee_election_record, candidates=candidates, **data)
        return self.respond(election, status.HTTP_201_CREATED)
