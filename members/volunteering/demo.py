"""Demo 设岗定责 / 时间银行 for ``seed_demo`` (through the services; SQLite too): posts with members
and a resident volunteer on them in two branches, service records (confirmed and awaiting
confirmation), the 党员中心户's paired households and a 楼栋长 / 单元长. Idempotent: skipped
once a branch has posts."""

from __future__ import annotations

import datetime

from core.registry import DemoContext
from members.models import Member, MemberStatus, PositionKind
from members.volunteering import services
from members.volunteering.models import HeadKind, PostKind, Volunteer, VolunteerPost
from organizations.models import Compound

POSTS = (
    (PostKind.MODEL_POST, "党员示范岗", "带头亮身份、作表率，每月至少服务 4 小时"),
    (PostKind.PATROL, "治安巡逻岗", "夜间巡逻小区出入口和地下车库"),
    (PostKind.LIAISON, "民情联络岗", "收集楼栋居民诉求，及时上报支部"),
    (PostKind.CIVILITY, "文明劝导岗", "劝导高空抛物、乱停车和垃圾不分类"),
)
RESIDENTS = {"NA-HYL-JH-HC": ("周阿姨", "13983000001"), "NA-NP-GLW-JL": ("孙大伯", "13983000002")}
WORK = ("巡查消防通道并清理杂物", "协助调解邻里漏水纠纷", "走访独居老人", "劝导乱停车")


def seed(ctx: DemoContext) -> None:
    made = 0
    for code, (resident, phone) in RESIDENTS.items():
        branch = ctx.orgs.get(code)
        if branch is None or VolunteerPost.objects.filter(organization=branch).exists():
            continue
        members = list(Member.objects.filter(branch=branch, status=MemberStatus.ACTIVE).order_by("id")[:6])
        if not members:
            continue
        compound = Compound.objects.filter(branch=branch).order_by("id").first()
        volunteer = services.volunteer_save(branch=branch, name=resident, phone=phone)
        start = ctx.today - datetime.timedelta(days=120)
        holders = []
        for index, (kind, name, duties) in enumerate(POSTS):
            post = services.post_save(organization=branch, compound=compound, kind=kind, name=name, duties=duties)
            holders.append(services.holder_add(post=post, member=members[index % len(members)], started_on=start))
            made += 1
        holders.append(services.holder_add(post=post, volunteer=volunteer, started_on=start))
        for index, holder in enumerate(holders):
            for back in (30, 9):
                services.service_record(
                    holder=holder,
                    served_on=ctx.today - datetime.timedelta(days=back + index),
                    hours=(2, 1.5, 3)[index % 3],
                    description=WORK[index % len(WORK)],
                    # The older day is confirmed; the recent one waits for the secretary.
                    confirm=back == 30,
                    today=ctx.today,
                )
        _households(branch, compound, volunteer, start)
    ctx.write(f"  志愿服务岗：新增 {made} 个")


def _households(branch, compound, volunteer: Volunteer, start: datetime.date) -> None:
    if compound is None:
        return
    central = Member.objects.filter(
        positions__organization=branch, positions__kind=PositionKind.CENTRAL_HOUSEHOLD, positions__ended_on__isnull=True
    ).first()
    building = compound.buildings.order_by("id").first()
    if central is not None:
        for room, household in (("301", "刘桂兰"), ("502", "陈永福"), ("602", "赵淑珍")):
            services.paired_household_add(
                member=central,
                compound=compound,
                building=building,
                unit="1",
                room=room,
                household=household,
                started_on=start,
            )
    if building is None:
        return
    head = Member.objects.filter(
        positions__organization=branch, positions__kind=PositionKind.BUILDING_HEAD, positions__ended_on__isnull=True
    ).first()
    if head is not None:
        services.building_head_assign(building=building, kind=HeadKind.BUILDING, member=head, started_on=start)
    services.building_head_assign(
        building=building, kind=HeadKind.UNIT, unit="1", volunteer=volunteer, started_on=start
    )


def generate(ctx) -> None:
    """Benchmark scale: per branch a 党员示范岗 and a 治安巡逻岗 held by its first two active members,
    each with two confirmed days of service (bulk; their points come with the nightly award)."""
    from django.utils import timezone

    from members.volunteering.models import PostHolder, ServiceRecord, ServiceStatus

    members = ctx.data.get("member_ids_by_branch", {})
    posts = [
        VolunteerPost(organization_id=branch_id, kind=kind, name=name)
        for branch_id in ctx.data.get("branch_ids", [])
        if members.get(branch_id)
        for kind, name in ((PostKind.MODEL_POST, "党员示范岗"), (PostKind.PATROL, "治安巡逻岗"))
    ]
    VolunteerPost.objects.bulk_create(posts, batch_size=2000)
    start = ctx.today - datetime.timedelta(days=90)
    holders = []
    for index, post in enumerate(posts):
        ids = members[post.organization_id]
        holders.append(PostHolder(post=post, member_id=ids[index % 2 % len(ids)], started_on=start))
    PostHolder.objects.bulk_create(holders, batch_size=2000)
    now = timezone.now()
    records = [
        ServiceRecord(
            post=holder.post,
            holder=holder,
            served_on=ctx.today - datetime.timedelta(days=back),
            hours=ctx.rng.choice((1, 2, 3)),
            description=WORK[back % len(WORK)],
            status=ServiceStatus.CONFIRMED,
            confirmed_at=now,
        )
        for holder in holders
        for back in (10, 40)
    ]
    ServiceRecord.objects.bulk_create(records, batch_size=2000)
    ctx.write(f"  志愿服务岗：{len(posts)} 个岗位，{len(records)} 条已确认服务记录")
