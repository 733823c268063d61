"""The dues ledger (党费收缴): append-only payments, reversing corrections, arrears.

A payment covers one month; paying several months records one entry per month. A month is paid
when its entries sum to more than zero: a correction is a reversing entry (the negative of the
original), after which the month is unpaid again. Probationary members pay from the day the
支部大会 admits them (《规定》第三条), so months before ``admitted_on`` are not due.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from core.auth.accounts import recorded_user
from members.dues import rollup
from members.dues.standards import base_for_month, money
from members.models import DuesPayment, Member, PaymentMethod

MAX_MONTHS_AHEAD = 12


def paid_months(member: Member, months) -> set[datetime.date]:
    """Which of ``months`` already have a net positive payment."""
    rows = (
        DuesPayment.objects.filter(member=member, month__in=list(months))
        .values("month")
        .annotate(total=Sum("amount"))
        .filter(total__gt=0)
    )
    return {r["month"] for r in rows}


def _check_month(member: Member, month: datetime.date, today: datetime.date):
    if member.admitted_on and month < member.admitted_on.replace(day=1):
        raise ValidationError(
            {"months": _("%(month)s is before the member was admitted; no dues are due.") % {"month": f"{month:%Y-%m}"}}
        )
    limit = today.replace(day=1)
    for _i in range(MAX_MONTHS_AHEAD):
        limit = (limit + datetime.timedelta(days=32)).replace(day=1)
    if month >= limit:
        raise ValidationError({"months": _("Dues can be paid at most a year ahead.")})
    base = base_for_month(member, month)
    if base is None:
        raise ValidationError({"months": _("The member has no dues base for %(month)s.") % {"month": f"{month:%Y-%m}"}})
    return base


def _check_method(method: str, reference: str) -> None:
    if method not in PaymentMethod.values:
        raise ValidationError({"method": _("Choose cash, bank transfer or online payment.")})
    if method != PaymentMethod.CASH and not (reference or "").strip():
        raise ValidationError({"reference": _("A transfer or online payment needs its reference.")})


@transaction.atomic
def payment_record(
    *,
    member: Member,
    months,
    paid_on: datetime.date,
    method: str,
    reference: str = "",
    amount=None,
    note: str = "",
    actor=None,
) -> list[DuesPayment]:
    """Record dues for ``months`` (each the first of a month), one ledger entry per month.

    ``amount`` is per month; by default the member's monthly amount; more is allowed (members
    may pay more), less is refused. A month already paid is refused (the member row is locked,
    so two clerks cannot record the same month at once). Nothing is saved if any month fails.
    """
    months = sorted({m.replace(day=1) for m in months or []})
    if not months:
        raise ValidationError({"months": _("Name the month(s) the payment covers.")})
    _check_method(method, reference)
    member = Member.objects.select_for_update().get(pk=member.pk)
    already = paid_months(member, months)
    if already:
        raise ValidationError(
            {"months": _("Already paid: %(months)s.") % {"months": "、".join(f"{m:%Y-%m}" for m in sorted(already))}}
        )
    given = None if amount in (None, "") else money(amount, "amount")
    entries = []
    for month in months:
        base = _check_month(member, month, paid_on)
        per_month = base.monthly_amount if given is None else given
        if per_month <= 0:
            raise ValidationError({"amount": _("The member is exempt or the amount is zero: nothing to record.")})
        if per_month < base.monthly_amount:
            raise ValidationError(
                {"amount": _("Less than the monthly amount of %(amount)s yuan.") % {"amount": base.monthly_amount}}
            )
        entries.append(
            DuesPayment(
                member=member,
                branch_id=member.branch_id,
                month=month,
                amount=per_month,
                paid_on=paid_on,
                method=method,
                reference=(reference or "").strip(),
                note=note,
                recorded_by=recorded_user(actor),
            )
        )
    for entry in entries:
        entry.save()  # one by one: every entry is audited
    rollup.members_changed([member.pk], months=months)
    return entries


@transaction.atomic
def payment_reverse(*, payment: DuesPayment, reason: str, actor=None, on: datetime.date | None = None) -> DuesPayment:
    """Correct a wrong entry by a reversing one (its negative); the original stays as it was."""
    if not (reason or "").strip():
        raise ValidationError({"note": _("Give the reason for the correction.")})
    payment = DuesPayment.objects.select_for_update().get(pk=payment.pk)
    if payment.reverses_id or payment.amount <= 0:
        raise ValidationError({"reverses": _("A reversing entry cannot itself be reversed.")})
    if DuesPayment.objects.filter(reverses=payment).exists():
        raise ValidationError({"reverses": _("This entry has already been reversed.")})
    reversal = DuesPayment.objects.create(
        member_id=payment.member_id,
        branch_id=payment.branch_id,
        month=payment.month,
        amount=-payment.amount,
        paid_on=on or datetime.date.today(),
        method=payment.method,
        reference=payment.reference,
        reverses=payment,
        note=reason.strip(),
        recorded_by=recorded_user(actor),
    )
    rollup.members_changed([payment.member_id], months=[payment.month])
    return reversal


# One row per active member of the given branches: months due and paid in [start, end], and the
# amounts. A month is due when a base with a non-zero amount is in force and the member was
# admitted by then; it is paid when its entries sum above zero (reversals cancel).
FIGURES_SQL = """
WITH pay AS (
    SELECT member_id, month, SUM(amount) AS amount
    FROM members_duespayment
    WHERE month BETWEEN %(start)s AND %(end)s
    GROUP BY member_id, month
    HAVING SUM(amount) > 0
)
SELECT m.id, m.branch_id,
       COUNT(*) FILTER (WHERE b.monthly_amount > 0) AS due_months,
       COALESCE(SUM(b.monthly_amount), 0) AS due_amount,
       COUNT(pay.month) FILTER (WHERE b.monthly_amount > 0) AS paid_months,
       COALESCE(SUM(pay.amount), 0) AS paid_amount
