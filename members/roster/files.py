"""Reading a roster file: .xlsx (openpyxl, read-only) or .csv in UTF-8 or GBK/GB18030.

The limits are checked before anything is parsed (``check_limits``): the file's size
(``IMPORT_MAX_BYTES``), for an .xlsx the uncompressed size of its zip members
(``IMPORT_MAX_UNZIPPED_BYTES``, a zip bomb) and the sheet's declared dimension, and the number of
rows (``IMPORT_MAX_ROWS``, a dimension bomb: reading stops at the limit whatever the file says).
"""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from django.conf import settings
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


def _too_many_rows(limit: int) -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(limit)s data rows, the most one import takes; split it into smaller files.")
        % {"limit": f"{limit:,}"}
    )


def _open_book(data: bytes):
    import openpyxl

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ImportFileError(_("The file is not a valid Excel (.xlsx) workbook.")) from exc


def _check_zip(data: bytes) -> None:
    limit = settings.IMPORT_MAX_UNZIPPED_BYTES
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ImportFileError(_("The file is not a valid Excel (.xlsx) workbook.")) from exc
    if unzipped > limit:
        raise ImportFileError(
            _("The workbook expands to more than %(limit)s MB, the most one import takes; split it into smaller files.")
            % {"limit": limit // (1024 * 1024)}
        )


def check_size(size: int) -> None:
    """Refuse a file over ``IMPORT_MAX_BYTES`` (called with the upload's size before reading it)."""
    if size > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(limit)s MB, the most one import takes; split it into smaller files.")
            % {"limit": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        )


def check_limits(data: bytes) -> int:
    """Refuse a file over the size, uncompressed-size or row limits before parsing it; the
    number of rows the file says it has (an estimate for a CSV: its line count)."""
    check_size(len(data))
    max_rows = settings.IMPORT_MAX_ROWS
    if data[:4] != XLSX_MAGIC:
        return data.count(b"\n")
    _check_zip(data)
    book = _open_book(data)
    try:
        rows = book.worksheets[0].max_row or 0
    finally:
        book.close()
    if rows - 1 > max_rows:
        raise _too_many_rows(max_rows)
    return rows


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    book = _open_book(data)
    limit = settings.IMPORT_MAX_ROWS + 1  # the header row
    rows = []
    # The roster is the first sheet; the template's 填写说明 sheet comes after it.
    for r in book.worksheets[0].iter_rows(values_only=True):
        rows.append(list(r))
        if len(rows) > limit:
            book.close()
            raise _too_many_rows(settings.IMPORT_MAX_ROWS)
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
    check_limits(data)
    if data[:4] == XLSX_MAGIC:
        rows = _xlsx_rows(data)
    elif data[:8] == XLS_MAGIC:
        raise ImportFileError(_("Old Excel (.xls) files are not supported; save the file as .xlsx or .csv."))
    elif filename.lower().endswith((".xlsx", ".xlsm")):
        raise ImportFileError(_("The file is not a valid Excel (.xlsx) workbook."))
    else:
        rows = _csv_rows(data)
    rows = [r for r in rows if any(v not in (None, "") and str(v).strip() for v in r)]
    if len(rows) > settings.IMPORT_MAX_ROWS + 1:
        raise _too_many_rows(settings.IMPORT_MAX_ROWS)
    if not rows:
        raise ImportFileError(_("The file is empty."))
    header = [str(h or "").strip().lstrip("\ufeff").replace("*", "") for h in rows[0]]
    return header, rows[1:]
