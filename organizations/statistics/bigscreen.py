"""大屏: the dashboard's key figures and children table for a street's command centre —
full screen, dark, large numbers, reloading itself every minute; read-only (no form, no
write), scoped like ``/dashboard/`` (``?org=`` inside the user's scope, else 404)."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations import statistics
from organizations.statistics.api import resolve_node
from organizations.statistics.dashboard import (
    BadPeriod,
    _period,
    child_rows,
    child_table,
    dashboard_cards,
    table_headers,
)

REFRESH_SECONDS = 60


def bigscreen(request):
    """The big-screen view of one node (default: the user's scope node)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    org = request.GET.get("org")
    if org is not None and not org.isdigit():
        raise Http404
    node = resolve_node(request.user, int(org) if org else None)
    try:
        period = _period(request)
    except BadPeriod as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
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
