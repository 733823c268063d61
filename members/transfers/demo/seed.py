"""Demo transfers and floating members of 南岸区 (``seed_demo``), through the services: a letter
in each state (draft, issued, received within the district, returned, expired, out of the
system with its receipt, in from outside) and floating members out (one not contacted for
months) and in; 古楼湾社区 has one of each kind of record as well. Idempotent: nothing is added once the demo letters exist."""

from __future__ import annotations

import datetime

from core.registry import DemoContext
from members import crypto
from members.models import Member, Position, Transfer
from members.transfers import floating, services, status
from organizations.models import OrganizationKind

DEMO_PREFIX = "南岸转"


def _free_members(branch, count):
    busy = Position.objects.filter(ended_on__isnull=True).values("member_id")
    rows = (
        Member.objects.active()
        .filter(branch=branch, floating_status="", lost_contact=False)
        .exclude(pk__in=busy)
        .exclude(transfers__state__in=["draft", "issued"])
        .order_by("id")
    )
    return list(rows[:count])


def seed(ctx: DemoContext) -> None:
    if Transfer.objects.filter(letter_number__startswith=DEMO_PREFIX).exists():
        return
    branches = sorted(
        (o for o in ctx.orgs.values() if getattr(o, "kind", None) == OrganizationKind.BRANCH), key=lambda o: o.pk
    )
    if len(branches) < 3:
        return
    today = ctx.today
    a, b, c = branches[:3]
    pool = _free_members(a, 6) + _free_members(b, 3)
    if len(pool) < 8:
        return
    number = iter(f"{DEMO_PREFIX}〔{today.year}〕{n:03d}号" for n in range(1, 100))
    _letters(pool, a, b, c, today, number)
    _floating(pool[6:], today)
    _inbound(c, today, number)
    _status_change(c, today)
    _gulouwan(ctx, today, number)
    ctx.write("  组织关系转接与流动党员示例数据已生成")


def _gulouwan(ctx: DemoContext, today, number) -> None:
    """古楼湾社区 (九龙花园's branch) too has a letter in flight to 白鹤苑社区, a member floating
    out and a letter received from outside, so its community staff see each kind of record."""
    branch, destination = ctx.orgs.get("NA-NP-GLW-JL"), ctx.orgs.get("NA-NP-BHY-JG")
    if branch is None or destination is None:
        return
    pool = _free_members(branch, 2)
    if len(pool) < 2:
        return
    leaving = services.transfer_create(member=pool[0], to_organization=destination, reason="购房迁居至金港苑")
    services.transfer_issue(transfer=leaving, letter_number=next(number), today=today - datetime.timedelta(days=3))
    floating.floating_start(
        member=pool[1],
        direction="out",
        place="浙江省杭州市西湖区",
        since=today - datetime.timedelta(days=60),
        contact="电话联系",
        certificate_number="流动证2025-0212",
        today=today,
    )
    birth = datetime.date(1985, 9, 3)
    services.transfer_receive_letter(
        to_organization=branch,
        from_name="重庆市江北区某街道党工委",
        letter_number=next(number),
        valid_until=today + datetime.timedelta(days=60),
        member_fields={
            "name": "邱明远",
            "gender": "male",
            "birth_date": birth,
            "id_number": crypto.make_id_number("500105", birth, 428),
            "party_status": "full",
            "admitted_on": datetime.date(2012, 7, 1),
            "full_member_on": datetime.date(2013, 7, 1),
            "occupation_status": "in_service",
        },
        today=today,
    )


def _status_change(branch, today) -> None:
    """One member of the third branch died last month: the record stays, with the date."""
    member = next(iter(_free_members(branch, 1)), None)
    if member is not None:
        status.member_record_death(member=member, on=today - datetime.timedelta(days=30), reason="病故")


def _letters(pool, a, b, c, today, number):
    within = services.transfer_create(member=pool[0], to_organization=b, reason="搬家至新小区")
    services.transfer_issue(transfer=within, letter_number=next(number), today=today)  # issued, in flight

    services.transfer_create(member=pool[1], to_organization=c, reason="随子女迁居")  # draft

    moved = services.transfer_create(member=pool[2], to_organization=c, reason="购房迁居")
    services.transfer_issue(transfer=moved, letter_number=next(number), today=today - datetime.timedelta(days=20))
    services.transfer_accept(transfer=moved, today=today - datetime.timedelta(days=5))  # received

    refused = services.transfer_create(member=pool[3], to_organization=b, reason="迁居")
    services.transfer_issue(transfer=refused, letter_number=next(number), today=today - datetime.timedelta(days=30))
    services.transfer_return(
        transfer=refused, reason="介绍信抬头有误，退回重开", today=today - datetime.timedelta(days=25)
    )

    lapsed = services.transfer_create(member=pool[4], kind="out", to_name="江北区某街道某社区党委")
    issued_on = today - datetime.timedelta(days=120)
    services.transfer_issue(
        transfer=lapsed,
        letter_number=next(number),
        valid_until=issued_on + datetime.timedelta(days=90),
        today=issued_on,
    )
    services.transfer_expire_overdue(today=today)  # expired

    away = services.transfer_create(member=pool[5], kind="out", to_name="成都市武侯区某社区党委")
    services.transfer_issue(transfer=away, letter_number=next(number), today=today - datetime.timedelta(days=40))
    services.transfer_record_receipt(
        transfer=away, receipt_number="回执0012", today=today - datetime.timedelta(days=10)
    )


def _floating(pool, today):
    first, second = pool[0], pool[1]
    floating.floating_start(
        member=first,
        direction="out",
        place="广东省深圳市南山区",
        since=today - datetime.timedelta(days=200),
        contact="微信联系",
        certificate_number="流动证2024-0031",
        destination_name="深圳市南山区粤海街道流动党员党支部",
        today=today,
    )
    floating.floating_start(
        member=second,
        direction="in",
        place="四川省南充市",
        since=today - datetime.timedelta(days=30),
        contact="电话联系",
        certificate_number="流动证2025-0107",
        today=today,
    )


def _inbound(branch, today, number):
    birth = datetime.date(1979, 4, 12)
    services.transfer_receive_letter(
        to_organization=branch,
        from_name="重庆市渝北区某街道党工委",
        letter_number=next(number),
        valid_until=today + datetime.timedelta(days=60),
        member_fields={
            "name": "杜文涛",
            "gender": "male",
            "birth_date": birth,
            "id_number": crypto.make_id_number("500112", birth, 317),
            "party_status": "full",
            "admitted_on": datetime.date(2008, 6, 20),
            "full_member_on": datetime.date(2009, 6, 20),
            "occupation_status": "in_service",
        },
        today=today,
    )
