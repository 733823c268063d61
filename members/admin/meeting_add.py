"""The admin's "add meeting" page, in two steps: first the branch (or group), the kind and the
date; then the roll of the members due to attend, each with an explicit status (none chosen
beforehand; a "全部出席" button fills them in server-side), the topic, guests and resolutions.
Recorded through ``members.meetings.meeting_record``; a broken rule is a form error, nothing saved."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import add_form_errors, admin_page
from members.meetings import eligible_members, meeting_record
from members.models import AttendanceStatus, MeetingKind, Member
from organizations.models import Organization, OrganizationKind

STATUS_CHOICES = [("", "---------"), *AttendanceStatus.choices]


def lines_field(label, help_text, rows=3) -> forms.CharField:
    """An optional text area read one entry a line."""
    return forms.CharField(required=False, widget=forms.Textarea({"rows": rows}), label=label, help_text=help_text)


class MeetingStartForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("organization"))
    kind = forms.ChoiceField(choices=MeetingKind.choices, label=_("kind"))
    held_at = forms.DateTimeField(
        label=_("held at"), widget=forms.DateTimeInput({"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )

    def __init__(self, *args, user, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.for_user(user).filter(
            kind__in=(OrganizationKind.BRANCH, OrganizationKind.GROUP), dissolved_on__isnull=True
        )
        if kinds is not None:
            self.fields["kind"].choices = [(k, label) for k, label in MeetingKind.choices if k in kinds]


class MeetingDetailsForm(MeetingStartForm):
    topic = forms.CharField(max_length=200, label=_("topic"))
    place = forms.CharField(max_length=200, required=False, label=_("place"))
    lecturer = forms.CharField(max_length=50, required=False, label=_("lecturer"))
    agenda = forms.CharField(required=False, widget=forms.Textarea({"rows": 3}), label=_("agenda"))
    minutes = forms.CharField(required=False, widget=forms.Textarea({"rows": 3}), label=_("minutes"))
    guests = lines_field(_("guests"), _("One guest a line: name, then a comma and the organization they came from."))
    resolutions = lines_field(_("resolutions"), _("One resolution a line."))

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        fields = ("organization", "kind", "held_at", "topic", "place", "lecturer", "agenda", "minutes")
        return {
            **{name: data[name] for name in fields},
            "guests": self.guest_rows(),
            "resolutions": self.resolution_rows(),
        }

    def guest_rows(self) -> list[dict]:
        rows = []
        for line in (self.cleaned_data.get("guests") or "").splitlines():
            name, _sep, affiliation = line.replace("，", ",").partition(",")
            if name.strip():
                rows.append({"name": name.strip(), "affiliation": affiliation.strip()})
        return rows

    def resolution_rows(self) -> list[dict]:
        return [{"text": t.strip()} for t in (self.cleaned_data.get("resolutions") or "").splitlines() if t.strip()]


class AttendanceRowForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(required=False, disabled=True, label=_("member"))
    status = forms.ChoiceField(choices=STATUS_CHOICES, label=_("status"))
    reason = forms.CharField(max_length=200, required=False, label=_("reason"))


AttendanceFormSet = forms.formset_factory(AttendanceRowForm, extra=0)


def _roll_initial(organization, kind, held_at, all_present=False) -> list[dict]:
    on = timezone.localtime(held_at).date() if timezone.is_aware(held_at) else held_at.date()
    members = eligible_members(organization=organization, kind=kind, on=on).order_by("name", "pk")
    status = AttendanceStatus.PRESENT if all_present else ""
    return [{"member": m.pk, "name": m.name, "status": status} for m in members]


def _label_rows(formset, user) -> None:
    """Show each bound row's member name again (a disabled field is not posted)."""
    ids = [row["member"].value() for row in formset.forms]
    names = dict(
        Member.objects.for_user(user).filter(pk__in=[i for i in ids if str(i).isdigit()]).values_list("pk", "name")
    )
    for row, member_id in zip(formset.forms, ids, strict=True):
        row.initial["name"] = names.get(int(member_id), "") if str(member_id).isdigit() else ""


def _record(request, form, formset, service):
    """Call the service; a ValidationError lands on the form. Returns the meeting or None."""
    attendance = [
        {
            "member": row.cleaned_data["member"],
            "status": row.cleaned_data["status"],
            "reason": row.cleaned_data["reason"],
        }
        for row in formset.forms
    ]
    try:
        return service(attendance=attendance, created_by=request.user, **form.service_kwargs())
    except ValidationError as exc:
        add_form_errors(form, exc)
        return None


def meeting_add_steps(model_admin, request, *, kinds=None, details_form=MeetingDetailsForm, service=meeting_record):
    """Step 1 (branch, kind, date) then step 2 (the roll and the rest), recorded by ``service``
    with ``details_form.service_kwargs()`` (the committees' joint meeting passes its own)."""
    user = request.user
    data = request.POST if request.method == "POST" else None
    step = "roll" if data is not None and data.get("step") == "roll" else "start"
    form = (details_form if step == "roll" else MeetingStartForm)(data, user=user, kinds=kinds)
    formset = None
    if step == "start" and data is not None and form.is_valid():
        start = form.cleaned_data
        form = details_form(initial={**start, "organization": start["organization"].pk}, user=user, kinds=kinds)
        formset = AttendanceFormSet(
            initial=_roll_initial(start["organization"], start["kind"], start["held_at"]), prefix="roll"
        )
        step = "roll"
    elif step == "roll":
        if "all_present" in data:
            # Fill every status with "present" and show the roll again; nothing is saved.
            data = data.copy()
            for i in range(int(data.get("roll-TOTAL_FORMS") or 0)):
                data[f"roll-{i}-status"] = AttendanceStatus.PRESENT
            form = details_form(data, user=user, kinds=kinds)
        formset = AttendanceFormSet(data, prefix="roll")
        _label_rows(formset, user)
        if "all_present" not in data and form.is_valid() and formset.is_valid():
            meeting = _record(request, form, formset, service)
            if meeting is not None:
                messages.success(request, gettext("The meeting was recorded."))
                return redirect("admin:members_meeting_change", meeting.pk)
    return admin_page(
        model_admin,
        request,
        "admin/members/meeting/record.html",
        title=gettext("Record a meeting"),
        form=form,
        formset=formset,
        step=step,
    )