FROM members_member m
CROSS JOIN LATERAL generate_series(
    GREATEST(%(start)s::date, date_trunc('month', COALESCE(m.admitted_on, %(start)s))::date),
    %(end)s::date, interval '1 month') AS gs(month)
JOIN LATERAL (
    SELECT b.monthly_amount FROM members_duesbase b
    WHERE b.member_id = m.id AND b.valid_from <= gs.month
    ORDER BY b.valid_from DESC LIMIT 1
) b ON TRUE
LEFT JOIN pay ON pay.member_id = m.id AND pay.month = gs.month::date
WHERE m.status = 'active' AND m.branch_id = ANY(%(branches)s)
GROUP BY m.id, m.branch_id
"""


def member_figures(branch_ids, start: datetime.date, end: datetime.date) -> list[tuple]:
    """``(member_id, branch_id, due_months, due_amount, paid_months, paid_amount)`` for every
    active member of ``branch_ids`` over the months of ``[start, end]`` (one query)."""
    start, end = start.replace(day=1), end.replace(day=1)
    if connection.vendor != "postgresql":
        return _member_figures_in_python(list(branch_ids), start, end)
    with connection.cursor() as cursor:
        cursor.execute(FIGURES_SQL, {"start": start, "end": end, "branches": list(branch_ids)})
        return cursor.fetchall()


def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _member_figures_in_python(branch_ids: list, start: datetime.date, end: datetime.date) -> list[tuple]:
    """The same figures as ``FIGURES_SQL`` for the embedded SQLite default (``make run``), which
    has neither ``generate_series`` nor ``LATERAL``: a demo district, read in three queries."""
    from members.models import DuesBase, MemberStatus

    members = list(
        Member.objects.filter(status=MemberStatus.ACTIVE, branch_id__in=branch_ids).values_list(
            "id", "branch_id", "admitted_on"
        )
    )
    ids = [m[0] for m in members]
    bases: dict[int, list] = {}
    for member_id, valid_from, amount in (
        DuesBase.objects.filter(member_id__in=ids)
        .order_by("member_id", "-valid_from")
        .values_list("member_id", "valid_from", "monthly_amount")
    ):
        bases.setdefault(member_id, []).append((valid_from, amount))
    paid: dict[tuple, Decimal] = {}
    for member_id, month, amount in DuesPayment.objects.filter(
        member_id__in=ids, month__gte=start, month__lte=end
    ).values_list("member_id", "month", "amount"):
        paid[member_id, month] = paid.get((member_id, month), Decimal(0)) + amount
    rows = []
    for member_id, branch_id, admitted_on in members:
        first = max(start, (admitted_on or start).replace(day=1))
        counted = due_months = paid_months = 0
        due_amount = paid_amount = Decimal(0)
        for month in _months(first, end):
            base = next((amount for valid_from, amount in bases.get(member_id, ()) if valid_from <= month), None)
            if base is None:
                continue
            counted += 1
            got = paid.get((member_id, month), Decimal(0))
            due_amount += base
            if got > 0:
                paid_amount += got
            if base > 0:
                due_months += 1
                paid_months += got > 0
        if counted:
            rows.append((member_id, branch_id, due_months, due_amount, paid_months, paid_amount))
    return rows


def unpaid_this_month(branch_ids, month: datetime.date) -> list[tuple]:
    """Members of ``branch_ids`` who owe ``month``: ``(member_id, branch_id, due_amount)``."""
    rows = member_figures(branch_ids, month, month)
    return [(r[0], r[1], r[3]) for r in rows if r[2] > r[4]]


def arrears(branch_ids, *, today: datetime.date, months_back: int = 24) -> dict[int, int]:
    """Months unpaid per member (those with any), up to and including ``today``'s month."""
    end = today.replace(day=1)
    start = end
    for _i in range(months_back - 1):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    return {r[0]: r[2] - r[4] for r in member_figures(branch_ids, start, end) if r[2] > r[4]}


def reason_noted(member: Member, *, reason: str, noted_on: datetime.date, actor=None):
    """Record why a member has not paid; keeps the member off the six-months flag for six months."""
    from members.models import DuesArrearsReason

    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason.")})
    return DuesArrearsReason.objects.create(
        member=member,
        reason=reason.strip(),
        noted_on=noted_on,
        recorded_by=recorded_user(actor),
    )
