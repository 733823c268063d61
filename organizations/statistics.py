"""Statistics for any subtree and period: a registry of blocks every app fills in.

A *block* (``StatBlock``) is a named group of *figures* (``Figure``: name, Chinese label, the
definition a client reads in the OpenAPI schema). Its parts compute the figures for MANY nodes at
once — ``compute(nodes, period) -> {node_id: {figure_name: value}}`` — set-based: one aggregate
query per part whatever the number of nodes, so a breakdown per child costs the same queries as
one node (DESIGN §4).

Apps register their blocks from a ``<app>/statistics.py`` module, found by
``autodiscover_statistics()`` (called from ``OrganizationsConfig.ready()``), so that the lower
layer never imports a higher one. A higher app may also *extend* a lower block with figures only
it can compute (members adds central households to the coverage block).

Hooks left for the other apps (registered at merge time from their selectors, same shape):

* ``compliance`` (members/meetings): 三会一课 compliance rate per branch and kind of meeting;
* ``governance`` (committees): owners' committee formation rate, party share of seats,
  fee collection and evaluation averages;
* ``service`` (projects): agreements, activities, projects, requests and on-time rate;
* ``scores`` (scoring): average score and star levels.

Each is a ``register_stat_block(StatBlock(name=..., figures=(...), compute=...))`` in that app's
``statistics.py``; the API, the dashboard and the xlsx exports pick it up with no other change.
Trends: ``register_trend(TrendMetric(...))`` for figures with a time series.
"""

from __future__ import annotations

import os
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BigIntegerField, BooleanField, Count, Expression, F, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from core.periods import Period
from organizations.models import Organization, OrganizationKind
from organizations.scope import subtree_q

Number = int | float


@dataclass(frozen=True)
class Figure:
    """One number. ``kind`` is ``count``, ``rate`` (0..1) or ``average``."""

    name: str
    label: str
    definition: str
    kind: str = "count"


Compute = Callable[[Sequence[Organization], Period], dict[int, dict[str, Number]]]


@dataclass
class StatBlock:
    """A named group of figures and the parts that compute them."""

    name: str
    label: str
    figures: list[Figure]
    parts: list[Compute] = field(default_factory=list)
    order: int = 100

    def compute(self, nodes: Sequence[Organization], period: Period) -> dict[int, dict[str, Number]]:
        result: dict[int, dict[str, Number]] = {node.pk: {} for node in nodes}
        for part in self.parts:
            for pk, values in part(nodes, period).items():
                result.setdefault(pk, {}).update(values)
        return result


@dataclass(frozen=True)
class TrendMetric:
    """A figure with a monthly time series: ``series(node, period) -> {"YYYY-MM": value}``."""

    name: str
    label: str
    definition: str
    series: Callable[[Organization, Period], dict[str, Number]]


STAT_BLOCKS: dict[str, StatBlock] = {}
TRENDS: dict[str, TrendMetric] = {}


def register_stat_block(block: StatBlock) -> None:
    """Add a block (its figure names must be ``<block>.<figure>``)."""
    for figure in block.figures:
        if not figure.name.startswith(block.name + "."):
            raise ValueError(f"figure {figure.name} must start with {block.name}.")
    STAT_BLOCKS[block.name] = block


def extend_stat_block(name: str, figures: Iterable[Figure], part: Compute) -> None:
    """Add figures computed by a higher app to an existing block."""
    block = STAT_BLOCKS[name]
    if part in block.parts:  # idempotent: a module imported twice registers once
        return
    block.figures.extend(figures)
    block.parts.append(part)


def register_trend(metric: TrendMetric) -> None:
    TRENDS[metric.name] = metric


def ordered_blocks() -> list[StatBlock]:
    return sorted(STAT_BLOCKS.values(), key=lambda b: (b.order, b.name))


def all_figures() -> dict[str, Figure]:
    return {f.name: f for block in ordered_blocks() for f in block.figures}


def autodiscover_statistics() -> None:
    """Import ``<app>.statistics`` of every installed app (each registers its blocks)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("statistics")


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


class _AnyOf(Expression):
    """``column = ANY(ARRAY(subquery))`` (PostgreSQL; ``IN (subquery)`` elsewhere).

    For one node, PostgreSQL plans the subtree's ids as an array probed through the foreign-key
    index: as fast as the hand-written nested-set join for a street, and as the range join for a
    whole district (bench/stats.py), where a plain join on the range picks a sequential scan for
    small subtrees and ``IN (SELECT ...)`` a semi-join."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column, subquery):
        super().__init__()
        self.column, self.subquery = column, subquery

    def get_source_expressions(self):
        return [self.column, self.subquery]

    def set_source_expressions(self, exprs):
        self.column, self.subquery = exprs

    def as_sql(self, compiler, connection):
        column, column_params = compiler.compile(self.column)
        subquery, subquery_params = compiler.compile(self.subquery)
        if connection.vendor == "postgresql":
            return f"{column} = ANY(ARRAY{subquery})", [*column_params, *subquery_params]
        return f"{column} IN {subquery}", [*column_params, *subquery_params]


