"""Demo members of 南岸区 for ``seed_demo``.

Every demo branch gets realistic members: full and probationary (one due for 转正 within 30
days, one overdue), retired / in-service (reported to the compound) / unemployed, floating,
lost contact, dual membership (组织关系 in another branch, or outside the tree by name), and
positions: a full committee for 华城国际小区党支部, a secretary elsewhere, group leaders.
Idempotent: members are found by the keyed hash of their (generated, valid) ID number.
"""

from __future__ import annotations

import datetime

from core.registry import DemoContext
from members import crypto, services
from members.demo.national import national_fields
from members.models import Member, Position, PositionKind
from organizations.models import Compound, Organization, OrganizationKind

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈"
GIVEN = [
    "建国",
    "秀英",
    "志强",
    "桂兰",
    "德明",
    "玉梅",
    "国华",
    "淑珍",
    "卫东",
    "红梅",
    "永福",
    "丽华",
    "海燕",
    "文斌",
    "小平",
    "春兰",
    "明辉",
    "晓燕",
    "家福",
    "慧敏",
    "立新",
    "凤英",
    "光荣",
    "美玲",
    "振华",
    "雪梅",
    "俊杰",
    "婷婷",
    "浩然",
    "欣怡",
]
EMPLOYERS = [
    "南岸区教育委员会",
    "重庆市第十一中学校",
    "南岸区人民医院",
    "国网重庆南岸供电公司",
    "南岸区税务局",
    "重庆银行南坪支行",
    "南岸区城市管理局",
    "重庆工商大学",
]
OUTSIDE_HOME = ["重庆银行南坪支行党支部", "南岸区税务局机关第二党支部", "重庆工商大学退休教职工党支部"]

# Branch code → (members, groups); the first members hold the positions.
BRANCH_SIZES = {
    "NA-HYL-JH-HC": 16,
    "NA-HYL-JH-JX": 6,
    "NA-HYL-HY-LJ": 5,
    "NA-NP-GLW-JL": 9,
    "NA-NP-BHY-JG": 5,
    "NA-CSQ-THQ-YM": 7,
    "NA-CSQ-CS-CSY": 4,
}
COMMITTEE = [
    PositionKind.SECRETARY,
    PositionKind.DEPUTY_SECRETARY,
    PositionKind.ORGANIZATION,
    PositionKind.PUBLICITY,
    PositionKind.DISCIPLINE,
]


def _profile(ctx: DemoContext, branch_code: str, index: int, seq: int, introducers: list[str]) -> dict:
    """A deterministic, varied member (so a re-run finds the same ID numbers)."""
    today = ctx.today
    birth = datetime.date(1942 + (seq * 7) % 50, 1 + seq % 12, 1 + (seq * 3) % 28)
    fields: dict = {
        "name": SURNAMES[seq % len(SURNAMES)] + GIVEN[(seq * 5) % len(GIVEN)],
        "birth_date": birth,
        "id_number": crypto.make_id_number("500108", birth, seq),
        "phone": f"1{3 + seq % 6}{(seq * 7919) % 10**9:09d}",
        "education": ["senior", "college", "bachelor", "vocational", "postgraduate", "junior_or_below"][seq % 6],
        "party_status": "full",
        "admitted_on": max(birth.replace(year=birth.year + 25), datetime.date(1970, 7, 1)),
        "occupation_status": "retired" if birth.year < 1966 else "in_service",
        "unit": str(1 + seq % 3),
        "room": f"{1 + seq % 18}0{1 + seq % 4}",
    }
    fields["full_member_on"] = fields["admitted_on"].replace(year=fields["admitted_on"].year + 1)
    if fields["occupation_status"] == "in_service":
        fields["employer"] = EMPLOYERS[seq % len(EMPLOYERS)]
        if index % 2 == 0:
            fields["reported_on"] = datetime.date(today.year - 1, 3 + seq % 8, 1 + seq % 27)
    # Special situations, by position in the branch list (positions go to the first ones).
    if index == 5:  # due for 转正 within 30 days
        fields.update(
            party_status="probationary", admitted_on=today - datetime.timedelta(days=365 - 18), full_member_on=None
        )
    elif index == 6 and branch_code in ("NA-HYL-JH-HC", "NA-NP-GLW-JL"):  # overdue
        fields.update(
            party_status="probationary", admitted_on=today - datetime.timedelta(days=365 + 25), full_member_on=None
        )
    elif index == 7:  # dual membership, relationship outside the tree
        fields["home_organization_name"] = OUTSIDE_HOME[seq % len(OUTSIDE_HOME)]
        fields.update(
            occupation_status="in_service",
            employer=EMPLOYERS[seq % len(EMPLOYERS)],
            reported_on=datetime.date(today.year - 1, 9, 1),
        )
    elif index == 8:
        fields.update(occupation_status="unemployed", employer="")
    if fields.get("admitted_on") and fields["admitted_on"] <= birth:
        fields["admitted_on"] = birth.replace(year=birth.year + 20)
    if fields["occupation_status"] != "in_service":
        fields.pop("reported_on", None)
    fields |= national_fields(
        fields["id_number"],
        birth=birth,
        education=fields["education"],
        in_service=fields["occupation_status"] == "in_service",
        number=seq,
        introducers=introducers,
    )
    return fields


