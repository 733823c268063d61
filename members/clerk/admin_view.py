"""The admin page 三会一课落实情况: the behind list of ``members.clerk.behind`` for staff, scoped to
the user's subtree, with the street / community filters, 显示全部, sort by gap and an Excel download."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from core.admin import admin_page
from core.xlsx import xlsx_response
from members import compliance
from members.clerk.behind import behind_list, export_rows
from organizations.models import Organization, OrganizationKind
from organizations.scope import scope_node_for
from organizations.selectors import tree_order

SORTS = ("-gap", "gap", "name")


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


class BehindAdminMixin:
    """Adds ``behind/`` to the meeting admin."""

    def get_urls(self):
        view = self.admin_site.admin_view(self.behind_view)
        return [path("behind/", view, name="members_meeting_behind"), *super().get_urls()]

    def behind_view(self, request):
        """Branches behind on 三会一课 under an organization of the user's scope (all with 显示全部)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        params = request.GET
        organizations = (
            Organization.objects.for_user(request.user)
            .exclude(kind__in=(OrganizationKind.BRANCH, OrganizationKind.GROUP))
            .order_by(*tree_order())
        )
        node = organizations.filter(pk=_int(params.get("org")) or 0).first() if params.get("org") else None
        if params.get("org") and node is None:
            raise Http404
        node = node or scope_node_for(request.user) or organizations.first()
        year = params.get("year") or timezone.localdate().year
        error = None
        try:
            window = compliance.parse_window(year, params.get("period"))
        except DjangoValidationError as exc:
            error = "; ".join(exc.messages)
            window = compliance.parse_window(timezone.localdate().year)
        sort = params.get("sort") if params.get("sort") in SORTS else "-gap"
        rows = (
            behind_list(
                node,
                window,
                today=timezone.localdate(),
                street=_int(params.get("street")),
                community=_int(params.get("community")),
                show_all=params.get("all") == "1",
                sort=sort,
            )
            if node
            else []
        )
        if params.get("export") == "xlsx" and not error:
            headers, table = export_rows(rows)
            return xlsx_response(f"三会一课落实情况-{window.label}", window.label, headers, table)
        return admin_page(
            self,
            request,
            "admin/members/meeting/behind.html",
            title=_("Three meetings and one lesson: implementation"),
            organizations=organizations,
            streets=[o for o in organizations if o.kind == OrganizationKind.STREET],
            communities=[o for o in organizations if o.kind == OrganizationKind.COMMUNITY],
            node=node,
            rows=rows,
            kinds=[k.label for k in rows[0].branch.kinds] if rows else [],
            window=window,
            error=error,
            params=params,
            query=params.urlencode(),
        )
