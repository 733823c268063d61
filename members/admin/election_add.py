"""The admin's "add election" page: the election's figures and one row per candidate (a
formset), recorded through ``members.elections.services.election_record``; a broken rule is a
form error and nothing is saved."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.admin import admin_page
from members.elections.services import CandidateInput, election_record
from members.models import ElectionMethod, Member
from members.models.position import COMMITTEE_POSITIONS
from organizations.models import Organization, OrganizationKind


class ElectionForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("organization"))
    term_number = forms.IntegerField(min_value=1, label=_("term number"))
    held_on = forms.DateField(label=_("election date"), widget=forms.DateInput({"type": "date"}))
    method = forms.ChoiceField(choices=ElectionMethod.choices, label=_("election method"))
    seats = forms.IntegerField(min_value=1, label=pgettext_lazy("election", "seats"))
    voters_entitled = forms.IntegerField(min_value=0, label=_("voters entitled"))
    voters_present = forms.IntegerField(min_value=0, label=_("voters present"))
    approved_on = forms.DateField(
        required=False, label=_("approved by the higher committee on"), widget=forms.DateInput({"type": "date"})
    )


class CandidateForm(forms.Form):
    member = forms.ModelChoiceField(queryset=Member.objects.none(), label=_("member"))
    votes = forms.IntegerField(min_value=0, label=_("votes"))
    post = forms.ChoiceField(
        choices=[("", "---------"), *((k.value, k.label) for k in COMMITTEE_POSITIONS)], required=False, label=_("post")
    )


CandidateFormSet = forms.formset_factory(CandidateForm, extra=6, min_num=1, validate_min=True)


def election_add_view(model_admin, request):
    user = request.user
    form = ElectionForm(request.POST or None)
    form.fields["organization"].queryset = Organization.objects.for_user(user).filter(kind=OrganizationKind.BRANCH)
    formset = CandidateFormSet(request.POST or None, prefix="candidates")
    for row in formset.forms:
        row.fields["member"].queryset = Member.objects.for_user(user).active()
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        candidates = [
            CandidateInput(row.cleaned_data["member"], row.cleaned_data["votes"], row.cleaned_data.get("post", ""))
            for row in formset.forms
            if row.cleaned_data.get("member")
        ]
        try:
            election = election_record(candidates=candidates, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, gettext("The election was recorded."))
            return redirect("admin:members_election_change", election.pk)
    return admin_page(
        model_admin,
        request,
        "admin/members/election/record.html",
        title=gettext("Record an election"),
        form=form,
        formset=formset,
    )
