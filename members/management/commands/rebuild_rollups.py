"""``manage.py rebuild_rollups``: recompute the maintained summaries (organizational life; party
dues) from the raw rows.

Idempotent and safe while users work: a slice of branches per transaction, each key locked as a
write locks it (see ``members.rollups`` and ``members.dues.rollup``)."""

from django.core.management.base import BaseCommand

from members import rollups
from members.dues import rollup as dues_rollup


class Command(BaseCommand):
    help = "重新计算组织生活汇总与党费汇总（按支部、按月），可在系统使用中运行。"

    def handle(self, *args, **options):
        n = rollups.rebuild()
        self.stdout.write(f"已重新计算组织生活汇总 {n} 项（支部 × 月）。")
        n = dues_rollup.rebuild()
        self.stdout.write(f"已重新计算党费汇总 {n} 项（支部 × 月）及欠缴区间。")