# Above this many nodes in a subtree (a district: thousands) a join on the nested-set range lets
# PostgreSQL hash-join (in parallel) instead of probing the foreign-key index once per id.
ARRAY_PROBE_MAX_NODES = int(os.environ.get("STATS_ARRAY_PROBE_MAX_NODES", "2000"))


def _in_subtree(path: str, node: Organization):
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
        row = qs.filter(_in_subtree(path, node)).aggregate(**aggregates)
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


def _number(value) -> Number:
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return float(value)
    return value


def rate(numerator: Number, denominator: Number) -> float | None:
    """A share rounded to 4 places; ``None`` when there is nothing to divide by."""
    return round(numerator / denominator, 4) if denominator else None


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


# --- blocks of this app -----------------------------------------------------------------------


def _coverage(nodes, period):
    from organizations.models import Compound

    compounds = subtree_aggregates(
        nodes,
        Compound,
        "community",
        {
            "compounds": Count("pk"),
            "covered": Count("pk", filter=Q(branch__isnull=False)),
            "households": Sum("households"),
        },
    )
    # A compound hangs off its community in the tree; below the community (a branch, a group) the
    # compounds are those the branch covers.
    below = [n for n in nodes if n.kind in (OrganizationKind.BRANCH, OrganizationKind.GROUP)]
    if below:
        branch_compounds = subtree_aggregates(
            below,
            Compound,
            "branch",
            {"compounds": Count("pk"), "covered": Count("pk"), "households": Sum("households")},
            Q(branch__kind=OrganizationKind.BRANCH),
        )
        compounds.update({pk: v for pk, v in branch_compounds.items()})
    branch = Q(kind=OrganizationKind.BRANCH)
    orgs = subtree_aggregates(
        nodes,
        Organization,
        "",
        {
            "branches": Count("pk", filter=branch),
            "standalone": Count("pk", filter=branch & Q(formation="standalone")),
            "joint": Count("pk", filter=branch & Q(formation="joint")),
            "integrated": Count("pk", filter=branch & Q(formation="integrated")),
            "groups": Count("pk", filter=Q(kind=OrganizationKind.GROUP)),
        },
        # Organizations that exist at the end of the period.
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=period.end),
    )
    out = {}
    for node in nodes:
        c, o = compounds[node.pk], orgs[node.pk]
        out[node.pk] = {
            "coverage.compounds": c["compounds"],
            "coverage.compounds_with_branch": c["covered"],
            "coverage.coverage_rate": rate(c["covered"], c["compounds"]),
            "coverage.households": c["households"],
            "coverage.branches": o["branches"],
            "coverage.branches_standalone": o["standalone"],
            "coverage.branches_joint": o["joint"],
            "coverage.branches_integrated": o["integrated"],
            "coverage.building_groups": o["groups"],
        }
    return out


def _venues(nodes, period):
    from organizations.models import Venue

    six = Q(**dict.fromkeys(Venue.SIX_STANDARDS, True))
    rows = subtree_aggregates(nodes, Venue, "branch", {"venues": Count("pk"), "six": Count("pk", filter=six)})
    return {
        pk: {
            "venues.venues": r["venues"],
            "venues.meeting_six_standards": r["six"],
            "venues.six_standards_rate": rate(r["six"], r["venues"]),
        }
        for pk, r in rows.items()
    }


def _scores(nodes, period):
    """Branch scores of the periods lying inside the stats period (a quarter's scores for a
    quarter, the four quarters' for a year: each scored period counts once per branch)."""
    from organizations.models import BranchScore

    inside = Q(period_start__gte=period.start, period_end__lte=period.end)
    rows = subtree_aggregates(
        nodes,
        BranchScore,
        "branch",
        {
            "n": Count("pk"),
            "points": Sum("total"),
            "stars3": Count("pk", filter=Q(stars__gte=3)),
        },
        inside,
    )
    return {
        pk: {
            "scores.scored": r["n"],
            "scores.average": round(r["points"] / r["n"], 1) if r["n"] else None,
            "scores.three_stars_or_more": r["stars3"],
        }
        for pk, r in rows.items()
    }


