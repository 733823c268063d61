"""Branch secretary pages: dashboard, record / edit / list meetings, members, calendar.

Every lookup goes through ``for_user``: a branch or meeting outside the user's scope is a 404.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.admin import add_form_errors
from members import compliance, organizational_life
from members.meetings import StaleVersion, committee_members, eligible_members, meeting_record, meeting_update
from members.models import (
    Attendance,
    AttendanceStatus,
    CalendarToken,
    Meeting,
    MeetingKind,
    Member,
    RequirementPeriod,
)
from members.pages import stash
from members.pages.forms import MeetingForm, attendance_formset, guest_formset, resolution_formset
from members.pages.ical import meetings_calendar
from members.selectors import at_branch_or_groups
from organizations.models import Organization, OrganizationKind, Reminder, ReminderStatus, Venue
from organizations.scope import scope_node_for
from organizations.selectors import tree_order


def _branches(user):
    return Organization.objects.for_user(user).filter(kind=OrganizationKind.BRANCH)


def _branch_or_404(request, branch_id: int) -> Organization:
    return get_object_or_404(_branches(request.user), pk=branch_id)


def _meeting_or_404(request, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.for_user(request.user).select_related("organization", "host", "recorder"), pk=pk
    )


def _meeting_branch(meeting: Meeting) -> Organization:
    org = meeting.organization
    return org.parent if org.kind == OrganizationKind.GROUP else org


@login_required
def home(request):
    """Send the secretary to their branch; staff with a wider scope pick a branch."""
    node = scope_node_for(request.user)
    if node is not None and node.kind == OrganizationKind.BRANCH:
        return redirect("branch:dashboard", branch_id=node.pk)
    if node is not None and node.kind == OrganizationKind.GROUP:
        return redirect("branch:dashboard", branch_id=node.parent_id)
    branches = list(_branches(request.user).order_by(*tree_order())[:200])
    return render(request, "branch/choose.html", {"branches": branches})


@login_required
def dashboard(request, branch_id: int):
    """Month / quarter / year: each required kind held/required, what is overdue or due soon,
    members due for 转正, lost-contact members. A constant number of queries."""
    branch = _branch_or_404(request, branch_id)
    today = timezone.localdate()
    unit = request.GET.get("period", RequirementPeriod.QUARTER)
    if unit not in RequirementPeriod.values:
        unit = RequirementPeriod.QUARTER
    window = compliance.current_window(today, unit)
    report = compliance.compliance_for_branch(branch, window, today=today)
    recent = list(
        Meeting.objects.filter(at_branch_or_groups(branch), archived=False)
        .select_related("organization")
        .order_by("-held_at")[:5]
    )
    context = {
        "branch": branch,
        "unit": unit,
        "units": RequirementPeriod.choices,
        "window": window,
        "report": report,
        "recent": recent,
        "due_full": organizational_life.members_due_for_full_membership(branch, today=today),
        "lost": list(organizational_life.lost_contact_members(branch, today=today)[:50]),
        # Open reminders of the periodic jobs addressed to this branch or its groups.
        "reminders": list(
            Reminder.objects.for_user(request.user)
            .in_subtree(branch)
            .filter(status=ReminderStatus.OPEN)
            .order_by("due_on", "id")[:20]
        ),
        "today": today,
    }
    return render(request, "branch/dashboard.html", context)


def _form_context(branch, kind, group_id, user):
    """Members listed on the attendance checklist for the chosen kind (and group)."""
    today = timezone.localdate()
    groups = list(Organization.objects.filter(parent=branch, kind=OrganizationKind.GROUP, dissolved_on__isnull=True))
    group = next((g for g in groups if str(g.pk) == str(group_id)), groups[0] if groups else None)
    if kind == MeetingKind.GROUP_MEETING:
        listed = eligible_members(organization=group, kind=kind, on=today) if group else Member.objects.none()
    else:
        listed = eligible_members(organization=branch, kind=kind, on=today)
    return groups, group, list(listed.order_by("name", "id"))


def _venue_place(branch) -> str:
    venue = Venue.objects.filter(branch=branch).order_by("id").first()
    if venue is None:
        return ""
    return f"{venue.name}（{venue.address}）" if venue.address else venue.name


def _formsets(request, listed, *, statuses=None, meeting=None):
    """The attendance checklist, resolution and guest formsets (bound on POST)."""
    data = request.POST if request.method == "POST" else None
    return (
        attendance_formset(data, members=listed, statuses=statuses),
        resolution_formset(data, meeting=meeting),
        guest_formset(data, meeting=meeting),
    )


def _all_valid(form, *formsets) -> bool:
    return all([form.is_valid(), *(f.is_valid() for f in formsets)])  # a list: every error shown


def _details(data) -> dict:
    return {name: data[name] for name in ("held_at", *Meeting.DETAIL_FIELDS)}


def _form_page(request, *, branch, form, kind, formsets, kept, groups, group, editing, dedup_key):
    attendance, resolutions, guests = formsets
    context = {
        "branch": branch,
        "form": form,
        "kind": kind,
        "kinds": MeetingKind.choices,
        "groups": groups,
        "group": group,
        "attendance": attendance,
        "resolutions": resolutions,
        "guests": guests,
        "editing": editing,
        "dedup_key": dedup_key,
        **kept,
    }
    return render(request, "branch/meeting_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request, branch_id: int):
    branch = _branch_or_404(request, branch_id)
    if not request.user.has_perm("members.add_meeting"):
        raise Http404
    kind = request.POST.get("kind") or request.GET.get("kind") or MeetingKind.PARTY_CONGRESS
    if kind not in MeetingKind.values:
        kind = MeetingKind.PARTY_CONGRESS
    group_id = request.POST.get("group") or request.GET.get("group")
    groups, group, listed = _form_context(branch, kind, group_id, request.user)
    members = Member.objects.active().filter(branch=branch).order_by("name", "id")
    attendance, resolutions, guests = _formsets(request, listed)
    kept = {}
    if request.method == "POST":
        form = MeetingForm(request.POST, request.FILES, members=members)
        attachments = stash.uploads(request)
        if _all_valid(form, attendance, resolutions, guests):
            data = form.cleaned_data
            organization = group if kind == MeetingKind.GROUP_MEETING else branch
            try:
                meeting = meeting_record(
                    organization=organization,
                    kind=kind,
                    attendance=attendance.rows(),
                    resolutions=resolutions.rows(),
                    guests=guests.rows(),
                    attachments=attachments,
                    dedup_key=request.POST.get("dedup_key", ""),
                    created_by=request.user,
                    **_details(data),
                )
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                stash.drop(request)
                if meeting.deduplicated:
                    messages.info(request, _("This meeting was already saved; it was not recorded twice."))
                else:
                    messages.success(request, _("The meeting has been recorded."))
                return redirect("branch:meeting", pk=meeting.pk)
        kept = stash.page_context(request, attachments)
    else:
        form = MeetingForm(
            initial={
                "held_at": timezone.localtime().replace(second=0, microsecond=0, tzinfo=None),
                "place": _venue_place(branch),
                "dedup_key": uuid.uuid4().hex,
            },
            members=members,
        )
    return _form_page(
        request,
        branch=branch,
        form=form,
        kind=kind,
        formsets=(attendance, resolutions, guests),
        kept=kept,
        groups=groups,
        group=group,
        editing=None,
        dedup_key=request.POST.get("dedup_key") or form.initial.get("dedup_key", ""),
    )


@login_required
def meeting_list(request, branch_id: int):
    branch = _branch_or_404(request, branch_id)
    meetings = list(
        Meeting.objects.for_user(request.user)
        .filter(at_branch_or_groups(branch), archived=False)
        .select_related("organization")
        .annotate(
            present=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT)),
            due=Count("attendances"),
        )
        .order_by("-held_at", "-id")[:200]
    )
    return render(request, "branch/meeting_list.html", {"branch": branch, "meetings": meetings})


@login_required
def meeting_detail(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    attendances = list(
        Attendance.objects.filter(meeting=meeting).select_related("member").order_by("status", "member__name")
    )
    return render(
        request,
        "branch/meeting_detail.html",
        {
            "meeting": meeting,
            "branch": _meeting_branch(meeting),
            "attendances": attendances,
            "present": sum(1 for a in attendances if a.status == AttendanceStatus.PRESENT),
            "resolutions": list(meeting.resolutions.all()),
            "guests": list(meeting.guests.all()),
            "attachments": list(meeting.attachments.all()),
            "revisions": list(meeting.revisions.select_related("changed_by").order_by("-version")[:20]),
            "is_congress": meeting.kind == MeetingKind.PARTY_CONGRESS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk: int):
    meeting = _meeting_or_404(request, pk)
    if not request.user.has_perm("members.change_meeting"):
        raise Http404
    branch = _meeting_branch(meeting)
    members = Member.objects.active().filter(branch=branch).order_by("name", "id")
    on = timezone.localtime(meeting.held_at).date()
    listed = list(eligible_members(organization=meeting.organization, kind=meeting.kind, on=on).order_by("name", "id"))
    statuses = {
        a.member_id: {"status": a.status, "reason": a.reason} for a in Attendance.objects.filter(meeting=meeting)
    }
    attendance, resolutions, guests = _formsets(request, listed, statuses=statuses, meeting=meeting)
    kept = {}
    if request.method == "POST":
        form = MeetingForm(request.POST, request.FILES, members=members)
        attachments = stash.uploads(request)
        if _all_valid(form, attendance, resolutions, guests):
            data = form.cleaned_data
            try:
                meeting_update(
                    meeting=meeting,
                    version=data["version"],
                    changed_by=request.user,
                    attendance=attendance.rows(),
                    resolutions=resolutions.rows(),
                    guests=guests.rows(),
                    attachments=attachments,
                    **_details(data),
                )
            except StaleVersion as exc:
                add_form_errors(form, exc)
                messages.error(request, exc.messages[0])
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                stash.drop(request)
                messages.success(request, _("The changes have been saved."))
                return redirect("branch:meeting", pk=meeting.pk)
        kept = stash.page_context(request, attachments)
    else:
        form = MeetingForm(
            initial={
                "held_at": timezone.localtime(meeting.held_at).replace(tzinfo=None),
                **{name: meeting.serializable_value(name) for name in Meeting.DETAIL_FIELDS},
                "version": meeting.version,
            },
            members=members,
        )
    return _form_page(
        request,
        branch=branch,
        form=form,
        kind=meeting.kind,
        formsets=(attendance, resolutions, guests),
        kept=kept,
        groups=[],
        group=None,
        editing=meeting,
        dedup_key="",
    )


@login_required
def member_list(request, branch_id: int):
    branch = _branch_or_404(request, branch_id)
    today = timezone.localdate()
    members = list(
        Member.objects.for_user(request.user)
        .active()
        .filter(branch=branch)
        .select_related("group", "home_organization")
        .order_by("name", "id")
    )
    totals = organizational_life.organizational_life_totals(members, today.year)
    committee_ids = set(committee_members(branch, today).values_list("pk", flat=True))
    rows = [(m, totals[m.pk], m.pk in committee_ids) for m in members]
    return render(request, "branch/member_list.html", {"branch": branch, "rows": rows, "year": today.year})


@login_required
def calendar_link(request, branch_id: int):
    """Show (and create on first use) the branch's calendar subscription URL."""
    branch = _branch_or_404(request, branch_id)
    token, _created = CalendarToken.objects.get_or_create(branch=branch)
    url = request.build_absolute_uri(reverse("branch:calendar", args=[branch.pk]) + f"?token={token.token}")
    return render(request, "branch/calendar.html", {"branch": branch, "url": url})


def calendar_feed(request, branch_id: int):
    """RFC 5545 feed; the token in the URL is the credential (phones cannot log in)."""
    token = request.GET.get("token", "")
    entry = CalendarToken.objects.select_related("branch").filter(branch_id=branch_id, token=token).first()
    if not token or entry is None:
        raise Http404
    branch = entry.branch
    meetings = (
        Meeting.objects.filter(at_branch_or_groups(branch), archived=False)
        .select_related("organization")
        .order_by("held_at")
    )
    body = meetings_calendar(branch, meetings, host=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="branch-{branch.pk}.ics"'
    return response
