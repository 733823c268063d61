"""From the rows of a file to records keyed by the member field spec.

The header names the columns (the spec's headers and their aliases); only the columns present
are read, so an update changes exactly the columns in the file. A cell that a spreadsheet
stored as a number in a digits-as-text column (an ID number saved by LibreOffice or WPS from a
CSV becomes 5.00108196001016e+17) is kept as a ``NumberCell`` so the row check can say so.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from core.xlsx import ESCAPE, unescape_text
from members import crypto
from members.fields import BY_KEY, DATE, HEADER, IMPORT_FIELDS, PII, SENSITIVE_KEYS, header_map
from members.roster.report import ImportFileError

DATE_KEYS = frozenset(f.key for f in IMPORT_FIELDS if f.kind == DATE)
# Digits that must stay text: a number cell has lost digits past the 15th and any leading zero.
DIGIT_TEXT_KEYS = frozenset(f.key for f in IMPORT_FIELDS if f.kind == PII)
_TEXT_ONLY = {str}
SCIENTIFIC_RE = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")

# The template's example row: written by ``export.template_workbook``, skipped with a notice.
EXAMPLE_NAME = "张三（示例，导入时跳过）"
EXAMPLE_BIRTH = datetime.date(1965, 3, 7)
EXAMPLE_ID = crypto.make_id_number("500108", EXAMPLE_BIRTH, 123)


class NumberCell(str):
    """The text of a cell the spreadsheet stored as a number."""


def looks_numeric(value: str) -> bool:
    """A digits-as-text value that went through a number cell (as a cell, or as the text a
    spreadsheet wrote into a CSV from one)."""
    return type(value) is NumberCell or bool(SCIENTIFIC_RE.match(value))


@dataclass
class Table:
    """The records of a file: ``rows`` pairs the spreadsheet row number with the record."""

    columns: frozenset[str]
    rows: list[tuple[int, dict[str, Any]]]
    notices: list[str]


def column_map(header: list[str]) -> dict[str, int]:
    """field key → column index; raises ImportFileError naming the missing required columns."""
    by_header = header_map()
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        key = by_header.get(title)
        if key and key not in positions:
            positions[key] = index
    missing = [f.header for f in IMPORT_FIELDS if f.required and f.key not in positions]
    if missing:
        raise ImportFileError(
            _("Missing columns: %(columns)s. Download the template to see the expected headers.")
            % {"columns": "、".join(missing)}
        )
    return positions


def text(value: Any) -> str:
    if type(value) is str:  # every CSV cell: the common case first
        return unescape_text(value.strip())
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _cell(key: str, value: Any) -> Any:
    if key in DATE_KEYS and isinstance(value, datetime.date):
        return value
    if key in DIGIT_TEXT_KEYS and isinstance(value, int | float) and not isinstance(value, bool):
        return NumberCell(text(value))
    return text(value)


def _records(positions: dict[str, int], rows: list[list[Any]]) -> list[dict[str, Any]]:
    items = list(positions.items())
    width = max(i for _k, i in items) + 1
    records = []
    for r in rows:
        if len(r) >= width and {*map(type, r)} == _TEXT_ONLY:  # a CSV row: cells are text
            record = {k: r[i].strip() for k, i in items}
            for k, v in record.items():
                if v[:1] == ESCAPE:  # a text cell the export made formula-safe
                    record[k] = unescape_text(v)
            records.append(record)
        else:
            records.append({k: _cell(k, r[i] if i < len(r) else None) for k, i in items})
    return records


def is_template_example(record: dict[str, Any]) -> bool:
    """The template's example row (also as older templates wrote it: 张三 with the example ID)."""
    name = record.get("name", "")
    if name == EXAMPLE_NAME:
        return True
    return name == "张三" and crypto.normalize_id_number(record.get("id_number", "")) == EXAMPLE_ID


def refuse_masked(table: Table) -> None:
    """A masked export cannot be imported again: the ID number is the key that finds the member,
    and a masked phone would overwrite the real one. Said once for the file, not on every row."""
    for key in SENSITIVE_KEYS:
        if key not in table.columns:
            continue
        for row, record in table.rows:
            value = record.get(key, "")
            if "*" in value:
                raise ImportFileError(
                    _(
                        "Row %(row)d, column “%(column)s” holds a masked value (%(value)s): a masked export "
                        "cannot be imported again. Import an export with full data instead; to leave a "
                        "column unchanged, delete the whole column (except the ID number, which finds the member)."
                    )
                    % {"row": row, "column": HEADER[key], "value": value}
                )


def read_table(header: list[str], rows: list[list[Any]]) -> Table:
    """The records of the data rows (row numbers as the user sees them, header = row 1),
    without the template's example row, which is named in a notice."""
    positions = column_map(header)
    table = Table(columns=frozenset(positions), rows=[], notices=[])
    for offset, record in enumerate(_records(positions, rows)):
        row = offset + 2
        if is_template_example(record):
            table.notices.append(
                _("Row %(row)d is the template's example row (%(name)s); it was skipped, not imported.")
                % {"row": row, "name": record.get("name", "")}
            )
            continue
        table.rows.append((row, record))
    return table


def header_of(key: str) -> str:
    field = BY_KEY.get(key)
    return field.header if field is not None else key
