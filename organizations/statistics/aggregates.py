"""Set-based aggregation over subtrees of the organization tree (nested sets stay in here).

``subtree_aggregates`` sums additive aggregates of any model's rows per node of the tree, in one
query whatever the number of nodes; ``monthly_counts`` is the monthly series behind the trends.
The block framework is ``core.statistics.framework``; the blocks of this app are in ``blocks``.
"""

from __future__ import annotations

import os
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from django.db.models import BigIntegerField, Count, Expression, F, Q, Subquery
from django.db.models.functions import TruncMonth

from core.periods import Period
from core.statistics.framework import Number
from core.statistics.framework import number as _number
from core.statistics.sql import AnyOf as _AnyOf
from organizations.models import Organization
from organizations.scope import subtree_q

# --- the set-based helper ---------------------------------------------------------------------


def _range_q(prefix: str, nodes: Sequence[Organization]) -> Q:
    """Rows owned inside the bounding range of ``nodes`` per tree (a street's breakdown reads only
    that street's rows, not the whole district's)."""
    bounds: dict[int, tuple[int, int]] = {}
    for node in nodes:
        low, high = bounds.get(node.tree_id, (node.lft, node.rght))
        bounds[node.tree_id] = (min(low, node.lft), max(high, node.rght))
    q = Q(pk__in=[])
    for tree_id, (low, high) in bounds.items():
        q |= Q(**{f"{prefix}tree_id": tree_id, f"{prefix}lft__gte": low, f"{prefix}lft__lte": high})
    return q


# Above this many nodes in a subtree (a district: thousands) a join on the nested-set range lets
# PostgreSQL hash-join (in parallel) instead of probing the foreign-key index once per id.
ARRAY_PROBE_MAX_NODES = int(os.environ.get("STATS_ARRAY_PROBE_MAX_NODES", "2000"))


def subtree_rows_q(path: str, node: Organization):
    """Rows whose ``path`` organization lies in ``node``'s subtree: the organizations themselves
    by their range; rows with a direct foreign key into a small subtree as an id-array probe of
    that key's index; the others (a large subtree, or a path through other tables, where the
    planner estimates the array badly and scans) by a join on the range."""
    if not path or "__" in path or (node.rght - node.lft + 1) // 2 > ARRAY_PROBE_MAX_NODES:
        return subtree_q(path, node)
    ids = (
        Organization.objects.filter(subtree_q("", node))
        .order_by()  # not the model's tree ordering: the array's order does not matter
        .values("pk")
    )
    return _AnyOf(F(f"{path}_id"), Subquery(ids))


def subtree_aggregates(
    nodes: Sequence[Organization],
    model,
    path: str,
    aggregates: dict,
    filter_q: Q | None = None,
) -> dict[int, dict[str, Number]]:
    """``{node_id: {key: total}}`` of additive ``aggregates`` (``Count``, ``Sum``, conditional
    ``Count(filter=...)``) over the ``model`` rows whose ``path`` organization lies in each node's
    subtree. One query whatever the number of nodes:

    * one node: a plain aggregate over the ids of its subtree (``_AnyOf``);
    * up to ``MAX_CASE_NODES`` nodes (a breakdown: parent and children): each row labelled with
      the innermost node containing it by a CASE over the nested-set ranges, grouped by that label;
    * more nodes (e.g. every node of a tree): rows grouped by owning organization (tree_id, lft),
      then per-tree prefix sums so each node's total is two bisections away (as
      ``organizations.selectors`` does for counts).

    Only additive aggregates: rates and averages are derived from the totals afterwards.
    """
    nodes = list(nodes)
    if not nodes:
        return {}
    prefix = f"{path}__" if path else ""
    qs = model._default_manager.all()
    if filter_q is not None:
        qs = qs.filter(filter_q)
    keys = list(aggregates)
    if len(nodes) == 1:
        node = nodes[0]
        row = qs.filter(subtree_rows_q(path, node)).aggregate(**aggregates)
        return {node.pk: {key: _number(row[key]) for key in keys}}
    if len(nodes) <= MAX_CASE_NODES:
        return _aggregates_by_case(nodes, qs, prefix, aggregates)
    return _aggregates_by_owner(nodes, qs, prefix, aggregates)


# Up to this many nodes (a breakdown: the parent and its children) the database labels each row
# with the innermost node containing it (CASE over the nested-set ranges, smallest range first)
# and groups by that label: a handful of groups instead of one per owning organization. A node's
# total is then the sum of the labels of the nodes inside it. Beyond it, owner grouping + prefix
# sums.
MAX_CASE_NODES = 300


