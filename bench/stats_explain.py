"""``EXPLAIN (ANALYZE, BUFFERS)`` of the dominant query of ours and of the floor, per statistics
block, for the blocks whose ratio in ``bench/stats.py`` is above target:

    DATABASE_URL=... BENCH_DISTRICT=<code> .venv/bin/python bench/stats_explain.py members dues [--street]

Ours: the block's compute function (``block.compute([node], period)``), every query it sends
captured with ``connection.execute_wrapper`` and timed; the slowest is explained with its
parameters. The floor: the statements ``bench/stats.py`` keeps for the block (the faster
formulation of each in this run), the slowest explained. Reads only.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

import stats as stats_bench  # noqa: E402  (bench/stats.py: django.setup() and the floor)
from django.db import connection  # noqa: E402

from organizations.models import Organization  # noqa: E402
from organizations.statistics import STAT_BLOCKS  # noqa: E402


def explain(sql, params) -> str:
    with connection.cursor() as cur:
        cur.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cur.fetchall())


def ours_queries(block, node) -> list[tuple[float, str, object]]:
    """``[(ms, sql, params)]`` of the block's queries, slowest first (the second of two runs)."""
    executed: list[tuple[float, str, object]] = []

    def wrapper(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            executed.append(((time.perf_counter() - t0) * 1000, sql, params))

    block.compute([node], stats_bench.PERIOD)
    with connection.execute_wrapper(wrapper):
        block.compute([node], stats_bench.PERIOD)
    return sorted(executed, key=lambda q: -q[0])


def floor_queries(block_name, node) -> list[tuple[float, str, object]]:
    plan = stats_bench.floor_plan([stats_bench.FLOOR_BLOCKS[block_name]], node)
    params = stats_bench._params(node)
    out = []
    with connection.cursor() as cur:
        for sql in plan[0][1]:
            ms = stats_bench.median_ms(lambda sql=sql: stats_bench._run(cur, sql, params), 3)
            out.append((ms, sql, params))
    return sorted(out, key=lambda q: -q[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("blocks", nargs="+")
    parser.add_argument("--street", action="store_true", help="the district's first street instead")
    args = parser.parse_args()
    district = stats_bench.ensure_data()
    node = Organization.objects.filter(parent=district).order_by("lft").first() if args.street else district
    for name in args.blocks:
        block = STAT_BLOCKS[name]
        ours, floor = ours_queries(block, node), floor_queries(name, node)
        print(f"## {name}, {node.name}\n")
        print(f"ours: {len(ours)} queries, {sum(q[0] for q in ours):.1f} ms: {', '.join(f'{q[0]:.1f}' for q in ours)}")
        print(f"floor: {len(floor)} statements, {sum(q[0] for q in floor):.1f} ms: ")
        print(", ".join(f"{q[0]:.1f}" for q in floor))
        for label, (ms, sql, params) in (("ours", ours[0]), ("floor", floor[0])):
            print(f"\n### {name}: dominant query of {label} ({ms:.1f} ms)\n")
            print("```sql")
            with connection.cursor() as cur:
                print(cur.mogrify(sql, params).decode())
            print("```\n\n```")
            print(explain(sql, params))
            print("```")
        print()


if __name__ == "__main__":
    main()
