"""The secretary's phone page for this year's 民主评议党员: open the year's appraisal and record
each member's grade through ``members.appraisal.services`` (a broken rule is a form error)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.appraisal import services
from members.models import AppraisalFollowUp, AppraisalGrade, AppraisalSession, Member
from members.pages.views import _branch_or_404


class ResultForm(forms.Form):
    member = forms.ModelChoiceField(queryset=Member.objects.none(), label=_("member"))
    grade = forms.ChoiceField(choices=AppraisalGrade.choices, label=_("grade"))
    follow_up = forms.ChoiceField(
        choices=[("", "---------"), *AppraisalFollowUp.choices], required=False, label=_("follow-up")
    )
    follow_up_on = forms.DateField(
        required=False, label=_("follow-up decided on"), widget=forms.DateInput({"type": "date"})
    )
    follow_up_due = forms.DateField(required=False, label=_("correct by"), widget=forms.DateInput({"type": "date"}))

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


@login_required
def appraisal_year(request, branch_id: int):
    branch = _branch_or_404(request, branch_id)
    today = timezone.localdate()
    session = AppraisalSession.objects.filter(organization=branch, year=today.year).first()
    members = Member.objects.for_user(request.user).active().filter(branch=branch).order_by("name", "id")
    form = ResultForm(request.POST or None, members=members)
    if request.method == "POST":
        if not request.user.has_perm("members.change_appraisalresult"):
            raise PermissionDenied
        if form.is_valid():
            try:
                # Opening the year's session and the first grade succeed or fail together.
                with transaction.atomic():
                    if session is None:
                        session = services.appraisal_session_create(organization=branch, year=today.year, held_on=today)
                    services.appraisal_result_set(session=session, **form.cleaned_data)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                return redirect("branch:appraisal", branch.pk)
    results = session.results.select_related("member").order_by("member__name") if session else []
    return render(
        request,
        "branch/appraisal.html",
        {"branch": branch, "year": today.year, "session": session, "results": results, "form": form},
    )
