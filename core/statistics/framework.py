"""Statistics for any subtree and period: a registry of blocks every app fills in.

A *block* (``StatBlock``) is a named group of *figures* (``Figure``: name, Chinese label, the
definition a client reads in the OpenAPI schema). Its parts compute the figures for MANY nodes at
once — ``compute(nodes, period) -> {node_id: {figure_name: value}}`` — set-based: one aggregate
query per part whatever the number of nodes, so a breakdown per child costs the same queries as
one node (DESIGN §4).

Apps register their blocks from their ``statistics.py``, imported by their ``contributions.py``
(``core.registry.discover``). A higher app may also *extend* a lower block with figures only it can
compute (members adds central households to the coverage block). The tree-aware aggregation the
parts use (``subtree_aggregates``) is the tree module's: ``organizations.statistics``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from core.periods import Period

Number = int | float


@dataclass(frozen=True)
class Figure:
    """One number. ``kind`` is ``count``, ``rate`` (0..1), ``average`` or ``amount`` (yuan, two
    decimals: a number in the JSON, never an integer)."""

    name: str
    label: str
    definition: str
    kind: str = "count"


# ``nodes`` are tree nodes (anything with ``pk``): the framework does not care which tree.
Compute = Callable[[Sequence[Any], Period], dict[int, dict[str, Number]]]


@dataclass(frozen=True)
class StatPart:
    """One part of a block: a compute function, the writes that cannot change what it computes,
    and what of the period its figures depend on.

    Each part is cached on its own (``core.statistics.cache``), so a block whose figures come
    partly from tables a write changes and partly from others keeps the other parts cached after
    that write. ``unaffected_by`` holds audit labels (``app.model``): name only a label whose
    writes touch no table the part reads (tests/stats/test_unaffected_by.py checks every
    declaration against the tables each side really uses). ``period_key`` maps a period to what
    the figures depend on, when that is less than the whole period (say, the calendar year of its
    end), so periods with the same key share one computation. ``figures``, when given, names every
    figure the part can return, so a request for other figures (a breakdown of one figure) skips
    it (checked by the same test)."""

    compute: Compute
    unaffected_by: frozenset[str] = frozenset()
    period_key: Callable[[Period], tuple] | None = None
    figures: frozenset[str] | None = None

    @property
    def key(self) -> str:
        return f"{self.compute.__module__}.{self.compute.__qualname__}"

    def __call__(self, nodes: Sequence[Any], period: Period) -> dict[int, dict[str, Number]]:
        return self.compute(nodes, period)


@dataclass
class StatBlock:
    """A named group of figures and the parts that compute them."""

    name: str
    label: str
    figures: list[Figure]
    parts: list[Compute | StatPart] = field(default_factory=list)
    order: int = 100
    # Audit labels (``app.model``) whose writes cannot change any figure of the block, so they
    # leave its cached figures valid (core.statistics.cache); a part may name more of its own
    # (``StatPart``). Leaving one out only costs a recomputation; naming one wrongly serves stale
    # figures: name only what the parts (and every maintained summary they read) never derive from.
    unaffected_by: frozenset[str] = frozenset()

    def specs(self) -> list[StatPart]:
        """The parts as ``StatPart`` with the block's ``unaffected_by`` added to each."""
        return [
            StatPart(p.compute, p.unaffected_by | self.unaffected_by, p.period_key, p.figures)
            if isinstance(p, StatPart)
            else StatPart(p, self.unaffected_by)
            for p in self.parts
        ]

    def compute(self, nodes: Sequence[Any], period: Period) -> dict[int, dict[str, Number]]:
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
    series: Callable[[Any, Period], dict[str, Number]]


STAT_BLOCKS: dict[str, StatBlock] = {}
TRENDS: dict[str, TrendMetric] = {}


def register_stat_block(block: StatBlock) -> None:
    """Add a block (its figure names must be ``<block>.<figure>``)."""
    for figure in block.figures:
        if not figure.name.startswith(block.name + "."):
            raise ValueError(f"figure {figure.name} must start with {block.name}.")
    STAT_BLOCKS[block.name] = block


def extend_stat_block(name: str, figures: Iterable[Figure], part: Compute | StatPart) -> None:
    """Add figures computed by a higher app to an existing block."""
    block = STAT_BLOCKS[name]
    if any(getattr(p, "compute", p) == getattr(part, "compute", part) for p in block.parts):
        return  # idempotent: a module imported twice registers once
    block.figures.extend(figures)
    block.parts.append(part)


def register_trend(metric: TrendMetric) -> None:
    TRENDS[metric.name] = metric


def ordered_blocks() -> list[StatBlock]:
    return sorted(STAT_BLOCKS.values(), key=lambda b: (b.order, b.name))


def all_figures() -> dict[str, Figure]:
    return {f.name: f for block in ordered_blocks() for f in block.figures}


# --- reading-------------------------------------------------------------------------------


def compute_figures(
    nodes: Sequence[Any],
    period: Period,
    blocks: Iterable[StatBlock] | None = None,
    wanted: Iterable[str] | None = None,
) -> dict[int, dict[str, Number]]:
    """Every figure of ``blocks`` (default: all) for every node, each part read from the cache
    while no write that can change it has happened (``core.statistics.cache.part_values``); with
    ``wanted`` (figure names), parts that declare they return none of them are not computed."""
    from core.statistics.cache import part_values

    blocks = list(blocks if blocks is not None else ordered_blocks())
    wanted = set(wanted) if wanted is not None else None
    specs = [
        spec
        for block in blocks
        for spec in block.specs()
        if wanted is None or spec.figures is None or not spec.figures.isdisjoint(wanted)
    ]
    result: dict[int, dict[str, Number]] = {node.pk: {} for node in nodes}
    for pk, values in part_values(specs, nodes, period).items():
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


def number(value) -> Number:
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return float(value)
    return value


def rate(numerator: Number, denominator: Number) -> float | None:
    """A share rounded to 4 places; ``None`` when there is nothing to divide by."""
    return round(numerator / denominator, 4) if denominator else None
