"""Reading a roster file: .xlsx (openpyxl, read-only) or .csv in UTF-8 or GBK/GB18030."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.roster.report import ImportFileError

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(gettext_lazy("The file is neither an Excel workbook nor a CSV file in UTF-8 or GBK."))


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ImportFileError(_("The file is not a valid Excel (.xlsx) workbook.")) from exc
    # The roster is the first sheet; the template's 填写说明 sheet comes after it.
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return rows


def _csv_rows(data: bytes) -> list[list[Any]]:
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("The file is not a spreadsheet (.xlsx or .csv)."))
    return list(csv.reader(io.StringIO(_decode(data))))


def read_rows(data: bytes, filename: str = "") -> tuple[list[str], list[list[Any]]]:
    """Header row and data rows of an .xlsx or .csv file (raises ImportFileError)."""
    if not data or not data.strip():
        raise ImportFileError(_("The file is empty."))
    if data[:4] == XLSX_MAGIC:
        rows = _xlsx_rows(data)
    elif data[:8] == XLS_MAGIC:
        raise ImportFileError(_("Old Excel (.xls) files are not supported; save the file as .xlsx or .csv."))
    elif filename.lower().endswith((".xlsx", ".xlsm")):
        raise ImportFileError(_("The file is not a valid Excel (.xlsx) workbook."))
    else:
        rows = _csv_rows(data)
    rows = [r for r in rows if any(v not in (None, "") and str(v).strip() for v in r)]
    if not rows:
        raise ImportFileError(_("The file is empty."))
    header = [str(h or "").strip().lstrip("\ufeff").replace("*", "") for h in rows[0]]
    return header, rows[1:]
