"""Demo data of the committees app on 南岸区 (idempotent: bodies by (compound, kind, term),
seats by (body, holder), firms by credit code, contracts by (firm, compound, start), matters by
(compound, title)).

Hand count, seeded without party member records (only ``organizations`` + this seeder):
property-managed compounds 5 (华城国际小区, 丽景花园, 九龙花园, 金港苑, 长生雅苑); owners'
committees formed 4 (金港苑's is still forming) → 80%; seats running 33, party members 20;
owners' committee seats 24, party members 14; terms expiring within 90 days 1 (丽景花园);
compounds without an owners' committee 1 (金港苑); overdue matters 1 (华城国际小区 车库渗水).
When the members demo has run, party seats link the branch's member records (the counts stay
the same) and the 华城国际 chair is the branch secretary (一肩挑 = 1); with the members demo as it
stands the 华城国际 owners' committee also seats the four other branch committee members, so
交叉任职 = 5 (secretary, deputy, organization, publicity, discipline).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from committees import services
from committees.models import (
    CandidateCheck,
    Committee,
    CommitteeKind,
    CommitteeStatus,
    Evaluation,
    EvaluatorKind,
    FeeCollection,
    Matter,
    MatterHandler,
    MatterSource,
    MatterStatus,
    NegativeListItem,
    PropertyFirm,
    Seat,
    SeatRole,
    ServiceContract,
)
from core.registry import DemoContext

C, V, M, S = SeatRole.CHAIR, SeatRole.VICE_CHAIR, SeatRole.MEMBER, SeatRole.EXECUTIVE_SECRETARY

# compound, kind, term, elected (None = relative to today: term ends in 45 days), status,
# seats (role, holder, party member)
BODIES = [
    (
        "华城国际小区",
        CommitteeKind.OWNERS,
        2,
        datetime.date(2023, 6, 18),
        CommitteeStatus.ACTIVE,
        [
            (C, "王建华", True),
            (V, "李秀英", True),
            (M, "张国强", True),
            (M, "刘芳", False),
            (M, "陈志明", False),
            (S, "赵丽", True),
            (M, "周敏", True),
        ],
    ),
    (
        "华城国际小区",
        CommitteeKind.SUPERVISION,
        1,
        datetime.date(2023, 6, 18),
        CommitteeStatus.ACTIVE,
        [
            (C, "孙德海", True),
            (M, "吴桂兰", False),
            (M, "郑晓东", True),
        ],
    ),
    (
        "丽景花园",
        CommitteeKind.OWNERS,
        1,
        None,
        CommitteeStatus.ACTIVE,
        [
            (C, "黄志强", True),
            (V, "林小红", False),
            (M, "何建军", True),
            (M, "高美玲", False),
            (M, "罗永福", False),
        ],
    ),
    (
        "九龙花园",
        CommitteeKind.OWNERS,
        3,
        datetime.date(2024, 4, 20),
        CommitteeStatus.ACTIVE,
        [
            (C, "马德明", True),
            (V, "胡春燕", True),
            (M, "朱立新", True),
            (M, "郭秀兰", False),
            (M, "梁志刚", True),
            (M, "宋玉梅", False),
            (S, "唐文斌", False),
        ],
    ),
    (
        "九龙花园",
        CommitteeKind.DELIBERATION,
        1,
        datetime.date(2024, 5, 8),
        CommitteeStatus.ACTIVE,
        [
            (C, "冯国庆", True),
            (M, "韩淑芬", False),
            (M, "曹建平", True),
        ],
    ),
    (
        "长生雅苑",
        CommitteeKind.OWNERS,
        1,
        datetime.date(2022, 9, 25),
        CommitteeStatus.ACTIVE,
        [
            (C, "彭长生", True),
            (V, "谢丽华", True),
            (M, "邓志勇", False),
            (M, "许海燕", True),
            (M, "蒋国华", False),
        ],
    ),
    ("金港苑", CommitteeKind.OWNERS, 1, None, CommitteeStatus.FORMING, []),
    (
        "金鹤新村一期",
        CommitteeKind.SELF_GOVERNANCE,
        1,
        datetime.date(2022, 3, 15),
        CommitteeStatus.ACTIVE,
        [
            (C, "杨金鹤", True),
            (M, "袁淑珍", False),
            (M, "于德胜", True),
        ],
    ),
    # Owners' committee of 移民小区 would not count: it is self-managed, 物管会 instead.
    ("移民小区", CommitteeKind.PROPERTY_MANAGEMENT, 1, datetime.date(2021, 11, 2), CommitteeStatus.EXPIRED, []),
]

# name, credit code, contact, phone, party organization name ("" = none)
FIRMS = [
    (
        "重庆金鹤物业服务有限公司",
        "91500108MA5U3H8X29",
        "陈经理",
        "023-62880101",
        "中共重庆金鹤物业服务有限公司支部委员会",
    ),
    ("重庆九龙物业管理有限公司", "91500108MA60JK7L3G", "刘经理", "023-62990202", ""),
    ("重庆长生物业服务有限公司", "91500113MA5YQ2NB18", "彭经理", "023-62110303", "中共重庆长生物业服务有限公司支部"),
]

# firm index, compound, started, ended, fee
CONTRACTS = [
    (0, "华城国际小区", datetime.date(2019, 1, 1), None, "2.20"),
    (0, "丽景花园", datetime.date(2020, 7, 1), None, "1.80"),
    (1, "九龙花园", datetime.date(2017, 1, 1), datetime.date(2022, 12, 31), "1.50"),
    (0, "九龙花园", datetime.date(2023, 1, 1), None, "1.60"),
    (2, "长生雅苑", datetime.date(2016, 5, 1), None, "2.50"),
    (2, "金港苑", datetime.date(2018, 3, 1), None, "1.40"),
]

NEGATIVE_LIST = [
    ("FM01", "拖欠物业服务费或专项维修资金", "《重庆市物业管理条例》"),
    ("FM02", "违法搭建、擅自改变房屋用途且拒不整改", "《重庆市物业管理条例》"),
    ("FM03", "受过刑事处罚或被列为失信被执行人", "业主委员会委员候选人资格审查规定"),
    ("FM04", "与本小区物业服务企业存在利害关系", "业主委员会委员候选人资格审查规定"),
    ("FM05", "煽动、组织群体性事件，扰乱社会秩序", "业主委员会委员候选人资格审查规定"),
]


# compound, monthly fees due, collection rate of the first month (firm 0: 红色物业 of all three;
# 九龙花园 is 古楼湾社区's, so its community staff see a firm's collections and evaluations too)
FEE_COMPOUNDS = (("华城国际小区", "96000", 0.86), ("丽景花园", "61000", 0.78), ("九龙花园", "52000", 0.82))


def _months_before(today: datetime.date, n: int) -> list[tuple[int, int]]:
    year, month = today.year, today.month
    out = []
    for _i in range(n):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append((year, month))
    return list(reversed(out))


def _quarters_before(today: datetime.date, n: int) -> list[tuple[int, int]]:
    year, quarter = today.year, (today.month - 1) // 3 + 1
    out = []
    for _i in range(n):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        out.append((year, quarter))
    return list(reversed(out))


def _branch_people(compound):
    """(secretary member or None, other active members) of the compound's branch, when the
    members app has records; empty otherwise."""
    from members.models import Member, Position, PositionKind

    if compound.branch_id is None:
        return None, []
    members = list(Member.objects.filter(branch_id=compound.branch_id, status="active").order_by("pk")[:20])
    secretary = (
        Position.objects.filter(organization_id=compound.branch_id, kind=PositionKind.SECRETARY, ended_on__isnull=True)
        .select_related("member")
        .order_by("pk")
        .first()
    )
    secretary_member = secretary.member if secretary else None
    others = [m for m in members if secretary_member is None or m.pk != secretary_member.pk]
    return secretary_member, others


def _seed_bodies(ctx: DemoContext) -> None:
    used_members: set[int] = set(Seat.objects.filter(member__isnull=False).values_list("member_id", flat=True))
    for name, kind, term, elected, status, seats in BODIES:
        compound = ctx.compounds[name]
        committee = Committee.objects.filter(compound=compound, kind=kind, term_number=term).first()
        if committee is None:
            if elected is None and status == CommitteeStatus.FORMING:
                elected_on, ends_on = None, None
            elif elected is None:
                ends_on = ctx.today + datetime.timedelta(days=45)
                elected_on = ends_on.replace(year=ends_on.year - 5) + datetime.timedelta(days=1)
            else:
                elected_on, ends_on = elected, elected.replace(year=elected.year + 5) - datetime.timedelta(days=1)
            committee = services.committee_save(
                compound=compound,
                kind=kind,
                term_number=term,
                elected_on=elected_on,
                term_ends_on=ends_on,
                status=status,
            )
        if not seats or committee.seats.exists():
            continue
        secretary, others = _branch_people(compound)
        others = [m for m in others if m.pk not in used_members]
        for role, holder, party in seats:
            member = None
            if party and role == C and kind == CommitteeKind.OWNERS and name == "华城国际小区" and secretary:
                member = secretary  # 一肩挑: the branch secretary chairs the owners' committee
            elif party and others:
                member = others.pop(0)
            if member is not None:
                used_members.add(member.pk)
            services.seat_save(
                committee=committee,
                role=role,
                holder_name=member.name if member else holder,
                member=member,
                is_party_member=party,
                started_on=committee.elected_on,
            )


def _seed_firms(ctx: DemoContext) -> list[PropertyFirm]:
    firms = []
    for name, code, contact, phone, party_name in FIRMS:
        firm = PropertyFirm.objects.filter(credit_code=code).first()
        if firm is None:
            firm = services.property_firm_save(
                name=name,
                credit_code=code,
                contact_person=contact,
                contact_phone=phone,
                has_party_organization=bool(party_name),
                party_organization_name=party_name,
                created_in=ctx.orgs["NA"],
            )
        firms.append(firm)
    for index, compound_name, started, ended, fee in CONTRACTS:
        compound = ctx.compounds[compound_name]
        if not ServiceContract.objects.filter(firm=firms[index], compound=compound, started_on=started).exists():
            services.service_contract_save(
                firm=firms[index], compound=compound, started_on=started, ended_on=ended, fee_per_m2_month=Decimal(fee)
            )
    return firms


def _seed_fees_and_evaluations(ctx: DemoContext, firms: list[PropertyFirm]) -> None:
    red = firms[0]
    for n, (year, month) in enumerate(_months_before(ctx.today, 6)):
        for compound_name, due, base in FEE_COMPOUNDS:
            compound = ctx.compounds[compound_name]
            if FeeCollection.objects.filter(compound=compound, firm=red, year=year, month=month).exists():
                continue
            amount_due = Decimal(due)
            collected = (amount_due * Decimal(str(base + 0.015 * n))).quantize(Decimal("1"))
            services.fee_collection_save(
                compound=compound, firm=red, year=year, month=month, amount_due=amount_due, amount_collected=collected
            )
    evaluators = (EvaluatorKind.BRANCH, EvaluatorKind.OWNERS_COMMITTEE, EvaluatorKind.RESIDENTS)
    for n, (year, quarter) in enumerate(_quarters_before(ctx.today, 4)):
        for compound_name, firm in (
            ("华城国际小区", red),
            ("丽景花园", red),
            ("九龙花园", red),
            ("长生雅苑", firms[2]),
        ):
            compound = ctx.compounds[compound_name]
            for k, evaluator in enumerate(evaluators):
                if Evaluation.objects.filter(
                    firm=firm, compound=compound, year=year, quarter=quarter, evaluator_kind=evaluator
                ).exists():
                    continue
                services.evaluation_save(
                    firm=firm,
                    compound=compound,
                    year=year,
                    quarter=quarter,
                    evaluator_kind=evaluator,
                    score_service=min(25, 19 + n + (k == 0)),
                    score_environment=min(20, 15 + n),
                    score_security=min(20, 16 + n - (k == 2)),
                    score_maintenance=min(20, 14 + n),
                    score_responsiveness=min(15, 11 + n),
                    comment="服务态度好，报修响应及时" if n >= 2 else "车库漏水维修偏慢",
                )


def _seed_matters(ctx: DemoContext, firms: list[PropertyFirm]) -> None:
    t = ctx.today
    matters = [
        dict(
            compound="华城国际小区",
            title="地下车库渗水维修",
            raised_by="3栋业主 刘先生",
            source=MatterSource.JOINT_MEETING,
            raised_on=t - datetime.timedelta(days=40),
            handler=MatterHandler.PROPERTY_FIRM,
            firm=firms[0],
            due_on=t - datetime.timedelta(days=10),
            status=MatterStatus.IN_PROGRESS,
        ),
        dict(
            compound="丽景花园",
            title="增设电动自行车集中充电桩",
            raised_by="丽景花园业委会",
            source=MatterSource.JOINT_MEETING,
            raised_on=t - datetime.timedelta(days=5),
            handler=MatterHandler.GOVERNMENT,
            department="花园路街道城市管理办公室",
            due_on=t + datetime.timedelta(days=30),
            status=MatterStatus.OPEN,
        ),
        dict(
            compound="九龙花园",
            title="小区绿化补种",
            raised_by="九龙花园兼合式党支部",
            source=MatterSource.JOINT_MEETING,
            raised_on=t - datetime.timedelta(days=60),
            handler=MatterHandler.OWNERS_COMMITTEE,
            due_on=t - datetime.timedelta(days=20),
            status=MatterStatus.RESOLVED,
            outcome="业委会动用公共收益补种桂花树 30 株，已验收。",
            resolved_on=t - datetime.timedelta(days=25),
        ),
        dict(
            compound="华城国际小区",
            title="楼道堆放杂物清理",
            raised_by="居民 张阿姨",
            source=MatterSource.RESIDENT,
            raised_on=t - datetime.timedelta(days=30),
            handler=MatterHandler.COMMUNITY,
            due_on=t - datetime.timedelta(days=15),
            status=MatterStatus.CLOSED,
            outcome="党员志愿者和物业联合清理 9 栋楼道。",
            resolved_on=t - datetime.timedelta(days=16),
        ),
    ]
    for data in matters:
        compound = ctx.compounds[data.pop("compound")]
        if Matter.objects.filter(compound=compound, title=data["title"]).exists():
            continue
        services.matter_save(compound=compound, today=t, **data)


def _seed_vetting(ctx: DemoContext) -> None:
    items = {}
    for code, reason, basis in NEGATIVE_LIST:
        item = NegativeListItem.objects.filter(code=code).first()
        if item is None:
            item = NegativeListItem.objects.create(code=code, reason=reason, legal_basis=basis)
        items[code] = item
    compound = ctx.compounds["金港苑"]
    committee = Committee.objects.filter(compound=compound, kind=CommitteeKind.OWNERS).first()
    for name, matched in (("钱志远", []), ("孔德福", ["FM01"])):
        if not CandidateCheck.objects.filter(compound=compound, candidate_name=name).exists():
            services.candidate_check_record(
                compound=compound,
                committee=committee,
                candidate_name=name,
                checked_on=ctx.today,
                matched_items=[items[c] for c in matched],
                checked_by="白鹤苑社区党委",
            )


def seed(ctx: DemoContext) -> None:
    _seed_bodies(ctx)
    firms = _seed_firms(ctx)
    _seed_fees_and_evaluations(ctx, firms)
    _seed_matters(ctx, firms)
    _seed_vetting(ctx)
