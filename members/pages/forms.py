"""Forms of the secretary pages: the meeting form and three formsets (attendance checklist,
resolutions, guests). Each turns its rows into the plain lists the services take; the rules
themselves are the services' (``members.meetings``). Every field gets the plausibility rules
(``core.plausibility``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.plausibility import harden_form
from members.models import AttendanceStatus, Member


class PlausibleForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        harden_form(self)


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class MeetingForm(PlausibleForm):
    held_at = forms.DateTimeField(
        label=_("held at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    host = MemberChoiceField(label=_("host"), queryset=Member.objects.none(), required=False)
    recorder = MemberChoiceField(label=_("recorder"), queryset=Member.objects.none(), required=False)
    lecturer = forms.CharField(label=_("lecturer"), max_length=100, required=False)
    topic = forms.CharField(label=_("topic"), max_length=200)
    agenda = forms.CharField(label=_("agenda"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(label=_("minutes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["host"].queryset = members
            self.fields["recorder"].queryset = members


# --- attendance checklist ------------------------------------------------------------------------


class AttendanceForm(PlausibleForm):
    """One member of the checklist. Nobody is marked in advance: the secretary marks who came
    (a member left unmarked is recorded absent), so the roll never inflates attendance."""

    member = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("attendance"), choices=AttendanceStatus.choices, required=False, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("reason for absence"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "reason", "placeholder": _("Reason (if excused)")}),
    )


class BaseAttendanceFormSet(forms.BaseFormSet):
    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        by_id = {m.pk: m for m in members}
        for form in self.forms:
            value = form["member"].value()
            form.member_obj = by_id.get(int(value)) if str(value or "").isdigit() else None

    def rows(self) -> list[dict]:
        """The marked members, for ``meeting_record`` / ``meeting_update`` (call after is_valid)."""
        return [
            {"member": f.cleaned_data["member"], "status": f.cleaned_data["status"], "reason": f.cleaned_data["reason"]}
            for f in self.forms
            if f.cleaned_data.get("member") and f.cleaned_data.get("status")
        ]


AttendanceFormSet = forms.formset_factory(AttendanceForm, formset=BaseAttendanceFormSet, extra=0, max_num=2000)


def attendance_formset(data=None, *, members, statuses=None) -> BaseAttendanceFormSet:
    """The checklist of ``members`` (``statuses``: {member id: {"status", "reason"}} already
    recorded, when editing)."""
    statuses = statuses or {}
    initial = [
        {
            "member": m.pk,
            "status": statuses.get(m.pk, {}).get("status", ""),
            "reason": statuses.get(m.pk, {}).get("reason", ""),
        }
        for m in members
    ]
    return AttendanceFormSet(data, prefix="att", initial=initial, members=members)


# --- resolutions and guests ----------------------------------------------------------------------


class ResolutionForm(PlausibleForm):
    text = forms.CharField(
        label=_("resolution"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Resolution")}),
    )
    votes_for = forms.IntegerField(label=_("for"), min_value=0, max_value=10000, required=False)
    votes_against = forms.IntegerField(label=_("against"), min_value=0, max_value=10000, required=False)
    votes_abstain = forms.IntegerField(label=_("abstain"), min_value=0, max_value=10000, required=False)


class BaseResolutionFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        return [
            {
                "text": f.cleaned_data["text"],
                "votes_for": f.cleaned_data.get("votes_for") or 0,
                "votes_against": f.cleaned_data.get("votes_against") or 0,
                "votes_abstain": f.cleaned_data.get("votes_abstain") or 0,
            }
            for f in self.forms
            if (f.cleaned_data.get("text") or "").strip()
        ]


class GuestForm(PlausibleForm):
    name = forms.CharField(
        label=pgettext_lazy("person", "name"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": pgettext_lazy("person", "Name")}),
    )
    affiliation = forms.CharField(
        label=_("affiliation"),
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("Affiliation (owners committee, property firm, residents, police)")}
        ),
    )


class BaseGuestFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        return [
            {"name": f.cleaned_data["name"], "affiliation": f.cleaned_data.get("affiliation") or ""}
            for f in self.forms
            if (f.cleaned_data.get("name") or "").strip()
        ]


BLANK_ROWS = 3  # empty resolution / guest rows offered (a page without JavaScript cannot add rows)

ResolutionFormSet = forms.formset_factory(ResolutionForm, formset=BaseResolutionFormSet, extra=0, max_num=100)
GuestFormSet = forms.formset_factory(GuestForm, formset=BaseGuestFormSet, extra=0, max_num=200)


def _with_blanks(rows: list[dict]) -> list[dict]:
    return rows + [{}] * max(1, BLANK_ROWS - len(rows))


def resolution_formset(data=None, *, meeting=None) -> BaseResolutionFormSet:
    rows = []
    if meeting is not None:
        rows = [
            {
                "text": r.text,
                "votes_for": r.votes_for,
                "votes_against": r.votes_against,
                "votes_abstain": r.votes_abstain,
            }
            for r in meeting.resolutions.all()
        ]
    return ResolutionFormSet(data, prefix="res", initial=_with_blanks(rows))


def guest_formset(data=None, *, meeting=None) -> BaseGuestFormSet:
    rows = []
    if meeting is not None:
        rows = [{"name": g.name, "affiliation": g.affiliation} for g in meeting.guests.all()]
    return GuestFormSet(data, prefix="guest", initial=_with_blanks(rows))
