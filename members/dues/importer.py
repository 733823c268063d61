"""Import a month's dues collection from Excel (or CSV): all or nothing, errors by row.

Columns: 姓名, 身份证号 (optional; needed when two members share a name), 金额 (optional: the
member's monthly amount), 缴纳方式 (现金 / 银行转账 / 线上缴纳), 凭证号, 缴纳日期. The file is read
with the roster importer's reader; every row goes through ``payment_record``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members import crypto
from members.dues import rollup
from members.dues.ledger import payment_record
from members.models import Member, MemberStatus, PaymentMethod
from members.roster.files import read_rows
from members.roster.report import ImportFileError
from members.roster.validate import parse_date

COLUMNS = {
    "姓名": "name",
    "身份证号": "id_number",
    "金额": "amount",
    "缴纳方式": "method",
    "凭证号": "reference",
    "缴纳日期": "paid_on",
}
METHODS = {str(label): value for value, label in PaymentMethod.choices} | {
    "现金": "cash",
    "转账": "transfer",
    "线上": "online",
}


# The services name their fields in English; on import the user reads the column.
FIELD_COLUMNS = {
    "amount": "金额",
    "months": "所缴月份",
    "method": "缴纳方式",
    "reference": "凭证号",
    "paid_on": "缴纳日期",
}


class _Rollback(Exception):
    pass


@dataclass
class DuesImportReport:
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _member(branch, values) -> Member:
    members = Member.objects.filter(branch=branch, status=MemberStatus.ACTIVE)
    if values.get("id_number"):
        found = members.filter(id_number_hash=crypto.keyed_hash(str(values["id_number"]).strip().upper())).first()
        if found is None:
            raise ValidationError({"身份证号": _("No active member of this branch has this ID number.")})
        return found
    found = list(members.filter(name=str(values.get("name") or "").strip())[:2])
    if len(found) != 1:
        raise ValidationError(
            {
                "姓名": _("No such member in this branch.")
                if not found
                else _("Two members share this name: give the ID number.")
            }
        )
    return found[0]


def _row(branch, month, values, actor, today) -> int:
    member = _member(branch, values)
    method = METHODS.get(str(values.get("method") or "现金").strip())
    if method is None:
        raise ValidationError({"缴纳方式": _("Choose cash, bank transfer or online payment.")})
    paid_on = today
    if values.get("paid_on") not in (None, ""):
        try:
            paid_on = parse_date(values["paid_on"])
        except ValueError:
            raise ValidationError({"缴纳日期": _("Enter a date such as 2026-05-01.")}) from None
    entries = payment_record(
        member=member,
        months=[month],
        paid_on=paid_on,
        method=method,
        reference=str(values.get("reference") or ""),
        amount=values.get("amount"),
        actor=actor,
    )
    return len(entries)


def _message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "；".join(
            f"{FIELD_COLUMNS.get(k, k)}：{' '.join(str(m) for e in v for m in e.messages)}"
            for k, v in exc.error_dict.items()
        )
    return " ".join(exc.messages)


def import_month(
    *, branch, month: datetime.date, data: bytes, filename: str = "", actor=None, today=None
) -> DuesImportReport:
    """Record every row's payment for ``month``, or none of them (errors name the row)."""
    report = DuesImportReport()
    today = today or datetime.date.today()
    try:
        header, rows = read_rows(data, filename)
    except ImportFileError as exc:
        report.errors.append((0, str(exc)))
        return report
    if "姓名" not in header and "身份证号" not in header:
        report.errors.append((1, _("The first row needs the column 姓名 or 身份证号.")))
        return report
    keys = [COLUMNS.get(h) for h in header]
    try:
        # One set-based refresh of the dues summaries for every row, at the end.
        with transaction.atomic(), rollup.deferred():
            for number, row in enumerate(rows, start=2):  # row 1 is the header
                values = {k: v for k, v in zip(keys, row, strict=False) if k}
                try:
                    with transaction.atomic():
                        report.created += _row(branch, month.replace(day=1), values, actor, today)
                except ValidationError as exc:
                    report.errors.append((number, _message(exc)))
            if report.errors:
                raise _Rollback
    except _Rollback:
        report.created = 0
    return report
