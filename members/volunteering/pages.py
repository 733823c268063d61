"""The secretary's phone page of 设岗定责 / 时间银行 (``/branch/<id>/volunteers/``): the branch's
posts with who holds them, a form to record a day's service, and the records awaiting
confirmation, each confirmed with one tap (a POST through a form, never a GET)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from members.volunteering import services
from members.volunteering.forms import ServiceRecordForm
from members.volunteering.models import PostHolder, ServiceRecord, ServiceStatus, VolunteerPost
from organizations.models import Organization, OrganizationKind


def _branch(request, branch_id: int) -> Organization:
    return get_object_or_404(
        Organization.objects.for_user(request.user).filter(kind=OrganizationKind.BRANCH), pk=branch_id
    )


@login_required
@require_http_methods(["GET", "POST"])
def volunteers(request, branch_id: int):
    branch = _branch(request, branch_id)
    may_record = request.user.has_perm("members.add_servicerecord")
    form = ServiceRecordForm(request.POST or None, branch=branch, user=request.user)
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        if form.is_valid() and form.save() is not None:
            messages.success(request, _("The service was recorded."))
            return redirect("branch:volunteers", branch_id=branch.pk)
    posts = (
        VolunteerPost.objects.for_user(request.user)
        .filter(organization=branch, active=True)
        .prefetch_related(
            Prefetch(
                "holders",
                queryset=PostHolder.objects.filter(ended_on__isnull=True).select_related("member", "volunteer"),
                to_attr="current_holders",
            )
        )
        .order_by("kind", "name")
    )
    records = ServiceRecord.objects.for_user(request.user).filter(post__organization=branch)
    pending = records.filter(status=ServiceStatus.PENDING).select_related("post", "holder__member", "holder__volunteer")
    year = timezone.localdate().year
    confirmed = records.filter(status=ServiceStatus.CONFIRMED, served_on__year=year)
    return render(
        request,
        "branch/volunteers.html",
        {
            "branch": branch,
            "posts": posts,
            "pending": pending.order_by("served_on", "id")[:50],
            "form": form,
            "may_record": may_record,
            "may_confirm": request.user.has_perm("members.change_servicerecord"),
            "year": year,
            "hours_this_year": confirmed.aggregate(total=Sum("hours"))["total"] or 0,
        },
    )


class ConfirmForm(forms.Form):
    """Nothing to fill in: the form is the CSRF-checked POST of the confirm button."""


@login_required
@require_POST
def confirm(request, pk: int):
    record = get_object_or_404(ServiceRecord.objects.for_user(request.user).select_related("post"), pk=pk)
    if not request.user.has_perm("members.change_servicerecord"):
        raise PermissionDenied
    if ConfirmForm(request.POST).is_valid():
        services.service_confirm(record=record, actor=request.user)
        messages.success(request, _("The service record was confirmed."))
    return redirect("branch:volunteers", branch_id=record.post.organization_id)