def seed(ctx: DemoContext) -> None:
    seq = 100
    created = 0
    for branch_code, size in BRANCH_SIZES.items():
        branch = ctx.orgs[branch_code]
        # By parent id: the nested-set values of ctx.orgs may be stale after later inserts.
        groups = list(Organization.objects.filter(parent_id=branch.pk, kind=OrganizationKind.GROUP).order_by("code"))
        compound = Compound.objects.filter(branch_id=branch.pk).order_by("pk").first()
        members = []
        for index in range(size):
            seq += 1
            # 入党介绍人: two members entered before (linked: they are in the system).
            fields = _profile(ctx, branch_code, index, seq, [m.name for m in members[:2]] if index >= 2 else [])
            group = groups[index % len(groups)] if groups else None
            id_hash = crypto.keyed_hash(fields["id_number"])
            member = Member.objects.filter(id_number_hash=id_hash).first()
            if member is None:
                member = services.member_create(
                    branch=branch, group=group, compound=compound, today=ctx.today, gender="", **fields
                )
                created += 1
                if index == 9:
                    services.member_mark_floating(
                        member=member, direction="out", place="广东省深圳市南山区", today=ctx.today
                    )
                elif index == 10:
                    services.member_mark_lost_contact(
                        member=member, lost=True, today=ctx.today, since=ctx.today - datetime.timedelta(days=240)
                    )
            members.append(member)
        # Dual membership inside the tree: a member of 九龙花园 registered in 金港苑.
        if branch_code == "NA-NP-GLW-JL" and members[3].home_organization_id == branch.pk:
            services.member_update(member=members[3], home_organization=ctx.orgs["NA-NP-BHY-JG"], today=ctx.today)
        kinds = COMMITTEE if branch_code == "NA-HYL-JH-HC" else [PositionKind.SECRETARY]
        started = datetime.date(ctx.today.year - 2, 7, 1)
        for member, kind in zip(members, kinds, strict=False):
            _position(member, branch, kind, started)
        for group in groups:
            leader = next((m for m in members if m.group_id == group.pk), None)
            if leader is not None:
                _position(leader, group, PositionKind.GROUP_LEADER, started)
        if branch_code == "NA-HYL-JH-HC":
            _position(members[11], branch, PositionKind.CENTRAL_HOUSEHOLD, started)
            _position(members[12], branch, PositionKind.BUILDING_HEAD, started)
            _position(members[13], branch, PositionKind.UNIT_HEAD, started)
    ctx.write(f"  党员：新增 {created} 名（共 {Member.objects.count()} 名）")


def _position(member: Member, org, kind: str, started: datetime.date) -> None:
    if not Position.objects.filter(member=member, organization=org, kind=kind).exists():
        services.position_create(member=member, organization=org, kind=kind, started_on=started)
