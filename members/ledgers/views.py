"""Ledger downloads outside the API: one branch (the admin's button, the secretary's page),
many branches (the admin action, as one ZIP or a background job) and the job's progress page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.jobs import JobStatus, job_file, job_for
from members.ledgers import pdf, service
from organizations.models import OrganizationKind


def file_response(item: service.LedgerFile) -> HttpResponse:
    response = HttpResponse(item.data, content_type=item.content_type)
    response["Content-Disposition"] = content_disposition_header(True, item.name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def unavailable_response(request, reason: str, status: int = 503) -> HttpResponse:
    return render(request, "ledgers/unavailable.html", {"reason": reason}, status=status)


@login_required
@require_safe
def ledger_download(request, branch_id: int):
    """``/ledgers/<branch>/?year=&format=pdf|docx``: one branch's ledger, 404 outside the scope."""
    branch = get_object_or_404(service.ledger_branches(request.user), pk=branch_id)
    try:
        year, fmt = service.clean_options(request.GET.get("year"), request.GET.get("format"))
    except ValidationError as exc:
        return unavailable_response(request, "；".join(exc.messages), status=400)
    try:
        item = service.ledger_file(user=request.user, branch=branch, year=year, fmt=fmt)
    except pdf.PdfUnavailable as exc:
        return unavailable_response(request, str(exc))
    return file_response(item)


@login_required
@require_safe
def job_status(request, pk: int):
    """The background job's progress (the page refreshes itself) and its download link."""
    job = job_for(request, pk)
    return render(
        request, "ledgers/job.html", {"job": job, "running": job.status in (JobStatus.PENDING, JobStatus.RUNNING)}
    )


@login_required
@require_safe
def job_download(request, pk: int):
    return job_file(request, pk)


# --- the organization admin's action and button (registered in members/contributions.py) -----


def _selected_branches(request, queryset):
    """The selected branches and the branches under every other selected node, in scope."""
    from organizations.selectors import subtree_of

    ids = set(queryset.filter(kind=OrganizationKind.BRANCH).values_list("pk", flat=True))
    for node in queryset.exclude(kind__in=(OrganizationKind.BRANCH, OrganizationKind.GROUP)):
        ids.update(subtree_of(node).filter(kind=OrganizationKind.BRANCH).values_list("pk", flat=True))
    return service.ledger_branches(request.user).filter(pk__in=ids)


def _zip_action(fmt: str):
    def action(modeladmin, request, queryset):
        branches = list(_selected_branches(request, queryset))
        year = timezone.localdate().year
        if not branches:
            modeladmin.message_user(
                request, _("Select branches (or the streets and communities above them)."), messages.WARNING
            )
            return None
        if fmt == "pdf" and not pdf.pdf_available():
            modeladmin.message_user(request, pdf.unavailable_reason(), messages.ERROR)
            return None
        if len(branches) > service.SYNC_LIMIT:
            job = service.start_ledger_job(user=request.user, branch_ids=[b.pk for b in branches], year=year, fmt=fmt)
            return redirect("ledgers:job", pk=job.pk)
        data = service.ledgers_zip(user=request.user, branches=branches, year=year, fmt=fmt)
        return file_response(service.LedgerFile(service.zip_name(year, fmt), data, "application/zip"))

    action.__name__ = f"download_ledgers_{fmt}"
    action.short_description = (
        gettext_lazy("Download this year's ledgers of the selected branches (PDF, ZIP)")
        if fmt == "pdf"
        else gettext_lazy("Download this year's ledgers of the selected branches (Word, ZIP)")
    )
    action.allowed_permissions = ("view",)
    return action


download_ledgers_pdf = _zip_action("pdf")
download_ledgers_docx = _zip_action("docx")


def ledger_url(fmt: str):
    def url(obj) -> str | None:
        if obj is None or obj.kind != OrganizationKind.BRANCH:
            return None
        return reverse("ledgers:download", args=[obj.pk]) + f"?format={fmt}&year={timezone.localdate().year}"

    return url


@login_required
@require_safe
def branch_ledger_page(request, branch_id: int):
    """The secretary's phone page: this year's and last year's ledger of the own branch."""
    branch = get_object_or_404(service.ledger_branches(request.user), pk=branch_id)
    this_year = timezone.localdate().year
    return render(
        request,
        "branch/ledger.html",
        {"branch": branch, "years": [this_year, this_year - 1], "pdf_reason": pdf.unavailable_reason()},
    )
