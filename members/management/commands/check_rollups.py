"""``manage.py check_rollups``: compare the maintained summaries (organizational life and
each member's last presence; party dues) with a full recomputation from the raw rows; exits with status 1 and lists the
differences when they differ."""

from django.core.management.base import BaseCommand, CommandError

from members import rollups
from members.dues import rollup as dues_rollup

SHOWN = 50


class Command(BaseCommand):
    help = "核对组织生活汇总、党费汇总与原始记录的完整重算结果，列出不一致之处。"

    def handle(self, *args, **options):
        life, dues = rollups.differences(), dues_rollup.differences()
        members = rollups.last_present_differences()
        for member_id, stored, expected in members[:SHOWN]:
            self.stdout.write(f"党员 {member_id} 最近参加组织生活：汇总 {stored or '无'}，重算 {expected or '无'}")
        for (branch_id, month), stored, expected in life[:SHOWN]:
            self.stdout.write(
                f"支部 {branch_id} {month:%Y年%m月}：汇总 {stored}，重算 {expected}（参加、在本支部、在所在单位）"
            )
        for what, key, stored, expected in dues[:SHOWN]:
            if what == "month":
                self.stdout.write(
                    f"党费 支部 {key[0]} {key[1]:%Y年%m月}：汇总 {stored}，重算 {expected}"
                    "（应缴额变化、应缴人数变化、实缴额、实缴人月）"
                )
            else:
                self.stdout.write(
                    f"党费欠缴区间 党员 {key[0]} 自 {key[2]:%Y年%m月}：汇总{'有' if stored else '无'}，重算{'有' if expected else '无'}"
                )
        if not life and not dues and not members:
            self.stdout.write("组织生活汇总、党费汇总与原始记录一致。")
            return
        raise CommandError(
            f"组织生活汇总有 {len(life) + len(members)} 项、党费汇总有 {len(dues)} 项与原始记录不一致，请运行 rebuild_rollups。"
        )
