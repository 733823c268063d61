"""Forms of the development pipeline (admin and phone pages): the application, and recording a
step. Both check through the services, so a refused entry is a form error and nothing is saved."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import add_form_errors
from members.development import services
from members.development.models import Candidate
from members.development.steps import STEPS
from members.models import Meeting, MeetingKind, MeetingResolution, Member, MemberStatus, PartyStatus


class CandidateForm(forms.ModelForm):
    id_number = forms.CharField(label=_("ID number"), max_length=30)
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)

    class Meta:
        model = Candidate
        fields = ("name", "gender", "birth_date", "employer", "education", "branch", "applied_on")

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            services.candidate_build(**{k: data.get(k) for k in (*self.Meta.fields, "id_number", "phone")})
        except ValidationError as exc:
            add_form_errors(self, exc)
        return data


class StepForm(forms.Form):
    """Record a step of ``candidate``; the step choices are the next step and, in its stage, a
    further assessment."""

    code = forms.ChoiceField(label=_("step"))
    on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    people = forms.ModelMultipleChoiceField(label=_("people"), queryset=Member.objects.none(), required=False)
    meeting = forms.ModelChoiceField(label=_("meeting"), queryset=Meeting.objects.none(), required=False)
    resolution = forms.ModelChoiceField(
        label=_("resolution"), queryset=MeetingResolution.objects.none(), required=False
    )
    publicity_from = forms.DateField(
        label=_("publicity from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    hours = forms.DecimalField(label=_("training hours"), max_digits=5, decimal_places=1, required=False, min_value=0)
    document = forms.CharField(label=_("document"), max_length=200, required=False)
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, candidate: Candidate, user, codes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate, self.user = candidate, user
        log = services.step_log(candidate)
        allowed = codes or [c for c in STEPS if services.order_allows(STEPS[c], log)]
        self.fields["code"].choices = [(c, STEPS[c].label) for c in allowed]
        branch = candidate.branch_id
        self.fields["people"].queryset = (
            Member.objects.for_user(user)
            .filter(status=MemberStatus.ACTIVE, party_status=PartyStatus.FULL, branch_id=branch)
            .order_by("name")
        )
        meetings = Meeting.objects.for_user(user).filter(organization_id=branch, kind=MeetingKind.PARTY_CONGRESS)
        self.fields["meeting"].queryset = meetings.order_by("-held_at")
        self.fields["resolution"].queryset = MeetingResolution.objects.filter(meeting__in=meetings)

    def save(self):
        """Record the step through the service; ``None`` with the form errors set when refused."""
        data = dict(self.cleaned_data)
        data["people"] = list(data.get("people") or [])
        data["document"] = data.get("document") or ""
        data["notes"] = data.get("notes") or ""
        try:
            return services.step_record(candidate=self.candidate, actor=self.user, **data)
        except ValidationError as exc:
            add_form_errors(self, exc)
            return None
