"""The roster import: read the file, check every row, then save all rows or none.

Every row is validated (row number, column, Chinese message) with the same rules as
``members.services``; the related organizations, compounds, buildings and registered ID numbers
are looked up in bulk (a few queries whatever the number of rows). Nothing is written unless
every row is good, and then everything is written in one transaction. ``dry_run`` only
validates and counts. With ``update_existing`` a row whose ID number is registered (and inside
the user's scope) updates that member, and only the columns present in the file.
"""

from __future__ import annotations

import datetime
import gc

from django.utils import timezone
from django.utils.translation import gettext as _

from members.fields import HEADER
from members.introducers import introducer_errors
from members.models import MemberStatus
from members.roster.columns import read_table, refuse_masked
from members.roster.files import read_rows
from members.roster.lookups import Lookups, open_candidates, registered_members
from members.roster.report import ImportFileError, ImportReport, RowError
from members.roster.save import save_rows
from members.roster.validate import RowChecker, already_registered_message
from organizations.models import Organization


def import_members(
    *,
    data: bytes,
    filename: str = "",
    user=None,
    org: Organization | None = None,
    dry_run: bool = False,
    update_existing: bool = False,
    today: datetime.date | None = None,
    progress=None,
) -> ImportReport:
    """Validate every row, then (unless ``dry_run`` or any error) save all rows in one
    transaction. Raises ImportFileError when the file as a whole is unusable. ``progress``, if
    given, is called as ``progress(stage, rows)`` after each stage (``read``, ``validated``,
    ``saved``): the worker's progress page (``members.roster.jobs``).

    The cyclic garbage collector is paused meanwhile: the import allocates hundreds of thousands
    of short-lived objects without cycles, and repeated full collections cost a third of the time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _import(
            data=data,
            filename=filename,
            user=user,
            org=org,
            dry_run=dry_run,
            update_existing=update_existing,
            today=today or timezone.localdate(),
            progress=progress or (lambda stage, rows: None),
        )
    finally:
        if enabled:
            gc.enable()


def _import(*, data, filename, user, org, dry_run, update_existing, today, progress) -> ImportReport:
    table = read_table(*read_rows(data, filename))
    if not table.rows:
        raise ImportFileError(_("The file has a header row but no members."))
    refuse_masked(table)
    progress("read", len(table.rows))
    report = ImportReport(total=len(table.rows), dry_run=dry_run, notices=table.notices)
    records = [rec for _row, rec in table.rows]
    checker = RowChecker(Lookups(records, user=user, org=org), table.columns, today=today, errors=report.errors)
    parsed = [checker.parse(row, rec) for row, rec in table.rows]
    existing, editable = registered_members(
        [p.id_hash for p in parsed if p.id_hash], update_existing=update_existing, user=user
    )
    candidates = open_candidates([p.id_hash for p in parsed if p.id_hash and p.id_hash not in existing])
    to_create, to_update, built = [], [], []
    for p in parsed:
        other = existing.get(p.id_hash) if p.id_hash else None
        candidate = candidates.get(p.id_hash) if p.id_hash else None
        if candidate is not None:
            report.errors.append(RowError(p.row, HEADER["id_number"], already_registered_message(candidate, user=user)))
        elif other is None:
            member = checker.build(p, None)
            if member is not None:
                to_create.append((member, p.id_number, p.phone))
                built.append((member, p.row))
        elif update_existing and other.pk in editable and other.status == MemberStatus.ACTIVE:
            member = checker.build(p, other)
            if member is not None:
                to_update.append((member, p.id_number, p.phone))
                built.append((member, p.row))
        else:
            report.errors.append(RowError(p.row, HEADER["id_number"], already_registered_message(other, user=user)))
    if "introducer_names" in table.columns:
        errors = introducer_errors([m for m, _row in built])
        report.errors += [RowError(built[i][1], HEADER["introducer_names"], message) for i, message in errors.items()]
    report.errors.sort(key=lambda e: e.row)
    report.created, report.updated = len(to_create), len(to_update)
    progress("validated", len(parsed))
    if report.errors or dry_run:
        return report
    save_rows(to_create, to_update, columns=table.columns, user=user, today=today, status_events=checker.status_events)
    report.saved = True
    progress("saved", len(to_create) + len(to_update))
    return report
