"""Demo of residents' own requests (群众点单 by QR code): a public page for every demo compound
and, in 九龙花园, a few requests placed from it in each state (one marked as spam). A separate
seeder from ``seed.py``, whose figures the statistics tests count by hand. Idempotent: the
requests are looked up by their description."""

from __future__ import annotations

import datetime

from core.registry import DemoContext
from members.models import Member, MemberStatus
from organizations.selectors import in_subtree
from projects import services
from projects.models import ResidentRequest

# (description, building / unit, phone, days ago, last step)
PUBLIC_REQUESTS = [
    ("小区东门路灯不亮，晚上出行不便", "5栋1单元", "13900000101", 1, "submitted"),
    ("楼道堆放杂物，存在消防隐患", "2栋3单元", "13900000102", 3, "triaged"),
    ("单元门禁刷卡失灵", "7栋2单元", "13900000103", 6, "dispatched"),
    ("健身器材螺丝松动", "中心广场", "13900000104", 12, "resolved"),
    ("希望增设电动车充电桩", "9栋", "13900000105", 20, "rated"),
    ("点击领取免费礼品 http://example.invalid", "", "13900000106", 2, "spam"),
]
ORDER = ("submitted", "triaged", "dispatched", "resolved", "rated")


def _ago(ctx: DemoContext, days: int) -> datetime.date:
    return ctx.today - datetime.timedelta(days=days)


def seed(ctx: DemoContext) -> None:
    for compound in ctx.compounds.values():
        services.intake_for(compound)
    compound = ctx.compounds.get("九龙花园")
    if compound is None:
        return
    intake = services.intake_for(compound)
    member = (
        Member.objects.filter(in_subtree("branch", compound.branch), status=MemberStatus.ACTIVE).order_by("pk").first()
    )
    for description, unit, phone, days, last in PUBLIC_REQUESTS:
        if ResidentRequest.objects.filter(compound=compound, description=description).exists():
            continue
        obj, _token = services.public_request_submit(
            intake=intake, description=description, building_unit=unit, phone=phone, received_on=_ago(ctx, days)
        )
        if last == "spam":
            services.request_mark_spam(request=obj)
            continue
        step = ORDER.index(last)
        if step >= 1:
            obj = services.request_triage(request=obj, triage="minor")
        if step >= 2 and member is not None:
            obj = services.request_dispatch(
                request=obj, member=member, dispatched_on=_ago(ctx, days - 1), due_on=_ago(ctx, days - 8)
            )
        if step >= 3 and member is not None:
            obj = services.request_resolve(request=obj, resolved_on=_ago(ctx, days - 2), resolution="党员已上门处理。")
        if step >= 4 and member is not None:
            services.request_rate_by_resident(
                request=obj, score=5, comment="处理及时，很满意", rated_on=_ago(ctx, days - 3)
            )
    ctx.write(f"  群众点单二维码：{compound.name} 公开页 /r/c/{intake.token}/（后台“小区点单页”可打印二维码）")
