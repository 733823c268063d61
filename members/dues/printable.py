"""The 党费收缴 section of a branch's yearly ledger (台账): a row per member, a column per month,
from the same rows as the xlsx dues ledger (``members.dues.export.dues_rows``); members read
through the viewer's scope and names shown as in the roster."""

from __future__ import annotations

from core.documents import Paragraph, Table
from members.dues.export import dues_rows, year_months
from members.ledgers.sections import LedgerContext, ledger_cell, ledger_members


def _amount(value) -> str:
    return "" if value is None else f"{value:.2f}"


def dues_ledger(ctx: LedgerContext) -> list:
    """党费收缴台账: the year's payments of the branch's active members, month by month."""
    members = list(ledger_members(ctx))
    if not members:
        return [Paragraph(f"{ctx.year}年度无在册党员。")]
    months = year_months(ctx.year)
    headers = ["序号", "姓名", "类别", "月缴金额", *[f"{m.month}月" for m in months], "合计"]
    rows = []
    year_total = 0
    for i, (member, base, amounts, total) in enumerate(dues_rows(members, months), 1):
        year_total += total
        rows.append(
            [
                str(i),
                ledger_cell(member, "name", ctx),
                base.get_category_display() if base else "—",
                _amount(base.monthly_amount) if base else "—",
                *[_amount(a) or "—" for a in amounts],
                _amount(total),
            ]
        )
    widths = [0.8, 1.6, 1.6, 1.2, *[1] * len(months), 1.2]
    return [
        Table(headers, rows, widths=widths, landscape=True),
        Paragraph(f"{year_total:.2f} 元（“—”为当月未缴）", label=f"{ctx.year}年度合计实缴："),
    ]
