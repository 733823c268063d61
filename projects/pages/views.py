"""The secretary's phone pages for residents' requests and micro-wishes, under ``/branch/``
(linked from the branch pages through ``core.registry.register_branch_tab``).

Every lookup goes through ``for_user``: a branch or request outside the user's scope is a 404,
so a secretary of another branch can neither see nor triage a request.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.admin import add_form_errors
from members.models import Member, MemberStatus
from organizations.models import Compound, Organization, OrganizationKind
from organizations.selectors import in_subtree
from projects import services
from projects.models import MicroWish, RequestStatus, ResidentRequest, Triage, WishStatus
from projects.pages.forms import DispatchForm, TriageForm, WishForm

OPEN = (RequestStatus.SUBMITTED, RequestStatus.TRIAGED, RequestStatus.DISPATCHED)


def _branch_or_404(request, branch_id: int) -> Organization:
    return get_object_or_404(
        Organization.objects.for_user(request.user).filter(kind=OrganizationKind.BRANCH), pk=branch_id
    )


@login_required
def request_list(request, branch_id: int):
    """The branch's open requests, oldest first: what to triage and what to dispatch."""
    branch = _branch_or_404(request, branch_id)
    rows = list(
        ResidentRequest.objects.for_user(request.user)
        .filter(compound__branch=branch, spam=False, status__in=OPEN)
        .select_related("compound", "assigned_member", "assigned_organization")
        .order_by("received_on", "id")[:200]
    )
    return render(request, "branch_requests/list.html", {"branch": branch, "rows": rows})


def _dispatch_form(obj, data=None):
    """Members of the compound's community, or the community / the branch itself."""
    community = obj.compound.community
    members = Member.objects.filter(in_subtree("branch", community), status=MemberStatus.ACTIVE).order_by("name")
    organizations = Organization.objects.filter(pk__in=[community.pk, obj.compound.branch_id]).order_by("kind", "pk")
    return DispatchForm(data, members=members, organizations=organizations, prefix="d")


@login_required
@require_http_methods(["GET", "POST"])
def request_detail(request, pk: int):
    """One request: 三事分流 (triage) then 派单 (dispatch), each through its service."""
    obj = get_object_or_404(
        ResidentRequest.objects.for_user(request.user).filter(spam=False).select_related("compound"), pk=pk
    )
    branch = obj.compound.branch
    step = request.POST.get("step")
    triage_form = TriageForm(request.POST if step == "triage" else None, prefix="t", initial={"triage": obj.triage})
    dispatch_form = _dispatch_form(obj, request.POST if step == "dispatch" else None)
    today = timezone.localdate()
    form = triage_form if step == "triage" else dispatch_form
    if request.method == "POST" and form.is_valid():
        try:
            if step == "triage":
                services.request_triage(request=obj, triage=form.cleaned_data["triage"])
                messages.success(request, _("Triaged."))
            else:
                data = form.cleaned_data
                services.request_dispatch(
                    request=obj,
                    member=data["member"],
                    organization=data["organization"],
                    department=data["department"],
                    due_on=data["due_on"],
                    dispatched_on=today,
                )
                messages.success(request, _("Dispatched."))
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            return redirect("branch_requests:request", pk=obj.pk)
    context = {
        "branch": branch,
        "obj": obj,
        "triage_form": triage_form,
        "dispatch_form": dispatch_form,
        "can_triage": obj.status in (RequestStatus.SUBMITTED, RequestStatus.TRIAGED),
        "can_dispatch": obj.status in (RequestStatus.TRIAGED, RequestStatus.DISPATCHED)
        and obj.triage != Triage.PRIVATE,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "branch_requests/detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def wish_list(request, branch_id: int):
    """Micro-wishes of the branch's compounds, with a form to publish a new one."""
    branch = _branch_or_404(request, branch_id)
    compounds = Compound.objects.filter(branch=branch).select_related("community").order_by("name")
    form = WishForm(request.POST or None, compounds=compounds)
    if request.method == "POST" and form.is_valid():
        compound = form.cleaned_data["compound"]
        try:
            services.wish_publish(
                community=compound.community,
                compound=compound,
                resident_name=form.cleaned_data["resident_name"],
                content=form.cleaned_data["content"],
                published_on=timezone.localdate(),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("The micro-wish is published."))
            return redirect("branch_requests:wishes", branch_id=branch.pk)
    wishes = list(
        MicroWish.objects.for_user(request.user)
        .filter(compound__branch=branch)
        .exclude(status=WishStatus.FULFILLED)
        .select_related("compound", "claimed_by")
        .order_by("-published_on", "id")[:200]
    )
    status = 400 if request.method == "POST" else 200
    return render(
        request, "branch_requests/wishes.html", {"branch": branch, "form": form, "wishes": wishes}, status=status
    )
