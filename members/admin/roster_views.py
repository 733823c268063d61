"""The roster pages of the member admin: import (upload → dry-run preview → confirm), the import
template, the export of the filtered list, and the branch structure check."""

from __future__ import annotations

import os
import secrets
import tempfile

from cryptography.fernet import InvalidToken
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members import crypto, roster, selectors, services
from members.models import MemberStatus, PartyStatus, SensitiveAccessAction
from organizations.models import Organization, OrganizationKind
from organizations.selectors import tree_order

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What the export reads besides the member row: every relation a roster column names.
EXPORT_RELATED = ("branch", "group", "home_organization", "compound", "building")
# Errors listed on the preview page (the count says how many there are in all).
SHOWN_ERRORS = 500


def _stash_path(token: str) -> str:
    return os.path.join(tempfile.gettempdir(), f"member-import-{token}")


def _write_stash(data: bytes) -> str:
    token = secrets.token_hex(16)
    with open(_stash_path(token), "wb") as fh:
        fh.write(crypto.fernet().encrypt(data))  # the roster holds plain ID numbers
    return token


def _read_stash(token: str) -> bytes | None:
    try:
        with open(_stash_path(token), "rb") as fh:
            return crypto.fernet().decrypt(fh.read(), ttl=3600)
    except (OSError, ValueError, InvalidToken):
        return None


def _drop_stash(token: str) -> None:
    try:
        os.remove(_stash_path(token))
    except OSError:
        pass


class RosterViewsMixin:
    """The extra pages of ``MemberAdmin``."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="members_member_import"),
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
        members = list(changelist.get_queryset(request).select_related(*EXPORT_RELATED))
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
            self._import_preview(request, context)
        report = context.get("report")
        if report is not None:
            context["shown_errors"] = report.errors[:SHOWN_ERRORS]
        return TemplateResponse(request, "admin/members/member/import.html", context)

    def _import_confirm(self, request, stash, context):
        data = _read_stash(stash["token"])
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
        _drop_stash(stash["token"])
        del request.session["member_import"]
        for notice in report.notices:
            self.message_user(request, notice, messages.WARNING)
        self.message_user(
            request,
            _("Imported: %(created)d created, %(updated)d updated.")
            % {"created": report.created, "updated": report.updated},
        )
        return HttpResponseRedirect(reverse("admin:members_member_changelist"))

    def _import_preview(self, request, context) -> None:
        upload = request.FILES["file"]
        data = upload.read()
        update = bool(request.POST.get("update_existing"))
        context["filename"] = upload.name
        try:
            report = roster.import_members(
                data=data, filename=upload.name, user=request.user, dry_run=True, update_existing=update
            )
        except roster.ImportFileError as exc:
            context["file_error"] = str(exc)
            return
        context["report"] = report
        if report.ok:
            token = _write_stash(data)
            request.session["member_import"] = {"token": token, "filename": upload.name, "update": update}

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
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Branch structure check"),
            "rows": rows,
            "only": only,
            "flagged": sum(1 for b in warnings.values() if b),
        }
        return TemplateResponse(request, "admin/members/member/structure.html", context)
