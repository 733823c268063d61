"""The staff dashboard (``/dashboard/``): key figures and charts for the user's scope, with
drill-down to the children. The numbers come from the same functions as ``/api/v1/stats/``
(``organizations.statistics.overview`` / ``breakdown`` / ``trend``), so both always agree."""

from __future__ import annotations

import datetime

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.registry import dashboard_features
from core.registry import dashboard_panels as registry_panels
from organizations import statistics
from organizations.scope import scope_node_for, user_sees_everything
from organizations.statistics.api import resolve_node


class BadPeriod(ValueError):
    """``from`` / ``to`` name no real day."""


def _period(request) -> statistics.Period:
    today = timezone.localdate()
    try:
        end = parse_date(request.GET.get("to") or "") or today
        start = parse_date(request.GET.get("from") or "") or end.replace(month=1, day=1)
    except ValueError:  # well formed but no such day (2026-13-01): the user's input, a 400
        raise BadPeriod(_("Enter the dates as YYYY-MM-DD, such as 2026-01-31.")) from None
    if start > end or start < datetime.date(1900, 1, 1) or end > datetime.date(2100, 12, 31):
        start, end = today.replace(month=1, day=1), today
    return statistics.Period(start, end)


def _format(figure: statistics.Figure | None, value) -> str:
    if value is None:
        return "—"
    if figure is not None and figure.kind == "rate":
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def dashboard_cards(overview: dict, figures: dict) -> list[dict]:
    """The key figures each app features as cards (``feature_on_dashboard("cards", ...)``)."""
    return [
        {
            "name": name,
            "label": str(figures[name].label),
            "value": overview["figures"].get(name),
            "text": _format(figures[name], overview["figures"].get(name)),
        }
        for name in dashboard_features("cards")
        if name in figures
    ]


def dashboard_panels(request, node, period) -> list[str]:
    """The tables higher apps add below the figures (``registry.register_dashboard_panel``)."""
    return [mark_safe(html) for panel in registry_panels() if (html := panel.render(request, node, period))]


def child_rows(node, period) -> list[dict]:
    """One row per child of ``node``: the figures of every featured breakdown."""
    children = {}
    for metric in dashboard_features("breakdowns"):
        if statistics.block_of_metric(metric) is not None:
            data = statistics.breakdown(node, metric, period)
            for row in data["rows"]:
                entry = children.setdefault(row["organization"]["id"], {"organization": row["organization"]})
                entry.update(row["values"])
    return list(children.values())


def table_headers(figures: dict) -> list[str]:
    return [str(figures[name].label) for name in dashboard_features("columns") if name in figures]


def child_table(rows: list[dict], figures: dict) -> list[dict]:
    """The children table: the figures each app features as columns (``feature_on_dashboard``)."""
    return [
        {
            "organization": row["organization"],
            "cells": [
                {"name": name, "value": row.get(name), "text": _format(figures.get(name), row.get(name))}
                for name in dashboard_features("columns")
                if name in figures
            ],
        }
        for row in rows
    ]


def node_and_period(request):
    """``(node, period, None)`` of a dashboard request, or ``(None, None, response)`` when it must
    be answered otherwise (login, a 400 for impossible dates); ``?org=`` outside the scope is 404."""
    if not request.user.is_authenticated:
        return None, None, redirect_to_login(request.get_full_path(), reverse("admin:login"))
    org = request.GET.get("org")
    if org is not None and not org.isdigit():
        raise Http404
    node = resolve_node(request.user, int(org) if org else None)
    try:
        return node, _period(request), None
    except BadPeriod as exc:
        return None, None, HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")


def dashboard(request):
    """Key figures and charts of one node (default: the user's scope node; ``?org=`` drills down
    inside the scope, anything else is 404)."""
    node, period, refusal = node_and_period(request)
    if refusal is not None:
        return refusal
    overview = statistics.overview(node, period)
    figures = statistics.all_figures()
    cards = dashboard_cards(overview, figures)
    rows = child_rows(node, period)
    trends = [
        statistics.trend(node, name, period) for name in dashboard_features("trends") if name in statistics.TRENDS
    ]
    top = None if user_sees_everything(request.user) else scope_node_for(request.user)
    path = [n for n in node.get_ancestors(include_self=True) if top is None or n.level >= top.level]
    table = child_table(rows, figures)
    chart_data = {
        "labels": {name: str(f.label) for name, f in figures.items()},
        "figures": overview["figures"],
        "children": rows,
        "trends": trends,
        "drill": reverse("dashboard"),
        "query": f"&from={period.start.isoformat()}&to={period.end.isoformat()}",
    }
    return render(
        request,
        "dashboard/index.html",
        {
            "node": node,
            "path": path,
            "period": period,
            "cards": cards,
            "table_headers": table_headers(figures),
            "table": table,
            "chart_data": chart_data,
            "panels": dashboard_panels(request, node, period),
            "title": _("Statistics dashboard"),
        },
    )
