"""The admin page 数据质量: ``quality_report`` for a node of the user's scope (``?org=``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from core.admin import admin_page
from organizations.models import Organization, OrganizationKind
from organizations.quality import quality_report
from organizations.scope import scope_node_for, user_sees_everything
from organizations.selectors import first_root, tree_order


def report_node(user, org: str | None) -> Organization | None:
    """``org`` when it is a node of the user's scope (else 404); by default the scope node."""
    if org:
        node = Organization.objects.for_user(user).filter(pk=org).first() if org.isdigit() else None
        if node is None:
            raise Http404
        return node
    return first_root() if user_sees_everything(user) else scope_node_for(user)


class DataQualityAdminMixin:
    """Adds ``data-quality/`` to the organization admin."""

    def get_urls(self):
        view = self.admin_site.admin_view(self.data_quality_view)
        return [path("data-quality/", view, name="organizations_data_quality"), *super().get_urls()]

    def data_quality_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        node = report_node(request.user, request.GET.get("org"))
        report = quality_report(request.user, node, today=timezone.localdate()) if node else None
        choices = (
            Organization.objects.for_user(request.user)
            .exclude(kind=OrganizationKind.GROUP)
            .order_by(*tree_order())
            .only("name", "level")[:500]
        )
        return admin_page(
            self,
            request,
            "admin/organizations/data_quality.html",
            title=_("Data quality"),
            node=node,
            choices=choices,
            report=report,
        )
