"""大屏: the dashboard's key figures and children table for a street's command centre —
full screen, dark, large numbers, refreshing its figures every minute (``static/dashboard/screen.js``); read-only (no form, no
write), scoped like ``/dashboard/`` (``?org=`` inside the user's scope, else 404)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations import statistics
from organizations.statistics.dashboard import child_rows, child_table, dashboard_cards, node_and_period, table_headers

REFRESH_SECONDS = 60


def bigscreen(request):
    """The big-screen view of one node (default: the user's scope node)."""
    node, period, refusal = node_and_period(request)
    if refusal is not None:
        return refusal
    figures = statistics.all_figures()
    overview = statistics.overview(node, period)
    return render(
        request,
        "dashboard/screen.html",
        {
            "node": node,
            "period": period,
            "cards": dashboard_cards(overview, figures),
            "table_headers": table_headers(figures),
            "table": child_table(child_rows(node, period), figures),
            "refresh": REFRESH_SECONDS,
            "updated": timezone.localtime(),
            "title": _("Big screen"),
        },
    )
