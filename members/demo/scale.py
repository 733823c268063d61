"""Scale data of party members and positions (``generate_scale_data``).

Default 100,000 members across ``ctx.data["branch_ids"]`` with realistic distributions: branch
sizes spread log-normally (some above 50, a few below 3 full members), 3% probationary, 55%
retired / 30% in service (70% of them reported to the compound) / 10% unemployed, 5% floating,
1% lost contact, 15% dual membership, 2% deceased or transferred out. ID numbers are valid
(GB 11643) and encrypted in batches (``crypto.encrypt_many``); positions: a secretary for every
branch, a committee where there are 7 or more members, leaders for 80% of the groups.

Leaves: ``ctx.data["member_ids_by_branch"]`` (branch id → active member ids) and
``ctx.data["member_count"]``.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from core.periods import add_months
from core.registry import ScaleContext
from members import crypto
from members.demo.national import national_fields
from members.models import (
    ConversionStatus,
    FloatingStatus,
    ManagementMode,
    Member,
    MemberStatus,
    OccupationStatus,
    PartyStatus,
    Position,
    PositionKind,
)
from members.roster.save import copy_insert

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈"
GIVEN = "建国秀英志强桂兰德明玉梅国华淑珍卫东红梅永福丽华海燕文斌小平春兰明辉晓燕家福慧敏立新凤英光荣美玲振华雪梅"
AREAS = ("500108", "500103", "500105", "500106", "500107", "500112", "510104", "420102", "430103", "110105")
COMMITTEE = (PositionKind.ORGANIZATION, PositionKind.PUBLICITY, PositionKind.DISCIPLINE, PositionKind.DEPUTY_SECRETARY)


def _new_member(rng, today, branch_id, groups, compounds, used: set[str]) -> tuple[Member, str, str]:
    """One generated member of ``branch_id`` with its clear ID number and phone (encrypted in bulk
    afterwards). Draws from ``rng`` in a fixed order, so a seed always gives the same district."""
    birth = datetime.date(rng.randint(1935, 2002), rng.randint(1, 12), rng.randint(1, 28))
    id_number = crypto.make_id_number(rng.choice(AREAS), birth, rng.randint(0, 999))
    while id_number in used:
        id_number = crypto.make_id_number(rng.choice(AREAS), birth, rng.randint(0, 999))
    used.add(id_number)
    phone = f"1{rng.choice('3456789')}{rng.randint(0, 10**9 - 1):09d}"
    probationary = rng.random() < 0.03
    if probationary:
        admitted = today - datetime.timedelta(days=rng.randint(30, 420))
    else:
        admitted = min(birth.replace(year=birth.year + rng.randint(18, 40)), today - datetime.timedelta(days=400))
    due = add_months(admitted, 12)
    occupation = rng.choices(list(OccupationStatus.values), [30, 55, 10, 2, 3])[0]
    if birth.year < 1962 and occupation == OccupationStatus.IN_SERVICE:
        occupation = OccupationStatus.RETIRED
    floating = rng.choices(["", FloatingStatus.OUT, FloatingStatus.IN], [95, 4, 1])[0]
    group_ids = groups.get(branch_id) or []
    status = rng.choices([MemberStatus.ACTIVE, MemberStatus.TRANSFERRED_OUT, MemberStatus.DECEASED], [98, 1, 1])[0]
    member = Member(
        name=rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.3 else ""),
        gender=crypto.id_gender(id_number),
        birth_date=birth,
        id_number_hash=crypto.keyed_hash(id_number),
        id_number_masked=crypto.mask_id_number(id_number),
        phone_hash=crypto.keyed_hash(phone),
        phone_masked=crypto.mask_phone(phone),
        education=rng.choice(["junior_or_below", "senior", "college", "bachelor", "postgraduate"]),
        party_status=PartyStatus.PROBATIONARY if probationary else PartyStatus.FULL,
        admitted_on=admitted,
        full_member_on=None if probationary else due,
        probation_due_on=due if probationary else None,
        occupation_status=occupation,
        branch_id=branch_id,
        group_id=rng.choice(group_ids) if group_ids and rng.random() < 0.8 else None,
        home_organization_id=branch_id,
        compound_id=compounds.get(branch_id),
        unit=str(rng.randint(1, 4)),
        room=f"{rng.randint(1, 30)}0{rng.randint(1, 4)}",
        floating_status=floating,
        floating_to="广东省深圳市" if floating else "",
        lost_contact=rng.random() < 0.01,
        status=status,
        status_changed_on=today if status != MemberStatus.ACTIVE else None,
    )
    for name, value in national_fields(
        id_number,
        birth=birth,
        education=member.education,
        in_service=occupation == OccupationStatus.IN_SERVICE,
        number=int(id_number[:17]),
    ).items():
        setattr(member, name, value)
    if not probationary:
        member.conversion_status = ConversionStatus.ON_TIME
    if occupation == OccupationStatus.IN_SERVICE:
        member.employer = "某单位"
        if rng.random() < 0.7:
            member.reported_on = today - datetime.timedelta(days=rng.randint(10, 900))
        if rng.random() < 0.5:  # dual membership: relationship stays with the employer
            member.home_organization_id, member.home_organization_name = None, "某单位党支部"
    member.management_mode = (
        ManagementMode.TRACKING
        if floating
        else ManagementMode.TARGET
        if occupation == OccupationStatus.IN_SERVICE
        else ManagementMode.POST
    )
    return member, id_number, phone


def _group_positions(rng, today, started, branch_members, group_id) -> list[Position]:
    """The group leader and (about half the groups) a 党员中心户; one in five of those has since
    stepped down."""
    positions = []
    leader = next((m for m in branch_members if m.group_id == group_id), None)
    if leader is not None and rng.random() < 0.8:
        positions.append(
            Position(member=leader, organization_id=group_id, kind=PositionKind.GROUP_LEADER, started_on=started)
        )
    household = next((m for m in branch_members if m.group_id == group_id and m is not leader), None)
    if household is not None and rng.random() < 0.5:
        positions.append(
            Position(
                member=household,
                organization_id=group_id,
                kind=PositionKind.CENTRAL_HOUSEHOLD,
                started_on=started,
                ended_on=today - datetime.timedelta(days=rng.randint(1, 400)) if rng.random() < 0.2 else None,
            )
        )
    return positions


def _positions(rng, today, by_branch: dict[int, list[Member]], groups) -> list[Position]:
    """A secretary per branch, a committee where 7 or more members live, and the groups' posts."""
    positions = []
    started = datetime.date(today.year - 2, 7, 1)
    for branch_id, branch_members in by_branch.items():
        positions.append(
            Position(
                member=branch_members[0], organization_id=branch_id, kind=PositionKind.SECRETARY, started_on=started
            )
        )
        if len(branch_members) >= 7:
            for member, kind in zip(branch_members[1:], COMMITTEE[: rng.randint(2, 4)], strict=False):
                positions.append(Position(member=member, organization_id=branch_id, kind=kind, started_on=started))
        for group_id in groups.get(branch_id, []):
            positions += _group_positions(rng, today, started, branch_members, group_id)
    return positions


