"""Member rosters: import (.xlsx/.csv, all-or-nothing, row-level errors), export and template,
all built on the member field spec (``members.fields``).

``files`` reads a file, ``columns`` maps its columns to the spec, ``validate`` checks the rows,
``save`` writes them (streamed COPY), ``export`` writes rosters and the template, ``importer``
ties them together.
"""

from members.roster.export import export_workbook, template_rows, template_workbook
from members.roster.files import check_limits, check_size
from members.roster.importer import import_members
from members.roster.report import ImportFileError, ImportReport, RowError
from members.roster.save import copy_insert, fast_instance

__all__ = [
    "ImportFileError",
    "ImportReport",
    "RowError",
    "check_limits",
    "check_size",
    "copy_insert",
    "export_workbook",
    "fast_instance",
    "import_members",
    "template_rows",
    "template_workbook",
]
