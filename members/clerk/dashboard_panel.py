"""The 三会一课 落实情况 table on ``/dashboard/`` (a ``registry.DashboardPanel``): the behind list
of ``members.clerk.behind`` for the dashboard's node and period, with drill-down to the child
nodes' dashboards, the branch's meeting list and the full admin page."""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from core.statistics.cache import block_version, cached_payload
from members import compliance
from members.clerk.behind import behind_list

# The dashboard shows the branches furthest behind; the whole list (every branch of a district can
# be 1,500 rows) is the admin page the panel links to, with filters and the Excel export.
PANEL_ROWS = 20


def window_for(start: datetime.date, end: datetime.date) -> tuple[compliance.Window, str]:
    """The compliance window the dashboard's period names: exactly a month or a quarter, else
    the year of its end. Returns the window and its ``period`` parameter (``""`` for a year)."""
    if start.day == 1 and start.year == end.year:
        month = compliance.month_window(start.year, start.month)
        if end == month.end - datetime.timedelta(days=1):
            return month, f"{start.year}-{start.month:02d}"
        if start.month % 3 == 1:
            quarter = compliance.quarter_window(start.year, (start.month + 2) // 3)
            if end == quarter.end - datetime.timedelta(days=1):
                return quarter, f"Q{(start.month + 2) // 3}"
    return compliance.year_window(end.year), ""


def _shortcuts(today: datetime.date, node_id: int) -> list[dict]:
    month = compliance.month_window(today.year, today.month)
    quarter = compliance.quarter_window(today.year, (today.month + 2) // 3)
    year = compliance.year_window(today.year)
    out = []
    for key, window in (("month", month), ("quarter", quarter), ("year", year)):
        query = urlencode(
            {
                "org": node_id,
                "from": window.start.isoformat(),
                "to": (window.end - datetime.timedelta(days=1)).isoformat(),
            }
        )
        out.append({"key": key, "label": window.label, "query": query})
    return out


def render_panel(request, node, period) -> str:
    """HTML of the table (only branches behind), or ``""`` for a user who may not view meetings."""
    if not request.user.has_perm("members.view_meeting"):
        return ""
    window, period_param = window_for(period.start, period.end)
    today = timezone.localdate()
    as_of = min(today, window.end - datetime.timedelta(days=1))

    def furthest_behind():
        rows = behind_list(node, window, today=as_of)
        return rows[:PANEL_ROWS], len(rows)

    # Only the rows shown are kept (per node, window and version of the compliance figures), not
    # the whole list.
    version = block_version("compliance")
    rows, total = cached_payload("behind-panel", node.pk, window, furthest_behind, as_of.isoformat(), version=version)
    admin_query = urlencode({"org": node.pk, "year": window.start.year, "period": period_param})
    return render_to_string(
        "dashboard/behind_panel.html",
        {
            "node": node,
            "window": window,
            "rows": rows,
            "total": total,
            "shown": len(rows),
            "kinds": [k.label for k in rows[0].branch.kinds] if rows else [],
            "dates": urlencode({"from": period.start.isoformat(), "to": period.end.isoformat()}),
            "admin_url": f"{reverse('admin:members_meeting_behind')}?{admin_query}",
            "meetings_url": reverse("admin:members_meeting_changelist"),
            "shortcuts": _shortcuts(today, node.pk),
        },
        request=request,
    )
