"""Scale data of the committees app: bodies, seats, firms, contracts, fee collection,
evaluations and matters for the compounds of ``ctx.data["compound_ids"]``.

Rows are bulk-inserted in batches with values that already satisfy the services' rules (term
end after election, contracts of a compound never overlap, seats of members of the compound's
branch). Party seats link member records of the compound's branch when the members generator
ran (and the branch secretary chairs about a third of the owners' committees: 一肩挑).
Leaves ``ctx.data["committee_ids"]``, ``firm_ids``, ``matter_ids``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from committees.credit_code import ALPHABET, check_character
from committees.models import (
    Committee,
    CommitteeKind,
    CommitteeStatus,
    Evaluation,
    EvaluatorKind,
    FeeCollection,
    Matter,
    MatterHandler,
    MatterStatus,
    PropertyFirm,
    Seat,
    SeatRole,
    ServiceContract,
)
from core.registry import ScaleContext
from organizations.models import Compound, CompoundKind

BATCH = 2000
GIVEN = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
NAMES = "建国秀英志强丽华海燕国庆春梅德明玉兰文斌淑芬晓东桂兰永福美玲立新红霞"


def _name(rng) -> str:
    i = rng.randrange(len(NAMES) // 2) * 2
    return rng.choice(GIVEN) + NAMES[i : i + 2]


def _code(rng) -> str:
    body = (
        "9150"
        + "".join(rng.choice("0123456789") for _ in range(4))
        + "MA"
        + "".join(rng.choice(ALPHABET) for _ in range(7))
    )
    return body + check_character(body)


def _months_before(today: datetime.date, n: int) -> list[tuple[int, int]]:
    year, month, out = today.year, today.month, []
    for _i in range(n):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append((year, month))
    return out


def _bodies(rng, today, compounds) -> tuple[list[Committee], list[int | None]]:
    """Self-governance bodies of the compounds (by compound kind) and the branch of each."""
    # Kinds by compound kind: owners' committees in most property-managed compounds.
    bodies, plans = [], []
    for pk, kind, branch_id in compounds:
        wanted = []
        if kind == CompoundKind.PROPERTY_MANAGED:
            if rng.random() < 0.85:
                wanted.append(CommitteeKind.OWNERS)
            if rng.random() < 0.2:
                wanted.append(CommitteeKind.SUPERVISION)
        elif kind == CompoundKind.SELF_MANAGED and rng.random() < 0.6:
            wanted.append(CommitteeKind.SELF_GOVERNANCE)
        elif kind == CompoundKind.PUBLIC_RENTAL and rng.random() < 0.5:
            wanted.append(CommitteeKind.PROPERTY_MANAGEMENT)
        for body_kind in wanted:
            roll = rng.random()
            if roll < 0.05:
                status, elected, ends = CommitteeStatus.FORMING, None, None
            else:
                ends = today + datetime.timedelta(days=rng.randint(-200, 5 * 365))
                elected = ends - datetime.timedelta(days=5 * 365)
                status = CommitteeStatus.ACTIVE if ends >= today else CommitteeStatus.EXPIRED
            bodies.append(
                Committee(
                    compound_id=pk,
                    kind=body_kind,
                    term_number=rng.randint(1, 4),
                    elected_on=elected,
                    term_ends_on=ends,
                    status=status,
                )
            )
            plans.append(branch_id)
    bodies = Committee.objects.bulk_create(bodies, batch_size=BATCH)
    return bodies, plans


def _seats(rng, bodies, plans, pool, secretaries) -> list[Seat]:
    """Seats of the formed bodies; some chairs are the branch secretary (一肩挑)."""
    seats = []
    for body, branch_id in zip(bodies, plans, strict=True):
        if body.status == CommitteeStatus.FORMING:
            continue
        members = pool.get(branch_id, [])
        size = rng.randint(5, 9) if body.kind == CommitteeKind.OWNERS else rng.randint(3, 5)
        roles = (
            [SeatRole.CHAIR, SeatRole.VICE_CHAIR]
            + [SeatRole.MEMBER] * (size - 3)
            + [rng.choice([SeatRole.MEMBER, SeatRole.EXECUTIVE_SECRETARY])]
        )
        for role in roles:
            party = rng.random() < 0.55
            member_id = None
            if (
                role == SeatRole.CHAIR
                and body.kind == CommitteeKind.OWNERS
                and branch_id in secretaries
                and rng.random() < 0.35
            ):
                member_id, party = secretaries[branch_id], True
            elif party and members:
                member_id = members.pop(rng.randrange(len(members)))
            seats.append(
                Seat(
                    committee_id=body.pk,
                    role=role,
                    holder_name=_name(rng),
                    member_id=member_id,
                    is_party_member=party,
                    started_on=body.elected_on,
                )
            )
    Seat.objects.bulk_create(seats, batch_size=BATCH)
    return seats


def _firms_and_contracts(rng, sizes, compounds):
    """Property firms and their contracts with the property-managed compounds."""
    # One firm per compound now; one in ten had another firm before.
    firms = [
        PropertyFirm(
            name=f"规模测试第{i + 1}物业服务有限公司",
            credit_code=_code(rng),
            has_party_organization=(red := rng.random() < 0.4),
            party_organization_name=f"规模测试第{i + 1}物业党支部" if red else "",
            contact_person=_name(rng),
            contact_phone=f"023-6{rng.randint(1000000, 9999999)}",
        )
        for i in range(sizes["property_firms"])
    ]
    firms = PropertyFirm.objects.bulk_create(firms, batch_size=BATCH, ignore_conflicts=False)
    contracts, served = [], []
    for pk, kind, _branch in compounds:
        if kind != CompoundKind.PROPERTY_MANAGED:
            continue
        start = datetime.date(rng.randint(2015, 2023), rng.randint(1, 12), 1)
        firm = rng.choice(firms)
        if rng.random() < 0.1:
            old_start = datetime.date(start.year - 5, start.month, 1)
            contracts.append(
                ServiceContract(
                    firm=rng.choice(firms),
                    compound_id=pk,
                    started_on=old_start,
                    ended_on=start - datetime.timedelta(days=1),
                    fee_per_m2_month=Decimal(rng.randint(80, 250)) / 100,
                )
            )
        contracts.append(
            ServiceContract(
                firm=firm, compound_id=pk, started_on=start, fee_per_m2_month=Decimal(rng.randint(100, 350)) / 100
            )
        )
        served.append((pk, firm))
    ServiceContract.objects.bulk_create(contracts, batch_size=BATCH)
    return firms, contracts, served


def _fees_and_evaluations(rng, today, sizes, served) -> tuple[list[FeeCollection], list[Evaluation]]:
    """Six months of fee collection and the quarters' evaluations of each served compound."""
    fees, evaluations = [], []
    months = _months_before(today, 6)
    quarters = sorted({(y, (m - 1) // 3 + 1) for y, m in _months_before(today, 3 * sizes["evaluation_quarters"])})
    quarters = quarters[-sizes["evaluation_quarters"] :]
    for pk, firm in served:
        due = Decimal(rng.randint(20000, 200000))
        for year, month in months:
            fees.append(
                FeeCollection(
                    compound_id=pk,
                    firm=firm,
                    year=year,
                    month=month,
                    amount_due=due,
                    amount_collected=(due * Decimal(rng.randint(60, 100)) / 100).quantize(Decimal("1")),
                )
            )
        for year, quarter in quarters:
            for evaluator in EvaluatorKind.values:
                scores = [rng.randint(m // 2, m) for m in (25, 20, 20, 20, 15)]
                evaluations.append(
                    Evaluation(
                        firm=firm,
                        compound_id=pk,
                        year=year,
                        quarter=quarter,
                        evaluator_kind=evaluator,
                        score_service=scores[0],
                        score_environment=scores[1],
                        score_security=scores[2],
                        score_maintenance=scores[3],
                        score_responsiveness=scores[4],
                        total=sum(scores),
                    )
                )
    FeeCollection.objects.bulk_create(fees, batch_size=BATCH)
    Evaluation.objects.bulk_create(evaluations, batch_size=BATCH)
    return fees, evaluations


def _matters(rng, today, sizes, compounds, served) -> list[Matter]:
    """Three-party matters raised over the last year."""
    # A matter for the property firm goes to the community where no firm serves.
    firm_of = dict(served)
    matters = []
    compound_ids = [pk for pk, _k, _b in compounds]
    for i in range(sizes["matters"] if compound_ids else 0):
        pk = rng.choice(compound_ids)
        raised = today - datetime.timedelta(days=rng.randint(1, 365))
        handler = rng.choice(MatterHandler.values)
        if handler == MatterHandler.PROPERTY_FIRM and pk not in firm_of:
            handler = MatterHandler.COMMUNITY
        status = rng.choices(MatterStatus.values, [30, 25, 30, 15])[0]
        done = status in (MatterStatus.RESOLVED, MatterStatus.CLOSED)
        matters.append(
            Matter(
                compound_id=pk,
                title=f"议题{i + 1}",
                raised_by=_name(rng),
                raised_on=raised,
                handler=handler,
                firm=firm_of.get(pk) if handler == MatterHandler.PROPERTY_FIRM else None,
                department="街道城市管理办公室" if handler == MatterHandler.GOVERNMENT else "",
                due_on=raised + datetime.timedelta(days=rng.randint(7, 90)),
                status=status,
                outcome="已办结" if done else "",
                resolved_on=raised + datetime.timedelta(days=5) if done else None,
            )
        )
    matters = Matter.objects.bulk_create(matters, batch_size=BATCH)
    return matters


@transaction.atomic
def generate(ctx: ScaleContext) -> None:
    from members.models import Member, Position, PositionKind

    rng, today, sizes = ctx.rng, ctx.today, ctx.sizes
    compounds = list(
        Compound.objects.filter(pk__in=ctx.data.get("compound_ids", [])).values_list("pk", "kind", "branch_id")
    )
    branch_ids = {b for _p, _k, b in compounds if b}
    pool: dict[int, list[int]] = {}
    for pk, branch_id in Member.objects.filter(branch_id__in=branch_ids, status="active").values_list(
        "pk", "branch_id"
    ):
        pool.setdefault(branch_id, []).append(pk)
    secretaries = dict(
        Position.objects.filter(
            organization_id__in=branch_ids, kind=PositionKind.SECRETARY, ended_on__isnull=True
        ).values_list("organization_id", "member_id")
    )

    bodies, plans = _bodies(rng, today, compounds)
    seats = _seats(rng, bodies, plans, pool, secretaries)
    firms, contracts, served = _firms_and_contracts(rng, sizes, compounds)
    fees, evaluations = _fees_and_evaluations(rng, today, sizes, served)
    matters = _matters(rng, today, sizes, compounds, served)

    ctx.data.update(
        committee_ids=[b.pk for b in bodies], firm_ids=[f.pk for f in firms], matter_ids=[m.pk for m in matters]
    )
    ctx.write(
        f"  自治组织 {len(bodies)} 个，成员 {len(seats)} 人，物业企业 {len(firms)} 家，合同 {len(contracts)} 份，"
        f"收缴 {len(fees)} 条，评价 {len(evaluations)} 条，议题 {len(matters)} 件"
    )


generate.DEFAULTS = {
    "property_firms": 300,
    "evaluation_quarters": 4,
    "matters": 3000,
}
generate.UNSCALED = ("evaluation_quarters",)
