"""The branch's 党费收缴台账 (dues collection ledger) per year or month, via ``core.xlsx``."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from core.xlsx import Sheet, workbook_bytes
from members.models import DuesBase, DuesPayment, Member, MemberStatus


def _paid(branch_ids, start: datetime.date, end: datetime.date) -> dict[tuple[int, datetime.date], Decimal]:
    rows = (
        DuesPayment.objects.filter(branch_id__in=branch_ids, month__range=(start, end))
        .values("member_id", "month")
        .annotate(total=Sum("amount"))
    )
    return {(r["member_id"], r["month"]): r["total"] for r in rows if r["total"] > 0}


def _bases(member_ids, end: datetime.date) -> dict[int, DuesBase]:
    latest: dict[int, DuesBase] = {}
    for base in DuesBase.objects.filter(member_id__in=member_ids, valid_from__lte=end).order_by("valid_from"):
        latest[base.member_id] = base
    return latest


def year_months(year: int, month: int | None = None) -> list[datetime.date]:
    return [datetime.date(year, month, 1)] if month else [datetime.date(year, m, 1) for m in range(1, 13)]


def dues_rows(members: list[Member], months: list[datetime.date]) -> list[tuple]:
    """``(member, base or None, [paid per month or None], paid in total)`` for each member, in
    order: two queries whatever the number of members (the xlsx ledger and the printed 台账)."""
    branch_ids = {m.branch_id for m in members}
    paid = _paid(branch_ids, months[0], months[-1])
    bases = _bases([m.pk for m in members], months[-1])
    rows = []
    for member in members:
        amounts = [paid.get((member.pk, m)) for m in months]
        rows.append(
            (member, bases.get(member.pk), amounts, sum((a for a in amounts if a is not None), Decimal("0.00")))
        )
    return rows


def ledger_sheet(branch_ids, year: int, month: int | None = None) -> Sheet:
    """One sheet: a row per member; with ``month`` that month only, else the twelve months."""
    months = year_months(year, month)
    members = list(
        Member.objects.filter(branch_id__in=branch_ids, status=MemberStatus.ACTIVE)
        .select_related("branch")
        .order_by("branch__code", "name", "pk")
    )
    headers = [_("compound branch"), _("full name"), _("category"), _("monthly amount")]
    headers += [f"{m:%Y-%m}" for m in months] + [_("paid in total")]
    rows = [
        [
            member.branch.name,
            member.name,
            base.get_category_display() if base else "",
            base.monthly_amount if base else None,
            *[a if a is not None else "" for a in amounts],
            total,
        ]
        for member, base, amounts, total in dues_rows(members, months)
    ]
    title = f"{year}-{month:02d}" if month else str(year)
    return Sheet(title=_("Dues ledger %(period)s") % {"period": title}, headers=headers, rows=rows)


def ledger_xlsx(branch_ids, year: int, month: int | None = None) -> bytes:
    """The 党费收缴台账 as .xlsx bytes."""
    return workbook_bytes([ledger_sheet(branch_ids, year, month)])
