"""Where an uploaded roster waits between the preview and the confirmation, and the big imports
and exports that run on the worker.

The uploaded file is kept in Django's default storage (S3 in production with more than one web
host, docs/deploy.md), encrypted (it holds plain ID numbers), under ``imports/<random hex>``:
the preview may run on one host and the confirmation on another. The session holds only that
key; the file expires after an hour (the Fernet timestamp) and is deleted once used.

A file above ``IMPORT_WORKER_ROWS`` rows or ``IMPORT_WORKER_BYTES`` bytes is checked and saved
by the worker as a ``core.jobs.FileJob`` (kind ``member_import``) whose ``params`` say how many
rows were read, validated and saved, and hold the report (counts, the first errors). An export
above ``EXPORT_WORKER_ROWS`` members is built by the worker too (kind ``member_export``) and
downloaded from the job's page by the user who asked for it only.
"""

from __future__ import annotations

import secrets

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jobs import FileJob
from members import crypto
from members.roster.report import ImportFileError, RowError

IMPORT_KIND = "member_import"
EXPORT_KIND = "member_export"
STASH_TTL = 3600  # seconds between the preview and the confirmation
SHOWN_ERRORS = 500  # errors kept in a job's report (the count says how many there are in all)


# --- the uploaded file between preview and confirmation -----------------------------------------


def _stash_name(token: str) -> str:
    if not token.isalnum():
        raise ValueError(token)
    return f"imports/{token}"


def write_stash(data: bytes) -> str:
    """Keep ``data`` (encrypted) on the shared storage; the unguessable key to read it back."""
    token = secrets.token_hex(16)
    default_storage.save(_stash_name(token), ContentFile(crypto.fernet().encrypt(data)))
    return token


def read_stash(token: str) -> bytes | None:
    """The stashed file, or None if it is unknown, expired or tampered with."""
    try:
        with default_storage.open(_stash_name(token), "rb") as fh:
            return crypto.fernet().decrypt(fh.read(), ttl=STASH_TTL)
    except (OSError, ValueError, InvalidToken):  # S3 too says FileNotFoundError
        return None


def drop_stash(token: str) -> None:
    try:
        default_storage.delete(_stash_name(token))
    except (OSError, ValueError):
        pass


def goes_to_worker(data: bytes, rows: int) -> bool:
    return rows > settings.IMPORT_WORKER_ROWS or len(data) > settings.IMPORT_WORKER_BYTES


# --- imports on the worker ----------------------------------------------------------------------


def start_import_job(*, user, token: str, filename: str, update: bool, dry_run: bool) -> FileJob:
    """Queue the check (``dry_run``) or the save of the stashed file on the worker."""
    from members.tasks import import_roster_task

    title = _("Check of the roster %(name)s") if dry_run else _("Import of the roster %(name)s")
    job = FileJob.objects.create(
        user=user,
        kind=IMPORT_KIND,
        title=(title % {"name": filename})[:200],
        params={"token": token, "filename": filename, "update": update, "dry_run": dry_run},
        total=3,
    )
    import_roster_task.delay(job.pk)
    return job


def _report_params(report) -> dict:
    return {
        "report": {
            "total": report.total,
            "created": report.created,
            "updated": report.updated,
            "saved": report.saved,
            "ok": report.ok,
            "error_count": len(report.errors),
            "errors": [[e.row, e.column, e.message] for e in report.errors[:SHOWN_ERRORS]],
            "notices": [str(n) for n in report.notices],
        }
    }


def job_errors(job: FileJob) -> list[RowError]:
    return [RowError(*e) for e in job.params.get("report", {}).get("errors", [])]


STAGES = {"read": 1, "validated": 2, "saved": 3}


def run_import_job(job_id: int) -> None:
    """The worker's part: check or save the stashed file as the job's user, all or nothing."""
    from members.roster.importer import import_members

    job = FileJob.objects.select_related("user").get(pk=job_id)
    params = job.params
    data = read_stash(params["token"])
    if data is None:
        job.fail(_("The uploaded file has expired; upload it again."))
        return

    def progress(stage: str, rows: int) -> None:
        job.note(done=STAGES[stage], **{stage: rows})

    try:
        report = import_members(
            data=data,
            filename=params["filename"],
            user=job.user,
            dry_run=params["dry_run"],
            update_existing=params["update"],
            progress=progress,
        )
    except ImportFileError as exc:
        job.fail(str(exc))
        return
    except Exception:
        job.fail(_("The import could not be finished; nothing was saved. Try again or tell the administrator."))
        raise
    if report.saved:
        drop_stash(params["token"])
    job.note(**_report_params(report))
    job.succeed()


# --- exports on the worker ----------------------------------------------------------------------


def start_export_job(*, user, member_ids: list[int], unmask: bool) -> FileJob:
    from members.tasks import export_roster_task

    job = FileJob.objects.create(
        user=user,
        kind=EXPORT_KIND,
        title=_("Export of %(count)s party members") % {"count": len(member_ids)},
        params={"member_ids": member_ids, "unmask": unmask},
        total=len(member_ids),
    )
    export_roster_task.delay(job.pk)
    return job


def run_export_job(job_id: int) -> None:
    """Build the roster workbook of the job's members that its user may still see."""
    from members.models import Member
    from members.roster.export import export_workbook

    job = FileJob.objects.select_related("user").get(pk=job_id)
    ids = job.params["member_ids"]
    related = ("branch", "group", "home_organization", "compound", "building")
    try:
        members = list(Member.objects.for_user(job.user).filter(pk__in=ids).select_related(*related))
        order = {pk: i for i, pk in enumerate(ids)}  # the order of the list the user exported
        members.sort(key=lambda m: order[m.pk])
        job.note(done=len(members) // 2)
        data = export_workbook(members, unmask=job.params["unmask"])
    except Exception:
        job.fail(_("The export could not be built; try again or tell the administrator."))
        raise
    job.finish(f"members-{timezone.localtime():%Y%m%d-%H%M}.xlsx", data)
