"""Build a branch's ledger (one file) or many branches' ledgers (one ZIP), for a user.

Rules: a ledger is built for the user who asks and only from what their scope shows
(``for_user``); a branch outside it is not found. More than ``SYNC_LIMIT`` branches go to the
worker (``members.build_ledgers``) as a ``core.jobs.FileJob`` with progress and a download link.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core import registry
from core.documents import Document
from core.jobs import FileJob
from members.ledgers import docx, pdf
from members.ledgers.sections import LedgerContext
from organizations.models import Organization, OrganizationKind
from organizations.selectors import tree_order

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# Up to this many branches are built while the user waits; more go to the worker.
SYNC_LIMIT = 5
JOB_KIND = "ledgers"


@dataclass(frozen=True)
class LedgerFile:
    name: str
    data: bytes
    content_type: str


def clean_options(year, fmt) -> tuple[int, str]:
    """``year`` (default: this year) and ``format`` (pdf / docx) as given by a user; a Chinese
    message naming the field otherwise."""
    errors = {}
    this_year = timezone.localdate().year
    try:
        year = int(year) if year not in (None, "") else this_year
        if not 1921 <= year <= this_year:
            raise ValueError
    except (TypeError, ValueError):
        errors["year"] = _("Year: give a year between 1921 and %(year)s.") % {"year": this_year}
    fmt = (fmt or "pdf").lower()
    if fmt not in FORMATS:
        errors["format"] = _("Format: choose pdf or docx.")
    if errors:
        raise ValidationError(errors)
    return year, fmt


def ledger_branches(user, queryset=None):
    """The branches ``user`` may print ledgers of (optionally within ``queryset``)."""
    qs = Organization.objects.for_user(user).filter(kind=OrganizationKind.BRANCH)
    if queryset is not None:
        qs = qs.filter(pk__in=queryset.values("pk"))
    return qs.order_by(*tree_order())


def ledger_document(*, user, branch: Organization, year: int, channel: str = "admin") -> Document:
    """The registered sections (cover first) built for ``user``."""
    ctx = LedgerContext.for_user(branch, year, user, channel=channel)
    document = Document(title=f"{branch.name}\n{year}年度党建工作台账", header=f"{branch.name} · {year}年度台账")
    for section in registry.ledger_sections():
        document.sections.append((str(section.title), section.build(ctx)))
    return document


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("_") or "branch"


def ledger_file(*, user, branch: Organization, year: int, fmt: str, channel: str = "admin") -> LedgerFile:
    """One branch's ledger as PDF or Word (``pdf.PdfUnavailable`` without WeasyPrint)."""
    document = ledger_document(user=user, branch=branch, year=year, channel=channel)
    data = pdf.render_pdf(document) if fmt == "pdf" else docx.render_docx(document)
    return LedgerFile(f"{_safe(branch.name)}_{year}年度台账.{fmt}", data, FORMATS[fmt])


def ledgers_zip(*, user, branches, year: int, fmt: str, progress=None) -> bytes:
    """Every branch's ledger in one ZIP; ``progress(done)`` after each branch."""
    out = io.BytesIO()
    seen: set[str] = set()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, branch in enumerate(branches, 1):
            item = ledger_file(user=user, branch=branch, year=year, fmt=fmt)
            name = item.name if item.name not in seen else f"{branch.pk}_{item.name}"
            seen.add(name)
            archive.writestr(name, item.data)
            if progress is not None:
                progress(done)
    return out.getvalue()


def zip_name(year: int, fmt: str) -> str:
    return f"台账_{year}年度_{fmt}_{datetime.date.today():%Y%m%d}.zip"


def start_ledger_job(*, user, branch_ids: list[int], year: int, fmt: str) -> FileJob:
    """Queue the ZIP of many branches' ledgers on the worker; the job shows its progress."""
    from members.tasks import build_ledgers_task

    job = FileJob.objects.create(
        user=user,
        kind=JOB_KIND,
        title=_("Ledgers of %(count)s branches, %(year)s") % {"count": len(branch_ids), "year": year},
        params={"branch_ids": branch_ids, "year": year, "format": fmt},
        total=len(branch_ids),
    )
    build_ledgers_task.delay(job.pk)
    return job


def run_ledger_job(job_id: int) -> None:
    """The worker's part: build the ZIP for the job's user, through their scope as it is now."""
    job = FileJob.objects.select_related("user").get(pk=job_id)
    params = job.params
    branches = ledger_branches(job.user).filter(pk__in=params["branch_ids"])
    try:
        data = ledgers_zip(
            user=job.user, branches=branches, year=params["year"], fmt=params["format"], progress=job.step
        )
    except pdf.PdfUnavailable as exc:
        job.fail(str(exc))
        return
    except Exception:
        # The progress page must stop saying "running"; the worker's log has the traceback.
        job.fail(_("The ledgers could not be built; try again or tell the administrator."))
        raise
    job.finish(zip_name(params["year"], params["format"]), data)
