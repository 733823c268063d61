"""``manage.py check_rollups``: compare the organizational-life rollup with a full
recomputation from the raw rows; exits with status 1 and lists the differences when they differ."""

from django.core.management.base import BaseCommand, CommandError

from members import rollups

SHOWN = 50


class Command(BaseCommand):
    help = "核对组织生活汇总与原始参会记录的完整重算结果，列出不一致之处。"

    def handle(self, *args, **options):
        diffs = rollups.differences()
        if not diffs:
            self.stdout.write("组织生活汇总与原始记录一致。")
            return
        for (branch_id, month), stored, expected in diffs[:SHOWN]:
            self.stdout.write(
                f"支部 {branch_id} {month:%Y年%m月}：汇总 {stored}，重算 {expected}（参加、在本支部、在所在单位）"
            )
        raise CommandError(f"组织生活汇总有 {len(diffs)} 项与原始记录不一致，请运行 rebuild_rollups。")
