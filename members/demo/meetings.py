"""Demo organizational life for 南岸区: this year's meetings of the demo branches with attendance.

华城国际 and 九龙花园 (兼合式, Longyan rule) keep up with 三会一课; 金港苑 and 移民小区 fall
behind; every branch with members has a 党员大会 that met its quorum. Members come from
``members.demo.seed`` (which runs first); a branch without members is skipped. Idempotent: every
meeting carries a stable submission key (``demo:<branch code>:<kind>:<month>``), so a second
run finds it instead of recording it again.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from core.registry import DemoContext
from members.meetings import eligible_members, meeting_record
from members.models import CalendarToken, MeetingKind, Member
from organizations.models import Organization, OrganizationKind

# branch code -> months (of this year) in which each kind is held; "all" = every month so far
PLAN = {
    "NA-HYL-JH-HC": {
        "theme_day": "all",
        "branch_committee": "all",
        "group_meeting": "all",
        "party_congress": (3, 6, 9, 10),
        "party_lecture": (2, 5, 8, 10),
        "life_meeting": (1,),
        "appraisal": (1,),
    },
    "NA-NP-GLW-JL": {
        "theme_day": "all",
        "branch_committee": (1, 4, 7, 10),
        "group_meeting": (2, 5, 8, 11),
        "party_congress": (6,),
        "party_lecture": (4,),
        "joint_meeting": (3, 9),
        "life_meeting": (1,),
        "appraisal": (1,),
    },
    "NA-HYL-JH-JX": {"theme_day": (1, 2, 3, 5, 7), "party_congress": (4,), "party_lecture": (5,)},
    "NA-NP-BHY-JG": {"theme_day": (1, 4), "party_congress": (2,)},
    "NA-CSQ-THQ-YM": {"party_congress": (5,)},
    "NA-HYL-HY-LJ": {"theme_day": "all", "party_congress": (3, 6, 9), "party_lecture": (3, 6, 9)},
    "NA-CSQ-CS-CSY": {
        "theme_day": "all",
        "branch_committee": "all",
        "party_congress": (1, 4, 7, 10),
        "party_lecture": (1, 4, 7, 10),
    },
}
TOPICS = {
    "theme_day": "主题党日：走访独居老人、清理楼道杂物",
    "branch_committee": "研究本月支部工作和小区治理事项",
    "group_meeting": "党小组学习讨论",
    "party_congress": "学习贯彻党的二十届四中全会精神",
    "party_lecture": "党课：支部建在小区上，服务送到家门口",
    "joint_meeting": "三方联席会议：电梯加装和停车管理",
    "life_meeting": "年度组织生活会：对照检查、开展批评与自我批评",
    "appraisal": "年度民主评议党员",
}


def _when(today: datetime.date, month: int, kind: str) -> datetime.datetime | None:
    day = {
        "theme_day": 5,
        "branch_committee": 8,
        "group_meeting": 12,
        "party_congress": 18,
        "party_lecture": 22,
        "joint_meeting": 25,
        "life_meeting": 15,
        "appraisal": 16,
    }[kind]
    when = datetime.datetime(today.year, month, day, 19, 0, tzinfo=timezone.get_current_timezone())
    return when if when.date() < today else None


def seed(ctx: DemoContext) -> None:
    now = timezone.now()
    recorded = 0
    for code, plan in PLAN.items():
        branch = ctx.orgs.get(code)
        if branch is None:
            continue
        CalendarToken.objects.get_or_create(branch=branch)
        if not Member.objects.active().filter(branch=branch).exists():
            continue
        groups = list(Organization.objects.filter(parent=branch, kind=OrganizationKind.GROUP).order_by("id"))
        for kind, months in plan.items():
            months = range(1, ctx.today.month + 1) if months == "all" else months
            for month in months:
                when = _when(ctx.today, month, kind)
                if when is None:
                    continue
                holders = groups if kind == MeetingKind.GROUP_MEETING else [branch]
                for holder in holders:
                    due = list(eligible_members(organization=holder, kind=kind, on=when.date()).order_by("id"))
                    if not due:
                        continue
                    # everyone present except every fifth member (excused) — the quorum is met
                    attendance = [
                        {
                            "member": m.pk,
                            "status": "excused" if i % 5 == 4 else "present",
                            "reason": "外出务工" if i % 5 == 4 else "",
                        }
                        for i, m in enumerate(due)
                    ]
                    extra = {}
                    if kind == MeetingKind.PARTY_LECTURE:
                        extra["lecturer"] = "社区党委书记"
                    if kind == MeetingKind.PARTY_CONGRESS:
                        voters = sum(1 for i, m in enumerate(due) if i % 5 != 4 and m.party_status == "full")
                        extra["resolutions"] = [{"text": "通过本季度支部工作安排", "votes_for": voters}]
                    if kind == MeetingKind.JOINT_MEETING:
                        extra["guests"] = [
                            {"name": "王建华", "affiliation": "业委会"},
                            {"name": "刘晓燕", "affiliation": "物业服务中心"},
                        ]
                    try:
                        meeting = meeting_record(
                            organization=holder,
                            kind=kind,
                            held_at=when,
                            attendance=attendance,
                            topic=TOPICS[kind],
                            place=f"{branch.name.replace('党支部', '')}党群服务驿站",
                            agenda="一、学习\n二、讨论\n三、部署",
                            dedup_key=f"demo:{holder.code}:{kind}:{month}",
                            now=now,
                            **extra,
                        )
                    except ValidationError:
                        continue  # e.g. no committee yet in the members demo: skip the 支委会
                    recorded += 0 if meeting.deduplicated else 1
    ctx.write(f"  组织生活：新记录会议 {recorded} 次")
