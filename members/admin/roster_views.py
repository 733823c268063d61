"""The roster pages of the member admin: import (upload → dry-run preview → confirm), the import
template, the export of the filtered list, and the branch structure check."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.admin import admin_page
from core.jobs import job_file, job_for
from members import roster, selectors, services
from members.models import MemberStatus, PartyStatus, SensitiveAccessAction
from members.roster import jobs
from organizations.models import Organization, OrganizationKind
from organizations.selectors import tree_order

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What the export reads besides the member row: every relation a roster column names.
EXPORT_RELATED = ("branch", "group", "home_organization", "compound", "building")
# Errors listed on the preview page (the count says how many there are in all).
SHOWN_ERRORS = 500


class RosterViewsMixin:
    """The extra pages of ``MemberAdmin``."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="members_member_import"),
            path("jobs/<int:pk>/", wrap(self.job_view), name="members_member_job"),
            path("jobs/<int:pk>/file/", wrap(self.job_file_view), name="members_member_job_file"),
            path("import/template/", wrap(self.template_view), name="members_member_import_template"),
            path("export/", wrap(self.export_view), name="members_member_export"),
            path("structure/", wrap(self.structure_view), name="members_member_structure"),
            *super().get_urls(),
        ]

    def template_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        response = HttpResponse(roster.template_workbook(), content_type=XLSX)
        response["Content-Disposition"] = (
            "attachment; filename*=UTF-8''%E5%85%9A%E5%91%98%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
        )
        return response

    def export_view(self, request):
        """The current filtered list as .xlsx with every roster column; ``full=1`` unmasks
        (permission, logged) and gives a file that can be edited and imported again."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        unmask = request.GET.get("full") == "1"
        if unmask and not (
            selectors.can_view_sensitive(request.user) and request.user.has_perm("members.export_member")
        ):
            raise PermissionDenied
        request.GET = request.GET.copy()
        request.GET.pop("full", None)
        changelist = self.get_changelist_instance(request)
        queryset = changelist.get_queryset(request)
        ids = list(queryset.values_list("pk", flat=True)[: settings.EXPORT_WORKER_ROWS + 1])
        if len(ids) > settings.EXPORT_WORKER_ROWS:
            return self._export_job(request, list(queryset.values_list("pk", flat=True)), unmask)
        members = list(queryset.filter(pk__in=ids).select_related(*EXPORT_RELATED))
        if unmask:
            services.log_sensitive_access(
                user=request.user,
                member_ids=[m.pk for m in members],
                action=SensitiveAccessAction.EXPORT,
                channel="admin",
            )
        response = HttpResponse(roster.export_workbook(members, unmask=unmask), content_type=XLSX)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="members-{stamp}.xlsx"'
        return response

    def _export_job(self, request, ids: list[int], unmask: bool):
        """A large export: built by the worker; its page shows the progress and the download."""
        if unmask:
            services.log_sensitive_access(
                user=request.user, member_ids=ids, action=SensitiveAccessAction.EXPORT, channel="admin"
            )
        job = jobs.start_export_job(user=request.user, member_ids=ids, unmask=unmask)
        return HttpResponseRedirect(reverse("admin:members_member_job", args=[job.pk]))

    def job_view(self, request, pk: int):
        """A background import or export of the user's own: progress, result, download, confirm."""
        job = job_for(request, pk)
        if job.kind not in (jobs.IMPORT_KIND, jobs.EXPORT_KIND):
            raise PermissionDenied
        if request.method == "POST" and request.POST.get("confirm") and job.kind == jobs.IMPORT_KIND:
            return self._confirm_job(request, job)
        report = job.params.get("report")
        return admin_page(
            self,
            request,
            "admin/members/member/job.html",
            title=job.title,
            job=job,
            running=job.status in ("pending", "running"),
            report=report,
            shown_errors=jobs.job_errors(job),
            confirmable=bool(report and report["ok"] and job.params.get("dry_run") and not report["saved"]),
        )

    def _confirm_job(self, request, job):
        report = job.params.get("report") or {}
        if not (report.get("ok") and job.params.get("dry_run")) or not self.has_add_permission(request):
            raise PermissionDenied
        params = job.params
        if jobs.read_stash(params["token"]) is None:
            self.message_user(request, _("The uploaded file has expired; upload it again."), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:members_member_import"))
        saving = jobs.start_import_job(
            user=request.user,
            token=params["token"],
            filename=params["filename"],
            update=params["update"],
            dry_run=False,
        )
        return HttpResponseRedirect(reverse("admin:members_member_job", args=[saving.pk]))

    def job_file_view(self, request, pk: int):
        return job_file(request, pk)

    def import_view(self, request):
        """Step 1: upload → dry-run preview with every error; step 2: confirm → save all."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import party members"),
        }
        stash = request.session.get("member_import")
        if request.method == "POST" and request.POST.get("confirm") and stash:
            done = self._import_confirm(request, stash, context)
            if done is not None:
                return done
        elif request.method == "POST" and request.FILES.get("file"):
            job = self._import_preview(request, context)
            if job is not None:
                return HttpResponseRedirect(reverse("admin:members_member_job", args=[job.pk]))
        report = context.get("report")
        if report is not None:
            context["shown_errors"] = report.errors[:SHOWN_ERRORS]
        return TemplateResponse(request, "admin/members/member/import.html", context)

    def _import_confirm(self, request, stash, context):
        data = jobs.read_stash(stash["token"])
        if data is None:
            self.message_user(request, _("The uploaded file has expired; upload it again."), messages.ERROR)
            return HttpResponseRedirect(request.path)
        try:
            report = roster.import_members(
                data=data, filename=stash["filename"], user=request.user, update_existing=stash["update"]
            )
        except roster.ImportFileError as exc:
            context["file_error"] = str(exc)
            return None
        if not report.saved:
            context["report"] = report
            return None
        jobs.drop_stash(stash["token"])
        del request.session["member_import"]
        for notice in report.notices:
            self.message_user(request, notice, messages.WARNING)
        self.message_user(
            request,
            _("Imported: %(created)d created, %(updated)d updated.")
            % {"created": report.created, "updated": report.updated},
        )
        return HttpResponseRedirect(reverse("admin:members_member_changelist"))

    def _import_preview(self, request, context):
        """The dry run here, or (a large file) on the worker: then the job to show."""
        upload = request.FILES["file"]
        update = bool(request.POST.get("update_existing"))
        context["filename"] = upload.name
        try:
            roster.check_size(upload.size)  # before reading it
            data = upload.read()
            rows = roster.check_limits(data)
            if jobs.goes_to_worker(data, rows):
                token = jobs.write_stash(data)
                return jobs.start_import_job(
                    user=request.user, token=token, filename=upload.name, update=update, dry_run=True
                )
            report = roster.import_members(
                data=data, filename=upload.name, user=request.user, dry_run=True, update_existing=update
            )
        except roster.ImportFileError as exc:
            context["file_error"] = str(exc)
            return None
        context["report"] = report
        if report.ok:
            token = jobs.write_stash(data)
            request.session["member_import"] = {"token": token, "filename": upload.name, "update": update}
        return None

    def structure_view(self, request):
        """Every branch in the user's scope with its structure warnings (支部工作条例)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        active = Q(resident_members__status=MemberStatus.ACTIVE)
        branches = (
            Organization.objects.for_user(request.user)
            .filter(kind=OrganizationKind.BRANCH)
            .select_related("parent")
            .annotate(
                total=Count("resident_members", filter=active),
                full=Count("resident_members", filter=active & Q(resident_members__party_status=PartyStatus.FULL)),
            )
            .order_by(*tree_order())
        )
        warnings = selectors.branch_structure_warnings(branches, today=today)
        only = request.GET.get("only") == "warnings"
        rows = [(b, warnings.get(b.pk, [])) for b in branches if not only or warnings.get(b.pk)]
        return admin_page(
            self,
            request,
            "admin/members/member/structure.html",
            title=_("Branch structure check"),
            rows=rows,
            only=only,
            flagged=sum(1 for b in warnings.values() if b),
        )