@transaction.atomic
def generate(ctx: ScaleContext) -> None:
    rng, today = ctx.rng, ctx.today
    branch_ids = ctx.data["branch_ids"]
    groups = ctx.data.get("group_ids_by_branch", {})
    compounds = ctx.data.get("compound_ids_by_branch", {})
    total = ctx.sizes["members"]
    weights = [rng.lognormvariate(0, 0.6) for _ in branch_ids]
    assigned = rng.choices(branch_ids, weights, k=total)
    used: set[str] = set()
    members: list[Member] = []
    id_numbers: list[str] = []
    phones: list[str] = []
    for branch_id in assigned:
        member, id_number, phone = _new_member(rng, today, branch_id, groups, compounds, used)
        members.append(member)
        id_numbers.append(id_number)
        phones.append(phone)
    for member, token in zip(members, crypto.encrypt_many(id_numbers), strict=True):
        member.id_number_encrypted = token
    for member, token in zip(members, crypto.encrypt_many(phones), strict=True):
        member.phone_encrypted = token
    copy_insert(Member, members)  # COPY on PostgreSQL, bulk_create elsewhere

    by_branch: dict[int, list[Member]] = {}
    for m in members:
        if m.status == MemberStatus.ACTIVE:
            by_branch.setdefault(m.branch_id, []).append(m)
    positions = _positions(rng, today, by_branch, groups)
    copy_insert(Position, positions)
    ctx.data["member_ids_by_branch"] = {b: [m.pk for m in ms] for b, ms in by_branch.items()}
    ctx.data["member_count"] = len(members)
    ctx.write(f"  党员 {len(members)} 名，职务 {len(positions)} 个")


generate.DEFAULTS = {"members": 100_000}
