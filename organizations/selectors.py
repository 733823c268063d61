"""Reads of the organization tree. MPTT stays behind these functions."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from organizations.models import Organization
from organizations.registry import CUMULATIVE_COUNTS


def subtree_of(node: Organization) -> QuerySet[Organization]:
    """``node`` and all its descendants."""
    return Organization.objects.filter(tree_id=node.tree_id, lft__gte=node.lft, rght__lte=node.rght)


def cumulative_count_subquery(model, path: str, **filters) -> Subquery:
    """A correlated subquery counting ``model`` rows whose ``path`` organization lies in the
    outer organization's subtree (nested-set range on the outer row's tree_id/lft/rght)."""
    prefix = f"{path}__" if path else ""
    inner = (
        model._default_manager.filter(
            **{
                f"{prefix}tree_id": OuterRef("tree_id"),
                f"{prefix}lft__gte": OuterRef("lft"),
                f"{prefix}lft__lte": OuterRef("rght"),
            },
            **filters,
        )
        .order_by()
        .values(f"{prefix}tree_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(inner, output_field=IntegerField()), Value(0))


def with_cumulative_counts(queryset: QuerySet[Organization], attrs: list[str] | None = None):
    """Annotate each organization with the registered subtree counts (compounds, members, ...)
    in the same single query, whatever the number of nodes."""
    for attr, spec in CUMULATIVE_COUNTS.items():
        if attrs is not None and attr not in attrs:
            continue
        model = apps.get_model(spec.model)
        queryset = queryset.annotate(**{attr: cumulative_count_subquery(model, spec.path, **spec.filters)})
    return queryset


def organization_path(node: Organization) -> list[Organization]:
    """Ancestors from the root down to ``node`` (one query)."""
    return list(node.get_ancestors(include_self=True))
