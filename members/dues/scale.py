"""Scale data: a dues base for every active member and a year of payments (twelve months
ending last month), bulk-inserted with COPY like the members themselves (``copy_insert``)."""

from __future__ import annotations

import datetime

from core.periods import add_months
from members.dues.standards import compute_monthly, standard_in_force
from members.models import DuesBase, DuesPayment, Member, MemberStatus
from members.roster.save import copy_insert

INCOMES = ("2500", "3000", "4200", "5000", "7800", "12000")


def generate(ctx) -> None:
    from decimal import Decimal

    rng = ctx.rng
    end = ctx.today.replace(day=1) - datetime.timedelta(days=1)
    months = [add_months(end.replace(day=1), -i) for i in range(11, -1, -1)]
    start = months[0]
    standard = standard_in_force(start)
    amounts = {}
    for income in INCOMES:
        for category in ("in_service", "retired"):
            amounts[(category, income)] = compute_monthly(standard, category, Decimal(income))[0]
    rows = Member.objects.filter(status=MemberStatus.ACTIVE, branch_id__in=ctx.data["branch_ids"]).values_list(
        "id", "branch_id", "admitted_on"
    )
    bases, payments = [], []
    for member_id, branch_id, admitted_on in rows:
        category = "retired" if rng.random() < 0.4 else "in_service"
        income = rng.choice(INCOMES)
        amount = amounts[(category, income)]
        bases.append(
            DuesBase(
                member_id=member_id,
                valid_from=start,
                category=category,
                income_base=Decimal(income),
                standard=standard,
                computed_amount=amount,
                monthly_amount=amount,
            )
        )
        behind = 0 if rng.random() < 0.9 else rng.randint(1, 8)
        first = admitted_on.replace(day=1) if admitted_on else start
        for month in months[: len(months) - behind]:
            if month >= first:
                payments.append(
                    DuesPayment(
                        member_id=member_id,
                        branch_id=branch_id,
                        month=month,
                        amount=amount,
                        paid_on=month + datetime.timedelta(days=9),
                        method="cash",
                    )
                )
    copy_insert(DuesBase, bases)
    copy_insert(DuesPayment, payments)
