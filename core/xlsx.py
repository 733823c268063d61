"""The one xlsx writer: every export of the project goes through it.

- ``write_only`` workbooks (rows are streamed, memory stays flat for long rosters);
- Chinese headers (the caller passes labels; lazy strings are rendered in the active language);
- masking: ``masks={header_or_index: func}`` applies ``func`` to that column's values before writing;
- formula-safe cells: a text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return is
  written with a leading apostrophe and as a string, so a spreadsheet never runs it as a formula
  (OWASP "CSV injection"); characters a worksheet cannot hold are dropped rather than failing the file.

Importers that read our own exports back call ``unescape_text`` to drop that apostrophe again.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# OWASP CSV injection: these leading characters make a spreadsheet read the cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"

Mask = Callable[[Any], Any]


def safe_text(value: str) -> str:
    """``value`` as text a spreadsheet shows and never evaluates."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_TRIGGERS):
        return ESCAPE + value
    return value


def unescape_text(value: Any) -> Any:
    """The inverse of ``safe_text`` for importers: ``"'=1+1"`` → ``"=1+1"``; anything else as is."""
    if isinstance(value, str) and value.startswith(ESCAPE) and value[1:2] and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def cell_value(value: Any) -> Any:
    """A Python value as a cell holds it: numbers, dates and booleans stay typed, ``Decimal`` becomes
    ``float``, ``None`` an empty cell, everything else (lazy strings included) formula-safe text."""
    if value is None or isinstance(value, bool | int | float | datetime.date | datetime.time):
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            # Excel has no time zones: local wall-clock time, as staff read it on the page.
            from django.utils import timezone

            return timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, Decimal):
        return float(value)
    return safe_text(str(value))


@dataclass
class Sheet:
    """One worksheet: a title (≤ 31 characters, cut), header labels, rows, optional masks and widths.

    ``masks`` maps a header label or a 0-based column index to a function applied to that column's
    raw value before it is written (e.g. ``{"身份证号": mask_id_number}``). ``widths`` are column widths
    in characters; by default each is wide enough for its header (at least 10).
    """

    title: str
    headers: Sequence[Any]
    rows: Iterable[Sequence[Any]] = ()
    masks: Mapping[str | int, Mask] = field(default_factory=dict)
    widths: Sequence[float] | None = None
    freeze_header: bool = True


def _column_masks(sheet: Sheet, headers: list[str]) -> dict[int, Mask]:
    masks: dict[int, Mask] = {}
    for key, func in sheet.masks.items():
        index = key if isinstance(key, int) else headers.index(str(key))
        masks[index] = func
    return masks


def _write_sheet(book: Workbook, sheet: Sheet) -> None:
    ws = book.create_sheet(str(sheet.title)[:31])
    headers = [str(h) for h in sheet.headers]
    widths = sheet.widths or [max(10, len(h) * 2 + 2) for h in headers]
    # write_only sheets take dimensions and panes before the first row.
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    if sheet.freeze_header and headers:
        ws.freeze_panes = "A2"
    masks = _column_masks(sheet, headers)
    ws.append([cell_value(h) for h in headers])
    for row in sheet.rows:
        values = list(row)
        for index, func in masks.items():
            if index < len(values):
                values[index] = func(values[index])
        ws.append([cell_value(v) for v in values])


def workbook_bytes(sheets: Iterable[Sheet]) -> bytes:
    """An .xlsx file of ``sheets`` (in order), as bytes."""
    book = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(book, sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_xlsx(
    title: str,
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    masks: Mapping[str | int, Mask] | None = None,
    widths: Sequence[float] | None = None,
    extra_sheets: Iterable[Sheet] = (),
) -> bytes:
    """A one-table workbook (plus ``extra_sheets``, e.g. notes) as bytes."""
    first = Sheet(title=title, headers=headers, rows=rows, masks=masks or {}, widths=widths)
    return workbook_bytes([first, *extra_sheets])


def attachment(content: bytes, filename: str) -> HttpResponse:
    """An HTTP download of xlsx bytes; ``filename`` may be Chinese (RFC 5987 with an ASCII fallback)."""
    response = HttpResponse(content, content_type=XLSX_MEDIA_TYPE)
    name = quote(filename if filename.endswith(".xlsx") else f"{filename}.xlsx")
    response["Content-Disposition"] = f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{name}"
    return response


def xlsx_response(
    filename: str, title: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]], **options
) -> HttpResponse:
    """``write_xlsx(title, headers, rows, **options)`` (masks, widths, extra sheets) served as a
    download named ``filename``."""
    return attachment(write_xlsx(title, headers, rows, **options), filename)