class _InnermostNode(Expression):
    """``CASE WHEN lft BETWEEN n.lft AND n.rght THEN n.id ... END`` over ``nodes``, smallest range
    first: the innermost node containing a row's organization.

    Written as one expression rather than ``Case(When(Q(...)))``: the ORM resolves every ``Q`` of
    every ``When`` separately, which cost more than the query itself for a breakdown."""

    output_field = BigIntegerField()

    def __init__(self, tree_id, lft, nodes):
        super().__init__()
        self.tree_id, self.lft = tree_id, lft
        self.nodes = sorted(nodes, key=lambda n: n.rght - n.lft)

    def get_source_expressions(self):
        return [self.tree_id, self.lft]

    def set_source_expressions(self, exprs):
        self.tree_id, self.lft = exprs

    def as_sql(self, compiler, connection):
        tree_sql, tree_params = compiler.compile(self.tree_id)
        lft_sql, lft_params = compiler.compile(self.lft)
        # The rows are already restricted to the nodes' trees (_range_q); one tree needs no test.
        one_tree = len({n.tree_id for n in self.nodes}) == 1
        whens, params = [], []
        for n in self.nodes:
            if one_tree:
                whens.append(f"WHEN {lft_sql} BETWEEN %s AND %s THEN %s")
                params += [*lft_params, n.lft, n.rght, n.pk]
            else:
                whens.append(f"WHEN {tree_sql} = %s AND {lft_sql} BETWEEN %s AND %s THEN %s")
                params += [*tree_params, n.tree_id, *lft_params, n.lft, n.rght, n.pk]
        return f"CASE {' '.join(whens)} END", params


def _aggregates_by_case(nodes, qs, prefix, aggregates):
    label = _InnermostNode(F(f"{prefix}tree_id"), F(f"{prefix}lft"), nodes)
    keys = list(aggregates)
    labelled = {n.pk: [0] * len(keys) for n in nodes}
    rows = qs.filter(_range_q(prefix, nodes)).annotate(_stat_node=label).order_by().values("_stat_node")
    for row in rows.annotate(**aggregates):
        if row["_stat_node"] in labelled:
            labelled[row["_stat_node"]] = [_number(row[key]) for key in keys]
    result = {}
    for node in nodes:
        inside = [
            labelled[m.pk] for m in nodes if m.tree_id == node.tree_id and node.lft <= m.lft and m.rght <= node.rght
        ]
        result[node.pk] = {key: sum(values[i] for values in inside) for i, key in enumerate(keys)}
    return result


def _aggregates_by_owner(nodes, qs, prefix, aggregates):
    keys = list(aggregates)
    rows = (
        qs.filter(_range_q(prefix, nodes))
        .order_by()
        .values_list(f"{prefix}tree_id", f"{prefix}lft")
        .annotate(**aggregates)
    )
    owners: dict[int, list[tuple]] = {}
    for tree_id, lft, *values in rows:
        owners.setdefault(tree_id, []).append((lft, values))
    index: dict[int, tuple[list[int], list[list[Number]]]] = {}
    for tree_id, items in owners.items():
        items.sort(key=lambda item: item[0])
        sums = [[0] * len(keys)]
        for _lft, values in items:
            sums.append([a + _number(b) for a, b in zip(sums[-1], values, strict=True)])
        index[tree_id] = ([lft for lft, _v in items], sums)
    result = {}
    for node in nodes:
        lfts, sums = index.get(node.tree_id, ([], [[0] * len(keys)]))
        hi, lo = sums[bisect_right(lfts, node.rght)], sums[bisect_left(lfts, node.lft)]
        result[node.pk] = {key: hi[i] - lo[i] for i, key in enumerate(keys)}
    return result


def monthly_counts(model, path: str, node: Organization, date_field: str, period: Period, filter_q=None):
    """``{"YYYY-MM": n}`` of ``model`` rows under ``node`` by the month of ``date_field`` within
    ``period`` (one query)."""
    qs = model._default_manager.filter(subtree_q(path, node))
    if filter_q is not None:
        qs = qs.filter(filter_q)
    field_obj = model._meta.get_field(date_field)
    if field_obj.get_internal_type() == "DateTimeField":
        qs = qs.filter(**{f"{date_field}__date__gte": period.start, f"{date_field}__date__lte": period.end})
    else:
        qs = qs.filter(**{f"{date_field}__gte": period.start, f"{date_field}__lte": period.end})
    rows = qs.annotate(month=TruncMonth(date_field)).order_by().values("month").annotate(n=Count("pk"))
    out = dict.fromkeys(period.month_labels(), 0)
    for row in rows:
        month = row["month"]
        if month is None:
            continue
        out[f"{month.year:04d}-{month.month:02d}"] = row["n"]
    return out
