"""Statistics of the organization tree: the framework (``core.statistics``) over subtrees.

One import point for every app's ``statistics.py``: the block framework, the period type, the
set-based subtree aggregation and the payloads of the API and the dashboard.
"""

from core.periods import Period
from core.statistics.framework import (
    STAT_BLOCKS,
    TRENDS,
    Compute,
    Figure,
    Number,
    StatBlock,
    StatPart,
    TrendMetric,
    all_figures,
    block_of_metric,
    compute_figures,
    extend_stat_block,
    ordered_blocks,
    rate,
    register_stat_block,
    register_trend,
)
from organizations.statistics.aggregates import monthly_counts, subtree_aggregates, subtree_rows_q
from organizations.statistics.blocks import register_builtin_blocks
from organizations.statistics.payloads import breakdown, brief, direct_children, overview, trend

__all__ = [
    "STAT_BLOCKS",
    "TRENDS",
    "Compute",
    "Figure",
    "Number",
    "Period",
    "StatBlock",
    "StatPart",
    "TrendMetric",
    "all_figures",
    "block_of_metric",
    "breakdown",
    "brief",
    "compute_figures",
    "direct_children",
    "extend_stat_block",
    "monthly_counts",
    "ordered_blocks",
    "overview",
    "rate",
    "register_builtin_blocks",
    "register_stat_block",
    "register_trend",
    "subtree_aggregates",
    "subtree_rows_q",
    "trend",
]
