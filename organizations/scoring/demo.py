"""Demo data for scoring and reminders on 南岸区 (idempotent: every job is).

Enters the 民主评议 manual score for a few branches and scores every branch for the current and
the previous quarter (``seed``); after the other apps' steps (points among them) brings the
reminders up to date (``seed_reminders``; not sent: the demo prints no emails).
"""

from __future__ import annotations

from decimal import Decimal

from core.periods import Period
from core.registry import DemoContext
from organizations.models import ManualScore, ScoringCriterion
from organizations.reminders import run_reminders
from organizations.scoring import rubric_for, score_branches

# branch code → (points of 4, note) for the yearly appraisal criterion
APPRAISALS = {
    "NA-HYL-JH-HC": (Decimal("4"), "2025年度民主评议已完成，优秀3人"),
    "NA-NP-GLW-JL": (Decimal("3"), "民主评议已开展，材料待补充"),
    "NA-CSQ-CS-CSY": (Decimal("2"), "民主评议参与率偏低"),
}


def seed(ctx: DemoContext) -> None:
    district = ctx.orgs.get("NA")
    periods = [Period.previous(ctx.today, "quarter"), Period.containing(ctx.today, "quarter")]
    for period in periods:
        rubric = rubric_for(period)
        appraisal = ScoringCriterion.objects.filter(item__rubric=rubric, method="manual").first()
        for code, (points, note) in APPRAISALS.items():
            if appraisal is not None and code in ctx.orgs:
                ManualScore.objects.get_or_create(
                    branch=ctx.orgs[code],
                    criterion=appraisal,
                    period=period.label,
                    defaults={"points": points, "note": note},
                )
        result = score_branches(period=period, org=district)
        ctx.write(f"  评分 {result.period}：{result.branches} 个支部")


def seed_reminders(ctx: DemoContext) -> None:
    reminders = run_reminders(today=ctx.today, send=False)
    ctx.write(f"  提醒：新增 {reminders.opened}，保留 {reminders.kept}，自动关闭 {reminders.closed}")
