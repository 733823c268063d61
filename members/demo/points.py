"""Demo points: award what the demo district's verified events earn (idempotent)."""

from __future__ import annotations

from core.registry import DemoContext
from members.points import award_points


def seed(ctx: DemoContext) -> None:
    created = award_points()
    ctx.write(f"  积分：新增 {sum(created.values())} 条")
