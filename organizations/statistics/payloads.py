"""Payloads shared by the statistics API and the dashboard: overview, breakdown per child, trend."""

from __future__ import annotations

from core.periods import Period
from core.statistics.cache import cached_payload
from core.statistics.framework import TRENDS, block_of_metric, compute_figures, ordered_blocks
from organizations.models import Organization
from organizations.selectors import TREE_ORDER


def direct_children(node: Organization) -> list[Organization]:
    """Active direct children of ``node`` in tree order (one query)."""
    return list(Organization.objects.filter(parent=node, dissolved_on__isnull=True).order_by(*TREE_ORDER))


def brief(node: Organization) -> dict:
    return {"id": node.pk, "name": node.name, "kind": node.kind}


def overview(node: Organization, period: Period) -> dict:
    """Every figure of every block for ``node``'s subtree, with labels (one query per part;
    none while the cached copy for this node, period and data version holds)."""
    return cached_payload("overview", node.pk, period, lambda: _overview(node, period))


def _overview(node: Organization, period: Period) -> dict:
    values = compute_figures([node], period)[node.pk]
    blocks = [
        {
            "name": block.name,
            "label": str(block.label),
            "figures": [
                {"name": f.name, "label": str(f.label), "kind": f.kind, "value": values.get(f.name)}
                for f in block.figures
            ],
        }
        for block in ordered_blocks()
    ]
    return {
        "organization": brief(node),
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "figures": values,
        "blocks": blocks,
    }


def breakdown(node: Organization, metric: str, period: Period) -> dict:
    """The figures of ``metric`` (a block or one figure) for ``node`` and each direct child
    (cached like ``overview``)."""
    if block_of_metric(metric) is None:
        raise KeyError(metric)
    return cached_payload("breakdown", node.pk, period, lambda: _breakdown(node, metric, period), metric)


def _breakdown(node: Organization, metric: str, period: Period) -> dict:
    found = block_of_metric(metric)
    if found is None:
        raise KeyError(metric)
    block, names = found
    children = direct_children(node)
    values = compute_figures([node, *children], period, [block], names)
    figures = {f.name: f for f in block.figures}
    return {
        "organization": brief(node),
        "metric": metric,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "figures": [{"name": n, "label": str(figures[n].label), "kind": figures[n].kind} for n in names],
        "total": {n: values[node.pk].get(n) for n in names},
        "rows": [
            {"organization": brief(child), "values": {n: values[child.pk].get(n) for n in names}} for child in children
        ],
    }


def trend(node: Organization, metric: str, period: Period) -> dict:
    """Monthly series of a trend metric for ``node``'s subtree (one query; cached like ``overview``)."""
    if metric not in TRENDS:
        raise KeyError(metric)
    return cached_payload("trend", node.pk, period, lambda: _trend(node, metric, period), metric)


def _trend(node: Organization, metric: str, period: Period) -> dict:
    spec = TRENDS[metric]
    series = spec.series(node, period)
    return {
        "organization": brief(node),
        "metric": metric,
        "label": str(spec.label),
        "interval": "month",
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "points": [{"period": month, "value": series.get(month, 0)} for month in period.month_labels()],
    }