def register_builtin_blocks() -> None:
    """The blocks of the organizations app (called by ``organizations/statistics`` discovery)."""
    register_stat_block(
        StatBlock(
            name="scores",
            label=_("Branch standardization scores"),
            order=60,
            figures=[
                Figure(
                    "scores.scored",
                    _("Branch scores"),
                    _("Scores of branches for scoring periods (month, quarter, year) inside the period."),
                ),
                Figure(
                    "scores.average",
                    _("Average score"),
                    _("Average total of those scores (out of the rubric's 100 points)."),
                    "average",
                ),
                Figure(
                    "scores.three_stars_or_more",
                    _("Scores of three stars or more"),
                    _("Those scores with a star level of 3 or more."),
                ),
            ],
            parts=[_scores],
        )
    )
    register_stat_block(
        StatBlock(
            name="coverage",
            label=_("Organization coverage"),
            order=10,
            figures=[
                Figure(
                    "coverage.compounds",
                    _("Compounds"),
                    _("Compounds of the communities in the subtree (for a branch: the compounds it covers)."),
                ),
                Figure(
                    "coverage.compounds_with_branch",
                    _("Compounds with a branch"),
                    _("Compounds covered by a compound branch (a joint branch covers several)."),
                ),
                Figure(
                    "coverage.coverage_rate",
                    _("Coverage rate"),
                    _("Compounds with a branch divided by compounds (null when there are no compounds)."),
                    "rate",
                ),
                Figure("coverage.households", _("Households"), _("Households of the compounds in the subtree.")),
                Figure(
                    "coverage.branches",
                    _("Compound branches"),
                    _("Compound branches in the subtree not dissolved by the end of the period."),
                ),
                Figure("coverage.branches_standalone", _("Standalone branches"), _("Branches formed standalone.")),
                Figure(
                    "coverage.branches_joint", _("Joint branches"), _("Branches formed jointly for several compounds.")
                ),
                Figure(
                    "coverage.branches_integrated",
                    _("Integrated branches"),
                    _("Integrated (兼合式) branches gathering every member living in the compound."),
                ),
                Figure(
                    "coverage.building_groups",
                    _("Building groups"),
                    _("Building party groups not dissolved by the end of the period."),
                ),
            ],
            parts=[_coverage],
        )
    )
    register_stat_block(
        StatBlock(
            name="venues",
            label=_("Venues"),
            order=30,
            figures=[
                Figure("venues.venues", _("Venues"), _("Branch venues (阵地 / 党群服务驿站) in the subtree.")),
                Figure(
                    "venues.meeting_six_standards",
                    _("Venues meeting the six standards"),
                    _("Venues with all six items of 六有: place, facilities, sign, flag, books, rules."),
                ),
                Figure(
                    "venues.six_standards_rate",
                    _("Six-standards rate"),
                    _("Venues meeting 六有 divided by venues (null when there are none)."),
                    "rate",
                ),
            ],
            parts=[_venues],
        )
    )

    def compounds_created(node, period):
        from organizations.models import Compound

        return monthly_counts(Compound, "community", node, "created_at", period)

    register_trend(
        TrendMetric(
            "coverage.compounds_created",
            _("Compounds registered"),
            _("Compounds entered into the system per month (by creation time, Asia/Shanghai)."),
            compounds_created,
        )
    )


# --- reading ----------------------------------------------------------------------------------


def compute_figures(
    nodes: Sequence[Organization], period: Period, blocks: Iterable[StatBlock] | None = None
) -> dict[int, dict[str, Number]]:
    """Every figure of ``blocks`` (default: all) for every node."""
    result: dict[int, dict[str, Number]] = {node.pk: {} for node in nodes}
    for block in blocks if blocks is not None else ordered_blocks():
        for pk, values in block.compute(nodes, period).items():
            result[pk].update(values)
    return result


def block_of_metric(metric: str) -> tuple[StatBlock, list[str]] | None:
    """``metric`` is a block name (all its figures) or a figure name; ``None`` if unknown."""
    if metric in STAT_BLOCKS:
        block = STAT_BLOCKS[metric]
        return block, [f.name for f in block.figures]
    name = metric.split(".", 1)[0]
    block = STAT_BLOCKS.get(name)
    if block and any(f.name == metric for f in block.figures):
        return block, [metric]
    return None


def direct_children(node: Organization) -> list[Organization]:
    """Active direct children of ``node`` in tree order (one query)."""
    return list(Organization.objects.filter(parent=node, dissolved_on__isnull=True).order_by("lft"))


# --- payloads shared by the API and the dashboard ---------------------------------------------


def brief(node: Organization) -> dict:
    return {"id": node.pk, "name": node.name, "kind": node.kind}


def overview(node: Organization, period: Period) -> dict:
    """Every figure of every block for ``node``'s subtree, with labels (one query per part)."""
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
    """The figures of ``metric`` (a block or one figure) for ``node`` and each direct child."""
    found = block_of_metric(metric)
    if found is None:
        raise KeyError(metric)
    block, names = found
    children = direct_children(node)
    values = compute_figures([node, *children], period, [block])
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
    """Monthly series of a trend metric for ``node``'s subtree (one query)."""
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
