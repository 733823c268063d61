"""``manage.py check_rollups``: compare the organizational-life rollup and each member's last
presence with a full recomputation from the raw rows; exits with status 1 and lists the
differences when they differ."""

from django.core.management.base import BaseCommand, CommandError

from members import rollups

SHOWN = 50


class Command(BaseCommand):
    help = "核对组织生活汇总与原始参会记录的完整重算结果，列出不一致之处。"

    def handle(self, *args, **options):
        diffs = rollups.differences()
        members = rollups.last_present_differences()
        if not diffs and not members:
            self.stdout.write("组织生活汇总与原始记录一致。")
            return
        for (branch_id, month), stored, expected in diffs[:SHOWN]:
            self.stdout.write(
                f"支部 {branch_id} {month:%Y年%m月}：汇总 {stored}，重算 {expected}（参加、在本支部、在所在单位）"
            )
        for member_id, stored, expected in members[:SHOWN]:
            self.stdout.write(f"党员 {member_id} 最近参加组织生活：汇总 {stored or '无'}，重算 {expected or '无'}")
        raise CommandError(f"组织生活汇总有 {len(diffs) + len(members)} 项与原始记录不一致，请运行 rebuild_rollups。")
