"""The secretary's side of the member portal: issue a member's login (a one-time activation
code) and run a meeting's QR check-in (the rotating code and the list to confirm)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members.models import CheckIn, CheckInStatus, Member, MemberAccount
from members.pages.views import _branch_or_404, _meeting_branch, _meeting_or_404
from members.portal import accounts, checkin


@login_required
@require_http_methods(["GET", "POST"])
def member_login(request, branch_id: int, member_id: int):
    """开通党员端: a new one-time activation code for the member, shown here once and sent."""
    branch = _branch_or_404(request, branch_id)
    member = get_object_or_404(Member.objects.for_user(request.user).active().filter(branch=branch), pk=member_id)
    if not request.user.has_perm("members.add_activationcode"):
        raise Http404
    account = MemberAccount.objects.select_related("user").filter(member=member).first()
    issued = None
    if request.method == "POST":
        activate_url = request.build_absolute_uri(reverse("portal:activate"))
        try:
            row, code = accounts.activation_issue(member=member, actor=request.user, activate_url=activate_url)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            account = MemberAccount.objects.select_related("user").get(member=member)
            issued = {"code": code, "link": f"{activate_url}?code={code}", "expires_at": row.expires_at}
    return render(
        request,
        "branch/member_login.html",
        {"branch": branch, "member": member, "account": account, "issued": issued},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_checkin(request, pk: int):
    """扫码签到: the rotating QR code (the page reloads itself every minute) and the members
    waiting for confirmation; confirming marks them present in the attendance."""
    meeting = _meeting_or_404(request, pk)
    if not request.user.has_perm("members.change_meeting"):
        raise Http404
    if request.method == "POST":
        confirm = request.POST.getlist("confirm")
        reject = request.POST.getlist("reject")
        if request.POST.get("action") == "reject":  # the second button: the ticked scans are refused
            confirm, reject = [], reject + confirm
        try:
            count = checkin.checkin_decide(meeting=meeting, confirm_ids=confirm, reject_ids=reject, actor=request.user)
        except (ValidationError, ValueError) as exc:
            messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else _("Choose from the list."))
        else:
            if confirm:
                messages.success(request, _("%(n)d member(s) confirmed as present.") % {"n": count})
            else:
                messages.success(request, _("The ticked check-ins were refused; nobody was marked present."))
        return redirect("branch:meeting_checkin", pk=meeting.pk)
    token = checkin.checkin_token(meeting)
    url = request.build_absolute_uri(reverse("portal:scan", args=[meeting.pk])) + f"?t={token}"
    decided = CheckIn.objects.filter(meeting=meeting).exclude(status=CheckInStatus.PENDING).select_related("member")
    return render(
        request,
        "branch/meeting_checkin.html",
        {
            "meeting": meeting,
            "branch": _meeting_branch(meeting),
            "qr": checkin.qr_svg(url),
            "url": url,
            "pending": list(checkin.pending(meeting).order_by("scanned_at")),
            "decided": list(decided.order_by("-decided_at")[:100]),
            "refresh": checkin.WINDOW_SECONDS,
        },
    )
