"""``/api/v1/stats/``: overview, breakdown per direct child and monthly trend for any subtree
the caller may see. Figures come from ``organizations.statistics`` (the registry every app
fills); each figure's definition is in the OpenAPI schema (built from the registry when the
schema is generated, so blocks registered by other apps are documented too)."""

from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.etags import ConditionalGetMixin
from core.api.renderers import XlsxExportMixin
from core.auth.throttling import StatsRateThrottle
from organizations import statistics
from organizations.models import Organization
from organizations.scope import scope_node_for, user_sees_everything
from organizations.selectors import first_root

MIN_DATE = datetime.date(1900, 1, 1)
MAX_DATE = datetime.date(2100, 12, 31)
MAX_TREND_MONTHS = 120


class StatsQuerySerializer(serializers.Serializer):
    org = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="Organization id (default: your scope node)."
    )

    def validate(self, attrs):
        start, end = attrs.get("from"), attrs.get("to")
        today = timezone.localdate()
        end = end or today
        start = start or end.replace(month=1, day=1)
        if start > end:
            raise serializers.ValidationError({"from": [_("The start date is after the end date.")]})
        attrs["period"] = statistics.Period(start, end)
        return attrs


# ``from`` is a Python keyword, so the date fields are declared after the class.
StatsQuerySerializer._declared_fields["from"] = serializers.DateField(
    required=False,
    validators=[MinValueValidator(MIN_DATE), MaxValueValidator(MAX_DATE)],
    help_text="First day of the period (default: 1 January of the end date's year).",
)
StatsQuerySerializer._declared_fields["to"] = serializers.DateField(
    required=False,
    validators=[MinValueValidator(MIN_DATE), MaxValueValidator(MAX_DATE)],
    help_text="Last day of the period (default: today).",
)


class BreakdownQuerySerializer(StatsQuerySerializer):
    metric = serializers.CharField(help_text="A block name (all its figures) or one figure name.")

    def validate_metric(self, value):
        if statistics.block_of_metric(value) is None:
            raise serializers.ValidationError(_("Unknown metric."))
        return value


class TrendQuerySerializer(StatsQuerySerializer):
    metric = serializers.CharField(help_text="A figure that has a trend (see the description).")
    interval = serializers.ChoiceField(choices=["month"], default="month")

    def validate_metric(self, value):
        if value not in statistics.TRENDS:
            raise serializers.ValidationError(_("Unknown metric, or it has no trend."))
        return value

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if len(attrs["period"].month_labels()) > MAX_TREND_MONTHS:
            raise serializers.ValidationError({"from": [_("A trend covers at most 120 months.")]})
        return attrs


def resolve_node(user, org_id: int | None) -> Organization:
    """The organization the request is about: ``org`` when inside the caller's scope (else 404),
    otherwise the caller's scope node (a superuser gets the first root)."""
    if org_id is not None:
        node = Organization.objects.for_user(user).filter(pk=org_id).first()
    elif user_sees_everything(user):
        node = first_root()
    else:
        node = scope_node_for(user)
    if node is None:
        raise Http404
    return node


# --- schema: figures and their definitions, read from the registry at schema time --------------


def _value_schema(figure) -> dict:
    kind = {"count": "integer", "rate": "number", "average": "number", "amount": "number"}.get(figure.kind, "number")
    schema = {"type": kind, "nullable": figure.kind != "count", "title": str(figure.label)}
    schema["description"] = str(figure.definition)
    return schema


def _figures_schema(names=None) -> dict:
    figures = statistics.all_figures()
    return {
        "type": "object",
        "description": "Figure name → value.",
        "properties": {n: _value_schema(f) for n, f in figures.items() if names is None or n in names},
    }


def _brief_schema() -> dict:
    return {
        "type": "object",
        "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "kind": {"type": "string"}},
        "required": ["id", "name", "kind"],
    }


def _figure_list_schema(with_value: bool) -> dict:
    props = {"name": {"type": "string"}, "label": {"type": "string"}, "kind": {"type": "string"}}
    if with_value:
        props["value"] = {"type": "number", "nullable": True}
    return {"type": "array", "items": {"type": "object", "properties": props}}


