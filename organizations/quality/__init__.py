"""数据质量: the records of a subtree a clerk should complete or fix, and the 完整率 per branch.

Each check is contributed by the app that owns the data (``registry.register_quality_check`` in its
``contributions.py``); this module only scopes, counts and links. The count of a check and the
admin list its link opens use the same ``rows`` function (``QualityFilter``), so they agree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from core import registry
from organizations.models import Organization, OrganizationKind
from organizations.scope import subtree_filter
from organizations.selectors import in_subtree, tree_order


def _model(check: registry.QualityCheck):
    return apps.get_model(check.model)


def offending(check: registry.QualityCheck, user, node: Organization, today: datetime.date):
    """The rows of ``check`` the user may see under ``node`` (a lazy queryset)."""
    model = _model(check)
    queryset = model._default_manager.all().for_user(user).filter(subtree_filter(model, node))
    return check.rows(queryset, today)


def may_view(user, check: registry.QualityCheck) -> bool:
    meta = _model(check)._meta
    return user.has_perm(f"{meta.app_label}.view_{meta.model_name}")


def admin_link(check: registry.QualityCheck, node: Organization) -> str:
    """The admin list of the check's model filtered to its rows under ``node``."""
    meta = _model(check)._meta
    try:
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode({QualityFilter.parameter_name: f'{check.key}.{node.pk}'})}"


@dataclass
class CheckResult:
    key: str
    label: str
    model: str
    count: int
    url: str

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "count": self.count, "admin_url": self.url}


@dataclass
class BranchRate:
    id: int
    name: str
    code: str
    complete: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.complete / self.total if self.total else None

    def as_dict(self) -> dict:
        return {
            "branch": {"id": self.id, "name": self.name, "code": self.code},
            "complete": self.complete,
            "total": self.total,
            "rate": None if self.rate is None else round(self.rate, 4),
        }


def quality_report(user, node: Organization, *, today: datetime.date) -> dict:
    """Every check the user may view (count and admin link) and the 完整率 of every branch under
    ``node``: one count query per check and one per rate, whatever the size of the subtree."""
    checks = [
        CheckResult(c.key, str(c.label), c.model, offending(c, user, node, today).count(), admin_link(c, node))
        for c in registry.quality_checks()
        if may_view(user, c)
    ]
    branches = list(
        Organization.objects.for_user(user)
        .filter(in_subtree("", node), kind=OrganizationKind.BRANCH, dissolved_on__isnull=True)
        .order_by(*tree_order())
        .values_list("id", "name", "code")
    )
    rates = []
    for rate in registry.QUALITY_RATES:
        figures = rate.rates([b[0] for b in branches], today)
        rows = [BranchRate(pk, name, code, *figures.get(pk, (0, 0))) for pk, name, code in branches]
        rates.append({"label": str(rate.label), "definition": str(rate.definition), "branches": rows})
    return {"checks": checks, "rates": rates}


class QualityFilter(admin.SimpleListFilter):
    """``?dq=<check key>.<node id>``: the admin list narrowed to a 数据质量 check's rows under a
    node of the user's scope (an id outside it, or an unknown check, lists nothing)."""

    title = gettext_lazy("data quality")
    parameter_name = "dq"

    def lookups(self, request, model_admin):
        value = self.value() or ""
        key = value.rpartition(".")[0]
        check = registry.QUALITY_CHECKS.get(key)
        return [(value, check.label)] if check is not None else []

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        key, _dot, node_id = self.value().rpartition(".")
        check = registry.QUALITY_CHECKS.get(key)
        node = Organization.objects.for_user(request.user).filter(pk=node_id).first() if node_id.isdigit() else None
        if check is None or node is None or check.model.lower() != queryset.model._meta.label_lower:
            return queryset.none()
        return check.rows(queryset.filter(subtree_filter(queryset.model, node)), timezone.localdate())
