"""What an import says back: file-level errors, row-level errors, notices and counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


class ImportFileError(Exception):
    """The file as a whole cannot be read (not a spreadsheet, empty, missing columns, masked)."""


@dataclass
class RowError:
    row: int  # as the user sees it in the spreadsheet (header = row 1)
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    dry_run: bool = True
    saved: bool = False
    errors: list[RowError] = field(default_factory=list)
    # Rows the importer left out on purpose (the template's example row), said to the user.
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors
