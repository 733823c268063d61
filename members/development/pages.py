"""Phone pages of the development pipeline for branch secretaries: the branch's candidates with
their next step and due date, and a short form to record a talk or an assessment entry (the
entries a secretary makes between meetings; the other steps are recorded in the admin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members.development import services
from members.development.forms import StepForm
from members.development.models import Candidate
from members.development.steps import STEPS
from organizations.models import Organization, OrganizationKind

PHONE_STEPS = ("talk", "assessment", "continued_assessment")


@login_required
def candidate_list(request, branch_id: int):
    branch = get_object_or_404(
        Organization.objects.for_user(request.user).filter(kind=OrganizationKind.BRANCH), pk=branch_id
    )
    rows = list(
        Candidate.objects.for_user(request.user).filter(branch=branch).exclude(next_step="").order_by("next_due_on")
    )
    for row in rows:
        row.next_label = STEPS[row.next_step].label if row.next_step in STEPS else ""
    return render(request, "branch/candidate_list.html", {"branch": branch, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def candidate_record(request, pk: int):
    candidate = get_object_or_404(Candidate.objects.for_user(request.user).select_related("branch"), pk=pk)
    if not request.user.has_perm("members.add_candidatestep"):
        raise PermissionDenied
    log = services.step_log(candidate)
    codes = [c for c in PHONE_STEPS if services.order_allows(STEPS[c], log)]
    form = StepForm(request.POST or None, candidate=candidate, user=request.user, codes=codes or ["talk"])
    if request.method == "POST" and form.is_valid() and form.save() is not None:
        messages.success(request, _("The step was recorded."))
        return redirect("branch:candidates", branch_id=candidate.branch_id)
    return render(
        request,
        "branch/candidate_step.html",
        {"branch": candidate.branch, "candidate": candidate, "form": form, "available": bool(codes)},
    )
