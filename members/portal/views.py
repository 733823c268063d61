"""The member's own pages (党员端, ``/me/``). Every view receives the signed-in member from
``member_required`` and reads only that member's rows; nothing is looked up by a member id."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.admin import add_form_errors
from core.registry import PORTAL_LINKS
from members.dues.ledger import member_figures
from members.models import (
    Attendance,
    AttendanceStatus,
    CheckIn,
    DuesPayment,
    MemberEvent,
    MemberEventKind,
    OccupationStatus,
    PointsEntry,
)
from members.organizational_life import organizational_life_totals
from members.portal import accounts, checkin
from members.portal.access import member_required
from members.portal.forms import ActivationForm, MemberLoginForm, ReportForm
from members.services import member_report
from members.volunteering.models import ServiceRecord
from members.volunteering.services import member_volunteering


class MemberLoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = MemberLoginForm
    redirect_authenticated_user = True
    next_page = "portal:home"


class MemberLogoutView(auth_views.LogoutView):
    next_page = "portal:login"


@require_http_methods(["GET", "POST"])
def activate(request):
    """The member opens the link (or types the code), chooses a password and is signed in."""
    form = ActivationForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts.account_activate(code=form.cleaned_data["code"], password=form.cleaned_data["password1"])
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            login(request, user, backend="core.auth.backends.LockoutModelBackend")
            messages.success(request, _("Your login is ready. Welcome!"))
            return redirect("portal:home")
    return render(request, "portal/activate.html", {"form": form})


@member_required
def home(request, member):
    links = sorted(PORTAL_LINKS, key=lambda link: (link.order, link.label))
    tiles = [(str(link.label), reverse(link.url_name), str(link.description)) for link in links]
    year = timezone.localdate().year
    context = {"member": member, "tiles": tiles, "year": year, "volunteering": member_volunteering(member, year)}
    return render(request, "portal/home.html", context)


@member_required
def service(request, member):
    """我的服务记录: the service hours recorded on my posts, pending (待确认) or confirmed (已确认)."""
    rows = list(
        ServiceRecord.objects.filter(holder__member=member, corrected_by__isnull=True)
        .select_related("post")
        .order_by("-served_on", "-id")[:100]
    )
    return render(request, "portal/service.html", {"member": member, "rows": rows})


@member_required
def life(request, member):
    """我的组织生活: the meetings attended this year, total with the home / residence split."""
    year = timezone.localdate().year
    totals = organizational_life_totals([member], year)[member.pk]
    attended = list(
        Attendance.objects.filter(
            member=member,
            status=AttendanceStatus.PRESENT,
            meeting__archived=False,
            meeting__held_at__year=year,
        )
        .select_related("meeting", "meeting__organization")
        .order_by("-meeting__held_at")
    )
    return render(request, "portal/life.html", {"member": member, "year": year, "totals": totals, "attended": attended})


@member_required
def points(request, member):
    """我的积分: the ledger, each entry with the event behind it."""
    entries = list(
        PointsEntry.objects.filter(member=member).select_related("source_type").order_by("-occurred_on", "-id")[:200]
    )
    sources = _sources(entries)
    rows = [(e, sources.get((e.source_type_id, e.source_id))) for e in entries]
    total = PointsEntry.objects.filter(member=member).aggregate(total=Sum("points"))["total"] or 0
    return render(request, "portal/points.html", {"member": member, "rows": rows, "total": total})


def _sources(entries) -> dict:
    """``{(type id, id): object}`` with one query per source model (not per entry)."""
    wanted: dict = {}
    for e in entries:
        if e.source_type_id:
            wanted.setdefault(e.source_type, set()).add(e.source_id)
    out = {}
    for ct, ids in wanted.items():
        model = ct.model_class()
        if model is None:
            continue
        # What a source's label reads (the meeting of an attendance, the compound of a request).
        related = [f.name for f in model._meta.concrete_fields if f.is_relation and f.name in ("meeting", "compound")]
        qs = model._default_manager.filter(pk__in=ids).select_related(*related)
        for obj in qs:
            out[(ct.pk, obj.pk)] = obj
    return out


@member_required
def dues(request, member):
    """我的党费: this year's months due and paid, and the payments."""
    today = timezone.localdate()
    start = datetime.date(today.year, 1, 1)
    figures = next((r for r in member_figures([member.branch_id], start, today) if r[0] == member.pk), None)
    payments = list(DuesPayment.objects.filter(member=member, month__year=today.year).order_by("-month", "-id"))
    return render(
        request,
        "portal/dues.html",
        {"member": member, "year": today.year, "figures": figures, "payments": payments},
    )


@member_required
@require_http_methods(["GET", "POST"])
def report(request, member):
    """回小区报到 for in-service members: employer and the post chosen."""
    in_service = member.occupation_status == OccupationStatus.IN_SERVICE
    form = ReportForm(request.POST or None, initial={"employer": member.employer})
    if request.method == "POST" and in_service and form.is_valid():
        try:
            member_report(
                member=member,
                reported_on=timezone.localdate(),
                employer=form.cleaned_data["employer"],
                post=form.cleaned_data["post"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("You have reported to your compound."))
            return redirect("portal:report")
    events = list(MemberEvent.objects.filter(member=member, kind=MemberEventKind.REPORTED).order_by("-occurred_on")[:5])
    return render(
        request, "portal/report.html", {"member": member, "form": form, "in_service": in_service, "events": events}
    )


@member_required
@require_http_methods(["GET", "POST"])
def scan(request, member, meeting_id: int):
    """The URL behind the meeting's QR code. GET checks the token and asks to check in; POST
    records the pending check-in (nothing counts until the secretary confirms it)."""
    token = request.POST.get("t") or request.GET.get("t", "")
    try:
        if request.method == "POST":
            entry = checkin.checkin_scan(member=member, meeting_id=meeting_id, token=token)
            return render(request, "portal/checkin.html", {"member": member, "entry": entry})
        checkin.token_meeting_id(token, meeting_id=meeting_id)
    except ValidationError as exc:
        return render(request, "portal/checkin.html", {"member": member, "refused": exc.messages[0]}, status=400)
    return render(request, "portal/checkin.html", {"member": member, "token": token, "meeting_id": meeting_id})


@member_required
def checkins(request, member):
    rows = list(CheckIn.objects.filter(member=member).select_related("meeting").order_by("-scanned_at")[:50])
    return render(request, "portal/checkins.html", {"member": member, "rows": rows})