def _definitions_markdown() -> str:
    lines = ["", "Figures (name — label — definition):", ""]
    for block in statistics.ordered_blocks():
        lines.append(f"**{block.name}** ({block.label})")
        lines.append("")
        for f in block.figures:
            lines.append(f"- `{f.name}` — {f.label} — {f.definition}")
        lines.append("")
    lines.append("Figures with a monthly trend:")
    lines.append("")
    for name, t in statistics.TRENDS.items():
        lines.append(f"- `{name}` — {t.label} — {t.definition}")
    return "\n".join(lines)


ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
    "required": ["detail"],
}


class StatsSchema(AutoSchema):
    """Responses and descriptions built from the registry when the schema is generated."""

    def get_description(self):
        return (super().get_description() or "") + "\n" + _definitions_markdown()

    def get_response_serializers(self):
        body = self._success_schema()
        if body is None:
            return super().get_response_serializers()
        return {200: body, **dict.fromkeys((400, 401, 403, 404, 429), ERROR_SCHEMA)}

    def _success_schema(self):
        view = self.view
        period = {"from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"}}
        if isinstance(view, StatsOverviewView):
            block = {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "label": {"type": "string"},
                    "figures": _figure_list_schema(True),
                },
            }
            return {
                "type": "object",
                "properties": {
                    "organization": _brief_schema(),
                    **period,
                    "figures": _figures_schema(),
                    "blocks": {"type": "array", "items": block},
                },
                "required": ["organization", "from", "to", "figures", "blocks"],
            }
        if isinstance(view, StatsBreakdownView):
            row = {"type": "object", "properties": {"organization": _brief_schema(), "values": _figures_schema()}}
            return {
                "type": "object",
                "properties": {
                    "organization": _brief_schema(),
                    "metric": {"type": "string"},
                    **period,
                    "figures": _figure_list_schema(False),
                    "total": _figures_schema(),
                    "rows": {"type": "array", "items": row},
                },
                "required": ["organization", "metric", "figures", "total", "rows"],
            }
        if isinstance(view, StatsTrendView):
            point = {
                "type": "object",
                "properties": {"period": {"type": "string", "example": "2026-01"}, "value": {"type": "number"}},
            }
            return {
                "type": "object",
                "properties": {
                    "organization": _brief_schema(),
                    "metric": {"type": "string"},
                    "label": {"type": "string"},
                    "interval": {"type": "string", "enum": ["month"]},
                    **period,
                    "points": {"type": "array", "items": point},
                },
                "required": ["organization", "metric", "interval", "points"],
            }
        return None


class _StatsView(ConditionalGetMixin, XlsxExportMixin, APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [StatsRateThrottle]
    schema = StatsSchema()
    query_serializer = StatsQuerySerializer

    def params(self, request):
        payload = self.query_serializer(data=request.query_params)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        return resolve_node(request.user, data.get("org")), data


class StatsOverviewView(_StatsView):
    """Every figure for the subtree of ``org`` over the period ``from``..``to``.

    Outside your scope ``org`` is 404; counts never include anything outside your scope."""

    @extend_schema(parameters=[StatsQuerySerializer], tags=["stats"], operation_id="stats_overview")
    def get(self, request):
        node, data = self.params(request)
        return Response(statistics.overview(node, data["period"]))


class StatsBreakdownView(_StatsView):
    """The figures of ``metric`` (a block name or one figure) for ``org`` (``total``) and for each
    of its direct children (``rows``), e.g. per street of a district."""

    query_serializer = BreakdownQuerySerializer

    @extend_schema(parameters=[BreakdownQuerySerializer], tags=["stats"], operation_id="stats_breakdown")
    def get(self, request):
        node, data = self.params(request)
        return Response(statistics.breakdown(node, data["metric"], data["period"]))


class StatsTrendView(_StatsView):
    """A monthly time series of ``metric`` for the subtree of ``org`` over the period (at most
    120 months; months with nothing are 0)."""

    query_serializer = TrendQuerySerializer

    @extend_schema(
        parameters=[
            TrendQuerySerializer,
            OpenApiParameter("metric", str, enum=None, description="See the list of trend figures below."),
        ],
        tags=["stats"],
        operation_id="stats_trend",
    )
    def get(self, request):
        node, data = self.params(request)
        return Response(statistics.trend(node, data["metric"], data["period"]))
