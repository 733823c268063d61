"""回小区报到 on the secretary's phone: the branch's recent reports, each confirmed with one tap
(``members.services.report_confirm``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members.models import MemberEvent, MemberEventKind
from members.pages.views import _branch_or_404
from members.services import report_confirm

RECENT = 100


def _reports(request, branch):
    return (
        MemberEvent.objects.for_user(request.user)
        .filter(kind=MemberEventKind.REPORTED, member__branch=branch)
        .select_related("member", "confirmed_by")
        .order_by("-occurred_on", "-id")
    )


@login_required
@require_http_methods(["GET", "POST"])
def reports(request, branch_id: int):
    """The branch's recent reports, the unconfirmed first; POST confirms the one named."""
    branch = _branch_or_404(request, branch_id)
    may_confirm = request.user.has_perm("members.confirm_report")
    if request.method == "POST":
        if not may_confirm:
            raise PermissionDenied
        raw = request.POST.get("event", "")
        event = get_object_or_404(_reports(request, branch), pk=int(raw) if raw.isdigit() else 0)
        try:
            report_confirm(event=event, actor=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("The report of %(name)s was confirmed.") % {"name": event.member.name})
        return redirect("branch:reports", branch_id=branch.pk)
    rows = list(_reports(request, branch)[:RECENT])
    context = {
        "branch": branch,
        "may_confirm": may_confirm,
        "pending": [e for e in rows if e.confirmed_at is None],
        "confirmed": [e for e in rows if e.confirmed_at is not None],
    }
    return render(request, "branch/reports.html", context)
