"""Demo data of joint building and service for 南岸区: partners, agreements, the three lists,
九龙花园's path project (residents 6,000 yuan, a fund 25,000, the street 18,000, 9
volunteers, completed), activities, micro-wishes (one fulfilled) and resident requests in
every state, including a dispute settled with compensation.

Dates are offsets from ``ctx.today`` so the figures of "the last 365 days" stay the same
whenever the demo is loaded; ``tests/projects/test_stats.py`` hand-counts them. Idempotent:
every row is looked up by a stable key before it is created.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from core.registry import DemoContext
from members.dues import funds
from members.models import Member
from projects import services
from projects.models import (
    Activity,
    Agreement,
    Funding,
    MicroWish,
    Need,
    PartnerUnit,
    Project,
    ProjectStatus,
    RequestStatus,
    ResidentRequest,
    Resource,
    WishStatus,
)

# (name, kind, registered by, party organization, contact, phone)
PARTNERS = [
    ("南岸区人民医院", "institution", "NA-NP", "南岸区人民医院党委", "陈医生", "023-62800001"),
    ("重庆燃气集团南岸分公司", "state_enterprise", "NA-HYL", "南岸分公司党支部", "周经理", "023-62800002"),
    ("南岸区司法局", "organ", "NA", "南岸区司法局机关党委", "何科长", "023-62800003"),
    ("华城物业服务有限公司", "private_enterprise", "NA-HYL-JH", "华城物业党支部", "李主任", "023-62800004"),
    ("南岸区青年志愿者协会", "social_organization", "NA-CSQ", "青年志愿者协会功能型党支部", "王会长", "023-62800005"),
]

# (title, partner, organization code, signed days ago, expires days ago (negative = future))
AGREEMENTS = [
    ("医疗健康进社区共建协议", "南岸区人民医院", "NA-NP-GLW", 400, -330),
    ("安全用气共建协议", "重庆燃气集团南岸分公司", "NA-HYL-JH", 700, -30),
    ("法律服务进小区共建协议", "南岸区司法局", "NA-NP-GLW-JL", 320, -410),
    ("红色物业共建协议", "华城物业服务有限公司", "NA-HYL-JH-HC", 1000, 30),
    ("青年志愿服务共建协议", "南岸区青年志愿者协会", "NA-CSQ-THQ", 270, -95),
    ("早年义诊合作协议", "南岸区人民医院", "NA-NP-BHY", 1200, 400),
]

# (partner, category, description)
RESOURCES = [
    ("南岸区人民医院", "health", "每月一次专家义诊、健康讲座"),
    ("重庆燃气集团南岸分公司", "safety", "燃气安全入户检查"),
    ("重庆燃气集团南岸分公司", "facilities", "老旧管道改造技术支持"),
    ("南岸区司法局", "legal", "律师驻点、矛盾纠纷调解"),
    ("华城物业服务有限公司", "facilities", "小修小补、设施维护人手"),
    ("南岸区青年志愿者协会", "children", "大学生志愿者课业辅导"),
]

# (compound, category, description, raised days ago)
NEEDS = [
    ("九龙花园", "facilities", "小区步道破损，雨天积水，老人出行不便", 320),
    ("华城国际小区", "elderly", "高层楼道需要安装适老化扶手", 120),
    ("移民小区", "children", "双职工家庭孩子放学后无人看管", 90),
    ("金港苑", "health", "独居老人需要定期健康检查", 60),
    ("丽景花园", "facilities", "楼道照明损坏", 200),
    ("长生雅苑", "facilities", "电动自行车停放充电难", 150),
]

# (title, org code, compound, category, need, partners, budget, volunteers, beneficiaries,
#  status path [(status, days ago)], fundings [(source, amount, days ago)])
PROJECTS = [
    (
        "九龙花园步道改造",
        "NA-NP-GLW-JL",
        "九龙花园",
        "facilities",
        "小区步道破损，雨天积水，老人出行不便",
        ["南岸区人民医院"],
        49000,
        9,
        600,
        [("approved", 280), ("in_progress", 250), ("completed", 200)],
        [("residents", 6000, 260), ("fund", 25000, 255), ("street", 18000, 252)],
    ),
    (
        "华城国际适老化扶手安装",
        "NA-HYL-JH-HC",
        "华城国际小区",
        "elderly",
        "高层楼道需要安装适老化扶手",
        ["华城物业服务有限公司"],
        12000,
        6,
        300,
        [("approved", 80), ("in_progress", 60)],
        [("partner", 8000, 58), ("party_fee", 2000, 55)],
    ),
    (
        "金港苑义诊进小区",
        "NA-NP-BHY-JG",
        "金港苑",
        "health",
        "独居老人需要定期健康检查",
        ["南岸区人民医院"],
        3000,
        4,
        120,
        [("approved", 30)],
        [],
    ),
    (
        "移民小区四点半课堂",
        "NA-CSQ-THQ-YM",
        "移民小区",
        "children",
        "双职工家庭孩子放学后无人看管",
        ["南岸区青年志愿者协会"],
        5000,
        0,
        40,
        [],
        [],
    ),
    (
        "长生雅苑充电棚建设",
        "NA-CSQ-CS-CSY",
        "长生雅苑",
        "facilities",
        "电动自行车停放充电难",
        [],
        80000,
        0,
        0,
        [("cancelled", 100)],
        [],
    ),
    (
        "丽景花园楼道照明改造",
        "NA-HYL-HY-LJ",
        "丽景花园",
        "facilities",
        "楼道照明损坏",
        [],
        8000,
        5,
        420,
        [("approved", 170), ("in_progress", 150), ("completed", 100)],
        [("residents", 3000, 160), ("street", 5000, 155)],
    ),
]

# (title, kind, organizer code, compound, partners, held days ago, members, residents)
ACTIVITIES = [
    ("“健康进万家”义诊", "clinic", "NA-NP-GLW-JL", "九龙花园", ["南岸区人民医院"], 40, 12, 86),
    ("燃气安全知识培训", "training", "NA-HYL-JH-HC", "华城国际小区", ["重庆燃气集团南岸分公司"], 75, 8, 60),
    ("法律明白人讲座", "lecture", "NA-NP-GLW-JL", "九龙花园", ["南岸区司法局"], 150, 15, 45),
    ("重阳节文艺汇演", "performance", "NA-CSQ-THQ", "移民小区", ["南岸区青年志愿者协会"], 60, 20, 200),
    ("小区环境大扫除", "volunteer", "NA-HYL-HY-LJ", "丽景花园", [], 10, 25, 30),
    ("去年的迎春联欢", "performance", "NA-HYL-JH", "金鹤新村一期", [], 400, 18, 150),
]

# (compound, resident, content, published days ago, target state)
WISHES = [
    ("九龙花园", "张桂芳", "希望有人帮忙修理家里漏水的水龙头", 45, WishStatus.FULFILLED),
    ("九龙花园", "王强", "想要一套小学三年级课外读物", 20, WishStatus.CLAIMED),
    ("华城国际小区", "赵秀英", "希望有人陪同去医院复查", 12, WishStatus.PUBLISHED),
    ("移民小区", "刘大爷", "想学会用智能手机视频通话", 5, WishStatus.PUBLISHED),
]

# (key description, compound, kind, category, resident, received days ago, dispute level, steps)
# steps: triage class, dispatch (to, dispatched days ago, due days ago), resolve (days ago, outcome), rating
REQUESTS = [
    ("楼下商铺油烟扰民", "九龙花园", "request", "environment", "孙丽", 3, "", None, None, None, None),
    ("小区健身器材损坏", "华城国际小区", "request", "facilities", "周建华", 10, "", "minor", None, None, None),
    ("单元门禁失灵", "九龙花园", "request", "facilities", "吴敏", 15, "", "minor", ("member", 14, -5), None, None),
    ("垃圾分类点异味", "金港苑", "request", "environment", "郑海", 60, "", "minor", ("branch", 58, 30), (35, ""), None),
    (
        "路灯不亮",
        "丽景花园",
        "request",
        "facilities",
        "冯晓东",
        90,
        "",
        "minor",
        ("branch", 88, 80),
        (82, ""),
        "satisfied",
    ),
    (
        "小区外道路坑洼需市政维修",
        "长生雅苑",
        "request",
        "facilities",
        "陈国庆",
        120,
        "",
        "major",
        ("department", 118, 50),
        (40, ""),
        "basically_satisfied",
    ),
    ("邻里阳台晾衣滴水", "移民小区", "request", "other", "褚红", 30, "", "private", None, (25, ""), "dissatisfied"),
    (
        "楼上装修漏水致楼下受损",
        "九龙花园",
        "dispute",
        "other",
        "卫东",
        70,
        "general",
        "minor",
        ("branch", 69, 55),
        (60, "compensation_agreed"),
        "satisfied",
    ),
    (
        "去年的停车纠纷",
        "华城国际小区",
        "request",
        "other",
        "蒋平",
        500,
        "",
        "minor",
        ("branch", 499, 490),
        (495, ""),
        "satisfied",
    ),
]


def _ago(ctx: DemoContext, days: int) -> datetime.date:
    return ctx.today - datetime.timedelta(days=days)


def _moment(ctx: DemoContext, days: int) -> datetime.datetime:
    day = _ago(ctx, days)
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 10, 0))


def _in_service_member(ctx: DemoContext, branch_code: str) -> Member:
    """An in-service member of the branch, created when the members demo has none."""
    branch = ctx.orgs[branch_code]
    member = (
        Member.objects.filter(branch=branch, occupation_status="in_service", status="active").order_by("id").first()
    )
    if member is None:
        member = Member.objects.create(
            name="刘志强",
            gender="male",
            occupation_status="in_service",
            employer="南岸区人民医院",
            branch=branch,
            home_organization=branch,
            compound=ctx.compounds.get("九龙花园"),
        )
    return member


def _seed_partners(ctx: DemoContext) -> dict[str, PartnerUnit]:
    partners = {}
    for name, kind, by, party_org, contact, phone in PARTNERS:
        partner = PartnerUnit.objects.filter(registered_by=ctx.orgs[by], name=name).first()
        if partner is None:
            partner = services.partner_save(
                name=name,
                kind=kind,
                registered_by=ctx.orgs[by],
                party_organization=party_org,
                contact_person=contact,
                contact_phone=phone,
            )
        partners[name] = partner
    for title, partner, code, signed, expires in AGREEMENTS:
        if not Agreement.objects.filter(partner=partners[partner], title=title).exists():
            services.agreement_save(
                partner=partners[partner],
                organization=ctx.orgs[code],
                title=title,
                signed_on=_ago(ctx, signed),
                expires_on=_ago(ctx, expires),
                content=f"{title}：双方定期联席、资源共享。",
            )
    for partner, category, description in RESOURCES:
        if not Resource.objects.filter(partner=partners[partner], description=description).exists():
            services.resource_save(partner=partners[partner], category=category, description=description)
    for compound, category, description, raised in NEEDS:
        if not Need.objects.filter(compound=ctx.compounds[compound], description=description).exists():
            services.need_save(
                compound=ctx.compounds[compound],
                category=category,
                description=description,
                raised_on=_ago(ctx, raised),
            )
    return partners


def _seed_projects(ctx: DemoContext, partners: dict[str, PartnerUnit]) -> None:
    for (
        title,
        code,
        compound,
        category,
        need_text,
        partner_names,
        budget,
        volunteers,
        beneficiaries,
        steps,
        fundings,
    ) in PROJECTS:
        if Project.objects.filter(title=title).exists():
            continue
        need = Need.objects.get(compound=ctx.compounds[compound], description=need_text)
        resources = Resource.objects.filter(partner__name__in=partner_names, category=category)
        project = services.project_create(
            title=title,
            organization=ctx.orgs[code],
            category=category,
            compound=ctx.compounds[compound],
            need=need,
            partners=[partners[n] for n in partner_names],
            resources=list(resources),
            budget=Decimal(budget),
            volunteers=volunteers,
            beneficiaries=beneficiaries,
            proposed_on=_ago(ctx, (steps[0][1] + 20) if steps else 15),
            description=f"{title}：由小区党支部牵头，共建单位和居民共同参与。",
        )
        for status, days in steps:
            project = services.project_transition(
                project=project,
                to_status=status,
                on=_ago(ctx, days),
                reason="预算超出街道年度计划，暂缓实施" if status == ProjectStatus.CANCELLED else "",
            )
            if status == ProjectStatus.IN_PROGRESS:
                services.progress_add(
                    project=project, date=_ago(ctx, days - 5), text="施工队进场，党员志愿者维持秩序。"
                )
        for source, amount, days in fundings:
            if source == "party_fee":
                _return_party_fees(ctx, project, Decimal(amount), _ago(ctx, days + 1))
            services.funding_add(project=project, source=source, amount=Decimal(amount), received_on=_ago(ctx, days))


def _return_party_fees(ctx: DemoContext, project: Project, amount: Decimal, on) -> None:
    """A project funded by 党费返还 draws on its branch's fund: the district returns the dues
    first when the members' demo has not already given the branch enough (南岸区 returns party
    dues to compound branches, seeds/)."""
    branch = services.party_fee_branch(project)
    if funds.fund_balance(branch) < amount:
        funds.allocation_create(
            branch=branch,
            allocated_by_org=ctx.orgs["NA"],
            kind="returned_dues",
            amount=amount,
            allocated_on=on,
            note="党费返还：支持小区党建项目",
        )


def _seed_activities(ctx: DemoContext, partners: dict[str, PartnerUnit]) -> None:
    for title, kind, code, compound, partner_names, days, members, residents in ACTIVITIES:
        if Activity.objects.filter(title=title, organizer=ctx.orgs[code]).exists():
            continue
        services.activity_save(
            title=title,
            kind=kind,
            organizer=ctx.orgs[code],
            compound=ctx.compounds[compound],
            held_on=_ago(ctx, days),
            member_participants=members,
            resident_participants=residents,
            partners=[partners[n] for n in partner_names],
        )


def _seed_wishes(ctx: DemoContext) -> None:
    for compound_name, resident, content, days, target in WISHES:
        compound = ctx.compounds[compound_name]
        if MicroWish.objects.filter(compound=compound, content=content).exists():
            continue
        wish = services.wish_publish(
            community=compound.community,
            compound=compound,
            resident_name=resident,
            content=content,
            published_on=_ago(ctx, days),
        )
        if target in (WishStatus.CLAIMED, WishStatus.FULFILLED):
            member = _in_service_member(ctx, compound.branch.code)
            wish = services.wish_claim(wish=wish, member=member, now=_moment(ctx, days - 2))
        if target == WishStatus.FULFILLED:
            services.wish_fulfil(wish=wish, note="党员上门更换了水龙头，居民很满意。", now=_moment(ctx, days - 5))


def _seed_requests(ctx: DemoContext) -> None:
    for (
        description,
        compound_name,
        kind,
        category,
        resident,
        days,
        level,
        triage,
        dispatch,
        resolve,
        rating,
    ) in REQUESTS:
        compound = ctx.compounds[compound_name]
        if ResidentRequest.objects.filter(compound=compound, description=description).exists():
            continue
        request = services.request_submit(
            compound=compound,
            kind=kind,
            category=category,
            description=description,
            resident_name=resident,
            received_on=_ago(ctx, days),
            dispute_level=level,
        )
        if triage:
            request = services.request_triage(request=request, triage=triage)
        if dispatch:
            to, dispatched, due = dispatch
            target = {}
            if to == "member":
                target["member"] = _in_service_member(ctx, compound.branch.code)
            elif to == "branch":
                target["organization"] = compound.branch
            else:
                target["department"] = "南岸区城市管理局"
            request = services.request_dispatch(
                request=request, dispatched_on=_ago(ctx, dispatched), due_on=_ago(ctx, due), **target
            )
        if resolve:
            resolved, outcome = resolve
            text = "经支部调解，双方达成赔偿协议。" if outcome else "已处理完毕并回访居民。"
            request = services.request_resolve(
                request=request, resolved_on=_ago(ctx, resolved), resolution=text, mediation_outcome=outcome
            )
        if rating:
            services.request_rate(request=request, rating=rating, rated_on=_ago(ctx, resolve[0] - 1))


def seed(ctx: DemoContext) -> None:
    partners = _seed_partners(ctx)
    _seed_projects(ctx, partners)
    _seed_activities(ctx, partners)
    _seed_wishes(ctx)
    _seed_requests(ctx)
    states = set(ResidentRequest.objects.values_list("status", flat=True))
    ctx.write(
        f"  共建共享：共建单位 {PartnerUnit.objects.count()} 个，协议 {Agreement.objects.count()} 份，"
        f"项目 {Project.objects.count()} 个，活动 {Activity.objects.count()} 场，"
        f"微心愿 {MicroWish.objects.count()} 个，群众点单 {ResidentRequest.objects.count()} 件"
        f"（状态 {len(states & set(RequestStatus.values))} 种），资金 {Funding.objects.count()} 笔"
    )
