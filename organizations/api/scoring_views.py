"""Scores (with rank) and reminders (done / dismiss). The points ledger is the members app's
(``members/api/points_views.py``)."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework.decorators import action
from rest_framework.response import Response

from organizations.api.base import ScopedFilterSet, ScopedReadOnlyViewSet
from organizations.api.scoring_serializers import (
    BranchScoreSerializer,
    EmptySerializer,
    ReminderSerializer,
)
from organizations.models import BranchScore, Reminder, ReminderStatus
from organizations.reminders import reminder_close
from organizations.scoring import ranked_scores


class BranchScoreFilterSet(ScopedFilterSet):
    """``org`` subtree, ``period`` (2026-Q3), ``branch_id``, ``stars``. Ranks are within the
    rows the filters keep: ``?org=12&period=2026-Q3`` ranks the branches under node 12."""

    period = filters.CharFilter(field_name="period", label=_("period"))
    branch_id = filters.NumberFilter(field_name="branch_id", label=_("branch"))
    stars = filters.NumberFilter(field_name="stars", label=_("star level"))

    class Meta:
        model = BranchScore
        fields = ("org", "period", "branch_id", "stars")


class BranchScoreViewSet(ScopedReadOnlyViewSet):
    """Branch scores per period with the breakdown per criterion and the rank."""

    queryset = BranchScore.objects.select_related("branch", "rubric")
    serializer_class = BranchScoreSerializer
    filterset_class = BranchScoreFilterSet
    ordering_fields = ("total", "period", "branch_id")
    ordering = ("period", "-total", "branch_id")

    def filter_queryset(self, queryset):
        # The window runs after WHERE, so the rank is within the filtered subtree and period.
        return ranked_scores(super().filter_queryset(queryset))


class ReminderFilterSet(ScopedFilterSet):
    status = filters.MultipleChoiceFilter(distinct=False, choices=ReminderStatus.choices, label=_("status"))
    reason = filters.CharFilter(method="filter_reason", label=_("reason"))
    due_before = filters.DateFilter(field_name="due_on", lookup_expr="lte", label=_("due on or before"))

    class Meta:
        model = Reminder
        fields = ("org", "status", "reason", "due_before")

    def filter_reason(self, queryset, name, value):
        return queryset.filter(Q(reason=value) | Q(reason__startswith=f"{value}:"))


class ReminderViewSet(ScopedReadOnlyViewSet):
    """Reminders addressed anywhere in the user's scope; ``done`` / ``dismiss`` close one."""

    queryset = Reminder.objects.select_related("organization", "subject_type")
    serializer_class = ReminderSerializer
    filterset_class = ReminderFilterSet
    ordering_fields = ("due_on", "opened_on")
    ordering = ("status", "due_on", "id")

    def _close(self, request, status):
        reminder = self.get_object()  # outside the scope → 404
        EmptySerializer(data=request.data or {}).is_valid(raise_exception=True)
        reminder = self.perform_service(
            reminder_close, reminder=reminder, status=status, user=request.user, today=timezone.localdate()
        )
        return Response(ReminderSerializer(reminder, context={"request": request}).data)

    @action(detail=True, methods=["post"], serializer_class=EmptySerializer)
    def done(self, request, pk=None):
        """Mark the reminder done (a role that may change reminders, in its scope)."""
        return self._close(request, ReminderStatus.DONE)

    @action(detail=True, methods=["post"], serializer_class=EmptySerializer)
    def dismiss(self, request, pk=None):
        """Dismiss the reminder; it is not reopened for the same due date."""
        return self._close(request, ReminderStatus.DISMISSED)
