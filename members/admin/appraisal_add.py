"""The admin's appraisal pages: open a branch's yearly 民主评议 with its results (one row per
member, a formset), or add and change results of an open one; recorded through
``members.appraisal.services`` (the member must be in the branch that year, a 不合格 needs its
follow-up, one appraisal per branch and year). A broken rule is a form error; nothing is saved."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.admin import add_form_errors, admin_page
from members.appraisal.services import appraisal_result_set, appraisal_session_create
from members.models import AppraisalFollowUp, AppraisalGrade, Member
from organizations.models import Organization, OrganizationKind

DATE = forms.DateInput({"type": "date"})


class AppraisalSessionForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("organization"))
    year = forms.IntegerField(min_value=1921, max_value=2100, label=_("year"))
    held_on = forms.DateField(label=pgettext_lazy("appraisal", "held on"), widget=DATE)


class ResultForm(forms.Form):
    member = forms.ModelChoiceField(queryset=Member.objects.none(), label=_("member"))
    grade = forms.ChoiceField(choices=[("", "---------"), *AppraisalGrade.choices], label=_("grade"))
    follow_up = forms.ChoiceField(
        choices=[("", "---------"), *AppraisalFollowUp.choices], required=False, label=_("follow-up")
    )
    follow_up_on = forms.DateField(required=False, label=_("follow-up decided on"), widget=DATE)
    follow_up_due = forms.DateField(required=False, label=_("correct by"), widget=DATE)


ResultFormSet = forms.formset_factory(ResultForm, extra=5)


def _save(session_form, rows, session):
    """The session (new unless given) and every filled row, or nothing. Returns the session, or
    None when a rule refused something (the errors are on the forms)."""
    with transaction.atomic():
        if session is None:
            try:
                session = appraisal_session_create(**session_form.cleaned_data)
            except ValidationError as exc:
                add_form_errors(session_form, exc)
                transaction.set_rollback(True)
                return None
        failed = False
        for row in rows:
            data = row.cleaned_data
            try:
                appraisal_result_set(
                    session=session,
                    member=data["member"],
                    grade=data["grade"],
                    follow_up=data.get("follow_up") or "",
                    follow_up_on=data.get("follow_up_on"),
                    follow_up_due=data.get("follow_up_due"),
                )
            except ValidationError as exc:
                add_form_errors(row, exc)
                failed = True
        if failed:
            transaction.set_rollback(True)
            return None
    return session


def appraisal_record_view(model_admin, request, session=None):
    """Add (``session`` None) or change an appraisal and its results."""
    user = request.user
    initial = None
    if session is not None:
        initial = {"organization": session.organization_id, "year": session.year, "held_on": session.held_on}
    form = AppraisalSessionForm(request.POST or None, initial=initial)
    form.fields["organization"].queryset = Organization.objects.for_user(user).filter(kind=OrganizationKind.BRANCH)
    if session is not None:
        for field in form.fields.values():
            field.disabled = True
    existing = []
    if session is not None:
        existing = [
            {
                "member": r.member_id,
                "grade": r.grade,
                "follow_up": r.follow_up,
                "follow_up_on": r.follow_up_on,
                "follow_up_due": r.follow_up_due,
            }
            for r in session.results.order_by("member__name", "member_id")
        ]
    formset = ResultFormSet(request.POST or None, prefix="results", initial=existing or None)
    members = Member.objects.for_user(user).active()
    if session is not None:
        members = members.filter(branch=session.organization)
    for row in formset.forms:
        row.fields["member"].queryset = members
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [row for row in formset.forms if row.cleaned_data.get("member") and row.has_changed()]
        saved = _save(form, rows, session)
        if saved is not None:
            messages.success(request, gettext("The appraisal was saved."))
            return redirect("admin:members_appraisalsession_change", saved.pk)
    return admin_page(
        model_admin,
        request,
        "admin/members/appraisalsession/record.html",
        title=gettext("Record an appraisal") if session is None else str(session),
        form=form,
        formset=formset,
        session=session,
    )
