"""Demo dues and funds for 南岸区: every demo member gets a dues base and pays this year's months
(a few fall behind, so the reminders and the phone page have something to show); the district
returns dues (党费返还) to the compound branches and 花园路街道 gives start-up grants."""

from __future__ import annotations

import datetime

from members.dues import funds, ledger, standards
from members.models import DuesArrearsReason, DuesBase, FundAllocation, Member, MemberStatus
from organizations.models import Organization, OrganizationKind

PROFILES = (
    ("in_service", "2800"),
    ("in_service", "4500"),
    ("retired", "4200"),
    ("in_service", "8600"),
    ("retired", "6100"),
    ("in_service", "12500"),
    ("farmer", "0"),
    ("student", "0"),
    ("hardship", "0"),
)


def _pay(member: Member, months: list[datetime.date], today: datetime.date) -> None:
    months = [m for m in months if not member.admitted_on or m >= member.admitted_on.replace(day=1)]
    todo = sorted(set(months) - ledger.paid_months(member, months))
    if todo:
        ledger.payment_record(member=member, months=todo, paid_on=today, method="cash")


def seed(ctx) -> None:
    today = ctx.today
    year_start = today.replace(month=1, day=1)
    months = [year_start.replace(month=m) for m in range(1, today.month + 1)]
    members = Member.objects.filter(status=MemberStatus.ACTIVE, branch__code__startswith="NA-").order_by("pk")
    created = 0
    for index, member in enumerate(members):
        if not DuesBase.objects.filter(member=member).exists():
            category, income = PROFILES[index % len(PROFILES)]
            standards.dues_base_set(member=member, valid_from=year_start, category=category, income_base=income)
            created += 1
        # Every seventh member is four months behind, every thirteenth seven months.
        behind = 7 if index % 13 == 5 else 4 if index % 7 == 3 else 0
        _pay(member, months[: max(len(months) - behind, 0)], today)
        if index == 5 and not DuesArrearsReason.objects.filter(member=member).exists():
            # The branch knows why: the member is in hospital (no 自行脱党 flag for six months).
            ledger.reason_noted(member=member, reason="住院治疗，家属代为说明", noted_on=today)
    district = Organization.objects.filter(code="NA").first()
    street = Organization.objects.filter(code="NA-HYL").first()
    branches = Organization.objects.filter(kind=OrganizationKind.BRANCH, code__startswith="NA-").order_by("code")
    for branch in branches:
        if FundAllocation.objects.filter(fund__branch=branch).exists() or district is None:
            continue
        funds.allocation_create(
            branch=branch,
            allocated_by_org=district,
            kind="returned_dues",
            amount="3000.00",
            allocated_on=year_start,
            note="区委党费返还，支持小区党支部开展服务",
        )
        if street is not None and branch.code.startswith("NA-HYL-"):
            funds.allocation_create(
                branch=branch, allocated_by_org=street, kind="start_up", amount="2000.00", allocated_on=year_start
            )
        funds.spending_create(
            branch=branch,
            spent_on=year_start + datetime.timedelta(days=40),
            purpose="走访慰问困难党员",
            amount="800.00",
        )
    ctx.write(f"  党费：新增缴费基数 {created} 条；支部经费 {branches.count()} 个支部")
